"""Every email is a subject / text / HTML template trio (templates/emails/<name>_subject.txt, <name>.txt,
<name>.html), rendered in the recipient's language and sent by a Celery task enqueued after the transaction
commits, so a rolled-back change never sends mail and a slow mail server never slows a request.

Optional emails (reminders, digests: `optional=<kind>`, see uprcities.optout) go one per recipient, each with its
own stop link in the footer and the RFC 8058 one-click headers, and never to an address that stopped that kind."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape


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
) -> None:
    """Render now (the data is as the caller sees it), send after commit in a worker, with any attachments.

    With `optional=<kind>` (a kind registered in uprcities.optout.optional_emails), addresses that stopped that
    kind are skipped (one query) and every other recipient gets a message of their own with a stop link.
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    if optional is not None:
        from uprcities.optout import opted_out

        stopped = opted_out(optional, recipients)
        kept = [(address, language) for address in recipients if address.lower() not in stopped]
        send_each(name, kept, context, optional=optional, reply_to=reply_to, attachments=attachments)
        return
    subject, text, html = render_email(name, context, language=language)
    _enqueue(subject=subject, text=text, html=html, to=recipients, reply_to=reply_to, attachments=attachments)


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
) -> int:
    """The same email as one message per (address, language), so nobody sees the others' addresses, rendered once
    per language. With `optional=<kind>` each message carries its own stop link (footer) and the RFC 8058
    one-click headers; the caller has checked the opt-outs (uprcities.optout.opted_out, in bulk). Returns how
    many messages were enqueued (after commit)."""
    from uprcities.optout import optional_emails, stop_url_maker

    if optional is not None:
        registered = optional_emails.get(optional)
        label = registered.label if registered else ""
        context = {**context, "unsubscribe_url": _STOP_LINK, "unsubscribe_label": label}
        make_url = stop_url_maker(optional)
    rendered: dict[str | None, tuple[str, str, str]] = {}
    count = 0
    for address, language in recipients:
        if language not in rendered:
            rendered[language] = render_email(name, context, language=language)
        subject, text, html = rendered[language]
        headers = None
        if optional is not None:
            url = make_url(address)
            text, html = text.replace(_STOP_LINK, url), html.replace(_STOP_LINK, escape(url))
            headers = {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        _enqueue(
            subject=subject,
            text=text,
            html=html,
            to=[address],
            reply_to=reply_to,
            attachments=attachments,
            headers=headers,
        )
        count += 1
    return count


def send_optional_email(
    name: str,
    address: str,
    context: dict,
    *,
    kind: str,
    language: str | None = None,
    reply_to: str | None = None,
    attachments: list[Attachment] | None = None,
) -> None:
    """One optional email to one address, with its stop link and the one-click headers. The caller has checked
    the opt-outs; send_templated_email(optional=...) does it for you."""
    send_each(name, [(address, language)], context, optional=kind, reply_to=reply_to, attachments=attachments)


def _enqueue(
    *,
    subject: str,
    text: str,
    html: str,
    to: list[str],
    reply_to: str | None,
    attachments: list[Attachment] | None,
    headers: dict[str, str] | None = None,
) -> None:
    from uprcities.tasks import send_email

    extra: dict = {}
    if attachments:
        extra["attachments"] = [list(a) for a in attachments]
    if headers:
        extra["headers"] = headers
    transaction.on_commit(
        lambda: send_email.delay(subject=subject, body=text, html=html, to=to, reply_to=reply_to, **extra)
    )
