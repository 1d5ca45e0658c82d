"""What higher apps show on a resource's page, without this app importing them (DESIGN.md section 2): the local
reports (reports) that cite it, say. Each registers a panel in its AppConfig.ready(): a template and a function
giving its context for one resource, which must run a fixed number of queries whatever it lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class ResourcePanel:
    key: str
    template: str
    context: Callable[[Any], dict[str, Any]]  # resource -> the template's context
    order: int = 100


class ResourcePanelRegistry:
    def __init__(self) -> None:
        self._panels: dict[str, ResourcePanel] = {}

    def register(self, key: str, template: str, context: Callable[[Any], dict[str, Any]], *, order: int = 100) -> None:
        self._panels[key] = ResourcePanel(key, template, context, order)

    def render(self, resource, request=None) -> list[SafeString]:
        """Each panel's HTML for `resource`, in order (a panel whose template renders nothing is left out)."""
        rendered = []
        for panel in sorted(self._panels.values(), key=lambda p: (p.order, p.key)):
            html = render_to_string(panel.template, {"resource": resource, **panel.context(resource)}, request=request)
            if html.strip():
                rendered.append(mark_safe(html))  # noqa: S308 - the output of our own autoescaped template
        return rendered


resource_panels = ResourcePanelRegistry()
