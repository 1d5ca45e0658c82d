"""A pytest plugin (`-p tests.worker_services` in pyproject.toml), imported before pytest-django reads the settings,
which conftest.py files are not: under pytest-xdist it gives each worker Redis databases of its own."""

from __future__ import annotations

import os


def _own_redis_databases() -> None:
    """Tests clear the cache (FLUSHDB) and real Celery workers consume from the broker, so two workers sharing a
    Redis database would empty each other's cache and take each other's tasks. pytest-django already gives each
    worker its own test database (test_<name>_gw0, ...)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = os.environ.get("REDIS_URL")
    if not (worker.startswith("gw") and url):
        return
    number = int(worker[2:])
    server, _slash, given = url.rstrip("/").rpartition("/")
    if not given.isdigit():
        server, given = url.rstrip("/"), "0"
    # After the database REDIS_URL names, two per worker (the Makefile runs at most 6 workers: Redis has 16).
    first = int(given) + 1 + 2 * number
    os.environ["REDIS_URL"] = f"{server}/{first}"
    os.environ["CACHE_URL"] = f"{server}/{first + 1}"


_own_redis_databases()
