from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from events.enums import EventStatus
from events.models import Event


def events_held_count() -> int:
    return Event.objects.held().count()


def held_counts(cities) -> dict[int, int]:
    """Events each city has hosted and held: one query for any number of cities."""
    rows = (
        Event.objects.filter(host_city__in=cities, status=EventStatus.HELD)
        .values("host_city")
        .annotate(n=Count("id"))
        .values_list("host_city", "n")
    )
    return dict(rows)


def upcoming_counts(cities) -> dict[int, int]:
    rows = (
        Event.objects.filter(host_city__in=cities, ends_at__gte=timezone.now())
        .exclude(status=EventStatus.CANCELLED)
        .values("host_city")
        .annotate(n=Count("id"))
        .values_list("host_city", "n")
    )
    return dict(rows)


def city_events(city) -> tuple[list[Event], list[Event]]:
    """(upcoming, past) public events hosted by the city; cancelled events are not listed."""
    now = timezone.now()
    events = list(Event.objects.filter(host_city=city).filter(~Q(status=EventStatus.CANCELLED)).order_by("starts_at"))
    upcoming = [e for e in events if e.ends_at >= now]
    past = [e for e in reversed(events) if e.ends_at < now]
    return upcoming, past
