from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from events.enums import EventKind, EventStatus, RegistrationStatus
from events.models import Delegate, Event, EventSpeaker, Registration
from events.zones import zone_name


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


def events_hosted_by(city) -> QuerySet[Event]:
    """Every event the city hosted or will host, cancelled ones included, latest first: what testimony can have
    been collected at."""
    return Event.objects.filter(host_city=city).order_by("-starts_at", "pk")


def city_events(city) -> tuple[list[Event], list[Event]]:
    """(upcoming, past) public events hosted by the city; cancelled events are not listed."""
    now = timezone.now()
    events = list(
        Event.objects.filter(host_city=city).filter(~Q(status=EventStatus.CANCELLED)).order_by("starts_at", "pk")
    )
    upcoming = [e for e in events if e.ends_at >= now]
    past = [e for e in reversed(events) if e.ends_at < now]
    return upcoming, past


def city_events_panel(city) -> dict:
    """The context of the city page's "events" panel: what is coming and the ten latest held."""
    upcoming, past = city_events(city)
    return {"upcoming": upcoming, "past": past[:10]}


# --- Public pages -----------------------------------------------------------------------------------------

ONLINE = "online"
IN_PERSON = "in_person"


def _with_listing_relations(events: QuerySet[Event]) -> QuerySet[Event]:
    """Everything a list row shows, in a fixed number of queries whatever the number of events."""
    return events.select_related("host_city").prefetch_related(
        "themes",
        Prefetch("eventspeaker_set", queryset=EventSpeaker.objects.select_related("speaker").order_by("position")),
    )


def upcoming_events(*, kind: str = "", theme=None, city=None, mode: str = "") -> QuerySet[Event]:
    """Public upcoming events (not cancelled), soonest first, filtered."""
    events = Event.objects.upcoming()
    if kind:
        events = events.filter(kind=kind)
    if theme is not None:
        events = events.filter(themes=theme)
    if city is not None:
        events = events.filter(host_city=city)
    if mode == ONLINE:
        events = events.exclude(online_url="")
    elif mode == IN_PERSON:
        events = events.exclude(place="")
    return _with_listing_relations(events)


def public_events(
    *, kind: str = "", theme=None, city=None, status: str = "", mode: str = "", starts_after=None, starts_before=None
) -> QuerySet[Event]:
    """Every event, as its public page shows it (each has one, cancelled ones included, which say so), soonest
    first, filtered; with everything a list row shows loaded. The join link is never part of a public surface."""
    events = Event.objects.all()
    if kind:
        events = events.filter(kind=kind)
    if theme is not None:
        events = events.filter(themes=theme)
    if city is not None:
        events = events.filter(host_city=city)
    if status:
        events = events.filter(status=status)
    if mode == ONLINE:
        events = events.exclude(online_url="")
    elif mode == IN_PERSON:
        events = events.exclude(place="")
    if starts_after is not None:
        events = events.filter(starts_at__gte=starts_after)
    if starts_before is not None:
        events = events.filter(starts_at__lt=starts_before)
    return _with_listing_relations(events.order_by("starts_at", "pk"))


def searchable_events() -> QuerySet[Event]:
    """Every event a search should find: upcoming and past, webinars and meetings, lobby days and trainings alike
    (each has a public page, which keeps its description and, once held, its recording). Cancelled ones are left
    out: their page says so, but nobody searching wants them among the results."""
    return public_events().exclude(status=EventStatus.CANCELLED)


def archived_webinars() -> QuerySet[Event]:
    """Past webinars: ended and not cancelled (held, or scheduled ones nobody has marked held yet)."""
    return (
        Event.objects.filter(kind=EventKind.WEBINAR, ends_at__lt=timezone.now())
        .exclude(status=EventStatus.CANCELLED)
        .order_by("-starts_at", "-pk")
    )


def webinar_archive(*, theme=None, year: int | None = None, speaker: str = "") -> QuerySet[Event]:
    """The webinar archive, newest first; `speaker` is a speaker id or part of a name."""
    events = archived_webinars()
    if theme is not None:
        events = events.filter(themes=theme)
    if year:
        events = events.filter(starts_at__year=year)
    speaker = (speaker or "").strip()
    if speaker.isdigit():
        events = events.filter(speakers__id=int(speaker))
    elif speaker:
        events = events.filter(speakers__name__icontains=speaker)
    if speaker:
        events = events.distinct()
    return _with_listing_relations(events)


def archive_years() -> list[int]:
    return sorted({d.year for d in archived_webinars().dates("starts_at", "year")}, reverse=True)


def public_event(slug: str) -> Event:
    event = Event.objects.select_related("host_city").filter(slug=slug).first()
    if event is None:
        raise Http404("No such event")
    return event


def event_speakers(event: Event) -> list[EventSpeaker]:
    return list(EventSpeaker.objects.filter(event=event).select_related("speaker").order_by("position", "id"))


def seats_taken(event: Event) -> int:
    """Confirmed registrations (the waiting list and unconfirmed ones hold no seat): one query."""
    return Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()


def event_page_scope(slug: str) -> str:
    """The page-cache scope of an event's pages (portal.cache): what only they show, the seats left, follows it."""
    return f"event:{slug}"


def registration_page_scope(registration: Registration) -> str | None:
    """The scope of the pages a registration changes: its event's (None once the event itself is gone, whose
    deletion makes every page stale anyway)."""
    slug: str | None
    if Registration._meta.get_field("event").is_cached(registration):
        slug = registration.event.slug
    else:
        slug = Event.objects.filter(pk=registration.event_id).values_list("slug", flat=True).first()
    return event_page_scope(slug) if slug else None


def seats_left(event: Event) -> int | None:
    """Seats still free (never below 0); None when there is no limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - seats_taken(event), 0)


def event_over_reason(event: Event, now: dt.datetime) -> str | None:
    if event.status == EventStatus.CANCELLED:
        return str(_("This event was cancelled, so registration is closed."))
    if event.status == EventStatus.HELD or event.ends_at < now:
        return str(_("This event has already taken place, so registration is closed."))
    return None


def registration_closed_reason(event: Event, *, now: dt.datetime | None = None) -> str | None:
    """Why nobody can register for the event now (a sentence for the visitor), or None when registration is open."""
    now = now or timezone.now()
    over = event_over_reason(event, now)
    if over:
        return over
    if event.registration_opens_at and event.registration_opens_at > now:
        opens = timezone.localtime(event.registration_opens_at, timezone=event.zone)
        return str(_("Registration opens on %(date)s (%(zone)s).")) % {
            "date": formats.date_format(opens, "DATETIME_FORMAT"),
            "zone": zone_name(event.time_zone),
        }
    if event.registration_closes_at and event.registration_closes_at <= now:
        return str(_("Registration for this event has closed."))
    return None


def registration_is_open(event: Event, now: dt.datetime | None = None) -> bool:
    """Whether the event takes registrations now (registration_closed_reason gives none): the page's form and the
    service that registers apply the same rule, so they agree at every minute, the closing one included."""
    return registration_closed_reason(event, now=now) is None


def calendar_feed_events(*, city=None, theme=None) -> QuerySet[Event]:
    """What a subscribed calendar receives: events from 30 days ago on, cancelled ones too (so they disappear)."""
    events = Event.objects.filter(ends_at__gte=timezone.now() - dt.timedelta(days=30))
    if city is not None:
        events = events.filter(host_city=city)
    if theme is not None:
        events = events.filter(themes=theme)
    return events.select_related("host_city").order_by("starts_at", "pk")[:500]


# --- Organizer pages --------------------------------------------------------------------------------------


def organizer_events(city) -> QuerySet[Event]:
    """The city's own events, newest first, with their confirmed registrations counted."""
    return Event.objects.filter(host_city=city).annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED))
    )


def open_lobby_days() -> QuerySet[Event]:
    """National lobby days every city may nominate delegates for."""
    return Event.objects.upcoming().filter(kind=EventKind.LOBBY_DAY).select_related("host_city")


def city_delegates(city, event: Event) -> QuerySet[Delegate]:
    return Delegate.objects.filter(city=city, event=event).select_related("nominated_by").order_by("name")
