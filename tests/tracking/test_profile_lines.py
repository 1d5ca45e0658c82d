"""The city profile shows, beside each theme, the recommendations the city tracks on it and where they stand
(tracking fills indicators.registry.theme_panels), in two queries whatever the number of items."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator, IndicatorValue
from indicators.registry import theme_panels
from tests.tracking.factories import make_tracked
from tracking.models import StatusUpdate

pytestmark = pytest.mark.django_db


def test_profile_lines_count_tracked_items_by_status(client, city_factory):
    city = city_factory()
    items = make_tracked(city, count=6)  # themes in turn: two items per theme, statuses in turn
    StatusUpdate.objects.filter(item=items[0]).delete()  # one item not assessed yet
    theme = items[0].recommendation.themes.get()
    lines = {line.label: line for line in theme_panels.lines(city, [theme])[theme.pk]}
    tracked = next(line for label, line in lines.items() if str(label) == "recommendations tracked on this theme")
    assert tracked.count == 2
    assert tracked.url == f"/cities/{city.slug}/scorecard/?theme={theme.slug}"
    status = items[3].updates.get().get_status_display().lower()
    assert tracked.detail == f"1 {status}, 1 not assessed yet"

    indicator = Indicator.objects.create(slug="shelter", name="Shelter beds", name_es="Camas", source_name="City")
    indicator.themes.set([theme])
    IndicatorValue.objects.create(
        indicator=indicator, city=city, year=2024, value=Decimal(3), source_url="https://x.org"
    )
    text = client.get(f"/cities/{city.slug}/profile/").text
    assert (
        f'<a href="/cities/{city.slug}/scorecard/?theme={theme.slug}">Recommendations tracked on this theme: 2</a>'
        in (text)
    )


def test_profile_lines_take_two_queries_for_3_or_30_items(city_factory):
    city = city_factory()
    items = make_tracked(city, count=3, evidence=False)
    themes = list({t for item in items for t in item.recommendation.themes.all()})
    compute = theme_panels._contributions["tracking"].compute
    with CaptureQueriesContext(connection) as few:
        compute(city, themes)
    make_tracked(city, count=27, start=4, evidence=False)
    with CaptureQueriesContext(connection) as many:
        lines = compute(city, themes)
    assert len(few) == len(many) == 2
    assert sum(line.count for line in lines.values()) == 30
