"""iCalendar files and feeds (RFC 5545): parsed back with icalendar, times across a DST change, no join links."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.utils import timezone

from events.calendar import event_ics, feed_ics
from events.enums import EventStatus
from tests.events import make_event
from upr.models import Theme

pytestmark = pytest.mark.django_db

LA = zoneinfo.ZoneInfo("America/Los_Angeles")


def only_event(content: bytes) -> icalendar.Event:
    cal = icalendar.Calendar.from_ical(content)
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_event_ics_is_a_published_calendar_with_one_event(settings):
    settings.SITE_URL = "https://uprcities.example.org"
    event = make_event(
        title="Community conversation", place="Hill District library", online_url="https://zoom.example/j/secret"
    )
    content = event_ics(event)
    assert isinstance(content, bytes)
    cal = icalendar.Calendar.from_ical(content)
    assert cal["VERSION"] == "2.0"
    assert cal["METHOD"] == "PUBLISH"
    assert cal["PRODID"]
    vevent = only_event(content)
    assert str(vevent["UID"]) == f"event-{event.pk}@uprcities.example.org"
    assert vevent["SEQUENCE"] == 0
    assert str(vevent["SUMMARY"]) == "Community conversation"
    assert str(vevent["LOCATION"]) == "Hill District library"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["URL"]) == f"https://uprcities.example.org/events/{event.slug}/"
    assert "What we will talk about." in str(vevent["DESCRIPTION"])
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vevent.decoded("DTEND") == event.ends_at
    stamp = vevent.decoded("DTSTAMP")
    assert stamp.utcoffset() == dt.timedelta(0)
    assert abs(stamp - timezone.now()) < dt.timedelta(minutes=1)
    assert b"secret" not in content and b"zoom.example" not in content
    assert b"\r\n" in content  # RFC 5545 line endings


def test_uid_is_stable_and_sequence_follows_the_event():
    event = make_event()
    first = only_event(event_ics(event))
    event.title = "A new title"
    event.sequence = 3
    event.starts_at += dt.timedelta(days=1)
    event.ends_at += dt.timedelta(days=1)
    event.save()
    event.refresh_from_db()
    second = only_event(event_ics(event))
    assert second["UID"] == first["UID"]
    assert second["SEQUENCE"] == 3 == event.sequence
    assert str(second["SUMMARY"]) == "A new title"


@pytest.mark.parametrize(
    ("day", "utc_hour", "zone_abbr"),
    [(dt.date(2026, 3, 7), 18, "PST"), (dt.date(2026, 3, 8), 17, "PDT")],  # clocks go forward on 8 March 2026
)
@pytest.mark.parametrize("viewer_zone", ["America/New_York", "Europe/Berlin", "Asia/Tokyo"])
def test_ics_time_equals_page_time_across_dst(client, settings, day, utc_hour, zone_abbr, viewer_zone):
    """10:00 in Los Angeles, on each side of the DST change, whatever the server's or viewer's zone."""
    settings.TIME_ZONE = viewer_zone
    starts = dt.datetime.combine(day, dt.time(10, 0), tzinfo=LA)
    event = make_event(starts_at=starts, ends_at=starts + dt.timedelta(hours=1), time_zone="America/Los_Angeles")
    with timezone.override(viewer_zone):
        vevent = only_event(client.get(f"/events/{event.slug}/calendar.ics").content)
        page = client.get(f"/events/{event.slug}/").text
    ics_start = vevent.decoded("DTSTART")
    assert ics_start == dt.datetime.combine(day, dt.time(utc_hour, 0), tzinfo=dt.UTC)
    assert ics_start == starts
    local = ics_start.astimezone(LA)
    assert (local.hour, local.minute) == (10, 0)
    offset = "-08:00" if zone_abbr == "PST" else "-07:00"
    assert f'<time datetime="{day.isoformat()}T10:00:00{offset}"' in page
    assert f"{day.strftime('%B')} {day.day}, 2026, 10 a.m." in page
    # The zone as people say it on both sides of the change; the offset above tells PST from PDT.
    assert "(Pacific Time)" in page


@pytest.mark.parametrize(
    ("status", "ics_status"),
    [
        (EventStatus.SCHEDULED, "CONFIRMED"),
        (EventStatus.POSTPONED, "TENTATIVE"),
        (EventStatus.CANCELLED, "CANCELLED"),
        (EventStatus.HELD, "CONFIRMED"),
    ],
)
def test_status(status, ics_status):
    vevent = only_event(event_ics(make_event(status=status)))
    assert str(vevent["STATUS"]) == ics_status


def test_online_event_location_never_holds_the_join_link():
    event = make_event(place="", online_url="https://zoom.example/j/secret-room?pwd=xyz")
    content = event_ics(event)
    assert str(only_event(content)["LOCATION"]) == "Online"
    assert b"secret-room" not in content and b"pwd" not in content


def test_event_ics_view(client):
    event = make_event()
    response = client.get(f"/events/{event.slug}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    assert only_event(response.content)["UID"] == f"event-{event.pk}@127.0.0.1"
    assert client.get("/events/nope/calendar.ics").status_code == 404


def test_feeds(client, city_factory):
    housing = Theme.objects.create(slug="housing", name="Housing", name_es="Vivienda")
    pittsburgh, boston = city_factory(), city_factory("Boston", "MA")
    a = make_event(host_city=pittsburgh, online_url="https://zoom.example/j/one", themes=[housing])
    b = make_event(host_city=boston, status=EventStatus.CANCELLED, online_url="https://zoom.example/j/two")
    c = make_event(starts_at=timezone.now() - dt.timedelta(days=400), status=EventStatus.HELD)

    def uids(url):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert b"zoom.example" not in response.content
        cal = icalendar.Calendar.from_ical(response.content)
        assert cal["METHOD"] == "PUBLISH"
        return {str(e["UID"]): e for e in cal.walk("VEVENT")}

    everything = uids("/events/feed.ics")
    assert set(everything) == {f"event-{a.pk}@127.0.0.1", f"event-{b.pk}@127.0.0.1"}  # long past events dropped
    assert f"event-{c.pk}@127.0.0.1" not in everything
    assert str(everything[f"event-{b.pk}@127.0.0.1"]["STATUS"]) == "CANCELLED"
    assert set(uids("/events/feed/city/boston-ma.ics")) == {f"event-{b.pk}@127.0.0.1"}
    assert set(uids("/events/feed/theme/housing.ics")) == {f"event-{a.pk}@127.0.0.1"}
    assert client.get("/events/feed/city/nowhere-xx.ics").status_code == 404
    assert client.get("/events/feed/theme/nothing.ics").status_code == 404


def test_feed_ics_of_many_events_and_none():
    events = [make_event() for _ in range(3)]
    cal = icalendar.Calendar.from_ical(feed_ics(events))
    assert len(cal.walk("VEVENT")) == 3
    empty = icalendar.Calendar.from_ical(feed_ics([]))
    assert empty.walk("VEVENT") == []
