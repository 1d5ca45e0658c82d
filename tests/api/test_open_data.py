"""The open-data downloads: each CSV file, the Frictionless Data Package (validated with the frictionless library),
and a read of every column of every dataset for personal data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from frictionless import Package, validate

from api.datasets import datasets
from cities.models import City
from events.models import Registration
from testimony.enums import Identification, Status
from testimony.models import ContactDetails
from tests.api import fill
from tests.events import make_event
from tests.testimony.factories import make_testimony
from tests.tracking.factories import make_office
from tracking.enums import EvidenceKind, ReplyDecision
from tracking.models import Evidence, Reply, StatusUpdate, TrackedItem

pytestmark = pytest.mark.django_db

NAMES = [
    "themes",
    "review-cycles",
    "milestones",
    "recommendations",
    "cities",
    "events",
    "resources",
    "testimony",
    "indicator-values",
    "scorecard",
]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def _rows(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_every_dataset_is_offered(client):
    assert [d.name for d in datasets] == NAMES
    page = client.get("/open-data/").text
    for name in NAMES:
        assert f'href="/open-data/{name}.csv"' in page
    assert "last built" in page


def test_package_validates_with_frictionless(client, tmp_path):
    fill(3)
    make_testimony(public_body='=HYPERLINK("http://evil.example")', public_title="+1 formula")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/open-data/upr-cities-open-data.zip").content))
    archive.extractall(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert descriptor == client.get("/open-data/datapackage.json").json()
    assert [r["name"] for r in descriptor["resources"]] == NAMES
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    for resource in descriptor["resources"]:
        assert resource["sources"] and all(f["description"] for f in resource["schema"]["fields"])
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(tmp_path / "datapackage.json"))
    assert len(package.get_resource("recommendations").read_rows()) == 3
    testimony = {row["title"]: row for row in package.get_resource("testimony").read_rows()}
    # Formula-safe: the cells a spreadsheet would run start with an apostrophe.
    assert testimony["'+1 formula"]["text"] == '\'=HYPERLINK("http://evil.example")'


def test_csv_matches_the_api_and_says_when_it_was_built(client):
    fill(2)
    response = client.get("/open-data/recommendations.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="recommendations.csv"'
    assert response["Last-Modified"]
    rows = _rows(response.content)
    api = client.get("/api/v1/recommendations/", {"limit": 100}).json()["results"]
    assert sorted(r["paragraph"] for r in rows) == sorted(r["paragraph"] for r in api)
    assert rows[0]["themes"] == "housing; water"
    assert client.get("/open-data/nope.csv").status_code == 404


def test_a_change_rebuilds_the_files(client, settings, django_capture_on_commit_callbacks):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    testimony = make_testimony(public_body="Zqbeforewithdrawal")
    assert b"Zqbeforewithdrawal" in client.get("/open-data/testimony.csv").content
    with CaptureQueriesContext(connection) as queries:
        client.get("/open-data/testimony.csv")
    assert len(queries) == 0  # the built file, from the cache
    from testimony.services import withdraw_testimony

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_testimony(testimony)
    assert b"Zqbeforewithdrawal" not in client.get("/open-data/testimony.csv").content
    assert b"Zqbeforewithdrawal" not in client.get("/open-data/upr-cities-open-data.zip").content


def test_no_personal_data_in_any_column(client, user_factory):
    """Every cell of every dataset: no email address, no contact detail, no registrant's name, nothing of a
    testimony beyond its public version, and names only where the person chose to be named."""
    fill(2)
    public = make_testimony(
        title="Zqsubmittedtitle",
        body="Zqoriginalbody",
        public_body="Zqpublicbody",
        transcript="Zqoriginaltranscript",
        public_transcript="Zqpublictranscript",
        place_text="Zqoriginalplace",
        public_place_text="Zqpublicplace",
        identification=Identification.PSEUDONYM,
        display_name="Zqchosenname",
    )
    ContactDetails.objects.create(
        testimony=public,
        name="Zqcontactname",
        email="zqcontact@example.org",
        phone="+1 555 0100",
        retain_until=timezone.localdate() + dt.timedelta(days=30),
    )
    make_testimony(public_body="Zqanonymousbody", identification=Identification.ANONYMOUS)
    for status in [Status.RECEIVED, Status.REJECTED]:
        make_testimony(
            status=status,
            public_body=f"Zq{status}body",
            identification=Identification.FULL_NAME,
            display_name="Zqhidden",
        )
    make_testimony(public_body="Zqnoportalbody", allows_portal=False, allows_local_report=True)
    make_testimony(public_body="Zqminorbody", age_confirmed=False, guardian_consent=False)
    event = make_event(slug="with-registrations", online_url="https://meet.example/zqjoinlink")
    Registration.objects.create(event=event, name="Zqregistrant", email="zqregistrant@example.org", token="t1")
    # A scorecard item with everything that must stay off the files: the office's address, a document for the team
    # only, an answer not approved and its official's name, the organizer who recorded the update, quoted testimony.
    organizer = user_factory("zqorganizer@example.org")
    office = make_office(City.objects.get(slug="city-x-0"), "Zqofficename", contact_email="zqoffice@example.org")
    item = TrackedItem.objects.get(city__slug="city-x-0")
    item.office = office
    item.save()
    update = StatusUpdate.objects.create(
        item=item,
        status="implemented",
        what_changed="Zqpublicnote",
        observed_on=dt.date(2026, 2, 1),
        recorded_by=organizer,
    )
    Evidence.objects.create(update=update, kind=EvidenceKind.TESTIMONY, testimony=public, excerpt="Zqpublicbody")
    Reply.objects.create(
        update=update,
        office=office,
        sent_to=office.contact_email,
        due_on=dt.date(2026, 3, 1),
        decision=ReplyDecision.ANSWERED,
        answer="Zqwaitinganswer",
        answered_by_name="Zqofficialname",
        answered_at=timezone.now(),
    )

    cells = []
    for name in NAMES:
        for row in _rows(client.get(f"/open-data/{name}.csv").content):
            cells.extend(row.values())
    text = "\n".join(cells)
    assert not EMAIL.search(text)
    for private in [
        "Zqsubmittedtitle",
        "Zqoriginalbody",
        "Zqoriginaltranscript",
        "Zqoriginalplace",
        "Zqcontactname",
        "555 0100",
        "Zqreceivedbody",
        "Zqrejectedbody",
        "Zqhidden",
        "Zqnoportalbody",
        "Zqminorbody",
        "Zqregistrant",
        "zqjoinlink",
        "Zqwaitinganswer",
        "Zqofficialname",
        "Zqexploringnote",  # fill's items of cities outside the directory
    ]:
        assert private not in text, private
    for shown in ["Zqpublicbody", "Zqpublictranscript", "Zqpublicplace", "Zqchosenname", "Zqanonymousbody"]:
        assert shown in text, shown
    # The scorecard file: the item, its office and status, never its evidence (the testimony's words are in
    # testimony.csv only) or an answer.
    scorecard = [row for row in _rows(client.get("/open-data/scorecard.csv").content) if row["id"] == str(item.pk)]
    assert [(r["office"], r["status"], r["updates"]) for r in scorecard] == [("Zqofficename", "implemented", "2")]
    assert "Zqpublicbody" not in client.get("/open-data/scorecard.csv").content.decode("utf-8-sig")


def _build_queries(client) -> list[int]:
    counts = []
    for path in ["/open-data/", "/open-data/upr-cities-open-data.zip"]:
        cache.clear()  # build afresh (outside a test's transaction, the change itself would)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    return counts


def test_open_data_page_and_package_query_counts_are_constant(client):
    fill(3, prefix="a")
    few = _build_queries(client)
    fill(40, prefix="b")
    # recommendations prefetch themes, affected persons, goals and city statuses; the indicator values are one more
    # file, the resources two (the list and its themes), the scorecard two (the items and their recommendations'
    # themes)
    assert _build_queries(client) == few == [20, 20]
