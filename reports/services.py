"""The local report's life: one per city and cycle, written as a draft, submitted (frozen as a version and
locked), returned with comments or accepted by the national team. Every change of status is one function here,
used by the organizer pages and the admin alike."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cities.models import City
from cities.selectors import organizer_emails
from portal.cache import bump_public_generation
from portal.mail import send_templated_email
from reports.content import limits, snapshot
from reports.document import Document
from reports.enums import Decision, ReportStatus
from reports.models import EDITABLE, LocalReport, ReportVersion
from reports.printing import draft_document
from reports.signals import report_published
from upr.models import ReviewCycle


class WorkflowError(Exception):
    """A change of status that the report's current status does not allow (the message says why)."""


class StaleRevision(Exception):
    """The report was saved by someone else (or another tab) after this form was opened."""


class Incomplete(WorkflowError):
    """The report cannot be submitted yet: `problems` says what is missing or over its limit."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def report_for(city: City, cycle: ReviewCycle | None = None) -> LocalReport | None:
    cycle = cycle or ReviewCycle.objects.current()
    if cycle is None:
        return None
    report, _created = LocalReport.objects.get_or_create(city=city, cycle=cycle)
    return report


@transaction.atomic
def mark_saved(report: LocalReport, *, by, expected_revision: int | None) -> int:
    """Bump the revision for a save of the content and return the new one; refuse if the report changed or was
    locked meanwhile. Call inside the transaction that writes the content, before writing it. (`report` itself is
    not reloaded: it may carry the form's unsaved changes.)"""
    locked = LocalReport.objects.select_for_update().get(pk=report.pk)
    if locked.status not in EDITABLE:
        raise WorkflowError(_("The report was submitted and is locked; it can be edited again if it is returned."))
    if expected_revision is not None and locked.revision != expected_revision:
        raise StaleRevision
    LocalReport.objects.filter(pk=report.pk).update(
        revision=F("revision") + 1, updated_by=by, updated_at=timezone.now()
    )
    return locked.revision + 1


def submission_problems(report: LocalReport, document: Document) -> list[str]:
    """What keeps the report from being submitted (empty when it may be): missing parts, words over the limits."""
    problems = []
    if not any(b.kind == "paragraph" for b in document.blocks if b.text):
        problems.append(_("Write at least one section's findings."))
    if not report.sections.exists():
        problems.append(_("Add at least one theme section."))
    if not report.recommendations.exists():
        problems.append(_("Add at least one recommendation."))
    if not report.short_summary.strip():
        problems.append(_("Write the short summary."))
    counts = limits(report, document)
    if counts["over"]:
        problems.append(
            _("The report is %(n)s words over its limit of %(limit)s; shorten it before submitting.")
            % {"n": counts["over"], "limit": counts["word_limit"]}
        )
    if counts["summary_over"]:
        problems.append(
            _("The short summary is %(n)s words over its limit of %(limit)s.")
            % {"n": counts["summary_over"], "limit": counts["summary_limit"]}
        )
    return problems


@transaction.atomic
def submit(report: LocalReport, *, by) -> ReportVersion:
    """Submit the report:

    1. refuse (WorkflowError) a report that is not a draft or returned, and (Incomplete, with every problem) one
       that `submission_problems` finds incomplete or over its limits;
    2. freeze the content as a new version (with the resources it cites, as they are now: title, UN symbol, kind,
       date, link) and lock editing;
    3. email the national team (in the outbox, with the transaction).
    """
    locked = LocalReport.objects.select_for_update().get(pk=report.pk)
    if locked.status not in EDITABLE:
        raise WorkflowError(_("This report was already submitted."))
    if problems := submission_problems(locked, draft_document(locked)):
        raise Incomplete(problems)
    number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    content = snapshot(locked)
    version = ReportVersion.objects.create(report=locked, number=number, content=content, submitted_by=by)
    version.cited_resources.set([citation["resource"] for citation in content["citations"]])
    now = timezone.now()
    LocalReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED, submitted_at=now)
    report.refresh_from_db()
    send_templated_email(
        "report_submitted", [settings.NATIONAL_TEAM_EMAIL], {"report": report, "version": version, "by": by}
    )
    return version


def _pending_version(report: LocalReport) -> ReportVersion:
    version = report.versions.filter(decision=Decision.PENDING).order_by("-number").first()
    if report.status != ReportStatus.SUBMITTED or version is None:
        raise WorkflowError(_("Only a submitted report can be returned or accepted."))
    return version


@transaction.atomic
def return_with_comments(report: LocalReport, *, by, comment: str) -> ReportVersion:
    """Send the submitted version back to the city with the national team's comments; editing opens again."""
    if not comment.strip():
        raise WorkflowError(_("Say what the city should change: the comments are required to return a report."))
    report = LocalReport.objects.select_for_update().get(pk=report.pk)
    version = _pending_version(report)
    ReportVersion.objects.filter(pk=version.pk).update(
        decision=Decision.RETURNED, comment=comment.strip(), decided_at=timezone.now(), decided_by=by
    )
    LocalReport.objects.filter(pk=report.pk).update(status=ReportStatus.RETURNED)
    version.refresh_from_db()
    send_templated_email("report_returned", organizer_emails(report.city), {"report": report, "version": version})
    return version


@transaction.atomic
def accept(report: LocalReport, *, by, comment: str = "") -> ReportVersion:
    """Accept the submitted version: it becomes the city's published local report."""
    report = LocalReport.objects.select_for_update().get(pk=report.pk)
    version = _pending_version(report)
    now = timezone.now()
    ReportVersion.objects.filter(pk=version.pk).update(
        decision=Decision.ACCEPTED, comment=comment.strip(), decided_at=now, decided_by=by
    )
    LocalReport.objects.filter(pk=report.pk).update(status=ReportStatus.ACCEPTED, accepted_at=now)
    bump_public_generation()  # the city page shows the accepted report; update() sends no post_save
    report_published.send(sender=LocalReport, city_id=report.city_id)
    version.refresh_from_db()
    send_templated_email("report_accepted", organizer_emails(report.city), {"report": report, "version": version})
    return version
