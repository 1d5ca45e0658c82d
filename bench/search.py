"""Search benchmark: the full-text search over at least 20,000 documents, in one process.

Run with `make bench-search`. PostgreSQL is what the figures are about: set BENCH_DATABASE_URL to an empty
throw-away database (without it, a throw-away SQLite database measures the simpler search instead, and says so).
The real data comes first (load_demo: 575 UN recommendations, the cities, webinars and resources, rebuilt into the
index); then generated documents fill the index up to BENCH_SEARCH_DOCUMENTS (default 20,000): texts of 40 to 120
words drawn from the real recommendations' own vocabulary (English) and the portal's Spanish texts (one in five
documents in Spanish), each with one to three themes, a review and, for some, a city, so that words, facets and
rank behave as with real data. The database's trigger computes every vector, as in use.

Figures:
- latency of `search.selectors.search()` (the results page's queries: ranked page with snippets, facet counts,
  testimony's re-check), over a fixed set of queries in both languages (single words, phrases, OR, minus, paragraph
  numbers, filters), median and 95th percentile;
- throughput of the /search/ page, rendered (page cache off) and cached, as a ratio of bench/run.py's baseline (a
  small template with no database), which is what `make bench` compares every public page to.
The same figures go, as one line of JSON, to the last line of stdout.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchenv import start  # noqa: E402

start("search")

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from cities.models import City  # noqa: E402
from resources.models import Resource  # noqa: E402
from search.models import SearchDocument  # noqa: E402
from search.selectors import Filters, full_text_available, search  # noqa: E402
from upr.models import Recommendation, ReviewCycle, Theme  # noqa: E402

DOCUMENTS = int(os.environ.get("BENCH_SEARCH_DOCUMENTS", "20000"))
ROUNDS = int(os.environ.get("BENCH_SEARCH_ROUNDS", "5"))
QUERIES = [
    ("housing", {}),
    ("vivienda", {}),
    ("women", {}),
    ("mujeres", {}),
    ('"death penalty"', {}),
    ('"death penalty" -Cuba', {}),
    ("police or policing", {}),
    ("26.112", {}),
    ("Cuba", {}),
    ("right to adequate housing", {}),
    ("derechos humanos", {}),
    ("indigenous peoples", {"kind": "recommendation"}),
    ("housing", {"theme": "housing"}),
    ("discrimination", {"cycle": 3}),
    ("migrants", {"language": "es"}),
    ("torture Guantanamo", {}),
]
PAGE_URLS = ["/search/?q=housing", "/search/?q=vivienda", '/search/?q="death+penalty"+-Cuba', "/search/?q=26.112"]

BASELINE_TEMPLATE = engines["django"].from_string("<!DOCTYPE html><html><body><h1>{{ title }}</h1></body></html>")


def baseline(request):
    return HttpResponse(BASELINE_TEMPLATE.render({"title": "baseline"}))


urlpatterns = [path("bench-baseline/", baseline), path("", include("uprcities.urls"))]


def throughput(client: Client, url: str, seconds: float = 1.5) -> float:
    """Requests per second, the median of three runs after a warm-up (as bench/run.py measures)."""
    for _ in range(5):
        assert client.get(url, secure=True).status_code == 200, url
    runs = []
    for _ in range(3):
        count, begin = 0, time.perf_counter()
        while time.perf_counter() - begin < seconds / 3:
            client.get(url, secure=True)
            count += 1
        runs.append(count / (time.perf_counter() - begin))
    return statistics.median(runs)


def vocabulary() -> tuple[list[str], list[str]]:
    english = [w for r in Recommendation.objects.values_list("text", flat=True) for w in re.findall(r"[A-Za-z]+", r)]
    spanish = " ".join(
        [t.name_es for t in Theme.objects.all()]
        + [c.note_es for c in ReviewCycle.objects.all()]
        + list(Resource.objects.values_list("description_es", flat=True))
    )
    return english, re.findall(r"[^\W\d_]+", spanish)


@transaction.atomic
def generate(count: int) -> int:
    """`count` generated documents in bulk (the trigger computes each vector), with their theme facets."""
    rng = random.Random(2026)  # noqa: S311 - repeatable test data, not secrets
    english, spanish = vocabulary()
    themes = list(Theme.objects.all())
    cycles = list(ReviewCycle.objects.all())
    cities = list(City.objects.all())
    rows = []
    for n in range(count):
        language = "es" if n % 5 == 0 else "en"
        words = spanish if language == "es" else english
        body = " ".join(rng.choices(words, k=rng.randint(40, 120)))
        rows.append(
            SearchDocument(
                kind=rng.choice(["recommendation", "event", "resource", "testimony", "report"]),
                object_id=1_000_000 + n,
                url=f"/generated/{n}/",
                title=" ".join(rng.choices(words, k=rng.randint(4, 10))).capitalize(),
                body=body,
                keywords=f"{rng.choice(words)} {rng.choice(words)}",
                language=language,
                cycle=rng.choice(cycles),
                city=rng.choice(cities) if n % 3 == 0 else None,
            )
        )
    created = SearchDocument.objects.bulk_create(rows, batch_size=1000)
    links = SearchDocument.themes.through
    links.objects.bulk_create(
        [
            links(searchdocument_id=row.pk, theme_id=t.pk)
            for row in created
            for t in rng.sample(themes, rng.randint(1, 3))
        ],
        batch_size=5000,
    )
    return len(created)


def filters_for(spec: dict) -> Filters:
    filters = Filters(kind=spec.get("kind", ""), language=spec.get("language", ""))
    if "theme" in spec:
        filters.theme = Theme.objects.get(slug=spec["theme"])
    if "cycle" in spec:
        filters.cycle = ReviewCycle.objects.get(number=spec["cycle"])
    return filters


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    real = SearchDocument.objects.count()
    begin = time.perf_counter()
    generated = generate(max(0, DOCUMENTS - real))
    build_seconds = time.perf_counter() - begin
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SearchDocument._meta.db_table}")
    total = SearchDocument.objects.count()
    engine = connection.vendor
    mode = "full-text (PostgreSQL)" if full_text_available() else "the simpler search (SQLite)"
    print(f"database: {engine}; search: {mode}")
    print(f"documents: {total:,} ({real:,} real, {generated:,} generated in {build_seconds:.1f} s)")

    prepared = [(q, filters_for(spec)) for q, spec in QUERIES]
    for query, filters in prepared:  # warm-up
        search(query, filters)
    timings, hits = [], {}
    for _ in range(ROUNDS):
        for query, filters in prepared:
            begin = time.perf_counter()
            results = search(query, filters)
            timings.append((time.perf_counter() - begin) * 1000)
            hits[query + str(filters.kind or filters.language or "")] = results.total
    median, p95 = statistics.median(timings), percentile(timings, 0.95)
    print(f"search() latency over {len(timings)} searches: median {median:.1f} ms, p95 {p95:.1f} ms")
    print("matches: " + ", ".join(f"{q!r} {n:,}" for q, n in list(hits.items())[:8]) + ", ...")

    # As bench/run.py: plain static file URLs (no collectstatic manifest in a throw-away folder).
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF=__name__, STORAGES=storages):
        client = Client()
        base = throughput(client, "/bench-baseline/")
        print(f"baseline (small template, no database): {base:,.0f} requests/s")
        print(f"{'page':45} {'cached':>8} {'ratio':>6} {'rendered':>9} {'ratio':>6}")
        pages = {}
        for url in PAGE_URLS:
            cached = throughput(client, url)
            with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
                rendered = throughput(client, url)
            pages[url] = {"cached_ratio": round(cached / base, 3), "rendered_ratio": round(rendered / base, 3)}
            print(f"{url:45} {cached:8,.0f} {cached / base:6.2f} {rendered:9,.0f} {rendered / base:6.2f}")
    print(
        json.dumps(
            {
                "database": engine,
                "documents": total,
                "real": real,
                "latency_ms": {"median": round(median, 2), "p95": round(p95, 2)},
                "baseline_rps": round(base),
                "pages": pages,
            }
        )
    )


if __name__ == "__main__":
    main()
