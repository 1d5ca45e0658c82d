"""National report benchmark: compile and render the stakeholder report from 50 accepted local reports (about 250
pages of input), in one process.

Run with `make bench-national`. Creates BENCH_CITIES (50) cities, each with a local report submitted and accepted
through `reports.services` (`submit`, `accept`): five theme sections of generated text (tests/reports/factories.py's
`make_report`: a concern and a positive development of 22 words each), three quotes of approved testimony, two of
which also consent to the report to the UN, and three recommendations: one linked to one of 6 official
recommendations of the previous cycle that it says remain unfulfilled (so each is shared by about 8 cities), one
linked to one of 3 others (about 17 cities each), one of the city's own. That is about 560 words, and 5 printed
pages, per report (cover, contents, three pages of text, the recommendations on a page of their own). Then it
times, with the number of SQL queries of each step:

- compile_report, first compile (nothing compiled yet: every paragraph is created);
- compile_report again after the national team edited 10 paragraphs and left out 5 (everything is compared,
  the edits kept);
- build_national_report (the Document) and ohchr_checks (which builds it again), the median of 5 runs each;
- the PDF and the DOCX through `rendering.request_render(report, "report", fmt)`: Celery is eager and the database
  in autocommit, so the task runs inside the call (building the Document twice, hashing it, the Render row,
  WeasyPrint or python-docx, saving the file), and the lobbying brief's PDF.

The input's size is measured, not guessed: the accepted versions of BENCH_MEASURE (5) local reports are rendered to
PDF and their pages counted; for all 50, `Document.page_estimate()` gives a range, and the measured pages per word
give an estimate of the total. With --profile, a cProfile of a first compile, a recompile and a build of the
Document shows where the time goes.

Uses a throw-away SQLite database in a temporary folder (removed at the end), or the PostgreSQL database named by
BENCH_DATABASE_URL (an empty throw-away one: the benchmark's cities are created in it). Prints a table; the same
figures go to var/bench-national.json and, as one line of JSON, to the last line of stdout.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchenv import ROOT, start  # noqa: E402

VAR_DIR = start("national", email_url="dummy://")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cities.enums import CityStatus  # noqa: E402
from cities.models import City  # noqa: E402
from national.checks import ohchr_checks  # noqa: E402
from national.compile import compile_report  # noqa: E402
from national.document import build_national_report  # noqa: E402
from national.enums import ParagraphKind, SubmissionType  # noqa: E402
from national.models import JointSubmitter, NationalReport  # noqa: E402
from reports import rendering  # noqa: E402
from reports import services as report_services  # noqa: E402
from reports.enums import Level, RenderStatus  # noqa: E402
from reports.models import ReportRecommendation, ReportVersion  # noqa: E402
from testimony.enums import Identification  # noqa: E402
from tests.reports.factories import current_cycle, make_report, themes, words  # noqa: E402
from tests.testimony.factories import make_testimony  # noqa: E402
from upr.enums import Response  # noqa: E402
from upr.models import Recommendation, ReviewCycle  # noqa: E402
from uprcities.celery import app as celery_app  # noqa: E402

JSON_PATH = ROOT / "var" / "bench-national.json"
STATES = ["PA", "OH", "NY", "CA", "TX", "GA", "WA", "IL", "MI", "NC"]
# Each local report: executive summary, methodology and short summary of WORDS words each (the short summary
# twice), five sections of PARAGRAPHS paragraphs of WORDS words, three quotes, three recommendations.
SECTIONS, PARAGRAPHS, WORDS = 5, 2, 22
SHARED_UNFULFILLED, SHARED_OTHER = 6, 3
REPEAT = 5


# --- the data ---------------------------------------------------------------------------------------------------


def make_world() -> tuple[ReviewCycle, list[Recommendation]]:
    cycle = current_cycle()  # cycle 4, before cycle 3 exists (the current one is the latest not yet adopted)
    previous = ReviewCycle.objects.create(
        number=3, review_date=dt.date(2020, 11, 9), outcome_adopted=dt.date(2021, 3, 18), report_symbol="A/HRC/46/15"
    )
    assert ReviewCycle.objects.current() == cycle, "cycle 4 should be the current cycle"
    themes(SECTIONS)
    official = [
        Recommendation.objects.create(
            cycle=previous,
            document="A/HRC/46/15",
            paragraph=f"26.{200 + n}",
            text=words(25, 50_000 + n),
            recommending_states=["Namibia", "Chile; Peru", "Ireland", "Ghana; Kenya", "Norway"][n % 5],
            response=[Response.SUPPORTED, Response.NOTED][n % 2],
        )
        for n in range(SHARED_UNFULFILLED + SHARED_OTHER)
    ]
    return cycle, official


def make_accepted_report(index: int, cycle: ReviewCycle, official: list[Recommendation]) -> ReportVersion:
    city = City.objects.create(
        name=f"Benchtown {index:02d}",
        state=STATES[index % len(STATES)],
        slug=f"benchtown-{index:02d}",
        status=CityStatus.PARTICIPATING,
        coalition_name=f"Benchtown {index:02d} Human Rights City Coalition",
    )
    quotes = [
        make_testimony(
            city=city,
            body=words(25, 70_000 + index * 10 + n),
            allows_local_report=True,
            allows_national_report=n < 2,  # the third may be quoted in the city's report only
            identification=Identification.FIRST_NAME if n == 0 else Identification.ANONYMOUS,
            display_name=f"Resident {index}" if n == 0 else "",
        )
        for n in range(3)
    ]
    report = make_report(
        city,
        sections=SECTIONS,
        paragraphs_per_section=PARAGRAPHS,
        words_per_paragraph=WORDS,
        quotes=quotes,
        recommendations=0,
        cycle=cycle,
        seed=index,
    )
    section_themes = [section.theme for section in report.sections.order_by("position")]
    links = [
        ([official[index % SHARED_UNFULFILLED]], True),
        ([official[SHARED_UNFULFILLED + index % SHARED_OTHER]], False),
        ([], False),
    ]
    levels = list(Level)
    for position, (linked, unfulfilled) in enumerate(links):
        rec = ReportRecommendation.objects.create(
            report=report,
            text=words(20, 90_000 + index * 10 + position),
            level=levels[position % len(levels)],
            theme=section_themes[position],
            reinforces_unfulfilled=unfulfilled,
            position=position,
        )
        rec.official.set(linked)
    report_services.submit(report, by=None)
    return report_services.accept(report, by=None)


def make_national_report(cycle: ReviewCycle) -> NationalReport:
    report = NationalReport.objects.create(
        cycle=cycle,
        title="Human rights in US cities",
        submitter="US Human Rights Cities Alliance",
        acronym="USHRCA",
        description="A network of local coalitions working for human rights in US cities.",
        contact_email="national@example.org",
        submission_type=SubmissionType.JOINT,
        period_start=dt.date(2020, 11, 9),
        period_end=dt.date(2025, 4, 1),
    )
    submitters = [
        ("Pittsburgh Human Rights Coalition", "PHRC"),
        ("Boston Human Rights Alliance", "BHRA"),
        ("Seattle Human Rights Commission", "SHRC"),
    ]
    for position, (name, acronym) in enumerate(submitters):
        JointSubmitter.objects.create(report=report, name=name, acronym=acronym, position=position)
    return report


# --- measuring --------------------------------------------------------------------------------------------------


class Timed:
    """Seconds and SQL queries of one block."""

    def __enter__(self) -> Timed:
        self._queries = CaptureQueriesContext(connection)
        self._queries.__enter__()
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self._start
        self._queries.__exit__(*exc)
        self.queries = len(self._queries)


def profile(label: str, call, limit: int = 25) -> str:
    """cProfile of `call()`, restricted to our code and the ORM, by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    ours = r"/(reports|testimony|cities|upr)/|db/models/(query|base|manager)"
    stats.sort_stats("cumulative").print_stats(ours, limit)
    return f"--- cProfile: {label} ---\n{out.getvalue()}"


def measure_input(versions: list[ReportVersion], sample: int) -> dict:
    """Pages of the local reports: `sample` of them rendered to PDF (pages counted), all of them estimated."""
    documents = {v.pk: rendering.build_document(v, "report") for v in versions}
    word_counts = [d.word_count() for d in documents.values()]
    low = sum(d.page_estimate()[0] for d in documents.values())
    high = sum(d.page_estimate()[1] for d in documents.values())
    measured = []
    for version in versions[:sample]:
        render = rendering.request_render(version, "report", "pdf", document=documents[version.pk])
        render.refresh_from_db()
        assert render.status == RenderStatus.DONE, render.error
        measured.append({"words": documents[version.pk].word_count(), "pages": render.pages})
    pages_per_word = sum(m["pages"] for m in measured) / sum(m["words"] for m in measured)
    return {
        "reports": len(versions),
        "words_total": sum(word_counts),
        "words_per_report_mean": statistics.fmean(word_counts),
        "rendered_sample": measured,
        "pages_per_rendered_report_mean": statistics.fmean(m["pages"] for m in measured),
        "pages_total_from_sample": round(pages_per_word * sum(word_counts)),
        "page_estimate_total": [low, high],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=int, default=int(os.environ.get("BENCH_CITIES", "50")))
    parser.add_argument("--measure", type=int, default=int(os.environ.get("BENCH_MEASURE", "5")))
    parser.add_argument("--profile", action="store_true", help="cProfile the first compile and a build")
    args = parser.parse_args()

    assert settings.CELERY_TASK_ALWAYS_EAGER and celery_app.conf.task_always_eager, "Celery must run eager"
    assert connection.get_autocommit(), "on_commit must run at once (autocommit)"
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    cycle, official = make_world()
    versions = [make_accepted_report(i, cycle, official) for i in range(1, args.cities + 1)]
    report = make_national_report(cycle)
    setup_seconds = time.perf_counter() - started
    source = measure_input(versions, args.measure)

    times: dict[str, Timed] = {}
    with Timed() as times["compile (first)"]:
        first = compile_report(report)
    paragraphs = report.paragraphs.count()

    # The team edits 10 paragraphs and leaves out 5, then compiles again: the edits are kept.
    compiled = list(report.paragraphs.order_by("position"))
    for paragraph in compiled[3:13]:
        paragraph.text = paragraph.text + " The national team added this sentence."
        paragraph.save(update_fields=["text"])
    for paragraph in compiled[20:25]:
        paragraph.omitted = True
        paragraph.save(update_fields=["omitted"])
    with Timed() as times["compile (again, after edits)"]:
        again = compile_report(report)
    assert again["added"] == again["removed"] == 0 and again["kept"] == 10, again

    # Reading steps: the median of REPEAT runs (the admin page does both on every view).
    runs = {"build_national_report": [], "ohchr_checks": []}
    for _ in range(REPEAT):
        with Timed() as timed:
            document = build_national_report(report)
        runs["build_national_report"].append(timed)
        with Timed() as timed:
            checks = ohchr_checks(report)
        runs["ohchr_checks"].append(timed)
    for label, timed in runs.items():
        times[f"{label} (median of {REPEAT})"] = sorted(timed, key=lambda t: t.seconds)[REPEAT // 2]
    renders = {}
    for fmt in ("pdf", "docx"):
        with Timed() as times[f"render {fmt} (request_render, eager)"]:
            render = rendering.request_render(report, "report", fmt)
        render.refresh_from_db()
        assert render.status == RenderStatus.DONE, render.error
        renders[fmt] = render
    with Timed() as times["render brief pdf"]:
        brief = rendering.request_render(report, "brief", "pdf")
    brief.refresh_from_db()
    assert brief.status == RenderStatus.DONE, brief.error

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    kinds = {
        str(label): report.paragraphs.filter(kind=kind, omitted=False).count() for kind, label in ParagraphKind.choices
    }
    shared = report.paragraphs.filter(kind=ParagraphKind.RECOMMENDATION).exclude(note="").count()
    word_check = next(c for c in checks if str(c.name) == "Word count")
    print(f"database: {engine}; Celery eager; {args.cities} accepted local reports")
    print(
        f"input: {source['words_total']:,} words ({source['words_per_report_mean']:,.0f} per report); "
        f"{args.measure} rendered to PDF: {source['pages_per_rendered_report_mean']:.1f} pages each "
        f"({', '.join(str(m['pages']) for m in source['rendered_sample'])}); "
        f"all {args.cities}: about {source['pages_total_from_sample']} pages at the sample's pages per word, "
        f"page_estimate {source['page_estimate_total'][0]}-{source['page_estimate_total'][1]}"
    )
    print(
        f"compiled: {paragraphs} paragraphs ({first['added']} added); printed after the edits: "
        + ", ".join(f"{n} {label.lower()}" for label, n in kinds.items() if n)
        + f"; {shared} shared recommendations merged"
    )
    print(
        f"output: {document.word_count():,} words (word-count check: {word_check.figure}, "
        f"{'pass' if word_check.passed else 'fail'}); PDF {renders['pdf'].pages} pages, "
        f"{renders['pdf'].file.size / 1024:,.0f} KiB; DOCX {renders['docx'].file.size / 1024:,.0f} KiB "
        f"(page_estimate {document.page_estimate()[0]}-{document.page_estimate()[1]}); brief PDF {brief.pages} pages"
    )
    print(f"recompile: {again}")
    print()
    print(f"{'step':45} {'seconds':>9} {'queries':>8}")
    for label, timed in times.items():
        print(f"{label:45} {timed.seconds:9.3f} {timed.queries:8,}")
    if args.profile:  # last: it compiles the report anew
        print()
        report.paragraphs.all().delete()
        print(profile("compile_report, first compile", lambda: compile_report(report)))
        print(profile("compile_report, again", lambda: compile_report(report)))
        print(profile("build_national_report", lambda: build_national_report(report)))

    result = {
        "database": engine,
        "cities": args.cities,
        "input": source,
        "paragraphs_compiled": paragraphs,
        "first_compile": first,
        "recompile": again,
        "printed_by_kind": kinds,
        "shared_recommendations": shared,
        "output_words": document.word_count(),
        "word_check": str(word_check.figure),
        "pdf_pages": renders["pdf"].pages,
        "pdf_bytes": renders["pdf"].file.size,
        "docx_bytes": renders["docx"].file.size,
        "docx_page_estimate": list(document.page_estimate()),
        "brief_pdf_pages": brief.pages,
        "render_seconds_in_task": {fmt: r.render_seconds for fmt, r in renders.items()},
        "seconds": {label: t.seconds for label, t in times.items()},
        "queries": {label: t.queries for label, t in times.items()},
        "setup_seconds": setup_seconds,
        # The process's peak resident memory (Linux: KiB): an upper bound on a worker's rendering this report,
        # since this process also built the 50 reports and rendered the samples.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    JSON_PATH.parent.mkdir(exist_ok=True)
    JSON_PATH.write_text(json.dumps(result, indent=2) + "\n")
    print(f"peak resident memory of this process: {result['peak_rss_mb']:.0f} MB")
    print(
        f"setup {setup_seconds:.0f} s, whole run {time.perf_counter() - started:.0f} s; "
        f"all figures in {JSON_PATH.relative_to(ROOT)}"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(VAR_DIR, ignore_errors=True)  # the SQLite database and the rendered files
