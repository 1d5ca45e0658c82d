"""Small registries through which higher apps add to pages that lower apps own (DESIGN.md section 2).

An app registers in its AppConfig.ready(); the page iterates the registry and never imports the app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Stat:
    key: str
    label: str
    count: Callable[[], int]
    order: int


class StatRegistry:
    def __init__(self) -> None:
        self._stats: dict[str, Stat] = {}

    def register(self, key: str, label: str, count: Callable[[], int], *, order: int = 100) -> None:
        self._stats[key] = Stat(key, label, count, order)

    def __iter__(self):
        return iter(sorted(self._stats.values(), key=lambda stat: (stat.order, stat.key)))


home_stats = StatRegistry()


class JobRegistry:
    """Jobs the beat tick runs. Each must be idempotent and cheap when nothing is due."""

    def __init__(self) -> None:
        self._jobs: dict[str, Callable[[], object]] = {}

    def register(self, name: str, job: Callable[[], object]) -> None:
        self._jobs[name] = job

    def items(self):
        return list(self._jobs.items())


periodic_jobs = JobRegistry()


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[[Any], dict[str, Any]]  # the page's object -> the template's context
    order: int = 100


class PanelRegistry:
    """Sections that higher apps add to the page of a lower app's object (a city's page, a resource's page): each a
    template and a function giving its context for one object, which must run a fixed number of queries whatever
    it lists. The template gets the object under `name` ("city", "resource") too."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._panels: dict[str, Panel] = {}

    def register(self, key: str, template: str, context: Callable[[Any], dict[str, Any]], *, order: int = 100) -> None:
        self._panels[key] = Panel(key, template, context, order)

    def panels(self) -> list[Panel]:
        return sorted(self._panels.values(), key=lambda p: (p.order, p.key))

    def render(self, obj, request=None) -> list[SafeString]:
        """Each panel's HTML for `obj`, in order (a panel whose template renders nothing is left out)."""
        rendered = []
        for panel in self.panels():
            html = render_to_string(panel.template, {self.name: obj, **panel.context(obj)}, request=request)
            if html.strip():
                rendered.append(mark_safe(html))  # noqa: S308 - the output of our own autoescaped template
        return rendered
