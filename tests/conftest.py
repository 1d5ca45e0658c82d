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
        need("PostgreSQL", settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
             "set DATABASE_URL=postgres://... for the tests")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def user_factory(db, django_user_model):
    from allauth.account.models import EmailAddress

    def make(email: str = "resident@example.org", password: str = "correct horse battery", *, staff=False,
             verified=True, **extra):
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
        return City.objects.create(name=name, state=state, slug=f"{name}-{state}".lower().replace(" ", "-"),
                                   **extra)

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
        "city_a": city_a, "city_b": city_b,
        "organizer_a": organizer_a, "organizer_b": organizer_b,
        "resident": user_factory("resident@example.org"),
        "staff_no_mfa": user_factory("staff@example.org", staff=True),
        "staff_mfa": with_totp(user_factory("staff-mfa@example.org", staff=True)),
    }


def with_totp(user):
    """Give `user` an activated TOTP authenticator, as allauth stores it."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user
