"""Values keep their history, and bad input is refused with a message a person can act on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from indicators.enums import Better, Kind, Reading, ValueType
from indicators.models import Indicator, IndicatorValue
from indicators.services import record_value

pytestmark = pytest.mark.django_db
SOURCE = "https://evictionlab.org/map/"


def messages(error: ValidationError) -> dict[str, list[str]]:
    return {field: [str(m) for m in found] for field, found in error.message_dict.items()}


def test_a_correction_is_a_new_row_and_the_old_one_stays(eviction, city_factory, user_factory):
    city, organizer = city_factory(), user_factory("organizer@example.org")
    first = record_value(eviction, city, year=2023, value=Decimal("6.1"), source_url=SOURCE, entered_by=organizer)
    second = record_value(eviction, city, year=2023, value=Decimal("5.9"), source_url=SOURCE, entered_by=organizer)
    first.refresh_from_db()
    assert first.replaced_at is not None and second.replaced_at is None
    assert list(IndicatorValue.objects.current().values_list("value", flat=True)) == [Decimal("5.9")]
    assert IndicatorValue.objects.filter(city=city).count() == 2
    assert second.entered_by == organizer


def test_a_figure_without_a_source_is_refused(eviction, city_factory):
    with pytest.raises(ValidationError) as error:
        record_value(eviction, city_factory(), year=2023, value=Decimal("6.1"))
    assert messages(error.value) == {"source_url": ["Give the figure's source: a link or a document."]}
    assert not IndicatorValue.objects.exists()


def test_a_year_in_the_future_is_refused(eviction, city_factory):
    year = dt.date.today().year + 1
    with pytest.raises(ValidationError) as error:
        record_value(eviction, city_factory(), year=year, value=Decimal("6.1"), source_url=SOURCE)
    assert messages(error.value) == {"year": [f"{year} is in the future: give the year the figure describes."]}


def test_a_value_of_the_wrong_type_is_refused(eviction, city_factory, themes):
    city = city_factory()
    with pytest.raises(ValidationError) as error:
        record_value(eviction, city, year=2023, fact=True, source_url=SOURCE)
    assert messages(error.value) == {"value": ["“Eviction filings” is a figure, not a yes or no."]}
    with pytest.raises(ValidationError) as error:
        record_value(eviction, city, year=2023, value=Decimal("-1"), source_url=SOURCE)
    assert messages(error.value) == {"value": ["This figure cannot be below zero."]}
    resolution = Indicator.objects.get(slug="human-rights-resolution")
    with pytest.raises(ValidationError) as error:
        record_value(resolution, city, year=2023, value=Decimal("1"), source_url=SOURCE)
    assert messages(error.value) == {
        "fact": ["“Human rights city resolution” is a structural fact: answer yes or no, not a figure."]
    }


def test_a_percentage_above_100_and_a_fractional_count_are_refused(city_factory, themes):
    share = Indicator(name="Share", value_type=ValueType.PERCENT, source_name="x")
    count = Indicator(name="Shelters", value_type=ValueType.COUNT, source_name="x")
    assert share.check_value(Decimal("150"), None) == ["A percentage is between 0 and 100; 150 is not."]
    assert count.check_value(Decimal("2.5"), None) == ["This figure is a count: a whole number."]
    assert count.check_value(Decimal("2"), None) == []


def test_a_structural_fact_keeps_its_date_and_document(city_factory, themes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from indicators.loaders import load_portal_indicators

    load_portal_indicators()
    resolution = Indicator.objects.get(slug="human-rights-resolution")
    document = SimpleUploadedFile("resolution.pdf", b"%PDF-1.4 resolution", content_type="application/pdf")
    fact = record_value(
        resolution, city_factory(), year=2011, fact=True, fact_date=dt.date(2011, 12, 6), document=document
    )
    assert fact.fact is True and fact.document.name.endswith(".pdf") and fact.source_link == fact.document.url


@pytest.mark.parametrize(
    ("better", "thresholds", "message"),
    [
        (
            Better.HIGHER,
            ("40", "50", "60"),
            "Higher is better, so the thresholds must go down from “goal reached” to “significant challenges” "
            "(40 ≥ 50 ≥ 60).",
        ),
        (
            Better.LOWER,
            ("4", "3", "2"),
            "Lower is better, so the thresholds must go up from “goal reached” to “significant challenges” "
            "(4 ≤ 3 ≤ 2).",
        ),
    ],
)
def test_thresholds_the_wrong_way_round_are_refused(better, thresholds, message):
    green, yellow, orange = (Decimal(t) for t in thresholds)
    indicator = Indicator(
        slug="x",
        name="x",
        name_es="x",
        source_name="x",
        better=better,
        to_green=green,
        to_yellow=yellow,
        to_orange=orange,
    )
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert messages(error.value) == {"to_green": [message]}


def test_a_structural_indicator_must_be_yes_or_no():
    indicator = Indicator(slug="x", name="x", name_es="x", source_name="x", kind=Kind.STRUCTURAL)
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert messages(error.value)["value_type"] == ["A structural fact is recorded as yes or no."]


def test_the_database_refuses_a_value_without_a_source(eviction, city_factory):
    with pytest.raises(IntegrityError):
        IndicatorValue.objects.create(indicator=eviction, city=city_factory(), year=2020, value=1)


def test_the_reading_follows_the_direction():
    lower = Indicator(better=Better.LOWER, to_green=Decimal(10), to_yellow=Decimal(20), to_orange=Decimal(30))
    higher = Indicator(better=Better.HIGHER, to_green=Decimal(30), to_yellow=Decimal(20), to_orange=Decimal(10))
    assert [lower.reading(Decimal(v)) for v in (5, 10, 15, 25, 35)] == [
        Reading.GREEN,
        Reading.GREEN,
        Reading.YELLOW,
        Reading.ORANGE,
        Reading.RED,
    ]
    assert [higher.reading(Decimal(v)) for v in (35, 25, 15, 5)] == [
        Reading.GREEN,
        Reading.YELLOW,
        Reading.ORANGE,
        Reading.RED,
    ]
    assert Indicator().reading(Decimal(1)) is None
