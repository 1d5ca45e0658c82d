"""`manage.py run_periodic`: the beat tick for the embedded default, which has no Celery beat."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from portal.registry import JobRegistry


@pytest.fixture
def jobs(monkeypatch):
    """Three registered jobs in place of the real ones, the middle one failing; `ran` lists the calls."""
    from portal import tasks

    registry = JobRegistry()
    ran: list[str] = []

    def failing():
        ran.append("second")
        raise RuntimeError("the mail server is down")

    registry.register("first", lambda: ran.append("first") or 2)
    registry.register("second", failing)
    registry.register("third", lambda: ran.append("third") or 0)
    monkeypatch.setattr(tasks, "periodic_jobs", registry)
    return ran


def test_run_periodic_once_runs_every_registered_job_once(db, jobs):
    out, err = io.StringIO(), io.StringIO()

    call_command("run_periodic", "--once", stdout=out, stderr=err)

    assert jobs == ["first", "second", "third"]
    assert out.getvalue().splitlines() == ["periodic job first: ok: 2", "periodic job third: ok: 0"]
    assert err.getvalue().splitlines() == ["periodic job second: failed: the mail server is down"]


def test_run_periodic_loop_ticks_until_stopped(db, jobs, monkeypatch):
    """The loop ticks at once, waits --every seconds, ticks again; here the second wait is a Ctrl-C."""
    import threading

    waits: list[float] = []

    def wait(self, timeout):
        waits.append(timeout)
        if len(waits) == 2:
            raise KeyboardInterrupt
        return False

    monkeypatch.setattr(threading.Event, "wait", wait)
    out, err = io.StringIO(), io.StringIO()

    call_command("run_periodic", "--every", "60", stdout=out, stderr=err)

    assert jobs == ["first", "second", "third"] * 2
    assert waits == [60, 60]
    assert out.getvalue().splitlines() == [
        "Periodic jobs (reminders, digests, retention) run now and every 60 seconds.",
        "Periodic jobs: 2 ran, 1 failed.",
        "Periodic jobs: 2 ran, 1 failed.",
    ]
    assert err.getvalue().count("periodic job second: failed: the mail server is down") == 2


def test_run_periodic_refuses_a_zero_interval(db):
    with pytest.raises(CommandError, match="--every must be at least 1 second."):
        call_command("run_periodic", "--every", "0")


def test_run_periodic_once_runs_the_real_registered_jobs(db):
    """Every job the apps register runs without error on an empty database."""
    from portal.registry import periodic_jobs

    out, err = io.StringIO(), io.StringIO()

    call_command("run_periodic", "--once", stdout=out, stderr=err)

    assert err.getvalue() == ""
    names = [line.split(":")[0].removeprefix("periodic job ") for line in out.getvalue().splitlines()]
    assert names == [name for name, _job in periodic_jobs.items()] and len(names) > 3
