"""What the API answers, as typed schemas: django-ninja turns them into the OpenAPI document and checks every
answer against them. Each schema reads only attributes the owning app's public selector and model rules provide
(for testimony: the public versions, `shown_title`, `shown_name`, `shown_when`, `public_place`)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class Error(Schema):
    detail: str = Field(description="What was wrong, in words.")
    errors: list[dict] = Field(default_factory=list, description="Each bad parameter, where there were several.")


class Page[T](Schema):
    count: int = Field(description="How many items match, on every page together.")
    limit: int
    offset: int
    results: list[T]


class ThemeOut(Schema):
    slug: str
    name: str = Field(description="In English.")
    name_es: str = Field(description="In Spanish.")


class CycleOut(Schema):
    number: int = Field(description="The review cycle (1 for 2010, 2 for 2015, 3 for 2020, 4 for the fourth).")
    country: str
    working_group_session: int | None
    review_date: dt.date | None
    report_symbol: str = Field(description="The Working Group report's UN symbol, e.g. A/HRC/46/15.")
    response_symbol: str
    outcome_adopted: dt.date | None
    status: str
    recommendations_total: int | None = Field(description="Recommendations the State received, by the UN's count.")
    recommendations_supported: int | None
    recommendations_noted: int | None
    recommendations_in_portal: int = Field(description="How many of them the portal holds with their text.")
    note: str
    note_es: str


class MilestoneOut(Schema):
    cycle: int
    kind: str
    title: str
    title_es: str
    date: dt.date


class CityStatusOut(Schema):
    city: str = Field(description="The slug of a city in the directory tracking the recommendation.")
    status: str = Field(
        description="Where the city's organizers say it stands: not_started, in_progress, partly_implemented, "
        "implemented, regressed, or not_assessed (no assessment yet)."
    )
    observed_on: dt.date | None = Field(description="The date of that assessment; null when not assessed.")


class RecommendationOut(Schema):
    id: int
    cycle: int
    document: str = Field(description="The UN document numbering it.")
    paragraph: str = Field(description='Its paragraph number in that document, e.g. "26.112".')
    text: str
    recommending_states: str
    response: str = Field(description="supported, supported in part, noted or pending.")
    themes: list[str] = Field(description="Portal theme slugs (see /api/v1/themes/).")
    affected_persons: list[str] = Field(description="Slugs of the groups of persons it concerns (UN Index).")
    sdgs: list[int] = Field(description="Numbers of the Sustainable Development Goals it serves (1 to 17).")
    source_themes: str = Field(description="The source file's own theme labels.")
    cluster: int | None = Field(
        description="The cluster of similar recommendations it belongs to (the same ask from other states and "
        "reviews; filter with ?cluster=), or null."
    )
    city_statuses: list[CityStatusOut] = Field(
        description="Where it stands in each city of the directory that tracks it (see /api/v1/scorecard/), by city."
    )
    url: str = Field(description="Its page on the portal.")


class CityOut(Schema):
    slug: str
    name: str
    state: str = Field(description="Two-letter postal code.")
    status: str
    latitude: float | None
    longitude: float | None
    population: int | None
    human_rights_city_since: int | None
    coalition_name: str
    description: str
    priorities: list[str] = Field(description="Theme slugs of the city's local priorities.")
    url: str


class SpeakerOut(Schema):
    name: str
    title: str
    organisation: str
    role: str


class ResourceOut(Schema):
    slug: str
    title: str
    title_es: str
    kind: str = Field(description="un_document, stakeholder_report, template, guide, slides, recording or data.")
    un_symbol: str = Field(description='The UN document symbol, e.g. "A/HRC/46/15", or empty.')
    un_document_url: str = Field(description="The UN's document resolver for the symbol, or empty.")
    cycle: int | None = Field(description="The review cycle it belongs to, or null.")
    themes: list[str]
    languages: list[str] = Field(description="Language codes of the document (en, es, fr, ar, zh, ru).")
    date: dt.date | None
    description: str
    description_es: str
    link: str = Field(description="Where the document is published, or empty.")
    file_url: str = Field(description="The portal's copy of the file, or empty.")
    url: str = Field(description="Its page on the portal.")


class IndicatorValueOut(Schema):
    """One figure of a city's human rights profile in force (the columns of indicator-values.csv)."""

    city: str
    state: str
    city_slug: str
    indicator: str = Field(description="The indicator's name in English.")
    indicator_slug: str
    kind: str = Field(description="outcome (a figure) or structural (a yes or no fact).")
    unit: str
    better: str = Field(description="higher or lower: which way is better; empty where neither.")
    sdg_target: str
    year: int = Field(description="The year the figure describes (the last year of its period).")
    period: str
    value: float | None = Field(description="The figure; null for a structural fact.")
    fact: str = Field(description="yes or no, for a structural fact; empty for a figure.")
    fact_date: str
    area_described: str = Field(description="city, or metro (the metropolitan area named in metro_area).")
    metro_area: str
    source: str
    source_link: str
    data_source: str
    note: str
    licence: str = Field(description="CC BY 4.0 for the SDSN figures; empty where the source's own terms apply.")
    attribution: str


class EventOut(Schema):
    slug: str
    kind: str
    title: str
    description: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    place: str
    online: bool = Field(description="Whether it can be joined online (the link goes to registrants only).")
    host_city: str | None = Field(description="The host city's slug; null for national events.")
    themes: list[str]
    speakers: list[SpeakerOut]
    capacity: int | None
    recording_url: str
    materials_elsewhere_url: str
    url: str


class TestimonyOut(Schema):
    id: int
    url: str
    city: str = Field(description="The city's slug.")
    cycle: int | None
    kind: str
    nature: str = Field(description="challenge or positive.")
    language: str
    title: str = Field(description="The public title the organizers set, or the public text's first words.")
    text: str = Field(description="The public version organizers wrote after reading the original.")
    transcript: str = Field(description="The public version of the transcript.")
    caption: str = Field(description="The public version of the caption of a file or link.")
    place: str = Field(description="Empty where the person asked for less precision.")
    when: str = Field(description="A date (YYYY-MM-DD), or only a year where the person asked for less precision.")
    name: str | None = Field(description="The name as the person chose to be identified; null when anonymous.")
    themes: list[str]


class ScorecardItemOut(Schema):
    """One recommendation a city of the directory tracks, and where it stands (a row of scorecard.csv)."""

    id: int = Field(description="The tracked item's identifier (its anchor on the city's scorecard: #item-<id>).")
    city: str = Field(description="The city's slug.")
    recommendation: int | None = Field(
        description="The official recommendation's id (see /api/v1/recommendations/); null for the city's own."
    )
    cycle: int = Field(description="The review cycle of the recommendation, or of the city's local report.")
    paragraph: str = Field(description='The paragraph number of an official recommendation ("26.112"), or empty.')
    text: str = Field(description="The recommendation's text (the UN's, or the city's own).")
    local: bool = Field(description="Whether it is the city's own recommendation, from its accepted local report.")
    level: str = Field(description="The level of government that must act: city, county, state or federal.")
    office: str = Field(description="The office responsible, or empty.")
    status: str = Field(
        description="not_started, in_progress, partly_implemented, implemented, regressed, or not_assessed."
    )
    observed_on: dt.date | None = Field(description="The date of the latest assessment; null when not assessed.")
    updates: int = Field(description="How many assessments its history holds.")
    themes: list[str] = Field(description="Portal theme slugs.")
    url: str = Field(description="The item on the city's scorecard.")
