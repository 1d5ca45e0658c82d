"""Browser tests: a real headless Chromium (Debian's) driven by Playwright against pytest-django's live server.

Every test in this folder is marked `browser`. Without Chromium the tests skip, naming it; under
REQUIRE_SERVICES=1 they fail instead. The live server runs in this process, so a test can read
`django.core.mail.outbox` and the database directly (pytest-django gives it a transactional database).
"""

from __future__ import annotations

import io
import re
from importlib import import_module
from pathlib import Path

import pytest

from tests.services import chromium_path, need

BROWSER_DIR = Path(__file__).resolve().parent

# Debian's Chromium: `playwright install` cannot download a browser build here, and CI installs the package.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches this Chromium with these arguments (its own options, e.g. --headed, kept)."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started only once the test database exists.

    Otherwise the (session) server starts before the first test's database setup, does not see that the SQLite
    test database is in memory, and its request threads each open a connection of their own that Django never
    closes (in-memory databases ignore close()): ResourceWarnings, errors in this suite.
    """
    return live_server


@pytest.fixture(scope="session", autouse=True)
def _chromium_is_installed():
    """Session-scoped so that it runs before pytest-playwright's session fixtures try to launch the browser."""
    need("Chromium", chromium_path() is not None, "install Debian's chromium (apt-get install -y chromium)")


@pytest.fixture
def consent_wording(transactional_db):
    """The flush after each transactional test also empties the rows the migrations created: the first consent
    wording (testimony migration 0002), which every testimony needs, is put back as the migration wrote it."""
    from django.apps import apps

    import_module("testimony.migrations.0002_consent_text_and_permissions").add_first_consent_text(apps, None)


@pytest.fixture
def demo_data(consent_wording):
    """The real UN data, cities and webinars, as `make run` shows them (flushed again after the test)."""
    from django.core.management import call_command

    from cities.models import City
    from upr.models import Recommendation

    call_command("load_demo", stdout=io.StringIO())
    assert City.objects.exists() and Recommendation.objects.exists(), "load_demo loaded no cities or recommendations"


def save_screenshot(page, request, name: str) -> Path:
    """Save a full-page PNG as test-results/<test>/<name>.png, beside pytest-playwright's own artifacts.

    `output_path` is pytest-playwright's folder for this test: `--output` (default test-results, relative to
    where pytest runs, i.e. the repository root) plus the test's node id; pytest-playwright empties --output
    at the start of each session.
    """
    folder = Path(request.getfixturevalue("output_path"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(context, live_server, user) -> None:
    """Log `user` in to a browser context without the login form: Django's test client makes the session (as
    force_login does, no password or two-factor step) and its cookie is copied into the context."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie.value, "url": live_server.url}])
