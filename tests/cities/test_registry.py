"""The seams cities owns for higher apps: the city-page panel registry."""

import pytest

from cities.registry import CityPanelRegistry, city_panels


def test_panels_render_in_order_and_empty_ones_are_left_out(settings, tmp_path):
    (tmp_path / "second.html").write_text("<section>{{ city }} {{ word }}</section>")
    (tmp_path / "first.html").write_text("<section>first</section>")
    (tmp_path / "empty.html").write_text("{% if word == 'never' %}shown{% endif %}\n")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    registry = CityPanelRegistry()
    registry.register("b", "second.html", lambda city: {"word": "<b>"}, order=20)
    registry.register("a", "first.html", lambda city: {}, order=10)
    registry.register("c", "empty.html", lambda city: {"word": "x"}, order=30)

    assert registry.render("Tucson") == ["<section>first</section>", "<section>Tucson &lt;b&gt;</section>"]


def test_the_installed_apps_contribute_their_city_page_panels():
    keys = [panel.key for panel in city_panels.panels()]
    assert {"local_report", "testimony", "events", "scorecard", "indicators"} <= set(keys)
    assert keys.index("local_report") < keys.index("testimony") < keys.index("events")


@pytest.mark.django_db
def test_the_city_page_shows_each_panel_that_has_something_to_show(client, city_factory):
    city = city_factory()
    html = client.get(f"/cities/{city.slug}/").content.decode()
    assert 'id="local-report-heading"' not in html  # no accepted report: the panel renders nothing
    assert html.index('id="city-testimony-title"') < html.index('id="city-events-title"')
