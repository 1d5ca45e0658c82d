"""The profile, compare and CSV pages: content, honesty about metro-area figures, query counts, Spanish."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.enums import Better, Geography, Origin
from indicators.models import Indicator, IndicatorValue
from indicators.services import record_value
from upr.models import Theme

pytestmark = pytest.mark.django_db
SOURCE = "https://evictionlab.org/map/"


def _indicators_with_years(city, count: int, years: int, *, first: int = 0) -> None:
    """`count` indicators, each with a value for `years` years (and a second city's, for the network figures)."""
    themes = list(Theme.objects.order_by("position")[:3])
    for i in range(first, first + count):
        indicator = Indicator.objects.create(
            slug=f"indicator-{i}",
            name=f"Indicator {i}",
            name_es=f"Indicador {i}",
            source_name="Test source",
            better=Better.LOWER,
            to_green=Decimal(10),
            to_yellow=Decimal(20),
            to_orange=Decimal(30),
        )
        indicator.themes.set([themes[i % len(themes)]])
        IndicatorValue.objects.bulk_create(
            IndicatorValue(indicator=indicator, city=city, year=2015 + y, value=Decimal(5 + y), source_url=SOURCE)
            for y in range(years)
        )


def test_profile_query_count_is_the_same_for_5_and_60_indicators_of_8_years(client, city_factory, themes):
    city = city_factory()
    _indicators_with_years(city, 5, 8)
    with CaptureQueriesContext(connection) as few:
        response = client.get(f"/cities/{city.slug}/profile/")
    assert response.context["profile"].row_count == 5
    _indicators_with_years(city, 55, 8, first=5)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/cities/{city.slug}/profile/")
    assert response.context["profile"].row_count == 60
    assert len(few) == len(many)
    assert response.text.count('role="img"') == 60


def test_compare_query_count_is_the_same_for_2_and_4_cities(client, city_factory, themes):
    cities = [city_factory(f"Town {i}", "OH") for i in range(4)]
    _indicators_with_years(cities[0], 3, 2)
    indicators = list(Indicator.objects.all())
    for city in cities[1:]:
        IndicatorValue.objects.bulk_create(
            IndicatorValue(indicator=indicator, city=city, year=2020, value=Decimal(12), source_url=SOURCE)
            for indicator in indicators
        )
    with CaptureQueriesContext(connection) as two:
        response = client.get("/cities/compare/?cities=town-0-oh,town-1-oh")
    assert len(response.context["rows"]) == 3
    with CaptureQueriesContext(connection) as four:
        response = client.get("/cities/compare/?cities=town-0-oh,town-1-oh,town-2-oh,town-3-oh")
    assert len(response.context["rows"]) == 3
    assert len(two) == len(four)


def test_profile_shows_value_line_reading_median_rank_and_source(client, city_factory, eviction):
    pittsburgh, boston = city_factory(), city_factory("Boston", "MA")
    for year, value in [(2021, "7.5"), (2022, "6.8"), (2023, "6.1")]:
        record_value(
            eviction, pittsburgh, year=year, value=Decimal(value), source_url=SOURCE, source_name="Eviction Lab"
        )
    record_value(eviction, boston, year=2023, value=Decimal("3.2"), source_url=SOURCE, source_name="Eviction Lab")
    response = client.get("/cities/pittsburgh-pa/profile/")
    row = response.context["profile"].sections[0].rows[0]
    assert (row.latest.value, row.standing.rank, row.standing.among) == (Decimal("6.1"), 2, 2)
    assert row.standing.median == Decimal("4.65")
    text = response.text
    assert "<title>Eviction filings: 2021 7.5; 2022 6.8; 2023 6.1</title>" in text
    assert '<a href="https://evictionlab.org/map/">Eviction Lab</a>' in text
    assert "2 of 2" in text and "4.65" in text
    # No thresholds for eviction filings: said in words, not left blank.
    assert "No reading" in text
    assert "is not among the 105 metropolitan areas" in text


def test_real_profile_is_honest_about_metro_figures_and_credits_sdsn(client, real_cities):
    response = client.get("/cities/newark-nj/profile/")
    text = response.text
    assert "describe the New York-Newark-Jersey City, NY-NJ-PA metropolitan area, not Newark alone" in text
    assert "Lynch, A., LoPresti, A., Fox, C. (2019)" in text and 'rel="license"' in text
    assert response.context["profile"].row_count == 57
    gini = next(
        r for s in response.context["profile"].sections for r in s.rows if r.indicator.source_key == "sdg10v2_gini"
    )
    assert gini.reading_symbol and str(gini.reading.label) in text


def test_city_outside_the_sdsn_areas_says_so(client, real_cities):
    text = client.get("/cities/eugene-or/profile/").text
    assert "Eugene is not among the 105 metropolitan areas of the SDSN 2019 US Cities report" in text
    panel = client.get("/cities/eugene-or/").text
    assert "Eugene is not among the 105 metropolitan areas of the SDSN 2019 US Cities report." in panel


def test_city_page_panel_links_the_profile(client, real_cities):
    text = client.get("/cities/pittsburgh-pa/").text
    assert "57 indicators on the rights of Pittsburgh's residents" in text
    assert 'href="/cities/pittsburgh-pa/profile/"' in text


def test_testimony_count_beside_each_theme(client, city_factory, eviction):
    city = city_factory()
    record_value(eviction, city, year=2023, value=Decimal("6.1"), source_url=SOURCE)
    housing = Theme.objects.get(slug="housing")
    response = client.get(f"/cities/{city.slug}/profile/")
    assert 'href="/testimony/?city=pittsburgh-pa&amp;theme=housing">Public testimony on this theme: 0</a>' in (
        response.text
    )
    assert housing.pk in {s.theme.pk for s in response.context["profile"].sections}


def test_profile_in_spanish(client, city_factory, eviction):
    city = city_factory()
    record_value(eviction, city, year=2022, value=Decimal("6.8"), source_url=SOURCE)
    record_value(eviction, city, year=2023, value=Decimal("6.1"), source_url=SOURCE)
    client.cookies["django_language"] = "es"
    text = client.get(f"/cities/{city.slug}/profile/", HTTP_ACCEPT_LANGUAGE="es").text
    assert "Demandas de desalojo" in text
    assert "Perfil de derechos humanos de Pittsburgh, Pensilvania" in text
    assert "<title>Demandas de desalojo: 2022 6,8; 2023 6,1</title>" in text


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("?cities=nowhere-xx", 400, "No city in the network is called nowhere-xx."),
        ("?cities=a,b,c,d,e", 400, "Compare at most 4 cities at a time; the first 4 are shown."),
        ("?cities=,,,", 200, "Name up to four cities to see their figures side by side."),
        ("", 200, "Name up to four cities to see their figures side by side."),
    ],
)
def test_compare_bad_input_gets_a_clear_message(client, city_factory, query, status, message):
    city_factory()
    response = client.get(f"/cities/compare/{query}")
    assert response.status_code == status
    assert message in response.text


def test_compare_shows_years_and_metro_figures(client, real_cities):
    response = client.get("/cities/compare/?cities=pittsburgh-pa,newark-nj,eugene-or")
    assert response.status_code == 200
    text = response.text
    assert "SDSN figures describe the New York-Newark-Jersey City, NY-NJ-PA metropolitan area" in text
    assert "not among the 105 SDSN metropolitan areas" in text
    assert "(2013-2017)" in text and "metro area" in text
    assert len(response.context["rows"]) == 57


def test_csv_has_documented_columns_source_and_licence(client, real_cities, eviction):
    from cities.models import City

    record_value(eviction, City.objects.get(slug="pittsburgh-pa"), year=2023, value=Decimal("6.1"), source_url=SOURCE)
    response = client.get("/cities/pittsburgh-pa/profile.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 58
    gini = next(r for r in rows if r["indicator_slug"] == "sdsn-sdg10v2_gini")
    assert (gini["area_described"], gini["metro_area"], gini["licence"]) == (
        Geography.METRO,
        "Pittsburgh, PA",
        "CC BY 4.0",
    )
    assert gini["attribution"].startswith("Lynch, A., LoPresti, A., Fox, C. (2019)")
    local = next(r for r in rows if r["indicator_slug"] == "eviction-filings")
    assert (local["value"], local["year"], local["source_link"], local["licence"]) == ("6.1", "2023", SOURCE, "")
    everything = client.get("/cities/indicators.csv")
    assert everything["Content-Type"] == "text/csv; charset=utf-8"
    assert len(everything.content.decode("utf-8-sig").splitlines()) == 1 + 507 + 1
    assert IndicatorValue.objects.filter(origin=Origin.SDSN).count() == 507
