"""Demo tracking for `load_demo`: two demo cities follow a handful of the real recommendations of the 2020 review.

The recommendations are the UN's (loaded from upr/data); the offices, the status updates, the evidence links and
the one office reply are invented for the demo and say so in their own words, so nobody mistakes them for an
assessment of the real cities. Idempotent: an item that already has a history is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cities.models import City
from tracking.enums import EvidenceKind, Level, ReplyDecision, TrackingStatus
from tracking.models import Evidence, Office, Reply, StatusUpdate, TrackedItem
from upr.models import Recommendation

DEMO_NOTE = "Demo data, invented for the demonstration: "
REVIEW_2020 = 3  # the cycle number of the United States' review of November 2020

# city slug -> offices (name, level) and items (paragraph, level, office index, [(status, days ago, what changed)])
DEMO = {
    "pittsburgh-pa": {
        "offices": [
            ("Housing office (demo)", Level.CITY),
            ("County health department (demo)", Level.COUNTY),
        ],
        "items": [
            (
                "26.286",
                Level.CITY,
                0,
                [
                    (TrackingStatus.NOT_STARTED, 400, "no city plan on homelessness named the review."),
                    (TrackingStatus.IN_PROGRESS, 200, "the council held a hearing and asked for a plan."),
                    (TrackingStatus.PARTLY_IMPLEMENTED, 40, "a plan was adopted; its shelter beds are not funded."),
                ],
            ),
            ("26.287", Level.CITY, 0, [(TrackingStatus.IN_PROGRESS, 120, "a first survey of affected blocks.")]),
            ("26.290", Level.COUNTY, 1, [(TrackingStatus.REGRESSED, 30, "a clinic closed on weekends.")]),
        ],
    },
    "seattle-wa": {
        "offices": [("Office for civil rights (demo)", Level.CITY)],
        "items": [
            ("26.111", Level.CITY, 0, [(TrackingStatus.IMPLEMENTED, 90, "an equity ordinance is in force.")]),
            ("26.286", Level.CITY, 0, [(TrackingStatus.IN_PROGRESS, 60, "a budget line was proposed.")]),
        ],
    },
}


def load_demo_tracking() -> int:
    """Track the demo recommendations in the demo cities (those present); returns how many items were created."""
    created = 0
    today = timezone.localdate()
    for slug, spec in DEMO.items():
        city = City.objects.filter(slug=slug).first()
        if city is None:
            continue
        offices = [
            Office.objects.get_or_create(
                city=city, name=name, defaults={"level": level, "contact_email": f"demo-{slug}@example.org"}
            )[0]
            for name, level in spec["offices"]
        ]
        for paragraph, level, office_index, history in spec["items"]:
            recommendation = Recommendation.objects.filter(cycle__number=REVIEW_2020, paragraph=paragraph).first()
            if recommendation is None:
                continue
            item, new = TrackedItem.objects.get_or_create(
                city=city, recommendation=recommendation, defaults={"level": level, "office": offices[office_index]}
            )
            created += int(new)
            if item.updates.exists():
                continue
            update = None
            for status, days_ago, text in history:
                update = StatusUpdate.objects.create(
                    item=item,
                    status=status,
                    what_changed=DEMO_NOTE + text,
                    observed_on=today - dt.timedelta(days=days_ago),
                )
            Evidence.objects.create(
                update=update, kind=EvidenceKind.LINK, title="Demo evidence link", url="https://example.org/demo"
            )
            if slug == "pittsburgh-pa" and paragraph == "26.286":
                Reply.objects.create(
                    update=update,
                    office=item.office,
                    sent_to=item.office.contact_email,
                    due_on=today + dt.timedelta(days=7),
                    decision=ReplyDecision.APPROVED,
                    answer=DEMO_NOTE + "the office says the beds are in next year's draft budget.",
                    answered_by_name="Demo official",
                    answered_at=timezone.now(),
                    decided_at=timezone.now(),
                )
    return created
