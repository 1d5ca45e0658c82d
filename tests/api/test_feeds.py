"""Atom feeds, the sitemap, robots.txt, and the OpenGraph and schema.org metadata of public pages."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses the portal's own feed in a test

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.feeds import feeds
from events.enums import EventKind, EventStatus
from events.models import Speaker
from testimony.enums import Identification, Status
from tests.api import fill
from tests.events import make_event
from tests.testimony.factories import make_testimony

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(client, key: str) -> list[ET.Element]:
    response = client.get(f"/feeds/{key}.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(  # noqa: S314 - the portal's own feed
        f"{ATOM}entry"
    )


def test_every_feed_is_registered():
    assert [entry.key for entry in feeds] == ["events", "webinars", "testimony", "resources", "scorecard"]


def test_events_feed_lists_events_newest_announced_first(client, settings):
    make_event(slug="first", title="First announced")
    make_event(slug="second", title="Second announced")
    entries = _entries(client, "events")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Second announced", "First announced"]
    assert entries[0].find(f"{ATOM}link").get("href") == f"{settings.SITE_URL}/events/second/"


def test_webinar_feed_lists_the_archive(client):
    past = timezone.now() - dt.timedelta(days=20)
    make_event(slug="held", kind=EventKind.WEBINAR, title="Held webinar", starts_at=past, status=EventStatus.HELD)
    make_event(slug="soon", kind=EventKind.WEBINAR, title="Upcoming webinar")
    entries = _entries(client, "webinars")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Held webinar"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/webinars/held/")


def test_testimony_feed_shows_public_versions_and_chosen_names(client):
    make_testimony(
        title="Submitted title",
        body="Original words",
        public_title="Public title",
        public_body="Public words",
        identification=Identification.PSEUDONYM,
        display_name="Blue Heron",
    )
    make_testimony(public_title="Anonymous one", public_body="Other words")
    make_testimony(public_title="Not approved", status=Status.RECEIVED)
    vague = make_testimony(public_title="Vague", less_precise=True)
    entries = {e.find(f"{ATOM}title").text: e for e in _entries(client, "testimony")}
    assert set(entries) == {"Public title", "Anonymous one", "Vague"}
    assert entries["Public title"].find(f"{ATOM}author/{ATOM}name").text == "Blue Heron"
    assert entries["Anonymous one"].find(f"{ATOM}author/{ATOM}name").text == "Anonymous"
    assert entries["Public title"].find(f"{ATOM}summary").text == "Public words"
    # Less precise: the entry's date is the year alone (1 January), never the day it was shared.
    assert entries["Vague"].find(f"{ATOM}published").text == f"{vague.created_at.year}-01-01T00:00:00-05:00"
    text = client.get("/feeds/testimony.atom").text
    assert "Original words" not in text and "Submitted title" not in text


def test_feed_query_counts_are_constant(client):
    fill(3, prefix="a")
    client.get("/feeds/events.atom")  # the sites framework reads its row once per process
    few = {}
    for entry in feeds:
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/feeds/{entry.key}.atom")
        few[entry.key] = len(queries)
    fill(60, prefix="b")
    for entry in feeds:
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/feeds/{entry.key}.atom")
        assert len(queries) == few[entry.key], entry.key
    assert few == {"events": 3, "webinars": 3, "testimony": 2, "resources": 2, "scorecard": 1}


def test_unknown_feed_is_404(client):
    assert client.get("/feeds/nope.atom").status_code == 404


def test_sitemap_lists_every_public_page(client, settings):
    fill(2)
    hidden = make_testimony(status=Status.RECEIVED)
    shown = make_testimony()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = {loc.removeprefix(settings.SITE_URL) for loc in re.findall(r"<loc>([^<]+)</loc>", response.text)}
    for path in [
        "/",
        "/about-the-upr/",
        "/recommendations/",
        "/cities/",
        "/events/",
        "/webinars/",
        "/testimony/",
        "/open-data/",
        "/api/v1/docs/",
        "/cities/city-x-0/",
        "/events/event-x-0/",
        "/events/webinar-x-1/",
        "/webinars/webinar-x-1/",
        f"/testimony/{shown.pk}/",
    ]:
        assert path in locations, path
    assert f"/testimony/{hidden.pk}/" not in locations
    assert not any(path.startswith(("/organize/", "/admin/", "/accounts/")) for path in locations)


def test_sitemap_query_count_is_constant(client):
    fill(3, prefix="a")
    client.get("/sitemap.xml")  # the sites framework reads its row once per process
    with CaptureQueriesContext(connection) as few:
        client.get("/sitemap.xml")
    fill(60, prefix="b")
    with CaptureQueriesContext(connection) as many:
        client.get("/sitemap.xml")
    assert len(few) == len(many) == 13  # a count and a page of each list


def test_robots_keeps_private_and_organizer_pages_out(client, settings):
    text = client.get("/robots.txt").text
    for path in ["/organize/", "/admin/", "/testimony/mine/", "/events/registration/", "/sign-off/", "/invitations/"]:
        assert f"Disallow: {path}\n" in text
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text


def test_event_page_has_opengraph_and_schema_org_event(client, settings):
    speaker = Speaker.objects.create(name="Ana Speaker", organisation="Coalition")
    event = make_event(
        slug="hearing",
        title="Public hearing on housing",
        place="City Hall",
        online_url="https://meet.example/secret-join-link",
        speakers=[speaker],
    )
    page = client.get("/events/hearing/").text
    assert '<meta property="og:title" content="Public hearing on housing">' in page
    assert f'<meta property="og:url" content="{settings.SITE_URL}/events/hearing/">' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "Event"
    assert data["name"] == "Public hearing on housing"
    assert data["startDate"] == event.starts_at.isoformat()
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"][0] == {"@type": "Place", "name": "City Hall", "address": "City Hall"}
    assert data["location"][1]["url"] == f"{settings.SITE_URL}/events/hearing/"
    assert data["performer"] == [{"@type": "Person", "name": "Ana Speaker"}]
    assert "secret-join-link" not in page


def test_cancelled_event_says_so_in_its_data(client):
    make_event(slug="off", status=EventStatus.CANCELLED, title="</script><b>x")
    page = client.get("/events/off/").text
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["name"] == "</script><b>x"  # escaped inside the script element


def test_every_public_page_has_opengraph_defaults(client):
    for path in ["/", "/recommendations/", "/open-data/", "/api/v1/docs/"]:
        page = client.get(path).text
        assert '<meta property="og:site_name" content="UPR Cities">' in page, path
        assert '<meta property="og:type" content="website">' in page, path
