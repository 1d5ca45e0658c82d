"""What the index holds, and where it comes from: each kind of document is built from the owning app's PUBLIC
selector, never from its tables, so what is public is decided once, in the app that owns the data (DESIGN.md
section 2). An object the selector does not return is not in the index.

Each source answers `objects()` (every public object, for a rebuild), `get(pk)` (the object if it is public
today, else None, for reindexing one) and `document(obj)` (the row's fields).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from cities.models import City
from cities.selectors import directory_cities
from events.enums import EventKind
from events.models import Event
from events.selectors import searchable_events
from reports.models import ReportVersion
from reports.selectors import published_version
from resources.models import Resource
from resources.selectors import public_resources
from search.enums import DocumentKind
from testimony.models import Testimony
from testimony.selectors import public_testimony
from tracking.enums import Level
from tracking.models import TrackedItem
from tracking.selectors import (
    history_of,
    item_themes,
    public_item,
    public_items_with_history,
    public_words,
    status_label,
)
from upr.models import Recommendation, ReviewCycle, Theme
from upr.selectors import filter_recommendations


@dataclass
class Document:
    url: str
    title: str
    body: str = ""
    keywords: list[str] = field(default_factory=list)
    language: str = "en"
    date: dt.date | None = None
    themes: list[Theme] = field(default_factory=list)
    cycle: ReviewCycle | None = None
    city: City | None = None


def theme_words(themes: Iterable[Theme]) -> list[str]:
    """Theme names in both languages: a Spanish search ("vivienda") finds English texts tagged with the theme."""
    return [name for theme in themes for name in (theme.name, theme.name_es) if name]


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@dataclass(frozen=True)
class Source:
    kind: DocumentKind
    objects: Callable[[], Iterable[Model]]
    get: Callable[[int], Model | None]
    document: Callable[[Model], Document]
    # Optional: the public objects among a selection (`pks=[...]` or `city_id=...`), for reindexing many at once.
    some: Callable[..., Iterable[Model]] | None = None


# --- recommendations (upr) ------------------------------------------------------------------------------------


def _recommendation_document(rec: Recommendation) -> Document:
    themes = list(rec.themes.all())
    return Document(
        url=reverse("upr:recommendations") + f"?cycle={rec.cycle_id}&q={rec.paragraph}",
        title=f"{rec.paragraph} · {rec.document}",
        body=rec.text,
        keywords=[rec.paragraph, rec.document, rec.recommending_states, rec.source_themes, *theme_words(themes)],
        date=rec.cycle.review_date,
        themes=themes,
        cycle=rec.cycle,
    )


# --- cities (cities) ------------------------------------------------------------------------------------------


def _city_document(city: City) -> Document:
    themes = list(city.priorities.all())
    with override("en"):
        state_en = city.state_name
    with override("es"):
        state_es = city.state_name
    return Document(
        url=city.get_absolute_url(),
        title=f"{city.name}, {city.state}",
        body=city.description,
        keywords=[city.coalition_name, state_en, state_es, *theme_words(themes)],
        themes=themes,
        city=city,
    )


# --- testimony (testimony): only what its public scoping returns, only the public versions ---------------------


def _testimony_document(testimony: Testimony) -> Document:
    themes = list(testimony.themes.all())
    # Only the public versions organizers reviewed (PUBLIC_TEXT_FIELDS), never the originals, the place (it may be
    # asked to be less precise) or the name.
    title = testimony.public_title or " ".join(testimony.public_text.split()[:8])
    body = "\n\n".join(
        part for part in (testimony.public_text, testimony.public_transcript, testimony.public_media_caption) if part
    )
    return Document(
        url=reverse("testimony:detail", args=[testimony.pk]),
        title=title,
        body=body,
        keywords=[testimony.city.name, *theme_words(themes)],
        language="es" if testimony.language.startswith("es") else "en",
        themes=themes,
        cycle=testimony.cycle,
        city=testimony.city,
    )


def public_testimony_by_pk(pk: int) -> Testimony | None:
    return public_testimony().filter(pk=pk).first()


# --- events and webinars (events) -----------------------------------------------------------------------------


def _public_event(pk: int) -> Event | None:
    return searchable_events().filter(pk=pk).first()


def _event_document(event: Event) -> Document:
    themes = list(event.themes.all())
    speakers = [row.speaker for row in event.eventspeaker_set.all()]
    is_archived_webinar = event.kind == EventKind.WEBINAR and event.ends_at < timezone.now()
    url = reverse("events:webinar_detail" if is_archived_webinar else "events:detail", args=[event.slug])
    return Document(
        url=url,
        title=event.title,
        body="\n\n".join(part for part in (event.description, event.transcript) if part),
        keywords=[
            event.get_kind_display(),
            *(f"{s.name} {s.title} {s.organisation}" for s in speakers),
            event.host_city.name if event.host_city else "",
            *theme_words(themes),
        ],
        date=_date(event.starts_at),
        themes=themes,
        city=event.host_city,
    )


# --- published local reports (reports) ------------------------------------------------------------------------


def _published_reports() -> list[ReportVersion]:
    return [version for city in directory_cities() if (version := published_version(city)) is not None]


def _published_report(pk: int) -> ReportVersion | None:
    """`pk` is the city's: a city has one published report (its latest accepted version)."""
    city = directory_cities().filter(pk=pk).first()
    return published_version(city) if city is not None else None


def _report_document(version: ReportVersion) -> Document:
    content = version.content
    city = version.report.city
    sections = content.get("sections", [])
    # The city's own words; its quotes of testimony are left out (each is resolved against today's consent on the
    # report's page, which the search index cannot follow line by line).
    parts = [content.get("executive_summary", ""), content.get("short_summary", ""), content.get("methodology", "")]
    parts += [f"{s.get('challenges', '')}\n{s.get('advances', '')}" for s in sections]
    parts += [rec.get("text", "") for rec in content.get("recommendations", [])]
    # The resources it cites, as the report prints them (a search for "A/HRC/30/12" finds the reports citing it).
    citations = content.get("citations", [])
    parts += [citation.get("note", "") for citation in citations]
    cited = [value for c in citations for value in (c.get("un_symbol"), c.get("title"), c.get("title_es")) if value]
    theme_slugs = {s.get("theme") for s in sections}
    themes = list(Theme.objects.filter(slug__in=theme_slugs))
    return Document(
        url=reverse("reports:public", args=[city.slug]),
        title=f"{city.name}, {city.state}: {version.report.cycle}",
        body="\n\n".join(part for part in parts if part),
        keywords=[city.name, *theme_words(themes), *cited],
        language="es" if content.get("language", "en").startswith("es") else "en",
        date=_date(version.decided_at),
        themes=themes,
        cycle=version.report.cycle,
        city=city,
    )


# --- resources (resources) ------------------------------------------------------------------------------------


def _resource_document(resource: Resource) -> Document:
    themes = list(resource.themes.all())
    return Document(
        url=reverse("resources:detail", args=[resource.slug]),
        title=resource.title,
        body="\n\n".join(part for part in (resource.description, resource.description_es) if part),
        keywords=[resource.title_es, resource.un_symbol, resource.get_kind_display(), *theme_words(themes)],
        date=resource.date,
        themes=themes,
        cycle=resource.cycle,
    )


# --- scorecard items (tracking): the directory's cities, what their public scorecards show less quoted testimony --


def _both_languages(label) -> list[str]:
    """A translated label in English and Spanish: "en curso" finds an item in progress."""
    words = []
    for language in ("en", "es"):
        with override(language):
            words.append(str(label))
    return words


def _scorecard_document(item: TrackedItem) -> Document:
    """The recommendation (or the city's own), the city, where it stands (in English and Spanish), who must act, and
    the public words of its history (tracking.selectors.public_words: never a team-only document, an unapproved
    answer or a testimony's words)."""
    city = item.city
    history = history_of(item)
    latest = history[-1] if history else None
    themes = item_themes(item)
    official = item.recommendation
    place = f"{city.name}, {city.state}"
    if official is not None:
        title = f"{official.paragraph} · {place}"
        cycle, keywords = official.cycle, [official.paragraph, official.document, official.recommending_states]
    else:
        local = item.local_recommendation
        words = local.text.split()
        short = " ".join(words[:14]) + (" …" if len(words) > 14 else "")
        title, cycle, keywords = f"{short} · {place}", local.report.cycle, []
    keywords += [
        place,
        *_both_languages(status_label(latest.status if latest else None)),
        *_both_languages(Level(item.level).label),
        item.office.name if item.office else "",
        *theme_words(themes),
    ]
    return Document(
        url=reverse("tracking:scorecard", args=[city.slug]) + f"#item-{item.pk}",
        title=title,
        body="\n\n".join([item.text, *public_words(item)]),
        keywords=keywords,
        date=latest.observed_on if latest else None,
        themes=themes,
        cycle=cycle,
        city=city,
    )


SOURCES: dict[str, Source] = {
    DocumentKind.RECOMMENDATION: Source(
        DocumentKind.RECOMMENDATION,
        filter_recommendations,
        lambda pk: filter_recommendations().filter(pk=pk).first(),
        _recommendation_document,
    ),
    DocumentKind.CITY: Source(
        DocumentKind.CITY, directory_cities, lambda pk: directory_cities().filter(pk=pk).first(), _city_document
    ),
    DocumentKind.TESTIMONY: Source(
        DocumentKind.TESTIMONY, public_testimony, public_testimony_by_pk, _testimony_document
    ),
    DocumentKind.EVENT: Source(DocumentKind.EVENT, searchable_events, _public_event, _event_document),
    DocumentKind.REPORT: Source(DocumentKind.REPORT, _published_reports, _published_report, _report_document),
    DocumentKind.RESOURCE: Source(
        DocumentKind.RESOURCE,
        public_resources,
        lambda pk: public_resources().filter(pk=pk).first(),
        _resource_document,
    ),
    DocumentKind.SCORECARD: Source(
        DocumentKind.SCORECARD,
        public_items_with_history,
        public_item,
        _scorecard_document,
        public_items_with_history,
    ),
}


def object_id(kind: str, obj: Model) -> int:
    """The id a document is keyed by: the object's, except a report's, which is its city's."""
    return obj.report.city_id if kind == DocumentKind.REPORT else obj.pk
