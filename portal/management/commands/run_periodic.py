"""The beat tick without Celery beat or Redis, for the embedded default (`make run` starts it beside runserver).

In production Celery beat sends the tick every 15 minutes (CELERY_BEAT_SCHEDULE); without it, no reminder,
digest or retention job would ever run. The jobs find what is due in the database, so a tick from here and one from
a beat at the same time, or a tick missed while the laptop slept, are harmless.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from portal.tasks import tick

DEFAULT_EVERY = 15 * 60


class Command(BaseCommand):
    help = "Run the periodic jobs (reminders, digests, retention) every --every seconds, or once with --once."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=DEFAULT_EVERY,
            help=f"seconds between ticks (default {DEFAULT_EVERY}, as Celery beat in production)",
        )
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args, every: int, once: bool, **options) -> None:
        if every < 1:
            raise CommandError("--every must be at least 1 second.")
        if once:
            self._tick(every_job=True)
            return
        stop = threading.Event()
        # `make run` stops this process with SIGTERM when runserver ends: finish quietly, between ticks.
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        self.stdout.write(f"Periodic jobs (reminders, digests, retention) run now and every {every} seconds.")
        try:
            while not stop.is_set():
                self._tick(every_job=False)
                stop.wait(every)
        except KeyboardInterrupt:
            pass

    def _tick(self, *, every_job: bool) -> None:
        """One tick; prints each job's outcome with --once, and only the failures in the loop (runserver's
        console is where `make run` shows this: a line per job every 15 minutes would bury the requests)."""
        # Called directly, not through the broker: this stands in for the beat and the worker both. One failing
        # job is logged by tick() and does not stop the others.
        outcome = tick()
        failed = {name: result for name, result in outcome.items() if result.startswith("failed")}
        for name, result in outcome.items():
            if name in failed:
                self.stderr.write(self.style.ERROR(f"periodic job {name}: {result}"))
            elif every_job:
                self.stdout.write(f"periodic job {name}: {result}")
        if not every_job:
            self.stdout.write(f"Periodic jobs: {len(outcome) - len(failed)} ran, {len(failed)} failed.")
