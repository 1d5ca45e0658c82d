"""Tracking benchmark: the scorecards, the board and the mid-term report at the sizes the Clamor issue names, in one
process.

Run with `make bench-tracking`. Loads the real review data (575 recommendations of 2010 and 2020), then:

- one city tracking all 575 recommendations with 10 status updates each (a link on every update, an approved
  reply on the last one of every other item): its public scorecard, its organizers' board (signed in) and its
  CSV;
- 50 cities tracking 20 recommendations each, with 3 updates each: the network grid and its CSV;
- page throughput of each, as a ratio of the same no-database baseline as `make bench` (a small template), both
  measured with Django's test client in this process, the page cache off (every request renders);
- the mid-term report compiled from all of it (the 575 recommendations and the 50 cities' 20), rendered to PDF
  through the pipeline (`rendering.request_render`, Celery eager) against WeasyPrint alone on the same final
  HTML, alternating which goes first, as `make bench-reports` does; the render times and their ratio.

Uses a throw-away SQLite database in a temporary folder, or the PostgreSQL database named by BENCH_DATABASE_URL
(an empty throw-away one). Prints a table; the last line of stdout is the same figures as one line of JSON.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchenv import start  # noqa: E402

VAR_DIR = start("tracking")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402

from accounts.models import User  # noqa: E402
from cities.enums import CityStatus, Role  # noqa: E402
from cities.models import City, Membership  # noqa: E402
from national.midterm import compile_midterm  # noqa: E402
from national.models import MidtermReport  # noqa: E402
from reports import rendering  # noqa: E402
from reports.enums import RenderStatus  # noqa: E402
from reports.models import Render  # noqa: E402
from tracking.enums import EvidenceKind, Level, ReplyDecision, TrackingStatus  # noqa: E402
from tracking.models import Evidence, Office, Reply, StatusUpdate, TrackedItem  # noqa: E402
from upr.loaders import load_review_data  # noqa: E402
from upr.models import Recommendation, ReviewCycle  # noqa: E402

BASELINE_TEMPLATE = engines["django"].from_string("<!DOCTYPE html><html><body><h1>{{ title }}</h1></body></html>")
STATUSES = list(TrackingStatus)
PDF_UA = "pdf/ua-1"


def baseline(request):
    return HttpResponse(BASELINE_TEMPLATE.render({"title": "baseline"}))


urlpatterns = [path("bench-baseline/", baseline), path("", include("uprcities.urls"))]


def track(city: City, recommendations: list[Recommendation], updates_each: int, office: Office) -> None:
    """Items, updates, a link on every update and a reply on every other item's last update, in bulk."""
    items = TrackedItem.objects.bulk_create(
        [TrackedItem(city=city, recommendation=rec, level=Level.CITY, office=office) for rec in recommendations]
    )
    day = dt.date(2026, 6, 1)
    updates = StatusUpdate.objects.bulk_create(
        [
            StatusUpdate(
                item=item,
                status=STATUSES[(i + u) % len(STATUSES)],
                what_changed=f"Step {u + 1}: the office published a plan and a budget line for item {i}.",
                observed_on=day - dt.timedelta(days=10 * (updates_each - u)),
            )
            for i, item in enumerate(items)
            for u in range(updates_each)
        ]
    )
    Evidence.objects.bulk_create(
        [
            Evidence(
                update=u, kind=EvidenceKind.LINK, title="Council minutes", url="https://example.org/m", is_public=True
            )
            for u in updates
        ]
    )
    last = updates[updates_each - 1 :: updates_each]
    Reply.objects.bulk_create(
        [
            Reply(
                update=u,
                office=office,
                sent_to="office@example.org",
                due_on=day + dt.timedelta(days=21),
                decision=ReplyDecision.APPROVED,
                answer="We are working on it and will report back in the spring.",
                answered_by_name="Director",
                answered_at=dt.datetime(2026, 6, 2, tzinfo=dt.UTC),
            )
            for u in last[::2]
        ]
    )


def make_world() -> tuple[City, User, MidtermReport]:
    call_command("migrate", verbosity=0)
    load_review_data()
    recommendations = list(Recommendation.objects.order_by("cycle__number", "sort_key"))
    big = City.objects.create(name="Bigtown", state="PA", slug="bigtown-pa", status=CityStatus.PARTICIPATING)
    track(big, recommendations, 10, Office.objects.create(city=big, name="Mayor's Office", level=Level.CITY))
    third = [r for r in recommendations if r.cycle.number == 3]
    for n in range(50):
        city = City.objects.create(name=f"Town {n}", state="OH", slug=f"town-{n}-oh", status=CityStatus.PARTICIPATING)
        office = Office.objects.create(city=city, name="City Council", level=Level.CITY)
        track(city, third[n * 5 % len(third) :][:20], 3, office)
    organizer = User.objects.create_user(email="organizer@bench.example.org", password=None)
    Membership.objects.create(user=organizer, city=big, role=Role.COORDINATOR)
    report = MidtermReport.objects.create(
        cycle=ReviewCycle.objects.get(number=3),
        title="Mid-term report of the human rights cities",
        submitter="Human rights cities network",
        acronym="HRCN",
        description="A network of cities.",
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2026, 6, 1),
    )
    return big, organizer, report


def throughput(client: Client, url: str, seconds: float = 2.0) -> float:
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    runs = []
    for _ in range(3):
        count, begun = 0, time.perf_counter()
        while time.perf_counter() - begun < seconds / 3:
            client.get(url)
            count += 1
        runs.append(count / (time.perf_counter() - begun))
    return statistics.median(runs)


def weasyprint_alone(html: str, stylesheet: str) -> float:
    gc.collect()
    begun = time.perf_counter()
    HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[CSS(filename=stylesheet)], pdf_variant=PDF_UA
    ).write_pdf(pdf_variant=PDF_UA)
    return time.perf_counter() - begun


def pipeline(report: MidtermReport) -> tuple[float, Render]:
    Render.objects.for_object(report).delete()
    gc.collect()
    begun = time.perf_counter()
    render = rendering.request_render(MidtermReport.objects.get(pk=report.pk), "report", "pdf")
    elapsed = time.perf_counter() - begun
    render.refresh_from_db()
    assert render.status == RenderStatus.DONE, render.error
    return elapsed, render


def main() -> None:
    begun = time.perf_counter()
    big, organizer, report = make_world()
    print(f"world built in {time.perf_counter() - begun:.0f} s: {TrackedItem.objects.count():,} tracked items, "
          f"{StatusUpdate.objects.count():,} updates, {City.objects.count()} cities")  # fmt: skip
    results: dict[str, object] = {}
    with override_settings(
        ROOT_URLCONF=__name__,
        PUBLIC_PAGE_CACHE_SECONDS=0,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        anonymous, signed_in = Client(), Client()
        signed_in.force_login(organizer)
        pages = [
            ("city scorecard, 575 items x 10 updates", anonymous, f"/cities/{big.slug}/scorecard/"),
            ("city scorecard CSV", anonymous, f"/cities/{big.slug}/scorecard.csv"),
            ("organizers' board, 575 items (signed in)", signed_in, f"/organize/{big.slug}/tracking/"),
            ("network grid, 51 cities", anonymous, "/scorecard/"),
            ("network CSV", anonymous, "/scorecard.csv"),
        ]
        print(f"{'page':45} {'req/s':>8} {'ratio':>7}   (ratio = page / baseline, measured right before it)")
        for label, client, url in pages:
            base = throughput(anonymous, "/bench-baseline/")
            rate = throughput(client, url)
            results[label] = {"per_second": round(rate, 2), "ratio": round(rate / base, 4), "baseline": round(base)}
            print(f"{label:45} {rate:8.1f} {rate / base:7.3f}")

    counts = compile_midterm(report)
    document = rendering.build_document(report, "report")
    html = rendering.render_html(document)
    stylesheet = rendering.print_stylesheet()
    weasyprint_alone(html, stylesheet)  # warm-up of both sides, not counted
    pipeline(report)
    alone_times, pipe_times, pages = [], [], 0
    for index in range(3):
        if index % 2 == 0:
            alone_times.append(weasyprint_alone(html, stylesheet))
            seconds, render = pipeline(report)
        else:
            seconds, render = pipeline(report)
            alone_times.append(weasyprint_alone(html, stylesheet))
        pipe_times.append(seconds)
        pages = render.pages
    ratio = statistics.median(pipe_times) / statistics.median(alone_times)
    results["midterm"] = {
        "paragraphs": counts["added"],
        "words": document.word_count(),
        "pages": pages,
        "pipeline_s": round(statistics.median(pipe_times), 3),
        "weasyprint_s": round(statistics.median(alone_times), 3),
        "ratio": round(ratio, 3),
    }
    print(
        f"mid-term report: {counts['added']} paragraphs, {document.word_count():,} words, {pages} pages; PDF through "
        f"the pipeline {statistics.median(pipe_times):.2f} s, WeasyPrint alone {statistics.median(alone_times):.2f} s "
        f"(ratio {ratio:.2f}; medians of 3)"
    )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
