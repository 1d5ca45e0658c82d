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

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

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


@dataclass(frozen=True)
class CityPanel:
    key: str
    template: str
    context: Callable[[Any], dict[str, Any]]  # city -> the template's context
    order: int = 100


class CityPanelRegistry:
    def __init__(self) -> None:
        self._panels: dict[str, CityPanel] = {}

    def register(self, key: str, template: str, context: Callable[[Any], dict[str, Any]], *, order: int = 100) -> None:
        self._panels[key] = CityPanel(key, template, context, order)

    def panels(self) -> list[CityPanel]:
        return sorted(self._panels.values(), key=lambda p: (p.order, p.key))

    def render(self, city, request=None) -> list[SafeString]:
        """Each panel's HTML for `city`, in order (a panel whose template renders nothing is left out)."""
        rendered = []
        for panel in self.panels():
            html = render_to_string(panel.template, {"city": city, **panel.context(city)}, request=request)
            if html.strip():
                rendered.append(mark_safe(html))  # noqa: S308 - the output of our own autoescaped template
        return rendered


city_panels = CityPanelRegistry()
