"""The outbox (portal.mail, portal.tasks.send_email): nothing that must be sent is lost between the database
and the broker, each email goes once, a permanent refusal stops at once and is recorded, a transient one is
retried and then recorded, and no address gets more than the hourly limit."""

from __future__ import annotations

import datetime as dt
import smtplib
import socket

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction

from accounts.roles import NATIONAL_TEAM
from portal.mail import hand_over_pending, send_templated_email
from portal.models import OutgoingEmail, OutgoingEmailStatus, OutgoingRecipient
from portal.tasks import is_transient, retry_delay, send_email, tick

CONTEXT = {"by": None, "city": {"name": "Pittsburgh"}, "invitation": None, "url": "http://x", "days": 7}
ANA = "ana@example.org"


def invite(*addresses: str) -> None:
    send_templated_email("team_invitation", list(addresses) or [ANA], CONTEXT)


class FailingBackend(LocmemBackend):
    """Raises `error` (set by the test) instead of sending, and counts the tries; sends when `error` is None."""

    error: BaseException | None = None
    tries = 0

    def send_messages(self, messages):
        type(self).tries += 1
        if type(self).error is None:
            return super().send_messages(messages)
        raise type(self).error


@pytest.fixture
def failing_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}
    FailingBackend.tries = 0

    def fail_with(error: BaseException) -> type[FailingBackend]:
        FailingBackend.error = error
        return FailingBackend

    return fail_with


@pytest.fixture
def broker_down(settings):
    """Not eager, and the broker is a closed port: enqueueing answers None (uprcities.celery.Task)."""
    from uprcities.celery import app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    previous = (app.conf.task_always_eager, app.conf.broker_url)
    app._pool, app.amqp._producer_pool = None, None
    app.conf.task_always_eager, app.conf.broker_url = False, f"redis://127.0.0.1:{port}/0"

    def back_up() -> None:
        app._pool, app.amqp._producer_pool = None, None
        app.conf.task_always_eager, app.conf.broker_url = previous

    yield back_up
    back_up()


def rows() -> list[tuple[list[str], str, int]]:
    return [(e.to, e.status, e.attempts) for e in OutgoingEmail.objects.order_by("pk")]


# --- Written in the transaction, sent after commit ----------------------------------------------------------


def test_outbox_row_is_written_in_the_callers_transaction_and_sent_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite()
        assert rows() == [([ANA], OutgoingEmailStatus.QUEUED, 0)]
        assert mail.outbox == []
    [email] = OutgoingEmail.objects.all()
    assert (email.to, email.status, email.attempts, email.template) == (
        [ANA],
        OutgoingEmailStatus.SENT,
        1,
        "team_invitation",
    )
    assert email.sent_at is not None
    # Sent: the bodies (which can hold private links) are not kept.
    assert (email.text, email.html, email.attachments) == ("", "", [])
    assert [(m.to, m.subject) for m in mail.outbox] == [([ANA], email.subject)]


def test_outbox_row_rolled_back_leaves_no_row_and_no_mail(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        invite()
        raise RuntimeError("the change failed")
    assert rows() == []
    assert mail.outbox == []


def test_outbox_attachments_and_headers_reach_the_message(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email("team_invitation", [ANA], CONTEXT, attachments=[("note.txt", "hello", "text/plain")])
    [message] = mail.outbox
    assert message.attachments == [("note.txt", "hello", "text/plain")]


# --- Broker down, the tick, exactly once -------------------------------------------------------------------


def test_outbox_row_stays_queued_when_the_broker_is_down_and_the_tick_sends_it_once(
    db, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite()
    assert rows() == [([ANA], OutgoingEmailStatus.QUEUED, 0)]
    assert mail.outbox == []

    broker_down()  # the broker is back (eager: the worker runs in the tick)
    assert tick()["hand_over_outgoing_email"] == "ok: 1"
    assert rows() == [([ANA], OutgoingEmailStatus.SENT, 1)]
    assert [m.to for m in mail.outbox] == [[ANA]]

    assert tick()["hand_over_outgoing_email"] == "ok: 0"
    assert len(mail.outbox) == 1


def test_outbox_duplicate_task_sends_nothing_more(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite()
    [email] = OutgoingEmail.objects.all()
    assert send_email.delay(email_id=email.pk).get() == 0
    assert send_email(email_id=email.pk) == 0
    assert len(mail.outbox) == 1
    assert rows() == [([ANA], OutgoingEmailStatus.SENT, 1)]


def test_outbox_task_for_a_deleted_row_does_nothing(db):
    assert send_email(email_id=123456) == 0
    assert mail.outbox == []


def test_outbox_row_handed_over_and_lost_is_handed_over_again_after_the_timeout(db, broker_down):
    email = OutgoingEmail.objects.create(subject="s", text="t", html="h", to=[ANA])
    broker_down()
    start = email.created_at
    OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingEmailStatus.HANDED_OVER, due_at=start)
    # A worker may still have it: not handed over again yet.
    assert hand_over_pending(start + dt.timedelta(hours=1)) == 0
    assert rows() == [([ANA], OutgoingEmailStatus.HANDED_OVER, 0)]
    # The broker lost it (or its worker was killed): handed over again, sent once.
    assert hand_over_pending(start + dt.timedelta(hours=2, minutes=1)) == 1
    assert rows() == [([ANA], OutgoingEmailStatus.SENT, 1)]
    assert len(mail.outbox) == 1


def test_outbox_claim_of_a_killed_worker_is_handed_over_again_after_the_timeout(db):
    email = OutgoingEmail.objects.create(subject="s", text="t", html="h", to=[ANA])
    claimed = email.created_at
    OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingEmailStatus.SENDING, claimed_at=claimed, attempts=1)
    assert hand_over_pending(claimed + dt.timedelta(minutes=30)) == 0
    assert send_email(email_id=email.pk) == 0  # a redelivered copy while the claim stands sends nothing
    assert mail.outbox == []
    assert hand_over_pending(claimed + dt.timedelta(hours=2, minutes=1)) == 1
    assert rows() == [([ANA], OutgoingEmailStatus.SENT, 2)]
    assert len(mail.outbox) == 1


def test_outbox_tick_is_three_queries_when_nothing_waits(db, django_assert_num_queries):
    with django_assert_num_queries(3):
        assert hand_over_pending() == 0


# --- Failures ------------------------------------------------------------------------------------------------


def test_outbox_permanent_refusal_is_not_retried_and_is_recorded(db, failing_mail, django_capture_on_commit_callbacks):
    backend = failing_mail(smtplib.SMTPRecipientsRefused({ANA: (550, b"no such user")}))
    with django_capture_on_commit_callbacks(execute=True):
        invite()
    assert backend.tries == 1
    [email] = OutgoingEmail.objects.all()
    assert (email.status, email.attempts, email.last_error) == (
        OutgoingEmailStatus.FAILED,
        1,
        "SMTPRecipientsRefused: ana@example.org: 550 no such user",
    )
    # Kept (unlike a sent one's) so that the national team can send it again once the cause is fixed.
    assert email.text != ""
    assert tick()["hand_over_outgoing_email"] == "ok: 0"
    assert backend.tries == 1


def test_outbox_transient_failure_is_retried_then_recorded_after_the_last_try(
    db, settings, failing_mail, django_capture_on_commit_callbacks
):
    settings.MAIL_MAX_ATTEMPTS = 4
    backend = failing_mail(smtplib.SMTPRecipientsRefused({ANA: (451, b"try again later")}))
    with django_capture_on_commit_callbacks(execute=True):
        invite()
    assert backend.tries == 4
    [email] = OutgoingEmail.objects.all()
    assert (email.status, email.attempts, email.last_error) == (
        OutgoingEmailStatus.FAILED,
        4,
        "SMTPRecipientsRefused: ana@example.org: 451 try again later",
    )


def test_outbox_transient_failure_then_success_is_sent_once(db, settings, django_capture_on_commit_callbacks):
    calls = []

    class FlakyBackend(LocmemBackend):
        def send_messages(self, messages):
            calls.append(1)
            if len(calls) == 1:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            return super().send_messages(messages)

    settings.MAILERS = {"default": {"BACKEND": "tests.portal.test_outbox.FlakyBackend"}}
    globals()["FlakyBackend"] = FlakyBackend
    try:
        with django_capture_on_commit_callbacks(execute=True):
            invite()
    finally:
        del globals()["FlakyBackend"]
    [email] = OutgoingEmail.objects.all()
    assert (email.status, email.attempts, email.last_error) == (
        OutgoingEmailStatus.SENT,
        2,
        "SMTPServerDisconnected: Connection unexpectedly closed",
    )
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (smtplib.SMTPServerDisconnected("closed"), True),
        (smtplib.SMTPConnectError(421, b"busy"), True),
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TimeoutError("timed out"), True),
        (socket.gaierror(-2, "Name or service not known"), True),
        (smtplib.SMTPResponseException(451, b"local error"), True),
        (smtplib.SMTPRecipientsRefused({ANA: (450, b"mailbox busy"), "b@example.org": (452, b"full")}), True),
        (smtplib.SMTPRecipientsRefused({ANA: (450, b"mailbox busy"), "b@example.org": (550, b"unknown")}), False),
        (smtplib.SMTPRecipientsRefused({ANA: (550, b"no such user")}), False),
        (smtplib.SMTPDataError(554, b"rejected as spam"), False),
        (smtplib.SMTPSenderRefused(553, b"sender refused", "noreply@example.org"), False),
        (smtplib.SMTPNotSupportedError("no STARTTLS"), False),
        (ValueError("bad header"), False),
    ],
)
def test_is_transient_for_each_kind_of_failure(error, transient):
    assert is_transient(error) is transient


def test_retry_delay_doubles_and_is_bounded():
    assert [retry_delay(n) for n in range(1, 10)] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


# --- The per-address limit ------------------------------------------------------------------------------------


def test_outbox_limit_per_recipient_suppresses_mail_over_it(db, settings, django_capture_on_commit_callbacks):
    settings.MAIL_PER_RECIPIENT_PER_HOUR = 3
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            invite(ANA, "bo@example.org")
        invite("bo@example.org")
    assert rows() == [
        ([ANA, "bo@example.org"], OutgoingEmailStatus.SENT, 1),
        ([ANA, "bo@example.org"], OutgoingEmailStatus.SENT, 1),
        ([ANA, "bo@example.org"], OutgoingEmailStatus.SENT, 1),
        ([], OutgoingEmailStatus.SUPPRESSED, 0),
        ([], OutgoingEmailStatus.SUPPRESSED, 0),
        ([], OutgoingEmailStatus.SUPPRESSED, 0),
    ]
    assert list(OutgoingEmail.objects.order_by("pk").values_list("suppressed_to", flat=True))[3:] == [
        [ANA, "bo@example.org"],
        [ANA, "bo@example.org"],
        ["bo@example.org"],
    ]
    assert len(mail.outbox) == 3


def test_outbox_limit_counts_the_last_hour_only(db, settings, django_capture_on_commit_callbacks):
    settings.MAIL_PER_RECIPIENT_PER_HOUR = 1
    with django_capture_on_commit_callbacks(execute=True):
        invite()
    OutgoingRecipient.objects.update(created_at=OutgoingRecipient.objects.get().created_at - dt.timedelta(minutes=61))
    with django_capture_on_commit_callbacks(execute=True):
        invite()
        invite()
    assert [status for _, status, _ in rows()] == [
        OutgoingEmailStatus.SENT,
        OutgoingEmailStatus.SENT,
        OutgoingEmailStatus.SUPPRESSED,
    ]


def test_outbox_limit_is_case_insensitive_and_spares_the_exempt_emails(
    db, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_PER_RECIPIENT_PER_HOUR = 1
    context = {"user": {"email": ANA}, "url": "http://x/enrol", "hours": 24}
    with django_capture_on_commit_callbacks(execute=True):
        invite("Ana@Example.org")
        invite(ANA)
        send_templated_email("staff_enrolment_link", [ANA], context)
    assert [
        (template, status)
        for template, status in OutgoingEmail.objects.order_by("pk").values_list("template", "status")
    ] == [
        ("team_invitation", OutgoingEmailStatus.SENT),
        ("team_invitation", OutgoingEmailStatus.SUPPRESSED),
        ("staff_enrolment_link", OutgoingEmailStatus.SENT),
    ]


# --- The admin -----------------------------------------------------------------------------------------------


def test_outbox_admin_lists_failures_for_the_national_team_without_bodies(
    client, personas, failing_mail, django_capture_on_commit_callbacks
):
    failing_mail(smtplib.SMTPRecipientsRefused({ANA: (550, b"no such user")}))
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email("team_invitation", [ANA], {**CONTEXT, "url": "http://x/private-link-123"})
    staff = personas["staff_mfa"]
    staff.groups.add(Group.objects.get(name=NATIONAL_TEAM))
    client.force_login(staff)
    listing = client.get("/admin/portal/outgoingemail/?status__exact=failed")
    assert listing.status_code == 200
    assert "SMTPRecipientsRefused: ana@example.org: 550 no such user" in listing.text
    email = OutgoingEmail.objects.get()
    detail = client.get(f"/admin/portal/outgoingemail/{email.pk}/change/")
    assert detail.status_code == 200
    assert email.subject in detail.text
    assert "private-link-123" not in listing.text + detail.text


def test_outbox_admin_sends_a_failed_email_again(client, personas, failing_mail, django_capture_on_commit_callbacks):
    failing_mail(smtplib.SMTPRecipientsRefused({ANA: (550, b"no such user")}))
    with django_capture_on_commit_callbacks(execute=True):
        invite()
    email = OutgoingEmail.objects.get()
    staff = personas["staff_mfa"]
    staff.groups.add(Group.objects.get(name=NATIONAL_TEAM))
    client.force_login(staff)
    failing_mail(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/portal/outgoingemail/", {"action": "send_again", "_selected_action": [email.pk]})
    assert response.status_code == 302
    assert rows() == [([ANA], OutgoingEmailStatus.SENT, 1)]


def test_outbox_admin_is_closed_to_organizers(client, personas):
    client.force_login(personas["organizer_a"])
    assert client.get("/admin/portal/outgoingemail/").status_code == 403


# --- No stranger's words to an address nobody confirmed --------------------------------------------------------

HOSTILE = "Buy cheap pills at pills.example"


@pytest.mark.parametrize(
    # Not "context": that is pytest-playwright's browser-context fixture, and taking its name would pull this
    # test into the browser tests' group (and reorder the suite around it).
    ("name", "email_context"),
    [
        ("event_registration_confirm", {"registration": {"name": HOSTILE, "organisation": HOSTILE}}),
        ("get_involved_receipt", {"offer": {"name": HOSTILE, "message": HOSTILE}, "delete_url": "http://x/d"}),
        ("team_request_receipt", {"req": {"contact_name": HOSTILE, "message": HOSTILE}}),
        ("city_request_receipt", {"req": {"contact_name": HOSTILE, "message": HOSTILE, "city_name": "Erie"}}),
        (
            "testimony_confirmation",
            {"testimony": {"title": HOSTILE, "body": HOSTILE, "private_token": "t0k3n", "place": HOSTILE}},
        ),
    ],
)
def test_emails_to_unconfirmed_addresses_hold_no_submitted_text(db, name, email_context):
    from portal.mail import render_email

    event = {"title": "Housing", "starts_at": dt.datetime(2027, 3, 1, 18, tzinfo=dt.UTC), "time_zone": "UTC"}
    base = {"city": {"name": "Pittsburgh"}, "event": event, "confirm_url": "/c/", "cancel_url": "/x/", "days": 90}
    subject, text, html = render_email(name, {**base, **email_context})
    assert HOSTILE not in subject + text + html
    assert text.startswith("Thank you for your testimony" if name == "testimony_confirmation" else "Hello,\n")


# --- Writing many at once, and keeping little ---------------------------------------------------------------------


def test_one_outbox_write_writes_many_emails_in_three_queries(db, django_assert_num_queries):
    from portal.mail import one_outbox_write

    with django_assert_num_queries(3), one_outbox_write():
        for n in range(20):
            invite(f"person{n}@example.org")
    assert OutgoingEmail.objects.count() == 20
    assert OutgoingRecipient.objects.count() == 20


def test_one_outbox_write_with_an_exception_writes_nothing(db):
    from portal.mail import one_outbox_write

    with pytest.raises(RuntimeError), one_outbox_write():
        invite()
        raise RuntimeError("the tick failed")
    assert rows() == []


def test_old_outgoing_email_is_deleted_sent_after_30_days_failed_after_60(db):
    from portal.mail import delete_old_outgoing_email

    now = OutgoingEmail.objects.create(subject="now", text="t", html="h", to=[ANA]).created_at
    for status, days in [("sent", 31), ("suppressed", 31), ("failed", 31), ("failed", 61), ("queued", 61)]:
        OutgoingEmail.objects.create(
            subject=f"{status} {days}", to=[ANA], status=status, created_at=now - dt.timedelta(days=days), sent_at=now
        )
    delete_old_outgoing_email(now)
    assert sorted(OutgoingEmail.objects.values_list("subject", flat=True)) == ["failed 31", "now", "queued 61"]


# --- A real worker ---------------------------------------------------------------------------------------------


@pytest.mark.celery_worker
def test_outbox_row_is_sent_once_by_a_real_worker_even_when_handed_over_twice(celery_worker_on_redis):
    import time

    invite()  # autocommit: written and handed over at once
    [email] = OutgoingEmail.objects.all()
    send_email.delay(email_id=email.pk)  # a duplicate message (the tick and the commit hook both handed it over)
    deadline = time.monotonic() + 15
    while OutgoingEmail.objects.get().status != OutgoingEmailStatus.SENT and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # the duplicate's turn
    assert rows() == [([ANA], OutgoingEmailStatus.SENT, 1)]
    assert len(mail.outbox) == 1
