"""What higher apps (testimony, reports, events, and any app above cities) contribute to city pages, the
directory and the organizer home, without this app importing them (DESIGN.md section 2).

- A *fact* is a figure, computed for a whole list of cities in one go (one or two queries, whatever the number of
  cities), so pages keep a constant number of queries.
- A *panel* is a section of the city page: a template and a function giving its context for one city. The city
  page renders every registered panel in order; an app that is not installed simply contributes none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from portal.registry import PanelRegistry

DIRECTORY = "directory"  # a count column in the directory
CITY_PAGE = "city_page"  # a figure in "where the city stands in the 3 Cs"
ORGANIZE = "organize"  # a line in the organizer home's to-do list


@dataclass(frozen=True)
class CityFact:
    key: str
    label: Any  # a lazy translation
    places: frozenset[str]
    compute: Callable[[Sequence], dict[int, Any]]  # cities -> {city id: value}
    order: int = 100
    url_name: str | None = None  # organizer pages: where to act on it (reversed with the city slug)


class CityFactRegistry:
    def __init__(self) -> None:
        self._facts: dict[str, CityFact] = {}

    def register(
        self,
        key: str,
        label,
        compute: Callable[[Sequence], dict[int, Any]],
        *,
        places: Iterable[str],
        order: int = 100,
        url_name: str | None = None,
    ) -> None:
        self._facts[key] = CityFact(key, label, frozenset(places), compute, order, url_name)

    def for_place(self, place: str) -> list[CityFact]:
        return sorted((f for f in self._facts.values() if place in f.places), key=lambda f: (f.order, f.key))

    def compute(self, place: str, cities: Sequence) -> dict[int, list[tuple[CityFact, Any]]]:
        """{city id: [(fact, value), ...]} for every fact shown in `place`."""
        result: dict[int, list[tuple[CityFact, Any]]] = {city.pk: [] for city in cities}
        if not cities:
            return result
        for fact in self.for_place(place):
            values = fact.compute(cities)
            for city in cities:
                result[city.pk].append((fact, values.get(city.pk, 0)))
        return result


city_facts = CityFactRegistry()


class CityPanelRegistry(PanelRegistry):
    """The sections of a city's page that higher apps add (its local report, testimony, events, scorecard...)."""

    def __init__(self) -> None:
        super().__init__("city")


city_panels = CityPanelRegistry()
