"""Deadline reminders for local reports (DESIGN.md flow 5): planned from the database, sent exactly once.

Which milestones remind cities: the "local reports due" ones (MilestoneKind.LOCAL_INPUT_DUE: the only deadline on
which cities act; the stakeholder report due to the UN is the national team's own) whose audience includes the
organizers (everyone or organizers) and that have reminder offsets (empty means no reminders).

Which cities: the active ones (City.objects.active(): participating, or marked "report submitted") whose local
report for the milestone's cycle is not submitted: no report yet, a draft, or a report returned with comments.
Submitted and accepted reports are done. Exploring cities have not joined the review, so nothing is asked of them.
Who: every member of the city's team (organizers and coordinators) with an active account.

When, in the portal's time zone (settings.TIME_ZONE, the national team's): on each tick the step due for a
milestone is the latest offset whose day has come, `d<o>` for the smallest offset o with date - o days <= today,
while the deadline is today or later. Earlier offsets missed (worker down, milestone created late, report
returned late) are skipped, never sent in a burst. From the day after the deadline, and for OVERDUE_DAYS days
(enough to cover an outage), the step is `overdue`: one "the deadline has passed" notice, then nothing more; the
national team follows up late cities itself.

What goes, per due step:
- each organizer of each concerned city: one "deadline_reminder" email (optional: the "deadline_reminders" kind,
  with a one-click stop link) about that city, in the organizer's language;
- the national team (settings.NATIONAL_TEAM_EMAIL and the active staff of the "national team" group): one
  "deadline_digest" (optional: "deadline_digest") listing the cities that have not submitted, with their status
  and days left or late, and how many organizers each has (a city with none is nobody's reminder).

Exactly once: each email is a ReminderLog row, kind "deadline" / "deadline_digest", subject_key
`milestone:<id>:city:<id>` / `milestone:<id>`, the recipient, and offset `<milestone date>:<step>` (e.g.
`2027-02-15:d14`): the date in the key means that moving a milestone plans a new set of reminders, which offsets
sent for the old date do not block. A new organizer gets the step due now, not the missed ones. Rows are claimed in
bulk by `INSERT ... ON CONFLICT DO NOTHING RETURNING` and an email is rendered and enqueued only for a row this
tick inserted, in the same transaction (send_templated_email sends after commit): two ticks at once wait on each
other's uncommitted rows and each sends only what it inserted; a rolled-back tick has claimed nothing and sent
nothing. Addresses that stopped a kind of email are neither claimed nor sent to (an "undo" then gets the step due
at that time).

Moving a milestone (its date changes on save, in the admin or anywhere else that calls save(); queryset.update()
does not announce anything) sends each organizer of each concerned city one "deadline_moved" email, old date and
new date (ReminderLog kind "deadline_moved", offset `moved:<old>:<new>`), from a task enqueued after the save
commits. That notice is about a commitment that changed, so it is not optional. It stands in for the reminder due
at that moment (that step is claimed with it), so the next tick does not send a second email about the same date.

Queries: a tick where nothing is due costs one query; otherwise a fixed number plus three INSERTs per
portal.claims.CLAIM_BATCH emails (the claims, and the emails' outbox rows and recipients), whatever the number of
cities.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import NATIONAL_TEAM
from cities.enums import ACTIVE_STATUSES
from cities.models import City, Membership
from portal import claims
from portal.claims import ClaimKey
from portal.mail import send_each
from portal.models import ReminderLog
from portal.optout import opted_out_by_kind, optional_emails
from portal.tasks import delay_or_run
from reports.enums import ReportStatus, owes_report
from reports.models import LocalReport
from upr.enums import Audience, MilestoneKind
from upr.models import Milestone

# ReminderLog kinds.
REMINDER = "deadline"
DIGEST = "deadline_digest"
MOVED = "deadline_moved"
# Opt-out kinds (portal.optout): what a person can stop.
OPTOUT_REMINDERS = "deadline_reminders"
OPTOUT_DIGEST = "deadline_digest"

REMINDED_KINDS = [MilestoneKind.LOCAL_INPUT_DUE]
REMINDED_AUDIENCES = [Audience.EVERYONE, Audience.ORGANIZERS]
OVERDUE = "overdue"
# The "deadline passed" notice goes on the first tick from the day after the deadline, if that comes within this
# many days (a worker down longer than that does not send a stale notice).
OVERDUE_DAYS = 7
MAX_OFFSET_DAYS = 365  # Milestone.clean() allows offsets up to a year


# --- When -------------------------------------------------------------------------------------------------


def reminds_cities(milestone: Milestone) -> bool:
    return (
        milestone.kind in REMINDED_KINDS
        and milestone.audience in REMINDED_AUDIENCES
        and bool(milestone.reminder_offsets)
    )


def due_step(milestone: Milestone, today: dt.date) -> str | None:
    """The one step to send on `today`: `d<o>` for the latest offset whose day has come (missed earlier ones are
    skipped), `overdue` from the day after the deadline for OVERDUE_DAYS days, otherwise None."""
    offsets = [o for o in milestone.reminder_offsets or [] if isinstance(o, int) and o >= 0]
    if not offsets:
        return None
    if milestone.date < today:
        return OVERDUE if (today - milestone.date).days <= OVERDUE_DAYS else None
    due = [o for o in offsets if milestone.date - dt.timedelta(days=o) <= today]
    return f"d{min(due)}" if due else None


def offset_key(date: dt.date, step: str) -> str:
    return f"{date.isoformat()}:{step}"


def city_key(milestone_id: int, city_id: int) -> str:
    return f"milestone:{milestone_id}:city:{city_id}"


def digest_key(milestone_id: int) -> str:
    return f"milestone:{milestone_id}"


def _milestones_in_reach(today: dt.date) -> list[Milestone]:
    """The milestones that may have a step due (one query on the date index; offsets are checked in Python)."""
    return list(
        Milestone.objects.filter(
            kind__in=REMINDED_KINDS,
            audience__in=REMINDED_AUDIENCES,
            date__gte=today - dt.timedelta(days=OVERDUE_DAYS),
            date__lte=today + dt.timedelta(days=MAX_OFFSET_DAYS),
        )
        .select_related("cycle")
        .order_by("date", "pk")
    )


# --- Who ----------------------------------------------------------------------------------------------------


@dataclass
class Concerned:
    """A city that has not submitted its report for a cycle, and its team."""

    city: City
    report_status: str | None  # None: no report started
    organizers: list[tuple[str, str]] = field(default_factory=list)  # (email, language)


def _not_submitted(cycle_ids: Iterable[int]) -> dict[int, list[Concerned]]:
    """{cycle id: the active cities that have not submitted for it, by name, with their teams}: three queries."""
    cycle_ids = sorted(set(cycle_ids))
    cities = list(City.objects.active().only("id", "name", "state", "slug").order_by("name", "state", "pk"))
    statuses: dict[tuple[int, int], str] = {
        (cycle_id, city_id): status
        for cycle_id, city_id, status in LocalReport.objects.filter(
            cycle_id__in=cycle_ids, city__status__in=ACTIVE_STATUSES
        ).values_list("cycle_id", "city_id", "status")
    }
    teams: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = (
        Membership.objects.filter(city__status__in=ACTIVE_STATUSES, user__is_active=True)
        .order_by("city_id", "user__email")
        .values_list("city_id", "user__email", "user__preferred_language")
    )
    for city_id, email, language in rows:
        teams[city_id].append((email.lower(), language or settings.LANGUAGE_CODE))
    found: dict[int, list[Concerned]] = {}
    for cycle_id in cycle_ids:
        found[cycle_id] = [
            Concerned(city, statuses.get((cycle_id, city.pk)), teams.get(city.pk, []))
            for city in cities
            if owes_report(statuses.get((cycle_id, city.pk)))
        ]
    return found


def national_team_recipients() -> list[tuple[str, str]]:
    """(email, language) of the national team's shared address and its active staff, one query."""
    User = get_user_model()
    people = {settings.NATIONAL_TEAM_EMAIL.lower(): settings.LANGUAGE_CODE} if settings.NATIONAL_TEAM_EMAIL else {}
    staff = User.objects.filter(is_active=True, is_staff=True, groups__name=NATIONAL_TEAM).values_list(
        "email", "preferred_language"
    )
    for email, language in staff:
        people.setdefault(email.lower(), language or settings.LANGUAGE_CODE)
    return sorted(people.items())


def _status_label(status: str | None) -> str:
    return ReportStatus(status).label if status else _("not started")


@dataclass(frozen=True)
class Outgoing:
    key: ClaimKey
    template: str
    context: dict
    language: str
    optional: str | None  # opt-out kind, or None for a notice every recipient gets


def _send_claimed(outgoing: list[Outgoing], now: dt.datetime) -> int:
    """Claim and enqueue through portal.claims; return how many were sent. The organizers of one city get the same
    email: it is rendered once per language (send_each), each message getting its own stop link."""

    def send(claimed: list[Outgoing]) -> int:
        same_email: dict[tuple, tuple[Outgoing, list[tuple[str, str]]]] = {}
        for item in claimed:
            group = (item.template, id(item.context), item.optional)
            same_email.setdefault(group, (item, []))[1].append((item.key[2], item.language))
        return sum(
            send_each(first.template, recipients, first.context, optional=first.optional)
            for first, recipients in same_email.values()
        )

    return claims.claim_and_send(outgoing, key=lambda item: item.key, send=send, now=now)


# --- The tick ----------------------------------------------------------------------------------------------


def _reminder_context(milestone: Milestone, concerned: Concerned, today: dt.date, step: str) -> dict:
    days = milestone.days_left(today)
    return {
        "milestone": milestone,
        "city": concerned.city,
        "step": step,
        "overdue": step == OVERDUE,
        "days_left": max(days, 0),
        "days_late": max(-days, 0),
        "report_status": concerned.report_status,
        "report_status_label": _status_label(concerned.report_status),
    }


def send_due_deadline_reminders(now: dt.datetime | None = None) -> int:
    """The periodic job (every tick). Steps:

    1. one query: the milestones that remind cities and may have a step due; per milestone, the step due today
       (none: done, one query in all);
    2. the concerned cities for those milestones' cycles, their teams, the national team, what was already
       logged and who opted out: a fixed number of queries;
    3. per organizer of each concerned city not yet logged for (milestone, city, date and step) and not opted
       out, a "deadline_reminder"; per national-team address not yet logged and not opted out, a
       "deadline_digest" of the cities not submitted (none when every city has submitted);
    4. claim them all (portal.claims, in bulk) and enqueue only the claimed ones, in the same
       transaction. Returns how many emails were sent.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    plans = [(m, step) for m in _milestones_in_reach(today) if reminds_cities(m) and (step := due_step(m, today))]
    if not plans:
        return 0
    concerned_by_cycle = _not_submitted(m.cycle_id for m, _step in plans)
    team = national_team_recipients()

    outgoing: list[Outgoing] = []
    for milestone, step in plans:
        offset = offset_key(milestone.date, step)
        concerned = concerned_by_cycle[milestone.cycle_id]
        for item in concerned:
            context = _reminder_context(milestone, item, today, step)
            key = city_key(milestone.pk, item.city.pk)
            for email, language in item.organizers:
                outgoing.append(
                    Outgoing((REMINDER, key, email, offset), "deadline_reminder", context, language, OPTOUT_REMINDERS)
                )
        if concerned:
            days = milestone.days_left(today)
            context = {
                "milestone": milestone,
                "step": step,
                "overdue": step == OVERDUE,
                "days_left": max(days, 0),
                "days_late": max(-days, 0),
                "cities": [
                    {
                        "city": item.city,
                        "status": _status_label(item.report_status),
                        "organizers": len(item.organizers),
                    }
                    for item in concerned
                ],
            }
            for email, language in team:
                key = (DIGEST, digest_key(milestone.pk), email, offset)
                outgoing.append(Outgoing(key, "deadline_digest", context, language, OPTOUT_DIGEST))
    if not outgoing:
        return 0

    # What earlier ticks sent, so a tick with nothing new to send only reads (the INSERT is still the judge).
    logged = set(
        ReminderLog.objects.filter(
            kind__in=[REMINDER, DIGEST],
            subject_key__in={item.key[1] for item in outgoing},
            offset__in={item.key[3] for item in outgoing},
        ).values_list("kind", "subject_key", "recipient", "offset")
    )
    stopped = opted_out_by_kind([OPTOUT_REMINDERS, OPTOUT_DIGEST])
    todo = [
        item
        for item in outgoing
        if item.key not in logged and item.key[2] not in stopped.get(item.optional or "", set())
    ]
    return _send_claimed(todo, now)


# --- A milestone moved ------------------------------------------------------------------------------------------


def moved_offset(old_date: dt.date, new_date: dt.date) -> str:
    return f"moved:{old_date.isoformat()}:{new_date.isoformat()}"


def notify_deadline_moved(
    *, milestone_id: int, old_date: dt.date, new_date: dt.date, now: dt.datetime | None = None
) -> int:
    """Tell the organizers of each concerned city that a deadline moved. Steps:

    1. nothing if the milestone is gone, no longer reminds cities, has moved again since (that move tells its
       own news) or now lies in the past;
    2. per organizer of each active city that has not submitted for the milestone's cycle: claim ReminderLog
       ("deadline_moved", offset `moved:<old>:<new>`) and the reminder step due now for the new date (the notice
       stands in for it), all in one transaction;
    3. enqueue one "deadline_moved" email (old date, new date, days left, link to the report) per claimed notice.
       Returns how many were sent.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    milestone = Milestone.objects.select_related("cycle").filter(pk=milestone_id).first()
    if milestone is None or milestone.date != new_date or not reminds_cities(milestone) or new_date < today:
        return 0
    step = due_step(milestone, today)
    outgoing: list[Outgoing] = []
    also: list[ClaimKey] = []
    for item in _not_submitted([milestone.cycle_id])[milestone.cycle_id]:
        key = city_key(milestone.pk, item.city.pk)
        context = {
            **_reminder_context(milestone, item, today, step or ""),
            "old_date": old_date,
            "new_date": new_date,
        }
        for email, language in item.organizers:
            outgoing.append(
                Outgoing(
                    (MOVED, key, email, moved_offset(old_date, new_date)), "deadline_moved", context, language, None
                )
            )
            if step:
                also.append((REMINDER, key, email, offset_key(new_date, step)))
    with transaction.atomic():
        # The stand-in claims first (sorted, like the tick's), so both take their locks in the same order.
        claims.claim_many(sorted(also), now)
        return _send_claimed(outgoing, now)


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _remember_date(sender, instance: Milestone, raw: bool = False, **kwargs) -> None:
    """Before a save of a milestone that reminds cities, note its date in the database (one query)."""
    instance._reminders_date_before = None
    if raw or instance.pk is None or not reminds_cities(instance):
        return
    instance._reminders_date_before = Milestone.objects.filter(pk=instance.pk).values_list("date", flat=True).first()


def _announce_move(sender, instance: Milestone, created: bool, raw: bool = False, **kwargs) -> None:
    before = getattr(instance, "_reminders_date_before", None)
    if raw or created or before is None:
        return
    after = _as_date(instance.date)
    if after == before:
        return

    def hand_over() -> None:
        from reports.tasks import notify_deadline_moved_task

        delay_or_run(
            notify_deadline_moved_task,
            milestone_id=instance.pk,
            old_date=before.isoformat(),
            new_date=after.isoformat(),
        )

    transaction.on_commit(hand_over)


def register() -> None:
    """Called from ReportsConfig.ready(): the periodic job, the opt-out kinds and the milestone signals."""
    from portal.registry import periodic_jobs

    periodic_jobs.register("deadline_reminders", send_due_deadline_reminders)
    optional_emails.register(OPTOUT_REMINDERS, _("deadline reminders for your city's local report"))
    optional_emails.register(OPTOUT_DIGEST, _("the national team's digest of local report deadlines"))
    # upr is a lower app and has no hook for "a milestone moved": the model signals are the seam.
    pre_save.connect(_remember_date, sender=Milestone, dispatch_uid="reports.reminders.remember_date")
    post_save.connect(_announce_move, sender=Milestone, dispatch_uid="reports.reminders.announce_move")
