"""The fault suite: real services, real failures, nothing lost.

Against a live server, with a Redis of the test's own (a `redis-server` on a free port: the cache and the broker),
a real Celery worker in its own process and a real SMTP server of the test's own:

1. concurrent clients post testimonies (each asking for its confirmation email) and event registrations through
   the real forms; Redis is stopped in the middle (its queued messages die with it: it keeps nothing on disk),
   the clients go on, Redis is started again, the periodic tick runs; then every accepted submission is stored
   exactly once, every confirmation email reached the SMTP server exactly once, no response was a 500, and every
   outbox row ended sent (or suppressed by the per-address limit);
2. a worker is killed while it sends; the tick hands what it left over to a second worker; every email arrives,
   and only an email whose SMTP exchange the killed worker had already finished can arrive twice.

The figures (submitted / stored / emails / duplicates) are printed for the notes; `make bench-faults` runs the
long version (bench/faults.py).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path
from urllib import error as urlerror
from urllib import parse, request

import pytest
from django.utils import timezone

from tests.services import need

pytestmark = [pytest.mark.celery_worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONSENT_RE = re.compile(r'name="consent_version" value="([^"]*)"|value="([^"]*)" name="consent_version"')
MARKER_RE = re.compile(r"fault-[0-9a-f]{16}")


# --- the test's own services ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, stopped and started at will, keeping nothing on disk."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        need("redis-server", binary is not None, "install Debian's redis-server")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_of_our_own(tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


def _reset_broker_connections(app) -> None:
    # Celery keeps its broker connections in pools made for the broker it first used: drop them so the next
    # task goes to the broker now configured (what Celery itself does after a fork).
    app._pool = None
    if "amqp" in app.__dict__:
        app.__dict__["amqp"]._producer_pool = None


@pytest.fixture
def consent_text(transactional_db):
    """The consent wording the migrations write, written again when an earlier transactional test flushed it."""
    from importlib import import_module

    from django.apps import apps

    from testimony.models import ConsentText

    if not ConsentText.objects.exists():
        import_module("testimony.migrations.0002_consent_text_and_permissions").add_first_consent_text(apps, None)


@pytest.fixture
def portal_on_our_services(settings, consent_text, redis_of_our_own, smtp_sink, live_server, tmp_path):
    """The live server's cache and broker on our Redis, its mail on our SMTP server, and a queue of the test's own
    for a worker subprocess (started by `start_worker`)."""
    from tests.reports.test_render_pipeline import Worker, _worker_environment
    from uprcities.celery import app

    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache_backend.ResilientRedisCache",
            "LOCATION": f"{redis_of_our_own.url}/1",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    settings.RATE_LIMITS = {scope: (10**9, window) for scope, (_limit, window) in settings.RATE_LIMITS.items()}
    settings.MAIL_PER_RECIPIENT_PER_HOUR = 1000
    settings.SITE_URL = live_server.url
    queue = f"fault-suite-{uuid.uuid4().hex[:12]}"
    previous = (app.conf.broker_url, app.conf.task_default_queue)
    app.conf.broker_url = f"{redis_of_our_own.url}/0"
    app.conf.task_default_queue = queue
    _reset_broker_connections(app)
    env = _worker_environment(f"{redis_of_our_own.url}/0")
    env.update(EMAIL_URL=f"smtp://127.0.0.1:{smtp_sink.port}", MAIL_PER_RECIPIENT_PER_HOUR="1000")
    workers: list = []

    def start_worker(name: str):
        worker = Worker(name, queue, env, tmp_path / f"{name}.log")
        workers.append(worker)
        return worker

    try:
        yield {"url": live_server.url, "redis": redis_of_our_own, "smtp": smtp_sink, "start_worker": start_worker}
    finally:
        for worker in workers:
            worker.stop()
        app.conf.broker_url, app.conf.task_default_queue = previous
        _reset_broker_connections(app)


# --- the visitors -----------------------------------------------------------------------------------------------


class Visitor:
    """One browser: its own cookies; GET a form, POST it back with its CSRF token, as a person would."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = request.build_opener(request.HTTPCookieProcessor(CookieJar()), NoRedirect)

    def open(self, path: str, data: dict | None = None, *, referer: str = "") -> tuple[int, str, str]:
        body = parse.urlencode(data, doseq=True).encode() if data is not None else None
        url = self.base + path  # the live server's own http:// address
        req = request.Request(url, data=body, headers={"Referer": referer or url})  # noqa: S310
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urlerror.HTTPError as exc:
            return exc.code, exc.headers.get("Location", ""), exc.read().decode(errors="replace")


class NoRedirect(request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def share_testimony(base: str, city_slug: str, marker: str) -> tuple[int, str]:
    visitor = Visitor(base)
    path = f"/cities/{city_slug}/testimony/new/"
    status, _location, page = visitor.open(path)
    if status != 200:
        return status, ""
    token = TOKEN_RE.search(page)
    consent = CONSENT_RE.search(page)
    form = {
        "csrfmiddlewaretoken": token.group(1) if token else "",
        "consent_version": next((g for g in consent.groups() if g), "") if consent else "",
        "body": f"Our landlord cut the heat in January ({marker}).",
        "nature": "challenge",
        "language": "en",
        "identification": "anonymous",
        "allows_portal": "on",
        "age": "adult",
        "contact_email": f"{marker}@example.org",
    }
    status, location, _page = visitor.open(path, form)
    return status, location


def register(base: str, event_slug: str, marker: str) -> tuple[int, str]:
    visitor = Visitor(base)
    status, location, _page = visitor.open(
        f"/events/{event_slug}/register/",
        {"name": "Ana", "email": f"{marker}@example.org", "organisation": "", "city_name": "", "access_note": ""},
    )
    return status, location


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def run_tick_later() -> None:
    """The beat tick as it runs after the outage: late enough that rows handed to the Redis that died count as
    lost, once nothing is being sent."""
    from portal.mail import HANDOVER_TIMEOUT, hand_over_pending

    hand_over_pending(timezone.now() + HANDOVER_TIMEOUT + dt.timedelta(minutes=1))


def unfinished_mail() -> int:
    from portal.models import UNFINISHED_EMAIL_STATUSES, OutgoingEmail

    return OutgoingEmail.objects.filter(status__in=UNFINISHED_EMAIL_STATUSES).count()


def sending_mail() -> int:
    from portal.models import OutgoingEmail, OutgoingEmailStatus

    return OutgoingEmail.objects.filter(status=OutgoingEmailStatus.SENDING).count()


# --- the suite --------------------------------------------------------------------------------------------------

# The CI size; `make bench-faults` runs 1,000 submissions from 16 clients with Redis down for 30 s.
SUBMISSIONS = int(os.environ.get("FAULT_SUBMISSIONS", "36"))  # testimonies and registrations, alternating
CLIENTS = int(os.environ.get("FAULT_CLIENTS", "6"))
OUTAGE_SECONDS = float(os.environ.get("FAULT_OUTAGE_SECONDS", "0"))  # 0: back after two thirds of the posts


def test_redis_stopped_in_the_middle_loses_nothing_and_sends_each_email_once(portal_on_our_services, personas):
    from django.conf import settings

    from events.models import Registration
    from testimony.models import Testimony
    from tests.events.test_registration import make_event

    need("PostgreSQL", settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), "set DATABASE_URL=postgres://")
    world = portal_on_our_services
    base, redis, smtp = world["url"], world["redis"], world["smtp"]
    city = personas["city_a"]
    event = make_event(slug="fault-webinar")
    worker = world["start_worker"]("fault-1")

    jobs = [
        ("testimony" if i % 2 == 0 else "registration", f"fault-{uuid.uuid4().hex[:16]}") for i in range(SUBMISSIONS)
    ]
    results: dict[str, tuple[int, str]] = {}
    done = Counter()
    lock = threading.Lock()

    def submit(job):
        kind, marker = job
        if kind == "testimony":
            outcome = share_testimony(base, city.slug, marker)
        else:
            outcome = register(base, event.slug, marker)
        with lock:
            results[marker] = outcome
            done["n"] += 1
            if redis.process is None:
                done["during outage"] += 1
            if done["n"] == SUBMISSIONS // 3:
                redis.stop()  # the cache and the broker go, queued messages with them
                if OUTAGE_SECONDS:
                    threading.Timer(OUTAGE_SECONDS, redis.start).start()
            elif done["n"] == 2 * SUBMISSIONS // 3 and not OUTAGE_SECONDS:
                redis.start()

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(submit, jobs))

    statuses = Counter(status for status, _location in results.values())
    if OUTAGE_SECONDS:
        assert wait_for(lambda: redis.process is not None, OUTAGE_SECONDS + 5)
    assert 500 not in statuses and set(statuses) <= {302}, statuses
    accepted = {marker for marker, (status, location) in results.items() if status == 302}

    # Stored exactly once each.
    bodies = Counter(m for body in Testimony.objects.values_list("body", flat=True) for m in MARKER_RE.findall(body))
    emails = Counter(e.split("@")[0] for e in Registration.objects.filter(event=event).values_list("email", flat=True))
    stored = bodies + emails
    testimony_markers = {m for k, m in jobs if k == "testimony"}
    assert {m: stored[m] for m in accepted} == dict.fromkeys(accepted, 1)

    # The outage really came in the middle of the posting.
    assert done["during outage"] >= (1 if OUTAGE_SECONDS else SUBMISSIONS // 4)

    # The broker is back: the tick hands over what could not be handed over, and what died with Redis.
    assert wait_for(lambda: sending_mail() == 0, 60), worker.tail()
    waiting = unfinished_mail()
    run_tick_later()
    assert wait_for(lambda: unfinished_mail() == 0, 90), worker.tail()
    assert wait_for(lambda: sending_mail() == 0, 10)
    run_tick_later()  # a second tick hands over nothing more
    time.sleep(1)

    delivered = Counter(r for recipients, _raw in smtp.messages for r in recipients)
    confirmations = {marker: delivered[f"{marker}@example.org"] for marker in accepted}
    duplicates = sum(1 for n in confirmations.values() if n > 1)
    print(
        f"\nfault suite: submitted {SUBMISSIONS}, accepted {len(accepted)}, stored {sum(stored[m] for m in accepted)}"
        f" ({len(testimony_markers & accepted)} testimonies), confirmation emails {sum(confirmations.values())},"
        f" duplicates {duplicates}, 500s {statuses.get(500, 0)}; {done['during outage']} answered while Redis was"
        f" down, {waiting} emails waiting for the tick after it came back"
    )
    assert confirmations == dict.fromkeys(accepted, 1)

    from portal.models import OutgoingEmail, OutgoingEmailStatus

    assert set(OutgoingEmail.objects.values_list("status", flat=True)) <= {
        OutgoingEmailStatus.SENT,
        OutgoingEmailStatus.SUPPRESSED,
    }


def test_a_worker_killed_while_sending_leaves_its_mail_to_the_next(portal_on_our_services, personas):
    from portal.mail import send_templated_email
    from portal.models import OutgoingEmail

    world = portal_on_our_services
    smtp = world["smtp"]
    smtp.delay = 0.5  # each message takes half a second at the server: time to kill the worker mid-send
    addresses = [f"killed-{n}@example.org" for n in range(12)]
    first = world["start_worker"]("fault-kill-1")
    for address in addresses:
        send_templated_email("testimony_organizers", [address], {"testimony": None, "city": personas["city_a"]})
    assert OutgoingEmail.objects.count() == len(addresses)
    assert wait_for(lambda: len(smtp.messages) >= 3, 60), first.tail()
    first.kill()
    sent_before_kill = len(smtp.messages)
    smtp.delay = 0.0

    second = world["start_worker"]("fault-kill-2")
    run_tick_later()  # the killed worker's claim and unacknowledged messages are handed over again
    assert wait_for(lambda: unfinished_mail() == 0, 90), second.tail()
    delivered = Counter(r for recipients, _raw in smtp.messages for r in recipients)
    duplicates = {address: n for address, n in delivered.items() if n > 1}
    print(
        f"\nworker killed while sending: {len(addresses)} emails, {sent_before_kill} before the kill, "
        f"{len(smtp.messages)} delivered in all, duplicates {len(duplicates)}"
    )
    assert set(delivered) == set(addresses)  # none lost
    # At most the one message whose SMTP exchange ended as the worker died can go twice.
    assert len(duplicates) <= 1 and all(n == 2 for n in duplicates.values())
