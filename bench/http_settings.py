"""Settings of `make bench-http` (bench/http_pages.py): bench/bench_settings.py's (the portal's production settings with
the per-address rate limits raised and plain-HTTP cookies), plus the baseline page mounted beside the portal's
pages (bench/urls.py), so the ratio of each page to it is taken in the same server under the same load."""

from bench.bench_settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
