"""The search: plural forms, websearch syntax, paragraphs and states, weights, facets, filters, pages, the index
kept in step with each app's public selector, a constant number of queries, and the simpler search on SQLite."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.enums import EventKind, EventStatus
from resources.enums import ResourceStatus
from search.enums import DocumentKind
from search.models import SearchDocument
from search.normalise import normalise
from search.selectors import PAGE_SIZE, Filters, search
from search.services import rebuild
from tests.events import make_event
from tests.resources import make_resource
from tests.search import POSTGRESQL  # noqa: E402
from upr.models import Recommendation, ReviewCycle, Theme

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL full-text search (the simpler search has its own test)"),
]


@pytest.fixture
def cycle(db):
    return ReviewCycle.objects.create(number=3, report_symbol="A/HRC/46/15")


@pytest.fixture
def themes(db):
    return {
        "housing": Theme.objects.create(slug="housing", name="Housing and homelessness", name_es="Vivienda"),
        "women": Theme.objects.create(slug="women", name="Women's rights", name_es="Derechos de las mujeres"),
    }


def rec(cycle, paragraph: str, text: str, states: str = "Sweden", themes=()) -> Recommendation:
    recommendation = Recommendation.objects.create(
        cycle=cycle, document="A/HRC/46/15", paragraph=paragraph, text=text, recommending_states=states
    )
    if themes:
        recommendation.themes.set(themes)
    return recommendation


def paragraphs(query: str, **filters) -> list[str]:
    results = search(query, Filters(**filters))
    return [hit.title.split(" · ")[0] for hit in results.page.object_list if hit.kind == DocumentKind.RECOMMENDATION]


# --- language -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [("woman", "women"), ("women", "woman"), ("child", "children"), ("children", "child"), ("men", "man")],
)
def test_english_singular_and_plural_find_each_other(cycle, typed, written):
    rec(cycle, "26.1", f"Protect every {written} from violence.")
    rec(cycle, "26.2", "Ratify the treaty.")
    assert paragraphs(typed) == ["26.1"]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("vivienda", "viviendas"),
        ("viviendas", "vivienda"),
        ("mujer", "mujeres"),
        ("mujeres", "mujer"),
        ("ciudad", "ciudades"),
        ("jóvenes", "joven"),
        ("niños", "niño"),
        ("naciones", "nación"),
    ],
)
def test_spanish_singular_and_plural_find_each_other_in_spanish_content(typed, written):
    make_resource(title="Guía", description=f"Sobre la {written} en Pittsburgh.")
    SearchDocument.objects.filter(kind=DocumentKind.RESOURCE).update(language="es")
    assert search(typed).total == 1


def test_accents_do_not_matter(cycle):
    rec(cycle, "26.1", "Consult the Indigenous peoples of Hawai‘i and the Navajo Nation on the pipeline's route.")
    make_resource(title="Discriminación racial", description="Informe.")
    SearchDocument.objects.filter(kind=DocumentKind.RESOURCE).update(language="es")
    assert search("discriminacion").total == 1
    assert search("Discriminación").total == 1


def test_a_spanish_search_finds_english_texts_through_their_themes(cycle, themes):
    rec(cycle, "26.286", "Guarantee the right to adequate housing.", themes=[themes["housing"]])
    rec(cycle, "26.3", "Ratify the treaty.")
    assert paragraphs("vivienda") == ["26.286"]
    assert paragraphs("viviendas") == ["26.286"]


@pytest.mark.parametrize(
    ("typed", "paragraph"), [("racismo", "26.1"), ("niños", "26.2"), ('"pena de muerte" -Cuba', "26.3")]
)
def test_spanish_words_find_english_texts_through_the_glossary(cycle, typed, paragraph):
    rec(cycle, "26.1", "Combat structural racism.")
    rec(cycle, "26.2", "Protect children from violence.")
    rec(cycle, "26.3", "Abolish the death penalty.", states="Sweden")
    rec(cycle, "26.4", "Establish a moratorium on the death penalty.", states="Cuba")
    assert paragraphs(typed) == [paragraph]


def test_english_words_find_spanish_texts_through_the_glossary():
    make_resource(title="Guía", description="Sobre la vivienda en Pittsburgh.")
    SearchDocument.objects.filter(kind=DocumentKind.RESOURCE).update(language="es")
    assert search("housing").total == 1


def test_the_python_and_database_folding_agree():
    words = "Women men children woman mujeres jóvenes ciudades naciones leyes lines houses menores país"
    with connection.cursor() as cursor:
        for language in ("en", "es"):
            cursor.execute("SELECT upr_normalise(%s, %s)", [language, words])
            assert cursor.fetchone()[0] == normalise(language, words)


# --- syntax, paragraphs, states, weights ----------------------------------------------------------------------


def test_paragraph_number_finds_its_recommendation_only(cycle):
    rec(cycle, "26.112", "Review policing policies.")
    rec(cycle, "26.11", "Review sentencing.")
    rec(cycle, "26.1", "Abolish the death penalty.")
    assert paragraphs("26.112") == ["26.112"]


def test_recommending_state_finds_its_recommendations(cycle):
    rec(cycle, "26.1", "Lift the embargo.", states="Cuba")
    rec(cycle, "26.2", "Close the prison.", states="Bolivarian Republic of Venezuela; Cuba")
    rec(cycle, "26.3", "Ratify the treaty.", states="Sweden")
    assert sorted(paragraphs("Cuba")) == ["26.1", "26.2"]


def test_websearch_syntax_phrases_or_and_minus(cycle):
    rec(cycle, "26.1", "Abolish the death penalty.", states="Sweden")
    rec(cycle, "26.2", "Establish a moratorium on the death penalty.", states="Cuba")
    rec(cycle, "26.3", "The penalty of death for minors must end.", states="Chile")
    rec(cycle, "26.4", "Ratify the Convention on the Rights of the Child.", states="Chile")
    assert sorted(paragraphs('"death penalty"')) == ["26.1", "26.2"]
    assert sorted(paragraphs('"death penalty" -Cuba')) == ["26.1"]
    assert sorted(paragraphs("moratorium or convention")) == ["26.2", "26.4"]
    assert sorted(paragraphs("death penalty")) == ["26.1", "26.2", "26.3"]


def test_a_title_match_ranks_above_a_body_match(cycle, themes):
    make_resource(title="A guide", description="Writing about housing for the UN.")
    make_resource(title="Housing", description="A guide for the UN.")
    results = search("housing", Filters(kind=DocumentKind.RESOURCE))
    assert [hit.title for hit in results.page.object_list] == ["Housing", "A guide"]


def test_snippets_mark_the_words_found_and_escape_the_text(cycle):
    rec(cycle, "26.1", "Protect <b>women</b> & girls from violence in every state of the union.")
    snippet = str(search("woman").page.object_list[0].snippet)
    assert "<mark>women</mark>" in snippet
    # ts_headline drops what its parser reads as tags; what is left is escaped.
    assert "&amp; girls" in snippet
    assert "<b>" not in snippet


# --- facets, filters, pages -----------------------------------------------------------------------------------


def test_facets_count_each_kind_theme_cycle_and_language(cycle, themes, city_factory):
    rec(cycle, "26.1", "Housing first.", themes=[themes["housing"]])
    rec(cycle, "26.2", "Housing for all.", themes=[themes["housing"], themes["women"]])
    make_resource(title="Housing guide", themes=[themes["housing"]])
    results = search("housing")
    facets = {facet.name: {option.value: option.count for option in facet.options} for facet in results.facets}
    assert facets["kind"] == {"recommendation": 2, "resource": 1}
    assert facets["theme"] == {"housing": 3, "women": 1}
    assert facets["cycle"] == {str(cycle.pk): 2}
    assert facets["language"] == {"en": 3}
    assert results.total == 3


def test_filters_narrow_the_results_and_the_facets(cycle, themes):
    rec(cycle, "26.1", "Housing first.", themes=[themes["housing"]])
    rec(cycle, "26.2", "Housing for all women.", themes=[themes["women"]])
    make_resource(title="Housing guide", themes=[themes["women"]])
    results = search("housing", Filters(theme=themes["women"], kind=DocumentKind.RECOMMENDATION))
    assert [hit.title for hit in results.page.object_list] == ["26.2 · A/HRC/46/15"]
    kind = next(facet for facet in results.facets if facet.name == "kind")
    assert [(o.value, o.count, o.selected) for o in kind.options] == [("recommendation", 1, True)]


def test_pages_of_results(cycle):
    for n in range(1, PAGE_SIZE + 6):
        rec(cycle, f"26.{n}", "Protect the right to housing.")
    first, second = search("housing", page_number=1), search("housing", page_number=2)
    assert first.total == PAGE_SIZE + 5 and len(first.page.object_list) == PAGE_SIZE
    assert len(second.page.object_list) == 5
    assert not {h.object_id for h in first.page.object_list} & {h.object_id for h in second.page.object_list}
    # Past the last page: the last page.
    assert search("housing", page_number=99).page.number == 2


def _mixed_documents(cycle, themes, start: int, count: int):
    for n in range(start, start + count):
        rec(cycle, f"26.{n}", "Protect the right to housing.", themes=[themes["housing"]])


def test_a_search_runs_the_same_queries_for_3_and_60_matches(client, cycle, themes):
    from tests.testimony.factories import make_testimony

    make_testimony(body="Housing inspectors never came.", themes=[themes["housing"]])
    _mixed_documents(cycle, themes, 1, 2)
    with CaptureQueriesContext(connection) as few:
        response = client.get("/search/?q=housing&theme=housing")
    assert response.context["results"].total == 3
    _mixed_documents(cycle, themes, 3, 57)
    make_testimony(body="Housing court moved too fast.", themes=[themes["housing"]])
    with CaptureQueriesContext(connection) as many:
        response = client.get("/search/?q=housing&theme=housing")
    assert response.context["results"].total == 61
    assert len(few) == len(many)
    # The theme filter's lookup, the filter form's three lists (themes, reviews, cities), the search (results page
    # and facets in one query) and testimony's public re-check.
    assert len(many) == 6


# --- keeping the index in step --------------------------------------------------------------------------------


def test_only_published_resources_are_indexed_and_publishing_indexes_at_once(themes):
    from resources import services

    waiting = make_resource(title="Toolkit for local reports", status=ResourceStatus.SUGGESTED)
    assert search("toolkit").total == 0
    services.publish([waiting])
    assert search("toolkit").total == 1


def test_changes_and_deletions_follow_at_once(cycle, themes):
    recommendation = rec(cycle, "26.1", "Ratify the treaty.")
    assert search("treaty").total == 1
    recommendation.themes.add(themes["housing"])
    assert search("vivienda").total == 1
    recommendation.text = "Close the prison."
    recommendation.save()
    assert search("treaty").total == 0 and search("prison").total == 1
    recommendation.delete()
    assert search("prison").total == 0


def test_events_leave_the_index_when_cancelled_and_speakers_find_them():
    from events.models import Speaker

    event = make_event(title="Housing webinar", kind=EventKind.WEBINAR)
    event.eventspeaker_set.create(speaker=Speaker.objects.create(name="Julieta Perucca"), position=0)
    assert search("Perucca").total == 1
    event.status = EventStatus.CANCELLED
    event.save()
    assert search("Perucca").total == 0


def test_past_meetings_and_lobby_days_are_found_with_their_own_page():
    """Not only upcoming events and archived webinars: a community conversation held last year keeps its page, and
    its description is what a researcher searches for."""
    import datetime as dt

    from django.utils import timezone

    held = make_event(
        title="Conversation on water shutoffs",
        description="Residents of Detroit spoke about water shutoffs.",
        starts_at=timezone.now() - dt.timedelta(days=200),
        status=EventStatus.HELD,
    )
    lobby = make_event(
        title="Lobby day in Washington", kind=EventKind.LOBBY_DAY, starts_at=timezone.now() - dt.timedelta(days=30)
    )
    assert [hit.url for hit in search("shutoffs").page.object_list] == [f"/events/{held.slug}/"]
    assert [hit.url for hit in search("lobby day").page.object_list] == [f"/events/{lobby.slug}/"]
    assert rebuild()["event"] == 2


def test_rebuild_matches_what_signals_keep(cycle, themes):
    rec(cycle, "26.1", "Housing first.", themes=[themes["housing"]])
    make_resource(title="Housing guide")
    before = sorted(SearchDocument.objects.values_list("kind", "object_id", "title", "keywords"))
    assert rebuild()["recommendation"] == 1
    assert sorted(SearchDocument.objects.values_list("kind", "object_id", "title", "keywords")) == before
