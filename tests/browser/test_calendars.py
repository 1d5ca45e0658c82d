"""Calendars and seats in a real browser: after confirming, the registration page offers the event's .ics; the seats
left on the (cached) event page follow the confirmation at once; the events list, a city page and a theme filter
offer webcal subscriptions to their feeds; times name their zone as people say it, in English and Spanish."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import save_screenshot

PITTSBURGH_SLUG = "demo-pittsburgh-community-conversation-on-housing"
PITTSBURGH_TITLE = "Community conversation on housing in Pittsburgh (demo event)"
CONFIRM_LINK = re.compile(r"http://\S+/events/registration/[^/\s]+/confirm/")


def test_confirming_offers_the_calendar_file_and_the_seats_left_follow_at_once(
    live_server, page, demo_data, settings, request
):
    from events.models import Registration

    settings.SITE_URL = live_server.url
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60  # as in production: anonymous pages come from the page cache
    event_url = f"{live_server.url}/events/{PITTSBURGH_SLUG}/"

    page.goto(event_url)
    panel = page.get_by_role("region", name="Register")
    expect(panel).to_contain_text("40 seats left.")
    expect(page.locator("main dl").first).to_contain_text("Jan. 30, 2027, 2 p.m.–4 p.m. (Eastern Time)")
    panel.get_by_label(re.compile(r"^\s*Your name\*\s*$")).fill("Maya Ortiz")
    panel.get_by_label(re.compile(r"^\s*Your email\*\s*$")).fill("maya@example.org")
    panel.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email to confirm")

    # A pending registration holds no seat: the cached page is still right.
    page.goto(event_url)
    expect(page.get_by_role("region", name="Register")).to_contain_text("40 seats left.")

    [link] = CONFIRM_LINK.findall(mail.outbox[-1].body)
    page.goto(link)
    page.get_by_role("button", name="Confirm", exact=True).click()
    registration = Registration.objects.get()
    expect(page).to_have_url(f"{live_server.url}/events/registration/{registration.token}/")
    expect(page.get_by_role("status")).to_have_text("You're registered. We have emailed you the details.")

    # The confirmed page offers the calendar file, the one the email attaches.
    card = page.get_by_role("region", name="Add it to your calendar")
    add = card.get_by_role("link", name="Add to calendar (.ics)")
    expect(add).to_have_attribute("href", f"/events/{PITTSBURGH_SLUG}/calendar.ics")
    with page.expect_download() as download:
        add.click()
    assert download.value.suggested_filename == f"{PITTSBURGH_SLUG}.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == PITTSBURGH_TITLE
    assert str(vevent["UID"]) == f"event-{registration.event_id}@{urlsplit(live_server.url).hostname}"
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert save_screenshot(page, request, f"confirmed-{width}").stat().st_size > 0

    # Back on the event page (from the cache for everything else): the seat is counted at once.
    page.goto(event_url)
    expect(page.get_by_role("region", name="Register")).to_contain_text("39 seats left.")
    expect(page.locator("main dl").first).to_contain_text("40 places, 39 left")


def test_the_feeds_are_offered_where_people_look_for_them(live_server, page, demo_data, settings, request):
    settings.SITE_URL = live_server.url
    host = urlsplit(live_server.url).netloc

    page.goto(live_server.url + "/events/")
    feeds = page.get_by_role("region", name="Follow the events in your calendar")
    expect(feeds.get_by_role("link")).to_have_text(["Subscribe to every event"])
    expect(feeds.get_by_role("link")).to_have_attribute("href", f"webcal://{host}/events/feed.ics")

    # Filtered by a city and a theme: their own feeds come first.
    filters = page.get_by_role("search", name="Filter events")
    filters.get_by_label("Host city").select_option(label="Pittsburgh, PA")
    filters.get_by_label("Theme").select_option(label="Housing and homelessness")
    filters.get_by_role("button", name="Filter").click()
    expect(feeds.get_by_role("link")).to_have_text(
        [
            "Subscribe to the events in Pittsburgh",
            "Subscribe to the events on Housing and homelessness",
            "Subscribe to every event",
        ]
    )
    city_feed = feeds.get_by_role("link", name="Subscribe to the events in Pittsburgh")
    expect(city_feed).to_have_attribute("href", f"webcal://{host}/events/feed/city/pittsburgh-pa.ics")
    # For apps that add a calendar by its address: the plain address, ready to copy.
    feeds.locator("summary").click()
    address = feeds.get_by_label("Subscribe to the events in Pittsburgh")
    expect(address).to_have_value(f"{live_server.url}/events/feed/city/pittsburgh-pa.ics")
    answer = page.request.get(address.input_value())
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    assert [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(answer.body()).walk("VEVENT")] == [PITTSBURGH_TITLE]
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert save_screenshot(page, request, f"events-feeds-{width}").stat().st_size > 0

    # The city page, where its events are listed.
    page.goto(live_server.url + "/cities/pittsburgh-pa/")
    events = page.get_by_role("region", name="Events")
    expect(events.get_by_role("link", name="Subscribe to the events in Pittsburgh")).to_have_attribute(
        "href", f"webcal://{host}/events/feed/city/pittsburgh-pa.ics"
    )

    # The webinar archive filtered by a theme.
    page.goto(live_server.url + "/webinars/?theme=housing")
    expect(page.get_by_role("link", name="Subscribe to the events on Housing and homelessness")).to_have_attribute(
        "href", f"webcal://{host}/events/feed/theme/housing.ics"
    )


def test_times_name_their_zone_in_spanish(live_server, page, demo_data):
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    page.goto(f"{live_server.url}/events/{PITTSBURGH_SLUG}/")
    expect(page.locator("main .event-when")).to_contain_text("(hora del Este)")
    page.goto(live_server.url + "/events/")
    expect(page.get_by_role("region", name="Siga los eventos en su calendario").get_by_role("link")).to_have_text(
        ["Suscribirse a todos los eventos"]
    )
