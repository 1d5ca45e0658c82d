"""The server-side US map (cities/usmap.py): TopoJSON decoding, the d3 geoAlbersUsa port, point-in-state, SVG.

Pure functions: no database. The whole module runs well under a second (the data file is decoded once).
"""

from __future__ import annotations

import csv
import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from cities import usmap

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


def state_at(x: float, y: float) -> str | None:
    """The postal code of the state containing the viewport point, or None (ocean, Canada, Mexico...)."""
    return next((postal for postal in usmap.states() if usmap.point_in_state(x, y, postal)), None)


def _csv_cities() -> list[tuple[str, str, float, float]]:
    with (ROOT / "cities" / "data" / "cities.csv").open(encoding="utf-8") as f:
        return [(r["name"], r["state"], float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(f)]


CSV_CITIES = _csv_cities()
# Outside the CSV: the two insets (GeoNames coordinates).
INSET_CITIES = [("Anchorage", "AK", 61.21806, -149.90028), ("Honolulu", "HI", 21.30694, -157.85833)]


@dataclass
class FakeCity:
    name: str
    state: str
    latitude: Decimal | float | None
    longitude: Decimal | float | None
    slug: str = "x"

    def get_absolute_url(self) -> str:
        return f"/cities/{self.slug}/"


# --- the vendored data ---------------------------------------------------------------------------------------


def test_vendored_file_is_the_unchanged_package_file():
    readme = (usmap.DATA_FILE.parent / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(usmap.DATA_FILE.read_bytes()).hexdigest()
    assert digest in readme
    assert (usmap.DATA_FILE.parent / "LICENSE").read_text(encoding="utf-8").startswith("Copyright 2013-2019 Michael")


def test_decodes_the_50_states_and_dc():
    states = usmap.states()
    assert len(states) == 51
    assert set(states) == set(usmap.FIPS_TO_POSTAL.values())
    assert states["PA"].name == "Pennsylvania" and states["PA"].fips == "42"
    assert states["DC"].name == "District of Columbia"
    assert len(states["HI"].polygons) == 8  # islands: a MultiPolygon, one polygon each
    for state in states.values():
        min_x, min_y, max_x, max_y = state.bbox
        # Everything lies in the 975x610 viewport the package was projected into (Alaska's Aleutians reach a bit
        # past the left edge, as in d3's own rendering of this file).
        assert -60 < min_x < max_x < usmap.WIDTH and 0 < min_y < max_y < usmap.HEIGHT
        for polygon in state.polygons:
            for ring in polygon:
                assert ring[0] == ring[-1] and len(ring) >= 4


def test_state_path_is_compact_svg_path_data():
    d = usmap.state_path("DC")
    assert re.fullmatch(r"(M-?[\d.]+,-?[\d.]+l[-\d. ]+z)+", d)
    assert d.startswith("M825.9,267l")
    # One subpath per ring: Hawaii's islands each get one.
    assert usmap.state_path("HI").count("M") == 8
    assert usmap.state_path("pa") == usmap.state_path("PA")
    with pytest.raises(KeyError):
        usmap.state_path("XX")


# --- the projection ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        # Derived from d3's definition: each part's center goes to its translate point. Lower 48: rotate 96 and
        # center [-0.6, 38.7] put lon -96.6, lat 38.7 at translate (487.5, 305).
        (-96.6, 38.7, (487.5, 305.0)),
        # Alaska: rotate 154, center [-2, 58.5] -> lon -156, lat 58.5 at (487.5 - 0.307 k, 305 + 0.201 k), k = 1300.
        (-156.0, 58.5, (487.5 - 0.307 * 1300, 305 + 0.201 * 1300)),
        # Hawaii: rotate 157, center [-3, 19.9] -> lon -160, lat 19.9 at (487.5 - 0.205 k, 305 + 0.212 k).
        (-160.0, 19.9, (487.5 - 0.205 * 1300, 305 + 0.212 * 1300)),
        # Recorded from d3-geo 3.1.2 in Node: geoAlbersUsa().scale(1300).translate([487.5, 305]).
        (-77.03637, 38.89511, (827.4926077802596, 267.5849113070241)),
        (-149.90028, 61.21806, (112.27752328171613, 544.2782297412753)),
        (-157.85833, 21.30694, (266.95931121015326, 549.1894695333958)),
        (-122.33207, 47.60621, (97.62547302443892, 46.31856885085904)),
    ],
)
def test_project_matches_d3(lon, lat, expected):
    x, y = usmap.project(lon, lat)
    assert x == pytest.approx(expected[0], abs=0.01)
    assert y == pytest.approx(expected[1], abs=0.01)


def test_project_accepts_decimals_like_the_model_fields():
    assert usmap.project(Decimal("-79.99589"), Decimal("40.44062")) == usmap.project(-79.99589, 40.44062)


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        (-99.13, 19.43),  # Mexico City: south of the lower-48 rectangle
        (-40.0, 35.0),  # mid-Atlantic
        (-140.0, 30.0),  # mid-Pacific, between the insets' rectangles
        (2.35, 48.86),  # Paris
        (float("nan"), 40.0),
        (float("inf"), 40.0),
    ],
)
def test_off_the_map_projects_to_none(lon, lat):
    assert usmap.project(lon, lat) is None


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        (-90.0, 25.0),  # Gulf of Mexico
        (-79.38, 43.65),  # Toronto
        (-106.49, 31.69),  # Ciudad Juarez, across the border from El Paso
        (-70.0, 38.0),  # Atlantic off New Jersey
    ],
)
def test_on_the_map_but_in_no_state(lon, lat):
    point = usmap.project(lon, lat)
    assert point is not None
    assert state_at(*point) is None


# --- point in state ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "state", "lat", "lon"), CSV_CITIES + INSET_CITIES, ids=lambda v: str(v))
def test_city_lands_in_its_own_state_and_no_other(name, state, lat, lon):
    point = usmap.project(lon, lat)
    assert point is not None
    assert usmap.point_in_state(*point, state)
    assert state_at(*point) == state


def test_the_csv_cities_are_all_covered_above():
    # The parametrized test above reads the CSV; make sure it still holds the 11 known cities.
    assert {(name, state) for name, state, _, _ in CSV_CITIES} >= {
        ("Washington", "DC"), ("Pittsburgh", "PA"), ("New Orleans", "LA"), ("Birmingham", "AL"), ("Newark", "NJ"),
        ("Atlanta", "GA"), ("Jackson", "MS"), ("Mountain View", "CA"), ("Eugene", "OR"), ("Seattle", "WA"),
        ("San Francisco", "CA"),
    }  # fmt: skip


def test_kansas_city_missouri_is_not_in_kansas():
    # About 2.5 km (half a viewBox unit) east of State Line Road.
    point = usmap.project(-94.57857, 39.09973)
    assert usmap.point_in_state(*point, "MO")
    assert not usmap.point_in_state(*point, "KS")


def test_point_in_state_outside_bbox_and_unknown_state():
    assert not usmap.point_in_state(0, 0, "PA")
    with pytest.raises(KeyError):
        usmap.point_in_state(500, 300, "ZZ")


# --- the SVG -------------------------------------------------------------------------------------------------


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own markup, parsed to check it is well-formed


def test_render_map_structure_and_links():
    cities = [
        FakeCity(n, s, Decimal(str(lat)), Decimal(str(lon)), slug=n.lower().replace(" ", "-"))
        for n, s, lat, lon in CSV_CITIES
    ]
    svg = usmap.render_map(cities, title="Human rights cities")
    root = _parse(svg)
    assert root.get("viewBox") == "0 0 975 610"
    assert root.get("class") == "us-map"
    # With links inside, role="img" would make them presentational; the SVG is a labelled group instead.
    assert root.get("role") == "group"
    assert root.get("aria-labelledby") == "us-map-title"
    assert root.find(f"{SVG}title").text == "Human rights cities"
    assert root.find(f"{SVG}desc").text == f"Map of the United States with {len(cities)} cities"

    states_group = root.find(f"{SVG}g[@class='states']")
    assert states_group.get("aria-hidden") == "true"
    paths = states_group.findall(f"{SVG}path")
    assert len(paths) == 51
    assert all(p.get("class") == "state" and p.get("fill") is None and p.get("d") for p in paths)

    links = root.findall(f".//{SVG}a")
    assert len(links) == len(cities)
    by_label = {a.get("aria-label"): a for a in links}
    pittsburgh = by_label["Pittsburgh, Pennsylvania"]
    assert pittsburgh.get("href") == "/cities/pittsburgh/"
    assert pittsburgh.find(f"{SVG}title").text == "Pittsburgh, Pennsylvania"
    dot = pittsburgh.find(f"{SVG}circle")
    assert dot.get("class") == "city-dot" and dot.get("r") == "6"
    x, y = usmap.project(-79.99589, 40.44062)
    assert (float(dot.get("cx")), float(dot.get("cy"))) == pytest.approx((x, y), abs=0.05)
    assert "style=" not in svg
    assert "fill=" not in svg


def test_render_map_skips_cities_without_coordinates_or_off_the_map():
    cities = [
        FakeCity("Pittsburgh", "PA", 40.44062, -79.99589),
        FakeCity("Nowhere", "PA", None, -79.9),
        FakeCity("Mexico City", "DF", 19.43, -99.13),
    ]
    root = _parse(usmap.render_map(cities))
    assert [a.get("aria-label") for a in root.iter(f"{SVG}a")] == ["Pittsburgh, Pennsylvania"]
    assert root.find(f"{SVG}desc").text == "Map of the United States with 1 city"
    assert root.find(f"{SVG}title").text == "Human rights cities in the United States"


def test_render_map_escapes_city_strings():
    evil = FakeCity('<script>alert("x")</script>', 'P"A', 40.44062, -79.99589, slug='"><script>')
    svg = usmap.render_map([evil], title="<b>Map</b>")
    assert "<script>" not in svg and "<b>" not in svg
    root = _parse(svg)
    link = root.find(f".//{SVG}a")
    assert link.get("aria-label") == '<script>alert("x")</script>, P"A'
    assert link.get("href") == '/cities/"><script>/'
    assert root.find(f"{SVG}title").text == "<b>Map</b>"


def test_render_map_without_links_is_a_plain_picture():
    root = _parse(usmap.render_map([FakeCity("Seattle", "WA", 47.60621, -122.33207)], link=False, id_prefix="m2"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "m2-title"
    assert root.find(f".//{SVG}a") is None
    dot = root.find(f".//{SVG}circle")
    assert dot.find(f"{SVG}title").text == "Seattle, Washington"


# --- the style sheet -----------------------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_map_css_dots_keep_3_to_1_against_the_states():
    css = (ROOT / "static" / "css" / "map.css").read_text(encoding="utf-8")
    state_fill = re.search(r"\.us-map \.state \{[^}]*?fill: (#[0-9a-f]{6})", css).group(1)
    dot_fill = re.search(r"\.us-map \.city-dot \{[^}]*?fill: (#[0-9a-f]{6})", css).group(1)
    focus_stroke = re.search(r"a:hover \.city-dot \{[^}]*?stroke: (#[0-9a-f]{6})", css).group(1)
    assert (state_fill, dot_fill) == ("#dfe6ee", "#b4461b")
    assert _contrast(dot_fill, state_fill) >= 3
    assert _contrast(dot_fill, "#ffffff") >= 3
    assert _contrast(focus_stroke, state_fill) >= 3
    assert "style=" not in css


def test_states_file_is_the_one_the_code_makes_and_matches_map_css():
    """static/img/us-states.svg is generated (`python -m cities.usmap`): it must be what states_svg() makes today,
    and its own style must be map.css's `.state` rules (an image document does not see the page's style sheets)."""
    committed = (ROOT / "static" / usmap.STATES_FILE).read_text(encoding="utf-8")
    assert committed == usmap.states_svg()
    root = _parse(committed)
    assert root.get("viewBox") == "0 0 975 610"
    assert len(root.findall(f"{SVG}path")) == 51
    css = (ROOT / "static" / "css" / "map.css").read_text(encoding="utf-8")
    for prop in ("fill", "fill-rule", "stroke", "stroke-width", "stroke-linejoin"):
        in_css = re.search(rf"\.us-map \.state \{{[^}}]*?\b{prop}: ([^;]+);", css).group(1)
        assert f"{prop}:{in_css}" in usmap.STATES_STYLE
    assert "@media (forced-colors:active){.state{fill:Canvas;stroke:CanvasText}}" in usmap.STATES_STYLE


def test_render_map_links_the_states_file_instead_of_carrying_the_paths():
    cities = [FakeCity("Pittsburgh", "PA", Decimal("40.44"), Decimal("-79.99"), slug="pittsburgh")]
    inline = usmap.render_map(cities)
    linked = usmap.render_map(cities, states_href="/static/img/us-states.abc123.svg")
    root = _parse(linked)
    states_group = root.find(f"{SVG}g[@class='states']")
    assert states_group.get("aria-hidden") == "true"
    assert states_group.findall(f"{SVG}path") == []
    image = states_group.find(f"{SVG}image")
    assert (image.get("href"), image.get("width"), image.get("height")) == (
        "/static/img/us-states.abc123.svg",
        "975",
        "610",
    )
    # The same dots and labels; only the states moved out, which were nearly all of the markup.
    assert root.find(f"{SVG}g[@class='cities']") is not None
    assert len(linked) < len(inline) / 20
