"""The scorecards in the open data: /api/v1/scorecard/ and each recommendation's city statuses, scorecard.csv, the
feed of scorecard changes and the scorecards in the sitemap; each reads tracking's public selectors only, so none
shows a city outside the directory, a document kept for a city's organizers, an answer organizers did not approve,
or the words of a testimony quoted as evidence (tests/testimony/test_privacy_matrix.py crosses these with every
consent choice)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses the portal's own feed in a test
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cities.enums import CityStatus
from testimony.enums import Identification
from tests.api import fill
from tests.testimony.factories import make_testimony
from tests.tracking.factories import make_office, make_recommendations
from tracking.enums import EvidenceKind, Level, ReplyDecision, TrackingStatus
from tracking.models import Evidence, Reply, StatusUpdate, TrackedItem

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PRIVATE_DOCUMENT = "Zqteamonlyletter"
PUBLIC_DOCUMENT = "Zqpublicletter"
WAITING_ANSWER = "Zqwaitinganswer"
DECLINED_ANSWER = "Zqdeclinedanswer"
APPROVED_ANSWER = "Zqapprovedanswer"
QUOTED = "Zqquotedtestimonywords"
QUOTED_NAME = "Zqquotedperson"
EXPLORING_NOTE = "Zqexploringcitynote"
NOTE = "Zqpublicnote"


def _update(item, status=TrackingStatus.IN_PROGRESS, note=NOTE, day=5) -> StatusUpdate:
    return StatusUpdate.objects.create(item=item, status=status, what_changed=note, observed_on=dt.date(2026, 1, day))


def _document(update, title: str, *, public: bool) -> Evidence:
    evidence = Evidence(update=update, kind=EvidenceKind.DOCUMENT, title=title, is_public=public)
    evidence.document.save("letter.pdf", ContentFile(b"%PDF-1.4 letter"), save=True)
    return evidence


def _reply(update, office, decision: str, answer: str) -> Reply:
    return Reply.objects.create(
        update=update,
        office=office,
        sent_to="office@city.example.org",
        due_on=dt.date(2026, 2, 1),
        decision=decision,
        answer=answer,
        answered_by_name="Zqofficialname",
        answered_at=dt.datetime(2026, 1, 20, tzinfo=dt.UTC),
    )


def world(city_factory) -> dict:
    """Pittsburgh (in the directory) tracks a recommendation with every kind of evidence and answer; an exploring
    city tracks the same recommendation."""
    pittsburgh = city_factory()
    exploring = city_factory("Akron", "OH", status=CityStatus.EXPLORING)
    rec, second = make_recommendations(2)
    office = make_office(pittsburgh)
    item = TrackedItem.objects.create(city=pittsburgh, recommendation=rec, level=Level.COUNTY, office=office)
    quiet = TrackedItem.objects.create(city=pittsburgh, recommendation=second)  # not assessed yet
    _update(item, TrackingStatus.NOT_STARTED, "Zqfirstnote", day=1)
    update = _update(item)
    _document(update, PRIVATE_DOCUMENT, public=False)
    _document(update, PUBLIC_DOCUMENT, public=True)
    testimony = make_testimony(
        city=pittsburgh,
        public_body=f"{QUOTED} about the shelter.",
        allows_advocacy=True,
        identification=Identification.FULL_NAME,
        display_name=QUOTED_NAME,
    )
    Evidence.objects.create(update=update, kind=EvidenceKind.TESTIMONY, title="Zqquotetitle", testimony=testimony)
    _reply(update, office, ReplyDecision.APPROVED, APPROVED_ANSWER)
    _reply(update, office, ReplyDecision.ANSWERED, WAITING_ANSWER)
    _reply(update, office, ReplyDecision.DECLINED, DECLINED_ANSWER)
    hidden = TrackedItem.objects.create(city=exploring, recommendation=rec)
    _update(hidden, TrackingStatus.REGRESSED, EXPLORING_NOTE)
    return {"city": pittsburgh, "exploring": exploring, "rec": rec, "item": item, "quiet": quiet, "hidden": hidden}


NEVER = [
    PRIVATE_DOCUMENT,
    WAITING_ANSWER,
    DECLINED_ANSWER,
    QUOTED,
    QUOTED_NAME,
    "Zqquotetitle",
    "Zqofficialname",
    EXPLORING_NOTE,
    "akron-oh",
    "Akron",
    "office@city.example.org",
]


def _csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_api_scorecard_lists_the_directory_cities_items(client, city_factory):
    w = world(city_factory)
    body = client.get("/api/v1/scorecard/").json()
    item, quiet = w["item"], w["quiet"]
    assert body["count"] == 2
    assert body["results"] == [
        {
            "id": item.pk,
            "city": "pittsburgh-pa",
            "recommendation": w["rec"].pk,
            "cycle": w["rec"].cycle.number,
            "paragraph": "26.1",
            "text": w["rec"].text,
            "local": False,
            "level": "county",
            "office": "Housing Authority",
            "status": "in_progress",
            "observed_on": "2026-01-05",
            "updates": 2,
            "themes": [t.slug for t in w["rec"].themes.all()],
            "url": f"/cities/pittsburgh-pa/scorecard/#item-{item.pk}",
        },
        {
            "id": quiet.pk,
            "city": "pittsburgh-pa",
            "recommendation": quiet.recommendation_id,
            "cycle": w["rec"].cycle.number,
            "paragraph": "26.2",
            "text": quiet.recommendation.text,
            "local": False,
            "level": "city",
            "office": "",
            "status": "not_assessed",
            "observed_on": None,
            "updates": 0,
            "themes": [t.slug for t in quiet.recommendation.themes.all()],
            "url": f"/cities/pittsburgh-pa/scorecard/#item-{quiet.pk}",
        },
    ]


def test_api_scorecard_filters_like_the_pages(client, city_factory):
    w = world(city_factory)
    ids = lambda **params: [r["id"] for r in client.get("/api/v1/scorecard/", params).json()["results"]]  # noqa: E731
    assert ids(status="in_progress") == [w["item"].pk]
    assert ids(status="not_assessed") == [w["quiet"].pk]
    assert ids(status="regressed") == []  # only the exploring city's item regressed
    assert ids(level="county") == [w["item"].pk]
    assert ids(city="pittsburgh-pa", cycle=w["rec"].cycle.number) == [w["item"].pk, w["quiet"].pk]
    theme = w["rec"].themes.get()
    assert ids(theme=theme.slug) == [w["item"].pk]
    # A city outside the directory, or a name that names nothing: nothing, not an error.
    assert ids(city="akron-oh") == [] and ids(city="nowhere") == [] and ids(theme="nothing") == []
    assert ids(cycle=9) == []
    for bad in ({"status": "done"}, {"level": "galaxy"}, {"limit": 0}, {"cycle": "x"}):
        response = client.get("/api/v1/scorecard/", bad)
        assert response.status_code == 400 and response.json()["detail"], bad


def test_recommendations_carry_their_city_statuses(client, city_factory):
    w = world(city_factory)
    found = client.get(f"/api/v1/recommendations/{w['rec'].pk}/").json()
    assert found["city_statuses"] == [{"city": "pittsburgh-pa", "status": "in_progress", "observed_on": "2026-01-05"}]
    listed = {r["id"]: r for r in client.get("/api/v1/recommendations/").json()["results"]}
    assert listed[w["rec"].pk]["city_statuses"] == found["city_statuses"]
    assert listed[w["quiet"].recommendation_id]["city_statuses"] == [
        {"city": "pittsburgh-pa", "status": "not_assessed", "observed_on": None}
    ]


def _queries(client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {"limit": 100})
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["results"])


def test_scorecard_and_city_statuses_query_counts_are_constant(client):
    fill(3, prefix="a")
    few = {path: _queries(client, path) for path in ("/api/v1/scorecard/", "/api/v1/recommendations/")}
    fill(297, prefix="b")
    many = {path: _queries(client, path) for path in ("/api/v1/scorecard/", "/api/v1/recommendations/")}
    # The scorecard: a count, a page and the recommendations' themes; the recommendations: a count, a page, their
    # themes, affected persons, goals and city statuses.
    assert few == {"/api/v1/scorecard/": (3, 3), "/api/v1/recommendations/": (6, 3)}
    assert many == {"/api/v1/scorecard/": (3, 100), "/api/v1/recommendations/": (6, 100)}
    assert client.get("/api/v1/scorecard/").json()["count"] == 300  # never the exploring cities' 300


def test_scorecard_csv_has_one_row_per_item_of_the_directory(client, city_factory):
    w = world(city_factory)
    rows = _csv(client.get("/open-data/scorecard.csv").content)
    assert [(r["id"], r["city"], r["paragraph"], r["status"], r["observed_on"], r["updates"]) for r in rows] == [
        (str(w["item"].pk), "pittsburgh-pa", "26.1", "in_progress", "2026-01-05", "2"),
        (str(w["quiet"].pk), "pittsburgh-pa", "26.2", "not_assessed", "", "0"),
    ]
    assert rows[0]["level"] == "county" and rows[0]["office"] == "Housing Authority" and rows[0]["local"] == "False"
    assert rows[0]["url"].endswith(f"/cities/pittsburgh-pa/scorecard/#item-{w['item'].pk}")


def test_scorecard_feed_lists_the_latest_updates(client, city_factory, settings):
    w = world(city_factory)
    response = client.get("/feeds/scorecard.atom")
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314 - the portal's own feed
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Pittsburgh: Recommendation 26.1 — In progress",
        "Pittsburgh: Recommendation 26.1 — Not started",
    ]
    assert [e.find(f"{ATOM}summary").text for e in entries] == [NOTE, "Zqfirstnote"]
    link = f"{settings.SITE_URL}/cities/pittsburgh-pa/scorecard/#item-{w['item'].pk}"
    assert {e.find(f"{ATOM}link").get("href") for e in entries} == {link}
    assert len({e.find(f"{ATOM}id").text for e in entries}) == 2  # one id per update
    spanish = client.get("/feeds/scorecard.atom", headers={"accept-language": "es"}).text
    assert "Pittsburgh: Recomendación 26.1 — En curso" in spanish


def test_scorecards_are_in_the_sitemap(client, city_factory, settings):
    world(city_factory)
    city_factory("Boston", "MA")  # in the directory, tracks nothing: no scorecard worth listing
    text = client.get("/sitemap.xml").text
    locations = {loc.removeprefix(settings.SITE_URL) for loc in re.findall(r"<loc>([^<]+)</loc>", text)}
    assert {"/scorecard/", "/cities/pittsburgh-pa/scorecard/"} <= locations
    assert "/cities/akron-oh/scorecard/" not in locations and "/cities/boston-ma/scorecard/" not in locations


def test_no_scorecard_surface_shows_what_is_not_public(client, city_factory):
    """The API (the list, filtered by the hidden city, and the recommendation's city statuses), the CSV and the data
    package, the feed and the sitemap: no team-only document, unapproved or declined answer, quoted testimony, or
    city outside the directory."""
    w = world(city_factory)
    package = zipfile.ZipFile(io.BytesIO(client.get("/open-data/upr-cities-open-data.zip").content))
    places = {
        "api list": client.get("/api/v1/scorecard/").text,
        "api list of the hidden city": client.get("/api/v1/scorecard/", {"city": "akron-oh"}).text,
        "api recommendation": client.get(f"/api/v1/recommendations/{w['rec'].pk}/").text,
        "api recommendations": client.get("/api/v1/recommendations/").text,
        "csv": client.get("/open-data/scorecard.csv").content.decode("utf-8-sig"),
        "package": " ".join(package.read(name).decode("utf-8-sig") for name in package.namelist()),
        "feed": client.get("/feeds/scorecard.atom").text,
        "feed in Spanish": client.get("/feeds/scorecard.atom", headers={"accept-language": "es"}).text,
        "sitemap": client.get("/sitemap.xml").text,
    }
    for place, text in places.items():
        for marker in NEVER:
            if place == "package" and marker == QUOTED:
                continue  # the testimony's own public version is in testimony.csv: it allows the portal
            if place == "package" and marker == QUOTED_NAME:
                continue  # and its chosen name
            assert marker not in text, (place, marker)
    # The package's scorecard file itself holds none of them.
    scorecard_csv = package.read("scorecard.csv").decode("utf-8-sig")
    for marker in NEVER:
        assert marker not in scorecard_csv, marker
    # What is public is there (so the checks above are not vacuous).
    assert NOTE in places["feed"] and "pittsburgh-pa" in places["api list"] and "pittsburgh-pa" in places["csv"]


def test_a_city_leaving_the_directory_leaves_every_surface(client, city_factory, settings):
    w = world(city_factory)
    city = w["city"]
    city.status = CityStatus.EXPLORING
    city.save()
    assert client.get("/api/v1/scorecard/").json()["count"] == 0
    assert client.get(f"/api/v1/recommendations/{w['rec'].pk}/").json()["city_statuses"] == []
    assert _csv(client.get("/open-data/scorecard.csv").content) == []
    assert NOTE not in client.get("/feeds/scorecard.atom").text
    assert "/cities/pittsburgh-pa/scorecard/" not in client.get("/sitemap.xml").text
