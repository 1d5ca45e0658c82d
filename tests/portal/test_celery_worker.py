import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.tasks import tick


def _wait_for(predicate, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.celery_worker
def test_tick_runs_in_a_real_worker_and_clears_expired_sessions(celery_worker_on_redis):
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timezone.timedelta(days=1)
    )
    alive = SessionStore()
    alive.create()

    result = tick.delay()

    assert result.id
    assert _wait_for(lambda: not Session.objects.filter(session_key=expired.session_key).exists())
    assert list(Session.objects.values_list("session_key", flat=True)) == [alive.session_key]


def test_tick_runs_every_registered_job_and_survives_a_failing_one(db, monkeypatch):
    from portal.registry import periodic_jobs

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(periodic_jobs, "_jobs", {"broken": broken, "clear": lambda: 3})

    assert tick.apply().get() == {"broken": "failed: boom", "clear": "ok: 3"}


def test_beat_schedule_is_a_single_tick_every_15_minutes(settings):
    assert settings.CELERY_BEAT_SCHEDULE == {"tick": {"task": "portal.tick", "schedule": 900}}
