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
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from api import v1
from cities.selectors import directory_cities
from events.selectors import public_events
from indicators.exports import value_items
from indicators.importer import ATTRIBUTION, SOURCE_URL
from indicators.selectors import csv_values
from portal.cache import public_generation
from portal.spreadsheets import safe_cell
from resources.selectors import filter_public_resources
from testimony.selectors import filter_public_testimony
from tracking.selectors import public_scorecard_items
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
    description: str | Promise
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
    title: str | Promise
    description: str | Promise
    items: Callable[[], Iterable[dict]]
    columns: tuple[Column, ...]
    sources: tuple[dict, ...] = field(default=PORTAL_SOURCE)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def table_schema(self) -> dict:
        return {"fields": [{"name": c.name, "type": c.type, "description": str(c.description)} for c in self.columns]}


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
    """The Frictionless Data Package descriptor: every dataset as a tabular resource with its table schema, in
    English whatever the page's language (one descriptor for everyone; the open-data page shows it translated)."""
    with translation.override("en"):
        return _datapackage(request)


def _datapackage(request) -> dict:
    files = [(dataset, built(dataset, request)) for dataset in datasets]
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "UPR Cities: open data",
        "description": (
            "The UN Universal Periodic Review of the United States (review cycles, milestones, recommendations and "
            "the US responses), the human rights cities taking part, their events and webinars, the recommendations "
            "each city tracks and where they stand, and testimony shown on the portal with the consent of the people "
            "who gave it (its public version only; names only as each person chose). Holds no personal contact "
            "details."
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
                "title": str(dataset.title),
                "description": str(dataset.description),
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
    recommendations = v1.with_city_statuses(filter_recommendations().order_by("cycle__number", "sort_key"))
    return (v1.recommendation_out(r) for r in recommendations)


def _cities() -> Iterable[dict]:
    return (v1.city_out(c) for c in directory_cities())


def _events() -> Iterable[dict]:
    return (v1.event_out(e) for e in public_events())


def _resources() -> Iterable[dict]:
    return (v1.resource_out(r) for r in filter_public_resources())


def _testimony() -> Iterable[dict]:
    return (v1.testimony_out(t) for t in filter_public_testimony().select_related("cycle"))


def _scorecard() -> Iterable[dict]:
    return (v1.scorecard_item_out(item) for item in public_scorecard_items())


def _speakers(item: dict) -> list[str]:
    return [f"{s['name']} ({s['organisation']})" if s["organisation"] else s["name"] for s in item["speakers"]]


def _absolute(item: dict) -> str:
    return settings.SITE_URL + item["url"]


datasets.register(
    Dataset(
        "themes",
        _("Themes"),
        _("The portal's themes, which tag recommendations, cities' priorities, events and testimony."),
        _themes,
        (
            Column("slug", "string", _("The theme's identifier, used in the other files.")),
            Column("name", "string", _("Its name in English.")),
            Column("name_es", "string", _("Its name in Spanish.")),
        ),
    )
)
datasets.register(
    Dataset(
        "review-cycles",
        _("Review cycles"),
        _("Each Universal Periodic Review of the United States."),
        _cycles,
        (
            Column("number", "integer", _("The cycle (1: 2010, 2: 2015, 3: 2020, 4: the fourth).")),
            Column("country", "string", _("The State under review.")),
            Column("working_group_session", "integer", _("The UPR Working Group's session.")),
            Column("review_date", "date", _("The day of the review.")),
            Column("report_symbol", "string", _("The Working Group report's UN document symbol.")),
            Column("response_symbol", "string", _("The symbol of the State's response (addendum).")),
            Column("outcome_adopted", "date", _("When the Human Rights Council adopted the outcome.")),
            Column("status", "string", _("upcoming, held, postponed or non_cooperation.")),
            Column("recommendations_total", "integer", _("Recommendations received, by the UN's count.")),
            Column("recommendations_supported", "integer", _("Supported in whole or in part.")),
            Column("recommendations_noted", "integer", _("Noted.")),
            Column("recommendations_in_portal", "integer", _("How many the recommendations file holds.")),
            Column("note", "string", _("A note in English.")),
            Column("note_es", "string", _("The note in Spanish.")),
        ),
        UN_SOURCES,
    )
)
datasets.register(
    Dataset(
        "milestones",
        _("Milestones"),
        _("Public dates of each review: deadlines, the review itself and the adoption of its outcome."),
        _milestones,
        (
            Column("cycle", "integer", _("The review cycle's number.")),
            Column("kind", "string", _("What happens (local_input_due, national_report_due, review, adoption...).")),
            Column("title", "string", _("In English.")),
            Column("title_es", "string", _("In Spanish.")),
            Column("date", "date", _("The day.")),
        ),
        (*UN_SOURCES, *PORTAL_SOURCE),
    )
)
datasets.register(
    Dataset(
        "recommendations",
        _("Recommendations"),
        _("The recommendations the United States received in each review, with the US response and themes."),
        _recommendations,
        (
            Column("id", "integer", _("The portal's identifier (as in the API).")),
            Column("cycle", "integer", _("The review cycle's number.")),
            Column("document", "string", _("The UN document numbering it.")),
            Column("paragraph", "string", _("Its paragraph number in that document.")),
            Column("text", "string", _("The recommendation.")),
            Column("recommending_states", "string", _("The State or States that made it.")),
            Column("response", "string", _("The US response: supported, supported in part, noted or pending.")),
            Column("themes", "string", _("Theme slugs (see themes.csv), separated by semicolons.")),
            Column("affected_persons", "string", _("The groups of persons it concerns, separated by semicolons.")),
            Column("sdgs", "string", _("The Sustainable Development Goals it serves, separated by semicolons.")),
            Column("source_themes", "string", _("The source file's own theme labels.")),
            Column("cluster", "integer", _("Its cluster of similar recommendations (the same ask), or empty.")),
            Column("url", "string", _("Its page on the portal."), _absolute),
        ),
        UN_SOURCES,
    )
)
datasets.register(
    Dataset(
        "cities",
        _("Cities"),
        _("The human rights cities in the directory: taking part, or having submitted their local report."),
        _cities,
        (
            Column("slug", "string", _("The city's identifier.")),
            Column("name", "string", _("The city.")),
            Column("state", "string", _("The state's two-letter postal code.")),
            Column("status", "string", _("participating or report_submitted.")),
            Column("latitude", "number", _("Latitude of the city centre.")),
            Column("longitude", "number", _("Longitude of the city centre.")),
            Column("population", "integer", _("Population, where known.")),
            Column("human_rights_city_since", "integer", _("The year it became a human rights city.")),
            Column("coalition_name", "string", _("The local coalition.")),
            Column("description", "string", _("What the city says about its work.")),
            Column("priorities", "string", _("Theme slugs of its local priorities, separated by semicolons.")),
            Column("url", "string", _("Its page on the portal."), _absolute),
        ),
    )
)
datasets.register(
    Dataset(
        "events",
        _("Events and webinars"),
        _("Every event: webinars, community conversations, hearings, lobby days; cancelled ones say so."),
        _events,
        (
            Column("slug", "string", _("The event's identifier.")),
            Column("kind", "string", _("webinar, community_conversation, public_hearing, lobby_day...")),
            Column("title", "string", _("The title.")),
            Column("description", "string", _("What it is about.")),
            Column("status", "string", _("scheduled, postponed, cancelled or held.")),
            Column("starts_at", "datetime", _("When it starts (ISO 8601 with the offset from UTC).")),
            Column("ends_at", "datetime", _("When it ends.")),
            Column("time_zone", "string", _("The time zone it is planned in.")),
            Column("place", "string", _("Where, for an event held in person.")),
            Column("online", "boolean", _("Whether it can be joined online.")),
            Column("host_city", "string", _("The host city's slug; empty for national events.")),
            Column("themes", "string", _("Theme slugs, separated by semicolons.")),
            Column("speakers", "string", _("Speakers and their organisations, separated by semicolons."), _speakers),
            Column("capacity", "integer", _("Seats, where limited.")),
            Column("recording_url", "string", _("The recording, once held.")),
            Column("materials_elsewhere_url", "string", _("Where else its materials are published.")),
            Column("url", "string", _("Its page on the portal."), _absolute),
        ),
    )
)
datasets.register(
    Dataset(
        "resources",
        _("Resources"),
        _(
            "The resources library: UN documents with their symbols, stakeholder reports, templates, guides, slides, "
            "recordings and data that the national team published."
        ),
        _resources,
        (
            Column("slug", "string", _("The portal's identifier (as in the API).")),
            Column("title", "string", _("Its title.")),
            Column("title_es", "string", _("Its title in Spanish, where written.")),
            Column("kind", "string", _("un_document, stakeholder_report, template, guide, slides, recording or data.")),
            Column("un_symbol", "string", _("The UN document symbol, or empty.")),
            Column("un_document_url", "string", _("The UN's document resolver for the symbol, or empty.")),
            Column("cycle", "integer", _("The review cycle it belongs to, or empty.")),
            Column("themes", "string", _("Theme slugs, separated by semicolons.")),
            Column("languages", "string", _("The document's language codes, separated by semicolons.")),
            Column("date", "date", _("When it was issued.")),
            Column("description", "string", _("What it is.")),
            Column("description_es", "string", _("What it is, in Spanish, where written.")),
            Column("link", "string", _("Where it is published, or empty.")),
            Column("file_url", "string", _("The portal's copy of the file (a path), or empty.")),
            Column("url", "string", _("Its page on the portal."), _absolute),
        ),
    )
)
datasets.register(
    Dataset(
        "testimony",
        _("Testimony"),
        _(
            "Testimony shown on the portal with the consent of the people who gave it: only the public version "
            "organizers wrote after reading the original, names only as each person chose, and places and dates "
            "less precise where they asked."
        ),
        _testimony,
        (
            Column("id", "integer", _("The portal's identifier (as in the API).")),
            Column("url", "string", _("Its page on the portal."), _absolute),
            Column("city", "string", _("The city's slug.")),
            Column("cycle", "integer", _("The review cycle it was gathered for.")),
            Column("kind", "string", _("written, video, audio, meeting_notes or survey.")),
            Column("nature", "string", _("challenge or positive.")),
            Column("language", "string", _("The language it was given in.")),
            Column("title", "string", _("Its public title.")),
            Column("text", "string", _("Its public version.")),
            Column("transcript", "string", _("The public version of its transcript.")),
            Column("caption", "string", _("The public caption of its file or link.")),
            Column("place", "string", _("Where it happened; empty where the person asked for less precision.")),
            Column("when", "string", _("When it happened: a date, or only the year where asked.")),
            Column("name", "string", _("The name as the person chose to be identified; empty when anonymous.")),
            Column("themes", "string", _("Theme slugs, separated by semicolons.")),
        ),
    )
)
datasets.register(
    Dataset(
        "indicator-values",
        _("Indicator values"),
        _(
            "The figures of each city's human rights profile in force: the SDSN 2019 US Cities figures (which "
            "describe the metropolitan area, each with its own year) and the figures and facts organizers entered "
            "with their sources. Earlier values replaced by a correction are not included."
        ),
        lambda: value_items(csv_values()),
        (
            Column("city", "string", _("The city.")),
            Column("state", "string", _("The state's two-letter postal code.")),
            Column("city_slug", "string", _("The city's identifier.")),
            Column("indicator", "string", _("The indicator's name in English.")),
            Column("indicator_slug", "string", _("The indicator's identifier.")),
            Column("kind", "string", _("outcome (a figure) or structural (a yes or no fact).")),
            Column("unit", "string", _("The figure's unit.")),
            Column("better", "string", _("higher or lower: which way is better; empty where neither.")),
            Column("sdg_target", "string", _("The SDG target it belongs to.")),
            Column("year", "integer", _("The year the figure describes (the last year of its period).")),
            Column("period", "string", _("The years it covers, where several (e.g. 2013-2017).")),
            Column("value", "number", _("The figure; empty for a structural fact.")),
            Column("fact", "string", _("yes or no, for a structural fact.")),
            Column("fact_date", "date", _("The date of the fact (a decision or document).")),
            Column("area_described", "string", _("city, or metro (the metropolitan area named in metro_area).")),
            Column("metro_area", "string", _("The metropolitan area the figure describes.")),
            Column("source", "string", _("Where the figure comes from.")),
            Column("source_link", "string", _("A link to the source or its document.")),
            Column("data_source", "string", _("The indicator's own source (e.g. the American Community Survey).")),
            Column("note", "string", _("A note on the figure.")),
            Column("licence", "string", _("CC BY 4.0 for the SDSN figures; empty where the source's own terms apply.")),
            Column("attribution", "string", _("The attribution the SDSN figures require.")),
        ),
        ({"title": ATTRIBUTION, "path": SOURCE_URL}, *PORTAL_SOURCE),
    )
)
datasets.register(
    Dataset(
        "scorecard",
        _("Scorecard"),
        _(
            "The recommendations each city of the directory tracks and where its organizers say each stands: the "
            "latest assessment of every tracked recommendation, one row each. The history, the evidence and the "
            "offices' answers are on each city's scorecard page."
        ),
        _scorecard,
        (
            Column("id", "integer", _("The tracked item's identifier (as in the API).")),
            Column("city", "string", _("The city's slug (see cities.csv).")),
            Column("recommendation", "integer", _("The official recommendation's id (see recommendations.csv).")),
            Column("cycle", "integer", _("The review cycle of the recommendation, or of the city's local report.")),
            Column("paragraph", "string", _("The paragraph number of an official recommendation, or empty.")),
            Column("local", "boolean", _("Whether it is the city's own recommendation, from its local report.")),
            Column("text", "string", _("The recommendation's text.")),
            Column("level", "string", _("The level of government that must act: city, county, state or federal.")),
            Column("office", "string", _("The office responsible, or empty.")),
            Column(
                "status",
                "string",
                _("not_started, in_progress, partly_implemented, implemented, regressed, or not_assessed."),
            ),
            Column("observed_on", "date", _("The date of the latest assessment; empty when not assessed.")),
            Column("updates", "integer", _("How many assessments its history holds.")),
            Column("themes", "string", _("Theme slugs, separated by semicolons.")),
            Column("url", "string", _("The item on the city's scorecard."), _absolute),
        ),
    )
)
