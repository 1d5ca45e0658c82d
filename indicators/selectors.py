"""Reads for the profile, compare and CSV pages. Each runs a fixed number of queries, whatever the number of
indicators, years or cities: the network's figures are read once and the median and ranks computed here."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import gettext as _

from cities.models import City
from indicators.enums import Better, Kind, Origin, Reading
from indicators.formatting import figure
from indicators.models import Indicator, IndicatorValue, MetroMatch, reading_symbol
from indicators.registry import theme_panels
from upr.models import Theme

MAX_COMPARED = 4


@dataclass
class NetworkStanding:
    median: Decimal | None
    rank: int | None  # 1 is the best; cities level with each other share a rank
    among: int  # how many network cities have the figure


@dataclass
class ProfileRow:
    indicator: Indicator
    latest: IndicatorValue
    series: list[tuple[int, Decimal | None]]  # (year, value) of the values in force, oldest year first
    standing: NetworkStanding | None = None

    @property
    def reading(self) -> Reading | None:
        if self.indicator.kind != Kind.OUTCOME:
            return None
        return self.indicator.reading(self.latest.value)

    @property
    def reading_symbol(self) -> str:
        return reading_symbol(self.reading)

    @property
    def has_line(self) -> bool:
        return len(self.series) > 1 and self.indicator.kind == Kind.OUTCOME

    @cached_property
    def points(self) -> list[tuple[int, str, Decimal]]:
        """(year, the figure as shown, value) of each year with a figure: the line and its text read these."""
        return [(year, figure(value), value) for year, value in self.series if value is not None]

    @cached_property
    def points_text(self) -> str:
        """The line's figures as text: "2021: 7.4; 2022: 6.8" (a table's worth in one string: cheap to render)."""
        return "; ".join(f"{year}: {shown}" for year, shown, _value in self.points)


@dataclass
class ThemeSection:
    theme: Theme | None  # None: indicators without a theme
    rows: list[ProfileRow] = field(default_factory=list)
    lines: list = field(default_factory=list)  # registry.ThemeLine, from higher apps


@dataclass
class Profile:
    city: City
    match: MetroMatch | None
    sections: list[ThemeSection]
    row_count: int

    @property
    def in_sdsn(self) -> bool:
        return self.match is not None and bool(self.match.cbsa)

    @property
    def has_metro_figures(self) -> bool:
        return any(row.latest.is_metro for section in self.sections for row in section.rows)


def _indicators() -> QuerySet[Indicator]:
    return Indicator.objects.prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position", "pk")))


def current_values(cities: Sequence[City]) -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.current().filter(city__in=cities).order_by("indicator_id", "year", "pk")


def latest_values(cities: Sequence[City]) -> QuerySet[IndicatorValue]:
    """Each city's value in force for the latest year of each indicator it has."""
    latest_year = (
        IndicatorValue.objects.current()
        .filter(indicator=OuterRef("indicator"), city=OuterRef("city"))
        .order_by("-year")
        .values("year")[:1]
    )
    return current_values(cities).filter(year=Subquery(latest_year))


def network_standings(indicator_ids) -> dict[int, dict[int, tuple[Decimal, int]]]:
    """{indicator id: {city id: (latest value, year)}} over the network's cities, in one query that reads only each
    city's latest year (not every year of every city)."""
    latest_year = (
        IndicatorValue.objects.current()
        .filter(indicator=OuterRef("indicator"), city=OuterRef("city"), value__isnull=False)
        .order_by("-year")
        .values("year")[:1]
    )
    rows = (
        IndicatorValue.objects.current()
        .filter(indicator_id__in=list(indicator_ids), value__isnull=False, city__in=City.objects.active())
        .filter(year=Subquery(latest_year))
        .values_list("indicator_id", "city_id", "value", "year")
    )
    latest: dict[int, dict[int, tuple[Decimal, int]]] = defaultdict(dict)
    for indicator_id, city_id, value, year in rows:
        latest[indicator_id][city_id] = (value, year)
    return latest


def standing(indicator: Indicator, city_id: int, figures: dict[int, tuple[Decimal, int]]) -> NetworkStanding | None:
    """The network median of the cities' latest figures and `city_id`'s rank among them (1 = best)."""
    if not figures:
        return None
    values = [value for value, _year in figures.values()]
    own = figures.get(city_id)
    rank = None
    if own is not None and indicator.better:
        better = (lambda v: v > own[0]) if indicator.better == Better.HIGHER else (lambda v: v < own[0])
        rank = 1 + sum(1 for v in values if better(v))
    return NetworkStanding(statistics.median(values), rank, len(values))


def city_profile(city: City) -> Profile:
    """The city's indicators grouped by theme (an indicator under its first theme), each with its latest value,
    its line over the years, its reading and its standing in the network; beside each theme, what higher apps
    contribute (registry.theme_panels)."""
    match = MetroMatch.objects.filter(city=city).first()
    # The latest value of each indicator as a whole row (what the page says about it); the earlier years only as
    # (year, value), for the line: 60 rows built instead of 480 for 60 indicators x 8 years.
    latest = {value.indicator_id: value for value in latest_values([city])}
    years: dict[int, list[tuple[int, Decimal | None]]] = defaultdict(list)
    for indicator_id, year, value in current_values([city]).values_list("indicator_id", "year", "value"):
        years[indicator_id].append((year, value))
    indicators = list(_indicators().filter(pk__in=list(latest)))
    network = network_standings([i.pk for i in indicators if i.kind == Kind.OUTCOME])
    sections: dict[int | None, ThemeSection] = {}
    for indicator in indicators:
        row = ProfileRow(indicator, latest[indicator.pk], years[indicator.pk])
        if indicator.kind == Kind.OUTCOME:
            row.standing = standing(indicator, city.pk, network.get(indicator.pk, {}))
        first = next(iter(indicator.themes.all()), None)  # prefetched, ordered by position
        key = first.pk if first else None
        sections.setdefault(key, ThemeSection(first)).rows.append(row)
    ordered = sorted(
        sections.values(), key=lambda s: (s.theme is None, s.theme.position if s.theme else 0, s.theme and s.theme.pk)
    )
    lines = theme_panels.lines(city, [section.theme for section in ordered if section.theme is not None])
    for section in ordered:
        if section.theme is not None:
            section.lines = lines[section.theme.pk]
    return Profile(city, match, ordered, sum(len(s.rows) for s in ordered))


def city_profile_panel(city: City) -> dict:
    """The city page's short panel: how many figures the profile holds and where they come from (two queries)."""
    match = MetroMatch.objects.filter(city=city).first()
    current = IndicatorValue.objects.current().filter(city=city)
    return {
        "indicator_count": current.values("indicator").distinct().count(),
        "match": match,
    }


def local_value_counts(cities) -> dict[int, int]:
    """{city id: values in force that the city's organizers entered}, in one query (the organizer home)."""
    rows = (
        IndicatorValue.objects.current()
        .filter(city__in=cities, origin=Origin.ORGANIZER)
        .values("city")
        .annotate(n=Count("pk"))
        .values_list("city", "n")
    )
    return dict(rows)


@dataclass
class CompareCell:
    value: IndicatorValue
    reading: Reading | None

    @property
    def reading_symbol(self) -> str:
        return reading_symbol(self.reading)


@dataclass
class CompareRow:
    indicator: Indicator
    cells: list[CompareCell | None]  # one per city, in the order asked


def compare(cities: Sequence[City]) -> tuple[list[CompareRow], dict[int, MetroMatch]]:
    """The indicators that at least two of `cities` have, with each city's latest value (rows where only one city
    has a figure compare nothing); and each city's metro match, to say where figures are metro-area ones."""
    latest: dict[int, dict[int, IndicatorValue]] = defaultdict(dict)
    for value in latest_values(cities):
        latest[value.indicator_id][value.city_id] = value
    shared = [pk for pk, by_city in latest.items() if len(by_city) >= min(2, len(cities))]
    rows = []
    for indicator in _indicators().filter(pk__in=shared):
        values = [latest[indicator.pk].get(city.pk) for city in cities]
        cells = [CompareCell(v, indicator.reading(v.value)) if v is not None else None for v in values]
        rows.append(CompareRow(indicator, cells))
    matches = {m.city_id: m for m in MetroMatch.objects.filter(city__in=cities)}
    return rows, matches


def compared_cities(slugs: str) -> tuple[list[City], list[str]]:
    """The cities named in `?cities=a,b,c` (in that order) and the problems a reader should be told about."""
    wanted = [slug.strip() for slug in slugs.split(",") if slug.strip()]
    problems = []
    unique = list(dict.fromkeys(wanted))
    if len(unique) > MAX_COMPARED:
        problems.append(
            _("Compare at most %(max)d cities at a time; the first %(max)d are shown.") % {"max": MAX_COMPARED}
        )
        unique = unique[:MAX_COMPARED]
    found = {city.slug: city for city in City.objects.filter(slug__in=unique)}
    missing = [slug for slug in unique if slug not in found]
    if missing:
        problems.append(_("No city in the network is called %(names)s.") % {"names": ", ".join(missing)})
    return [found[slug] for slug in unique if slug in found], problems


def csv_values(cities: Sequence[City] | None = None) -> QuerySet[IndicatorValue]:
    """The values in force for the CSV download, with what each row names (one query)."""
    values = IndicatorValue.objects.current().select_related("indicator", "city")
    if cities is not None:
        values = values.filter(city__in=cities)
    return values.order_by("city__name", "city__state", "indicator__position", "indicator__name", "year")


def value_history(city: City, indicator: Indicator) -> list[IndicatorValue]:
    """Every value the city has had for `indicator`, newest year first, each year's versions newest first."""
    rows = IndicatorValue.objects.filter(city=city, indicator=indicator).select_related("entered_by")
    return list(rows.order_by("-year", "-entered_at", "-pk"))
