"""A reminder whose email cannot be handed to the broker is not lost: its ReminderLog claim and its outbox row
commit together, and the tick hands the row over when the broker is back."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from events.models import Registration
from events.services import send_due_event_reminders
from portal.models import OutgoingEmail, OutgoingEmailStatus, ReminderLog
from portal.tasks import tick
from tests.events.test_registration import make_event
from tests.portal import test_outbox

START = dt.datetime(2030, 3, 5, 23, 0, tzinfo=dt.UTC)
DAY_BEFORE = START - dt.timedelta(hours=23, minutes=50)

broker_down = test_outbox.broker_down  # the fixture: enqueueing meets a broker that is down


@pytest.fixture
def event(db):
    event = make_event(starts_at=START, ends_at=START + dt.timedelta(hours=1))
    Registration.objects.create(event=event, name="Ana", email="ana@example.org", status="confirmed")
    return event


def test_reminder_with_the_broker_down_is_sent_once_by_the_tick_when_it_is_back(
    event, broker_down, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_event_reminders(now=DAY_BEFORE) == 1
    assert mailoutbox == []
    assert list(OutgoingEmail.objects.values_list("template", "status")) == [
        ("event_reminder", OutgoingEmailStatus.QUEUED)
    ]
    broker_down()  # back
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_event_reminders(now=DAY_BEFORE + dt.timedelta(minutes=15)) == 0  # claimed: not again
    tick()
    tick()
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]
    assert mailoutbox[0].subject == "[UPR Cities] Reminder: Housing is a human right"
    assert list(OutgoingEmail.objects.values_list("status", flat=True)) == [OutgoingEmailStatus.SENT]


def test_reminder_claim_is_rolled_back_with_an_outbox_write_that_failed(
    event, django_capture_on_commit_callbacks, mailoutbox
):
    with (
        mock.patch("portal.mail._store", side_effect=RuntimeError("database went away")),
        pytest.raises(RuntimeError),
    ):
        send_due_event_reminders(now=DAY_BEFORE)
    # No claim stands for an email that was never written: the next tick sends it.
    assert ReminderLog.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_event_reminders(now=DAY_BEFORE + dt.timedelta(minutes=15)) == 1
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]
