"""The world of `make bench-http`, built in the throw-away database by bench/http_pages.py (run as a script with the
server's environment): tests/pages.py's page world (the demo data, a city in use, a joint national report) plus the
organizer pages at the sizes issue 19 names:

- Pittsburgh's moderation queue holds MODERATION (200) testimonies (150 received, 50 approved);
- Pittsburgh's local report (returned with comments, so editable) has QUOTES (30) quotes and RECOMMENDATIONS (20)
  recommendations;
- CITIES (50) more cities each with an accepted local report (bench/national.py's `make_accepted_report`), so the
  national dashboard lists 50 reports and the national report compiles to about 665 paragraphs (its admin page).

Prints one line of JSON: the pages to load (public, organizer, national team) and a session cookie for the
coordinator and one for the staff member (with two-factor authentication on), made with the test client's
force_login so no password or second factor goes over the wire.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

# bench/national.py's builders: its start() sees Django already set up and leaves this process's settings alone.
from bench.national import make_accepted_report  # noqa: E402
from national.compile import compile_report  # noqa: E402
from reports.enums import Level  # noqa: E402
from reports.models import Quote, ReportRecommendation  # noqa: E402
from testimony.enums import Status  # noqa: E402
from tests.pages import CITY, SUBMITTED_CITY, build_world  # noqa: E402
from tests.reports.factories import words  # noqa: E402
from tests.testimony.factories import make_testimony  # noqa: E402
from upr.models import Recommendation, ReviewCycle  # noqa: E402

MODERATION, QUOTES, RECOMMENDATIONS, CITIES = 200, 30, 20, 50


def make_user(email, password="correct horse battery", *, staff=False, verified=True, **extra):  # noqa: S107
    """tests/conftest.py's user_factory, outside pytest."""
    user = get_user_model().objects.create_user(email=email, password=password, is_staff=staff, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def main() -> None:
    with transaction.atomic():
        world = build_world(make_user)
        city = world.report.city
        # The moderation queue: MODERATION testimonies of the city, most waiting for a decision.
        have = city.testimonies.count() if hasattr(city, "testimonies") else 0
        for n in range(max(0, MODERATION - have)):
            make_testimony(
                city=city,
                title=f"Testimony {n}",
                body=words(60, 5_000 + n),
                status=Status.RECEIVED if n % 4 else Status.APPROVED,
                allows_local_report=True,
            )
        # The report editor: QUOTES quotes and RECOMMENDATIONS recommendations.
        report = world.report
        section_themes = [s.theme for s in report.sections.order_by("position")]
        for n in range(report.quotes.count(), QUOTES):
            quoted = make_testimony(city=city, body=words(40, 8_000 + n), allows_local_report=True)
            Quote.objects.create(report=report, testimony=quoted, theme=section_themes[n % len(section_themes)],
                                 position=n)  # fmt: skip
        levels = list(Level)
        for n in range(report.recommendations.count(), RECOMMENDATIONS):
            ReportRecommendation.objects.create(
                report=report, text=words(30, 9_000 + n), level=levels[n % len(levels)],
                theme=section_themes[n % len(section_themes)], position=n,
            )  # fmt: skip
        # CITIES accepted local reports, sharing official recommendations of the previous cycle as in
        # bench/national.py, then the national report compiled from them.
        cycle = ReviewCycle.objects.current()
        official = list(Recommendation.objects.filter(cycle__number=cycle.number - 1).order_by("pk")[:9])
        for index in range(1, CITIES + 1):
            make_accepted_report(index, cycle, official)
        compile_report(world.national_report)
        paragraphs = world.national_report.paragraphs.count()
    print(
        json.dumps(
            {
                "public": [
                    "/",
                    "/about-the-upr/",
                    "/cities/",
                    f"/cities/{CITY}/",
                    "/events/",
                    "/webinars/",
                    "/events/demo-preparing-local-reports-for-the-fourth-review/",
                    "/recommendations/",
                    "/recommendations/3/26.93/",
                    "/testimony/",
                    f"/testimony/{world.approved.pk}/",
                    f"/cities/{SUBMITTED_CITY}/report/",
                    "/cities/join/",
                ],
                "form": [f"/cities/{CITY}/testimony/new/"],
                "organizer": [f"/organize/{CITY}/testimony/", f"/organize/{CITY}/report/"],
                "staff": [
                    "/organize/national/",
                    f"/admin/national/nationalreport/{world.national_report.pk}/change/",
                ],
                "sizes": {
                    "moderation": city.testimonies.count() if hasattr(city, "testimonies") else None,
                    "quotes": report.quotes.count(),
                    "recommendations": report.recommendations.count(),
                    "accepted_reports": CITIES,
                    "national_paragraphs": paragraphs,
                },
                "organizer_cookie": session_cookie(world.coordinator),
                "staff_cookie": session_cookie(world.staff),
            }
        )
    )


if __name__ == "__main__":
    main()
