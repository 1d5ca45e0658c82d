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
