"""API benchmark: throughput of the JSON API's lists, the open-data files, a feed and the sitemap, as a ratio of
bench/run.py's no-database baseline (a small template), in one process.

Run with `make bench-api`. Same database choice as bench/run.py (a throw-away SQLite, or BENCH_DATABASE_URL with
the demo data loaded). The per-client rate limit is lifted: one client sends every request.
"""

from __future__ import annotations

import os

import run as pages  # the page benchmark: its environment, baseline view and throughput measure
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

ENDPOINTS = [
    "/api/v1/recommendations/",
    "/api/v1/recommendations/?limit=100",
    "/api/v1/recommendations/?theme=housing&response=supported",
    "/api/v1/recommendations/?q=housing&limit=100",
    "/api/v1/cycles/",
    "/api/v1/milestones/",
    "/api/v1/cities/",
    "/api/v1/events/",
    "/api/v1/webinars/",
    "/api/v1/testimony/",
    "/api/v1/cities/pittsburgh-pa/",
    "/open-data/recommendations.csv",
    "/feeds/events.atom",
    "/sitemap.xml",
]


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    with override_settings(
        ROOT_URLCONF=pages.__name__,
        RATE_LIMITS={**settings.RATE_LIMITS, "api": (10**9, 60)},
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        client = Client()
        base = pages.throughput(client, "/bench-baseline/")
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"database: {engine}; baseline (small template, no database): {base:,.0f} requests/s")
        print("ratio = throughput / baseline throughput; 'uncached' turns the anonymous page cache off")
        print(f"{'endpoint':55} {'cached':>8} {'ratio':>6} {'uncached':>9} {'ratio':>6}")
        for url in ENDPOINTS:
            cached = pages.throughput(client, url)
            with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
                # The open-data files keep their own build under the generation: clearing nothing here, they
                # show the cost of serving a built file; the API lists and feeds are rendered each time.
                uncached = pages.throughput(client, url)
            print(f"{url:55} {cached:8,.0f} {cached / base:6.2f} {uncached:9,.0f} {uncached / base:6.2f}")


if __name__ == "__main__":
    main()
