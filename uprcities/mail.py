"""Every email is a subject / text / HTML template trio (templates/emails/<name>_subject.txt, <name>.txt,
<name>.html), rendered in the recipient's language and sent by a Celery task enqueued after the transaction
commits, so a rolled-back change never sends mail and a slow mail server never slows a request."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def render_email(name: str, context: dict, *, language: str | None = None) -> tuple[str, str, str]:
    context = {"SITE_URL": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{name}_subject.txt", context).strip()
        text = render_to_string(f"emails/{name}.txt", context)
        html = render_to_string(f"emails/{name}.html", context)
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
) -> None:
    """Render now (the data is as the caller sees it), send after commit in a worker, with any attachments."""
    from uprcities.tasks import send_email

    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    subject, text, html = render_email(name, context, language=language)
    extra = {"attachments": [list(a) for a in attachments]} if attachments else {}
    transaction.on_commit(
        lambda: send_email.delay(subject=subject, body=text, html=html, to=recipients, reply_to=reply_to, **extra)
    )
