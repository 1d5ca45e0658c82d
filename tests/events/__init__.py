"""Tests of the events app. `make_event` builds an event with sensible defaults for the page tests."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

_numbers = itertools.count(1)


def make_event(**fields):
    from events.enums import EventKind
    from events.models import Event

    n = next(_numbers)
    starts = fields.pop("starts_at", timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=7))
    fields.setdefault("ends_at", starts + dt.timedelta(hours=2))
    fields.setdefault("kind", EventKind.COMMUNITY_CONVERSATION)
    fields.setdefault("title", f"Event {n}")
    fields.setdefault("slug", f"event-{n}")
    fields.setdefault("description", "What we will talk about.")
    fields.setdefault("place", "Carnegie Library, Pittsburgh")
    themes = fields.pop("themes", [])
    speakers = fields.pop("speakers", [])
    event = Event.objects.create(starts_at=starts, **fields)
    if themes:
        event.themes.set(themes)
    for position, speaker in enumerate(speakers):
        event.eventspeaker_set.create(speaker=speaker, position=position)
    return event
