"""iCalendar (RFC 5545) files for events: one event's .ics, and feeds calendars can subscribe to.

Times are written in UTC, so every client shows the same instant as the event page (which shows it in the event's
own zone). The UID never changes and SEQUENCE follows `Event.sequence`, so clients update the entry they already
have when the schedule, place or status changes. The online join link is never written: it goes only to confirmed
registrants, and calendar files get forwarded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from events.enums import EventStatus
from events.models import Event

PRODID = "-//UPR Cities//Events//EN"

ICS_STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.HELD: "CONFIRMED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.CANCELLED: "CANCELLED",
}


def event_uid(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"event-{event.pk}@{host}"


def event_url(event: Event) -> str:
    return settings.SITE_URL + reverse("events:detail", kwargs={"slug": event.slug})


def _location(event: Event) -> str:
    if event.place:
        return event.place
    return "Online" if event.online_url else ""


def _vevent(event: Event, stamp: dt.datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.starts_at.astimezone(dt.UTC))
    vevent.add("dtend", event.ends_at.astimezone(dt.UTC))
    vevent.add("summary", event.title)
    url = event_url(event)
    description = event.description
    if event.status == EventStatus.POSTPONED:
        description = f"POSTPONED. {description}"
    elif event.status == EventStatus.CANCELLED:
        description = f"CANCELLED. {description}"
    vevent.add("description", f"{description}\n\n{url}")
    location = _location(event)
    if location:
        vevent.add("location", location)
    vevent.add("url", url)
    vevent.add("status", ICS_STATUS.get(event.status, "CONFIRMED"))
    vevent.add("last-modified", event.updated_at.astimezone(dt.UTC))
    return vevent


def _calendar(name: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    return cal


def event_ics(event: Event) -> bytes:
    """A VCALENDAR with this one event (for the page's download link and for emails)."""
    cal = _calendar()
    cal.add_component(_vevent(event, timezone.now().astimezone(dt.UTC)))
    return cal.to_ical()


def feed_ics(events: Iterable[Event], name: str = "UPR Cities events") -> bytes:
    cal = _calendar(name)
    stamp = timezone.now().astimezone(dt.UTC)
    for event in events:
        cal.add_component(_vevent(event, stamp))
    return cal.to_ical()
