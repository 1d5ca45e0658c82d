"""Registrations' personal details are erased a set time after the event, or at once at the person's request."""

from __future__ import annotations

import datetime as dt

import pytest

from events import services
from events.enums import RegistrationStatus
from events.models import Registration
from events.retention import anonymise_past_registrations
from tests.events.test_registration import make_event

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
ERASED = ("", "", "", "", [], "")


def details(registration: Registration) -> tuple:
    registration.refresh_from_db()
    return (
        registration.name,
        registration.email,
        registration.organisation,
        registration.city_name,
        registration.access_needs,
        registration.access_note,
    )


def ended(days_before_now: float, slug: str):
    end = NOW - dt.timedelta(days=days_before_now)
    return make_event(slug=slug, starts_at=end - dt.timedelta(hours=1), ends_at=end)


def register(event, email: str, status=RegistrationStatus.CONFIRMED) -> Registration:
    return Registration.objects.create(
        event=event,
        name="Ana Pérez",
        email=email,
        organisation="Tenants United",
        city_name="Pittsburgh",
        access_needs=["captions"],
        access_note="Large print, please",
        status=status,
        confirmed_at=NOW - dt.timedelta(days=120) if status == RegistrationStatus.CONFIRMED else None,
    )


def test_registration_retention_erases_details_90_days_after_the_event_and_keeps_the_counts(client, db, settings):
    assert settings.REGISTRATION_RETENTION_DAYS_AFTER_EVENT == 90
    old, recent = ended(90.01, "old"), ended(89.99, "recent")
    confirmed, waitlisted = (
        register(old, "a@example.org"),
        register(old, "b@example.org", RegistrationStatus.WAITLISTED),
    )
    kept = register(recent, "c@example.org")

    assert anonymise_past_registrations(now=NOW) == 2

    assert details(confirmed) == ERASED
    assert details(waitlisted) == ERASED
    assert (confirmed.event, confirmed.status, confirmed.confirmed_at, confirmed.anonymised_at) == (
        old,
        RegistrationStatus.CONFIRMED,
        NOW - dt.timedelta(days=120),
        NOW,
    )
    assert waitlisted.status == RegistrationStatus.WAITLISTED
    assert details(kept) == (
        "Ana Pérez",
        "c@example.org",
        "Tenants United",
        "Pittsburgh",
        ["captions"],
        "Large print, please",
    )
    assert kept.anonymised_at is None
    assert sorted(Registration.objects.filter(event=old).values_list("status", flat=True)) == [
        "confirmed",
        "waitlisted",
    ]
    # Idempotent: nothing is left to erase.
    assert anonymise_past_registrations(now=NOW) == 0
    # The private link of an erased registration opens nothing.
    assert client.get(f"/events/registration/{confirmed.token}/").status_code == 404


def test_registration_retention_follows_the_setting(db, settings):
    settings.REGISTRATION_RETENTION_DAYS_AFTER_EVENT = 7
    registration = register(ended(8, "last-week"), "a@example.org")

    assert anonymise_past_registrations(now=NOW) == 1
    assert details(registration) == ERASED


def test_registration_retention_is_one_query_when_nothing_is_due(db, django_assert_num_queries):
    register(ended(10, "recent"), "a@example.org")
    with django_assert_num_queries(1):
        assert anonymise_past_registrations(now=NOW) == 0


def test_registration_retention_job_is_registered():
    from portal.registry import periodic_jobs

    assert dict(periodic_jobs.items())["registration_retention"] is anonymise_past_registrations


def test_erased_registrations_do_not_block_the_address(db):
    event = ended(100, "old")
    register(event, "a@example.org")
    anonymise_past_registrations(now=NOW)
    register(event, "b@example.org")
    anonymise_past_registrations(now=NOW)

    assert Registration.objects.filter(event=event, email="").count() == 2


# --- The person deletes their own registration ------------------------------------------------------------


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def test_registrant_deletes_their_registration_from_the_cancel_page_and_the_seat_moves_on(client, db, act, mailoutbox):
    event = make_event(capacity=1)
    holder = register(event, "holder@example.org")
    waiting = register(event, "waiting@example.org", RegistrationStatus.WAITLISTED)
    page = client.get(f"/events/registration/{holder.token}/cancel/")
    assert "Delete my registration and my details</button>" in page.text
    assert "Delete my registration and my details" in client.get(f"/events/registration/{holder.token}/").text

    response = act(client.post, f"/events/registration/{holder.token}/delete/")

    assert response.status_code == 200
    assert "Your registration for “Housing is a human right” is cancelled and your details are erased" in (
        response.text
    )
    assert response["Referrer-Policy"] == "same-origin"
    assert details(holder) == ERASED
    assert (holder.status, holder.anonymised_at is not None) == (RegistrationStatus.CANCELLED, True)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert [m.to for m in mailoutbox] == [["waiting@example.org"]]
    assert client.get(f"/events/registration/{holder.token}/").status_code == 404
    assert client.post(f"/events/registration/{holder.token}/delete/").status_code == 404


def test_registrant_deletes_an_already_cancelled_registration(client, db):
    registration = register(make_event(), "a@example.org")
    services.cancel(registration)

    client.post(f"/events/registration/{registration.token}/delete/")

    assert details(registration) == ERASED


ROLES = ["anonymous", "resident", "organizer_a", "organizer_b", "staff_mfa"]


@pytest.mark.parametrize("role", ROLES)
def test_registration_delete_url_by_role(client, personas, role):
    """The private link is the key, whoever is signed in: the page opens with it and never without it."""
    registration = register(make_event(host_city=personas["city_a"]), "a@example.org")
    if role != "anonymous":
        client.force_login(personas[role])

    assert client.get(f"/events/registration/{registration.token}/delete/").status_code == 200
    assert client.get(f"/events/registration/{registration.token[:-2]}xx/delete/").status_code == 404
    assert client.post(f"/events/registration/{registration.token[:-2]}xx/delete/").status_code == 404
    assert details(registration)[1] == "a@example.org"


def test_lobby_day_delegates_are_deleted_after_the_same_time(personas, settings):
    from events.models import Delegate
    from events.retention import delete_past_delegates

    settings.REGISTRATION_RETENTION_DAYS_AFTER_EVENT = 90
    city = personas["city_a"]
    old, recent = ended(91, "old-lobby-day"), ended(89, "recent-lobby-day")
    for event in (old, recent):
        Delegate.objects.create(event=event, city=city, name="Ana Pérez", email="ana@example.org", travel_note="ASL")
    assert delete_past_delegates(NOW) == 1
    assert list(Delegate.objects.values_list("event__slug", flat=True)) == ["recent-lobby-day"]
    assert delete_past_delegates(NOW) == 0  # idempotent
