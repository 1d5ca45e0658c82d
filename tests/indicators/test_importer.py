"""The SDSN importer on the real files (indicators/data)."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from django.core.management import call_command

from cities.models import City
from indicators.enums import Geography, MatchHow, Origin
from indicators.importer import RENAMED, RESULTS, import_sdsn
from indicators.models import Indicator, IndicatorValue, MetroMatch

pytestmark = pytest.mark.django_db


def test_import_counts_per_city(real_cities):
    assert real_cities.indicators_created == 57
    assert real_cities.per_city == {
        "atlanta-ga": 57,
        "birmingham-al": 55,
        "jackson-ms": 54,
        "new-orleans-la": 57,
        "newark-nj": 57,
        "pittsburgh-pa": 57,
        "san-francisco-ca": 57,
        "seattle-wa": 57,
        "washington-dc": 56,
    }
    assert real_cities.created == 507 == IndicatorValue.objects.filter(origin=Origin.SDSN).count()
    assert Indicator.objects.filter(source_key__startswith="sdg").count() == 57


def test_empty_cells_are_skipped_and_reported(real_cities):
    assert real_cities.skipped == [
        ("birmingham-al", "sdg15v1_parkarea"),
        ("birmingham-al", "sdg15v2_naturalpark"),
        ("jackson-ms", "sdg11v4_PM25"),
        ("jackson-ms", "sdg15v1_parkarea"),
        ("jackson-ms", "sdg15v2_naturalpark"),
        ("washington-dc", "sdg10v8_MEIscore"),
    ]
    assert "Skipped 6 empty cells" in real_cities.summary()


def test_the_six_renamed_ids_are_matched(real_cities):
    rows = {row["Cbsa"]: row for row in csv.DictReader(RESULTS.read_text(encoding="utf-8").splitlines())}
    pittsburgh = City.objects.get(slug="pittsburgh-pa")
    assert len(RENAMED) == 6
    for codebook_id, column in RENAMED.items():
        value = IndicatorValue.objects.get(indicator__source_key=codebook_id, city=pittsburgh)
        assert value.value == Decimal(rows["38300"][column]), codebook_id


def test_cities_match_by_main_city_by_name_or_not_at_all(real_cities):
    matches = {m.city.slug: (m.matched_how, m.cbsa, m.metro_name) for m in MetroMatch.objects.select_related("city")}
    assert matches["pittsburgh-pa"] == (MatchHow.MAIN_CITY, "38300", "Pittsburgh, PA")
    assert matches["newark-nj"] == (MatchHow.NAMED, "35620", "New York-Newark-Jersey City, NY-NJ-PA")
    assert matches["eugene-or"] == (MatchHow.NONE, "", "")
    assert matches["mountain-view-ca"] == (MatchHow.NONE, "", "")
    assert real_cities.unmatched == ["eugene-or", "mountain-view-ca"]
    value = IndicatorValue.objects.filter(city__slug="newark-nj").first()
    assert (value.geography, value.metro_name) == (Geography.METRO, "New York-Newark-Jersey City, NY-NJ-PA")


def test_a_manual_override_wins(real_cities):
    match = MetroMatch.objects.get(city__slug="mountain-view-ca")
    match.override_cbsa = "41940"
    match.save()
    result = import_sdsn([match.city])
    match.refresh_from_db()
    assert (match.matched_how, match.metro_name) == (MatchHow.MANUAL, "San Jose-Sunnyvale-Santa Clara, CA")
    assert result.per_city == {"mountain-view-ca": 57}


def test_years_and_periods_come_from_the_codebook(real_cities):
    gini = IndicatorValue.objects.get(indicator__source_key="sdg10v2_gini", city__slug="seattle-wa")
    gap = IndicatorValue.objects.get(indicator__source_key="sdg10v5_nativeemploy", city__slug="seattle-wa")
    assert (gini.year, gini.period, gini.year_label) == (2017, "", "2017")
    assert (gap.year, gap.period, gap.year_label) == (2017, "2013-2017", "2013-2017")
    assert gini.source_url == "https://github.com/sdsna/2019USCitiesIndex"


def test_thresholds_the_wrong_way_round_in_the_codebook_are_refused(real_cities):
    ghg = Indicator.objects.get(source_key="sdg13v1_GHGcapita")
    assert ghg.thresholds == (None, None, None)
    assert [m.split(":")[0] for m in real_cities.refused_thresholds] == ["sdg13v1_GHGcapita"]
    gini = Indicator.objects.get(source_key="sdg10v2_gini")
    assert gini.thresholds == (Decimal("0.441073"), Decimal("0.463537"), Decimal("0.486001"))


def test_a_rerun_changes_nothing(real_cities):
    before = list(IndicatorValue.objects.values_list("pk", "value", "replaced_at"))
    again = import_sdsn()
    assert (again.created, again.changed, again.unchanged) == (0, 0, 507)
    assert (again.indicators_created, again.indicators_updated) == (0, 0)
    assert list(IndicatorValue.objects.values_list("pk", "value", "replaced_at")) == before


def test_a_changed_value_updates_with_history(real_cities, tmp_path):
    text = RESULTS.read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    for row in rows:
        if row["Cbsa"] == "38300":
            old = row["sdg11v5_rentburden"]
            row["sdg11v5_rentburden"] = "51.5"
    changed = tmp_path / "results.csv"
    with changed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = import_sdsn(results_path=changed)
    assert (result.created, result.changed) == (0, 1)
    history = IndicatorValue.objects.filter(indicator__source_key="sdg11v5_rentburden", city__slug="pittsburgh-pa")
    assert [(v.value, v.replaced_at is None) for v in history.order_by("entered_at", "pk")] == [
        (Decimal(old), False),
        (Decimal("51.5"), True),
    ]


def test_the_command_prints_the_counts(real_cities, capsys):
    call_command("import_sdsn", "pittsburgh-pa")
    out = capsys.readouterr().out
    assert "Values: 0 new, 0 changed (old value kept as history), 57 unchanged." in out
    assert "  pittsburgh-pa: 57 values" in out
