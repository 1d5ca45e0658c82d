"""Bad input on the search and the resources library: every query parameter fuzzed; the answer is the page (200)
or the page saying what is wrong (400), never a server error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.resources import make_resource
from upr.models import Recommendation, ReviewCycle, Theme

pytestmark = pytest.mark.django_db

SEARCH_PARAMETERS = ["q", "kind", "theme", "cycle", "city", "language", "page"]
RESOURCE_PARAMETERS = ["kind", "theme", "cycle", "language", "page"]
# What a full-text query parser might choke on, besides any text at all.
SYNTAX = st.sampled_from(['"', '""', "-", "--x", "or", "OR OR", "!", "&", "|", ":*", "(", ")", "'", "\\", "<->", "%"])
VALUES = st.one_of(
    st.text(max_size=60),
    st.lists(SYNTAX, max_size=6).map(" ".join),
    st.text(max_size=400),
    st.integers().map(str),
    st.sampled_from(["housing", "26.112", "recommendation", "es", "1", "0", "-1", "99999999999999999999"]),
)


@pytest.fixture
def data(db):
    cycle = ReviewCycle.objects.create(number=3)
    housing = Theme.objects.create(slug="housing", name="Housing", name_es="Vivienda")
    recommendation = Recommendation.objects.create(
        cycle=cycle,
        document="A/HRC/46/15",
        paragraph="26.112",
        text="The right to housing.",
        recommending_states="Cuba",
    )
    recommendation.themes.set([housing])
    make_resource(title="Housing guide", themes=[housing], cycle=cycle)


def _get(client, path: str, params: dict):
    response = client.get(path, params)
    assert response.status_code in (200, 400), (params, response.status_code)
    if response.status_code == 400 and path == "/search/" and "\x00" not in "".join(params.values()):
        assert "Please correct the search" in response.text
    return response


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(SEARCH_PARAMETERS), VALUES, max_size=len(SEARCH_PARAMETERS)))
def test_search_parameters_never_cause_a_server_error(client, data, params):
    _get(client, "/search/", params)


@hsettings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=VALUES)
def test_any_query_text_is_searched(client, data, query):
    _get(client, "/search/", {"q": query})


@hsettings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(RESOURCE_PARAMETERS), VALUES, max_size=len(RESOURCE_PARAMETERS)))
def test_resource_filters_never_cause_a_server_error(client, data, params):
    _get(client, "/resources/", params)


def test_a_theme_that_does_not_exist_is_said(client, data):
    response = client.get("/search/", {"q": "housing", "theme": "no-such-theme"})
    assert response.status_code == 400
    assert "Please correct the search" in response.text
    assert 'value="housing"' in response.text


def test_a_query_too_long_is_said(client, data):
    response = client.get("/search/", {"q": "housing " * 40})
    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters" in response.text
