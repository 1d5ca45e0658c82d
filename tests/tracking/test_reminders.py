"""Reminders: organizers of items without an update for 90 days, offices whose reply is due; each exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from portal import optout
from tests.tracking.factories import make_tracked
from tracking import reminders, services
from tracking.models import StatusUpdate, TrackedItem


@pytest.fixture
def city(personas):
    return personas["city_a"]


def _run(job, capture, now):
    with capture(execute=True):
        return job(now)


def test_stale_items_remind_each_organizer_once(city, personas, django_capture_on_commit_callbacks):
    items = make_tracked(city, count=2, updates_each=1, evidence=False)
    old = timezone.now() - dt.timedelta(days=100)
    StatusUpdate.objects.filter(item__in=items).update(recorded_at=old)
    fresh = make_tracked(city, count=1, updates_each=1, evidence=False, start=10)[0]
    assert fresh.updates.get().recorded_at > old
    now = timezone.now()
    assert _run(reminders.send_stale_reminders, django_capture_on_commit_callbacks, now) == 1
    assert [m.to for m in mail.outbox] == [["organizer-a@example.org"]]
    body = mail.outbox[0].body
    assert "Recommendation 26.1" in body and "Recommendation 26.2" in body and "26.10" not in body
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    # Exactly once: the next ticks send nothing.
    assert _run(reminders.send_stale_reminders, django_capture_on_commit_callbacks, now + dt.timedelta(hours=1)) == 0
    # A new update starts the clock over; 100 days later that item is reminded again, alone.
    update = services.record_update(
        items[0], status="in_progress", what_changed="x", observed_on=dt.date(2026, 1, 1), by=None
    )
    StatusUpdate.objects.filter(pk=update.pk).update(recorded_at=now + dt.timedelta(days=1))
    later = now + dt.timedelta(days=101)
    StatusUpdate.objects.filter(item=fresh).update(recorded_at=later)
    assert _run(reminders.send_stale_reminders, django_capture_on_commit_callbacks, later) == 1
    assert "Recommendation 26.1" in mail.outbox[1].body and "Recommendation 26.2" not in mail.outbox[1].body


def test_a_stopped_organizer_gets_no_stale_reminder(city, django_capture_on_commit_callbacks):
    make_tracked(city, count=1, updates_each=0, evidence=False)
    TrackedItem.objects.update(added_at=timezone.now() - dt.timedelta(days=200))
    optout.stop("organizer-a@example.org", reminders.STALE_KIND)
    assert _run(reminders.send_stale_reminders, django_capture_on_commit_callbacks, timezone.now()) == 0


def test_an_office_is_reminded_once_when_its_reply_is_due(city, personas, django_capture_on_commit_callbacks):
    item = make_tracked(city, count=1, updates_each=1, evidence=False)[0]
    reminders.Reply.objects.all().delete()  # the factory's reply; this test asks its own
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.request_reply(item.updates.get(), by=personas["organizer_a"], days=10)
    mail.outbox.clear()
    now = timezone.now()
    assert _run(reminders.send_reply_due_reminders, django_capture_on_commit_callbacks, now) == 0  # not due yet
    due_soon = now + dt.timedelta(days=8)
    assert _run(reminders.send_reply_due_reminders, django_capture_on_commit_callbacks, due_soon) == 1
    assert [m.to for m in mail.outbox] == [["housing@city.example.org"]]
    assert services.reply_url(reply) in mail.outbox[0].body
    assert _run(reminders.send_reply_due_reminders, django_capture_on_commit_callbacks, due_soon) == 0
