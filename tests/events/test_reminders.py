"""Reminders before an event: each offset once per confirmed registrant, planned from the database (frozen clock)."""

from __future__ import annotations

import datetime as dt

import pytest

from events.enums import EventStatus, RegistrationStatus
from events.models import Event, Registration
from events.services import send_due_event_reminders
from portal.models import ReminderLog
from tests.events.test_registration import JOIN, make_event

START = dt.datetime(2030, 3, 5, 23, 0, tzinfo=dt.UTC)  # 5 p.m. in Chicago


@pytest.fixture
def event(db):
    event = make_event(starts_at=START, ends_at=START + dt.timedelta(hours=1))
    for n, status in enumerate(["confirmed", "confirmed", "pending", "waitlisted", "cancelled"]):
        Registration.objects.create(event=event, name=f"P{n}", email=f"p{n}@example.org", status=status)
    return event


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_event_reminders(now=now)

    return run


def test_each_reminder_goes_once_to_each_confirmed_registrant(event, tick, mailoutbox):
    assert tick(START - dt.timedelta(hours=30)) == 0
    assert tick(START - dt.timedelta(hours=23, minutes=50)) == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["p0@example.org", "p1@example.org"]
    day_before = mailoutbox[0]
    assert day_before.subject == "[UPR Cities] Reminder: Housing is a human right"
    assert "starts on March 5, 2030, 5 p.m. (Central Time)" in day_before.body
    assert JOIN in day_before.body
    assert "/cancel/" in day_before.body
    # Ticks every 15 minutes until the next offset: nothing more.
    for minutes in range(0, 22 * 60 + 30, 15):  # up to 65 minutes before the start
        assert tick(START - dt.timedelta(hours=23, minutes=35) + dt.timedelta(minutes=minutes)) == 0
    assert tick(START - dt.timedelta(minutes=55)) == 2
    assert mailoutbox[-1].subject == "[UPR Cities] Starting soon: Housing is a human right"
    assert tick(START - dt.timedelta(minutes=40)) == 0
    assert tick(START - dt.timedelta(minutes=1)) == 0
    assert len(mailoutbox) == 4
    assert ReminderLog.objects.filter(kind="event_reminder").count() == 4
    assert set(ReminderLog.objects.values_list("offset", flat=True)) == {"24h", "1h"}


def test_never_after_the_start(event, tick, mailoutbox):
    assert tick(START) == 0
    assert tick(START + dt.timedelta(minutes=10)) == 0
    assert mailoutbox == []


def test_after_a_worker_outage_only_the_latest_due_reminder_goes(event, tick, mailoutbox):
    """The worker was down through the 24 h mark; 30 minutes before the start, only the 1 h reminder goes."""
    assert tick(START - dt.timedelta(minutes=30)) == 2
    assert {m.subject for m in mailoutbox} == {"[UPR Cities] Starting soon: Housing is a human right"}
    assert tick(START - dt.timedelta(minutes=15)) == 0
    assert list(ReminderLog.objects.values_list("offset", flat=True).distinct()) == ["1h"]


def test_postponement_re_plans_the_reminders(event, tick, mailoutbox):
    assert tick(START - dt.timedelta(hours=23)) == 2
    new_start = START + dt.timedelta(days=7)
    Event.objects.filter(pk=event.pk).update(
        starts_at=new_start, ends_at=new_start + dt.timedelta(hours=1), status=EventStatus.POSTPONED, sequence=1
    )
    # Nothing at the old times...
    assert tick(START - dt.timedelta(minutes=30)) == 0
    # ...and both reminders again before the new date.
    assert tick(new_start - dt.timedelta(hours=20)) == 2
    assert tick(new_start - dt.timedelta(minutes=45)) == 2
    assert len(mailoutbox) == 6
    # Same UTC hour, but Chicago is on daylight saving time by then.
    assert "starts on March 12, 2030, 6 p.m. (Central Time)" in mailoutbox[-1].body


def test_cancelled_and_held_events_get_no_reminders(event, tick, mailoutbox):
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CANCELLED)
    assert tick(START - dt.timedelta(hours=2)) == 0
    assert mailoutbox == []


def test_a_registrant_who_cancelled_gets_no_more_reminders(event, tick, mailoutbox):
    Registration.objects.filter(email="p1@example.org").update(status=RegistrationStatus.CANCELLED)
    assert tick(START - dt.timedelta(hours=2)) == 1
    assert mailoutbox[0].to == ["p0@example.org"]


def test_reminders_go_in_the_registrants_language(event, tick, mailoutbox):
    Registration.objects.filter(email="p0@example.org").update(language="es")
    tick(START - dt.timedelta(hours=2))
    by_address = {m.to[0]: m for m in mailoutbox}
    assert "March 5, 2030, 5 p.m." in by_address["p1@example.org"].body
    assert "5 de marzo de 2030" in by_address["p0@example.org"].body


def test_cheap_when_nothing_is_due(event, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert send_due_event_reminders(now=START - dt.timedelta(days=3)) == 0


def test_registered_as_a_periodic_job_and_uses_the_clock(
    event, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from portal.registry import periodic_jobs
    from portal.tasks import tick as beat_tick

    assert dict(periodic_jobs.items())["event_reminders"] is send_due_event_reminders
    monkeypatch.setattr(timezone, "now", lambda: START - dt.timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        outcome = beat_tick()
    assert outcome["event_reminders"] == "ok: 2"
    assert len(mailoutbox) == 2
