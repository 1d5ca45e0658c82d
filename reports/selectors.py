"""Reads of reports, scoped: organizers see their own cities' reports only (through cities.selectors)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from cities.selectors import directory_cities
from reports.enums import Decision, ReportStatus
from reports.models import LocalReport, Render, ReportVersion
from upr.models import ReviewCycle


def report_status_labels(cities) -> dict[int, str]:
    """{city id: the current cycle's report status, or "not started"}, in one query."""
    cycle = ReviewCycle.objects.current()
    labels = dict(ReportStatus.choices)
    rows = LocalReport.objects.filter(city__in=cities, cycle=cycle).values_list("city", "status") if cycle else []
    found = {city: str(labels[status]) for city, status in rows}
    return {city.pk: found.get(city.pk, _("not started")) for city in cities}


def accepted_versions(cycle: ReviewCycle) -> list[ReportVersion]:
    """The latest accepted version of each city's local report for `cycle`, by city name."""
    latest: dict[int, ReportVersion] = {}
    versions = (
        ReportVersion.objects.filter(report__cycle=cycle, decision=Decision.ACCEPTED)
        .select_related("report__city")
        .order_by("report__city__name", "number")
    )
    for version in versions:
        latest[version.report_id] = version
    return list(latest.values())


def published_version(city) -> ReportVersion | None:
    """The city's latest accepted local report (any cycle, newest cycle first)."""
    return (
        ReportVersion.objects.filter(report__city=city, decision=Decision.ACCEPTED)
        .select_related("report__cycle", "report__city")
        .order_by("-report__cycle__number", "-number")
        .first()
    )


def published_versions_citing(resource) -> list[ReportVersion]:
    """The cities' published local reports (each city's `published_version`: its latest accepted version of its
    newest cycle) whose frozen content cites `resource`, by city name, in one query whatever their number. An
    older accepted version that cited it, since replaced by a newer one that does not, is not listed: readers of
    the city's report would not find the citation. Only cities of the public directory are listed
    (cities.selectors.directory_cities, as search lists their reports)."""
    newer = ReportVersion.objects.filter(decision=Decision.ACCEPTED, report__city=OuterRef("report__city")).filter(
        Q(report__cycle__number__gt=OuterRef("report__cycle__number"))
        | Q(report=OuterRef("report"), number__gt=OuterRef("number"))
    )
    return list(
        ReportVersion.objects.filter(decision=Decision.ACCEPTED, cited_resources=resource)
        .filter(~Exists(newer), report__city__in=directory_cities().prefetch_related(None).values("pk"))
        .select_related("report__city", "report__cycle")
        .order_by("report__city__name", "report__city__state", "pk")
    )


def cities_with_published_report() -> list[str]:
    """The slugs of the cities whose local report has a public page (an accepted version, any cycle)."""
    return sorted(
        set(ReportVersion.objects.filter(decision=Decision.ACCEPTED).values_list("report__city__slug", flat=True))
    )


def render_of_city(city, render_id: int) -> Render:
    """A render of this city's local report (a draft or a submitted version); 404 for anything else."""
    report_type = ContentType.objects.get_for_model(LocalReport)
    version_type = ContentType.objects.get_for_model(ReportVersion)
    reports = LocalReport.objects.filter(city=city).values("pk")
    versions = ReportVersion.objects.filter(report__city=city).values("pk")
    render = (
        Render.objects.filter(pk=render_id)
        .filter(
            Q(content_type=report_type, object_id__in=reports) | Q(content_type=version_type, object_id__in=versions)
        )
        .first()
    )
    if render is None:
        raise Http404("No such render for this city")
    return render
