"""The national team in the admin: network-wide indicators (thresholds checked), values added with history, and the
SDSN import as an action."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from accounts.roles import NATIONAL_TEAM
from cities.models import City
from indicators.enums import Origin
from indicators.models import Indicator, IndicatorValue, MetroMatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(client, personas):
    personas["staff_mfa"].groups.add(Group.objects.get(name=NATIONAL_TEAM))
    client.force_login(personas["staff_mfa"])
    return personas["staff_mfa"]


def test_thresholds_the_wrong_way_round_are_refused_in_the_admin(client, national, themes):
    data = {
        "slug": "shelter-beds",
        "kind": "outcome",
        "name": "Shelter beds",
        "name_es": "Camas de albergue",
        "value_type": "rate",
        "better": "higher",
        "source_name": "City budget",
        "to_green": "10",
        "to_yellow": "20",
        "to_orange": "30",
        "position": "0",
    }
    response = client.post("/admin/indicators/indicator/add/", data)
    assert response.status_code == 200
    assert "Higher is better, so the thresholds must go down" in response.text
    assert not Indicator.objects.filter(slug="shelter-beds").exists()
    response = client.post("/admin/indicators/indicator/add/", {**data, "to_green": "30", "to_orange": "10"})
    assert response.status_code == 302
    assert Indicator.objects.get(slug="shelter-beds").reading(Decimal(25)) == "yellow"


def test_a_value_added_in_the_admin_keeps_the_earlier_one(client, national, eviction, personas):
    city = personas["city_a"]
    data = {
        "indicator": eviction.pk,
        "city": city.pk,
        "year": "2023",
        "value": "6.1",
        "geography": "city",
        "source_url": "https://evictionlab.org/",
    }
    assert client.post("/admin/indicators/indicatorvalue/add/", data).status_code == 302
    assert client.post("/admin/indicators/indicatorvalue/add/", {**data, "value": "5.9"}).status_code == 302
    values = IndicatorValue.objects.filter(city=city).order_by("entered_at", "pk")
    assert [(v.value, v.replaced_at is None, v.origin, v.entered_by) for v in values] == [
        (Decimal("6.1"), False, Origin.NATIONAL, national),
        (Decimal("5.9"), True, Origin.NATIONAL, national),
    ]
    response = client.post("/admin/indicators/indicatorvalue/add/", {**data, "source_url": ""})
    assert "Give the figure&#x27;s source: a link or a document." in response.text


def test_the_import_action_loads_the_selected_cities(client, national, themes):
    from cities.loaders import load_cities

    load_cities()
    for city in City.objects.filter(slug__in=["pittsburgh-pa", "eugene-or"]):
        MetroMatch.objects.create(city=city)
    ids = list(MetroMatch.objects.values_list("pk", flat=True))
    response = client.post(
        "/admin/indicators/metromatch/",
        {"action": "import_figures", "_selected_action": ids},
        follow=True,
    )
    assert (
        "New values: 57; changed (the earlier value kept as history): 0; unchanged: 0; empty cells skipped: 0; "
        "cities outside the 105 metro areas: 1."
    ) in response.text
    assert IndicatorValue.objects.filter(city__slug="pittsburgh-pa").count() == 57
