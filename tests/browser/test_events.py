"""Events in a real browser: the webinar archive filtered and a recording watched, a registration confirmed from the
emailed link (join link and .ics), an organizer postponing an event and the registrant told, the registration form
by keyboard."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import icalendar
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import log_in, save_screenshot

EASTERN = zoneinfo.ZoneInfo("America/New_York")

HOUSING_SLUG = "local-and-global-strategies-for-advancing-the-human-right-to-housing"
GATHERING_TITLE = "Virtual Gathering on the Postponed UPR Review of the United States"
HOUSING_TITLE = "Local & Global Strategies for Advancing the Human Right to Housing"
RACISM_TITLE = "Building a Human Rights Cities Movement Against Structural Racism"
HOUSING_SPEAKERS = [
    "Julieta Perucca",
    "Brandon Johnson",
    "Daniel Joseph Wiley",
    "Crystal Jennings",
    "Timothy Franzen",
    "Alison Johnston",
]
RECORDING_URL = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
EMBED_URL = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
TRANSCRIPT = "Julieta Perucca: Housing is a human right, not a commodity.\n\nBrandon Johnson: In Birmingham we started"

WEBINAR_SLUG = "demo-preparing-local-reports-for-the-fourth-review"
WEBINAR_TITLE = "Preparing local reports for the fourth review (demo event)"
JOIN_URL = "https://meet.example.org/upr-cities-demo"

PITTSBURGH_SLUG = "demo-pittsburgh-community-conversation-on-housing"
PITTSBURGH_TITLE = "Community conversation on housing in Pittsburgh (demo event)"

CONFIRM_LINK = re.compile(r"http://\S+/events/registration/[^/\s]+/confirm/")
CANCEL_LINK = re.compile(r"http://\S+/events/registration/[^/\s]+/cancel/")
# The private link pages send "Referrer-Policy: same-origin" (portal.headers). With "no-referrer" a browser sends
# "Origin: null" with the pages' own confirm and cancel POSTs (Fetch standard), and Django's CSRF check refuses them
# with a 403: nobody could confirm or cancel from the emailed links. Django's test client sends no Origin header, so
# only a real browser shows it.
PRIVATE_PAGE_POST_BUG = (
    "The browser POSTed the private page's confirm or cancel form and CSRF refused it (403): the page's "
    "Referrer-Policy must be same-origin (portal.headers.private_link_page), never no-referrer"
)
# How far Tab may have to travel from the top of the event page to the registration form's first field.
MAX_TABS = 100


def exact(text: str) -> re.Pattern:
    """A label's or heading's whole text, whitespace around it ignored."""
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def required(label: str) -> re.Pattern:
    """A required field's label: its text and the asterisk the form template adds."""
    return re.compile(rf"^\s*{re.escape(label)}\*\s*$")


def no_external_player(page) -> None:
    """The recording's player is YouTube's page inside the iframe: answer it locally (tests use no network)."""
    page.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<title>Player</title><p>Player</p>"),
    )


def ics_event(attachment) -> icalendar.Event:
    """The one VEVENT of an email's .ics attachment (Django 6.1: an EmailAttachment with str content)."""
    assert attachment.filename.endswith(".ics")
    assert attachment.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(attachment.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def registration_page_shows_the_join_link(page) -> None:
    """A confirmed registrant's own page: the status and the online join link."""
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your registration: {WEBINAR_TITLE}")
    expect(page.locator("main .badge")).to_have_text(["Confirmed"])
    expect(page.get_by_role("link", name=JOIN_URL, exact=True)).to_have_attribute("href", JOIN_URL)


def check_youre_registered_email(message, registration, live_server) -> None:
    """The "you're registered" email: the join link, the private links, and the event as an .ics attachment."""
    event = registration.event
    assert message.subject == f"[UPR Cities] You're registered: {WEBINAR_TITLE}"
    assert message.to == [registration.email]
    assert f"Online join link (for you only, please do not share): {JOIN_URL}" in message.body
    assert f"{live_server.url}/events/registration/{registration.token}/\n" in message.body
    assert f"{live_server.url}/events/registration/{registration.token}/cancel/" in message.body
    assert len(message.attachments) == 1
    assert message.attachments[0].filename == f"{WEBINAR_SLUG}.ics"
    vevent = ics_event(message.attachments[0])
    assert str(vevent["SUMMARY"]) == WEBINAR_TITLE
    assert vevent.decoded("DTSTART") == event.starts_at == dt.datetime(2027, 1, 21, 19, 0, tzinfo=EASTERN)
    assert vevent.decoded("DTEND") == event.ends_at
    assert vevent["SEQUENCE"] == event.sequence == 0
    assert str(vevent["STATUS"]) == "CONFIRMED"
    # Calendar files get forwarded: the join link is never in them.
    assert "meet.example.org" not in message.attachments[0].content


def test_resident_filters_the_archive_and_watches_a_recording(live_server, page, demo_data, request):
    from events.models import Event

    Event.objects.filter(slug=HOUSING_SLUG).update(recording_url=RECORDING_URL, transcript=TRANSCRIPT)
    no_external_player(page)

    # The archive: the three 2020 webinars of the project page, newest first.
    page.goto(live_server.url + "/webinars/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Webinar archive")
    titles = page.locator("main article h2")
    expect(titles).to_have_text([RACISM_TITLE, HOUSING_TITLE, GATHERING_TITLE])
    expect(page.get_by_text(exact("3 webinars"))).to_be_visible()

    # Filter by theme with the form: only the housing webinar is left.
    filters = page.get_by_role("search", name="Filter webinars")
    filters.get_by_label("Theme").select_option(label="Housing and homelessness")
    filters.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url + "/webinars/?") + r".*\btheme=housing\b"))
    expect(titles).to_have_text([HOUSING_TITLE])
    expect(page.get_by_role("link", name=RACISM_TITLE)).to_have_count(0)
    expect(page.get_by_text(exact("1 webinar"))).to_be_visible()
    expect(page.locator("main article").first).to_contain_text("Recording · Transcript")
    expect(filters.get_by_label("Theme").locator("option:checked")).to_have_text("Housing and homelessness")
    assert save_screenshot(page, request, "archive").stat().st_size > 0

    # The webinar's page: the recording in a privacy-friendly player with a title, the transcript, the speakers.
    page.get_by_role("link", name=HOUSING_TITLE).click()
    expect(page).to_have_url(f"{live_server.url}/webinars/{HOUSING_SLUG}/")
    # The status badge is part of the heading.
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"^\s*{re.escape(HOUSING_TITLE)}\s+Held\s*$"))
    iframe = page.locator("main iframe")
    expect(iframe).to_have_count(1)
    expect(iframe).to_have_attribute("src", re.compile(rf"^{re.escape(EMBED_URL)}"))
    expect(iframe).to_have_attribute("title", f"Recording: {HOUSING_TITLE}")
    expect(page.get_by_role("link", name="Open the recording on its own site")).to_have_attribute("href", RECORDING_URL)

    details = page.locator("main details")
    expect(details).to_have_count(1)
    expect(details.locator("summary")).to_have_text("Read the transcript")
    transcript = details.get_by_text("Housing is a human right, not a commodity.", exact=False)
    expect(transcript).to_be_hidden()  # closed until opened
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    expect(transcript).to_be_visible()
    expect(details).to_contain_text("Brandon Johnson: In Birmingham we started")

    speakers = page.get_by_role("region", name="Speakers")
    expect(speakers.locator("li strong")).to_have_text(HOUSING_SPEAKERS)
    expect(speakers.locator("li").first).to_contain_text("Deputy Director, The Shift")
    expect(page.get_by_role("link", name="Webinar archive")).to_have_attribute("href", "/webinars/")
    assert save_screenshot(page, request, "webinar").stat().st_size > 0


def test_a_webinar_page_says_what_exists_and_where_the_rest_is(live_server, page, demo_data, request):
    from events.demo import PROJECT_PAGE

    page.goto(live_server.url + "/webinars/")
    card = page.locator("main article").filter(has=page.get_by_role("link", name=RACISM_TITLE))
    expect(card).to_contain_text("Recording and materials on wiki.humanrightscities.mayfirst.org")
    card.get_by_role("link", name=RACISM_TITLE).click()

    materials = page.get_by_role("region", name="Recording and materials")
    expect(materials.locator("dt")).to_have_text(["Recording", "Slides", "Transcript"])
    expect(materials.locator("dd")).to_have_text(["Not published on the portal."] * 3)
    expect(page.locator("main iframe")).to_have_count(0)
    elsewhere = materials.get_by_role("link", name="wiki.humanrightscities.mayfirst.org")
    expect(elsewhere).to_have_attribute("href", PROJECT_PAGE)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert save_screenshot(page, request, f"webinar-without-recording-{width}").stat().st_size > 0


def test_resident_registers_confirms_and_sees_the_join_link(live_server, page, demo_data, settings, request):
    from events.enums import RegistrationStatus
    from events.models import Event, Registration

    settings.SITE_URL = live_server.url
    event = Event.objects.get(slug=WEBINAR_SLUG)
    email = "maya@example.org"

    # The event page: no join link for someone who has not registered.
    page.goto(f"{live_server.url}/events/{WEBINAR_SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(WEBINAR_TITLE)
    expect(page.get_by_role("main")).to_contain_text("The link to join is sent to confirmed registrants.")
    assert "meet.example.org" not in page.content()
    panel = page.get_by_role("region", name="Register")
    expect(panel).to_contain_text("100 seats left.")
    assert save_screenshot(page, request, "event").stat().st_size > 0

    # Registers from the panel.
    panel.get_by_label(required("Your name")).fill("Maya Ortiz")
    panel.get_by_label(required("Your email")).fill(email)
    panel.get_by_label("Organisation (optional)").fill("Pittsburgh Human Rights Network")
    panel.get_by_role("checkbox", name="Live captions").check()
    panel.get_by_role("button", name="Register").click()

    expect(page).to_have_url(f"{live_server.url}/events/{WEBINAR_SLUG}/register/check-your-email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email to confirm")
    expect(page.get_by_role("main")).to_contain_text(f"We have sent you an email about “{WEBINAR_TITLE}”.")
    registration = Registration.objects.get()
    assert (registration.event, registration.name, registration.email, registration.organisation) == (
        event,
        "Maya Ortiz",
        email,
        "Pittsburgh Human Rights Network",
    )
    assert (registration.status, registration.access_needs, registration.language) == (
        RegistrationStatus.PENDING,
        ["captions"],
        "en",
    )

    # The email asking to confirm: the link, and no join link yet.
    assert len(mail.outbox) == 1
    request_email = mail.outbox[0]
    assert request_email.subject == f"[UPR Cities] Please confirm your registration: {WEBINAR_TITLE}"
    assert request_email.to == [email]
    assert "meet.example.org" not in request_email.body
    assert request_email.attachments == []
    links = CONFIRM_LINK.findall(request_email.body)
    assert links == [f"{live_server.url}/events/registration/{registration.token}/confirm/"], request_email.body

    # The link shows a Confirm button: opening it confirms nothing.
    page.goto(links[0])
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your registration")
    expect(page.get_by_role("main")).to_contain_text(f"the registration of {email} for “{WEBINAR_TITLE}”")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING
    page.get_by_role("button", name="Confirm", exact=True).click()

    # The registration's own page, with the join link.
    expect(page, "Confirm was refused: see PRIVATE_PAGE_POST_BUG").to_have_url(
        f"{live_server.url}/events/registration/{registration.token}/"
    )
    expect(page.get_by_role("status")).to_have_text("You're registered. We have emailed you the details.")
    registration_page_shows_the_join_link(page)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.confirmed_at is not None

    # The "you're registered" email: the join link and the event as an .ics attachment.
    assert len(mail.outbox) == 2
    check_youre_registered_email(mail.outbox[1], registration, live_server)


def test_confirmed_registrant_sees_the_join_link_and_gets_the_calendar_file(live_server, page, demo_data, settings):
    """What follows the Confirm button (confirmed as its POST does, events.services.confirm), while the button itself
    fails in a browser (PRIVATE_PAGE_POST_BUG): the registration page's join link, the email and its .ics."""
    from events import services
    from events.enums import RegistrationStatus
    from events.models import Event

    settings.SITE_URL = live_server.url
    event = Event.objects.get(slug=WEBINAR_SLUG)
    registration = services.register(event, name="Maya Ortiz", email="maya@example.org", access_needs=["captions"])
    assert registration.status == RegistrationStatus.PENDING

    # Before confirming, the registration page offers the Confirm button and no join link.
    page.goto(live_server.url + services.registration_url(registration))
    expect(page.locator("main .badge")).to_have_text(["Waiting for email confirmation"])
    expect(page.get_by_role("button", name="Confirm my registration")).to_be_visible()
    assert "meet.example.org" not in page.content()

    registration = services.confirm(registration)
    assert registration.status == RegistrationStatus.CONFIRMED
    page.goto(live_server.url + services.registration_url(registration))
    registration_page_shows_the_join_link(page)
    expect(page.get_by_role("button", name="Confirm my registration")).to_have_count(0)

    assert [m.subject for m in mail.outbox] == [
        f"[UPR Cities] Please confirm your registration: {WEBINAR_TITLE}",
        f"[UPR Cities] You're registered: {WEBINAR_TITLE}",
    ]
    check_youre_registered_email(mail.outbox[1], registration, live_server)


def test_registrant_cancels_from_the_emailed_link(live_server, page, demo_data, settings):
    from events import services
    from events.enums import RegistrationStatus
    from events.models import Event

    settings.SITE_URL = live_server.url
    event = Event.objects.get(slug=WEBINAR_SLUG)
    registration = services.confirm(services.register(event, name="Maya Ortiz", email="maya@example.org"))
    links = CANCEL_LINK.findall(mail.outbox[-1].body)
    assert links == [f"{live_server.url}/events/registration/{registration.token}/cancel/"]

    page.goto(links[0])
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your registration")
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page, "Cancelling was refused: see PRIVATE_PAGE_POST_BUG").to_have_url(
        f"{live_server.url}/events/registration/{registration.token}/"
    )
    expect(page.get_by_role("status")).to_have_text("Your registration is cancelled.")
    expect(page.locator("main .badge")).to_have_text(["Cancelled"])
    assert "meet.example.org" not in page.content()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_organizer_postpones_and_the_registrant_is_told(live_server, page, demo_data, user_factory, settings):
    from django.utils import timezone

    from cities.enums import Role
    from cities.models import City, Membership
    from events.enums import EventStatus, RegistrationStatus
    from events.models import Event, Registration

    settings.SITE_URL = live_server.url
    event = Event.objects.get(slug=PITTSBURGH_SLUG)
    assert (event.sequence, event.status) == (0, EventStatus.SCHEDULED)
    registration = Registration.objects.create(
        event=event,
        name="Lee Brown",
        email="lee@example.org",
        status=RegistrationStatus.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    coordinator = user_factory("coordinator@example.org", full_name="Alex Coordinator")
    Membership.objects.create(user=coordinator, city=City.objects.get(slug="pittsburgh-pa"), role=Role.COORDINATOR)
    log_in(page.context, live_server, coordinator)

    # The city's events; the confirmed registration is counted.
    page.goto(live_server.url + "/organize/pittsburgh-pa/events/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Events of Pittsburgh, PA")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=PITTSBURGH_TITLE, exact=True))
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell")).to_have_text(
        [
            "Community conversation",
            "01/30/2027 2 p.m. Eastern Time",
            "Scheduled",
            "1 / 40",
            re.compile(
                rf"^\s*Edit: {re.escape(PITTSBURGH_TITLE)}\s+· Registrations: {re.escape(PITTSBURGH_TITLE)}\s*$"
            ),
        ]
    )
    # The link's name is "Edit" and the (visually hidden) title; Chromium puts a space before the hidden part.
    row.get_by_role("link", name=re.compile(rf"^Edit ?: {re.escape(PITTSBURGH_TITLE)}$")).click()

    # The edit form shows the wall-clock times in the event's zone; a week later, and postponed.
    expect(page).to_have_url(f"{live_server.url}/organize/pittsburgh-pa/events/{event.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit “{PITTSBURGH_TITLE}”")
    starts, ends = page.get_by_label(required("Starts at")), page.get_by_label(required("Ends at"))
    expect(starts).to_have_value("2027-01-30T14:00")
    expect(ends).to_have_value("2027-01-30T16:00")
    starts.fill("2027-02-06T14:00")
    ends.fill("2027-02-06T16:00")
    page.get_by_label(required("Status")).select_option(label="Postponed")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(live_server.url + "/organize/pittsburgh-pa/events/")
    expect(page.get_by_role("status")).to_have_text(f"“{PITTSBURGH_TITLE}” was saved.")
    event.refresh_from_db()
    assert event.starts_at == dt.datetime(2027, 2, 6, 14, 0, tzinfo=EASTERN)
    assert event.ends_at == dt.datetime(2027, 2, 6, 16, 0, tzinfo=EASTERN)
    assert (event.status, event.sequence) == (EventStatus.POSTPONED, 1)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED

    # Exactly one change notice, to the registrant: old → new in the event's zone, and the updated .ics.
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.subject == f"[UPR Cities] Changed: {PITTSBURGH_TITLE}"
    assert notice.to == ["lee@example.org"]
    assert f"“{PITTSBURGH_TITLE}”, for which you registered, has changed:" in notice.body
    assert "- Starts at: Jan. 30, 2027, 2 p.m. → Feb. 6, 2027, 2 p.m. (Eastern Time)" in notice.body
    assert "- Ends at: Jan. 30, 2027, 4 p.m. → Feb. 6, 2027, 4 p.m. (Eastern Time)" in notice.body
    assert "- Status: Scheduled → Postponed" in notice.body
    assert "When: Feb. 6, 2027, 2 p.m. – 4 p.m. (Eastern Time)" in notice.body
    assert len(notice.attachments) == 1
    vevent = ics_event(notice.attachments[0])
    assert vevent["SEQUENCE"] == event.sequence == 1
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vevent.decoded("DTEND") == event.ends_at
    assert str(vevent["STATUS"]) == "TENTATIVE"
    assert str(vevent["UID"]).startswith(f"event-{event.pk}@")

    # The public page says so.
    page.goto(f"{live_server.url}/events/{PITTSBURGH_SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(rf"^\s*{re.escape(PITTSBURGH_TITLE)}\s+Postponed\s*$")
    )
    expect(page.locator("h1 .badge")).to_have_text("Postponed")
    expect(page.get_by_role("status")).to_have_text(
        "This event is postponed. The organizers will announce a new date; registrants will be told by email."
    )
    expect(page.locator("main time").first).to_have_attribute("datetime", "2027-02-06T14:00:00-05:00")


def test_registration_form_by_keyboard(live_server, page, demo_data):
    from events.enums import RegistrationStatus
    from events.models import Registration

    page.goto(f"{live_server.url}/events/{WEBINAR_SLUG}/")
    panel = page.get_by_role("region", name="Register")
    name = panel.get_by_label(required("Your name"))

    # Tab from the top of the page reaches the form's first field (the hidden honeypot is never a stop).
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_name":
            break
    else:
        raise AssertionError(f"The registration form was not reached in {MAX_TABS} presses of Tab")
    expect(name).to_be_focused()
    page.keyboard.type("Sam Lee")
    page.keyboard.press("Tab")
    expect(panel.get_by_label(required("Your email"))).to_be_focused()
    page.keyboard.type("sam@example.org")
    page.keyboard.press("Tab")
    expect(panel.get_by_label("Organisation (optional)")).to_be_focused()
    page.keyboard.press("Tab")
    expect(panel.get_by_label("Your city (optional)")).to_be_focused()
    page.keyboard.type("Pittsburgh")

    # The access needs: Tab to each box, Space ticks the ones wanted.
    page.keyboard.press("Tab")
    captions = panel.get_by_role("checkbox", name="Live captions")
    expect(captions).to_be_focused()
    page.keyboard.press("Space")
    expect(captions).to_be_checked()
    page.keyboard.press("Tab")
    asl = panel.get_by_role("checkbox", name="ASL interpretation")
    expect(asl).to_be_focused()
    page.keyboard.press("Space")
    expect(asl).to_be_checked()
    for label in ["Interpretation into another language", "Step-free access", "Something else (tell us below)"]:
        page.keyboard.press("Tab")
        expect(panel.get_by_role("checkbox", name=label)).to_be_focused()
        expect(panel.get_by_role("checkbox", name=label)).not_to_be_checked()
    page.keyboard.press("Tab")
    expect(panel.get_by_label("Access needs, in your words (optional)")).to_be_focused()
    page.keyboard.type("Seats near the front, please.")

    # Tab to the button and Enter sends the form.
    page.keyboard.press("Tab")
    expect(panel.get_by_role("button", name="Register")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/events/{WEBINAR_SLUG}/register/check-your-email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email to confirm")

    registration = Registration.objects.get()
    assert (registration.name, registration.email, registration.organisation, registration.city_name) == (
        "Sam Lee",
        "sam@example.org",
        "",
        "Pittsburgh",
    )
    assert (registration.status, registration.access_needs, registration.access_note) == (
        RegistrationStatus.PENDING,
        ["captions", "asl"],
        "Seats near the front, please.",
    )
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]
