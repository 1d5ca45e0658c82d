"""The JSON API's behaviour beyond its schema (tests/api/test_schema.py): constant queries, filters, messages,
CORS, the rate limit, the page cache, and what testimony it shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.enums import EventKind, EventStatus
from testimony import services
from testimony.enums import Identification, Status
from tests.api import fill
from tests.events import make_event
from tests.testimony.factories import make_testimony

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/themes/",
    "/api/v1/cycles/",
    "/api/v1/milestones/",
    "/api/v1/recommendations/",
    "/api/v1/cities/",
    "/api/v1/events/",
    "/api/v1/webinars/",
    "/api/v1/testimony/",
    "/api/v1/resources/",
    "/api/v1/scorecard/",
]


def _queries(client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {"limit": 100})
    assert response.status_code == 200, (path, response.content)
    return len(queries), len(response.json()["results"])


def test_list_query_counts_do_not_grow_with_the_list(client):
    fill(3, prefix="a")
    few = {path: _queries(client, path) for path in LISTS}
    fill(297, prefix="b")
    many = {path: _queries(client, path) for path in LISTS}
    # The literal counts: a count and a page, plus one query per prefetched relation (themes, speakers; a
    # recommendation's themes, affected persons, goals and city statuses; a scorecard item's recommendation's themes).
    assert {path: n for path, (n, _) in few.items()} == {
        "/api/v1/themes/": 2,
        "/api/v1/cycles/": 2,
        "/api/v1/milestones/": 2,
        "/api/v1/recommendations/": 6,
        "/api/v1/cities/": 3,
        "/api/v1/events/": 4,
        "/api/v1/webinars/": 4,
        "/api/v1/testimony/": 3,
        "/api/v1/resources/": 3,
        "/api/v1/scorecard/": 3,
    }
    assert {path: n for path, (n, _) in many.items()} == {path: n for path, (n, _) in few.items()}
    assert many["/api/v1/recommendations/"][1] == 100 and few["/api/v1/recommendations/"][1] == 3


def test_recommendations_filter_like_the_page(client):
    fill(4)
    body = client.get("/api/v1/recommendations/", {"state": "cuba"}).json()
    assert body["count"] == 2
    assert {r["recommending_states"] for r in body["results"]} == {"Cuba"}
    assert client.get("/api/v1/recommendations/", {"q": "x 3"}).json()["count"] == 1
    assert client.get("/api/v1/recommendations/", {"response": "noted"}).json()["count"] == 0
    assert client.get("/api/v1/recommendations/", {"theme": "housing", "cycle": 4}).json()["count"] == 4
    # A well-formed value naming nothing matches nothing.
    assert client.get("/api/v1/recommendations/", {"theme": "no-such-theme"}).json()["count"] == 0


def test_recommendations_carry_and_filter_by_affected_persons_goals_and_cluster(client):
    from upr.models import AffectedGroup, Recommendation, RecommendationCluster, SustainableDevelopmentGoal

    fill(3)
    first, second, _third = Recommendation.objects.order_by("sort_key")
    children = AffectedGroup.objects.create(name="Children", slug="children")
    first.affected_groups.add(children)
    first.sdgs.add(SustainableDevelopmentGoal.objects.get(number=4))
    cluster = RecommendationCluster.objects.create(label="Same ask")
    Recommendation.objects.filter(pk__in=[first.pk, second.pk]).update(cluster=cluster)

    item = client.get(f"/api/v1/recommendations/{first.pk}/").json()
    assert (item["affected_persons"], item["sdgs"], item["cluster"]) == (["children"], [4], cluster.pk)
    assert item["url"] == first.get_absolute_url()

    def ids(**query) -> list[int]:
        return [r["id"] for r in client.get("/api/v1/recommendations/", query).json()["results"]]

    assert ids(affected="children") == [first.pk]
    assert ids(sdg=4) == [first.pk]
    assert ids(sdg=5) == []
    assert sorted(ids(cluster=cluster.pk)) == sorted([first.pk, second.pk])
    assert ids(affected="nobody") == []
    assert client.get("/api/v1/recommendations/", {"sdg": 18}).status_code == 400


def test_events_filter_like_the_page(client, city_factory):
    city = city_factory("Boston", "MA")
    make_event(slug="online", online_url="https://meet.example/x", place="", host_city=city)
    make_event(slug="in-person", kind=EventKind.PUBLIC_HEARING)
    make_event(slug="cancelled", status=EventStatus.CANCELLED)

    def slugs(**query) -> list[str]:
        return [e["slug"] for e in client.get("/api/v1/events/", query).json()["results"]]

    assert slugs(mode="online") == ["online"]
    assert slugs(mode="in_person") == ["in-person", "cancelled"]
    assert slugs(city="boston-ma") == ["online"]
    assert slugs(kind="public_hearing") == ["in-person"]
    assert slugs(status="cancelled") == ["cancelled"]
    assert slugs(starts_after="2000-01-01", starts_before="2000-01-02") == []
    online = client.get("/api/v1/events/online/").json()
    assert online["online"] is True and "meet.example" not in client.get("/api/v1/events/online/").text


def test_pages_through_with_limit_and_offset(client):
    fill(5)
    first = client.get("/api/v1/recommendations/", {"limit": 2}).json()
    second = client.get("/api/v1/recommendations/", {"limit": 2, "offset": 2}).json()
    assert (first["count"], first["limit"], first["offset"]) == (5, 2, 0)
    assert [r["paragraph"] for r in first["results"] + second["results"]] == ["120.1", "120.2", "120.3", "120.4"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"limit": 101}, "limit: Input should be less than or equal to 100"),
        ({"limit": "many"}, "limit: Input should be a valid integer, unable to parse string as an integer"),
        ({"offset": -1}, "offset: Input should be greater than or equal to 0"),
        ({"response": "maybe"}, "response: Input should be 'supported', 'supported in part', 'noted' or 'pending'"),
        ({"cycle": "x"}, "cycle: Input should be a valid integer, unable to parse string as an integer"),
    ],
)
def test_bad_parameters_answer_400_with_a_message(client, query, message):
    response = client.get("/api/v1/recommendations/", query)
    assert response.status_code == 400
    assert response.json()["detail"] == message


def test_bad_dates_and_nul_answer_400_in_json(client):
    response = client.get("/api/v1/events/", {"starts_after": "yesterday"})
    assert response.status_code == 400 and response.json()["errors"][0]["parameter"] == "starts_after"
    # Numbers pydantic would read as Unix timestamps are no dates in the schema's sense (YYYY-MM-DD) either.
    for value in ("0.0", "1700000000", "2026-1-5"):
        response = client.get("/api/v1/events/", {"starts_before": value})
        assert response.status_code == 400 and response.json()["errors"][0]["parameter"] == "starts_before", value
    assert client.get("/api/v1/events/", {"starts_before": "2026-01-05"}).status_code == 200
    refused = client.get("/api/v1/events/", {"q": "a\x00b"})
    assert refused.status_code == 400 and refused["Content-Type"] == "application/json"


def test_unknown_items_answer_404_in_json(client):
    for path in ["/api/v1/events/nope/", "/api/v1/cities/nope/", "/api/v1/recommendations/999999/", "/api/v1/nope/"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["detail"], path


def test_cors_is_open_for_reads(client):
    response = client.get("/api/v1/cycles/", HTTP_ORIGIN="https://example.edu")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/cycles/", HTTP_ORIGIN="https://example.edu", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    head = client.head("/api/v1/cycles/")
    assert (head.status_code, head["Access-Control-Allow-Origin"], head.content) == (200, "*", b"")
    # Writes are not part of the API.
    assert client.post("/api/v1/cycles/").status_code == 405
    # Pages outside the API are not opened to other sites.
    assert "Access-Control-Allow-Origin" not in client.get("/recommendations/")


def test_rate_limit_per_client_answers_429_with_retry_after(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (3, 60)}
    assert [client.get("/api/v1/cycles/").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/cycles/")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert "Too many requests" in refused.json()["detail"]
    # Another address has its own allowance.
    assert client.get("/api/v1/cycles/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_cached_answers_follow_a_withdrawal_at_once(client, settings, django_capture_on_commit_callbacks):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    testimony = make_testimony(public_body="Zqcachedwords")
    assert "Zqcachedwords" in client.get("/api/v1/testimony/").text
    with CaptureQueriesContext(connection) as queries:
        assert "Zqcachedwords" in client.get("/api/v1/testimony/").text
    assert len(queries) == 0  # served from the cache
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_testimony(testimony)
    assert "Zqcachedwords" not in client.get("/api/v1/testimony/").text
    assert client.get(f"/api/v1/testimony/{testimony.pk}/").status_code == 404


def test_testimony_shows_only_the_public_version_and_the_chosen_name(client):
    shown = make_testimony(
        title="Maria's story on Elm Street",
        body="The original words with a neighbour's name",
        public_body="What happened, redacted.",
        public_title="Cold winter",
        identification=Identification.PSEUDONYM,
        display_name="Blue Heron",
        less_precise=True,
        place_text="12 Elm Street",
        public_place_text="Elm Street",
    )
    make_testimony(public_body="Zqreceived", status=Status.RECEIVED)
    make_testimony(public_body="Zqnoportal", allows_portal=False)
    make_testimony(public_body="Zqminor", age_confirmed=False)
    body = client.get("/api/v1/testimony/").json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item == client.get(f"/api/v1/testimony/{shown.pk}/").json()
    assert item["title"] == "Cold winter"
    assert item["text"] == "What happened, redacted."
    assert item["name"] == "Blue Heron"
    assert item["place"] == ""  # less precise: no place
    assert item["when"] == str(shown.created_at.year)
    text = client.get("/api/v1/testimony/").text
    for private in ["Maria", "original words", "12 Elm", "Zqreceived", "Zqnoportal", "Zqminor"]:
        assert private not in text


def test_anonymous_testimony_has_no_name(client):
    make_testimony(public_body="Words", identification=Identification.ANONYMOUS)
    assert client.get("/api/v1/testimony/").json()["results"][0]["name"] is None


def test_reference_page_lists_every_operation(client):
    page = client.get("/api/v1/docs/").text
    for path in LISTS:
        assert f"GET {path}</code>" in page
    assert "GET /api/v1/testimony/{testimony_id}/</code>" in page
    assert "cdn" not in page.lower()
    assert client.get("/api/v1/schema/").json()["info"]["title"] == "UPR Cities API"


def test_resources_are_listed_only_once_published_and_filter_like_the_library(client):
    fill(3)
    body = client.get("/api/v1/resources/").json()
    assert body["count"] == 3
    assert {r["slug"] for r in body["results"]} == {"resource-x-0", "resource-x-1", "resource-x-2"}
    item = client.get("/api/v1/resources/resource-x-0/").json()
    assert (item["kind"], item["languages"], item["url"]) == ("guide", ["en"], "/resources/resource-x-0/")
    assert client.get("/api/v1/resources/suggestion-x-0/").status_code == 404
    assert client.get("/api/v1/resources/", {"kind": "template"}).json()["count"] == 0
    assert client.get("/api/v1/resources/", {"language": "es"}).json()["count"] == 0
    assert client.get("/api/v1/resources/", {"kind": "poster"}).status_code == 400
    for path in ("/feeds/resources.atom", "/sitemap.xml", "/open-data/resources.csv"):
        text = client.get(path).content.decode("utf-8-sig")
        assert "resource-x-1" in text and "suggestion" not in text.lower(), path


def test_indicator_values_are_the_profiles_figures_in_force_and_filter(client):
    from cities.loaders import load_cities
    from indicators.importer import import_sdsn
    from upr.loaders import load_themes

    load_themes()
    load_cities()
    import_sdsn()
    body = client.get("/api/v1/indicator-values/", {"city": "pittsburgh-pa", "limit": 100}).json()
    assert body["count"] == 57  # every SDSN figure of the Pittsburgh metro area
    first = body["results"][0]
    assert first["city_slug"] == "pittsburgh-pa" and first["area_described"] == "metro"
    assert first["licence"] == "CC BY 4.0" and "Sustainable Development Solutions Network" in first["attribution"]
    assert "entered_by" not in first
    one = client.get("/api/v1/indicator-values/", {"city": "pittsburgh-pa", "indicator": first["indicator_slug"]})
    assert [v["value"] for v in one.json()["results"]] == [first["value"]]
    assert client.get("/api/v1/indicator-values/", {"city": "nowhere-xx"}).json()["count"] == 0
    assert client.get("/api/v1/indicator-values/", {"year": 1800}).status_code == 400
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/indicator-values/", {"limit": 3})
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/indicator-values/", {"limit": 100})
    assert len(few) == len(many)
