"""The contact page in a real browser: reached from the footer of any page, a message sent after a mistake is
corrected (what was typed kept), and the page that says what happens next, at phone and desktop width."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import save_screenshot


@pytest.mark.parametrize("width", [390, 1280])
def test_a_resident_writes_to_the_national_team_from_the_footer(live_server, page, transactional_db, request, width):
    from national.models import ContactMessage

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Contact the national team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact the national team")

    page.get_by_label("What is it about?").select_option(label="Press and media")
    page.get_by_label("Your name").fill("Jordan Reyes")
    page.get_by_label("Your email").fill("jordan@example")  # a typo
    page.get_by_label("Your message").fill("Could someone talk to us about the review of the United States?")
    page.get_by_role("button", name="Send the message").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Your email – Enter a valid email address."])
    expect(page.get_by_label("Your message")).to_have_value(
        "Could someone talk to us about the review of the United States?"
    )
    expect(page.get_by_label("What is it about?")).to_have_value("media")
    assert save_screenshot(page, request, f"contact-error-{width}").stat().st_size > 0
    summary.get_by_role("link").click()
    expect(page.get_by_label("Your email")).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(".org")
    page.keyboard.press("Enter")  # submits the form from the field

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your message has reached the national team")
    steps = page.get_by_role("main").get_by_role("listitem")
    expect(steps.nth(1)).to_contain_text("We answer at the email address you gave, usually within 5 working days.")
    expect(steps.nth(2)).to_contain_text("the About the UPR page has its dates and documents.")
    assert save_screenshot(page, request, f"contact-sent-{width}").stat().st_size > 0
    message = ContactMessage.objects.get()
    assert (message.topic, message.email) == ("media", "jordan@example.org")
    assert [m.reply_to for m in mail.outbox] == [["jordan@example.org"]]


@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_contact_pages_have_no_serious_or_critical_axe_violations(live_server, page, transactional_db, language):
    from tests.browser.test_accessibility import axe_failures, set_language

    set_language(page, live_server, language)
    page.goto(live_server.url + "/contact/")
    failures = axe_failures(page, "/contact/", language)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_focused()
    failures += axe_failures(page, "/contact/ (errors shown)", language)
    page.goto(live_server.url + "/contact/sent/?topic=testimony")
    failures += axe_failures(page, "/contact/sent/", language)
    assert not failures, "\n".join(failures)
