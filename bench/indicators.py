"""City profile benchmark: the profile page of a city with 60 indicators x 8 years, as a throughput ratio against
the baseline of `make bench` (bench/run.py: a small template rendered with no database at all), in one process.

Run with `make bench-indicators`. Uses a throw-away SQLite database in a temporary folder, or the PostgreSQL database
named by BENCH_DATABASE_URL (an empty throw-away one). Creates 12 network cities, 60 outcome indicators with
thresholds, each city with a value for 8 years of each (5,760 values, so the median and rank are computed over 12
cities), then measures the profile page rendered (page cache off) and served from the anonymous page cache, the
compare page of four cities and the city's CSV, counting the SQL queries of one rendering of each. Prints a table
and, as one line of JSON, the same figures on the last line of stdout.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchenv import start  # noqa: E402

start("indicators")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from bench.run import baseline, throughput  # noqa: E402
from cities.enums import CityStatus  # noqa: E402
from cities.models import City  # noqa: E402
from indicators.enums import Better  # noqa: E402
from indicators.models import Indicator, IndicatorValue  # noqa: E402
from upr.loaders import load_themes  # noqa: E402
from upr.models import Theme  # noqa: E402

CITIES, INDICATORS, YEARS = 12, 60, 8
STATES = ["PA", "OH", "NY", "CA", "TX", "GA", "WA", "IL", "MI", "NC", "MA", "OR"]

urlpatterns = [path("bench-baseline/", baseline), path("", include("uprcities.urls"))]


def make_world() -> list[City]:
    load_themes()
    themes = list(Theme.objects.order_by("position"))
    cities = [
        City.objects.create(
            name=f"Benchtown {i:02d}", state=STATES[i], slug=f"benchtown-{i:02d}", status=CityStatus.PARTICIPATING
        )
        for i in range(CITIES)
    ]
    values = []
    for n in range(INDICATORS):
        indicator = Indicator.objects.create(
            slug=f"bench-{n:02d}",
            name=f"Bench indicator {n:02d}",
            name_es=f"Indicador de prueba {n:02d}",
            description="A generated indicator of the benchmark.",
            unit="%",
            source_name="Benchmark source",
            better=Better.LOWER if n % 2 else Better.HIGHER,
            to_green=Decimal(20 if n % 2 else 80),
            to_yellow=Decimal(40 if n % 2 else 60),
            to_orange=Decimal(60 if n % 2 else 40),
            position=n,
        )
        indicator.themes.set([themes[n % len(themes)]])
        values += [
            IndicatorValue(
                indicator=indicator,
                city=city,
                year=2017 + y,
                value=Decimal((n * 7 + c * 3 + y * 5) % 100),
                source_url="https://example.org/bench",
            )
            for c, city in enumerate(cities)
            for y in range(YEARS)
        ]
    IndicatorValue.objects.bulk_create(values, batch_size=2000)
    return cities


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, secure=True).status_code == 200, url
    return len(captured)


def main() -> None:
    call_command("migrate", verbosity=0)
    cities = make_world()
    slug = cities[0].slug
    pages = {
        "profile (60 indicators x 8 years)": f"/cities/{slug}/profile/",
        "compare (4 cities)": "/cities/compare/?cities=" + ",".join(c.slug for c in cities[:4]),
        "city CSV (480 values)": f"/cities/{slug}/profile.csv",
    }
    with override_settings(
        ROOT_URLCONF=__name__,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        client = Client()
        base = throughput(client, "/bench-baseline/")
        engine = connection.vendor
        print(f"database: {engine}; baseline (small template, no database): {base:,.1f} requests/s")
        print(f"{'page':36} {'queries':>7} {'rendered/s':>11} {'ratio':>7} {'cached/s':>9} {'ratio':>7}")
        results = {"database": engine, "baseline": round(base, 1)}
        for name, url in pages.items():
            with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
                count = queries(client, url)
                rendered = throughput(client, url, seconds=3)
            cached = throughput(client, url, seconds=3)
            print(f"{name:36} {count:7} {rendered:11,.1f} {rendered / base:7.3f} {cached:9,.1f} {cached / base:7.3f}")
            results[name] = {
                "queries": count,
                "rendered_per_s": round(rendered, 1),
                "rendered_ratio": round(rendered / base, 4),
                "cached_per_s": round(cached, 1),
                "cached_ratio": round(cached / base, 4),
            }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
