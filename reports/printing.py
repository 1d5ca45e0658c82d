"""What each local report object prints, and under which file name: the live draft, a submitted version (for the
national team, and its public form once accepted) and the short summaries. Registered with the render pipeline by
the app's ready()."""

from __future__ import annotations

from reports.content import snapshot
from reports.document import Document, Stamp, build_local_report, build_short_summary
from reports.models import LocalReport, ReportVersion
from reports.rendering import register_document, slug_filename

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
    return slug_filename(report.city.name, report.city.state, "local-report", f"cycle-{report.cycle.number}", "draft")


def _version_filename(version: ReportVersion) -> str:
    city = version.report.city
    return slug_filename(
        city.name, city.state, "local-report", f"cycle-{version.report.cycle.number}", f"v{version.number}"
    )


def _summary_filename(name_of):
    return lambda obj: name_of(obj).replace("local-report", "summary")


def register() -> None:
    register_document(LocalReport, "report", draft_document, _draft_filename)
    register_document(LocalReport, "summary", draft_summary, _summary_filename(_draft_filename))
    register_document(ReportVersion, "report", version_document, _version_filename)
    register_document(ReportVersion, "public", public_document, _version_filename)
    register_document(ReportVersion, "summary", version_summary, _summary_filename(_version_filename))
