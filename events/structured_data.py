"""schema.org `Event` data for an event's page (JSON-LD), so search engines and calendars read its date, place
and status. The online join link goes to registrants only: the data points at the event's page instead."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.html import _json_script_escapes  # the escaping json_script uses, for a <script> of another type
from django.utils.safestring import SafeString, mark_safe

from events.enums import EventStatus
from events.models import Event, EventSpeaker

STATUS = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.HELD: "https://schema.org/EventScheduled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
}


def event_json_ld(event: Event, speakers: list[EventSpeaker], url: str) -> dict:
    online, in_person = bool(event.online_url), bool(event.place)
    locations: list[dict] = []
    if in_person:
        locations.append({"@type": "Place", "name": event.place, "address": event.place})
    if online:
        locations.append({"@type": "VirtualLocation", "url": url})
    mode = "Mixed" if online and in_person else "Online" if online else "Offline"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description,
        "startDate": event.starts_at.isoformat(),
        "endDate": event.ends_at.isoformat(),
        "eventStatus": STATUS.get(event.status, STATUS[EventStatus.SCHEDULED]),
        "eventAttendanceMode": f"https://schema.org/{mode}EventAttendanceMode",
        "url": url,
        "organizer": {"@type": "Organization", "name": "UPR Cities", "url": settings.SITE_URL + "/"},
    }
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if speakers:
        data["performer"] = [{"@type": "Person", "name": link.speaker.name} for link in speakers]
    if event.recording_url:
        data["recordedIn"] = {"@type": "VideoObject", "name": event.title, "contentUrl": event.recording_url}
    return data


def json_ld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> element holding `data`, escaped as json_script escapes."""
    text = json.dumps(data, ensure_ascii=False).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above
