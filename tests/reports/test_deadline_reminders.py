"""Deadline reminders for local reports (reports.reminders): each one exactly once, planned from the database.

The clock is frozen at each tick (django.utils.timezone.now patched); the portal's days are New York days. The
main test runs 40 simulated days: a deadline 35 days ahead with offsets [30, 14, 7, 1], three cities with
different fates, a new organizer, a 3-day worker outage; the emails sent, tick by tick, must equal the expected
list exactly. Two ticks at the same moment (two threads, two PostgreSQL connections) send each email once.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import zoneinfo
from collections import Counter
from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import NATIONAL_TEAM
from cities.enums import CityStatus
from cities.models import City, Membership
from portal import claims, optout
from portal.models import EmailOptOut, ReminderLog
from reports import services as report_services
from reports.enums import ReportStatus
from reports.models import LocalReport
from reports.reminders import notify_deadline_moved, send_due_deadline_reminders
from tests.reports.factories import make_report
from tests.services import need
from upr.enums import Audience, MilestoneKind
from upr.models import Milestone, ReviewCycle

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
DAY0 = dt.date(2030, 4, 1)  # no change of daylight saving time in the 40 days that follow
DEADLINE = DAY0 + dt.timedelta(days=35)  # May 6, 2030
PREFIX = "[UPR Cities] "
NATIONAL = settings.NATIONAL_TEAM_EMAIL


def at(day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """Day `day` of the simulation, at this New York wall-clock time."""
    return dt.datetime.combine(DAY0 + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=NEW_YORK)


@contextmanager
def frozen(now: dt.datetime):
    with mock.patch("django.utils.timezone.now", return_value=now.astimezone(dt.UTC)):
        yield


# --- The world -------------------------------------------------------------------------------------------------


def make_user(email: str, *, language: str = "", staff: bool = False):
    from accounts.models import User

    return User.objects.create_user(email=email, password="x", preferred_language=language, is_staff=staff)


def make_city(name: str, *organizers: str, status: str = CityStatus.PARTICIPATING) -> City:
    city = City.objects.create(name=name, state="PA", slug=name.lower(), status=status)
    for email in organizers:
        Membership.objects.create(user=make_user(email), city=city)
    return city


def build_world(*, offsets=(30, 14, 7, 1)) -> dict:
    """Alphaville (2 organizers), Birchton (1), Cedarville (2), Elmwood (active, nobody on the team), Dunmore
    (exploring: not asked for anything); the national team's address and one national-team staff member."""
    cycle = ReviewCycle.objects.create(number=4, review_date=dt.date(2030, 11, 7))
    milestone = Milestone.objects.create(
        cycle=cycle,
        kind=MilestoneKind.LOCAL_INPUT_DUE,
        title="Local reports due",
        date=DEADLINE,
        audience=Audience.EVERYONE,
        reminder_offsets=list(offsets),
    )
    staff = make_user("team@example.org", staff=True)
    group, _created = Group.objects.get_or_create(name=NATIONAL_TEAM)
    staff.groups.add(group)
    cities = {
        "A": make_city("Alphaville", "a1@example.org", "a2@example.org"),
        "B": make_city("Birchton", "b1@example.org"),
        "C": make_city("Cedarville", "c1@example.org", "c2@example.org"),
        "D": make_city("Dunmore", "d1@example.org", status=CityStatus.EXPLORING),
        "E": make_city("Elmwood"),
    }
    return {"cycle": cycle, "milestone": milestone, "cities": cities}


def set_report(world, city_key: str, status: str) -> None:
    LocalReport.objects.update_or_create(
        city=world["cities"][city_key], cycle=world["cycle"], defaults={"status": status}
    )


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    """Run the periodic job as the beat tick would (no arguments) with the clock frozen at `now`; return the
    emails it sent."""

    def run(now: dt.datetime) -> list:
        before = len(mail.outbox)
        with frozen(now), django_capture_on_commit_callbacks(execute=True):
            count = send_due_deadline_reminders()
        sent = mail.outbox[before:]
        assert count == len(sent)
        return sent

    return run


def reminder(city: str, days: int | None) -> str:
    if days is None:
        return f"{PREFIX}Deadline passed: the local report of {city}"
    return f"{PREFIX}{days} day{'s' if days != 1 else ''} left: the local report of {city}"


def digest(cities: int, *, late: bool = False) -> str:
    if late:
        return f"{PREFIX}Late: {cities} cities have not submitted their local reports"
    return f"{PREFIX}Local reports due May 6, 2030: {cities} cities have not submitted yet"


def national(subject: str, day: int) -> list[tuple[int, str, str]]:
    return [(day, NATIONAL, subject), (day, "team@example.org", subject)]


# --- 40 days ----------------------------------------------------------------------------------------------------


def test_forty_days_with_an_outage_send_exactly_the_expected_emails(world, tick):
    """Every hour for 40 days, and every 15 minutes on the day of the first reminder, except during a 72-hour
    outage of the worker (day 27, 10:00 to day 30, 10:00) over the 7-day reminder (day 28). Meanwhile Alphaville
    submits on day 10; Birchton submitted on day 2, is returned on day 12 and submits again on day 20; Cedarville
    never submits and takes on a third organizer on day 24."""
    events = {
        (2, 12): lambda: set_report(world, "B", ReportStatus.SUBMITTED),
        (10, 12): lambda: set_report(world, "A", ReportStatus.SUBMITTED),
        (12, 12): lambda: set_report(world, "B", ReportStatus.RETURNED),
        (20, 12): lambda: set_report(world, "B", ReportStatus.SUBMITTED),
        (24, 12): lambda: Membership.objects.create(user=make_user("c3@example.org"), city=world["cities"]["C"]),
    }
    outage = (at(27, 10), at(30, 10))
    moments = [at(0) + dt.timedelta(hours=h) for h in range(40 * 24 + 1)]
    moments += [at(5) + dt.timedelta(minutes=m) for m in range(15, 24 * 60, 15) if m % 60]
    sent: list[tuple[int, str, str]] = []
    ticks = 0
    for now in sorted(moments):
        day = (now.date() - DAY0).days
        if (day, now.hour) in events and now.minute == 0:
            events[(day, now.hour)]()
        if outage[0] < now < outage[1]:
            continue
        ticks += 1
        sent += [(day, message.to[0], message.subject) for message in tick(now)]
    assert ticks == 40 * 24 + 1 + 24 * 3 - 71  # hourly, plus three more ticks an hour on day 5, minus the outage

    c_team = ["c1@example.org", "c2@example.org"]
    expected = [
        # Day 5, 30 days before: everyone who has not submitted (Birchton has); the digest names A, C and E.
        *[(5, to, reminder("Alphaville", 30)) for to in ["a1@example.org", "a2@example.org"]],
        *[(5, to, reminder("Cedarville", 30)) for to in c_team],
        *national(digest(3), 5),
        # Day 12: Birchton's report came back; the step due is still the 30-day one, which Birchton never had.
        (12, "b1@example.org", reminder("Birchton", 23)),
        # Day 21, 14 days before: only Cedarville is left (and Elmwood, which has nobody to remind).
        *[(21, to, reminder("Cedarville", 14)) for to in c_team],
        *national(digest(2), 21),
        # Day 24: the new organizer gets the step due now, not the ones before they joined.
        (24, "c3@example.org", reminder("Cedarville", 11)),
        # Day 28 fell in the outage: the 7-day reminder goes once, on the first tick after it.
        *[(30, to, reminder("Cedarville", 5)) for to in [*c_team, "c3@example.org"]],
        *national(digest(2), 30),
        *[(34, to, reminder("Cedarville", 1)) for to in [*c_team, "c3@example.org"]],
        *national(digest(2), 34),
        # The day after the deadline: one notice that it passed, then silence.
        *[(36, to, reminder("Cedarville", None)) for to in [*c_team, "c3@example.org"]],
        *national(digest(2, late=True), 36),
    ]
    assert Counter(sent) == Counter(expected)
    assert len(sent) == len(expected) == 27
    assert set(ReminderLog.objects.values_list("offset", flat=True)) == {
        "2030-05-06:d30",
        "2030-05-06:d14",
        "2030-05-06:d7",
        "2030-05-06:d1",
        "2030-05-06:overdue",
    }


def test_the_digest_lists_who_has_not_submitted(world, tick):
    set_report(world, "A", ReportStatus.DRAFT)
    set_report(world, "B", ReportStatus.ACCEPTED)
    set_report(world, "C", ReportStatus.RETURNED)
    messages = tick(at(21, 9))
    digest_mail = next(m for m in messages if m.to == [NATIONAL])
    assert digest_mail.subject == digest(3)
    assert digest_mail.body.splitlines()[:5] == [
        "The deadline “Local reports due” is May 6, 2030, in 14 days. These cities have not submitted their local "
        "report yet:",
        "",
        "- Alphaville, PA: Draft; 2 organizers on the team",
        "- Cedarville, PA: Returned with comments; 2 organizers on the team",
        "- Elmwood, PA: not started; no organizer on the team, so nobody was reminded",
    ]
    assert "http://127.0.0.1:8000/admin/reports/localreport/" in digest_mail.body
    late = next(m for m in tick(at(36, 9)) if m.to == [NATIONAL])
    assert late.body.startswith("The deadline “Local reports due” was May 6, 2030, 1 day ago.")


def test_the_reminder_names_the_deadline_the_status_and_the_report_page(world, tick):
    set_report(world, "C", ReportStatus.RETURNED)
    message = next(m for m in tick(at(21, 9)) if m.to == ["c1@example.org"])
    assert message.subject == reminder("Cedarville", 14)
    assert "The deadline “Local reports due” is May 6, 2030: the local report of Cedarville is due in 14 days." in (
        message.body
    )
    assert "Where the report stands: Returned with comments. The national team's comments are on the report page." in (
        message.body
    )
    assert "http://127.0.0.1:8000/organize/cedarville/report/" in message.body


def test_after_a_long_outage_only_the_latest_due_step_goes(world, tick):
    """Down from day 4 to day 29: the 30- and 14-day reminders are skipped, the 7-day one goes once."""
    assert tick(at(3, 23)) == []
    messages = tick(at(29, 8))
    assert sorted(m.subject for m in messages if m.to[0].startswith("c")) == [reminder("Cedarville", 6)] * 2
    assert tick(at(29, 9)) == []
    assert set(ReminderLog.objects.values_list("offset", flat=True)) == {"2030-05-06:d7"}


def test_a_long_outage_over_the_deadline_sends_no_stale_notice(world, tick):
    assert len(tick(at(42))) == len(["a1", "a2", "b1", "c1", "c2", "national", "team"])  # 7 days late: still told
    ReminderLog.objects.all().delete()
    assert tick(at(43)) == []  # 8 days late: the national team follows up itself


def test_no_reminders_for_other_kinds_audiences_or_empty_offsets(world, tick):
    milestone = world["milestone"]
    for change in [
        {"kind": MilestoneKind.NATIONAL_REPORT_DUE},
        {"audience": Audience.NATIONAL_TEAM},
        {"reminder_offsets": []},
    ]:
        fields = {"kind": MilestoneKind.LOCAL_INPUT_DUE, "audience": Audience.EVERYONE, "reminder_offsets": [30]}
        Milestone.objects.filter(pk=milestone.pk).update(**{**fields, **change})
        assert tick(at(30)) == []


def test_inactive_accounts_and_exploring_cities_get_nothing(world, tick):
    from accounts.models import User

    User.objects.filter(email="a2@example.org").update(is_active=False)
    recipients = {m.to[0] for m in tick(at(5))}
    assert recipients == {
        "a1@example.org",
        "b1@example.org",
        "c1@example.org",
        "c2@example.org",
        NATIONAL,
        "team@example.org",
    }


def test_reminders_go_in_the_organizers_language(world, tick):
    from accounts.models import User

    User.objects.filter(email="c2@example.org").update(preferred_language="es")
    by_address = {m.to[0]: m for m in tick(at(21))}
    assert "May 6, 2030" in by_address["c1@example.org"].body
    assert "6 de mayo de 2030" in by_address["c2@example.org"].body


# --- Concurrency -------------------------------------------------------------------------------------------------


def test_a_tick_that_planned_before_another_one_sent_sends_nothing_again(world, django_capture_on_commit_callbacks):
    """Tick 1 reads what was sent, then tick 2 runs to the end, then tick 1 claims: it must send nothing."""
    real_claim = claims.claim_many
    sent_by_other: list[int] = []

    def claim_after_the_other_tick(keys, now):
        if not sent_by_other:
            with mock.patch.object(claims, "claim_many", real_claim):
                sent_by_other.append(send_due_deadline_reminders(now=now))
        return real_claim(keys, now)

    with (
        django_capture_on_commit_callbacks(execute=True),
        mock.patch.object(claims, "claim_many", claim_after_the_other_tick),
    ):
        assert send_due_deadline_reminders(now=at(5, 1)) == 0
    assert sent_by_other == [7]
    assert len(mail.outbox) == 7
    assert ReminderLog.objects.count() == 7


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_ticks_send_each_email_once():
    """Two threads, each with its own PostgreSQL connection, tick at the same moment, three times over the
    deadline's life; both have planned the same emails before either claims (a barrier in front of the claim).
    Each email goes once: the INSERT of one waits for the other's rows and skips them."""
    need(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL=postgres://... (SQLite runs one writer at a time)",
    )
    world = build_world()
    set_report(world, "B", ReportStatus.SUBMITTED)
    real_claim = claims.claim_many

    def run_pair(now: dt.datetime) -> list[int]:
        planned = threading.Barrier(2, timeout=20)

        def claim_together(keys, at_now):
            planned.wait()
            return real_claim(keys, at_now)

        results: list[int] = []
        errors: list[BaseException] = []

        def worker() -> None:
            try:
                results.append(send_due_deadline_reminders(now=now))
            except BaseException as exc:  # reported to the test thread below
                errors.append(exc)
            finally:
                connections.close_all()

        with mock.patch.object(claims, "claim_many", claim_together):
            threads = [threading.Thread(target=worker) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        assert errors == []
        return sorted(results)

    # A, C (2 organizers each) and the national team's two addresses; Elmwood is only in the digest.
    sent = []
    for day in (5, 21, 36):
        before = len(mail.outbox)
        assert run_pair(at(day, 0, 5)) == [0, 6]
        sent += [(day, m.to[0], m.subject) for m in mail.outbox[before:]]
    assert set(Counter(sent).values()) == {1}
    assert len(sent) == 18
    assert ReminderLog.objects.count() == 18


# --- A milestone moves -------------------------------------------------------------------------------------------


def test_a_move_announced_while_the_broker_is_down_is_still_told(world, django_capture_on_commit_callbacks):
    from reports.tasks import notify_deadline_moved_task

    set_report(world, "A", ReportStatus.SUBMITTED)
    set_report(world, "B", ReportStatus.SUBMITTED)
    milestone = world["milestone"]
    # What uprcities.celery.Task answers when the broker cannot take the task.
    broker_down = mock.patch.object(notify_deadline_moved_task, "delay", return_value=None)
    with broker_down, frozen(at(22, 10)), django_capture_on_commit_callbacks(execute=True):
        milestone.date = DEADLINE + dt.timedelta(days=10)
        milestone.save()
    moved = [m for m in mail.outbox if "Deadline moved" in m.subject]
    assert sorted(m.to[0] for m in moved) == ["c1@example.org", "c2@example.org"]


def test_moving_the_deadline_tells_each_organizer_once_and_re_plans(world, tick, django_capture_on_commit_callbacks):
    set_report(world, "A", ReportStatus.SUBMITTED)
    set_report(world, "B", ReportStatus.SUBMITTED)
    assert len(tick(at(21, 9))) == 4  # 14 days before: C's two organizers and the digest
    milestone = world["milestone"]
    with frozen(at(22, 10)), django_capture_on_commit_callbacks(execute=True):
        milestone.date = DEADLINE + dt.timedelta(days=10)  # May 16
        milestone.save()
    moved = mail.outbox[-2:]
    assert sorted(m.to[0] for m in moved) == ["c1@example.org", "c2@example.org"]
    assert {m.subject for m in moved} == {f"{PREFIX}Deadline moved: Local reports due"}
    assert "moved the deadline “Local reports due” from May 6, 2030 to May 16, 2030." in moved[0].body
    assert "the local report of Cedarville is due in 23 days. The reminders follow the new date." in moved[0].body
    assert moved[0].alternatives[0].mimetype == "text/html"
    # Saving again, or the task running twice, tells nobody twice.
    with frozen(at(22, 11)), django_capture_on_commit_callbacks(execute=True):
        milestone.save()
    assert (
        notify_deadline_moved(milestone_id=milestone.pk, old_date=DEADLINE, new_date=milestone.date, now=at(22, 12))
        == 0
    )
    # The notice stood in for the 30-day step of the new date; the old date's reminders are over.
    sent = []
    for day in range(22, 50):
        sent += [(day, m.to[0], m.subject) for m in tick(at(day, 9))]
    c_team = ["c1@example.org", "c2@example.org"]
    assert [(day, to, subject) for day, to, subject in sent if to in c_team] == [
        *[(31, to, reminder("Cedarville", 14)) for to in c_team],  # May 2: 14 days before May 16
        *[(38, to, reminder("Cedarville", 7)) for to in c_team],
        *[(44, to, reminder("Cedarville", 1)) for to in c_team],
        *[(46, to, reminder("Cedarville", None)) for to in c_team],
    ]


def test_moving_the_deadline_through_the_admin_tells_the_cities(
    world, superuser_client, mailoutbox, django_capture_on_commit_callbacks
):
    milestone = world["milestone"]
    url = reverse("admin:upr_milestone_change", args=[milestone.pk])
    data = {
        "cycle": milestone.cycle_id,
        "kind": milestone.kind,
        "title": milestone.title,
        "date": "2030-06-01",
        "audience": milestone.audience,
        "reminder_offsets": "[30, 14, 7, 1]",
        "source": "",
    }
    # The real clock (a frozen one would outlive the admin session): 2030 is still ahead.
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(url, data)
    assert response["Location"] == reverse("admin:upr_milestone_changelist")
    moved = [m for m in mailoutbox if "Deadline moved" in m.subject]
    # The personas' Pittsburgh and Boston take part too, and have not submitted either.
    assert sorted(m.to[0] for m in moved) == [
        "a1@example.org",
        "a2@example.org",
        "b1@example.org",
        "c1@example.org",
        "c2@example.org",
        "organizer-a@example.org",
        "organizer-b@example.org",
    ]
    assert "from May 6, 2030 to June 1, 2030." in moved[0].body


def test_other_edits_and_moves_into_the_past_tell_nobody(world, django_capture_on_commit_callbacks, mailoutbox):
    milestone = world["milestone"]
    with frozen(at(3)), django_capture_on_commit_callbacks(execute=True):
        milestone.title = "Local reports due (extended)"
        milestone.save()
        milestone.date = DAY0
        milestone.save()
        Milestone.objects.create(cycle=world["cycle"], kind=MilestoneKind.REVIEW, title="Review", date=DEADLINE)
    assert mailoutbox == []


# --- Stopping optional emails -----------------------------------------------------------------------------------


def stop_link(message) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/email/stop/[^/\s]+/)", message.body).group(1)


def test_every_reminder_has_text_html_and_a_one_click_stop(world, tick):
    for message in tick(at(5)):
        assert message.alternatives[0].mimetype == "text/html"
        html = message.alternatives[0].content
        path = stop_link(message)
        assert message.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{path}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert f'href="http://127.0.0.1:8000{path}"' in html
        assert optout.read_token(path.split("/")[3]) == (
            message.to[0],
            "deadline_digest" if message.to[0] in (NATIONAL, "team@example.org") else "deadline_reminders",
        )
        if "Alphaville" in message.subject:
            assert 'href="http://127.0.0.1:8000/organize/alphaville/report/"' in html


def test_the_stop_link_stops_the_next_reminder_but_not_transactional_mail(
    world, tick, client, django_capture_on_commit_callbacks
):
    first = next(m for m in tick(at(5)) if m.to == ["c1@example.org"])
    path = stop_link(first)
    page = client.get(path)
    assert page.status_code == 200
    assert "Do you want c1@example.org to stop receiving deadline reminders for your city&#x27;s local report?" in (
        page.content.decode()
    )
    assert not EmailOptOut.objects.exists()  # opening the link (a mail scanner does) stops nothing
    response = client.post(path)
    assert response.status_code == 302
    assert "Done: c1@example.org will no longer receive" in client.get(response["Location"]).content.decode()
    assert list(EmailOptOut.objects.values_list("email", "kind")) == [("c1@example.org", "deadline_reminders")]

    assert sorted(m.to[0] for m in tick(at(21)) if "Cedarville" in m.subject) == ["c2@example.org"]
    # A report returned to the city is not optional: it still reaches c1.
    report = make_report(world["cities"]["C"], cycle=world["cycle"], sections=1)
    c2 = Membership.objects.get(user__email="c2@example.org").user
    with django_capture_on_commit_callbacks(execute=True):
        report_services.submit(report, by=c2)
        report_services.return_with_comments(
            report, by=make_user("reviewer@example.org", staff=True), comment="More detail."
        )
    returned = [m for m in mail.outbox if "More detail." in m.body]
    assert [sorted(m.to) for m in returned] == [["c1@example.org", "c2@example.org"]]
    assert "List-Unsubscribe" not in returned[0].extra_headers
    # The move of the deadline is news about a commitment, not a reminder: it reaches c1 too.
    with frozen(at(22)), django_capture_on_commit_callbacks(execute=True):
        world["milestone"].date = DEADLINE + dt.timedelta(days=1)
        world["milestone"].save()
    moved = sorted(m.to[0] for m in mail.outbox if "Deadline moved" in m.subject)
    assert [to for to in moved if to.startswith("c")] == ["c1@example.org", "c2@example.org"]

    # Undo: the reminders come back, from the step due then.
    client.post(path, {"undo": "1"})
    assert not EmailOptOut.objects.exists()
    assert sorted(m.to[0] for m in tick(at(30)) if "Cedarville" in m.subject) == ["c1@example.org", "c2@example.org"]


def test_one_click_post_works_without_csrf_and_refuses_bad_tokens(world):
    client = Client(enforce_csrf_checks=True)
    token = optout.make_token("C1@Example.org", "deadline_reminders")
    response = client.post(
        f"/email/stop/{token}/", "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert response.content == b"You will no longer receive these emails."
    assert list(EmailOptOut.objects.values_list("email", "kind")) == [("c1@example.org", "deadline_reminders")]
    # Twice is harmless.
    assert client.post(f"/email/stop/{token}/", {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert EmailOptOut.objects.count() == 1

    tampered = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    forged = signing.dumps({"e": "c1@example.org", "k": "deadline_reminders"}, salt="another salt", compress=True)
    unknown_kind = optout.make_token("c1@example.org", "newsletter")
    for bad in [tampered, forged, unknown_kind, "nonsense"]:
        assert client.post(f"/email/stop/{bad}/", {"List-Unsubscribe": "One-Click"}).status_code == 404
        assert client.get(f"/email/stop/{bad}/").status_code == 404
    assert EmailOptOut.objects.count() == 1


def test_a_national_team_member_can_stop_the_digest_only(world, tick):
    optout.stop("Team@example.org", "deadline_digest")
    recipients = sorted(m.to[0] for m in tick(at(5)))
    assert "team@example.org" not in recipients
    assert NATIONAL in recipients
    assert "c1@example.org" in recipients


def test_send_templated_email_optional_skips_opted_out_and_sends_one_each(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    from portal.mail import send_templated_email

    city = make_city("Fairview")
    milestone = Milestone(title="Local reports due", date=DEADLINE)
    optout.stop("x@example.org", "deadline_reminders")
    context = {"city": city, "milestone": milestone, "days_left": 3, "days_late": 0, "overdue": False}
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            "deadline_reminder",
            ["x@example.org", "y@example.org", "z@example.org"],
            context,
            optional="deadline_reminders",
        )
    assert [m.to for m in mailoutbox] == [["y@example.org"], ["z@example.org"]]
    assert stop_link(mailoutbox[0]) != stop_link(mailoutbox[1])


def test_the_national_team_records_a_stop_asked_for_by_phone(superuser_client):
    url = reverse("admin:portal_emailoptout_add")
    page = superuser_client.get(url).content.decode()
    assert '<option value="deadline_reminders">deadline reminders for your city&#x27;s local report</option>' in page
    response = superuser_client.post(url, {"email": "Someone@Example.org", "kind": "deadline_reminders"})
    assert response.status_code == 302
    assert optout.opted_out("deadline_reminders") == {"someone@example.org"}
    bad = superuser_client.post(url, {"email": "x@example.org", "kind": "newsletter"})
    assert bad.status_code == 200
    assert EmailOptOut.objects.count() == 1


# --- Cost ------------------------------------------------------------------------------------------------------


def test_registered_as_a_periodic_job(world, mailoutbox, django_capture_on_commit_callbacks):
    from portal.registry import periodic_jobs
    from portal.tasks import tick as beat_tick

    assert dict(periodic_jobs.items())["deadline_reminders"] is send_due_deadline_reminders
    with frozen(at(5, 3)), django_capture_on_commit_callbacks(execute=True):
        outcome = beat_tick()
    assert outcome["deadline_reminders"] == "ok: 7"


def test_cheap_when_nothing_is_due(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert send_due_deadline_reminders(now=at(4, 23)) == 0


def _tick_queries(now, django_capture_on_commit_callbacks) -> tuple[int, int]:
    # The tick's own queries: the emails are sent after commit, each by a worker claiming its outbox row.
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as queries:
        sent = send_due_deadline_reminders(now=now)
    return sent, len(queries)


def test_tick_queries_do_not_grow_with_the_cities(world, django_capture_on_commit_callbacks):
    # 4 cities that have not submitted (A, B, C and E: 5 organizers), then 61.
    few = _tick_queries(at(5), django_capture_on_commit_callbacks)
    for n in range(57):
        make_city(f"Town{n}", f"t{n}@example.org")
    many = _tick_queries(at(21), django_capture_on_commit_callbacks)
    nothing = _tick_queries(at(22), django_capture_on_commit_callbacks)
    # Milestones; cities, their reports, their teams; the national team; logged; opted out; one claim (an INSERT
    # between a savepoint and its release); and the emails' outbox rows and their recipients (two INSERTs).
    assert few == (5 + 2, 12)
    assert many == (5 + 57 + 2, 12)
    assert nothing == (0, 7)


def test_an_organizer_who_reads_spanish_is_reminded_of_the_deadline_by_its_spanish_title(world, tick):
    world["milestone"].title_es = "Entrega de los informes locales"
    world["milestone"].save()
    Membership.objects.create(user=make_user("f1@example.org", language="es"), city=world["cities"]["B"])
    sent = tick(at(21, 9))
    spanish = next(m for m in sent if m.to == ["f1@example.org"])
    english = next(m for m in sent if m.to == ["b1@example.org"])
    assert "“Entrega de los informes locales”" in spanish.body and "Local reports due" not in spanish.body
    assert "“Local reports due”" in english.body and "Entrega" not in english.body
