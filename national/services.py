"""The national team's actions on the national report: compiling (national.compile), merging paragraphs, asking
for a render behind the OHCHR checks, the joint submitters' sign-off, and recording the report as sent to the UN;
and the messages people send the national team from the contact page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from national.checks import checks_pass, ohchr_checks
from national.document import build_national_report
from national.enums import ParagraphKind
from national.models import ContactMessage, JointSubmitter, NationalParagraph, NationalReport, UNSubmission
from national.quotes import quoted_testimony_ids
from portal.mail import send_templated_email
from reports import rendering
from reports.enums import RenderFormat, RenderStatus
from reports.models import Render
from testimony.models import Testimony


@transaction.atomic
def merge_paragraphs(paragraphs: list[NationalParagraph]) -> NationalParagraph:
    """Merge into the first (by position): texts joined, cities and sources combined; the others left out."""
    if len(paragraphs) < 2:
        raise ValueError(_("Select at least two paragraphs to merge."))
    if len({p.report_id for p in paragraphs}) > 1:
        raise ValueError(_("Only paragraphs of the same report can be merged."))
    if any(p.kind == ParagraphKind.QUOTE for p in paragraphs):
        # Merged into other text, a quote's words could no longer follow the person's consent and the public
        # version at each print.
        raise ValueError(
            _(
                "A quote stays a paragraph of its own: it prints only while the person's consent and the public "
                "version allow it. Leave the quotes out of the selection."
            )
        )
    paragraphs = sorted(paragraphs, key=lambda p: (p.position, p.pk))
    kept, others = paragraphs[0], paragraphs[1:]
    kept.text = " ".join([kept.text.strip(), *(p.text.strip() for p in others)])
    kept.trail = [*kept.trail, *(entry for p in others for entry in p.trail)]
    kept.save()
    for other in others:
        kept.cities.add(*other.cities.all())
        other.omitted = True
        other.save(update_fields=["omitted"])
    return kept


def sign_off_label(submitter: JointSubmitter) -> str:
    if submitter.confirmed_at:
        return _("confirmed as “%(name)s” on %(date)s") % {
            "name": submitter.confirmed_name,
            "date": date_format(timezone.localtime(submitter.confirmed_at), "DATE_FORMAT"),
        }
    if submitter.invited_at:
        return _("requested on %(date)s, not yet confirmed") % {
            "date": date_format(timezone.localtime(submitter.invited_at), "DATE_FORMAT")
        }
    return _("not requested yet") if submitter.contact_email else _("no contact email")


def request_sign_off(report: NationalReport) -> int:
    """Email each joint submitter that has a contact and has not confirmed: a link to read and confirm."""
    sent = 0
    now = timezone.now()
    for submitter in report.joint_submitters.filter(confirmed_at__isnull=True).exclude(contact_email=""):
        send_templated_email(
            "national_sign_off",
            [submitter.contact_email],
            {"report": report, "submitter": submitter},
            language=report.language,
            reply_to=report.contact_email or None,
        )
        JointSubmitter.objects.filter(pk=submitter.pk).update(invited_at=now)
        sent += 1
    return sent


def confirm_sign_off(submitter: JointSubmitter, *, name: str, version: str) -> JointSubmitter:
    JointSubmitter.objects.filter(pk=submitter.pk).update(
        confirmed_at=timezone.now(), confirmed_name=name.strip(), confirmed_version=version
    )
    submitter.refresh_from_db()
    return submitter


class ChecksFail(Exception):
    """A render of the report was asked for while OHCHR checks fail (the message names them)."""

    def __init__(self, failed: list[str]) -> None:
        super().__init__(", ".join(failed))
        self.failed = failed


DOCUMENTS = ("report", "brief")


def request_national_render(report: NationalReport, name: str, fmt: str, *, user, anyway: bool = False) -> Render:
    """Ask for a file of the report or the brief:

    1. the report itself is refused (ChecksFail, naming the failing checks) while an OHCHR check fails, unless
       the team ticked "render anyway"; the brief is not a submission and has no such gate;
    2. the render is requested through the pipeline (the same content version asked twice is one row), and a
       failed one is queued again.
    """
    if name not in DOCUMENTS or fmt not in RenderFormat.values:
        raise ValueError(f"no such document or format: {name} {fmt}")
    if name == "report" and not anyway:
        checks = ohchr_checks(report)
        if not checks_pass(checks):
            raise ChecksFail([str(check.name) for check in checks if not check.passed])
    render = rendering.request_render(report, name, fmt, user=user)
    if render.status == RenderStatus.FAILED:
        render = rendering.retry_render(render)
    return render


class NotSendable(Exception):
    """The report cannot be recorded as sent (the message says why)."""


@transaction.atomic
def record_sent_to_un(report: NationalReport, *, by, sent_on: dt.date) -> UNSubmission:
    """Record that the national report was sent to the UN on `sent_on`:

    1. the Word render of the report as it prints today (what OHCHR receives) is copied into a UNSubmission with
       the date and who recorded it; the copy is the archive, so no later change supersedes or deletes it;
    2. every testimony quoted in it gets `sent_to_un_at` (the first sending is kept), from when its quote to the
       UN can no longer be recalled, and a withdrawal keeps what was sent.

    Refused (NotSendable) while there is no finished Word file of today's text.
    """
    report = NationalReport.objects.select_for_update().get(pk=report.pk)
    document = build_national_report(report)
    render = rendering.current_render(report, "report", RenderFormat.DOCX, version=document.version())
    if render is not None:
        render = rendering.check_current([render], known={(report, "report"): document})[0]
    if render is None or render.status != RenderStatus.DONE:
        raise NotSendable(
            _("Make the Word file of the report as it reads now first: that file is what is archived as sent.")
        )
    with render.file.open("rb") as handle:
        data = handle.read()
    submission = UNSubmission(report=report, sent_on=sent_on, recorded_by=by, version=render.version)
    submission.filename = render.filename
    submission.file.save(render.filename, ContentFile(data), save=False)
    submission.save()
    quoted = quoted_testimony_ids(report)
    submission.quoted.set(quoted)
    Testimony.objects.filter(pk__in=quoted, sent_to_un_at__isnull=True).update(sent_to_un_at=timezone.now())
    return submission


# --- Messages to the national team (the contact page) --------------------------------------------------------


def receive_contact_message(
    *,
    topic: str,
    name: str,
    email: str,
    message: str,
    organisation: str = "",
    city_name: str = "",
    language: str = "en",
) -> ContactMessage:
    """A message from the contact page. Steps:

    1. store it (the national team reads and answers it in the admin, where it waits even if the email below is
       held back by the per-address limit of the outbox);
    2. write its email to NATIONAL_TEAM_EMAIL in the outbox (sent after commit), with the sender's address as
       Reply-To so that answering is replying. Nothing is sent to the sender's address: whoever typed it may not
       own it.
    """
    contact = ContactMessage.objects.create(
        topic=topic,
        name=name,
        email=email,
        message=message,
        organisation=organisation,
        city_name=city_name,
        language=language,
    )
    send_templated_email(
        "contact_message",
        [settings.NATIONAL_TEAM_EMAIL],
        {"contact": contact, "admin_url": reverse("admin:national_contactmessage_change", args=[contact.pk])},
        reply_to=contact.email,
        about=f"contact:{contact.pk}",
    )
    return contact


def mark_contact_messages_answered(messages: Iterable[ContactMessage], *, by) -> int:
    """Record that the national team answered these messages (those not already marked); returns how many."""
    return ContactMessage.objects.filter(pk__in=[m.pk for m in messages], handled_at__isnull=True).update(
        handled_at=timezone.now(), handled_by=by
    )


def delete_old_contact_messages(now: dt.datetime | None = None) -> int:
    """The periodic job: delete messages sent more than CONTACT_RETENTION_DAYS ago, answered or not (one DELETE on
    the date index; idempotent). Returns how many went."""
    now = now or timezone.now()
    deleted, _per_model = ContactMessage.objects.filter(
        created_at__lt=now - dt.timedelta(days=settings.CONTACT_RETENTION_DAYS)
    ).delete()
    return deleted
