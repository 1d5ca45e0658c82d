"""The render pipeline (reports.rendering, reports.tasks): one Render row per content version and format, claimed
with a lease, finished exactly once, failures recorded and retried; and a real worker killed mid-render, whose
task another worker finishes."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.utils import timezone

from reports import rendering
from reports.enums import RenderFormat, RenderStatus
from reports.models import Render
from reports.rendering import Busy, claim, current_render, request_render, retry_render, run
from tests.reports.factories import make_report
from tests.services import need, redis_url

PDF = RenderFormat.PDF


def small_report(city_factory):
    return make_report(city_factory(), sections=2, paragraphs_per_section=2, words_per_paragraph=40)


def rendered_files() -> list[Path]:
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "renders"
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    with path.open("rb") as pdf:
        return len(PdfReader(pdf).pages)


def test_asking_twice_gives_one_render_and_one_task(db, city_factory, django_capture_on_commit_callbacks):
    report = small_report(city_factory)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = request_render(report, "report", PDF)
        second = request_render(report, "report", PDF)

    assert second.pk == first.pk
    assert len(callbacks) == 1  # enqueued once; Celery is eager in tests, so the render ran
    render = Render.objects.get()
    assert render.status == RenderStatus.DONE
    assert render.attempts == 1
    assert render.error == ""
    assert render.pages > 0
    assert render.render_seconds > 0
    assert render.finished_at is not None
    assert render.lease_until is None
    assert render.filename.endswith(".pdf")
    path = Path(render.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert rendered_files() == [path]
    assert path.read_bytes().startswith(b"%PDF")
    assert page_count(path) == render.pages

    # Asking again later is free too: the same row, nothing queued.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert request_render(report, "report", PDF).pk == render.pk
    assert callbacks == []
    assert current_render(report, "report", PDF) == render


def test_the_pdf_and_the_word_file_are_separate_renders_of_the_same_version(
    db, city_factory, django_capture_on_commit_callbacks
):
    import docx

    report = small_report(city_factory)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pdf = request_render(report, "report", PDF)
        word = request_render(report, "report", RenderFormat.DOCX)

    assert len(callbacks) == 2
    assert word.pk != pdf.pk
    assert word.version == pdf.version
    word.refresh_from_db()
    assert word.status == RenderStatus.DONE, word.error
    assert word.filename.endswith(".docx")
    assert word.pages is None  # Word lays out its own pages
    path = Path(word.file.path)
    assert path.suffix == ".docx"
    assert any(p.text.strip() for p in docx.Document(path).paragraphs)
    assert len(rendered_files()) == 2


def test_an_edit_gives_a_new_version_and_a_new_render_and_keeps_the_old(
    db, city_factory, django_capture_on_commit_callbacks
):
    report = small_report(city_factory)
    with django_capture_on_commit_callbacks(execute=True):
        old = request_render(report, "report", PDF)
    old.refresh_from_db()

    section = report.sections.first()
    section.challenges += "\n\nA paragraph added after the first render."
    section.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        new = request_render(report, "report", PDF)

    assert len(callbacks) == 1
    assert new.pk != old.pk
    assert new.version != old.version
    new.refresh_from_db()
    assert new.status == RenderStatus.DONE
    assert Render.objects.count() == 2
    kept = Render.objects.get(pk=old.pk)
    assert kept.status == RenderStatus.DONE
    assert kept.file.name == old.file.name
    assert rendered_files() == sorted([Path(kept.file.path), Path(new.file.path)])
    assert current_render(report, "report", PDF) == new


def test_a_failed_render_is_recorded_and_can_be_retried(
    db, city_factory, django_capture_on_commit_callbacks, monkeypatch
):
    report = small_report(city_factory)

    def out_of_paper(document):
        raise RuntimeError("WeasyPrint ran out of paper")

    with monkeypatch.context() as patched:
        patched.setattr(rendering, "render_pdf", out_of_paper)
        with django_capture_on_commit_callbacks(execute=True):
            render = request_render(report, "report", PDF)

    render.refresh_from_db()
    assert render.status == RenderStatus.FAILED
    assert render.error == "RuntimeError: WeasyPrint ran out of paper"
    assert render.finished_at is not None
    assert render.render_seconds is not None
    assert render.lease_until is None
    assert not render.file
    assert rendered_files() == []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        retried = retry_render(render)
    assert len(callbacks) == 1
    assert retried.pk == render.pk
    render.refresh_from_db()
    assert render.status == RenderStatus.DONE
    assert render.error == ""
    assert render.attempts == 2
    assert rendered_files() == [Path(render.file.path)]

    # Retrying a render that is not failed does nothing.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert retry_render(render).status == RenderStatus.DONE
    assert callbacks == []
    assert Render.objects.get().attempts == 2


def test_the_lease_lets_one_attempt_at_a_time_and_only_the_latest_finishes(
    db, city_factory, django_capture_on_commit_callbacks, monkeypatch
):
    report = small_report(city_factory)
    with django_capture_on_commit_callbacks(execute=False):  # queued, not run
        queued = request_render(report, "report", PDF)
    assert queued.status == RenderStatus.QUEUED

    first = claim(queued.pk)
    assert first.status == RenderStatus.RUNNING
    assert first.attempts == 1
    assert first.lease_until > timezone.now()

    with pytest.raises(Busy) as busy:
        claim(queued.pk)
    assert 1 <= busy.value.seconds <= rendering.lease_seconds()
    assert Render.objects.get().attempts == 1

    # The first worker went quiet; its lease ran out and another worker takes over.
    Render.objects.filter(pk=queued.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    second = claim(queued.pk)
    assert second.status == RenderStatus.RUNNING
    assert second.attempts == 2

    # The stale first attempt finishes its file: it may not mark the row done, and its file goes.
    stale = run(first)
    assert stale.status == RenderStatus.RUNNING
    assert stale.attempts == 2
    assert not stale.file
    assert rendered_files() == []

    done = run(second)
    assert done.status == RenderStatus.DONE
    assert done.attempts == 2
    assert rendered_files() == [Path(done.file.path)]

    # A stale attempt that finishes (or fails) after the newer one is done changes nothing either.
    late = Render.objects.get(pk=queued.pk)
    late.attempts = 1
    assert run(late).status == RenderStatus.DONE
    with monkeypatch.context() as patched:
        patched.setattr(rendering, "render_pdf", lambda document: 1 / 0)
        late.attempts = 1
        assert run(late).status == RenderStatus.DONE
    final = Render.objects.get(pk=queued.pk)
    assert (final.status, final.file.name, final.error) == (RenderStatus.DONE, done.file.name, "")
    assert rendered_files() == [Path(done.file.path)]

    # Nothing to claim once done, or when the row is gone.
    assert claim(queued.pk) is None
    assert claim(queued.pk + 1000) is None


def test_a_render_of_content_that_changed_since_it_was_asked_for_fails_and_says_so(
    db, city_factory, django_capture_on_commit_callbacks
):
    report = small_report(city_factory)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        render = request_render(report, "report", PDF)
    report.executive_summary = "Rewritten while the render waited in the queue."
    report.save()
    for callback in callbacks:
        callback()

    render.refresh_from_db()
    assert render.status == RenderStatus.FAILED
    assert "the content changed after this render was asked for" in render.error
    assert render.finished_at is not None
    assert not render.file
    assert rendered_files() == []

    # Asking again renders the content as it is now.
    with django_capture_on_commit_callbacks(execute=True):
        fresh = request_render(report, "report", PDF)
    fresh.refresh_from_db()
    assert fresh.pk != render.pk
    assert fresh.status == RenderStatus.DONE


# --- a real worker killed mid-render ------------------------------------------------------------------------------

VISIBILITY_TIMEOUT = 3  # seconds before Redis gives an unacknowledged task to another worker
LEASE_SECONDS = 3


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{credentials}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{quote(db['NAME'])}"


def _worker_environment(broker_url: str) -> dict[str, str]:
    """A worker like production's, on the test database, broker and files, with short timeouts."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "REQUIRE_SERVICES", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="uprcities.settings",
        DATABASE_URL=_database_url(),
        CONN_MAX_AGE="0",
        CELERY_BROKER_URL=broker_url,
        CELERY_TASK_ALWAYS_EAGER="0",
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        RENDER_LEASE_SECONDS=str(LEASE_SECONDS),
        CACHE_URL="",  # the worker's own in-memory cache: never another run's Redis cache
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PRIVATE_MEDIA_ROOT=str(settings.PRIVATE_MEDIA_ROOT),
        PYTHONUNBUFFERED="1",
    )
    return env


class Worker:
    """`celery worker` in its own process group, logging to a file."""

    def __init__(self, name: str, queue: str, env: dict[str, str], log: Path) -> None:
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "uprcities",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                queue,
                "-n",
                f"{name}@%h",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown (what a deploy does), killed if it takes too long."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log_file.close()

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.log.name} ---\n" + "\n".join(text.splitlines()[-lines:])


def _purge(client, queue: str) -> None:
    """Remove the test queue and any of its messages still waiting for an acknowledgement."""
    priorities = [f"{queue}\x06\x16{priority}" for priority in (3, 6, 9)]
    client.delete(queue, *priorities, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    for tag, payload in client.hgetall("unacked").items():
        _message, exchange, routing_key = json.loads(payload)
        if queue in (exchange, routing_key):
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


def _wait_for(predicate, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def _status(pk: int) -> str | None:
    return Render.objects.filter(pk=pk).values_list("status", flat=True).first()


@pytest.mark.celery_worker  # the test process publishes to Redis for real (tests/conftest.py)
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_leaves_the_task_to_the_next_worker(city_factory, tmp_path, capsys):
    import redis

    from uprcities.celery import app

    need("PostgreSQL", settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), "set DATABASE_URL=postgres://")
    url = redis_url()
    need("Redis", url is not None, "start redis-server and set REDIS_URL=redis://127.0.0.1:6379/0")
    broker_url = app.conf.broker_url
    need("Redis", broker_url.startswith("redis"), f"the Celery broker is {broker_url}, not Redis")

    # ~70,000 words: over 150 pages, which WeasyPrint takes several seconds to lay out.
    report = make_report(city_factory(), sections=10, paragraphs_per_section=20, words_per_paragraph=350)
    queue = f"render-test-{uuid.uuid4().hex[:12]}"  # other tests' workers never see these tasks
    env = _worker_environment(broker_url)
    client = redis.Redis.from_url(broker_url)
    previous_queue = app.conf.task_default_queue
    workers: list[Worker] = []
    try:
        app.conf.task_default_queue = queue
        workers.append(Worker("render-test-1", queue, env, tmp_path / "worker-1.log"))
        render = request_render(report, "report", PDF)  # no transaction open: published at once
        assert render.status == RenderStatus.QUEUED

        running = _wait_for(lambda: _status(render.pk) == RenderStatus.RUNNING, timeout=30)
        assert running, f"the first worker never started the render\n{workers[0].tail()}"
        workers[0].kill()
        killed_at = time.monotonic()

        render.refresh_from_db()
        assert render.status == RenderStatus.RUNNING
        assert render.attempts == 1
        assert rendered_files() == []

        workers.append(Worker("render-test-2", queue, env, tmp_path / "worker-2.log"))
        finished = _wait_for(lambda: _status(render.pk) in (RenderStatus.DONE, RenderStatus.FAILED), timeout=90)
        took = time.monotonic() - killed_at
        render.refresh_from_db()
        assert finished, f"no worker finished the render within 90 s\n{workers[1].tail()}"
        assert render.status == RenderStatus.DONE, f"{render.error}\n{workers[1].tail()}"

        assert Render.objects.filter(object_id=report.pk, version=render.version).count() == 1
        assert render.attempts == 2
        assert rendered_files() == [Path(render.file.path)]
        assert render.pages > 100
        assert page_count(Path(render.file.path)) == render.pages
        with capsys.disabled():
            print(
                f"\nkill test: {render.pages} pages; second worker finished {took:.1f} s after the kill "
                f"(its render took {render.render_seconds:.1f} s)"
            )
    finally:
        for worker in workers:
            worker.stop()
        app.conf.task_default_queue = previous_queue
        _purge(client, queue)
        client.close()
