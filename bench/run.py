"""Page benchmarks: throughput of each public page as a ratio of a no-database baseline, in one process.

Run with `make bench`. Uses a throw-away SQLite database in a temporary folder, or the PostgreSQL database
named by BENCH_DATABASE_URL (which it migrates and fills with the demo data). Ratios, not seconds, are what to
compare between machines: 1.0 means as fast as rendering a small template with no database at all.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprcities.settings")
os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="uprcities-bench-")
os.environ.pop("DATABASE_URL", None)
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

BASELINE_TEMPLATE = engines["django"].from_string("<!DOCTYPE html><html><body><h1>{{ title }}</h1></body></html>")


def baseline(request):
    return HttpResponse(BASELINE_TEMPLATE.render({"title": "baseline"}))


urlpatterns = [path("bench-baseline/", baseline), path("", include("uprcities.urls"))]

PAGES = [
    "/",
    "/about-the-upr/",
    "/recommendations/",
    "/recommendations/?theme=housing&response=supported",
    "/cities/",
    "/cities/?state=PA&theme=housing",
    "/cities/pittsburgh-pa/",
    "/cities/join/",
    "/events/",
    "/webinars/",
    "/webinars/?theme=housing",
    "/events/demo-preparing-local-reports-for-the-fourth-review/",
]


def throughput(client: Client, url: str, seconds: float = 1.5) -> float:
    for _ in range(5):  # warm caches and connections
        assert client.get(url, secure=True).status_code == 200, url
    runs = []
    for _ in range(3):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 3:
            client.get(url, secure=True)
            count += 1
        runs.append(count / (time.perf_counter() - start))
    return statistics.median(runs)


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    with override_settings(
        ROOT_URLCONF=__name__,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        client = Client()
        base = throughput(client, "/bench-baseline/")
        engine = django.conf.settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"database: {engine}; baseline (small template, no database): {base:,.0f} requests/s")
        print("ratio = page throughput / baseline throughput; 'rendered' turns the anonymous page cache off")
        print(f"{'page':55} {'cached':>8} {'ratio':>6} {'rendered':>9} {'ratio':>6}")
        for url in PAGES:
            cached = throughput(client, url)
            with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
                rendered = throughput(client, url)
            print(f"{url:55} {cached:8,.0f} {cached / base:6.2f} {rendered:9,.0f} {rendered / base:6.2f}")


if __name__ == "__main__":
    main()
