"""Load the resources library's real records (resources/data/, see SOURCES.md there) as published links. Idempotent."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from resources.enums import ResourceStatus
from resources.models import Resource
from upr.loaders import US
from upr.models import ReviewCycle, Theme

DATA = Path(__file__).resolve().parent / "data" / "resources.csv"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


@transaction.atomic
def load_resources(path: Path = DATA) -> int:
    """Every row of resources.csv as a published resource (the review data must be loaded first: cycles, themes)."""
    cycles = {str(c.number): c for c in ReviewCycle.objects.filter(country=US)}
    themes = {t.slug: t for t in Theme.objects.all()}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        resource = Resource.objects.filter(slug=row["slug"]).first() or Resource(slug=row["slug"])
        resource.kind = row["kind"]
        resource.title = row["title"]
        resource.title_es = row["title_es"]
        resource.un_symbol = row["un_symbol"]
        resource.cycle = cycles.get(row["cycle"])
        resource.date = dt.date.fromisoformat(row["date"]) if row["date"] else None
        resource.set_languages(_split(row["languages"]))
        resource.link = row["link"]
        resource.description = row["description"]
        resource.description_es = row["description_es"]
        resource.source_note = row["source"]
        if resource.status != ResourceStatus.PUBLISHED:
            resource.status = ResourceStatus.PUBLISHED
            resource.published_at = timezone.now()
        resource.full_clean()
        resource.save()
        resource.themes.set([themes[slug] for slug in _split(row["themes"])])
    return len(rows)
