"""The national team's progress dashboard: where every city stands in the current review cycle.

Per city: testimony collected, events held, the local report's status and the days left until local reports are
due; totals by theme; two bar charts drawn here as inline SVG (no JavaScript), and the rows of a CSV export.

Every figure comes from the app that owns it, for all cities at once, so the page costs the same number of queries
for 3 cities or 600: testimony from `testimony.selectors`, events from `events.selectors`, priorities from
`cities.selectors`, local reports from `reports`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cities.enums import ACTIVE_STATUSES
from cities.models import City
from cities.selectors import priority_counts_by_theme
from events.selectors import held_counts
from reports.enums import ReportStatus, owes_report
from reports.models import LocalReport, Section
from testimony.selectors import collected_by_theme, collected_counts
from upr.enums import MilestoneKind
from upr.models import Milestone, ReviewCycle, Theme

NOT_STARTED = "not_started"
# The order of progress: the status chart, the status column's sort and the summary follow it.
STATUS_ORDER = [NOT_STARTED, ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]


def status_labels() -> dict[str, str]:
    return {NOT_STARTED: _("Not started"), **{status: str(label) for status, label in ReportStatus.choices}}


@dataclass(frozen=True)
class CityProgress:
    city: City
    testimony: int
    events: int
    status: str  # a ReportStatus value, or NOT_STARTED
    status_label: str
    days_left: int | None  # None once the report is submitted, or when no deadline is set

    @property
    def owes_report(self) -> bool:
        return owes_report(self.status)

    @property
    def late(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def deadline_text(self) -> str:
        if not self.owes_report:
            return _("Report submitted")
        if self.days_left is None:
            return _("No deadline set")
        if self.days_left < 0:
            late = -self.days_left
            return ngettext("Late by %(days)d day", "Late by %(days)d days", late) % {"days": late}
        if self.days_left == 0:
            return _("Due today")
        return ngettext("%(days)d day left", "%(days)d days left", self.days_left) % {"days": self.days_left}


@dataclass(frozen=True)
class ThemeTotal:
    theme: Theme | None  # None: testimony without any theme
    testimony: int
    reports: int  # local reports of this cycle with a section on the theme
    priorities: int  # cities naming the theme among their local priorities

    @property
    def name(self) -> str:
        return self.theme.display_name if self.theme else _("No theme given")


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class Progress:
    today: dt.date
    cycle: ReviewCycle | None
    deadline: Milestone | None
    cities: list[CityProgress]
    themes: list[ThemeTotal]
    statuses: list[StatusCount]

    @property
    def testimony_total(self) -> int:
        return sum(row.testimony for row in self.cities)

    @property
    def events_total(self) -> int:
        return sum(row.events for row in self.cities)

    @property
    def late_count(self) -> int:
        return sum(1 for row in self.cities if row.late)

    @property
    def deadline_days_left(self) -> int | None:
        return self.deadline.days_left(self.today) if self.deadline else None

    @property
    def deadline_text(self) -> str:
        days = self.deadline_days_left
        if days is None:
            return ""
        if days < 0:
            return ngettext("passed %(days)d day ago", "passed %(days)d days ago", -days) % {"days": -days}
        if days == 0:
            return _("today")
        return ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}


def local_input_deadline(cycle: ReviewCycle | None, today: dt.date) -> Milestone | None:
    """When the cycle's local reports are due: the next such milestone, or once all have passed the last one (so
    cities that still owe their report show as late)."""
    if cycle is None:
        return None
    milestones = list(Milestone.objects.filter(cycle=cycle, kind=MilestoneKind.LOCAL_INPUT_DUE).order_by("date"))
    upcoming = [m for m in milestones if m.date >= today]
    return upcoming[0] if upcoming else (milestones[-1] if milestones else None)


def dashboard_cities(cycle: ReviewCycle | None) -> list[City]:
    """The participating cities, and any other city that has started a local report in this cycle."""
    taking_part = Q(status__in=ACTIVE_STATUSES)
    if cycle is not None:
        taking_part |= Q(local_reports__cycle=cycle)
    return list(City.objects.filter(taking_part).distinct().only("name", "state", "slug").order_by("name", "state"))


def _theme_totals(cycle: ReviewCycle | None, cities: Sequence[City]) -> list[ThemeTotal]:
    testimony = collected_by_theme(cities) if cities else {}
    priorities = priority_counts_by_theme(cities) if cities else {}
    reports: dict[int, int] = {}
    if cycle is not None and cities:
        rows = (
            Section.objects.filter(report__cycle=cycle, report__city__in=cities)
            .values("theme")
            .annotate(n=Count("report", distinct=True))
            .values_list("theme", "n")
        )
        reports = dict(rows)
    totals = [
        ThemeTotal(theme, testimony.get(theme.pk, 0), reports.get(theme.pk, 0), priorities.get(theme.pk, 0))
        for theme in Theme.objects.all()
    ]
    if testimony.get(None):
        totals.append(ThemeTotal(None, testimony[None], 0, 0))
    return totals


def national_progress(today: dt.date | None = None) -> Progress:
    """Everything the dashboard shows, in a fixed number of queries whatever the number of cities."""
    today = today or timezone.localdate()
    cycle = ReviewCycle.objects.current()
    deadline = local_input_deadline(cycle, today)
    cities = dashboard_cities(cycle)
    testimony = collected_counts(cities) if cities else {}
    events = held_counts(cities) if cities else {}
    statuses: dict[int, str] = {}
    if cycle is not None and cities:
        reports = LocalReport.objects.filter(cycle=cycle, city__in=cities).order_by()  # no join for the ordering
        statuses = dict(reports.values_list("city", "status"))
    labels = status_labels()
    days_left = deadline.days_left(today) if deadline else None

    rows = []
    for city in cities:
        status = statuses.get(city.pk, NOT_STARTED)
        rows.append(
            CityProgress(
                city=city,
                testimony=testimony.get(city.pk, 0),
                events=events.get(city.pk, 0),
                status=status,
                status_label=labels[status],
                days_left=days_left if owes_report(status) else None,
            )
        )
    counts = [StatusCount(s, labels[s], sum(1 for row in rows if row.status == s)) for s in STATUS_ORDER]
    return Progress(today, cycle, deadline, rows, _theme_totals(cycle, cities), counts)


# --------------------------------------------------------------------------------------------------------------
# Sorting (by the query string, so it works without JavaScript)
# --------------------------------------------------------------------------------------------------------------

SORT_KEYS: dict[str, Callable[[CityProgress], Any]] = {
    "city": lambda row: (row.city.name.casefold(), row.city.state),
    "testimony": lambda row: row.testimony,
    "events": lambda row: row.events,
    "status": lambda row: STATUS_ORDER.index(row.status),
    "deadline": lambda row: row.days_left,
}
DEFAULT_SORT = "city"


def parse_sort(value: str) -> tuple[str, bool]:
    """`?sort=` -> (column, descending); anything unknown sorts by city name."""
    descending = value.startswith("-")
    key = value.removeprefix("-")
    if key not in SORT_KEYS:
        return DEFAULT_SORT, False
    return key, descending


def sort_rows(rows: Sequence[CityProgress], key: str, descending: bool) -> list[CityProgress]:
    """Sorted by `key`, ties by city name; rows without a value (no deadline: report submitted) always last."""
    by_name = sorted(rows, key=SORT_KEYS[DEFAULT_SORT])
    value = SORT_KEYS[key]
    known = [row for row in by_name if value(row) is not None]
    # Python's sort is stable in both directions, so equal values keep the name order.
    known.sort(key=value, reverse=descending)
    return known + [row for row in by_name if value(row) is None]


# --------------------------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------------------------


def csv_rows(progress: Progress, rows: Sequence[CityProgress]) -> Iterator[list]:
    """The table's columns, cells as the portal computes them: portal.spreadsheets.csv_response guards the text
    cells against CSV injection and writes numbers as numbers (a late city's negative days included)."""
    yield [
        _("city"),
        _("state"),
        _("testimony collected"),
        _("events held"),
        _("report status"),
        _("deadline"),
        _("days to the deadline"),
        _("late"),
    ]
    deadline = progress.deadline.date.isoformat() if progress.deadline else ""
    for row in rows:
        yield [
            row.city.name,
            row.city.state,
            row.testimony,
            row.events,
            row.status_label,
            deadline if row.owes_report else "",
            "" if row.days_left is None else row.days_left,
            "yes" if row.late else "no",
        ]


# --------------------------------------------------------------------------------------------------------------
# Charts: inline SVG, built with format_html so every label is escaped
# --------------------------------------------------------------------------------------------------------------

CHART_WIDTH = 480  # drawn 1:1 on wide screens (dashboard.css), so the 16px text is 16px
CHART_PAD = 8
ROW_HEIGHT = 54  # a label line, then the bar with its value
LABEL_BASELINE = 18
BAR_TOP = 26
BAR_HEIGHT = 18
VALUE_ROOM = 56  # right of the longest bar, for its value
# A generous average width of a character of the 16px labels: a longer label widens the chart instead of being cut.
CHAR_WIDTH = 9


def bar_chart(title: str, bars: Sequence[tuple[str, int]], *, id_prefix: str) -> SafeString:
    """A horizontal bar chart: each bar's label above it and its value at its end, both drawn as text.

    - `role="img"`, named by its `<title>` and described by a `<desc>` that lists every label and value, so a
      screen reader hears the figures (the text drawn inside an image is not read out).
    - Colours come from static/css/dashboard.css through classes: the CSP allows no inline styles.
    - `id_prefix` keeps the title and description ids unique on the page.
    """
    longest = max((len(label) for label, _value in bars), default=0)
    width = max(CHART_WIDTH, 2 * CHART_PAD + longest * CHAR_WIDTH)
    biggest = max((value for _label, value in bars), default=0)
    scale = (width - 2 * CHART_PAD - VALUE_ROOM) / biggest if biggest else 0
    rows = []
    for index, (label, value) in enumerate(bars):
        top = CHART_PAD + index * ROW_HEIGHT
        length = round(value * scale, 1)
        rows.append(
            (
                CHART_PAD,
                top + LABEL_BASELINE,
                label,
                CHART_PAD,
                top + BAR_TOP,
                length,
                BAR_HEIGHT,
                CHART_PAD + length + 6,
                top + BAR_TOP + BAR_HEIGHT - 3,
                formats.number_format(value),
            )
        )
    height = 2 * CHART_PAD + max(len(bars), 1) * ROW_HEIGHT
    description = "; ".join(f"{label}: {formats.number_format(value)}" for label, value in bars) or _("No data yet.")
    return format_html(
        '<svg class="bar-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title" aria-describedby="{}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>{}</svg>',
        width,
        height,
        id_prefix,
        id_prefix,
        id_prefix,
        title,
        id_prefix,
        description,
        CHART_PAD,
        CHART_PAD,
        CHART_PAD,
        height - CHART_PAD,
        format_html_join(
            "",
            '<g class="bar-row"><text class="label" x="{}" y="{}">{}</text>'
            '<rect class="bar" x="{}" y="{}" width="{}" height="{}"/>'
            '<text class="value" x="{}" y="{}">{}</text></g>',
            rows,
        ),
    )


def status_chart(progress: Progress) -> SafeString:
    return bar_chart(
        _("Local reports by status"),
        [(count.label, count.count) for count in progress.statuses],
        id_prefix="chart-status",
    )


def theme_chart(progress: Progress) -> SafeString:
    """Testimony by theme, largest first; themes without testimony are left out of the chart (not of the table)."""
    bars = sorted(
        ((total.name, total.testimony) for total in progress.themes if total.theme and total.testimony),
        key=lambda bar: -bar[1],
    )
    return bar_chart(_("Testimony collected by theme"), bars, id_prefix="chart-themes")
