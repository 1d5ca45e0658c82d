"""The read-only JSON API, version 1 (`/api/v1/`), built with django-ninja.

Why django-ninja rather than Django REST framework with drf-spectacular: the OpenAPI 3 document comes straight from
the type hints of the operations and the pydantic schemas (api/schemas.py), so the schema cannot drift from the
code; pydantic validates every parameter, which is what turns bad input into a 400 with a message; and it is a
small layer over plain Django views, so the portal's page cache (portal.cache.public_page) wraps each operation
unchanged. A read-only API needs none of DRF's serializer writes, viewsets or browsable forms.

Every list starts from the owning app's public selector (upr, cities, events, testimony): this module decides
nothing about privacy. What an item shows is spelled out field by field below (an allow-list), so a field added to
a model never reaches the API by accident. Adding a dataset is a schema in api/schemas.py, a converter and a list
operation here (a Filters class, a selector call, `paginate`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from pydantic import BeforeValidator, Field

from api.schemas import (
    CityOut,
    CycleOut,
    Error,
    EventOut,
    IndicatorValueOut,
    MilestoneOut,
    Page,
    RecommendationOut,
    ResourceOut,
    ScorecardItemOut,
    TestimonyOut,
    ThemeOut,
)
from cities.enums import CityStatus
from cities.selectors import directory_cities, public_city
from events.enums import EventKind, EventStatus
from events.selectors import public_events, webinar_archive
from indicators.exports import value_items
from indicators.selectors import csv_values
from portal.cache import public_page
from resources.enums import Language, ResourceKind
from resources.selectors import filter_public_resources, public_resources
from testimony.enums import Kind, Nature
from testimony.selectors import filter_public_testimony, public_testimony
from tracking.enums import Level, TrackingStatus
from tracking.selectors import NOT_ASSESSED, item_themes, public_city_statuses, public_scorecard_items
from upr.enums import Response
from upr.selectors import (
    filter_recommendations,
    public_affected_groups,
    public_cycles,
    public_milestones,
    public_sdgs,
    public_themes,
)

# A NUL byte never reaches PostgreSQL (portal.middleware refuses it): the schema says so, so clients know.
NO_NUL = r"^[^\x00]*$"
MAX_LIMIT = 100
DEFAULT_LIMIT = 25

api = NinjaAPI(
    title="UPR Cities API",
    version="1",
    description=(
        "Read-only open data of the UPR Cities portal: the UN Universal Periodic Review of the United States "
        "(review cycles, milestones, recommendations and the US responses), the human rights cities taking part, "
        "events and webinars, the recommendations each city tracks and where they stand (scorecards), and "
        "testimony that the people who gave it allowed to be shown on the portal (only "
        "its public version, and names only as each person chose). Lists take `limit` (at most 100) and `offset`. "
        "Anyone may call it from any site (CORS); each client is rate-limited (429 with Retry-After)."
    ),
    urls_namespace="api-v1",
    openapi_url="/schema/",
    # The reference page is ours (api/views.py): ninja's loads Swagger UI from a CDN.
    docs_url=None,
)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError):
    # ninja answers 422 by default; a bad query parameter is a bad request, and says which and why.
    errors = [
        {"parameter": str(error.get("loc", ["?"])[-1]), "message": str(error.get("msg", ""))} for error in exc.errors
    ]
    detail = "; ".join(f"{e['parameter']}: {e['message']}" for e in errors) or "Invalid request."
    return api.create_response(request, {"detail": detail, "errors": errors}, status=400)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, {"detail": "Not found.", "errors": []}, status=404)


def cached(params: type[Schema] | None = None):
    """The portal's page cache around an operation: the declared query parameters make the key, and every
    committed change to data a public page reads (a withdrawn testimony) empties it (portal.cache)."""
    return decorate_view(public_page(query=tuple(params.model_fields) if params else ()))


LIST_ERRORS = {400: Error, 429: Error}
ITEM_ERRORS = {400: Error, 404: Error, 429: Error}


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many items to skip.")


def paginate(items, params: PageParams) -> dict:
    """One page of a queryset: a count and a slice, so the number of queries does not grow with the list."""
    return {
        "count": items.count(),
        "limit": params.limit,
        "offset": params.offset,
        "results": list(items[params.offset : params.offset + params.limit]),
    }


# A filter naming a theme, city or cycle that does not exist matches nothing (an empty page, as on the pages): the
# value is well-formed, and a client paging through a list it built earlier gets an answer, not an error.
NOTHING = object()


def _theme(slug: str | None):
    if not slug:
        return None
    return public_themes().filter(slug=slug).first() or NOTHING


def _city(slug: str | None):
    if not slug:
        return None
    try:
        return public_city(slug)
    except Http404:
        return NOTHING


def _affected(slug: str | None):
    if not slug:
        return None
    return public_affected_groups().filter(slug=slug).first() or NOTHING


def _sdg(number: int | None):
    if number is None:
        return None
    return public_sdgs().filter(number=number).first() or NOTHING


def _cycle(number: int | None):
    if number is None:
        return None
    return public_cycles().filter(number=number).first() or NOTHING


def _names_nothing(*found) -> bool:
    return any(value is NOTHING for value in found)


def empty_page(params: PageParams) -> dict:
    return {"count": 0, "limit": params.limit, "offset": params.offset, "results": []}


def _slugs(related) -> list[str]:
    # Reads the prefetched rows (the selectors prefetch them): no query per item.
    return [item.slug for item in related.all()]


# --- Converters: each field a public surface may show, named one by one -------------------------------------


def theme_out(theme) -> dict:
    return {"slug": theme.slug, "name": theme.name, "name_es": theme.name_es}


def cycle_out(cycle) -> dict:
    return {
        "number": cycle.number,
        "country": cycle.country,
        "working_group_session": cycle.working_group_session,
        "review_date": cycle.review_date,
        "report_symbol": cycle.report_symbol,
        "response_symbol": cycle.response_symbol,
        "outcome_adopted": cycle.outcome_adopted,
        "status": cycle.status,
        "recommendations_total": cycle.recommendations_total,
        "recommendations_supported": cycle.recommendations_supported,
        "recommendations_noted": cycle.recommendations_noted,
        "recommendations_in_portal": cycle.imported_recommendations,
        "note": cycle.note,
        "note_es": cycle.note_es,
    }


def milestone_out(milestone) -> dict:
    return {
        "cycle": milestone.cycle.number,
        "kind": milestone.kind,
        "title": milestone.title,
        "title_es": milestone.title_es,
        "date": milestone.date,
    }


def recommendation_out(recommendation) -> dict:
    return {
        "id": recommendation.pk,
        "cycle": recommendation.cycle.number,
        "document": recommendation.document,
        "paragraph": recommendation.paragraph,
        "text": recommendation.text,
        "recommending_states": recommendation.recommending_states,
        "response": recommendation.response,
        "themes": _slugs(recommendation.themes),
        "affected_persons": _slugs(recommendation.affected_groups),
        "sdgs": [goal.number for goal in recommendation.sdgs.all()],
        "source_themes": recommendation.source_themes,
        "cluster": recommendation.cluster_id,
        "city_statuses": [
            {
                "city": item.city.slug,
                "status": item.current_status or NOT_ASSESSED,
                "observed_on": item.current_observed_on,
            }
            # Prefetched by `with_city_statuses` (tracking.selectors.public_city_statuses): no query per item.
            for item in recommendation.public_city_statuses
        ],
        "url": recommendation.get_absolute_url(),
    }


def with_city_statuses(recommendations):
    """Recommendations with where each stands in the directory's cities, in one more query for the whole list."""
    return recommendations.prefetch_related(public_city_statuses())


def city_out(city) -> dict:
    # The public contact is left out: it may be a person's name or address, and open data holds none.
    return {
        "slug": city.slug,
        "name": city.name,
        "state": city.state,
        "status": city.status,
        "latitude": float(city.latitude) if city.latitude is not None else None,
        "longitude": float(city.longitude) if city.longitude is not None else None,
        "population": city.population,
        "human_rights_city_since": city.human_rights_city_since,
        "coalition_name": city.coalition_name,
        "description": city.description,
        "priorities": _slugs(city.priorities),
        "url": city.get_absolute_url(),
    }


def event_out(event) -> dict:
    return {
        "slug": event.slug,
        "kind": event.kind,
        "title": event.title,
        "description": event.description,
        "status": event.status,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.time_zone,
        "place": event.place,
        "online": bool(event.online_url),
        "host_city": event.host_city.slug if event.host_city else None,
        "themes": _slugs(event.themes),
        "speakers": [
            {
                "name": link.speaker.name,
                "title": link.speaker.title,
                "organisation": link.speaker.organisation,
                "role": link.role,
            }
            for link in event.eventspeaker_set.all()
        ],
        "capacity": event.capacity,
        "recording_url": event.recording_url,
        "materials_elsewhere_url": event.materials_elsewhere_url,
        "url": event.get_absolute_url(),
    }


def testimony_out(testimony) -> dict:
    """Only the public versions and the model's own rules for the name, the place and the date (DESIGN.md
    section 5); `testimony` comes from testimony.selectors.public_testimony()."""
    return {
        "id": testimony.pk,
        "url": reverse("testimony:detail", kwargs={"pk": testimony.pk}),
        "city": testimony.city.slug,
        "cycle": testimony.cycle.number if testimony.cycle else None,
        "kind": testimony.kind,
        "nature": testimony.nature,
        "language": testimony.language,
        "title": testimony.shown_title,
        "text": testimony.public_text,
        "transcript": testimony.public_transcript,
        "caption": testimony.public_media_caption,
        "place": testimony.public_place,
        "when": testimony.shown_when.iso,
        "name": testimony.shown_name or None,
        "themes": _slugs(testimony.themes),
    }


# --- Operations ---------------------------------------------------------------------------------------------


class ThemeFilters(PageParams):
    pass


@api.get("/themes/", response={200: Page[ThemeOut], **LIST_ERRORS}, tags=["UN review"], summary="Themes")
@cached(ThemeFilters)
def themes(request: HttpRequest, filters: Query[ThemeFilters]):
    """The portal's themes, which tag recommendations, cities' priorities, events and testimony."""
    page = paginate(public_themes(), filters)
    return {**page, "results": [theme_out(t) for t in page["results"]]}


class CycleFilters(PageParams):
    pass


@api.get("/cycles/", response={200: Page[CycleOut], **LIST_ERRORS}, tags=["UN review"], summary="Review cycles")
@cached(CycleFilters)
def cycles(request: HttpRequest, filters: Query[CycleFilters]):
    """The reviews of the United States, first to latest."""
    page = paginate(public_cycles(), filters)
    return {**page, "results": [cycle_out(c) for c in page["results"]]}


@api.get("/cycles/{number}/", response={200: CycleOut, **ITEM_ERRORS}, tags=["UN review"], summary="A review cycle")
@cached()
def cycle(request: HttpRequest, number: int):
    found = public_cycles().filter(number=number).first() if 0 < number < 10_000 else None
    if found is None:
        raise Http404
    return cycle_out(found)


class MilestoneFilters(PageParams):
    cycle: int | None = Field(None, ge=1, le=1000, description="A review cycle's number.")


@api.get("/milestones/", response={200: Page[MilestoneOut], **LIST_ERRORS}, tags=["UN review"], summary="Milestones")
@cached(MilestoneFilters)
def milestones(request: HttpRequest, filters: Query[MilestoneFilters]):
    """Public dates of the review calendar (deadlines, the review, the adoption), by date."""
    cycle = _cycle(filters.cycle)
    if _names_nothing(cycle):
        return empty_page(filters)
    page = paginate(public_milestones(cycle=cycle), filters)
    return {**page, "results": [milestone_out(m) for m in page["results"]]}


class RecommendationFilters(PageParams):
    cycle: int | None = Field(None, ge=1, le=1000, description="A review cycle's number.")
    theme: str | None = Field(None, max_length=50, pattern=NO_NUL, description="A theme's slug.")
    response: Literal[tuple(Response.values)] | None = Field(None, description="The US response.")  # type: ignore[valid-type]
    affected: str | None = Field(None, max_length=120, pattern=NO_NUL, description="An affected persons' slug.")
    sdg: int | None = Field(None, ge=1, le=17, description="A Sustainable Development Goal's number.")
    state: str | None = Field(
        None, max_length=100, pattern=NO_NUL, description='Part of a recommending state\'s name ("Cuba").'
    )
    q: str | None = Field(
        None, max_length=200, pattern=NO_NUL, description="Words in the text, a state, or a paragraph number."
    )
    cluster: int | None = Field(None, ge=1, le=2**31 - 1, description="A cluster of similar recommendations.")


@api.get(
    "/recommendations/",
    response={200: Page[RecommendationOut], **LIST_ERRORS},
    tags=["UN review"],
    summary="Recommendations",
)
@cached(RecommendationFilters)
def recommendations(request: HttpRequest, filters: Query[RecommendationFilters]):
    """The recommendations the United States received, latest review first, in paragraph order; filtered as on
    the recommendations page."""
    cycle, theme = _cycle(filters.cycle), _theme(filters.theme)
    affected, sdg = _affected(filters.affected), _sdg(filters.sdg)
    if _names_nothing(cycle, theme, affected, sdg):
        return empty_page(filters)
    items = filter_recommendations(
        q=(filters.q or "").strip(),
        cycle=cycle,
        theme=theme,
        affected=affected,
        sdg=sdg,
        response=filters.response or "",
        state=(filters.state or "").strip(),
    )
    if filters.cluster:
        items = items.filter(cluster_id=filters.cluster)
    page = paginate(with_city_statuses(items), filters)
    return {**page, "results": [recommendation_out(r) for r in page["results"]]}


@api.get(
    "/recommendations/{recommendation_id}/",
    response={200: RecommendationOut, **ITEM_ERRORS},
    tags=["UN review"],
    summary="A recommendation",
)
@cached()
def recommendation(request: HttpRequest, recommendation_id: int):
    recommendations = with_city_statuses(filter_recommendations())
    found = recommendations.filter(pk=recommendation_id).first() if 0 < recommendation_id < 2**31 else None
    if found is None:
        raise Http404
    return recommendation_out(found)


def scorecard_item_out(item) -> dict:
    """`item` from tracking.selectors.public_scorecard_items (a city of the directory): the recommendation, who
    must act and where it stands; never its evidence, quoted testimony or the offices' answers."""
    official = item.recommendation
    cycle = official.cycle if official is not None else item.local_recommendation.report.cycle
    return {
        "id": item.pk,
        "city": item.city.slug,
        "recommendation": official.pk if official is not None else None,
        "cycle": cycle.number,
        "paragraph": official.paragraph if official is not None else "",
        "text": item.text,
        "local": official is None,
        "level": item.level,
        "office": item.office.name if item.office else "",
        "status": item.current_status or NOT_ASSESSED,
        "observed_on": item.current_observed_on,
        "updates": item.update_count,
        "themes": [theme.slug for theme in item_themes(item)],
        "url": reverse("tracking:scorecard", kwargs={"slug": item.city.slug}) + f"#item-{item.pk}",
    }


class ScorecardFilters(PageParams):
    city: str | None = Field(None, max_length=60, pattern=NO_NUL, description="A city's slug.")
    theme: str | None = Field(None, max_length=50, pattern=NO_NUL, description="A theme's slug.")
    status: Literal[(*TrackingStatus.values, NOT_ASSESSED)] | None = Field(  # type: ignore[valid-type]
        None, description="Where it stands now (not_assessed: no assessment yet)."
    )
    level: Literal[tuple(Level.values)] | None = Field(None, description="The level of government that must act.")  # type: ignore[valid-type]
    cycle: int | None = Field(None, ge=1, le=1000, description="A review cycle's number.")


@api.get(
    "/scorecard/",
    response={200: Page[ScorecardItemOut], **LIST_ERRORS},
    tags=["Cities"],
    summary="Scorecard items",
)
@cached(ScorecardFilters)
def scorecard(request: HttpRequest, filters: Query[ScorecardFilters]):
    """The recommendations each city of the directory tracks and where its organizers say each stands, by city and
    in the scorecard's order; filtered as on the scorecard pages. The history of each is on the city's scorecard."""
    city, theme, cycle = _city(filters.city), _theme(filters.theme), _cycle(filters.cycle)
    if _names_nothing(city, theme, cycle):
        return empty_page(filters)
    items = public_scorecard_items(
        city=city, theme=theme, status=filters.status or "", level=filters.level or "", cycle=cycle
    )
    page = paginate(items, filters)
    return {**page, "results": [scorecard_item_out(item) for item in page["results"]]}


class CityFilters(PageParams):
    q: str | None = Field(
        None, max_length=200, pattern=NO_NUL, description="Part of the name or coalition, or a state code."
    )
    state: str | None = Field(None, max_length=2, pattern=NO_NUL, description="A two-letter postal code.")
    status: Literal[tuple(CityStatus.values)] | None = None  # type: ignore[valid-type]
    theme: str | None = Field(None, max_length=50, pattern=NO_NUL, description="A local priority's theme slug.")


@api.get("/cities/", response={200: Page[CityOut], **LIST_ERRORS}, tags=["Cities"], summary="Cities")
@cached(CityFilters)
def cities(request: HttpRequest, filters: Query[CityFilters]):
    """The cities in the directory (taking part, or having submitted their local report), by name; filtered as on
    the directory."""
    theme = _theme(filters.theme)
    if _names_nothing(theme):
        return empty_page(filters)
    items = directory_cities(
        q=(filters.q or "").strip(),
        state=(filters.state or "").upper(),
        status=filters.status or "",
        theme=theme,
    )
    page = paginate(items, filters)
    return {**page, "results": [city_out(c) for c in page["results"]]}


@api.get("/cities/{slug}/", response={200: CityOut, **ITEM_ERRORS}, tags=["Cities"], summary="A city")
@cached()
def city(request: HttpRequest, slug: str):
    return city_out(public_city(slug))


def _iso_day(value):
    """A day as the schema says (`format: date`, YYYY-MM-DD): pydantic alone also reads "0.0" or "1700000000" as a
    Unix timestamp, which the schema forbids and nobody means."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Give the date as YYYY-MM-DD.")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_day)]


class EventFilters(PageParams):
    kind: Literal[tuple(EventKind.values)] | None = None  # type: ignore[valid-type]
    status: Literal[tuple(EventStatus.values)] | None = None  # type: ignore[valid-type]
    theme: str | None = Field(None, max_length=50, pattern=NO_NUL, description="A theme's slug.")
    city: str | None = Field(None, max_length=60, pattern=NO_NUL, description="The host city's slug.")
    mode: Literal["online", "in_person"] | None = Field(None, description="Events one can join online, or attend.")
    starts_after: IsoDate | None = Field(None, description="Events starting on or after this date.")
    starts_before: IsoDate | None = Field(None, description="Events starting before this date.")


def _day_start(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@api.get("/events/", response={200: Page[EventOut], **LIST_ERRORS}, tags=["Events"], summary="Events")
@cached(EventFilters)
def events(request: HttpRequest, filters: Query[EventFilters]):
    """Every event (webinars, conversations, hearings, lobby days...), by start; cancelled ones say so."""
    theme, city = _theme(filters.theme), _city(filters.city)
    if _names_nothing(theme, city):
        return empty_page(filters)
    items = public_events(
        kind=filters.kind or "",
        status=filters.status or "",
        mode=filters.mode or "",
        theme=theme,
        city=city,
        starts_after=_day_start(filters.starts_after),
        starts_before=_day_start(filters.starts_before),
    )
    page = paginate(items, filters)
    return {**page, "results": [event_out(e) for e in page["results"]]}


@api.get("/events/{slug}/", response={200: EventOut, **ITEM_ERRORS}, tags=["Events"], summary="An event")
@cached()
def event(request: HttpRequest, slug: str):
    found = public_events().filter(slug=slug).first()
    if found is None:
        raise Http404
    return event_out(found)


def resource_out(resource) -> dict:
    return {
        "slug": resource.slug,
        "title": resource.title,
        "title_es": resource.title_es,
        "kind": resource.kind,
        "un_symbol": resource.un_symbol,
        "un_document_url": resource.un_document_url,
        "cycle": resource.cycle.number if resource.cycle else None,
        "themes": _slugs(resource.themes),
        "languages": resource.language_codes,
        "date": resource.date,
        "description": resource.description,
        "description_es": resource.description_es,
        "link": resource.link,
        "file_url": reverse("resources:file", args=[resource.slug]) if resource.file else "",
        "url": reverse("resources:detail", args=[resource.slug]),
    }


class ResourceFilters(PageParams):
    kind: Literal[tuple(ResourceKind.values)] | None = None  # type: ignore[valid-type]
    theme: str | None = Field(None, max_length=50, pattern=NO_NUL, description="A theme's slug.")
    cycle: int | None = Field(None, ge=1, le=1000, description="A review cycle's number.")
    language: Literal[tuple(Language.values)] | None = Field(None, description="A language the document is in.")  # type: ignore[valid-type]


@api.get("/resources/", response={200: Page[ResourceOut], **LIST_ERRORS}, tags=["Resources"], summary="Resources")
@cached(ResourceFilters)
def resources(request: HttpRequest, filters: Query[ResourceFilters]):
    """The resources library (UN documents, stakeholder reports, templates, guides, slides, recordings, data), latest
    first; filtered as on the library's page. Only what the national team published."""
    cycle, theme = _cycle(filters.cycle), _theme(filters.theme)
    if _names_nothing(cycle, theme):
        return empty_page(filters)
    items = filter_public_resources(kind=filters.kind or "", theme=theme, cycle=cycle, language=filters.language or "")
    page = paginate(items, filters)
    return {**page, "results": [resource_out(r) for r in page["results"]]}


@api.get("/resources/{slug}/", response={200: ResourceOut, **ITEM_ERRORS}, tags=["Resources"], summary="A resource")
@cached()
def resource(request: HttpRequest, slug: str):
    found = public_resources().filter(slug=slug).first()
    if found is None:
        raise Http404
    return resource_out(found)


class IndicatorValueFilters(PageParams):
    city: str | None = Field(None, max_length=120, pattern=NO_NUL, description="A city's slug.")
    indicator: str | None = Field(None, max_length=120, pattern=NO_NUL, description="An indicator's slug.")
    year: int | None = Field(None, ge=1900, le=2100, description="The year the figure describes.")


def indicator_value_out(item: dict) -> dict:
    value = item["value"]
    return {
        **{key: "" if item[key] is None else item[key] for key in item if key not in ("value", "year")},
        "year": item["year"],
        "value": float(value) if value is not None else None,
    }


@api.get(
    "/indicator-values/",
    response={200: Page[IndicatorValueOut], **LIST_ERRORS},
    tags=["Cities"],
    summary="Indicator values",
)
@cached(IndicatorValueFilters)
def indicator_values(request: HttpRequest, filters: Query[IndicatorValueFilters]):
    """The figures of the cities' human rights profiles in force, by city, indicator and year, with the source and
    licence of each (the SDSN 2019 figures describe metropolitan areas; see `area_described`)."""
    city = _city(filters.city)
    if _names_nothing(city):
        return empty_page(filters)
    items = csv_values([city] if city is not None else None)
    if filters.indicator:
        items = items.filter(indicator__slug=filters.indicator)
    if filters.year:
        items = items.filter(year=filters.year)
    page = paginate(items, filters)
    return {**page, "results": [indicator_value_out(v) for v in value_items(page["results"])]}


class WebinarFilters(PageParams):
    theme: str | None = Field(None, max_length=50, pattern=NO_NUL, description="A theme's slug.")
    year: int | None = Field(None, ge=1900, le=2200)
    speaker: str | None = Field(None, max_length=100, pattern=NO_NUL, description="A speaker's id, or part of a name.")


@api.get("/webinars/", response={200: Page[EventOut], **LIST_ERRORS}, tags=["Events"], summary="Webinar archive")
@cached(WebinarFilters)
def webinars(request: HttpRequest, filters: Query[WebinarFilters]):
    """Past webinars with their recordings, newest first; filtered as on the webinar archive."""
    theme = _theme(filters.theme)
    if _names_nothing(theme):
        return empty_page(filters)
    items = webinar_archive(theme=theme, year=filters.year, speaker=filters.speaker or "")
    page = paginate(items, filters)
    return {**page, "results": [event_out(e) for e in page["results"]]}


class TestimonyFilters(PageParams):
    city: str | None = Field(None, max_length=60, pattern=NO_NUL, description="A city's slug.")
    theme: str | None = Field(None, max_length=50, pattern=NO_NUL, description="A theme's slug.")
    nature: Literal[tuple(Nature.values)] | None = None  # type: ignore[valid-type]
    kind: Literal[tuple(Kind.values)] | None = None  # type: ignore[valid-type]
    language: str | None = Field(None, max_length=8, pattern=NO_NUL, description="A language code (en, es).")


@api.get("/testimony/", response={200: Page[TestimonyOut], **LIST_ERRORS}, tags=["Testimony"], summary="Testimony")
@cached(TestimonyFilters)
def testimony_list(request: HttpRequest, filters: Query[TestimonyFilters]):
    """Testimony shown on the portal with the consent of the people who gave it: only the public version that
    organizers wrote, and the name only as each person chose (null when anonymous). Newest first."""
    city, theme = _city(filters.city), _theme(filters.theme)
    if _names_nothing(city, theme):
        return empty_page(filters)
    items = filter_public_testimony(
        city=city,
        theme=theme,
        nature=filters.nature or "",
        language=filters.language or "",
    ).select_related("cycle")
    if filters.kind:
        items = items.filter(kind=filters.kind)
    page = paginate(items, filters)
    return {**page, "results": [testimony_out(t) for t in page["results"]]}


@api.get(
    "/testimony/{testimony_id}/",
    response={200: TestimonyOut, **ITEM_ERRORS},
    tags=["Testimony"],
    summary="A testimony",
)
@cached()
def testimony(request: HttpRequest, testimony_id: int):
    found = (
        public_testimony().select_related("cycle").filter(pk=testimony_id).first() if 0 < testimony_id < 2**31 else None
    )
    if found is None:
        raise Http404
    return testimony_out(found)
