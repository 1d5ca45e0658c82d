"""Tests of the api app: the JSON API, the open-data downloads, the feeds and the sitemap. `fill(n)` makes `n` of
every public kind of row (and some private ones that must never show), with every relation a list row reads."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cities.enums import CityStatus
from cities.models import City
from events.enums import EventKind
from events.models import Speaker
from resources.enums import ResourceKind, ResourceStatus
from resources.models import Resource
from testimony.enums import Identification, Status
from tests.events import make_event
from tests.reports.factories import current_cycle, themes
from tests.testimony.factories import make_testimony
from tracking.enums import Level, TrackingStatus
from tracking.models import Office, StatusUpdate, TrackedItem
from upr.enums import Response
from upr.models import Milestone, Recommendation


def fill(n: int, *, prefix: str = "x") -> None:
    """`n` recommendations, cities, events, past webinars, milestones and public testimony, each with two themes
    (and speakers for events), published resources, and scorecard items (each city tracks its recommendation, with
    an office and an update); plus, per item, a testimony, a resource and an exploring city's scorecard item that are
    not public."""
    cycle = current_cycle()
    two = themes(2)
    speaker, _ = Speaker.objects.get_or_create(name="Dr. Speaker", organisation="Univ.")
    now = timezone.now()
    for i in range(n):
        rec = Recommendation.objects.create(
            cycle=cycle,
            document="A/HRC/99/1",
            paragraph=f"{ord(prefix[0])}.{i + 1}",
            text=f"Recommendation {prefix} {i}",
            recommending_states="Cuba" if i % 2 else "Norway",
            response=Response.SUPPORTED,
        )
        rec.themes.set(two)
        city = City.objects.create(
            name=f"City {prefix}{i}", state="PA", slug=f"city-{prefix}-{i}", status=CityStatus.PARTICIPATING
        )
        city.priorities.set(two)
        make_event(slug=f"event-{prefix}-{i}", host_city=city, themes=two, speakers=[speaker])
        make_event(
            slug=f"webinar-{prefix}-{i}",
            kind=EventKind.WEBINAR,
            starts_at=now - dt.timedelta(days=30 + i),
            themes=two,
            speakers=[speaker],
        )
        Milestone.objects.create(
            cycle=cycle,
            kind="briefing",
            title=f"M {prefix}{i}",
            date=dt.date(2026, 1, 1) + dt.timedelta(days=1000 * (ord(prefix[0]) - 96) + i),
        )
        make_testimony(city=city, cycle=cycle, themes=two, identification=Identification.FULL_NAME, display_name="Ana")
        make_testimony(city=city, status=Status.RECEIVED, body="Not yet reviewed words")
        resource = Resource.objects.create(
            title=f"Resource {prefix} {i}",
            slug=f"resource-{prefix}-{i}",
            kind=ResourceKind.GUIDE,
            cycle=cycle,
            languages=",en,",
            link=f"https://example.org/{prefix}/{i}",
            status=ResourceStatus.PUBLISHED,
        )
        resource.themes.set(two)
        office = Office.objects.create(city=city, name=f"Housing office {prefix}{i}", level=Level.CITY)
        item = TrackedItem.objects.create(city=city, recommendation=rec, level=Level.CITY, office=office)
        StatusUpdate.objects.create(
            item=item,
            status=TrackingStatus.IN_PROGRESS,
            what_changed=f"A plan {prefix}{i}.",
            observed_on=dt.date(2026, 1, 5),
        )
        exploring = City.objects.create(name=f"Exploring {prefix}{i}", state="OH", slug=f"exploring-{prefix}-{i}")
        hidden = TrackedItem.objects.create(city=exploring, recommendation=rec)  # not in the directory: never public
        StatusUpdate.objects.create(
            item=hidden,
            status=TrackingStatus.REGRESSED,
            what_changed="Zqexploringnote",
            observed_on=dt.date(2026, 1, 6),
        )
        Resource.objects.create(  # suggested by an organizer, not yet published: never public
            title=f"Suggestion {prefix} {i}",
            slug=f"suggestion-{prefix}-{i}",
            kind=ResourceKind.TEMPLATE,
            link="https://example.org/suggested",
            status=ResourceStatus.SUGGESTED,
        )
