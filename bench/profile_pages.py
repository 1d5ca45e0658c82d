"""Where the time of each page goes: cProfile of the pages of `make bench-http`, rendered in one process (the page
cache off, the organizer pages signed in) against the same world in PostgreSQL.

    .venv/bin/python bench/profile_pages.py --build     # once: create BENCH_DB_NAME and build bench/http_world.py
    .venv/bin/python bench/profile_pages.py [PATH ...]  # profile the pages (all of them without PATH)

Prints, per page, the milliseconds of one render (median of BENCH_REPEAT=5, after a warm-up; wall clock and this
process's CPU time, the steadier figure on a busy machine), its SQL queries, and
the functions with the most cumulative time (BENCH_TOP=25). The database is kept; drop it when done
(`--drop`). Uses the environment of bench/http_pages.py (BENCH_DB_NAME, BENCH_CACHE_URL, BENCH_PG_URL).
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import http_pages  # noqa: E402

ROOT = http_pages.ROOT
WORLD = ROOT / "var" / "bench-http-world.json"
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
TOP = int(os.environ.get("BENCH_TOP", "25"))


def build(env: dict) -> None:
    load = http_pages.load
    name = http_pages.DB_NAME
    load.admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    subprocess.run([load.PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    built = subprocess.run([load.PYTHON, str(ROOT / "bench" / "http_world.py")], env=env, cwd=ROOT, check=True,
                           capture_output=True, text=True)  # fmt: skip
    WORLD.parent.mkdir(exist_ok=True)
    WORLD.write_text(built.stdout.strip().splitlines()[-1])


def profile(paths: list[str]) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    world = json.loads(WORLD.read_text())
    cookies = dict.fromkeys(world["organizer"], world["organizer_cookie"])
    cookies.update(dict.fromkeys(world["staff"], world["staff_cookie"]))
    for path in paths or [*world["public"], *world["form"], *world["organizer"], *world["staff"]]:
        client = Client(HTTP_ACCEPT_ENCODING="gzip")
        if path in cookies:
            client.cookies["sessionid"] = cookies[path]
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        times, queries = [], []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        cpu = []
        for _ in range(REPEAT):
            queries.clear()
            started, cpu_started = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(count):
                response = client.get(path)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(path)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(TOP)
        body = out.getvalue()
        body = body[body.find("   ncalls") :]
        print(f"=== {path}: {statistics.median(times) * 1000:.1f} ms "
              f"({statistics.median(cpu) * 1000:.1f} ms of this process's CPU), {len(queries)} queries, "
              f"{len(response.content) / 1024:.0f} KiB ===\n{body}", flush=True)  # fmt: skip


def main() -> None:
    var_dir = tempfile.mkdtemp(prefix="uprcities-profile-")
    env = http_pages.environment(var_dir, PUBLIC_PAGE_CACHE_SECONDS="0", ALLOWED_HOSTS="testserver")
    if "--drop" in sys.argv:
        http_pages.load.admin_sql(f"DROP DATABASE IF EXISTS {http_pages.DB_NAME} WITH (FORCE)")
        return
    if "--build" in sys.argv:
        build(env)
        return
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    profile([a for a in sys.argv[1:] if not a.startswith("--")])


if __name__ == "__main__":
    main()
