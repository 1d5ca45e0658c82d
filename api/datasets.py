"""The open-data downloads: each dataset as a CSV file and all of them as one Frictionless Data Package.

A dataset is its rows and a table schema (each column's name, type and description). Its rows are the API's own
items (api/v1.py's converters over the owning apps' public selectors), so the files and the API show the same
fields and decide nothing about privacy themselves. Adding a dataset is one `datasets.register(Dataset(...))`.

Built on request and kept in the cache under the page cache's generation (portal.cache), not built by a periodic
job: the data is small (a few thousand rows build in well under a second), and a file must never outlive what it
shows, since testimony withdrawn or narrowed leaves every public place at once (DESIGN.md section 5). A periodic
build would serve a withdrawn testimony until its next run; under the generation, the first download after any
change builds afresh, and `built_at` says when that was.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from api import v1
from cities.selectors import directory_cities
from events.selectors import public_events
from portal.cache import public_generation
from portal.spreadsheets import safe_cell
from testimony.selectors import filter_public_testimony
from upr.selectors import filter_recommendations, public_cycles, public_milestones, public_themes

# How long a built file is kept when nothing changes (a change draws a new generation at once).
BUILT_SECONDS = 24 * 3600
PACKAGE_NAME = "upr-cities-open-data"
# The compilation is the portal's; the UN documents it quotes are public UN documents.
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
UN_SOURCES = (
    {
        "title": "OHCHR, Universal Periodic Review: United States of America",
        "path": "https://www.ohchr.org/en/hr-bodies/upr/us-index",
    },
)
PORTAL_SOURCE = ({"title": "UPR Cities portal", "path": settings.SITE_URL},)


@dataclass(frozen=True)
class Column:
    """A column: `name` is the item's key (api/v1.py); a list is written as its values joined by "; "."""

    name: str
    type: str  # a Frictionless table schema type: string, integer, number, date, datetime, boolean
    description: str
    value: Callable[[dict], object] | None = None

    def cell(self, item: dict) -> object:
        value = self.value(item) if self.value else item[self.name]
        if isinstance(value, list):
            return "; ".join(str(v) for v in value)
        if isinstance(value, datetime):
            return value.isoformat()
        return value


@dataclass(frozen=True)
class Dataset:
    name: str  # the file's name without .csv, and the package resource's name
    title: str
    description: str
    items: Callable[[], Iterable[dict]]
    columns: tuple[Column, ...]
    sources: tuple[dict, ...] = field(default=PORTAL_SOURCE)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def table_schema(self) -> dict:
        return {"fields": [{"name": c.name, "type": c.type, "description": c.description} for c in self.columns]}


@dataclass(frozen=True)
class Built:
    """A dataset's file as built at `built_at`."""

    name: str
    content: bytes
    rows: int
    built_at: datetime


class DatasetRegistry:
    def __init__(self) -> None:
        self._datasets: dict[str, Dataset] = {}

    def register(self, dataset: Dataset) -> None:
        self._datasets[dataset.name] = dataset

    def get(self, name: str) -> Dataset | None:
        return self._datasets.get(name)

    def __iter__(self) -> Iterator[Dataset]:
        return iter(self._datasets.values())


datasets = DatasetRegistry()


def csv_bytes(dataset: Dataset) -> tuple[bytes, int]:
    """The CSV file: UTF-8 with a byte order mark, every cell formula-safe (portal.spreadsheets)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in dataset.columns])
    rows = 0
    for item in dataset.items():
        writer.writerow([safe_cell(c.cell(item)) for c in dataset.columns])
        rows += 1
    return out.getvalue().encode("utf-8"), rows


def _build(dataset: Dataset) -> Built:
    content, rows = csv_bytes(dataset)
    return Built(dataset.name, content, rows, timezone.now())


def built(dataset: Dataset, request=None) -> Built:
    """The dataset's file for the data as it is now: built once per generation of the public data."""
    key = f"opendata:{public_generation(request)}:{dataset.name}"
    found = cache.get(key)
    if found is None:
        # An unreachable cache answers None (portal.cache_backend): the file is then built for this request.
        found = _build(dataset)
        cache.set(key, found, BUILT_SECONDS)
    return found


def datapackage(request=None) -> dict:
    """The Frictionless Data Package descriptor: every dataset as a tabular resource with its table schema."""
    files = [(dataset, built(dataset, request)) for dataset in datasets]
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "UPR Cities: open data",
        "description": (
            "The UN Universal Periodic Review of the United States (review cycles, milestones, recommendations and "
            "the US responses), the human rights cities taking part, their events and webinars, and testimony shown "
            "on the portal with the consent of the people who gave it (its public version only; names only as each "
            "person chose). Holds no personal contact details."
        ),
        "homepage": settings.SITE_URL + reverse("open_data"),
        "version": "1.0.0",
        "created": max((b.built_at for _d, b in files), default=timezone.now()).isoformat(),
        "licenses": [LICENSE],
        "sources": [*UN_SOURCES, *PORTAL_SOURCE],
        "resources": [
            {
                "name": dataset.name,
                "path": dataset.filename,
                "profile": "tabular-data-resource",
                "title": dataset.title,
                "description": dataset.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "bytes": len(b.content),
                "sources": list(dataset.sources),
                "licenses": [LICENSE],
                "schema": dataset.table_schema(),
            }
            for dataset, b in files
        ],
    }


def package_zip(request=None) -> bytes:
    """datapackage.json and every CSV file in one zip (the paths in the descriptor are relative to it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(datapackage(request), indent=2, ensure_ascii=False))
        for dataset in datasets:
            archive.writestr(dataset.filename, built(dataset, request).content)
    return out.getvalue()


# --- The datasets ------------------------------------------------------------------------------------------


def _themes() -> Iterable[dict]:
    return (v1.theme_out(t) for t in public_themes())


def _cycles() -> Iterable[dict]:
    return (v1.cycle_out(c) for c in public_cycles())


def _milestones() -> Iterable[dict]:
    return (v1.milestone_out(m) for m in public_milestones())


def _recommendations() -> Iterable[dict]:
    return (v1.recommendation_out(r) for r in filter_recommendations().order_by("cycle__number", "sort_key"))


def _cities() -> Iterable[dict]:
    return (v1.city_out(c) for c in directory_cities())


def _events() -> Iterable[dict]:
    return (v1.event_out(e) for e in public_events())


def _testimony() -> Iterable[dict]:
    return (v1.testimony_out(t) for t in filter_public_testimony().select_related("cycle"))


def _speakers(item: dict) -> list[str]:
    return [f"{s['name']} ({s['organisation']})" if s["organisation"] else s["name"] for s in item["speakers"]]


def _absolute(item: dict) -> str:
    return settings.SITE_URL + item["url"]


datasets.register(
    Dataset(
        "themes",
        "Themes",
        "The portal's themes, which tag recommendations, cities' priorities, events and testimony.",
        _themes,
        (
            Column("slug", "string", "The theme's identifier, used in the other files."),
            Column("name", "string", "Its name in English."),
            Column("name_es", "string", "Its name in Spanish."),
        ),
    )
)
datasets.register(
    Dataset(
        "review-cycles",
        "Review cycles",
        "Each Universal Periodic Review of the United States.",
        _cycles,
        (
            Column("number", "integer", "The cycle (1: 2010, 2: 2015, 3: 2020, 4: the fourth)."),
            Column("country", "string", "The State under review."),
            Column("working_group_session", "integer", "The UPR Working Group's session."),
            Column("review_date", "date", "The day of the review."),
            Column("report_symbol", "string", "The Working Group report's UN document symbol."),
            Column("response_symbol", "string", "The symbol of the State's response (addendum)."),
            Column("outcome_adopted", "date", "When the Human Rights Council adopted the outcome."),
            Column("status", "string", "upcoming, held, postponed or non_cooperation."),
            Column("recommendations_total", "integer", "Recommendations received, by the UN's count."),
            Column("recommendations_supported", "integer", "Supported in whole or in part."),
            Column("recommendations_noted", "integer", "Noted."),
            Column("recommendations_in_portal", "integer", "How many the recommendations file holds."),
            Column("note", "string", "A note in English."),
            Column("note_es", "string", "The note in Spanish."),
        ),
        UN_SOURCES,
    )
)
datasets.register(
    Dataset(
        "milestones",
        "Milestones",
        "Public dates of each review: deadlines, the review itself and the adoption of its outcome.",
        _milestones,
        (
            Column("cycle", "integer", "The review cycle's number."),
            Column("kind", "string", "What happens (local_input_due, national_report_due, review, adoption...)."),
            Column("title", "string", "In English."),
            Column("title_es", "string", "In Spanish."),
            Column("date", "date", "The day."),
        ),
        (*UN_SOURCES, *PORTAL_SOURCE),
    )
)
datasets.register(
    Dataset(
        "recommendations",
        "Recommendations",
        "The recommendations the United States received in each review, with the US response and themes.",
        _recommendations,
        (
            Column("id", "integer", "The portal's identifier (as in the API)."),
            Column("cycle", "integer", "The review cycle's number."),
            Column("document", "string", "The UN document numbering it."),
            Column("paragraph", "string", "Its paragraph number in that document."),
            Column("text", "string", "The recommendation."),
            Column("recommending_states", "string", "The State or States that made it."),
            Column("response", "string", "The US response: supported, supported in part, noted or pending."),
            Column("themes", "string", "Theme slugs (see themes.csv), separated by semicolons."),
            Column("source_themes", "string", "The source file's own theme labels."),
        ),
        UN_SOURCES,
    )
)
datasets.register(
    Dataset(
        "cities",
        "Cities",
        "The human rights cities in the directory: taking part, or having submitted their local report.",
        _cities,
        (
            Column("slug", "string", "The city's identifier."),
            Column("name", "string", "The city."),
            Column("state", "string", "The state's two-letter postal code."),
            Column("status", "string", "participating or report_submitted."),
            Column("latitude", "number", "Latitude of the city centre."),
            Column("longitude", "number", "Longitude of the city centre."),
            Column("population", "integer", "Population, where known."),
            Column("human_rights_city_since", "integer", "The year it became a human rights city."),
            Column("coalition_name", "string", "The local coalition."),
            Column("description", "string", "What the city says about its work."),
            Column("priorities", "string", "Theme slugs of its local priorities, separated by semicolons."),
            Column("url", "string", "Its page on the portal.", _absolute),
        ),
    )
)
datasets.register(
    Dataset(
        "events",
        "Events and webinars",
        "Every event: webinars, community conversations, hearings, lobby days; cancelled ones say so.",
        _events,
        (
            Column("slug", "string", "The event's identifier."),
            Column("kind", "string", "webinar, community_conversation, public_hearing, lobby_day..."),
            Column("title", "string", "The title."),
            Column("description", "string", "What it is about."),
            Column("status", "string", "scheduled, postponed, cancelled or held."),
            Column("starts_at", "datetime", "When it starts (ISO 8601 with the offset from UTC)."),
            Column("ends_at", "datetime", "When it ends."),
            Column("time_zone", "string", "The time zone it is planned in."),
            Column("place", "string", "Where, for an event held in person."),
            Column("online", "boolean", "Whether it can be joined online."),
            Column("host_city", "string", "The host city's slug; empty for national events."),
            Column("themes", "string", "Theme slugs, separated by semicolons."),
            Column("speakers", "string", "Speakers and their organisations, separated by semicolons.", _speakers),
            Column("capacity", "integer", "Seats, where limited."),
            Column("recording_url", "string", "The recording, once held."),
            Column("materials_elsewhere_url", "string", "Where else its materials are published."),
            Column("url", "string", "Its page on the portal.", _absolute),
        ),
    )
)
datasets.register(
    Dataset(
        "testimony",
        "Testimony",
        "Testimony shown on the portal with the consent of the people who gave it: only the public version "
        "organizers wrote after reading the original, names only as each person chose, and places and dates "
        "less precise where they asked.",
        _testimony,
        (
            Column("id", "integer", "The portal's identifier (as in the API)."),
            Column("url", "string", "Its page on the portal.", _absolute),
            Column("city", "string", "The city's slug."),
            Column("cycle", "integer", "The review cycle it was gathered for."),
            Column("kind", "string", "written, video, audio, meeting_notes or survey."),
            Column("nature", "string", "challenge or positive."),
            Column("language", "string", "The language it was given in."),
            Column("title", "string", "Its public title."),
            Column("text", "string", "Its public version."),
            Column("transcript", "string", "The public version of its transcript."),
            Column("caption", "string", "The public caption of its file or link."),
            Column("place", "string", "Where it happened; empty where the person asked for less precision."),
            Column("when", "string", "When it happened: a date, or only the year where asked."),
            Column("name", "string", "The name as the person chose to be identified; empty when anonymous."),
            Column("themes", "string", "Theme slugs, separated by semicolons."),
        ),
    )
)
