"""Report rendering benchmark: our PDF pipeline against WeasyPrint alone on the same final HTML, in one process.

Run with `make bench-reports` (`make bench` runs it too). Creates BENCH_REPORTS (50) cities without organizers,
each with a draft local report: executive summary, methodology, five theme sections with challenges and
advances, three quotes of approved testimony that consents to the local report, three recommendations each
linked to two official UPR recommendations. The texts' length is set so that a report prints on about 5 pages
(cover and contents included) with our stylesheet, which takes only about 570 words with all those parts;
BENCH_SCALE=1 (or --scale 1) writes the same reports at about 2,300 words, 9 pages. Then, for each report:

- pipeline: `rendering.request_render(report, "report", "pdf")`, timed end to end. Celery is eager and the
  database in autocommit, so `transaction.on_commit` runs the task at once, inside the call: building the
  document (its queries), hashing it, the Render row, the claim, building the document again in the task,
  WeasyPrint, saving the file to PRIVATE_MEDIA_ROOT and the final update all count.
- WeasyPrint alone: the same report's final HTML (`rendering.render_html(document)`, made beforehand, not
  timed) through `HTML(string=html, base_url=BASE_DIR).render(stylesheets=[CSS(filename=...)],
  pdf_variant="pdf/ua-1").write_pdf(pdf_variant="pdf/ua-1")`. The CSS object is created in each call, as our
  pipeline does; only the stylesheet's path is looked up beforehand (the lookup counts as our overhead).

The two alternate report by report (even reports: WeasyPrint first; odd: pipeline first), after a warm-up of
both on a report that is not counted, and a garbage collection runs before every timed call (not timed), so
warm caches favour neither side. The figure to watch: total pipeline time / total WeasyPrint time, below 1.15.
The pipeline's time is also split by phase (a timer around some of its functions). With --profile, or when the
ratio is over the target, a cProfile of the pipeline on a few reports shows where the time outside WeasyPrint
goes.

Uses a throw-away SQLite database in a temporary folder (removed at the end), or the PostgreSQL database named by
BENCH_DATABASE_URL (an empty throw-away one: the benchmark's cities are created in it).
Prints a table; the same figures go to var/bench-reports.json and, as one line of JSON, to the last line of
stdout.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import os
import pstats
import random
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchenv import ROOT, start  # noqa: E402

VAR_DIR = start("reports")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402

from cities.enums import CityStatus  # noqa: E402
from cities.models import City  # noqa: E402
from reports import rendering  # noqa: E402
from reports.document import Document  # noqa: E402
from reports.enums import Level, RenderStatus  # noqa: E402
from reports.models import LocalReport, Quote, Render, ReportRecommendation, Section  # noqa: E402
from testimony.enums import Identification, Kind, Nature, Status  # noqa: E402
from testimony.models import Testimony  # noqa: E402
from testimony.selectors import current_consent_text  # noqa: E402
from upr.enums import Response  # noqa: E402
from upr.models import Recommendation, ReviewCycle, Theme  # noqa: E402
from uprcities.celery import app as celery_app  # noqa: E402

TARGET = 1.15
JSON_PATH = ROOT / "var" / "bench-reports.json"
PDF_UA = "pdf/ua-1"

THEMES = [
    ("housing", "Housing", "Vivienda"),
    ("water", "Water and sanitation", "Agua y saneamiento"),
    ("health", "Health", "Salud"),
    ("education", "Education", "Educación"),
    ("policing", "Policing and justice", "Policía y justicia"),
    ("equality", "Equality and non-discrimination", "Igualdad y no discriminación"),
]
STATES = ["PA", "OH", "NY", "CA", "TX", "GA", "WA", "IL", "MI", "NC"]
_VOCABULARY = (
    "residents housing water rights council testimony eviction rent shelter access school health clinic transit "
    "police budget neighbourhood families workers wages language interpreters disability ramps elders youth "
    "community garden library safety report consultation public meeting survey city county state federal "
    "commitment promise review recommendation progress challenge advance dignity equality discrimination "
    "participation justice environment air pollution heat flooding repair inspection landlord tenant notice "
    "the the the of of of and and and to to in in for for with with our their was were has have had not "
    "many several most every new older young local official promised asked waited reported told found "
    "without because after before during since while although despite among between across against"
)
VOCABULARY = _VOCABULARY.split()


def text(rng: random.Random, words: int) -> str:
    """`words` words of sentence-shaped filler: capitals, commas, sentences of 9 words or more (14 on average)."""
    out, sentence = [], 0
    for i in range(words):
        word = rng.choice(VOCABULARY)
        out.append(word.capitalize() if sentence == 0 else word)
        sentence += 1
        if i == words - 1 or (sentence >= 9 and rng.random() < 0.18):
            out[-1] += "."
            sentence = 0
        elif sentence > 4 and rng.random() < 0.06:
            out[-1] += ","
    return " ".join(out)


SCALE = 0.16  # multiplies the length of every text (--scale): 0.16 gives about 5 printed pages with our stylesheet


def paragraphs(rng: random.Random, *lengths: int) -> str:
    return "\n\n".join(text(rng, max(5, round(n * SCALE))) for n in lengths)


# --- the data ---------------------------------------------------------------------------------------------------


def make_world() -> tuple[ReviewCycle, list[Theme], list[Recommendation]]:
    themes = []
    for position, (slug, name, name_es) in enumerate(THEMES):
        theme, _ = Theme.objects.get_or_create(slug=slug, defaults={"name": name, "name_es": name_es})
        theme.position = position
        theme.save(update_fields=["position"])
        themes.append(theme)
    previous, _ = ReviewCycle.objects.get_or_create(
        number=3, defaults={"review_date": dt.date(2020, 11, 9), "outcome_adopted": dt.date(2021, 3, 18)}
    )
    current, _ = ReviewCycle.objects.get_or_create(number=4, defaults={"review_date": dt.date(2025, 11, 7)})
    assert ReviewCycle.objects.current() == current, "cycle 4 should be the current cycle"
    rng = random.Random(4)  # noqa: S311 (deterministic filler text, not secrets)
    official = []
    responses = [Response.SUPPORTED, Response.NOTED]
    for n in range(1, 25):
        rec, created = Recommendation.objects.get_or_create(
            cycle=previous,
            paragraph=f"26.{200 + n}",
            defaults={
                "document": "A/HRC/46/15",
                "text": text(rng, 30),
                "recommending_states": rng.choice(["Namibia", "Chile; Peru", "Ireland", "Ghana; Kenya", "Norway"]),
                "response": responses[n % 2],
            },
        )
        if created:
            rec.themes.set([themes[n % len(themes)]])
        official.append(rec)
    return current, themes, official


def make_testimony(city: City, rng: random.Random, theme: Theme, consent, number: int) -> Testimony:
    """An approved testimony of an adult that may be quoted in the local report (and shown on the portal)."""
    named = number % 2 == 0
    now = timezone.now()
    testimony = Testimony(
        city=city,
        kind=[Kind.WRITTEN, Kind.MEETING_NOTES, Kind.SURVEY][number % 3],
        body=paragraphs(rng, 70, 50),
        nature=[Nature.CHALLENGE, Nature.POSITIVE][number % 2],
        status=Status.APPROVED,
        approved_at=now,
        allows_portal=True,
        allows_local_report=True,
        age_confirmed=True,
        identification=Identification.FIRST_NAME if named else Identification.ANONYMOUS,
        display_name=f"Resident {number + 1}" if named else "",
        consent_text=consent,
        consent_recorded_at=now,
    )
    testimony.full_clean()
    testimony.save()
    testimony.themes.set([theme])
    return testimony


def make_report(index: int, cycle: ReviewCycle, themes: list[Theme], official: list[Recommendation]) -> LocalReport:
    """A draft report (about 5 printed pages at the default SCALE), no organizers, in `cycle`."""
    rng = random.Random(1000 + index)  # noqa: S311 (deterministic filler text, not secrets)
    city = City.objects.create(
        name=f"Benchtown {index:02d}",
        state=STATES[index % len(STATES)],
        slug=f"benchtown-{index:02d}",
        status=CityStatus.PARTICIPATING,
        coalition_name=f"Benchtown {index:02d} Human Rights City Coalition",
    )
    report = LocalReport.objects.create(
        city=city,
        cycle=cycle,
        executive_summary=paragraphs(rng, 110, 100),
        methodology=paragraphs(rng, 90, 70),
        short_summary=paragraphs(rng, 120, 100),
    )
    chosen = themes[:5]
    for position, theme in enumerate(chosen):
        Section.objects.create(
            report=report,
            theme=theme,
            challenges=paragraphs(rng, 100, 90),
            advances=paragraphs(rng, 80),
            position=position,
        )
    consent = current_consent_text()
    for position in range(3):
        theme = chosen[position]
        testimony = make_testimony(city, rng, theme, consent, position)
        words = testimony.public_text.split()
        excerpt = " ".join(words[len(words) // 4 : 3 * len(words) // 4]) if position != 1 else ""  # or all of it
        Quote.objects.create(report=report, testimony=testimony, theme=theme, excerpt=excerpt, position=position)
    levels = list(Level)
    for position in range(3):
        rec = ReportRecommendation.objects.create(
            report=report,
            text=text(rng, max(5, round(45 * SCALE))),
            level=levels[position % len(levels)],
            theme=chosen[position],
            reinforces_unfulfilled=position == 0,
            position=position,
        )
        rec.official.set(rng.sample(official, 2))
    return report


# --- the two sides ----------------------------------------------------------------------------------------------


def weasyprint_alone(html: str, stylesheet: str) -> tuple[bytes, int]:
    """What `rendering.render_pdf` does with the HTML, and nothing else."""
    laid_out = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[CSS(filename=stylesheet)], pdf_variant=PDF_UA
    )
    return laid_out.write_pdf(pdf_variant=PDF_UA), len(laid_out.pages)


def timed_weasyprint(html: str, stylesheet: str) -> tuple[float, int, int]:
    gc.collect()
    start = time.perf_counter()
    data, pages = weasyprint_alone(html, stylesheet)
    return time.perf_counter() - start, pages, len(data)


def timed_pipeline(report_id: int) -> tuple[float, Render]:
    report = LocalReport.objects.get(pk=report_id)  # what the view holds when it asks (not timed)
    gc.collect()
    start = time.perf_counter()
    render = rendering.request_render(report, "report", "pdf")
    elapsed = time.perf_counter() - start
    render.refresh_from_db()
    return elapsed, render


class Phases:
    """Time spent inside some functions of the pipeline, summed over calls: a perf_counter pair around each call
    (a few microseconds per render, next to the hundreds of milliseconds measured)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._undo: list[tuple[object, str, object]] = []

    def wrap(self, owner, attr: str, key: str) -> None:
        original = getattr(owner, attr)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - start

        self._undo.append((owner, attr, original))
        setattr(owner, attr, timed)

    def __enter__(self) -> Phases:
        # The task calls rendering.claim/run and rendering calls build_document/render_html/render_pdf through
        # module globals, so wrapping the module's attributes catches every call.
        self.wrap(rendering, "build_document", "build")
        self.wrap(Document, "version", "hash")
        self.wrap(rendering, "render_html", "html")
        self.wrap(rendering, "render_pdf", "pdf")
        self.wrap(rendering, "claim", "claim")
        self.wrap(rendering, "run", "run")
        self.wrap(rendering, "_enqueue", "enqueue")
        return self

    def __exit__(self, *exc) -> None:
        for owner, attr, original in reversed(self._undo):
            setattr(owner, attr, original)

    def breakdown(self, total: float) -> list[tuple[str, float]]:
        s = self.seconds
        weasyprint = s["pdf"] - s["html"]
        rows = [
            ("WeasyPrint (inside render_pdf)", weasyprint),
            ("build the Document, twice (request + task)", s["build"]),
            ("hash the Document (version), twice", s["hash"]),
            ("render_html (template)", s["html"]),
            ("claim (UPDATE + SELECT)", s["claim"]),
            ("Celery eager dispatch", s["enqueue"] - s["claim"] - s["run"]),
        ]
        rows.append(("Render row, file save, final UPDATE, other", total - sum(v for _k, v in rows)))
        return rows


def forget_renders(report_ids: list[int]) -> None:
    """Delete the reports' Render rows and files, so asking again renders again."""
    for render in Render.objects.filter(object_id__in=report_ids):
        if render.file:
            render.file.delete(save=False)
        render.delete()


def profile_pipeline(report_ids: list[int]) -> str:
    """cProfile of the pipeline on `report_ids`, restricted to our code, the ORM, storage and Celery."""
    forget_renders(report_ids)
    reports = [LocalReport.objects.get(pk=pk) for pk in report_ids]
    profiler = cProfile.Profile()
    profiler.enable()
    for report in reports:
        rendering.request_render(report, "report", "pdf")
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    ours = re.escape(str(ROOT)) + r"/(reports|testimony|cities)/|db/models/query.py|storage"
    stats.sort_stats("cumulative").print_stats(ours, 30)
    return out.getvalue()


def summary(values: list[float]) -> dict:
    return {
        "median": statistics.median(values),
        "mean": statistics.fmean(values),
        "min": min(values),
        "max": max(values),
        "total": sum(values),
    }


def main() -> None:
    global SCALE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=int(os.environ.get("BENCH_REPORTS", "50")))
    parser.add_argument(
        "--scale",
        type=float,
        default=float(os.environ.get("BENCH_SCALE", str(SCALE))),
        help=f"length of the reports' texts ({SCALE}: about 5 pages; 1: about 2,300 words, 9 pages)",
    )
    parser.add_argument("--profile", action="store_true", help="profile the pipeline even under the target")
    args = parser.parse_args()
    SCALE = args.scale

    assert settings.CELERY_TASK_ALWAYS_EAGER and celery_app.conf.task_always_eager, "Celery must run eager"
    assert connection.get_autocommit(), "on_commit must run at once (autocommit)"
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    cycle, themes, official = make_world()
    warmup = make_report(0, cycle, themes, official)
    reports = [make_report(i, cycle, themes, official) for i in range(1, args.reports + 1)]
    setup_seconds = time.perf_counter() - started

    # The exact final HTML of every report, made beforehand and not timed.
    stylesheet = rendering.print_stylesheet()
    htmls, words = {}, {}
    for report in [warmup, *reports]:
        document = rendering.build_document(LocalReport.objects.get(pk=report.pk), "report")
        htmls[report.pk] = (rendering.render_html(document), document.version())
        words[report.pk] = document.word_count()

    # Warm-up of both sides on a report that is not counted (twice each: the pipeline's row is forgotten between).
    for _ in range(2):
        timed_weasyprint(htmls[warmup.pk][0], stylesheet)
        assert timed_pipeline(warmup.pk)[1].status == RenderStatus.DONE
        forget_renders([warmup.pk])

    rows = []
    with Phases() as phases:
        for index, report in enumerate(reports):
            html, version = htmls[report.pk]
            if index % 2 == 0:
                alone, alone_pages, alone_bytes = timed_weasyprint(html, stylesheet)
                seconds, render = timed_pipeline(report.pk)
            else:
                seconds, render = timed_pipeline(report.pk)
                alone, alone_pages, alone_bytes = timed_weasyprint(html, stylesheet)
            assert render.status == RenderStatus.DONE, f"report {report.pk}: {render.status} {render.error}"
            assert render.version == version, "the pipeline rendered other content than the baseline's HTML"
            assert render.pages == alone_pages, f"pages differ: pipeline {render.pages}, alone {alone_pages}"
            rows.append(
                {
                    "report": report.pk,
                    "words": words[report.pk],
                    "pages": render.pages,
                    "pipeline_s": seconds,
                    "in_task_run_s": render.render_seconds,
                    "weasyprint_s": alone,
                    "pdf_bytes": render.file.size,
                    "weasyprint_pdf_bytes": alone_bytes,
                }
            )

    pipe = summary([r["pipeline_s"] for r in rows])
    alone = summary([r["weasyprint_s"] for r in rows])
    ratio = pipe["total"] / alone["total"]
    pages = [r["pages"] for r in rows]
    word_counts = [r["words"] for r in rows]
    per_report_ratio = [r["pipeline_s"] / r["weasyprint_s"] for r in rows]
    overhead = [r["pipeline_s"] - r["weasyprint_s"] for r in rows]
    n = len(rows)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    breakdown = phases.breakdown(pipe["total"])

    print(f"database: {engine}; Celery eager; PDF/UA-1; CSS object made in every call on both sides")
    print(
        f"reports rendered: {n} (scale {SCALE}); words per report: mean {statistics.fmean(word_counts):,.0f}, "
        f"min {min(word_counts):,}, max {max(word_counts):,}"
    )
    print(f"pages per report (Render.pages): mean {statistics.fmean(pages):.2f}, min {min(pages)}, max {max(pages)}")
    print()
    print(f"{'seconds per report':30} {'median':>8} {'mean':>8} {'min':>8} {'max':>8} {'total':>9}")
    for label, s in (("pipeline (request_render)", pipe), ("WeasyPrint alone", alone)):
        print(f"{label:30} {s['median']:8.3f} {s['mean']:8.3f} {s['min']:8.3f} {s['max']:8.3f} {s['total']:9.2f}")
    print(
        f"{'difference (our overhead)':30} {statistics.median(overhead):8.3f} {statistics.fmean(overhead):8.3f} "
        f"{min(overhead):8.3f} {max(overhead):8.3f} {sum(overhead):9.2f}"
    )
    print()
    verdict = "within target" if ratio < TARGET else "OVER TARGET"
    print(
        f"ratio total pipeline / total WeasyPrint alone: {ratio:.3f} (target < {TARGET}: {verdict}); "
        f"median of the per-report ratios {statistics.median(per_report_ratio):.3f}"
    )
    inside = breakdown[0][1]
    print(
        f"same ratio from the phase timers (pipeline total / WeasyPrint inside it, load noise cancels): "
        f"{pipe['total'] / inside:.3f}; {(pipe['total'] - inside) / n * 1000:.0f} ms per report outside WeasyPrint"
    )
    print()
    print(f"where the pipeline's time goes (mean per report; shares of the pipeline's total {pipe['total']:.2f} s):")
    for label, seconds in breakdown:
        print(f"  {label:45} {seconds / n * 1000:8.1f} ms {seconds / pipe['total']:7.1%}")

    result = {
        "database": engine,
        "reports": n,
        "scale": SCALE,
        "words_per_report": {"mean": statistics.fmean(word_counts), "min": min(word_counts), "max": max(word_counts)},
        "pages_per_report": {"mean": statistics.fmean(pages), "min": min(pages), "max": max(pages)},
        "pipeline_seconds": pipe,
        "weasyprint_seconds": alone,
        "overhead_seconds_per_report": {"median": statistics.median(overhead), "mean": statistics.fmean(overhead)},
        "ratio": ratio,
        "per_report_ratio_median": statistics.median(per_report_ratio),
        "ratio_from_phase_timers": pipe["total"] / inside,
        "outside_weasyprint_ms_per_report": (pipe["total"] - inside) / n * 1000,
        "target": TARGET,
        "within_target": ratio < TARGET,
        "pipeline_breakdown_ms_per_report": {label: seconds / n * 1000 for label, seconds in breakdown},
        "css": "CSS(filename=...) made in every call on both sides; the stylesheet path is looked up by ours only",
        "order": "alternating per report after a warm-up of both; gc.collect() before each timed call",
    }
    if args.profile or ratio >= TARGET:
        sample = [r["report"] for r in rows[:5]]
        print()
        print(f"cProfile of the pipeline on {len(sample)} reports, outside WeasyPrint (cumulative seconds):")
        print(profile_pipeline(sample))
    JSON_PATH.parent.mkdir(exist_ok=True)
    JSON_PATH.write_text(json.dumps({**result, "rows": rows}, indent=2) + "\n")
    print(
        f"setup {setup_seconds:.0f} s, whole run {time.perf_counter() - started:.0f} s; "
        f"all figures in {JSON_PATH.relative_to(ROOT)}"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(VAR_DIR, ignore_errors=True)  # the SQLite database and the rendered PDFs
