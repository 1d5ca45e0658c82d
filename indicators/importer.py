"""Import of the SDSN 2019 US Cities figures (indicators/data/SOURCES.md): the codebook's 57 indicators and, for each
portal city that lies in one of the 105 metro areas, every raw value with its year and source.

Idempotent: a rerun over the same files changes nothing. A value that differs from the one in force is recorded as
a new row and the old one is kept as history (replaced_at set), never overwritten.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cities.models import City
from indicators.enums import Better, Geography, Kind, MatchHow, Origin, ValueType
from indicators.models import Indicator, IndicatorValue, MetroMatch
from portal.cache import bump_public_generation
from upr.models import Theme

DATA = Path(__file__).resolve().parent / "data"
RESULTS = DATA / "sdsn_2019_us_cities_results.csv"
CODEBOOK = DATA / "sdsn_2019_us_cities_codebook.csv"
PORTAL_THEMES = DATA / "sdsn_portal_themes.csv"

SOURCE_NAME = "SDSN USA, The 2019 US Cities Sustainable Development Report"
SOURCE_URL = "https://github.com/sdsna/2019USCitiesIndex"
ATTRIBUTION = (
    "Lynch, A., LoPresti, A., Fox, C. (2019): The 2019 US Cities Sustainable Development Report. "
    "New York: Sustainable Development Solutions Network (SDSN)."
)
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

# The codebook ids whose suffix the results sheet drops (SOURCES.md): codebook id -> results column.
RENAMED = {
    "sdg2v4_obesityRWJ": "sdg2v4_obesity",
    "sdg3v6_mentalhealthRWJ": "sdg3v6_mentalhealth",
    "sdg3v7_overdoseRWJ": "sdg3v7_overdose",
    "sdg3v8_leRWJ": "sdg3v8_lifeExpectancy",
    "sdg4v4_HSgradRWJ": "sdg4v4_HSgrad",
    "sdg10v7_segregationRWJ": "sdg10v7_segregation",
}


@dataclass(frozen=True)
class MetroArea:
    cbsa: str
    name: str  # "New York-Newark-Jersey City, NY-NJ-PA"
    main_city: str
    states: tuple[str, ...]
    row: dict

    @property
    def named_cities(self) -> list[str]:
        """The cities the area's title names ("New York", "Newark", "Jersey City")."""
        title = self.name.rsplit(", ", 1)[0]
        return [part.strip() for part in re.split(r"-+|/", title) if part.strip()]


@dataclass
class ImportResult:
    indicators_created: int = 0
    indicators_updated: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    per_city: dict[str, int] = field(default_factory=dict)  # city slug -> values in the file for it
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (city slug, indicator id): empty in the file
    unmatched: list[str] = field(default_factory=list)  # city slugs outside the 105 areas
    refused_thresholds: list[str] = field(default_factory=list)  # messages

    def summary(self) -> str:
        lines = [
            f"Indicators: {self.indicators_created} created, {self.indicators_updated} updated.",
            f"Values: {self.created} new, {self.changed} changed (old value kept as history), "
            f"{self.unchanged} unchanged.",
        ]
        lines += [f"  {slug}: {count} values" for slug, count in sorted(self.per_city.items())]
        if self.skipped:
            lines.append(f"Skipped {len(self.skipped)} empty cells:")
            lines += [f"  {slug}: {indicator}" for slug, indicator in self.skipped]
        if self.unmatched:
            outside = ", ".join(self.unmatched)
            lines.append(f"Not among the 105 SDSN metro areas (set a match by hand if wrong): {outside}")
        lines += [f"Thresholds refused: {message}" for message in self.refused_thresholds]
        return "\n".join(lines)


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def metro_areas(path: Path = RESULTS) -> dict[str, MetroArea]:
    areas = {}
    for row in read_csv(path):
        name = row["msa"]
        states = tuple(name.rsplit(", ", 1)[1].split("-")) if ", " in name else ()
        areas[row["Cbsa"]] = MetroArea(row["Cbsa"], name, row["maincity"], states, row)
    return areas


def match_city(city: City, areas: dict[str, MetroArea], override: str = "") -> tuple[MetroArea | None, MatchHow]:
    """The area a city's figures come from: the one set by hand, else the area whose main city and state are the
    city's, else one whose title names the city within its states (Newark in New York-Newark-Jersey City)."""
    if override:
        return areas.get(override), MatchHow.MANUAL
    name = city.name.casefold()
    for area in areas.values():
        if area.main_city.casefold() == name and city.state in area.states:
            return area, MatchHow.MAIN_CITY
    for area in areas.values():
        if city.state in area.states and name in (named.casefold() for named in area.named_cities):
            return area, MatchHow.NAMED
    return None, MatchHow.NONE


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip()) if text.strip() else None
    except InvalidOperation:
        return None


def _year(text: str) -> tuple[int, str]:
    """The codebook's year: "2017" -> (2017, ""); "2013-2017" -> (2017, "2013-2017") (the latest year it covers)."""
    years = [int(y) for y in re.findall(r"\d{4}", text)]
    return max(years), (text.strip() if len(years) > 1 else "")


def load_codebook(result: ImportResult, path: Path = CODEBOOK, themes_path: Path = PORTAL_THEMES) -> dict:
    """Create or update the 57 indicators; thresholds the wrong way round are refused (left empty) and reported.
    Answers {codebook id: (indicator, year, period)}."""
    portal = {row["indicator"]: row for row in read_csv(themes_path)}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    found = {}
    for position, row in enumerate(sorted(read_csv(path), key=lambda r: (int(r["SDG"]), r["Indicator"]))):
        key = row["Indicator"]
        mapping = portal.get(key, {})
        fields = {
            "kind": Kind.OUTCOME,
            "name": row["Indicator name"],
            "name_es": mapping.get("name_es", ""),
            "description": row["Description"],
            "unit": row["Units"],
            "value_type": ValueType.NUMBER,
            "better": Better.HIGHER if row["Sort Order"] == "ascending" else Better.LOWER,
            "sdg_target": row["SDG Alignment"],
            "source_name": row["Source"],
            "source_url": SOURCE_URL,
            "to_green": _decimal(row["To Green"]),
            "to_yellow": _decimal(row["To Yellow"]),
            "to_orange": _decimal(row["To Orange"]),
            "position": position,
        }
        indicator = Indicator.objects.filter(source_key=key).first()
        candidate = Indicator(source_key=key, slug=slugify(f"sdsn-{key}"), **fields)
        try:
            candidate.clean()
        except ValidationError as error:
            result.refused_thresholds.append(
                f"{key}: {' '.join(error.message_dict.get('to_green', error.messages))} "
                "Imported without a traffic-light reading."
            )
            fields.update(to_green=None, to_yellow=None, to_orange=None)
        if indicator is None:
            indicator = Indicator.objects.create(source_key=key, slug=slugify(f"sdsn-{key}"), **fields)
            result.indicators_created += 1
        else:
            changed = [name for name, value in fields.items() if getattr(indicator, name) != value]
            if changed:
                for name in changed:
                    setattr(indicator, name, fields[name])
                indicator.save(update_fields=changed)
                result.indicators_updated += 1
        wanted = {themes[slug].pk for slug in mapping.get("themes", "").split("; ") if slug in themes}
        if set(indicator.themes.values_list("pk", flat=True)) != wanted:
            indicator.themes.set(wanted)
        year, period = _year(row["Year"])
        found[key] = (indicator, year, period)
    return found


@transaction.atomic
def import_sdsn(cities: Iterable[City] | None = None, *, results_path: Path = RESULTS) -> ImportResult:
    """Import the codebook and the figures of `cities` (every city by default); see the module's docstring."""
    result = ImportResult()
    indicators = load_codebook(result)
    areas = metro_areas(results_path)
    now = timezone.now()
    cities = list(City.objects.order_by("name", "state") if cities is None else cities)
    matches = {m.city_id: m for m in MetroMatch.objects.filter(city__in=cities)}
    current = {
        (v.indicator_id, v.city_id, v.year): v
        for v in IndicatorValue.objects.current().filter(city__in=cities, origin=Origin.SDSN)
    }
    new_rows, replaced = [], []
    for city in cities:
        match = matches.get(city.pk) or MetroMatch(city=city)
        area, how = match_city(city, areas, match.override_cbsa)
        match.cbsa, match.metro_name, match.matched_how = (area.cbsa, area.name, how) if area else ("", "", how)
        match.imported_at = now
        match.save()
        if area is None:
            result.unmatched.append(city.slug)
            continue
        result.per_city[city.slug] = 0
        for key, (indicator, year, period) in indicators.items():
            value = _decimal(area.row.get(RENAMED.get(key, key), ""))
            if value is None:
                result.skipped.append((city.slug, key))
                continue
            result.per_city[city.slug] += 1
            old = current.get((indicator.pk, city.pk, year))
            if old is not None and old.value == value and old.period == period and old.metro_name == area.name:
                result.unchanged += 1
                continue
            if old is not None:
                replaced.append(old.pk)
                result.changed += 1
            else:
                result.created += 1
            new_rows.append(
                IndicatorValue(
                    indicator=indicator,
                    city=city,
                    year=year,
                    period=period,
                    value=value,
                    geography=Geography.METRO,
                    metro_name=area.name,
                    source_name=SOURCE_NAME,
                    source_url=SOURCE_URL,
                    origin=Origin.SDSN,
                )
            )
    if replaced:
        # Before the new rows: only one value per city, indicator and year may be in force.
        IndicatorValue.objects.filter(pk__in=replaced).update(replaced_at=now)
    IndicatorValue.objects.bulk_create(new_rows)
    if new_rows or replaced:
        bump_public_generation()  # bulk writes send no signals (portal/cache.py)
    return result
