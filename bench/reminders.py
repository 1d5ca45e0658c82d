"""Deadline reminder benchmark: one tick of `reports.reminders.send_due_deadline_reminders` over 1,000 cities with
5 organizers each (BENCH_CITIES, BENCH_ORGANIZERS), 30 days before a "local reports due" milestone.

Run with `make bench-reminders`. Uses a throw-away SQLite database in a temporary folder, or the PostgreSQL
database named by BENCH_DATABASE_URL (migrated first; the benchmark's rows are deleted at the start of a run, so
run it on a database of its own). Celery is eager and email goes to the in-memory (locmem) backend, so the timed
tick includes everything a worker would do: the reads, the ReminderLog claims, rendering each email (text, HTML,
its own stop link) and handing it to the email backend. Timed:

- tick 1: sends the 30-day reminder to every organizer (5,000 emails) and the digest to the national team;
- tick 2, a quarter of an hour later: nothing left to send (what every later tick costs until the next offset);
- tick 1 again (its ReminderLog rows deleted) with the email task replaced by a list: the tick's own work in
  production, where workers deliver the emails afterwards (rendering and claiming included, delivery not);
- moving the milestone: one "deadline moved" notice per organizer (again 5,000), from the task the save enqueues;
- tick 3: nothing due any more (the milestone moved beyond its 30-day offset): one query.

Prints a table, and the same figures as one line of JSON on the last line of stdout.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchenv import start  # noqa: E402

start("reminders", email_url="locmem://")

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import NATIONAL_TEAM  # noqa: E402
from cities.enums import CityStatus  # noqa: E402
from cities.models import City, Membership  # noqa: E402
from portal.models import ReminderLog  # noqa: E402
from portal.tasks import send_email  # noqa: E402
from reports.reminders import send_due_deadline_reminders  # noqa: E402
from upr.enums import Audience, MilestoneKind  # noqa: E402
from upr.models import Milestone, ReviewCycle  # noqa: E402

CITIES = int(os.environ.get("BENCH_CITIES", "1000"))
ORGANIZERS = int(os.environ.get("BENCH_ORGANIZERS", "5"))
STAFF = 3
DOMAIN = "bench-reminders.example.org"
UNUSABLE = make_password(None)  # no hashing: not what is measured


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(label: str, run) -> dict:
    counter = QueryCounter()
    mail.outbox = []
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - start
    return {
        "step": label,
        "seconds": round(seconds, 3),
        "queries": counter.count,
        "sent": result,
        "emails": len(mail.outbox),
    }


def setup(today: dt.date) -> Milestone:
    """The cities, their teams and the national team, in bulk (passwords unusable: hashing is not measured)."""
    with transaction.atomic():
        ReminderLog.objects.filter(recipient__endswith=DOMAIN).delete()
        Membership.objects.filter(city__slug__startswith="bench-").delete()
        City.objects.filter(slug__startswith="bench-").delete()
        User.objects.filter(email__endswith=DOMAIN).delete()
        Milestone.objects.filter(title__startswith="Bench:").delete()
        cities = City.objects.bulk_create(
            City(name=f"Bench {n:04d}", state="PA", slug=f"bench-{n:04d}", status=CityStatus.PARTICIPATING)
            for n in range(CITIES)
        )
        users = User.objects.bulk_create(
            User(email=f"o{n:04d}-{k}@{DOMAIN}", password=UNUSABLE, preferred_language="es" if k == 0 else "")
            for n in range(CITIES)
            for k in range(ORGANIZERS)
        )
        # SQLite and PostgreSQL both return the new primary keys from bulk_create.
        Membership.objects.bulk_create(
            Membership(user=users[n * ORGANIZERS + k], city=city)
            for n, city in enumerate(cities)
            for k in range(ORGANIZERS)
        )
        group, _created = Group.objects.get_or_create(name=NATIONAL_TEAM)
        for n in range(STAFF):
            staff = User.objects.create(email=f"staff{n}@{DOMAIN}", password=UNUSABLE, is_staff=True)
            staff.groups.add(group)
        cycle = ReviewCycle.objects.order_by("-number").first() or ReviewCycle.objects.create(number=4)
        return Milestone.objects.create(
            cycle=cycle,
            kind=MilestoneKind.LOCAL_INPUT_DUE,
            title="Bench: local reports due",
            date=today + dt.timedelta(days=30),
            audience=Audience.EVERYONE,
            reminder_offsets=[30, 14, 7, 1],
        )


def main() -> None:
    call_command("migrate", verbosity=0)
    now = timezone.now()
    today = timezone.localdate(now)
    start = time.perf_counter()
    milestone = setup(today)
    setup_seconds = time.perf_counter() - start
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"database: {engine}; {CITIES:,} cities x {ORGANIZERS} organizers, {STAFF} national-team staff "
        f"(set up in {setup_seconds:.1f} s); email backend: locmem; Celery: eager"
    )

    def move():
        milestone.date += dt.timedelta(days=7)
        milestone.save()  # the task runs at commit (eager), inside this call
        return ReminderLog.objects.filter(
            kind="deadline_moved", subject_key__startswith=f"milestone:{milestone.pk}:"
        ).count()

    def enqueue_only():
        """Tick 1 again (its log rows deleted beforehand) with the delivery task replaced by a list: what the tick
        itself costs in production, where workers deliver the emails afterwards (the broker's publish excluded)."""
        queued: list[dict] = []
        # Answering something (not None, which means "broker down" to the outbox) so that every email is handed over.
        with mock.patch.object(send_email, "delay", lambda **kwargs: queued.append(kwargs) or kwargs):
            sent = send_due_deadline_reminders(now=now)
        assert sent == len(queued)
        return sent

    rows = [
        timed("tick 1: 30-day reminders", lambda: send_due_deadline_reminders(now=now)),
        timed("tick 2: nothing new", lambda: send_due_deadline_reminders(now=now + dt.timedelta(minutes=15))),
    ]
    ReminderLog.objects.filter(subject_key__startswith=f"milestone:{milestone.pk}").delete()
    rows += [
        timed("tick 1 again, not delivered", enqueue_only),
        timed("milestone moved: notices", move),
        timed("tick 3: nothing new", lambda: send_due_deadline_reminders(now=now + dt.timedelta(minutes=30))),
    ]
    print(f"{'step':30} {'seconds':>8} {'queries':>8} {'emails':>7} {'ms/email':>9}")
    for row in rows:
        count = row["emails"] or row["sent"]
        per = f"{1000 * row['seconds'] / count:9.2f}" if count else f"{'-':>9}"
        print(f"{row['step']:30} {row['seconds']:8.3f} {row['queries']:8d} {count:7,d} {per}")
    expected = CITIES * ORGANIZERS + STAFF + (1 if settings.NATIONAL_TEAM_EMAIL else 0)
    assert rows[0]["emails"] == rows[2]["sent"] == expected, (rows[0]["emails"], expected)
    assert rows[1]["sent"] == rows[4]["sent"] == rows[2]["emails"] == 0
    assert rows[3]["emails"] == CITIES * ORGANIZERS
    print(json.dumps({"database": engine, "cities": CITIES, "organizers_per_city": ORGANIZERS, "steps": rows}))


if __name__ == "__main__":
    main()
