"""Relevance over the real demo data (the UN's recommendations of 2010 and 2020, the real cities, the seed page's
webinars and resources): fixed queries in English and Spanish and the results that must come first.

The data is loaded once for the module (load_demo's loaders, then the index is rebuilt), inside a transaction
rolled back at the end.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction

from search.models import SearchDocument
from search.selectors import Hit, search
from tests.search import POSTGRESQL  # noqa: E402

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL full-text search (the simpler search has its own test)"),
]


@pytest.fixture(scope="module", autouse=True)
def demo_index(django_db_setup, django_db_blocker):
    from cities.loaders import load_cities
    from events.demo import load_webinars
    from resources.demo import load_resources
    from search.services import rebuild
    from upr.loaders import load_review_data

    with django_db_blocker.unblock(), transaction.atomic():
        load_review_data()
        load_cities()
        load_webinars()
        load_resources()
        rebuild()
        yield
        transaction.set_rollback(True)


def top(query: str, n: int = 5) -> list[Hit]:
    return list(search(query).page.object_list[:n])


def paragraph(hit: Hit) -> str:
    return hit.title.split(" · ")[0] if hit.kind == "recommendation" else ""


def themes_of(hit: Hit) -> set[str]:
    return set(SearchDocument.objects.get(kind=hit.kind, object_id=hit.object_id).themes.values_list("slug", flat=True))


def row(hit: Hit) -> SearchDocument:
    return SearchDocument.objects.get(kind=hit.kind, object_id=hit.object_id)


def first_is(url_part: str) -> Callable[[str], bool]:
    return lambda query: url_part in top(query, 1)[0].url


def first_paragraph(number: str) -> Callable[[str], bool]:
    return lambda query: paragraph(top(query, 1)[0]) == number


def top_five_themed(slug: str) -> Callable[[str], bool]:
    return lambda query: len(top(query)) == 5 and all(slug in themes_of(hit) for hit in top(query))


def top_five_by(state: str) -> Callable[[str], bool]:
    return lambda query: all(state in row(hit).keywords for hit in top(query))


def first_says(words: str) -> Callable[[str], bool]:
    return lambda query: words.lower() in row(top(query, 1)[0]).body.lower()


def same_as(other: str) -> Callable[[str], bool]:
    return lambda query: [h.url for h in top(query, 20)] == [h.url for h in top(other, 20)] and top(query)


def death_penalty_without_cuba(query: str) -> bool:
    hits = top(query, 20)
    return bool(hits) and all("death penalty" in row(h).body.lower() and "Cuba" not in row(h).keywords for h in hits)


CASES = [
    # English: paragraph numbers, states, symbols, people, titles, phrases, plurals.
    ("26.112", first_paragraph("26.112")),
    ("92.75", first_paragraph("92.75")),
    ("26.91", first_paragraph("26.91")),
    ("Cuba", top_five_by("Cuba")),
    ("Venezuela", top_five_by("Venezuela")),
    ("A/HRC/30/12", first_is("/resources/a-hrc-30-12/")),
    ("A/HRC/46/15/Add.1", first_is("/resources/a-hrc-46-15-add-1/")),
    ("local government human rights", first_is("/resources/local-government-and-human-rights-high-commissioner")),
    ("corporate influence", first_is("/resources/us-human-rights-cities-upr-stakeholder-submission-2019/")),
    ("structural racism", first_is("/webinars/building-a-human-rights-cities-movement-against-structural-racism/")),
    ("Julieta Perucca", first_is("/webinars/local-and-global-strategies-for-advancing-the-human-right-to-housing/")),
    ("Dominique Day", first_is("/webinars/building-a-human-rights-cities-movement-against-structural-racism/")),
    ("housing webinar", first_is("/webinars/local-and-global-strategies-for-advancing-the-human-right-to-housing/")),
    ("Birmingham", first_is("/cities/birmingham-al/")),
    ("notes on compiling", first_is("/resources/notes-on-compiling-your-upr-reports/")),
    ("briefing slides", first_is("/resources/us-civil-society-virtual-briefing-2020-slides/")),
    ("2015 stakeholder report", first_is("/resources/ushrn-upr-stakeholder-report-2015/")),
    ('"death penalty" -Cuba', death_penalty_without_cuba),
    ("Paris Principles", first_says("Paris Principles")),
    ("Rome Statute", first_says("Rome Statute")),
    ("Guantanamo", first_says("Guantanamo")),
    ("right to adequate housing", top_five_themed("housing")),
    ("woman", same_as("women")),
    ("children", same_as("child")),
    # Spanish: theme names, plurals, accents, the Spanish titles and descriptions of resources.
    ("vivienda", top_five_themed("housing")),
    ("viviendas", same_as("vivienda")),
    ("mujeres", top_five_themed("women")),
    ("mujer", top_five_themed("women")),
    ("pena de muerte", top_five_themed("death-penalty")),
    ("tortura", top_five_themed("torture-security")),
    ("migrantes", top_five_themed("migrants")),
    ("pueblos indígenas", top_five_themed("indigenous")),
    ("pueblos indigenas", same_as("pueblos indígenas")),
    ("policía", top_five_themed("policing-justice")),
    ("medio ambiente", top_five_themed("environment")),
    ("Niñez", top_five_themed("children")),
    ("Informe del Grupo de Trabajo 2015", first_is("/resources/a-hrc-30-12/")),
    ("Respuesta de los Estados Unidos 2020", first_is("/resources/a-hrc-46-15-add-1/")),
    ("grabación sesión informativa", first_is("/resources/us-civil-society-virtual-briefing-2020-recording/")),
    ("empresas y derechos humanos", first_is("/resources/us-human-rights-cities-upr-stakeholder-submission-2019/")),
]


def test_there_are_at_least_25_queries_in_both_languages():
    assert len(CASES) >= 25


@pytest.mark.parametrize(("query", "check"), CASES, ids=[query for query, _check in CASES])
def test_relevance(query, check):
    hits = top(query)
    assert hits, f"{query!r} found nothing"
    assert check(query), f"{query!r}: " + "; ".join(f"{h.kind} {h.title[:60]} {h.url}" for h in hits)
