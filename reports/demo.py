"""Demo local report for `load_demo` (demo mode): the demo organizer's city has a draft for the current review that
cites real resources of the library (resources/data/resources.csv, loaded first by `load_resources`).

The report's text is invented for the demo and says so in its own words, so nobody mistakes it for the real
city's findings; what it cites is real (the Working Group's report of the 2020 review, the High Commissioner's
report on local government and human rights, the network's guide). Idempotent: a city that already has a report
for the cycle keeps it, and a resource already cited is not cited twice.
"""

from __future__ import annotations

from cities.models import City
from reports.enums import Level
from reports.models import Citation, LocalReport, ReportRecommendation, Section
from resources.selectors import public_resources
from upr.models import ReviewCycle, Theme

DEMO_NOTE = "Demo data, invented for the demonstration: "

# (resource slug, note): real records of the library.
DEMO_CITATIONS = [
    ("a-hrc-46-15", "paragraph 26, the recommendations of the 2020 review"),
    ("local-government-and-human-rights-high-commissioner-report", ""),
    ("notes-on-compiling-your-upr-reports", ""),
]


def cite_resources(report: LocalReport, wanted: list[tuple[str, str]]) -> int:
    """Cite the public resources with these slugs (those in the library), after what `report` already cites, with
    their notes; returns how many citations were added. A resource already cited keeps its citation."""
    found = {r.slug: r for r in public_resources().filter(slug__in=[slug for slug, _note in wanted])}
    taken = set(report.citations.values_list("resource_id", flat=True))
    position = report.citations.count()
    added = 0
    for slug, note in wanted:
        resource = found.get(slug)
        if resource is None or resource.pk in taken:
            continue
        Citation.objects.create(report=report, resource=resource, note=note, position=position + added)
        taken.add(resource.pk)
        added += 1
    return added


def load_demo_report(city: City) -> LocalReport | None:
    """A draft local report of `city` for the current review citing real resources, unless the city already has
    one for that review (then only the citations it lacks are added). None when there is no current review."""
    cycle = ReviewCycle.objects.current()
    if cycle is None:
        return None
    report, created = LocalReport.objects.get_or_create(city=city, cycle=cycle)
    if created:
        report.executive_summary = DEMO_NOTE + "residents told us that rents rose faster than wages."
        report.methodology = DEMO_NOTE + "two community conversations and an online survey."
        report.short_summary = DEMO_NOTE + "housing is the first concern of the residents we heard."
        report.save()
        housing = Theme.objects.filter(slug="housing").first()
        if housing is not None:
            Section.objects.create(
                report=report, theme=housing, challenges=DEMO_NOTE + "families waited months for a shelter bed."
            )
        ReportRecommendation.objects.create(
            report=report,
            text=DEMO_NOTE + "fund the right to counsel for every tenant facing eviction.",
            level=Level.LOCAL,
            theme=housing,
        )
    cite_resources(report, DEMO_CITATIONS)
    return report
