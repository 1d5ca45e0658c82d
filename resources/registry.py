"""What higher apps show on a resource's page, without this app importing them (DESIGN.md section 2): the local
reports (reports) that cite it, say. Each registers a panel in its AppConfig.ready() (portal.registry.PanelRegistry:
a template and a function giving its context for one resource, which must run a fixed number of queries whatever
it lists)."""

from __future__ import annotations

from portal.registry import PanelRegistry

resource_panels = PanelRegistry("resource")
