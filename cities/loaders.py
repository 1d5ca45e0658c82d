"""Load the project's copy of the real human rights cities (cities/data/cities.csv). Idempotent."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from django.utils.text import slugify

from cities import geo
from cities.enums import CityStatus
from cities.models import City
from upr.models import Theme

DATA_FILE = Path(__file__).resolve().parent / "data" / "cities.csv"


def city_slug(name: str, state: str) -> str:
    return slugify(f"{name}-{state}")


def load_cities(path: Path = DATA_FILE) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        # Coordinates come from GeoNames (cities/geo.py), the same source the file's columns were taken from;
        # the file's own figures only serve a place GeoNames does not list.
        place = geo.locate(row["name"], row["state"])
        latitude = place.latitude if place else Decimal(row["latitude"])
        longitude = place.longitude if place else Decimal(row["longitude"])
        # Cities whose organizers the project page names took part in the 2019-2020 review.
        status = CityStatus.PARTICIPATING if row["named_on_upr_cities_page"] == "yes" else CityStatus.EXPLORING
        since = row["human_rights_city_since"]
        City.objects.update_or_create(
            name=row["name"],
            state=row["state"],
            defaults={
                "slug": city_slug(row["name"], row["state"]),
                "latitude": latitude,
                "longitude": longitude,
                "population": place.population if place else (int(row["population"]) if row["population"] else None),
                "human_rights_city_since": int(since) if since else None,
                "status": status,
                "source": row["source"],
            },
        )
    return len(rows)


# What the UPR Cities project page says of the cities it names (upr/data/SOURCES.md: the seed page).
SEED_PAGE_DETAILS = {
    ("Pittsburgh", "PA"): (
        "Penn Plaza Support and Action Coalition & City of Bridges Community Land Trust",
        ["housing"],
    ),
    ("Birmingham", "AL"): ("City of Birmingham Office of Peace and Policy", ["housing"]),
    ("Newark", "NJ"): ("Newark Ironbound Community", ["housing"]),
    ("Atlanta", "GA"): ("Housing Justice League", ["housing"]),
}


def load_seed_page_details() -> int:
    """Coalitions and priorities that the project page gives for the cities it names (2020 housing webinar)."""
    for (name, state), (coalition, themes) in SEED_PAGE_DETAILS.items():
        city = City.objects.get(name=name, state=state)
        if not city.coalition_name:
            city.coalition_name = coalition
            city.save(update_fields=["coalition_name"])
        city.priorities.add(*Theme.objects.filter(slug__in=themes))
    return len(SEED_PAGE_DETAILS)
