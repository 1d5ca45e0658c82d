"""Tests of the resources library. `make_resource` builds a published link resource with sensible defaults."""

from __future__ import annotations

import itertools

_numbers = itertools.count(1)


def make_resource(**fields):
    from resources.enums import ResourceKind, ResourceStatus
    from resources.models import Resource

    n = next(_numbers)
    fields.setdefault("title", f"Resource {n}")
    fields.setdefault("slug", f"resource-{n}")
    fields.setdefault("kind", ResourceKind.GUIDE)
    fields.setdefault("status", ResourceStatus.PUBLISHED)
    if "file" not in fields:
        fields.setdefault("link", f"https://example.org/resource-{n}")
    themes = fields.pop("themes", [])
    languages = fields.pop("language_codes", ["en"])
    resource = Resource(**fields)
    resource.set_languages(languages)
    resource.save()
    if themes:
        resource.themes.set(themes)
    return resource
