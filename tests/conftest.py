from __future__ import annotations

import os

import pytest
from django.conf import settings

from tests.services import need, services_required

# Live-server browser tests drive the synchronous ORM from Playwright's event loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"database: {engine}; REQUIRE_SERVICES={'1' if services_required() else '0'}"]


@pytest.fixture(autouse=True, scope="session")
def _database_is_what_ci_asked_for():
    """Under REQUIRE_SERVICES=1 the suite must run on PostgreSQL, never silently on SQLite."""
    if services_required():
        need(
            "PostgreSQL",
            settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
            "set DATABASE_URL=postgres://... for the tests",
        )


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # Tests look at fresh pages; tests/portal/test_page_cache.py turns the public page cache on.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    # Real hashing costs ~0.3 s per user; tests are not about password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    # A request in Spanish (the test client, a live server thread) leaves Spanish active in the thread that served
    # it: the next test starts from the default language.
    translation.deactivate()


@pytest.fixture
def user_factory(db, django_user_model):
    from allauth.account.models import EmailAddress

    def make(
        email: str = "resident@example.org",
        password: str = "correct horse battery",
        *,
        staff=False,
        verified=True,
        **extra,
    ):
        user = django_user_model.objects.create_user(email=email, password=password, is_staff=staff, **extra)
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def city_factory(db):
    from cities.enums import CityStatus
    from cities.models import City

    def make(name: str = "Pittsburgh", state: str = "PA", **extra):
        extra.setdefault("status", CityStatus.PARTICIPATING)
        return City.objects.create(name=name, state=state, slug=f"{name}-{state}".lower().replace(" ", "-"), **extra)

    return make


@pytest.fixture
def personas(user_factory, city_factory):
    """An organizer of city A, an organizer of city B, a resident without a team, and staff with and without MFA."""
    from cities.enums import Role
    from cities.models import Membership

    city_a = city_factory("Pittsburgh", "PA")
    city_b = city_factory("Boston", "MA")
    organizer_a = user_factory("organizer-a@example.org")
    organizer_b = user_factory("organizer-b@example.org")
    Membership.objects.create(user=organizer_a, city=city_a, role=Role.COORDINATOR)
    Membership.objects.create(user=organizer_b, city=city_b, role=Role.ORGANIZER)
    return {
        "city_a": city_a,
        "city_b": city_b,
        "organizer_a": organizer_a,
        "organizer_b": organizer_b,
        "resident": user_factory("resident@example.org"),
        "staff_no_mfa": user_factory("staff@example.org", staff=True),
        "staff_mfa": with_totp(user_factory("staff-mfa@example.org", staff=True)),
    }


def with_totp(user):
    """Give `user` an activated TOTP authenticator, as allauth stores it."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture(autouse=True)
def _celery_eager_unless_asked(request):
    """Tasks run eagerly in tests, except in tests marked `celery_worker`, which use a real worker on Redis."""
    from uprcities.celery import app

    eager = "celery_worker" not in request.keywords
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker_on_redis(transactional_db):
    """A real Celery worker (solo pool, in this process) consuming from the real Redis broker."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections

    from tests.services import redis_url
    from uprcities.celery import app

    url = redis_url()
    need("Redis", url is not None, "start redis-server and set REDIS_URL=redis://127.0.0.1:6379/0")
    app.conf.broker_url = url

    def close_worker_connections(**kwargs):
        # The worker thread opens its own database connections; close them where they were opened.
        # Django never closes an in-memory SQLite connection (close() keeps the database alive), so the
        # worker thread's one is closed directly; the test thread's connection keeps the shared database.
        for conn in connections.all(initialized_only=True):
            if conn.vendor == "sqlite" and conn.connection is not None:
                conn.connection.close()
                conn.connection = None
            else:
                conn.close()

    task_postrun.connect(close_worker_connections, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
            yield worker
    finally:
        task_postrun.disconnect(close_worker_connections)


@pytest.fixture
def smtp_sink():
    """An SMTP server of the test's own on a free port (tests/smtp.py): what it received, as raw bytes too."""
    import threading

    from tests.smtp import SmtpSink

    sink = SmtpSink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    yield sink
    sink.shutdown()
    sink.server_close()


@pytest.fixture
def superuser_client(client, personas):
    """A client signed in as a national-team superuser with two-factor authentication on."""
    staff = personas["staff_mfa"]
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    client.user = staff
    return client


@pytest.fixture
def page_cache(settings):
    """The page cache on, as in production (the test settings turn it off)."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what the block leaves for after commit, as a committed transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
