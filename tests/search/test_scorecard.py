"""Scorecard items in the search: the items of the directory's cities, built from tracking's public selectors, kept
in step inside each change's transaction (an update added, the item or its office changed, the item deleted, the
city leaving the directory, items tracked in bulk), and never holding a team-only document, an answer organizers did
not approve, or the words of a quoted testimony."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.translation import override

from cities.enums import CityStatus
from search.enums import DocumentKind
from search.models import SearchDocument
from search.selectors import Filters, search
from search.services import rebuild
from tests.api.test_scorecard import (
    APPROVED_ANSWER,
    DECLINED_ANSWER,
    EXPLORING_NOTE,
    NEVER,
    NOTE,
    PRIVATE_DOCUMENT,
    PUBLIC_DOCUMENT,
    QUOTED,
    WAITING_ANSWER,
    _update,
    world,
)
from tests.search import POSTGRESQL
from tests.tracking.factories import make_office, make_recommendations
from tracking import services
from tracking.enums import Level, TrackingStatus
from tracking.models import Evidence, Reply, TrackedItem

pytestmark = pytest.mark.django_db

SCORECARD = DocumentKind.SCORECARD


def rows():
    return SearchDocument.objects.filter(kind=SCORECARD)


def row_text(item) -> str:
    row = rows().get(object_id=item.pk)
    return f"{row.title} {row.body} {row.keywords}"


def found(query: str) -> list[int]:
    return [hit.object_id for hit in search(query, Filters(kind=SCORECARD)).page.object_list]


def test_an_item_is_indexed_with_its_public_words_only(city_factory):
    w = world(city_factory)
    item = w["item"]
    assert set(rows().values_list("object_id", flat=True)) == {item.pk, w["quiet"].pk}
    row = rows().get(object_id=item.pk)
    assert row.url == f"/cities/pittsburgh-pa/scorecard/#item-{item.pk}"
    assert row.title == "26.1 · Pittsburgh, PA"
    assert (row.city, row.cycle, row.language) == (w["city"], w["rec"].cycle, "en")
    text = row_text(item)
    for shown in (item.recommendation.text, NOTE, "Zqfirstnote", PUBLIC_DOCUMENT, APPROVED_ANSWER, "Housing Authority"):
        assert shown in text, shown
    # The status and the level in both languages (the latest update's: in progress), the office.
    for label in ("In progress", "En curso", "County", "Condado"):
        assert label in row.keywords, label
    for secret in NEVER:
        assert secret not in text, secret
    assert "Sin evaluar todavía" in row_text(w["quiet"])
    assert sorted(row.themes.values_list("slug", flat=True)) == sorted(t.slug for t in item.recommendation.themes.all())


def test_rebuild_makes_the_same_rows(city_factory):
    w = world(city_factory)
    before = {r.object_id: (r.title, r.body, r.keywords, r.url) for r in rows()}
    assert rebuild([SCORECARD]) == {SCORECARD: 2}
    assert {r.object_id: (r.title, r.body, r.keywords, r.url) for r in rows()} == before
    assert w["hidden"].pk not in before


@pytest.mark.skipif(not POSTGRESQL, reason="full-text search")
def test_search_finds_items_by_words_status_in_spanish_and_office(city_factory, client):
    w = world(city_factory)
    item = w["item"]
    assert found(NOTE) == [item.pk]
    assert found('"en curso" Pittsburgh') == [item.pk]
    assert found("Housing Authority") == [item.pk]
    assert found(APPROVED_ANSWER) == [item.pk]
    for secret in (PRIVATE_DOCUMENT, WAITING_ANSWER, DECLINED_ANSWER, EXPLORING_NOTE):
        assert search(secret).total == 0, secret
    # The quoted testimony is found as itself (its consent allows the portal), never as the scorecard item.
    assert [hit.kind for hit in search(QUOTED).page.object_list] == [DocumentKind.TESTIMONY]
    page = client.get("/search/", {"q": NOTE}).text
    assert f'href="/cities/pittsburgh-pa/scorecard/#item-{item.pk}"' in page and "Scorecard item" in page
    assert f"<mark>{NOTE}</mark>" in page
    spanish = client.get("/search/", {"q": NOTE}, headers={"accept-language": "es"}).text
    assert "Elemento del seguimiento" in spanish
    for language, label in (("en", "Scorecard item"), ("es", "Elemento del seguimiento")):
        with override(language):
            facets = {facet.name: facet for facet in search(NOTE).facets}
        assert [(o.value, o.label, o.count) for o in facets["kind"].options] == [("scorecard", label, 1)]


def test_an_update_added_reindexes_the_item(city_factory, user_factory):
    w = world(city_factory)
    services.record_update(
        w["quiet"],
        status=TrackingStatus.IMPLEMENTED,
        what_changed="Zqbrandnewstep",
        observed_on=dt.date(2026, 1, 10),
        by=None,
    )
    text = row_text(w["quiet"])
    assert "Zqbrandnewstep" in text and "Implemented" in text and "Aplicada" in text


def test_a_change_of_level_or_office_reindexes_the_item(city_factory):
    w = world(city_factory)
    office = make_office(w["city"], "Zqmayorsoffice", level=Level.STATE)
    services.change_item(w["quiet"], level=Level.STATE, office=office, by=None)
    assert "Zqmayorsoffice" in row_text(w["quiet"]) and "Estado" in row_text(w["quiet"])
    office.name = "Zqrenamedoffice"
    services.save_office(office, by=None)
    assert "Zqrenamedoffice" in row_text(w["quiet"]) and "Zqmayorsoffice" not in row_text(w["quiet"])


def test_a_deleted_item_leaves_the_index(city_factory):
    w = world(city_factory)
    w["item"].delete()
    assert list(rows().values_list("object_id", flat=True)) == [w["quiet"].pk]


def test_a_city_leaving_the_directory_takes_its_items_out_and_back(city_factory):
    w = world(city_factory)
    city = w["city"]
    city.status = CityStatus.EXPLORING
    city.save()
    assert not rows().exists()
    city.status = CityStatus.PARTICIPATING
    city.save()
    assert rows().count() == 2
    # The exploring city's item never was in.
    assert not rows().filter(object_id=w["hidden"].pk).exists()


def test_items_tracked_in_bulk_are_indexed(city_factory):
    city = city_factory()
    recs = make_recommendations(3, start=40)
    created = services.track_recommendations(city, recs, by=None)
    assert set(rows().values_list("object_id", flat=True)) == {item.pk for item in created}
    assert "Sin evaluar todavía" in row_text(created[0])


def test_an_exploring_citys_items_are_never_indexed(city_factory):
    city = city_factory("Akron", "OH", status=CityStatus.EXPLORING)
    item = TrackedItem.objects.create(city=city, recommendation=make_recommendations(1)[0])
    _update(item, TrackingStatus.REGRESSED, EXPLORING_NOTE)
    services.track_recommendations(city, make_recommendations(2, start=50), by=None)
    assert not rows().exists()
    assert search(EXPLORING_NOTE).total == 0


def test_an_answer_enters_the_index_only_once_approved(city_factory):
    w = world(city_factory)
    waiting = Reply.objects.get(answer=WAITING_ANSWER)
    assert WAITING_ANSWER not in row_text(w["item"])
    services.decide_reply(waiting, approve=True, by=None)
    assert WAITING_ANSWER in row_text(w["item"])


def test_a_document_made_team_only_leaves_the_index(city_factory):
    w = world(city_factory)
    document = Evidence.objects.get(title=PUBLIC_DOCUMENT)
    document.is_public = False
    document.save()
    assert PUBLIC_DOCUMENT not in row_text(w["item"])
    document.delete()
    assert NOTE in row_text(w["item"])
