"""Tracking rows of a chosen size for tests: official recommendations on real Theme rows, tracked items with a
history of updates, evidence and replies.

    items = make_tracked(city, count=300, updates_each=10)
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from cities.models import City
from tests.reports.factories import current_cycle, themes
from tracking.enums import EvidenceKind, Level, ReplyDecision, TrackingStatus
from tracking.models import Evidence, Office, Reply, StatusUpdate, TrackedItem
from upr.enums import Response
from upr.models import Recommendation

STATUSES = list(TrackingStatus)


def make_recommendations(count: int, *, theme_count: int = 3, start: int = 1) -> list[Recommendation]:
    """`count` official recommendations of the current cycle, paragraphs 26.<start>..., themes in turn."""
    cycle = current_cycle()
    theme_rows = themes(theme_count)
    made = []
    for n in range(start, start + count):
        rec, _created = Recommendation.objects.get_or_create(
            cycle=cycle,
            paragraph=f"26.{n}",
            defaults={
                "document": "A/HRC/46/15",
                "text": f"Ensure the right to adequate housing, recommendation {n}.",
                "recommending_states": "Namibia" if n % 2 else "Portugal",
                "response": Response.SUPPORTED if n % 3 else Response.NOTED,
            },
        )
        rec.themes.set([theme_rows[n % len(theme_rows)]])
        made.append(rec)
    return made


def make_office(city: City, name: str = "Housing Authority", **fields) -> Office:
    fields.setdefault("level", Level.CITY)
    fields.setdefault("contact_email", "housing@city.example.org")
    return Office.objects.create(city=city, name=name, **fields)


def make_tracked(
    city: City,
    *,
    count: int = 3,
    updates_each: int = 1,
    office: Office | None = None,
    evidence: bool = True,
    start: int = 1,
    by=None,
) -> list[TrackedItem]:
    """`count` tracked official recommendations of `city`, each with `updates_each` updates (each with a link and a
    public document when `evidence`) and a reply asked on the last (approved on every other item)."""
    office = office or Office.objects.filter(city=city).first() or make_office(city)
    items = []
    today = dt.date(2026, 6, 1)
    for index, rec in enumerate(make_recommendations(count, start=start)):
        item = TrackedItem.objects.create(city=city, recommendation=rec, level=Level.CITY, office=office, added_by=by)
        update = None
        for u in range(updates_each):
            update = StatusUpdate.objects.create(
                item=item,
                status=STATUSES[(index + u) % len(STATUSES)],
                what_changed=f"Step {u} on item {index}.",
                observed_on=today - dt.timedelta(days=updates_each - u),
                recorded_by=by,
            )
            if evidence:
                Evidence.objects.create(
                    update=update, kind=EvidenceKind.LINK, title="Minutes", url="https://example.org/m"
                )
                doc = Evidence(update=update, kind=EvidenceKind.DOCUMENT, title="Letter", is_public=True)
                doc.document.save("letter.pdf", ContentFile(b"%PDF-1.4 letter"), save=True)
        if update is not None:
            approved = index % 2 == 0
            Reply.objects.create(
                update=update,
                office=office,
                sent_to=office.contact_email,
                due_on=today + dt.timedelta(days=21),
                decision=ReplyDecision.APPROVED if approved else ReplyDecision.WAITING,
                answer="We are working on it." if approved else "",
                answered_by_name="Director" if approved else "",
                answered_at=dt.datetime(2026, 6, 2, tzinfo=dt.UTC) if approved else None,
            )
        items.append(item)
    return items
