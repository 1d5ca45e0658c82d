"""The simpler search of the embedded SQLite default (every word as written, OR, -word; no stemming, no ranking),
run here on whichever database the suite uses by making the full-text search unavailable."""

from __future__ import annotations

import pytest

from search.enums import DocumentKind
from search.selectors import Filters, search
from upr.models import Recommendation, ReviewCycle, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def simpler(monkeypatch):
    from search import selectors, views

    monkeypatch.setattr(selectors, "full_text_available", lambda: False)
    monkeypatch.setattr(views, "full_text_available", lambda: False)


def paragraphs(query: str, **filters) -> list[str]:
    results = search(query, Filters(**filters))
    return [hit.title.split(" · ")[0] for hit in results.page.object_list if hit.kind == DocumentKind.RECOMMENDATION]


def test_simple_search_finds_words_as_written_and_says_it_is_simpler(client):
    cycle = ReviewCycle.objects.create(number=3)
    housing = Theme.objects.create(slug="housing", name="Housing", name_es="Vivienda")
    first = Recommendation.objects.create(
        cycle=cycle,
        document="A/HRC/46/15",
        paragraph="26.1",
        text="Abolish the death penalty.",
        recommending_states="Sweden",
    )
    first.themes.set([housing])
    Recommendation.objects.create(
        cycle=cycle,
        document="A/HRC/46/15",
        paragraph="26.2",
        text="Establish a moratorium on the death penalty.",
        recommending_states="Cuba",
    )
    assert sorted(paragraphs("death penalty")) == ["26.1", "26.2"]
    assert sorted(paragraphs("death -Cuba")) == ["26.1"]
    assert sorted(paragraphs("moratorium or abolish")) == ["26.1", "26.2"]
    assert sorted(paragraphs('"the death penalty"')) == ["26.1", "26.2"]
    assert paragraphs("vivienda") == ["26.1"]
    assert paragraphs("penalty", theme=housing) == ["26.1"]
    response = client.get("/search/?q=penalty")
    assert "This is a simpler search" in response.text
    assert "<mark>penalty</mark>" in response.text
    facets = {facet.name: {o.value: o.count for o in facet.options} for facet in response.context["results"].facets}
    assert facets["kind"] == {"recommendation": 2} and facets["theme"] == {"housing": 1}
