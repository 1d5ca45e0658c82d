"""The recommendations list: a review whose recommendations are not imported yet is offered and said to be so."""

from __future__ import annotations

import pytest

from upr.models import Recommendation, ReviewCycle


@pytest.fixture
def cycles(db):
    """The 2010 review with one imported recommendation, the 2015 review with none (343 made), and the 4th
    review, which made none yet."""
    first = ReviewCycle.objects.create(number=1, review_date="2010-11-05", recommendations_total=228)
    Recommendation.objects.create(
        cycle=first, document="A/HRC/16/11", paragraph="92.1", text="Ratify", recommending_states="Chile"
    )
    second = ReviewCycle.objects.create(
        number=2, review_date="2015-05-11", report_symbol="A/HRC/30/12", recommendations_total=343
    )
    fourth = ReviewCycle.objects.create(number=4)
    return first, second, fourth


def test_recommendation_filter_offers_a_review_not_yet_imported_by_that_name(client, cycles):
    response = client.get("/recommendations/")

    field = response.context["form"].fields["cycle"]
    assert [label for _value, label in field.choices] == [
        "All reviews",
        "Cycle 1 (2010)",
        "Cycle 2 (2015): not yet imported",
    ]


def test_recommendation_list_of_a_review_not_yet_imported_says_so(client, cycles):
    _first, second, _fourth = cycles

    response = client.get(f"/recommendations/?cycle={second.pk}")

    assert response.status_code == 200
    assert response.context["not_imported"] == second
    assert (
        "The 343 recommendations of Cycle 2 (2015) are not yet imported into the portal. Read them in the UN "
        'Working Group\'s report, <a href="https://undocs.org/A/HRC/30/12">A/HRC/30/12</a>.'
    ) in " ".join(response.text.split())
    assert "No recommendation matches these filters." not in response.text
    assert "Select a valid choice" not in response.text


def test_recommendation_list_of_an_imported_review_lists_it(client, cycles):
    first, _second, _fourth = cycles

    response = client.get(f"/recommendations/?cycle={first.pk}")

    assert response.context["not_imported"] is None
    assert [r.paragraph for r in response.context["page"]] == ["92.1"]
    assert "are not yet imported into the portal" not in response.text


@pytest.fixture
def asked_twice(db):
    from upr.models import AffectedGroup, RecommendationCluster, SustainableDevelopmentGoal

    first = ReviewCycle.objects.create(number=1, review_date="2010-11-05")
    third = ReviewCycle.objects.create(number=3, review_date="2020-11-09")
    cluster = RecommendationCluster.objects.create(label="Abolish the death penalty")
    old = Recommendation.objects.create(
        cycle=first, document="A/HRC/16/11", paragraph="92.125", text="Abolish the death penalty",
        recommending_states="Spain", response="noted", cluster=cluster,
    )  # fmt: skip
    new = Recommendation.objects.create(
        cycle=third, document="A/HRC/46/15", paragraph="26.211", text="Consider abolishing the death penalty",
        recommending_states="Namibia", response="noted", cluster=cluster,
    )  # fmt: skip
    children = AffectedGroup.objects.create(name="Persons deprived of their liberty", slug="deprived", name_es="")
    new.affected_groups.add(children)
    new.sdgs.add(SustainableDevelopmentGoal.objects.get(number=16))
    return old, new


def test_a_recommendation_page_says_how_often_it_was_asked_and_links_the_others(client, asked_twice):
    old, new = asked_twice
    response = client.get("/recommendations/3/26.211/")
    text = " ".join(response.text.split())
    assert "Asked 2 times since 2010" in text
    assert f'href="{old.get_absolute_url()}"' in response.text
    assert "Persons deprived of their liberty" in text and "16. Peace, justice and strong institutions" in text
    assert client.get("/recommendations/3/26.999/").status_code == 404
    assert client.get("/recommendations/9/26.211/").status_code == 404


def test_a_recommendation_page_in_spanish_names_the_goal_in_spanish(client, asked_twice):
    response = client.get("/recommendations/3/26.211/", headers={"accept-language": "es"})
    assert "16. Paz, justicia e instituciones sólidas" in response.text
    assert "Pedida 2 veces desde 2010" in " ".join(response.text.split())


def test_the_list_filters_by_affected_persons_and_goal(client, asked_twice):
    _old, new = asked_twice
    assert [r.pk for r in client.get("/recommendations/?affected=deprived").context["page"]] == [new.pk]
    assert [r.pk for r in client.get("/recommendations/?sdg=16").context["page"]] == [new.pk]
    assert list(client.get("/recommendations/?sdg=4").context["page"]) == []
    bad = client.get("/recommendations/?sdg=99&affected=nobody")
    assert bad.status_code == 200 and "Select a valid choice" in bad.text


def test_the_recommendation_page_runs_the_same_queries_however_big_its_cluster(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from upr.models import RecommendationCluster

    cycle = ReviewCycle.objects.create(number=3, review_date="2020-11-09")
    cluster = RecommendationCluster.objects.create(label="x")

    def add(start: int, stop: int) -> None:
        for i in range(start, stop):
            Recommendation.objects.create(
                cycle=cycle, document="A/HRC/46/15", paragraph=f"26.{i + 1}", text="Ratify",
                recommending_states="Chile", cluster=cluster,
            )  # fmt: skip

    add(0, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/recommendations/3/26.1/").status_code == 200
    add(3, 40)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/recommendations/3/26.1/")
    assert len(response.context["others"]) == 39
    assert len(few) == len(many)
