"""A resident signs up, verifies the email address from the link in the email, logs in; the home page by keyboard."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import save_screenshot

EMAIL = "new-resident@example.org"
PASSWORD = "maple lantern 1987 river"
# Labels read "Password*" (crispy's required marker); the label's text keeps the template's whitespace around it.
PASSWORD_LABEL = re.compile(r"^\s*Password\*?\s*$")
PASSWORD_AGAIN_LABEL = re.compile(r"^\s*Password \(again\)\*?\s*$")
CONFIRMATION_LINK = re.compile(r"http://\S+/accounts/confirm-email/[^/\s]+/")


def test_resident_signs_up_verifies_email_and_logs_in(live_server, page, request, settings):
    from allauth.account.models import EmailAddress

    # Links in account emails use SITE_URL, never the request's Host: point it at the live server.
    settings.SITE_URL = live_server.url

    # Sign up: email and password twice, found by their labels.
    page.goto(live_server.url + "/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign Up")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label(PASSWORD_AGAIN_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    # Told to verify; nothing is verified yet.
    expect(page).to_have_url(live_server.url + "/accounts/confirm-email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    expect(page.get_by_role("main")).to_contain_text("We have sent an email to you for verification.")
    address = EmailAddress.objects.get(email=EMAIL)
    assert address.verified is False
    assert address.primary is True

    # The verification email (the live server runs in this process: the locmem outbox is ours).
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[UPR Cities] Please Confirm Your Email Address"
    assert message.to == [EMAIL]
    links = CONFIRMATION_LINK.findall(message.body)
    assert len(links) == 1, message.body
    link = links[0]
    assert link.startswith(live_server.url + "/accounts/confirm-email/")

    # Opening the link shows a page with a Confirm button (ACCOUNT_CONFIRM_EMAIL_ON_GET=False): GET confirms nothing.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Email Address")
    expect(page.get_by_role("main")).to_contain_text(f"Please confirm that {EMAIL} is an email address for user")
    address.refresh_from_db()
    assert address.verified is False
    page.get_by_role("button", name="Confirm").click()

    # Confirmed: sent to the login page (no login on confirmation).
    expect(page).to_have_url(live_server.url + "/accounts/login/")
    expect(page.get_by_role("status")).to_contain_text(f"You have confirmed {EMAIL}.")
    address.refresh_from_db()
    assert address.verified is True

    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    # Home, logged in, with the account menu.
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bring Human Rights Home")
    expect(page.get_by_role("link", name="Log in")).to_have_count(0)
    account_menu = page.get_by_role("button", name="Account")
    expect(account_menu).to_be_visible()
    assert save_screenshot(page, request, "home-after-login").stat().st_size > 0
    account_menu.click()
    expect(account_menu).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".dropdown-menu")).to_contain_text(EMAIL)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_first_tab_focuses_skip_link_and_enter_moves_focus_to_main(live_server, page):
    page.goto(live_server.url + "/")
    skip_link = page.get_by_role("link", name="Skip to main content")
    # The portal's CSS is served: Bootstrap hides the skip link until it has focus, site.css colours the navbar.
    assert skip_link.bounding_box()["width"] <= 1
    expect(page.locator("nav.navbar")).to_have_css("background-color", "rgb(29, 63, 110)")

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    assert skip_link.bounding_box()["width"] > 1  # visible once focused

    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/#main")
    expect(page.locator("#main")).to_be_focused()
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
