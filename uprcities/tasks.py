import logging

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from uprcities.registry import periodic_jobs

logger = logging.getLogger(__name__)


@shared_task(name="uprcities.tick", acks_late=True)
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


@shared_task(
    name="uprcities.send_email",
    acks_late=True,
    autoretry_for=(OSError,),  # SMTP connection problems are transient; a bad address is not retried
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_email(
    *,
    subject: str,
    body: str,
    html: str,
    to: list[str],
    reply_to: str | None = None,
    attachments: list[list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Send one message; `attachments` are [filename, text content, mimetype] (JSON carries tuples as lists);
    `headers` are extra header lines (the List-Unsubscribe pair of optional emails)."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=to, reply_to=[reply_to] if reply_to else None, headers=headers or None
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send()
