"""The portal stays up when Redis (cache and broker) or PostgreSQL is down.

Redis is a redis-server of the test's own on a free port, stopped mid-test (never the shared one); PostgreSQL is
made unreachable by pointing a separate process at a closed port (never by stopping the server)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.db import OperationalError

from events.models import Registration
from portal import cache_backend
from testimony.models import Testimony as Story
from tests.events import make_event
from tests.services import need
from tests.testimony.test_submit import GOOD as TESTIMONY

ROOT = Path(__file__).resolve().parents[2]


REDIS_SERVER = shutil.which("redis-server") or "redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    """A throw-away redis-server on a free port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            self.stop()
            raise RuntimeError("redis-server did not start")

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def keys(self, db: int = 1) -> list[bytes]:
        return sorted(redis.Redis(port=self.port, db=db).keys("*"))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(settings):
    """The cache on a redis-server of this test's own, as production configures it; `.stop()` kills it."""
    need("redis-server", shutil.which("redis-server") is not None, "install redis-server")
    server = OwnRedis()
    cache_backend._down_until.clear()
    cache_backend._last_logged.clear()
    settings.CACHES = {
        "default": {
            **django_settings.CACHES["default"],
            "BACKEND": "portal.cache_backend.ResilientRedisCache",
            "LOCATION": server.url(1),
            # Each call tries again: the test sees every operation meet the dead server.
            "RETRY_AFTER": 0,
        }
    }
    yield server
    server.stop()
    cache_backend._down_until.clear()
    cache_backend._last_logged.clear()


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


def _forget_broker_connections(app) -> None:
    # Celery keeps its connection and producer pools for the broker it first met; the test changes the broker.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def real_broker(settings, own_redis):
    """Tasks go to the own Redis through a real broker connection (not eager)."""
    from uprcities.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = (app.conf.task_always_eager, app.conf.broker_url)
    _forget_broker_connections(app)
    app.conf.task_always_eager = False
    app.conf.broker_url = own_redis.url(0)
    yield own_redis
    _forget_broker_connections(app)
    app.conf.task_always_eager, app.conf.broker_url = previous


PUBLIC_PAGES = ["/", "/about-the-upr/", "/cities/", "/cities/pittsburgh-pa/", "/testimony/", "/events/"]


# --- Redis down ---------------------------------------------------------------------------------------------


def test_public_pages_with_redis_down_are_served_uncached(client, personas, own_redis, page_cache, caplog):
    assert client.get("/cities/").status_code == 200
    assert own_redis.keys() != []  # the page and its generation were cached
    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="portal.cache_backend"):
        answers = {path: client.get(path).status_code for path in PUBLIC_PAGES}
    assert answers == dict.fromkeys(PUBLIC_PAGES, 200)
    assert "Pittsburgh" in client.get("/cities/").text
    # Logged once for the whole outage, not once per cache call.
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == ["cache: Redis unreachable"]


def test_the_cache_with_redis_down_behaves_as_a_miss(own_redis):
    from django.core.cache import cache

    own_redis.stop()
    started = time.monotonic()
    assert (cache.get("k", "default"), cache.get_many(["k"]), cache.has_key("k")) == ("default", {}, False)
    assert (cache.set("k", 1), cache.add("k", 1), cache.set_many({"k": 1}), cache.delete("k")) == (
        None,
        True,
        ["k"],
        False,
    )
    assert (cache.touch("k"), cache.get_or_set("k", 7)) == (False, 7)
    with pytest.raises(ValueError):
        cache.incr("k")
    # A refused connection costs milliseconds, not the socket timeouts.
    assert time.monotonic() - started < 0.5


def test_the_cache_with_a_hung_redis_answers_within_its_timeout(settings):
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.CACHES = {
            "default": {
                **django_settings.CACHES["default"],
                "BACKEND": "portal.cache_backend.ResilientRedisCache",
                "LOCATION": f"redis://127.0.0.1:{silent.getsockname()[1]}/1",
                "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
            }
        }
        from django.core.cache import cache

        started = time.monotonic()
        first = cache.get("k", "miss")
        # The next calls do not wait again: the backend skips Redis for RETRY_AFTER seconds after a failure.
        rest = [cache.get("k", "miss") for _ in range(10)]
        elapsed = time.monotonic() - started
    cache_backend._down_until.clear()
    assert (first, set(rest)) == ("miss", {"miss"})
    assert elapsed < 1.5


def test_the_cache_works_again_when_redis_comes_back(own_redis, settings):
    from django.core.cache import cache

    port = own_redis.port
    own_redis.stop()
    assert cache.get("k") is None
    again = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            cache.set("k", "back")
            if cache.get("k") == "back":
                break
            time.sleep(0.05)
        assert cache.get("k") == "back"
    finally:
        again.terminate()
        again.wait(timeout=10)


def test_testimony_form_with_redis_down_stores_every_submission(client, personas, own_redis, mailoutbox):
    own_redis.stop()
    answers = [
        client.post("/cities/pittsburgh-pa/testimony/new/", {**TESTIMONY, "title": f"Story {n}"}).status_code
        for n in range(10)
    ]
    assert answers == [302] * 10
    assert sorted(Story.objects.values_list("title", flat=True)) == sorted(f"Story {n}" for n in range(10))


def test_event_registration_with_redis_down_stores_every_submission(client, db, own_redis):
    event = make_event(slug="housing-webinar")
    own_redis.stop()
    answers = [
        client.post(
            f"/events/{event.slug}/register/",
            {"name": f"Person {n}", "email": f"p{n}@example.org", "organisation": "", "city_name": ""},
        ).status_code
        for n in range(10)
    ]
    assert answers == [302] * 10
    assert Registration.objects.filter(event=event).count() == 10


def test_login_with_redis_down_works(client, personas, own_redis):
    own_redis.stop()
    started = time.monotonic()
    response = client.post("/accounts/login/", {"login": "resident@example.org", "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas["resident"].pk)
    # allauth's rate limit takes a short lock in the cache: it must not wait for a lock nobody holds.
    assert time.monotonic() - started < 0.9


def test_rate_limit_with_redis_down_fails_open(client, personas, own_redis, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "get_involved": (2, 3600)}
    own_redis.stop()
    data = {"name": "Ana", "email": "ana@example.org", "help_with": ["events"]}
    answers = [client.post("/cities/pittsburgh-pa/get-involved/", data).status_code for _ in range(4)]
    assert answers == [302, 302, 302, 302]


def test_healthz_with_redis_down_answers_503_naming_redis(client, db, real_broker):
    assert client.get("/healthz").json() == {"database": "ok", "cache": "ok", "broker": "ok", "status": "ok"}
    real_broker.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "cache": "failing: Redis unreachable (ConnectionError)",
        "broker": "failing: Redis unreachable (OperationalError)",
        "status": "failing",
    }


def test_healthz_with_redis_down_sends_no_email_to_the_admins(client, db, real_broker, settings, mailoutbox):
    settings.ADMINS = ["admin@example.org"]
    real_broker.stop()
    assert client.get("/healthz").status_code == 503
    assert mailoutbox == []


def test_a_registration_with_the_broker_down_is_stored_and_answered(
    client, db, real_broker, django_capture_on_commit_callbacks, caplog
):
    event = make_event(slug="housing-webinar")
    real_broker.stop()
    data = {"name": "Ana", "email": "ana@example.org", "organisation": "", "city_name": ""}
    # The confirmation email is enqueued after commit, inside the request in production; here the callbacks run
    # as the block closes, and an exception from them would fail the test.
    logged = caplog.at_level(logging.ERROR, logger="uprcities.celery")
    with logged, django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{event.slug}/register/", data)
    assert response.status_code == 302
    assert Registration.objects.filter(event=event, email="ana@example.org").count() == 1
    messages = [r.getMessage() for r in caplog.records if r.name == "uprcities.celery"]
    assert len(messages) == 1
    assert messages[0].startswith("celery: broker unreachable, task portal.send_email not enqueued (arguments [")
    assert messages[0].endswith(
        f"OperationalError: Error 111 connecting to 127.0.0.1:{real_broker.port}. Connection refused."
    )
    # The arguments' names only: the email's address stays out of the log.
    assert "ana@example.org" not in messages[0]


def test_a_task_with_the_broker_up_is_enqueued(db, real_broker):
    from portal.tasks import send_email

    result = send_email.delay(subject="s", body="b", html="h", to=["ana@example.org"])
    assert result is not None
    assert redis.Redis(port=real_broker.port, db=0).llen("celery") == 1


# --- PostgreSQL down ----------------------------------------------------------------------------------------

DATABASE_DOWN_SCRIPT = r"""
import json, os, sys
import django
from django.conf import settings
# No collectstatic here: plain static storage instead of the production manifest.
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}
django.setup()
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(raise_request_exception=False)
out = {}
def answer(name, path, **extra):
    r = client.get(path, **extra)
    text = r.content.decode()
    out[name] = {"status": r.status_code, "spanish": '<html lang="es">' in text, "retry_after": r.get("Retry-After"),
                 "traceback": "Traceback" in text, "body": text if path == "/healthz" else ""}
answer("home_es", "/", HTTP_ACCEPT_LANGUAGE="es")
answer("cities_en", "/cities/", HTTP_ACCEPT_LANGUAGE="en")
client.cookies["sessionid"] = "abcdefghijklmnopqrstuvwxyz012345"  # the session is read in a middleware
answer("signed_in_page", "/organize/", HTTP_ACCEPT_LANGUAGE="es")
del client.cookies["sessionid"]
answer("healthz_down", "/healthz")
out["admin_emails"] = len(mail.outbox)
# The database comes back: the same process serves again, without a restart.
connection.settings_dict.update(json.loads(os.environ["REAL_DATABASE"]))
answer("about_after", "/about-the-upr/")
answer("healthz_after", "/healthz")
print(json.dumps(out))
"""


def test_database_down_answers_503_in_the_visitors_language_and_recovers(db):
    real = django_settings.DATABASES["default"]
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "uprcities.settings",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "0",
        "SECRET_KEY": "s" * 50,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "ADMINS": "admin@example.org",
        "EMAIL_URL": "locmem://",
        "VAR_DIR": str(ROOT / "var"),
        "LOG_LEVEL": "CRITICAL",
        "DATABASE_URL": f"postgres://{real['USER']}@127.0.0.1:{free_port()}/{real['NAME']}",
        "REAL_DATABASE": json.dumps({key: real[key] for key in ("HOST", "PORT", "NAME", "USER", "PASSWORD")}),
    }
    result = subprocess.run(
        [sys.executable, "-c", DATABASE_DOWN_SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    down = {"status": 503, "retry_after": "30", "traceback": False, "body": ""}
    assert out["home_es"] == {**down, "spanish": True}
    assert out["cities_en"] == {**down, "spanish": False}
    assert out["signed_in_page"] == {**down, "spanish": True}
    assert out["healthz_down"]["status"] == 503
    health = json.loads(out["healthz_down"]["body"])
    assert health["database"] == "failing: OperationalError"
    assert health["status"] == "failing"
    assert out["admin_emails"] == 0
    assert out["about_after"]["status"] == 200
    assert out["healthz_after"]["status"] == 200


def test_a_view_that_loses_the_database_answers_the_503_page(client, db, monkeypatch):
    from cities import views

    def unreachable(**filters):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(views, "directory_cities", unreachable)
    client.cookies["django_language"] = "es"
    response = client.get("/cities/")
    assert response.status_code == 503
    assert '<html lang="es">' in response.text
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"


def test_database_outage_is_logged_as_a_warning_not_an_error(client, db, monkeypatch, caplog):
    from cities import views

    def unreachable(**filters):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "directory_cities", unreachable)
    with caplog.at_level(logging.INFO):
        client.get("/cities/")
    levels = {(r.name, r.levelname) for r in caplog.records if r.name in {"django.request", "portal.faults"}}
    assert levels == {("django.request", "WARNING"), ("portal.faults", "WARNING")}
