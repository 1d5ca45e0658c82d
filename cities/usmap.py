"""A server-side SVG map of the United States with one dot per city.

Why server-side: the pages run under a strict Content-Security-Policy and must work without JavaScript, map tiles
or any request to another host. So the map is plain inline SVG, built here from vendored data:

- The state shapes come from ``cities/data/us-atlas/states-albers-10m.json`` (npm package us-atlas 3.0.1, ISC,
  from the Census Bureau's cartographic boundaries; see the README there). That TopoJSON file is already
  projected with d3-geo's ``geoAlbersUsa().scale(1300).translate([487.5, 305])`` into a 975x610 viewport, so the
  shapes are drawn as they are, with no projection work at request time.
- The cities are placed with :func:`project`, a port of that same d3 projection, so a dot lands exactly where
  the pre-projected shapes put its place (Alaska and Hawaii included, in their insets).

Standard library only (plus Django's HTML escaping for the markup), so it can be tested without a database.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Protocol

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from cities.states import state_name

DATA_FILE = Path(__file__).resolve().parent / "data" / "us-atlas" / "states-albers-10m.json"

# The viewport the data was projected into (us-atlas README: "designed to fit a 975x610 viewport").
WIDTH = 975
HEIGHT = 610
# The parameters the data was projected with; project() must use the very same ones.
SCALE = 1300.0
TRANSLATE = (487.5, 305.0)
# Radius of a city dot, in viewBox units (the SVG scales with the page, so this is not pixels).
DOT_RADIUS = 6

Point = tuple[float, float]
Ring = tuple[Point, ...]  # closed: the last point repeats the first, as in GeoJSON
Polygon = tuple[Ring, ...]  # the outer ring, then any holes

# Geometry id in us-atlas = 2-digit state FIPS code. The file holds the 50 states and DC and no territories, so the
# table holds exactly those 51; states() skips any other id and fails if one of these is missing.
FIPS_TO_POSTAL: dict[str, str] = {
    "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO", "09": "CT", "10": "DE",
    "11": "DC", "12": "FL", "13": "GA", "15": "HI", "16": "ID", "17": "IL", "18": "IN", "19": "IA",
    "20": "KS", "21": "KY", "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN",
    "28": "MS", "29": "MO", "30": "MT", "31": "NE", "32": "NV", "33": "NH", "34": "NJ", "35": "NM",
    "36": "NY", "37": "NC", "38": "ND", "39": "OH", "40": "OK", "41": "OR", "42": "PA", "44": "RI",
    "45": "SC", "46": "SD", "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "53": "WA",
    "54": "WV", "55": "WI", "56": "WY",
}  # fmt: skip


# --------------------------------------------------------------------------------------------------------------
# TopoJSON decoding
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    fips: str
    postal: str
    name: str
    polygons: tuple[Polygon, ...]
    # (min x, min y, max x, max y): lets point_in_state() skip the ring walk for points plainly outside.
    bbox: tuple[float, float, float, float]


def _decode_arcs(topology: dict) -> list[list[Point]]:
    """Turn the quantized arcs back into viewport coordinates.

    With a ``transform``, TopoJSON stores each arc's first position as integers and every later one as the
    difference from the previous position (delta encoding); the absolute integer position times ``scale`` plus
    ``translate`` gives the coordinate.
    """
    transform = topology.get("transform")
    if transform is None:  # not quantized: positions are already absolute
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in topology["arcs"]]
    sx, sy = transform["scale"]
    tx, ty = transform["translate"]
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        qx = qy = 0
        points: list[Point] = []
        for dx, dy, *_ in arc:
            qx += dx
            qy += dy
            points.append((qx * sx + tx, qy * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arc_indexes: list[int], arcs: list[list[Point]]) -> Ring:
    """Stitch a ring from arc references, as topojson-client does.

    A negative index ``~i`` means arc ``i`` walked backwards. Consecutive arcs share their joining point, so the
    last point gathered so far is dropped before the next arc is appended.
    """
    points: list[Point] = []
    for index in arc_indexes:
        arc = arcs[~index][::-1] if index < 0 else arcs[index]
        if points:
            points.pop()
        points.extend(arc)
    # A ring needs at least 4 positions (3 distinct + closing); pad a degenerate one as topojson-client does.
    while points and len(points) < 4:
        points.append(points[0])
    return tuple(points)


@cache
def states() -> dict[str, State]:
    """All 51 states (with DC) keyed by postal code, decoded once per process from the vendored file."""
    topology = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    result: dict[str, State] = {}
    for geometry in topology["objects"]["states"]["geometries"]:
        fips = geometry["id"]
        postal = FIPS_TO_POSTAL.get(fips)
        if postal is None:
            # Only reachable if the file is swapped for one with territories: leave them off, consistently
            # (they would have no place in the Albers USA layout anyway).
            continue
        if geometry["type"] == "Polygon":
            polygon_arcs = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygon_arcs = geometry["arcs"]
        else:  # pragma: no cover - us-atlas only has (Multi)Polygons for states
            raise ValueError(f"unexpected geometry type {geometry['type']!r} for FIPS {fips}")
        polygons = tuple(tuple(_ring(ring, arcs) for ring in rings) for rings in polygon_arcs)
        xs = [x for polygon in polygons for ring in polygon for x, _ in ring]
        ys = [y for polygon in polygons for ring in polygon for _, y in ring]
        result[postal] = State(
            fips, postal, geometry["properties"]["name"], polygons, (min(xs), min(ys), max(xs), max(ys))
        )
    missing = set(FIPS_TO_POSTAL.values()) - result.keys()
    if missing:
        raise ValueError(f"{DATA_FILE.name} lacks states {sorted(missing)}")
    return result


def _state(postal: str) -> State:
    try:
        return states()[postal.upper()]
    except KeyError:
        raise KeyError(f"unknown state postal code {postal!r}") from None


def _fmt(value: float) -> str:
    """One decimal (a tenth of a viewBox unit is invisible at any sane size), without a useless ``.0``."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _tenths(value: int) -> str:
    """Format a whole number of tenths as a decimal: 12 -> "1.2", -3 -> "-.3", 40 -> "4" (shortest SVG number)."""
    sign = "-" if value < 0 else ""
    units, tenth = divmod(abs(value), 10)
    if not tenth:
        return f"{sign}{units}"
    return f"{sign}{units or ''}.{tenth}"


def _numbers(values: Iterable[int]) -> str:
    # SVG path grammar needs no separator before a minus sign: "1.2-3" is two numbers. That alone trims ~10%.
    out: list[str] = []
    for value in values:
        text = _tenths(value)
        if out and not text.startswith("-"):
            out.append(" ")
        out.append(text)
    return "".join(out)


@cache
def state_path(postal: str) -> str:
    """The SVG path ``d`` for a state: for each ring, ``M`` to its first point then relative ``l`` steps, ``z``.

    Why this form: coordinates are rounded to a tenth of a viewBox unit (invisible at any sane size), worked in
    whole tenths so that relative steps add up exactly, with repeated points dropped; relative steps are short
    numbers, which makes the 51 paths about 40% smaller than absolute ``M x,y L x,y ... Z``.

    Holes (this edition of the file has none) would be further subpaths: map.css gives ``.state`` the even-odd fill
    rule, so they would draw as holes whatever their winding, matching point_in_state()'s even-odd test.
    """
    parts: list[str] = []
    for polygon in _state(postal).polygons:
        for ring in polygon:
            points: list[tuple[int, int]] = []
            for x, y in ring[:-1]:  # the closing point is left to "z"
                point = (round(x * 10), round(y * 10))
                if not points or points[-1] != point:
                    points.append(point)
            if len(points) > 1 and points[-1] == points[0]:
                points.pop()
            if len(points) < 3:  # a sliver that rounds away to nothing drawable
                continue
            steps = (delta for a, b in pairwise(points) for delta in (b[0] - a[0], b[1] - a[1]))
            parts.append(f"M{_tenths(points[0][0])},{_tenths(points[0][1])}l{_numbers(steps)}z")
    return "".join(parts)


def point_in_state(x: float, y: float, postal: str) -> bool:
    """Whether the viewport point (x, y) is inside the state's shape.

    Even-odd ray casting over every ring of every polygon: each boundary crossing of a ray going right from the
    point flips inside/outside, so islands (several polygons) and holes (inner rings) need no special case.
    """
    state = _state(postal)
    min_x, min_y, max_x, max_y = state.bbox
    if not (min_x <= x <= max_x and min_y <= y <= max_y):
        return False
    inside = False
    for polygon in state.polygons:
        for ring in polygon:
            x1, y1 = ring[-1]
            for x2, y2 in ring:
                # The edge straddles the ray's height (half-open, so a vertex on the ray counts once) and the
                # crossing lies to the right of the point.
                if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                    inside = not inside
                x1, y1 = x2, y2
    return inside


# --------------------------------------------------------------------------------------------------------------
# Projection: a port of d3-geo's geoAlbersUsa()
# --------------------------------------------------------------------------------------------------------------
#
# d3's composite projects a point with each of three conic equal-area projections in turn (lower 48, then Alaska,
# then Hawaii) and keeps the first result that falls inside that projection's clip rectangle; a point inside none
# of them projects to null. The rectangles are what make the result match the pre-projected file: a point in Alaska
# projected with the lower-48 projection lands outside the lower-48 rectangle, so the Alaska inset catches it.
#
# For a single point d3's stream pipeline reduces to: degrees to radians, rotate (a longitude shift), the raw conic
# projection, scale and translate (y flipped), then the clip-extent test (inclusive bounds). The antimeridian
# pre-clip lets every point through and adaptive resampling only applies to lines, so neither matters here.
# The arithmetic below keeps d3's order of operations, so results agree with d3 to floating-point precision.

_RADIANS = math.pi / 180
_TAU = 2 * math.pi
_EPSILON = 1e-6  # d3-geo's epsilon, used to shrink the inset rectangles so that they never overlap


def _js_round(value: float) -> float:
    # JavaScript's Math.round (halves go up), not Python's round() (halves go to even).
    return math.floor(value + 0.5)


class _ConicEqualArea:
    """d3's geoConicEqualArea() with rotate([λ, 0]), center, parallels, scale, translate and clipExtent set.

    ``math.fmod`` stands in for JavaScript's ``%``: it keeps the sign of the dividend, as JS does, while Python's
    ``%`` would turn the center's -0.6 into 359.4.
    """

    def __init__(
        self,
        *,
        rotate: float,
        center: Point,
        parallels: Point,
        scale: float,
        translate: Point,
        extent: tuple[Point, Point],
    ) -> None:
        phi0, phi1 = parallels[0] * _RADIANS, parallels[1] * _RADIANS
        sy0 = math.sin(phi0)
        self._n = n = (sy0 + math.sin(phi1)) / 2
        # d3 falls back to a cylindrical projection when the parallels straddle the equator symmetrically (n ~ 0);
        # none of the three regions does.
        assert abs(n) >= _EPSILON  # noqa: S101 - fixed constants, a programming error if it ever fails
        self._c = 1 + sy0 * (2 * n - sy0)
        self._r0 = math.sqrt(self._c) / n
        self._k = scale
        self._delta_lambda = math.fmod(math.fmod(rotate, 360) * _RADIANS, _TAU)
        # projection.center(): the (unrotated) raw projection of the center goes to the translate point.
        cx, cy = self._raw(math.fmod(center[0], 360) * _RADIANS, math.fmod(center[1], 360) * _RADIANS)
        self._dx = translate[0] - scale * cx
        self._dy = translate[1] - (0 - scale * cy)
        (self._x0, self._y0), (self._x1, self._y1) = extent

    def _raw(self, lam: float, phi: float) -> Point:
        # conicEqualAreaRaw: radius from the apex depends on latitude only; longitude turns by n times itself.
        r = math.sqrt(self._c - 2 * self._n * math.sin(phi)) / self._n
        lam *= self._n
        return r * math.sin(lam), self._r0 - r * math.cos(lam)

    def __call__(self, lon: float, lat: float) -> Point | None:
        lam = lon * _RADIANS + self._delta_lambda
        if abs(lam) > math.pi:  # wrap into [-π, π] as d3's rotation does
            lam -= _js_round(lam / _TAU) * _TAU
        x, y = self._raw(lam, lat * _RADIANS)
        px, py = self._dx + self._k * x, self._dy - self._k * y
        if self._x0 <= px <= self._x1 and self._y0 <= py <= self._y1:
            return px, py
        return None


def _albers_usa(k: float, tx: float, ty: float) -> tuple[_ConicEqualArea, ...]:
    """The three parts of geoAlbersUsa().scale(k).translate([tx, ty]), with d3's offsets and clip rectangles."""
    eps = _EPSILON
    lower48 = _ConicEqualArea(  # d3.geoAlbers()
        rotate=96,
        center=(-0.6, 38.7),
        parallels=(29.5, 45.5),
        scale=k,
        translate=(tx, ty),
        extent=((tx - 0.455 * k, ty - 0.238 * k), (tx + 0.455 * k, ty + 0.238 * k)),
    )
    alaska = _ConicEqualArea(  # EPSG:3338, drawn at 0.35 of its true relative size
        rotate=154,
        center=(-2, 58.5),
        parallels=(55, 65),
        scale=k * 0.35,
        translate=(tx - 0.307 * k, ty + 0.201 * k),
        extent=((tx - 0.425 * k + eps, ty + 0.120 * k + eps), (tx - 0.214 * k - eps, ty + 0.234 * k - eps)),
    )
    hawaii = _ConicEqualArea(  # ESRI:102007
        rotate=157,
        center=(-3, 19.9),
        parallels=(8, 18),
        scale=k,
        translate=(tx - 0.205 * k, ty + 0.212 * k),
        extent=((tx - 0.214 * k + eps, ty + 0.166 * k + eps), (tx - 0.115 * k - eps, ty + 0.234 * k - eps)),
    )
    return lower48, alaska, hawaii


_PARTS = _albers_usa(SCALE, *TRANSLATE)


def project(lon: float | Decimal, lat: float | Decimal) -> Point | None:
    """Project a longitude/latitude (degrees) into the map's 975x610 viewport, or None if it is off the map.

    Same result as d3.geoAlbersUsa().scale(1300).translate([487.5, 305]): points outside the lower 48, Alaska and
    Hawaii rectangles (most of the world, e.g. Mexico City or mid-ocean) give None.
    """
    lon_f, lat_f = float(lon), float(lat)
    if not (math.isfinite(lon_f) and math.isfinite(lat_f)):
        return None  # d3 would compute NaN and drop the point too
    for part in _PARTS:
        point = part(lon_f, lat_f)
        if point is not None:
            return point
    return None


# --------------------------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------------------------


class MapCity(Protocol):
    """What render_map() needs from a city (cities.models.City fits)."""

    @property
    def name(self) -> str: ...

    @property
    def state(self) -> str: ...

    @property
    def latitude(self) -> Decimal | float | None: ...

    @property
    def longitude(self) -> Decimal | float | None: ...

    def get_absolute_url(self) -> str: ...


@cache
def _states_markup() -> SafeString:
    # The 51 paths never change: build them once per process. Only our own data goes in (postal codes from the
    # table above, path strings of digits, spaces and M/l/z), but format_html escapes it anyway.
    return format_html_join(
        "",
        '<path class="state" data-state="{}" d="{}"/>',
        ((postal, state_path(postal)) for postal in sorted(states())),
    )


# The states drawn as a standalone SVG file (static/img/us-states.svg, made by `python -m cities.usmap`). A page
# that links to it instead of carrying the 51 paths inline is 64 KB lighter: the paths were most of the home page
# and the city directory, and compressing them again for every visitor cost more than rendering the page (issue
# 19). The file is served with the static files (compressed once, cached by the browser for good). An image
# document is styled by its own <style>, not by the page's map.css: the rules below are map.css's `.state` ones,
# forced colours included (tests/cities/test_usmap.py keeps the two the same).
STATES_FILE = "img/us-states.svg"
STATES_STYLE = (
    ".state{fill:#dfe6ee;fill-rule:evenodd;stroke:#fff;stroke-width:1;stroke-linejoin:round}"
    "@media (forced-colors:active){.state{fill:Canvas;stroke:CanvasText}}"
)


def states_svg() -> str:
    """The standalone SVG document of the 51 states, in the map's 975x610 viewport."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}"><style>{STATES_STYLE}</style>{_states_markup()}</svg>\n'
    )


def _placed(cities: Iterable[MapCity]) -> Iterator[tuple[MapCity, Point]]:
    for city in cities:
        if city.latitude is None or city.longitude is None:
            continue
        point = project(city.longitude, city.latitude)
        if point is not None:
            yield city, point


def render_map(
    cities: Iterable[MapCity],
    *,
    link: bool = True,
    title: str | None = None,
    id_prefix: str = "us-map",
    states_href: str | None = None,
) -> SafeString:
    """Inline SVG of the states with a dot per city; safe to output with ``{{ svg }}`` in a template.

    - Cities without coordinates, or outside the mapped area, are skipped; the description counts those shown.
    - ``link=True``: each dot is an SVG ``<a>`` to the city page, named "City, State" with the state's name in the
      page's language (``aria-label``, plus a ``<title>`` for the mouse tooltip), so it is reachable with the
      keyboard. The ``<svg>`` then has
      ``role="group"``: ``role="img"`` would make its children presentational and hide the links from assistive
      technology (axe-core's "nested-interactive" rule flags exactly that).
    - ``link=False``: a plain picture, ``role="img"``; each dot has a ``<title>`` tooltip only.
    - No inline styles or presentation attributes (the CSP allows only same-origin style sheets): colours come from
      ``static/css/map.css`` through the classes ``us-map``, ``state`` and ``city-dot``.
    - ``title`` defaults to "Human rights cities in the United States"; it and the description are translated.
    - ``id_prefix`` keeps the ``<title>``/``<desc>`` ids unique if a page shows more than one map.
    - ``states_href``: the address of :func:`states_svg`'s file; the states are then one ``<image>`` of it rather
      than 51 inline paths (pages pass it; without it the map stands alone, as in a test or a saved page).
    """
    if title is None:
        title = gettext("Human rights cities in the United States")
    dots: list[SafeString] = []
    for city, (x, y) in _placed(cities):
        label = f"{city.name}, {state_name(city.state)}"
        if link:
            dots.append(
                format_html(
                    '<a href="{}" aria-label="{}"><title>{}</title>'
                    '<circle class="city-dot" cx="{}" cy="{}" r="{}"/></a>',
                    city.get_absolute_url(),
                    label,
                    label,
                    _fmt(x),
                    _fmt(y),
                    DOT_RADIUS,
                )
            )
        else:
            dots.append(
                format_html(
                    '<circle class="city-dot" cx="{}" cy="{}" r="{}"><title>{}</title></circle>',
                    _fmt(x),
                    _fmt(y),
                    DOT_RADIUS,
                    label,
                )
            )
    count = len(dots)
    description = ngettext(
        "Map of the United States with %(count)d city", "Map of the United States with %(count)d cities", count
    ) % {"count": count}
    # Every piece below is either a constant, escaped by format_html, or SafeString built above: mark_safe only
    # joins markup that is already safe.
    return format_html(
        '<svg class="us-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="{}" '
        'aria-labelledby="{}-title" aria-describedby="{}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<g class="states" aria-hidden="true">{}</g><g class="cities">{}</g></svg>',
        WIDTH,
        HEIGHT,
        "group" if link else "img",
        id_prefix,
        id_prefix,
        id_prefix,
        title,
        id_prefix,
        description,
        _states_markup()
        if states_href is None
        else format_html('<image href="{}" width="{}" height="{}"/>', states_href, WIDTH, HEIGHT),
        mark_safe("".join(dots)),  # noqa: S308 - each item came from format_html
    )


if __name__ == "__main__":
    # Writes the states file the pages link to: python -m cities.usmap > static/img/us-states.svg
    import sys

    sys.stdout.write(states_svg())
