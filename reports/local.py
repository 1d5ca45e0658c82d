"""The local report's life: one per city and cycle, written as a draft, submitted (frozen as a version and
locked), returned with comments or accepted by the national team. Every change of status is one function here,
used by the organizer pages and the admin alike."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import City, Membership
from portal.cache import bump_public_generation
from portal.mail import send_templated_email
from reports.document import Document, Stamp, build_local_report, build_short_summary, snapshot
from reports.enums import Decision, ReportStatus
from reports.models import EDITABLE, LocalReport, ReportVersion
from upr.models import ReviewCycle


class WorkflowError(Exception):
    """A change of status that the report's current status does not allow (the message says why)."""


class StaleRevision(Exception):
    """The report was saved by someone else (or another tab) after this form was opened."""


def report_for(city: City, cycle: ReviewCycle | None = None) -> LocalReport | None:
    cycle = cycle or ReviewCycle.objects.current()
    if cycle is None:
        return None
    report, _created = LocalReport.objects.get_or_create(city=city, cycle=cycle)
    return report


def organizer_emails(city: City) -> list[str]:
    return list(Membership.objects.filter(city=city).values_list("user__email", flat=True))


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


@transaction.atomic
def submit(report: LocalReport, *, by) -> ReportVersion:
    """Freeze the content as a new version, lock editing and tell the national team."""
    locked = LocalReport.objects.select_for_update().get(pk=report.pk)
    if locked.status not in EDITABLE:
        raise WorkflowError(_("This report was already submitted."))
    number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ReportVersion.objects.create(report=locked, number=number, content=snapshot(locked), submitted_by=by)
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
    version.refresh_from_db()
    send_templated_email("report_accepted", organizer_emails(report.city), {"report": report, "version": version})
    return version


# --- documents ------------------------------------------------------------------------------------------------


# The live text is a draft whatever the report's status (after a return it is being edited again); a version
# prints as submitted, returned or accepted, as decided.


def draft_document(report: LocalReport) -> Document:
    return build_local_report(report.city, snapshot(report), stamp=Stamp.draft())


def version_document(version: ReportVersion) -> Document:
    return build_local_report(version.report.city, version.content, stamp=Stamp.of_version(version))


def public_document(version: ReportVersion) -> Document:
    return build_local_report(version.report.city, version.content, public=True, stamp=Stamp.of_version(version))


def draft_summary(report: LocalReport) -> Document:
    return build_short_summary(report.city, snapshot(report), stamp=Stamp.draft())


def version_summary(version: ReportVersion) -> Document:
    return build_short_summary(version.report.city, version.content, stamp=Stamp.of_version(version))


def _draft_filename(report: LocalReport) -> str:
    from reports.rendering import slug_filename

    return slug_filename(report.city.name, report.city.state, "local-report", f"cycle-{report.cycle.number}", "draft")


def _version_filename(version: ReportVersion) -> str:
    from reports.rendering import slug_filename

    city = version.report.city
    return slug_filename(
        city.name, city.state, "local-report", f"cycle-{version.report.cycle.number}", f"v{version.number}"
    )


def _summary_filename(name_of):
    return lambda obj: name_of(obj).replace("local-report", "summary")


def published_version(city: City) -> ReportVersion | None:
    """The city's latest accepted local report (any cycle, newest cycle first)."""
    return (
        ReportVersion.objects.filter(report__city=city, decision=Decision.ACCEPTED)
        .select_related("report__cycle", "report__city")
        .order_by("-report__cycle__number", "-number")
        .first()
    )


def register() -> None:
    from cities.registry import ORGANIZE, city_facts
    from reports.rendering import register_document
    from reports.selectors import report_status_labels

    register_document(LocalReport, "report", draft_document, _draft_filename)
    register_document(LocalReport, "summary", draft_summary, _summary_filename(_draft_filename))
    register_document(ReportVersion, "report", version_document, _version_filename)
    register_document(ReportVersion, "public", public_document, _version_filename)
    register_document(ReportVersion, "summary", version_summary, _summary_filename(_version_filename))
    city_facts.register(
        "local_report", _("local report"), report_status_labels, places=[ORGANIZE], order=40, url_name="reports:edit"
    )
