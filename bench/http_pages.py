"""HTTP benchmark: every public page and the organizer pages through gunicorn, PostgreSQL and a Redis cache, as
ratios of a no-database baseline page served by the same server under the same load.

Run with `make bench-http`. Steps:

1. A throw-away PostgreSQL database (BENCH_DB_NAME, dropped first and at the end) is migrated and filled by
   bench/http_world.py: the demo data, tests/pages.py's world, a moderation queue of 200 testimonies, a report
   editor with 30 quotes and 20 recommendations, 50 cities with accepted reports (the national dashboard) and the
   national report compiled from them (about 665 paragraphs, its admin page). The Redis cache database
   (BENCH_CACHE_URL) is emptied.
2. gunicorn (BENCH_WORKERS=2 sync workers, bench/http_settings.py: production settings, DEBUG=0) serves the pages
   with the page cache on ("cached", anonymous; and "cached (signed in)", the same public pages for a signed-in
   organizer, who gets the stored copy with their own account menu), then again with PUBLIC_PAGE_CACHE_SECONDS=0
   ("rendered", every request renders). The organizer and national team pages are loaded signed in (a
   session cookie passed to the load generator), in the second server.
3. Each page is loaded for BENCH_SECONDS (3) by `wrk` (Debian's package) with BENCH_CONNECTIONS (4) connections,
   with the headers a browser sends (Accept-Encoding: gzip); without wrk a small Python load generator does it,
   and the output says so. The baseline /bench/baseline/ (a one-line template, no database, bench/urls.py) is
   loaded before the first page and after each page: a page's ratio is its requests per second over the mean of
   the baseline runs just before and after it. Ratios, not requests per second, compare between runs and machines.
4. The submission load of bench/testimony_load.py (BENCH_N=1000 posts of the real form from BENCH_C=16 clients,
   3 workers), against the same database, with the exactly-once check.
5. The render memory figure: bench/national.py (50 cities, the national report rendered to PDF and Word) in its own
   process, whose peak resident memory it prints (BENCH_NATIONAL=0 skips it).

Environment: BENCH_PG_URL (postgresql://postgres@127.0.0.1:5432), BENCH_DB_NAME (uprcities_bench_http),
BENCH_CACHE_URL (a Redis database this benchmark may empty; default redis://127.0.0.1:6379/15), BENCH_SECONDS,
BENCH_CONNECTIONS, BENCH_WORKERS, BENCH_N, BENCH_C, BENCH_NATIONAL, BENCH_SUBMISSIONS=0 skips step 4.
The table also goes to var/bench-http.json.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import testimony_load as load  # noqa: E402

ROOT = load.ROOT
PYTHON, GUNICORN = load.PYTHON, load.GUNICORN
DB_NAME = os.environ.get("BENCH_DB_NAME", "uprcities_bench_http")
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15")
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
BASELINE = "/bench/baseline/"
WRK = shutil.which("wrk")
JSON_PATH = ROOT / "var" / "bench-http.json"
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br", "Accept": "text/html", "Accept-Language": "en"}
if not re.fullmatch(r"[a-z_][a-z0-9_]*", DB_NAME):
    sys.exit(f"BENCH_DB_NAME={DB_NAME!r}: use lower-case letters, digits and _ only")


def environment(var_dir: str, **extra: str) -> dict:
    env = load.server_env(f"{load.PG_URL}/{DB_NAME}", var_dir)
    env.update(DJANGO_SETTINGS_MODULE="bench.http_settings", CACHE_URL=CACHE_URL, **extra)
    return env


@contextmanager
def gunicorn(env: dict, log, workers: int = WORKERS):
    port = load.free_port()
    server = subprocess.Popen(
        [GUNICORN, "uprcities.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--chdir", str(ROOT)],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {server.returncode}; log in {log.name}")
            try:
                if load.request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"/healthz did not answer 200 within 60 s; log in {log.name}")
            time.sleep(0.2)
        yield port
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


# --- Load generation ------------------------------------------------------------------------------------------


def headers_for(port: int, cookie: str | None) -> dict:
    headers = {"Host": f"127.0.0.1:{port}", **BROWSER_HEADERS}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    return headers


def with_wrk(port: int, path: str, headers: dict) -> tuple[float, int]:
    """Requests per second and the number of answers that were not 2xx/3xx (or socket errors)."""
    args = [WRK, "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s"]
    for name, value in headers.items():
        if name != "Host":
            args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    # Gunicorn's sync workers close every connection: the read errors wrk counts then are those closes, not failures.
    if errors:
        bad += int(errors.group(1)) + int(errors.group(4))
    return rate, bad


def with_python(port: int, path: str, headers: dict) -> tuple[float, int]:
    """The fallback without wrk: CONNECTIONS threads, each GET after GET for SECONDS (one connection per request,
    as gunicorn's sync workers close them)."""
    done, bad, lock = [0], [0], threading.Lock()
    stop = time.perf_counter() + SECONDS

    def client():
        while time.perf_counter() < stop:
            try:
                status = load.request(port, "GET", path, headers=headers)[0]
            except OSError:
                status = 0
            with lock:
                done[0] += 1
                bad[0] += not 200 <= status < 400

    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.perf_counter() - started), bad[0]


def rate(port: int, path: str, cookie: str | None = None) -> tuple[float, int]:
    return (with_wrk if WRK else with_python)(port, path, headers_for(port, cookie))


def check(port: int, path: str, cookie: str | None) -> tuple[int, int]:
    """GET the page a few times (every worker compiles its templates, the cache fills): its status and size."""
    status, size = 0, 0
    for _ in range(2 * WORKERS):
        status, _headers, body = load.request(port, "GET", path, headers=headers_for(port, cookie))
        size = len(body)
        if status != 200:
            break
    return status, size


def measure(port: int, pages: list[tuple[str, str | None]]) -> dict[str, dict]:
    """Each page's requests per second and its ratio to the baseline runs just before and after it."""
    check(port, BASELINE, None)
    results = {}
    before, _ = rate(port, BASELINE)
    for path, cookie in pages:
        started = time.perf_counter()
        status, size = check(port, path, cookie)
        if status != 200:
            # A page that fails (a worker killed after gunicorn's 30 s timeout answers 500) is reported, not loaded.
            results[path] = {"status": status, "seconds": time.perf_counter() - started, "bad": 1, "ratio": None}
            print(f"  {path:62} answered {status} after {results[path]['seconds']:.0f} s: not loaded", flush=True)
            continue
        page, bad = rate(port, path, cookie)
        after, _ = rate(port, BASELINE)
        base = (before + after) / 2
        results[path] = {"rps": page, "baseline_rps": base, "ratio": page / base, "bad": bad, "bytes": size}
        print(f"  {path:62} {page:8.1f}/s  baseline {base:7.1f}/s  {page / base:5.2f}x"
              + (f"  ({bad} bad answers)" if bad else ""), flush=True)  # fmt: skip
        before = after
    return results


# --- The submission load and the render memory ----------------------------------------------------------------


def submissions(env: dict, log) -> dict:
    """bench/testimony_load.py's load against this database, with its exactly-once check."""
    with gunicorn(env, log, workers=3) as port:
        page = load.request(port, "GET", load.FORM_PATH, headers={"Host": f"127.0.0.1:{port}"})[2]
        reader = load.FormReader()
        reader.feed(page.decode())
        before = load.stored_marker_counts(env)
        results, wall = load.run_clients(port, reader.choices)
    stored = load.stored_marker_counts(env) - before
    accepted = [m for m, o in results.outcomes.items() if o == "accepted"]
    once = sum(1 for m in accepted if stored[m] == 1)
    wrong = sum(1 for m in results.outcomes if stored[m] > 1) + sum(
        1 for m, o in results.outcomes.items() if o != "accepted" and stored[m]
    )
    return {
        "posts": load.N,
        "clients": load.C,
        "accepted": len(accepted),
        "stored_once": once,
        "wrong": wrong,
        "outcomes": dict(Counter(o.split(":")[0] for o in results.outcomes.values())),
        "per_second": len(accepted) / wall,
        "post_p50_ms": load.percentile(results.post_latency, 50) * 1000,
        "post_p95_ms": load.percentile(results.post_latency, 95) * 1000,
    }


def national_memory() -> dict:
    out = subprocess.run([PYTHON, str(ROOT / "bench" / "national.py")], cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        return {"error": out.stderr[-2000:]}
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return {key: figures[key] for key in ("peak_rss_mb", "pdf_pages", "cities", "render_seconds_in_task")}


# --- The table ------------------------------------------------------------------------------------------------

LABELS = {
    "/": "home",
    "/about-the-upr/": "about the UPR",
    "/cities/": "city directory",
    "/cities/pittsburgh-pa/": "city page",
    "/events/": "events",
    "/webinars/": "webinars",
    "/recommendations/": "recommendations",
    "/testimony/": "testimony list",
    "/cities/join/": "join form",
}


def label(path: str) -> str:
    if path in LABELS:
        return LABELS[path]
    for prefix, name in (
        ("/events/", "event page"),
        ("/recommendations/", "recommendation page"),
        ("/testimony/", "testimony page"),
        ("/admin/national/", "national report (admin, 665 paragraphs)"),
    ):
        if path.startswith(prefix):
            return name
    if path.endswith("/testimony/new/"):
        return "testimony form"
    if path.endswith("/report/") and path.startswith("/cities/"):
        return "public local report"
    if path.startswith("/organize/national/"):
        return "national dashboard (50 cities)"
    if path.endswith("/testimony/"):
        return "moderation queue (200)"
    if path.endswith("/report/"):
        return "report editor (30 quotes, 20 recs)"
    return path


def ratio(figures: dict) -> str:
    return f"{figures['ratio']:.2f}x" if figures["ratio"] is not None else f"failed ({figures['status']})"


def main() -> int:
    var_dir = tempfile.mkdtemp(prefix="uprcities-bench-http-")
    log = open(Path(var_dir) / "gunicorn.log", "w+")  # noqa: SIM115
    env = environment(var_dir)
    ok = False
    try:
        print(f"load generator: {'wrk (' + WRK + ')' if WRK else 'Python threads (wrk not found: apt-get install wrk)'}"
              f", {CONNECTIONS} connections, {SECONDS} s per page", flush=True)  # fmt: skip
        print(f"Creating database {DB_NAME}, migrating, building the world (a minute or two) ...", flush=True)
        load.admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)", f"CREATE DATABASE {DB_NAME}")
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        subprocess.run([PYTHON, "-c", "import django; django.setup(); from django.core.cache import cache; "
                        "cache.clear()"], env=env, cwd=ROOT, check=True)  # fmt: skip
        built = subprocess.run([PYTHON, str(ROOT / "bench" / "http_world.py")], env=env, cwd=ROOT, check=True,
                               capture_output=True, text=True)  # fmt: skip
        world = json.loads(built.stdout.strip().splitlines()[-1])
        print(f"world: {world['sizes']}", flush=True)

        public = [(p, None) for p in world["public"]]
        print(f"\n[cached] gunicorn, {WORKERS} sync workers, anonymous page cache on", flush=True)
        with gunicorn(env, log) as port:
            # The testimony form too: its blank page is kept (portal.cache.blank_form_page), a token put in per visit.
            cached = measure(port, [*public, *[(p, None) for p in world["form"]]])
            # The same pages for a signed-in organizer: the stored copy with their own account menu drawn in.
            print("\n[cached, signed in] the same server, the public pages for a signed-in organizer", flush=True)
            cached_signed_in = measure(
                port, [(p, world["organizer_cookie"]) for p in [*world["public"], *world["form"]]]
            )
        signed_in = [(p, world["organizer_cookie"]) for p in world["organizer"]]
        signed_in += [(p, world["staff_cookie"]) for p in world["staff"]]
        print(f"\n[rendered] gunicorn, {WORKERS} sync workers, PUBLIC_PAGE_CACHE_SECONDS=0; organizer pages signed in",
              flush=True)  # fmt: skip
        with gunicorn(environment(var_dir, PUBLIC_PAGE_CACHE_SECONDS="0"), log) as port:
            rendered = measure(port, [*public, *[(p, None) for p in world["form"]], *signed_in])

        print("\nratio = requests/s of the page / requests/s of the baseline page, same server, same load")
        print("(loaded machine: other work shares the cores, so read the ratios, not the requests per second)\n")
        print(f"| {'page':42} | {'cached (anonymous)':>18} | {'cached (signed in)':>18} "
              f"| {'rendered (signed-in, or cache off)':>34} | {'KiB':>5} |")  # fmt: skip
        print(f"|{'-' * 44}|{'-' * 20}|{'-' * 20}|{'-' * 36}|{'-' * 7}|")
        for path, figures in rendered.items():
            in_cache = ratio(cached[path]) if path in cached else "not cacheable"
            signed_in_cache = ratio(cached_signed_in[path]) if path in cached_signed_in else "-"
            if path not in cached and path not in world["form"]:
                in_cache = "(signed in)"
            size = f"{figures['bytes'] / 1024:5.0f}" if "bytes" in figures else "    -"
            print(f"| {label(path):42} | {in_cache:>18} | {signed_in_cache:>18} | {ratio(figures):>34} | {size} |")
        bad = {p: f["bad"] for p, f in [*cached.items(), *cached_signed_in.items(), *rendered.items()] if f["bad"]}
        if bad:
            print(f"\nanswers other than 2xx/3xx: {bad}")
        generator = "wrk" if WRK else "python"
        result = {
            "cached": cached,
            "cached_signed_in": cached_signed_in,
            "rendered": rendered,
            "world": world["sizes"],
            "generator": generator,
        }

        if os.environ.get("BENCH_SUBMISSIONS", "1") != "0":
            print(f"\nSubmission load: {load.N} posts of the real form from {load.C} clients, gunicorn 3 workers ...",
                  flush=True)  # fmt: skip
            result["submissions"] = s = submissions(env, log)
            print(f"accepted {s['accepted']} of {s['posts']}, stored exactly once {s['stored_once']}, "
                  f"wrong {s['wrong']}: {s['per_second']:.1f} accepted submissions/s "
                  f"(each a GET of the form and a POST); POST p50 "
                  f"{s['post_p50_ms']:.0f} ms, p95 {s['post_p95_ms']:.0f} ms", flush=True)  # fmt: skip
        if os.environ.get("BENCH_NATIONAL", "1") != "0":
            print("\nRender memory: bench/national.py (50 cities, PDF and Word) in its own process ...", flush=True)
            result["national"] = n = national_memory()
            if "error" in n:
                print(f"bench/national.py failed:\n{n['error']}")
            else:
                print(f"peak resident memory {n['peak_rss_mb']:.0f} MB (the whole benchmark process: building 50 "
                      f"reports, rendering samples, the national PDF of {n['pdf_pages']} pages and its DOCX); "
                      f"render seconds {n['render_seconds_in_task']}")  # fmt: skip
        JSON_PATH.parent.mkdir(exist_ok=True)
        JSON_PATH.write_text(json.dumps(result, indent=2) + "\n")
        ok = not bad
        return 0 if ok else 1
    finally:
        try:
            load.admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        except Exception as exc:  # noqa: BLE001
            print(f"could not drop database {DB_NAME}: {exc}", file=sys.stderr)
        log.close()
        if ok:
            shutil.rmtree(var_dir, ignore_errors=True)
        else:
            print(f"(gunicorn log kept in {log.name})")


if __name__ == "__main__":
    sys.exit(main())
