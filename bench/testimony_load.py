"""Load benchmark of the public testimony form: N submissions from C concurrent clients, through the real form,
against gunicorn on PostgreSQL; then checks that every accepted submission is stored exactly once.

Run with `make bench-testimony`. Each submission is one visitor: GET the form (CSRF cookie, csrfmiddlewaretoken,
consent_version), then POST it with the cookie and a Referer, as a browser does. Each body carries a unique
marker; afterwards one query fetches every benchmark body and counts markers. Exit status 1 on any duplicate,
missing or unexpected row, or if nothing was accepted.

Environment (all optional):
  BENCH_N=1000 BENCH_C=16 BENCH_WORKERS=3
  BENCH_PG_URL=postgresql://postgres@127.0.0.1:5432   server to create the throw-away database on
  BENCH_DB_NAME=uprcities_bench                        dropped first if it exists, always dropped at the end

The throw-away database is migrated and filled with `manage.py load_demo`. REDIS_URL is not set: Celery runs
eager inside the web process and the cache (with the rate-limit counters) is per process; bench/bench_settings.py
raises the per-address rate limits (every client here is 127.0.0.1). Email goes to the dummy backend.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

N = int(os.environ.get("BENCH_N", "1000"))
C = int(os.environ.get("BENCH_C", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432").rstrip("/")
DB_NAME = os.environ.get("BENCH_DB_NAME", "uprcities_bench")
CITY_SLUG = "pittsburgh-pa"  # the demo city of load_demo
FORM_PATH = f"/cities/{CITY_SLUG}/testimony/new/"
THANKS_PATH = f"/cities/{CITY_SLUG}/testimony/thanks/"
MARKER_RE = re.compile(r"bench-[0-9a-f]{32}")
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONSENT_RE = re.compile(r'name="consent_version" value="([^"]*)"|value="([^"]*)" name="consent_version"')
if not re.fullmatch(r"[a-z_][a-z0-9_]*", DB_NAME):
    sys.exit(f"BENCH_DB_NAME={DB_NAME!r}: use lower-case letters, digits and _ only")


def server_env(database_url: str, var_dir: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.bench_settings",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=database_url,
        VAR_DIR=var_dir,
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        BEHIND_PROXY="0",
        SECURE_HSTS_SECONDS="0",
        EMAIL_URL="dummy://",
        DEMO_MODE="0",
        LOG_LEVEL="WARNING",
    )
    return env


def admin_sql(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- One visitor ------------------------------------------------------------------------------------------


class FormReader(HTMLParser):
    """The values the real form offers for its choice fields (read once, from the first page)."""

    def __init__(self):
        super().__init__()
        self.choices: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") in {"radio", "checkbox"} and a.get("name"):
            self.choices.setdefault(a["name"], []).append(a.get("value") or "on")
        elif tag == "option" and a.get("value"):
            self.choices.setdefault("_option", []).append(a["value"])


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, response.headers, data
    finally:
        conn.close()


def csrf_cookie(headers) -> str:
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith("csrftoken="):
            return value.split(";", 1)[0].split("=", 1)[1]
    raise RuntimeError("the form page set no csrftoken cookie")


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.outcomes: dict[str, str] = {}  # marker -> accepted / rejected:<status> / error:<exception>
        self.post_latency: list[float] = []
        self.visit_latency: list[float] = []


def visit(port: int, choices: dict, index: int, results: Results) -> None:
    marker = f"bench-{uuid.uuid4().hex}"
    started = time.perf_counter()
    try:
        status, headers, page = request(port, "GET", FORM_PATH, headers={"Host": f"127.0.0.1:{port}"})
        if status != 200:
            raise RuntimeError(f"GET form answered {status}")
        html = page.decode()
        token = TOKEN_RE.search(html).group(1)
        found = CONSENT_RE.search(html)
        consent_version = found.group(1) if found.group(1) is not None else found.group(2)
        fields = [
            ("csrfmiddlewaretoken", token),
            ("consent_version", consent_version),
            ("website", ""),  # the honeypot, left empty as people do
            ("title", f"Benchmark testimony {index}"),
            ("body", f"Load test submission {index}. Marker: {marker}. The bus to the clinic stopped running."),
            ("themes", choices["themes"][index % len(choices["themes"])]),
            ("nature", choices["nature"][index % len(choices["nature"])]),
            ("language", "en"),
            ("identification", "anonymous"),
            ("display_name", ""),
            ("allows_portal", "on"),
            ("allows_local_report", "on"),
            ("age", "adult"),
        ]
        post_started = time.perf_counter()
        status, headers, _ = request(
            port,
            "POST",
            FORM_PATH,
            body=urlencode(fields).encode(),
            headers={
                "Host": f"127.0.0.1:{port}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf_cookie(headers)}",
                "Referer": f"http://127.0.0.1:{port}{FORM_PATH}",
                "Origin": f"http://127.0.0.1:{port}",
            },
        )
        done = time.perf_counter()
        if status == 302 and (headers.get("Location") or "").endswith(THANKS_PATH):
            outcome = "accepted"
        else:
            outcome = f"rejected:{status}"
        with results.lock:
            results.post_latency.append(done - post_started)
            results.visit_latency.append(done - started)
    except Exception as exc:  # noqa: BLE001 - a benchmark records every failure and goes on
        outcome = f"error:{exc.__class__.__name__}: {exc}"
    with results.lock:
        results.outcomes[marker] = outcome


def run_clients(port: int, choices: dict) -> tuple[Results, float]:
    results = Results()
    counter = iter(range(N))
    counter_lock = threading.Lock()

    def client():
        while True:
            with counter_lock:
                index = next(counter, None)
            if index is None:
                return
            visit(port, choices, index, results)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(C)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


# --- Checks -----------------------------------------------------------------------------------------------


def stored_marker_counts(env: dict) -> Counter:
    """Every benchmark marker in the testimony table, counted, in one query (run with the portal's settings)."""
    code = (
        "import django; django.setup()\n"
        "from testimony.models import Testimony\n"
        "for body in Testimony.objects.filter(body__contains='Marker: bench-').values_list('body', flat=True):\n"
        "    print(body)\n"
    )
    out = subprocess.run([PYTHON, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return Counter(MARKER_RE.findall(out.stdout))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> int:
    var_dir = tempfile.mkdtemp(prefix="uprcities-bench-testimony-")
    env = server_env(f"{PG_URL}/{DB_NAME}", var_dir)
    server = None
    keep_log = True
    log = open(Path(var_dir) / "gunicorn.log", "w+")  # noqa: SIM115
    try:
        print(f"Creating database {DB_NAME}, migrating, loading demo data ...", flush=True)
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)", f"CREATE DATABASE {DB_NAME}")
        for command in (["migrate", "--noinput", "-v", "0"], ["load_demo"]):
            subprocess.run([PYTHON, "manage.py", *command], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)

        port = free_port()
        server = subprocess.Popen(
            [GUNICORN, "uprcities.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
             "--chdir", str(ROOT)],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {server.returncode}; log in {log.name}")
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"/healthz did not answer 200 within 60 s; log in {log.name}")
            time.sleep(0.2)

        status, _, page = request(port, "GET", FORM_PATH, headers={"Host": f"127.0.0.1:{port}"})
        if status != 200:
            raise RuntimeError(f"GET {FORM_PATH} answered {status}")
        reader = FormReader()
        reader.feed(page.decode())
        choices = reader.choices
        for name in ("themes", "nature"):
            if not choices.get(name):
                raise RuntimeError(f"the form offers no choices for {name!r}")
        before = stored_marker_counts(env)

        print(f"Posting {N} testimonies from {C} concurrent clients to gunicorn ({WORKERS} sync workers) ...",
              flush=True)  # fmt: skip
        results, wall = run_clients(port, choices)
        stored = stored_marker_counts(env) - before

        outcomes = Counter(o if not o.startswith("error:") else "error" for o in results.outcomes.values())
        accepted = [m for m, o in results.outcomes.items() if o == "accepted"]
        refused = [m for m, o in results.outcomes.items() if o.startswith("rejected:")]
        errored = [m for m, o in results.outcomes.items() if o.startswith("error:")]
        missing = [m for m in accepted if stored[m] == 0]
        duplicated = [m for m in results.outcomes if stored[m] > 1]
        stored_refused = [m for m in refused if stored[m]]
        unknown = [m for m in stored if m not in results.outcomes]

        print()
        print(f"submissions (N)       {N}")
        print(f"concurrent clients    {C}")
        print(f"gunicorn workers      {WORKERS} (sync), DEBUG=0, PostgreSQL, Celery eager")
        print(f"accepted (302)        {len(accepted)}")
        print(f"rejected              {len(refused)}  {dict(Counter(results.outcomes[m] for m in refused))}")
        print(f"errors                {len(errored)}")
        for m in errored[:5]:
            print(f"    {results.outcomes[m]}")
        print(f"wall time             {wall:.2f} s")
        print(f"throughput            {len(accepted) / wall:.1f} accepted submissions/s "
              f"({N / wall:.1f} visits/s, each a GET of the form and a POST)")  # fmt: skip
        print(f"POST latency          p50 {percentile(results.post_latency, 50) * 1000:.0f} ms, "
              f"p95 {percentile(results.post_latency, 95) * 1000:.0f} ms, "
              f"max {max(results.post_latency, default=float('nan')) * 1000:.0f} ms")  # fmt: skip
        print(f"GET+POST latency      p50 {percentile(results.visit_latency, 50) * 1000:.0f} ms, "
              f"p95 {percentile(results.visit_latency, 95) * 1000:.0f} ms")  # fmt: skip
        print(f"rows with a marker    {sum(stored.values())} ({len(stored)} distinct markers)")
        print(f"missing (accepted, not stored)      {len(missing)}")
        print(f"duplicated (stored more than once)  {len(duplicated)}")
        print(f"stored although rejected            {len(stored_refused)}")
        print(f"stored with an unknown marker       {len(unknown)}")
        errored_stored = sum(1 for m in errored if stored[m] == 1)
        if errored:
            print(f"errors whose row is stored (once)   {errored_stored} of {len(errored)}")
        ok = accepted and not (missing or duplicated or stored_refused or unknown)
        print("\nOK: every accepted submission is stored exactly once." if ok else "\nFAILED", flush=True)
        if outcomes.get("error") or refused:
            print(f"(see the gunicorn log: {log.name})")
        keep_log = not ok or bool(errored or refused)
        return 0 if ok else 1
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        try:
            admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        except Exception as exc:  # noqa: BLE001
            print(f"could not drop database {DB_NAME}: {exc}", file=sys.stderr)
        log.close()
        if not keep_log:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
