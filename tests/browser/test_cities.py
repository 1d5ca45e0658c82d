"""Cities in a real browser: the directory map by mouse and keyboard, a request to join approved by the national
team in the admin (two-factor login) and the invitation accepted, and the join form by keyboard."""

from __future__ import annotations

import re
import time

from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import log_in, save_screenshot
from tests.conftest import with_totp

PASSWORD = "maple lantern 1987 river"
PASSWORD_LABEL = re.compile(r"^\s*Password\*?\s*$")
PASSWORD_AGAIN_LABEL = re.compile(r"^\s*Password \(again\)\*?\s*$")
CONFIRMATION_LINK = re.compile(r"http://\S+/accounts/confirm-email/[^/\s]+/")
INVITATION_LINK = re.compile(r"http://\S+/invitations/[^/\s]+/")
# The focus ring of a map dot (map.css): the brand blue.
BRAND_BLUE = "rgb(29, 63, 110)"
# How far Tab may have to travel through the directory before it reaches a given map dot.
MAX_TABS = 300


def exact(text: str) -> re.Pattern:
    """An option's or label's whole text, whitespace around it ignored."""
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def current_totp_code(user) -> str:
    """The code the user's authenticator app shows now, computed the way allauth checks it.

    allauth stores the TOTP secret in Authenticator.data["secret"] through its adapter's encrypt() (the identity
    unless a project overrides it): decrypt() reads it back. A code about to expire is not used: wait for the next.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
    from allauth.mfa.utils import decrypt

    secret = decrypt(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"])
    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < 3:
        time.sleep(left + 0.2)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def staff_logs_in_with_totp(page, live_server, staff) -> None:
    """Email and password, then the authenticator code: the only way into the admin."""
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(live_server.url + "/accounts/2fa/authenticate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    page.get_by_label("Code").fill(current_totp_code(staff))
    page.get_by_role("button", name="Sign In").click()
    # Staff land on their own home: the national progress dashboard for the national team, else the admin.
    landing = "/organize/national/" if staff.has_perm("reports.view_localreport") else "/admin/"
    expect(page).to_have_url(live_server.url + landing)


def approve_in_admin(page, live_server, city_request) -> None:
    """Tick the request in the admin's list of requests to join and run the action "Approve"."""
    page.goto(live_server.url + "/admin/cities/cityrequest/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Select request to join to change")
    page.get_by_role("checkbox", name=f"Select this object for an action - {city_request}").check()
    page.get_by_role("combobox", name=re.compile(r"^Action:")).select_option(
        label="Approve: create the city and invite the requester as coordinator"
    )
    # Django 6.1's admin labels the button that runs the action "Run" (older versions: "Go").
    page.get_by_role("button", name="Run").click()
    expect(page).to_have_url(live_server.url + "/admin/cities/cityrequest/")


def sign_up_verify_and_log_in(page, live_server, email: str) -> None:
    """On the signup page: sign up, open the verification link of the email just sent, confirm, log in."""
    from allauth.account.models import EmailAddress

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign Up")
    sent_before = len(mail.outbox)
    page.get_by_label("Email").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label(PASSWORD_AGAIN_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page).to_have_url(live_server.url + "/accounts/confirm-email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")

    assert len(mail.outbox) == sent_before + 1
    verification = mail.outbox[-1]
    assert verification.subject == "[UPR Cities] Please Confirm Your Email Address"
    assert verification.to == [email]
    links = CONFIRMATION_LINK.findall(verification.body)
    assert len(links) == 1, verification.body
    page.goto(links[0])
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(live_server.url + "/accounts/login/")
    expect(page.get_by_role("status")).to_contain_text(f"You have confirmed {email}.")
    assert EmailAddress.objects.get(email=email).verified is True

    page.get_by_label("Email").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Account")).to_be_visible()


def test_resident_finds_pittsburgh_on_the_map(live_server, page, demo_data, request):
    page.goto(live_server.url + "/cities/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Human rights cities in the review")
    map_svg = page.locator("svg.us-map")
    expect(map_svg).to_be_visible()
    dot = map_svg.get_by_role("link", name="Pittsburgh, Pennsylvania", exact=True)
    expect(dot).to_have_count(1)
    expect(dot).to_have_attribute("href", "/cities/pittsburgh-pa/")
    assert save_screenshot(page, request, "directory").stat().st_size > 0

    # By mouse.
    dot.click()
    expect(page).to_have_url(live_server.url + "/cities/pittsburgh-pa/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pittsburgh, Pennsylvania")

    # By keyboard: the dot is in the Tab order (reached by Tab from the top of the page, not only by focus()),
    # shows its focus ring, and Enter follows it.
    page.goto(live_server.url + "/cities/")
    dot = page.locator("svg.us-map").get_by_role("link", name="Pittsburgh, Pennsylvania", exact=True)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "Pittsburgh, Pennsylvania":
            break
    else:
        raise AssertionError(f"Pittsburgh's map dot was not reached in {MAX_TABS} presses of Tab")
    expect(dot).to_be_focused()
    expect(dot.locator("circle.city-dot")).to_have_css("stroke", BRAND_BLUE)
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/cities/pittsburgh-pa/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pittsburgh, Pennsylvania")


def test_city_request_approved_and_invitation_accepted(live_server, page, browser, user_factory, settings, request):
    from cities.enums import CityStatus, RequestStatus, Role
    from cities.models import City, CityRequest, Invitation, Membership

    # Links in the portal's own emails use SITE_URL: point it at the live server.
    settings.SITE_URL = live_server.url
    requester = "dana@example.org"

    # 1. A resident asks to bring Erie in. Choosing the state loads the state's places into the City list (htmx).
    page.goto(live_server.url + "/cities/join/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bring your city into the review")
    city_select = page.get_by_label(exact("City"))
    expect(city_select.locator("option")).to_have_text(["Choose a state first"])
    page.get_by_label("State").select_option(label="Pennsylvania")
    erie = city_select.locator("option").filter(has_text=exact("Erie"))
    expect(erie).to_have_count(1)
    expect(city_select.locator("option").first).to_have_text("Choose a city")
    erie_geonameid = int(erie.get_attribute("value"))
    city_select.select_option(label="Erie")
    page.get_by_label("Coalition or organisation").fill("Erie Human Rights Coalition")
    page.get_by_label("Contact person").fill("Dana Rivera")
    page.get_by_label("Contact email").fill(requester)
    page.get_by_label("Why does your city want to take part?").fill("Housing and water: our neighbours want a say.")
    page.get_by_role("button", name="Send the request").click()

    expect(page).to_have_url(live_server.url + "/cities/join/thanks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your request has reached the national team")
    city_request = CityRequest.objects.get()
    assert (city_request.city_name, city_request.state, city_request.status) == ("Erie", "PA", RequestStatus.PENDING)
    assert city_request.geonameid == erie_geonameid
    assert (city_request.coalition_name, city_request.contact_name, city_request.contact_email) == (
        "Erie Human Rights Coalition",
        "Dana Rivera",
        requester,
    )
    assert city_request.language == "en"
    assert sorted((m.subject, tuple(m.to)) for m in mail.outbox) == [
        ("[UPR Cities] New request to join: Erie, PA", ("national-team@uprcities.localhost",)),
        ("[UPR Cities] We received your request for Erie", (requester,)),
    ]

    # 2. The national team approves it in the admin, after an email + password + authenticator code login.
    staff = with_totp(user_factory("national@example.org", PASSWORD, staff=True, is_superuser=True))
    staff_context = browser.new_context()
    try:
        staff_page = staff_context.new_page()
        staff_logs_in_with_totp(staff_page, live_server, staff)
        approve_in_admin(staff_page, live_server, city_request)
        expect(staff_page.locator("ul.messagelist li.success")).to_have_text(
            ["1 approved; the requester was emailed an invitation."]
        )
    finally:
        staff_context.close()

    city = City.objects.get(name="Erie", state="PA")
    assert (city.slug, city.status, city.coalition_name) == (
        "erie-pa",
        CityStatus.PARTICIPATING,
        "Erie Human Rights Coalition",
    )
    assert city.latitude is not None and city.longitude is not None  # located from GeoNames: on the map
    city_request.refresh_from_db()
    assert (city_request.status, city_request.city, city_request.decided_by) == (RequestStatus.APPROVED, city, staff)
    invitation = Invitation.objects.get()
    assert (invitation.city, invitation.email, invitation.role) == (city, requester, Role.COORDINATOR)
    assert len(mail.outbox) == 3
    welcome = mail.outbox[2]
    assert welcome.subject == "[UPR Cities] Welcome: Erie is taking part in the review"
    assert welcome.to == [requester]
    links = INVITATION_LINK.findall(welcome.body)
    assert len(links) == 1, welcome.body
    invitation_link = links[0]
    assert invitation_link.startswith(live_server.url + "/invitations/")

    # 3. The requester (not logged in: the `page` fixture's own context) opens the link and creates an account.
    page.goto(invitation_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the Erie team")
    expect(page.get_by_role("main")).to_contain_text(
        f"This invitation was sent to {requester} to join Erie, PA as Coordinator."
    )
    page.get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url + "/accounts/signup/") + r"\?"))
    expect(page.get_by_label("Email")).to_have_value(requester)  # prefilled from the link

    # 4. Signs up, confirms the address from the verification email, logs in.
    sign_up_verify_and_log_in(page, live_server, requester)
    assert len(mail.outbox) == 4

    # 5. Back to the invitation, accepts it, and lands on the organizer home as Erie's coordinator.
    page.goto(invitation_link)
    expect(page.get_by_role("main")).to_contain_text(f"You are logged in as {requester}.")
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page).to_have_url(live_server.url + "/organize/")
    expect(page.get_by_role("status")).to_have_text("Welcome to the Erie team!")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your cities")
    card = page.locator("section.card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading", level=2)).to_have_text("Erie, PA")
    expect(card.locator(".badge")).to_have_text("Coordinator")
    assert save_screenshot(page, request, "organize-erie").stat().st_size > 0

    membership = Membership.objects.get(user__email=requester)
    assert (membership.city, membership.role, membership.approved_by) == (city, Role.COORDINATOR, staff)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.accepted_by == membership.user
    assert len(mail.outbox) == 4

    # Erie is now on the directory's map.
    page.goto(live_server.url + "/cities/")
    expect(page.locator("svg.us-map").get_by_role("link", name="Erie, Pennsylvania", exact=True)).to_have_attribute(
        "href", "/cities/erie-pa/"
    )


def test_approving_pending_requests_reports_none_as_already_decided(live_server, page, user_factory):
    from cities.enums import RequestStatus
    from cities.models import CityRequest

    staff = with_totp(user_factory("national@example.org", PASSWORD, staff=True, is_superuser=True))
    city_request = CityRequest.objects.create(
        state="PA",
        city_name="Erie",
        coalition_name="Erie Human Rights Coalition",
        contact_name="Dana Rivera",
        contact_email="dana@example.org",
        why="Housing and water.",
    )
    log_in(page.context, live_server, staff)
    approve_in_admin(page, live_server, city_request)
    city_request.refresh_from_db()
    assert city_request.status == RequestStatus.APPROVED
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    assert page.locator("ul.messagelist li").all_inner_texts() == [
        "1 approved; the requester was emailed an invitation."
    ]


def test_new_account_comes_back_to_the_invitation_after_verifying_and_logging_in(
    live_server, page, user_factory, city_factory, settings
):
    from cities import services
    from cities.enums import Role

    settings.SITE_URL = live_server.url
    invitation = services.invite(
        city_factory("Erie", "PA"), "dana@example.org", Role.COORDINATOR, by=user_factory("national@example.org")
    )
    link = services.invitation_url(invitation)
    page.goto(link)
    page.get_by_role("link", name="Create an account").click()
    sign_up_verify_and_log_in(page, live_server, "dana@example.org")
    # The login's redirect has been followed: the page shows the logged-in navigation.
    assert page.url == link


def test_existing_account_logs_in_from_the_invitation_and_comes_back(
    live_server, page, user_factory, city_factory, settings
):
    from cities import services
    from cities.enums import Role
    from cities.models import Membership

    settings.SITE_URL = live_server.url
    city = city_factory("Erie", "PA")
    dana = user_factory("dana@example.org", PASSWORD)
    invitation = services.invite(city, dana.email, Role.ORGANIZER, by=user_factory("national@example.org"))
    link = services.invitation_url(invitation)
    page.goto(link)
    page.get_by_role("main").get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill(dana.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(link)
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page).to_have_url(live_server.url + "/organize/")
    expect(page.locator("section.card .badge")).to_have_text(["Organizer"])
    assert list(Membership.objects.values_list("user__email", "city__slug", "role")) == [
        ("dana@example.org", "erie-pa", Role.ORGANIZER)
    ]


def test_join_form_by_keyboard(live_server, page):
    page.goto(live_server.url + "/cities/join/")
    state = page.get_by_label("State")
    city = page.get_by_label(exact("City"))

    # Skip link, Enter, Tab: the first stop in the main content is the State list (the honeypot is skipped).
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(state).to_be_focused()

    # Typing picks the state (the only one starting with P); htmx fills the City list; Tab moves on to it.
    page.keyboard.type("Penn")
    expect(state.locator("option:checked")).to_have_text("Pennsylvania")
    erie = city.locator("option").filter(has_text=exact("Erie"))
    expect(erie).to_have_count(1)
    page.keyboard.press("Tab")
    expect(city).to_be_focused()
    page.keyboard.type("Erie")
    expect(city).to_have_value(erie.get_attribute("value"))
    expect(city.locator("option:checked")).to_have_text("Erie")
    page.keyboard.press("Tab")
    expect(page.get_by_label("City not in the list")).to_be_focused()

    # An empty request sent from the keyboard: an error summary above the form takes the focus and links to each
    # field in error; each field is marked invalid with its error as its description, what was picked kept.
    page.goto(live_server.url + "/cities/join/")
    submit = page.get_by_role("button", name="Send the request")
    submit.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/cities/join/")
    alert = page.get_by_role("alert")
    expect(alert).to_be_focused()
    expect(alert).to_have_accessible_name("There is a problem")
    expect(alert.locator("p").first).to_have_text(
        "Please correct the fields marked below. Everything else you typed is kept."
    )
    expect(alert.get_by_role("link")).to_have_text(
        [
            "State – This field is required.",
            "Coalition or organisation – This field is required.",
            "Contact person – This field is required.",
            "Contact email – This field is required.",
            "Why does your city want to take part? – This field is required.",
        ]
    )
    first_invalid = page.locator("form [aria-invalid='true']").first
    expect(first_invalid).to_have_id("id_state")
    expect(state).to_have_attribute("aria-invalid", "true")
    expect(state).to_have_accessible_description("This field is required.")
    expect(page.locator("form [aria-invalid='true']")).to_have_count(5)
    for label in ["Coalition or organisation", "Contact person", "Contact email"]:
        expect(page.get_by_label(label)).to_have_accessible_description("This field is required.")
    expect(page.get_by_label("Why does your city want to take part?")).to_have_accessible_description(
        re.compile(r"^A few sentences: .* This field is required\.$")
    )
    # The summary comes before the form in reading order; from it, Tab reaches its first link, and Enter on a link
    # puts the focus in that field.
    assert page.evaluate(
        "document.querySelector('[role=alert]').compareDocumentPosition(document.querySelector('#id_state'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    page.keyboard.press("Tab")
    expect(alert.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(state).to_be_focused()
    alert.get_by_role("link", name="Contact email – This field is required.").click()
    expect(page.get_by_label("Contact email")).to_be_focused()
