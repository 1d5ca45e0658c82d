"""The values as a CSV a spreadsheet opens (portal.spreadsheets), one row per value in force, with the source and
licence of each; the columns are documented on the profile page and in docs/DESIGN.md."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse

from indicators.enums import Origin
from indicators.importer import ATTRIBUTION, LICENCE
from indicators.models import IndicatorValue
from portal.spreadsheets import csv_response

COLUMNS = [
    "city",
    "state",
    "city_slug",
    "indicator",
    "indicator_slug",
    "kind",
    "unit",
    "better",
    "sdg_target",
    "year",
    "period",
    "value",
    "fact",
    "fact_date",
    "area_described",
    "metro_area",
    "source",
    "source_link",
    "data_source",
    "note",
    "licence",
    "attribution",
]


def rows(values: Iterable[IndicatorValue]):
    yield COLUMNS
    for value in values:
        indicator, city = value.indicator, value.city
        sdsn = value.origin == Origin.SDSN
        yield [
            city.name,
            city.state,
            city.slug,
            indicator.name,
            indicator.slug,
            indicator.kind,
            indicator.unit,
            indicator.better,
            indicator.sdg_target,
            value.year,
            value.period,
            Decimal(format(value.value.normalize(), "f")) if value.value is not None else None,
            "" if value.fact is None else ("yes" if value.fact else "no"),
            value.fact_date.isoformat() if value.fact_date else "",
            value.geography,
            value.metro_name,
            value.source_name or indicator.source_name,
            value.source_link,
            indicator.source_name,
            value.note,
            LICENCE if sdsn else "",
            ATTRIBUTION if sdsn else "",
        ]


def values_csv_response(filename: str, values: Iterable[IndicatorValue]) -> HttpResponse:
    return csv_response(filename, rows(values), private=False)
