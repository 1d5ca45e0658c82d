import datetime as dt
import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from portal.mail import PortalEmail
from portal.models import CLAIMABLE_EMAIL_STATUSES, OutgoingEmail, OutgoingEmailStatus
from portal.registry import periodic_jobs

logger = logging.getLogger(__name__)


def delay_or_run(task, **kwargs) -> None:
    """Hand `task` to a worker; when the broker cannot take it (the project's Task base then answers None), run it
    here instead. For work enqueued after commit whose result is itself durable (notices written to the outbox,
    which the tick hands over once the broker is back): nothing then depends on a message that was never queued."""
    if task.delay(**kwargs) is None:
        task.run(**kwargs)


@shared_task(name="portal.tick", acks_late=True)
def tick() -> dict[str, str]:
    """The single beat tick (every 15 minutes): run each registered job; one failing job does not stop the rest.

    The jobs find what is due in the database, so running the tick twice, late or concurrently is harmless.
    """
    outcome: dict[str, str] = {}
    for name, job in periodic_jobs.items():
        try:
            outcome[name] = f"ok: {job()}"
        except Exception as exc:
            logger.exception("periodic job %s failed", name)
            outcome[name] = f"failed: {exc}"
    return outcome


def is_transient(exc: BaseException) -> bool:
    """Whether trying the same email again later may work: the connection failed, or the server said 4xx ("try
    later": greylisting, a full mailbox, too many connections). A 5xx (no such user, refused sender, rejected
    content) is final, as is any other SMTP answer the server will give again (an extension it does not have)."""
    if isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        # Raised when the server refused every recipient: try again only if each refusal was temporary.
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPException):
        return False
    # Socket errors, timeouts, TLS failures on the way to the server (smtplib's errors above are OSErrors too).
    return isinstance(exc, OSError)


def describe_failure(exc: BaseException) -> str:
    """The error as the national team reads it in the admin: the class, and each refused address with its code."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refusals = "; ".join(
            f"{address}: {code} {_decoded(message)}" for address, (code, message) in sorted(exc.recipients.items())
        )
        return f"{type(exc).__name__}: {refusals}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__}: {exc.smtp_code} {_decoded(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _decoded(message: bytes | str) -> str:
    return message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)


def retry_delay(attempts: int) -> int:
    """Seconds before the next try after `attempts` tries: 30 s doubling, at most an hour."""
    return min(30 * 2 ** max(attempts - 1, 0), 3600)


@shared_task(name="portal.send_email", acks_late=True)
def send_email(
    *,
    email_id: int | None = None,
    subject: str = "",
    body: str = "",
    html: str = "",
    to: list[str] | None = None,
    reply_to: str | None = None,
    attachments: list[list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Send one outbox row (portal.mail), once. Steps:

    1. claim the row (queued or handed over -> sending, one more attempt) in one UPDATE; a row that is gone, sent,
       failed, or claimed by another worker is left alone (a second copy of the task sends nothing);
    2. send it; sent -> status sent, the time, and the bodies blanked (they can hold private links, and are no
       longer needed);
    3. a permanent refusal (5xx, no such address) -> failed with the error, at once;
    4. a transient one (connection, 4xx) -> handed over again with a bounded backoff (retry_delay), until
       settings.MAIL_MAX_ATTEMPTS tries, then failed with the last error. If the broker cannot take the retry,
       the row goes back to queued and the tick hands it over.

    Called with the message itself instead of an id (tasks enqueued before the outbox existed, still in the
    broker at deploy), it sends that message as before.
    """
    if email_id is None:
        return _send_message(
            subject=subject,
            body=body,
            html=html,
            to=to or [],
            reply_to=reply_to or "",
            attachments=attachments,
            headers=headers,
        )
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(pk=email_id, status__in=CLAIMABLE_EMAIL_STATUSES).update(
        status=OutgoingEmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return 0
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        sent = _send_message(
            subject=email.subject,
            body=email.text,
            html=email.html,
            to=email.to,
            reply_to=email.reply_to,
            attachments=email.attachments,
            headers=email.headers,
        )
    except Exception as exc:
        return _after_failure(email, exc)
    OutgoingEmail.objects.filter(pk=email_id).update(
        status=OutgoingEmailStatus.SENT, sent_at=timezone.now(), claimed_at=None, text="", html="", attachments=[]
    )
    return sent


def _after_failure(email: OutgoingEmail, exc: Exception) -> int:
    error = describe_failure(exc)
    rows = OutgoingEmail.objects.filter(pk=email.pk, status=OutgoingEmailStatus.SENDING)
    if not is_transient(exc) or email.attempts >= settings.MAIL_MAX_ATTEMPTS:
        if not isinstance(exc, smtplib.SMTPException | OSError):
            logger.exception("mail: outgoing email %s failed on an unexpected error", email.pk)
        else:
            logger.warning("mail: outgoing email %s failed after %d attempt(s): %s", email.pk, email.attempts, error)
        rows.update(status=OutgoingEmailStatus.FAILED, last_error=error, claimed_at=None)
        return 0
    delay = retry_delay(email.attempts)
    rows.update(
        status=OutgoingEmailStatus.HANDED_OVER,
        last_error=error,
        claimed_at=None,
        due_at=timezone.now() + dt.timedelta(seconds=delay),
    )
    if send_email.apply_async(kwargs={"email_id": email.pk}, countdown=delay) is None:
        OutgoingEmail.objects.filter(pk=email.pk, status=OutgoingEmailStatus.HANDED_OVER).update(
            status=OutgoingEmailStatus.QUEUED
        )
    return 0


def _send_message(
    *,
    subject: str,
    body: str,
    html: str,
    to: list[str],
    reply_to: str,
    attachments: list[list[str]] | None,
    headers: dict[str, str] | None,
) -> int:
    """`attachments` are [filename, text content, mimetype]; `headers` are extra header lines (the
    List-Unsubscribe pair of optional emails)."""
    message = PortalEmail(
        subject=subject, body=body, to=to, reply_to=[reply_to] if reply_to else None, headers=headers or None
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send()
