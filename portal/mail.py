"""Every email is a subject / text / HTML template trio (templates/emails/<name>_subject.txt, <name>.txt,
<name>.html), rendered in the recipient's language when the caller decides to send it.

Nothing that must be sent is lost between the database and the broker (a transactional outbox): the rendered
email is written as an OutgoingEmail row in the caller's transaction, so a rolled-back change sends nothing, and a
reminder's ReminderLog claim and its email commit or roll back together. After commit the row's id is handed to a
worker (portal.tasks.send_email), which claims the row and sends it only if it claimed it. What the broker did
not take (down at commit), and what a worker took but never finished (killed), the tick hands over again
(hand_over_pending); the claim makes a second copy of the task a no-op. With Celery eager (the embedded default,
the tests) the email is sent as the transaction commits.

Optional emails (reminders, digests: `optional=<kind>`, see portal.optout) go one per recipient, each with its
own stop link in the footer and the RFC 8058 one-click headers, and never to an address that stopped that kind.

No address can be flooded: at most settings.MAIL_PER_RECIPIENT_PER_HOUR emails go to one address in an hour,
whatever sent them (counted from the outbox); the rest are recorded as suppressed, not sent. Only UNLIMITED_EMAILS
are exempt. Emails to an address nobody has confirmed greet generically and carry no text its sender typed, so
the portal cannot be used to mail someone a stranger's words.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape

from portal.models import OutgoingEmail, OutgoingEmailStatus, OutgoingRecipient

logger = logging.getLogger(__name__)

# Emails the per-address limit never holds back. Each goes only to members, staff or registrants who confirmed
# their address (addresses an outsider cannot choose), is sent on the portal's own schedule or a member's or
# staff's decision, and is bounded by construction (a reminder is claimed once in ReminderLog): holding one back
# would make someone miss a deadline, an event or a decision about their report. Everything a public form can
# cause is limited, including the notices to organizers (what they announce waits in the organizers' pages), and
# nothing sent to an address nobody confirmed is exempt.
UNLIMITED_EMAILS = frozenset(
    {
        "deadline_reminder",
        "deadline_digest",
        "deadline_moved",
        "event_reminder",
        "event_recording_ready",
        "report_submitted",
        "report_returned",
        "report_accepted",
        "national_sign_off",
        "staff_enrolment_link",
    }
)


def render_email(name: str, context: dict, *, language: str | None = None) -> tuple[str, str, str]:
    context = {"SITE_URL": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{name}_subject.txt", context).strip()
        text = render_to_string(f"emails/{name}.txt", context)
        html = render_to_string(f"emails/{name}.html", context)
        if context.get("unsubscribe_url"):
            # The text bodies have no base template: the stop link is added here, so no optional email lacks it.
            text = text.rstrip("\n") + "\n\n" + render_to_string("emails/_optional_footer.txt", context)
    # A header must be one line, whatever the template or a user-provided name contains.
    subject = " ".join(subject.split())
    return f"{settings.EMAIL_SUBJECT_PREFIX_PORTAL}{subject}", text, html


# (filename, content, mimetype): str content, so the task's arguments stay JSON-serialisable.
Attachment = tuple[str, str, str]


def send_templated_email(
    name: str,
    to: Iterable[str],
    context: dict,
    *,
    language: str | None = None,
    reply_to: str | None = None,
    attachments: list[Attachment] | None = None,
    optional: str | None = None,
    about: str = "",
) -> None:
    """Render now (the data is as the caller sees it), write it to the outbox in the caller's transaction, send
    after commit in a worker, with any attachments.

    With `optional=<kind>` (a kind registered in portal.optout.optional_emails), addresses that stopped that
    kind are skipped (one query) and every other recipient gets a message of their own with a stop link.
    `about` names what the email is about ("registration:12"), for sent_lately.
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    if optional is not None:
        from portal.optout import opted_out

        stopped = opted_out(optional, recipients)
        kept = [(address, language) for address in recipients if address.lower() not in stopped]
        send_each(name, kept, context, optional=optional, reply_to=reply_to, attachments=attachments, about=about)
        return
    subject, text, html = render_email(name, context, language=language)
    _write_outbox([_Message(name, about, subject, text, html, recipients, reply_to or "", _as_lists(attachments))])


# Stands for each recipient's own stop link while an email is rendered once for all of them: plain characters, so
# autoescaping leaves it as it is in the HTML part.
_STOP_LINK = "https://stop-link.invalid/0b7e4c2a9f"


def send_each(
    name: str,
    recipients: Iterable[tuple[str, str | None]],
    context: dict,
    *,
    optional: str | None = None,
    reply_to: str | None = None,
    attachments: list[Attachment] | None = None,
    about: str = "",
) -> int:
    """The same email as one message per (address, language), so nobody sees the others' addresses, rendered once
    per language. With `optional=<kind>` each message carries its own stop link (footer) and the RFC 8058
    one-click headers; the caller has checked the opt-outs (portal.optout.opted_out, in bulk). All of them are
    written to the outbox at once (two queries and two inserts however many). Returns how many messages were
    written (each sent after commit, unless over its address's limit)."""
    from portal.optout import optional_emails, stop_url_maker

    if optional is not None:
        registered = optional_emails.get(optional)
        label = registered.label if registered else ""
        context = {**context, "unsubscribe_url": _STOP_LINK, "unsubscribe_label": label}
        make_url = stop_url_maker(optional)
    rendered: dict[str | None, tuple[str, str, str]] = {}
    messages: list[_Message] = []
    for address, language in recipients:
        if language not in rendered:
            rendered[language] = render_email(name, context, language=language)
        subject, text, html = rendered[language]
        headers = None
        if optional is not None:
            url = make_url(address)
            text, html = text.replace(_STOP_LINK, url), html.replace(_STOP_LINK, escape(url))
            headers = {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        messages.append(
            _Message(name, about, subject, text, html, [address], reply_to or "", _as_lists(attachments), headers or {})
        )
    _write_outbox(messages)
    return len(messages)


# --- The message as it goes to the mail server -------------------------------------------------------------

# Headers whose value is one or more <URL>s (RFC 2369, RFC 8058). Mail providers read them only as plain ASCII
# angle-bracketed URLs; Python's header folding turns a value too long for one 78-character line into RFC 2047
# encoded words (=?utf-8?q?=3Chttp...?=), which they then ignore, so these are written on one line as they are.
URL_LIST_HEADERS = frozenset({"list-unsubscribe", "list-unsubscribe-post"})
# RFC 5322 section 2.1.1: a line of a message is at most 998 characters.
MAX_HEADER_LINE = 998


class _VerbatimHeader(str):
    """A header value the email package writes exactly as given, on one line (a header object in its terms: it
    has a `name` and folds itself)."""

    def __new__(cls, name: str, value: str):
        header = super().__new__(cls, value)
        header.name = name
        header.defects = ()
        return header

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


def _verbatim(name: str, value: str) -> bool:
    return value.isascii() and "\r" not in value and "\n" not in value and len(name) + 2 + len(value) <= MAX_HEADER_LINE


class PortalEmail(EmailMultiAlternatives):
    """An email whose URL-list headers (List-Unsubscribe and its Post companion) reach the server unencoded."""

    def message(self, *, policy=email.policy.default):
        msg = super().message(policy=policy)
        for name, value in self.extra_headers.items():
            value = str(value)
            if name.lower() in URL_LIST_HEADERS and _verbatim(name, value):
                del msg[name]
                msg[name] = _VerbatimHeader(name, value)
        return msg


# --- The outbox ---------------------------------------------------------------------------------------------


@dataclass
class _Message:
    template: str
    about: str
    subject: str
    text: str
    html: str
    to: list[str]
    reply_to: str
    attachments: list[list[str]]
    headers: dict[str, str] = field(default_factory=dict)


def _as_lists(attachments: list[Attachment] | None) -> list[list[str]]:
    # JSON carries tuples as lists; the row stores what the worker reads back.
    return [list(attachment) for attachment in attachments or []]


# Inside one_outbox_write(): the messages waiting to be written when the block ends.
_pending: ContextVar[list[_Message] | None] = ContextVar("uprcities_mail_pending", default=None)


@contextmanager
def one_outbox_write() -> Iterator[None]:
    """Inside the block, emails are written to the outbox together when it ends (one query for the limits, two
    INSERTs, however many emails), still in the caller's transaction: a tick that sends many emails costs the
    same number of queries for few or many. An exception in the block writes nothing."""
    if _pending.get() is not None:  # nested: the outer block writes
        yield
        return
    token = _pending.set([])
    try:
        yield
        messages = _pending.get() or []
    finally:
        _pending.reset(token)
    _store(messages)


def _write_outbox(messages: list[_Message]) -> None:
    pending = _pending.get()
    if pending is not None:
        pending.extend(messages)
    else:
        _store(messages)


def _store(messages: list[_Message]) -> list[OutgoingEmail]:
    """Write the messages as OutgoingEmail rows in the caller's transaction, and hand them over after commit.

    Each address gets at most settings.MAIL_PER_RECIPIENT_PER_HOUR emails in the last hour (the outbox's counted
    recipients, one query for all of them), unless the email is one of UNLIMITED_EMAILS; the addresses over it
    are left out of the message and recorded on the row (`suppressed_to`), and a message left with nobody is
    stored as suppressed and never handed over.
    """
    if not messages:
        return []
    now = timezone.now()
    limit = settings.MAIL_PER_RECIPIENT_PER_HOUR
    sent_to: Counter[str] = Counter()
    limited = {address.lower() for m in messages if m.template not in UNLIMITED_EMAILS for address in m.to}
    if limited:
        recent = OutgoingRecipient.objects.filter(address__in=limited, created_at__gt=now - dt.timedelta(hours=1))
        sent_to.update(dict(recent.values_list("address").annotate(n=Count("pk")).values_list("address", "n")))
    rows: list[OutgoingEmail] = []
    kept_per_row: list[list[str]] = []
    for message in messages:
        exempt = message.template in UNLIMITED_EMAILS
        kept, over = [], []
        for address in message.to:
            if not exempt and sent_to[address.lower()] >= limit:
                over.append(address)
            else:
                kept.append(address)
                sent_to[address.lower()] += 1
        if over:
            # The count only: the addresses are in the row, for the national team, and not in every log.
            logger.warning("mail: %s not sent to %d address(es) over the hourly limit", message.template, len(over))
        rows.append(
            OutgoingEmail(
                subject=message.subject,
                text=message.text,
                html=message.html,
                to=kept,
                suppressed_to=over,
                reply_to=message.reply_to,
                headers=message.headers,
                attachments=message.attachments,
                template=message.template,
                about=message.about,
                status=OutgoingEmailStatus.QUEUED if kept else OutgoingEmailStatus.SUPPRESSED,
                created_at=now,
            )
        )
        kept_per_row.append(kept)
    rows = OutgoingEmail.objects.bulk_create(rows)
    OutgoingRecipient.objects.bulk_create(
        [
            OutgoingRecipient(email=row, address=address.lower(), created_at=now)
            for row, kept in zip(rows, kept_per_row, strict=True)
            for address in kept
        ]
    )
    ids = [row.pk for row in rows if row.status == OutgoingEmailStatus.QUEUED]
    if ids:
        transaction.on_commit(lambda: hand_over(ids))
    return rows


def sent_lately(about: str, *, within: dt.timedelta) -> bool:
    """Whether an email about `about` was written to the outbox (sent or suppressed) within the last `within`."""
    since = timezone.now() - within
    return OutgoingEmail.objects.filter(about=about, created_at__gt=since).exists()


def hand_over(ids: Iterable[int]) -> int:
    """Give each row's id to a worker; returns how many the broker took. The first refusal (broker down) stops
    the batch: the rest stay queued for the tick, which is what the broker's refusal would do to each of them."""
    from portal.tasks import send_email

    taken: list[int] = []
    for email_id in ids:
        # With Celery eager this sends the email now; a broker that is down answers None (uprcities.celery.Task).
        if send_email.delay(email_id=email_id) is None:
            break
        taken.append(email_id)
    if taken:
        # Only rows still queued: a worker (or eager Celery) may already have claimed or sent them.
        OutgoingEmail.objects.filter(pk__in=taken, status=OutgoingEmailStatus.QUEUED).update(
            status=OutgoingEmailStatus.HANDED_OVER, due_at=timezone.now()
        )
    return len(taken)


# A row handed over but still not sent this long after it was due, or claimed by a worker this long ago and not
# finished, lost its worker (killed, or the broker lost the message): the tick hands it over again. Longer than
# the broker's own redelivery of an unacknowledged task (CELERY_VISIBILITY_TIMEOUT) and than any SMTP exchange,
# so a live worker's row is not given to a second one; the claim would make that copy a no-op anyway, except
# after a claim went stale, where an email the killed worker had already given to the mail server goes twice:
# for mail that must arrive, twice is the lesser harm than never.
HANDOVER_TIMEOUT = dt.timedelta(hours=2)
HAND_OVER_BATCH = 500


def hand_over_pending(now: dt.datetime | None = None) -> int:
    """The periodic job (every tick). Steps:

    1. a row claimed by a worker longer than HANDOVER_TIMEOUT ago and never finished goes back to queued;
    2. a row handed over but not sent HANDOVER_TIMEOUT after it was due goes back to queued;
    3. the oldest HAND_OVER_BATCH queued rows are handed over (hand_over). Returns how many the broker took.

    Two queries and an update when nothing waits; the claim in send_email makes running it twice harmless.
    """
    now = now or timezone.now()
    stale = now - HANDOVER_TIMEOUT
    OutgoingEmail.objects.filter(status=OutgoingEmailStatus.SENDING, claimed_at__lt=stale).update(
        status=OutgoingEmailStatus.QUEUED, claimed_at=None
    )
    OutgoingEmail.objects.filter(status=OutgoingEmailStatus.HANDED_OVER, due_at__lt=stale).update(
        status=OutgoingEmailStatus.QUEUED
    )
    queued = OutgoingEmail.objects.filter(status=OutgoingEmailStatus.QUEUED).order_by("created_at", "pk")
    return hand_over(list(queued.values_list("pk", flat=True)[:HAND_OVER_BATCH]))


# Sent and suppressed rows are kept this long (the admin shows recent mail, the limit counts the last hour);
# failed ones as long again, for the national team to see. Their bodies can hold private links.
OUTBOX_KEPT = dt.timedelta(days=30)


def delete_old_outgoing_email(now: dt.datetime | None = None) -> int:
    """The periodic job (every tick): delete outbox rows that are done and older than OUTBOX_KEPT (failed ones:
    twice that); their recipients go with them."""
    now = now or timezone.now()
    done = [OutgoingEmailStatus.SENT, OutgoingEmailStatus.SUPPRESSED]
    old = OutgoingEmail.objects.filter(
        status__in=done, created_at__lt=now - OUTBOX_KEPT
    ) | OutgoingEmail.objects.filter(status=OutgoingEmailStatus.FAILED, created_at__lt=now - 2 * OUTBOX_KEPT)
    deleted, _ = old.delete()
    return deleted
