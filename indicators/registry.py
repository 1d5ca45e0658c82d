"""What higher apps (testimony, and tracking once it exists) show beside each theme of a city's profile, without
this app importing them (DESIGN.md section 2): each registers a function answering, for one city and all the
profile's themes at once (a constant number of queries), a line per theme: a label, a count and a link."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ThemeLine:
    label: Any  # a lazy translation, e.g. "public testimony"
    count: int
    url: str = ""


@dataclass(frozen=True)
class ThemeContribution:
    key: str
    compute: Callable[[Any, Sequence], dict[int, ThemeLine]]  # (city, themes) -> {theme id: line}
    order: int = 100


class ThemePanelRegistry:
    def __init__(self) -> None:
        self._contributions: dict[str, ThemeContribution] = {}

    def register(self, key: str, compute: Callable[[Any, Sequence], dict[int, ThemeLine]], *, order: int = 100):
        self._contributions[key] = ThemeContribution(key, compute, order)

    def lines(self, city, themes: Sequence) -> dict[int, list[ThemeLine]]:
        """{theme id: [line, ...]} in the registered order, for every theme given."""
        result: dict[int, list[ThemeLine]] = {theme.pk: [] for theme in themes}
        if not themes:
            return result
        for contribution in sorted(self._contributions.values(), key=lambda c: (c.order, c.key)):
            computed = contribution.compute(city, themes)
            for theme in themes:
                if theme.pk in computed:
                    result[theme.pk].append(computed[theme.pk])
        return result


theme_panels = ThemePanelRegistry()
