"""The organizers' board and the public scorecards: what they show, their forms and bad input, their query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cities.models import City
from testimony.enums import Identification
from tests.reports.factories import themes
from tests.testimony.factories import make_testimony
from tests.tracking.factories import make_office, make_recommendations, make_tracked
from tracking import services
from tracking.enums import EvidenceKind, ReplyDecision, TrackingStatus
from tracking.models import Evidence, Reply, StatusUpdate, TrackedItem
from tracking.services import EvidenceInput
from upr.enums import Response

TODAY = dt.date(2026, 6, 1)


def blank_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def organizer_client(client, personas):
    client.force_login(personas["organizer_a"])
    return client


def test_track_all_matching_recommendations(organizer_client, personas):
    """ "All housing recommendations of the cycle": one button tracks every match, not only the page shown."""
    city = personas["city_a"]
    recs = make_recommendations(9, theme_count=3)
    housing = recs[0].themes.get()
    matching = [r for r in recs if housing in r.themes.all()]
    response = organizer_client.post(
        f"/organize/{city.slug}/tracking/choose/", {"theme": housing.slug, "all_matching": "1"}
    )
    assert response.status_code == 302
    tracked = set(TrackedItem.objects.filter(city=city).values_list("recommendation__paragraph", flat=True))
    assert tracked == {r.paragraph for r in matching}
    assert len(tracked) == 3


def test_track_the_ticked_ones_and_filters(organizer_client, personas):
    city = personas["city_a"]
    recs = make_recommendations(4)
    organizer_client.post(f"/organize/{city.slug}/tracking/choose/", {"recommendation": [recs[1].pk, recs[3].pk]})
    assert set(TrackedItem.objects.values_list("recommendation__paragraph", flat=True)) == {"26.2", "26.4"}
    page = organizer_client.get(
        f"/organize/{city.slug}/tracking/choose/", {"response": Response.NOTED}
    ).content.decode()
    assert "26.3" in page and "26.1" not in page  # 26.3 is the one noted recommendation of the four
    page = organizer_client.get(f"/organize/{city.slug}/tracking/choose/", {"state": "Portugal"}).content.decode()
    assert "26.2" in page and "26.1" not in page


def test_recommendations_the_local_report_linked_come_suggested(organizer_client, personas):
    from reports.enums import ReportStatus
    from tests.reports.factories import make_report

    city = personas["city_a"]
    recs = make_recommendations(3)
    report = make_report(city, sections=1, recommendations=1, status=ReportStatus.ACCEPTED)
    report.recommendations.get().official.add(recs[2])
    page = organizer_client.get(f"/organize/{city.slug}/tracking/choose/").content.decode()
    assert page.index("26.3") < page.index("26.1")
    assert f'value="{recs[2].pk}" id="rec-{recs[2].pk}" checked' in page


def test_quick_update_from_the_board(organizer_client, personas):
    city = personas["city_a"]
    item = make_tracked(city, count=1, updates_each=0)[0]
    response = organizer_client.post(
        f"/organize/{city.slug}/tracking/items/{item.pk}/quick/",
        {"status": "in_progress", "what_changed": "Budget line proposed.", "observed_on": "2026-05-01"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{item.pk}")
    assert list(StatusUpdate.objects.values_list("status", "what_changed")) == [
        ("in_progress", "Budget line proposed.")
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "implemnted", "what_changed": "x", "observed_on": "2026-05-01"}, "Select a valid choice"),
        ({"status": "implemented", "what_changed": "x", "observed_on": "2999-01-01"}, "cannot be in the future"),
        ({"status": "implemented", "what_changed": "", "observed_on": "2026-05-01"}, "This field is required"),
        ({"status": "implemented", "what_changed": "x", "observed_on": "yesterday"}, "Enter a valid date"),
    ],
)
def test_quick_update_bad_input_stores_nothing(organizer_client, personas, data, message):
    city = personas["city_a"]
    item = make_tracked(city, count=1, updates_each=0)[0]
    response = organizer_client.post(f"/organize/{city.slug}/tracking/items/{item.pk}/quick/", data, follow=True)
    assert message in response.content.decode()
    assert StatusUpdate.objects.count() == 0


def test_full_update_with_evidence(organizer_client, personas):
    city = personas["city_a"]
    item = make_tracked(city, count=1, updates_each=0)[0]
    testimony = make_testimony(
        city=city,
        body="The shelter closed in May and we slept in the car.",
        allows_advocacy=True,
        identification=Identification.FIRST_NAME,
        display_name="Ana",
    )
    pdf = SimpleUploadedFile("minutes.pdf", blank_pdf())
    response = organizer_client.post(
        f"/organize/{city.slug}/tracking/items/{item.pk}/",
        {
            "status": "regressed",
            "what_changed": "The shelter closed.",
            "observed_on": "2026-05-20",
            "link_url": "https://example.org/news",
            "link_title": "News report",
            "document": pdf,
            "document_title": "Council minutes",
            "document_public": "",
            "testimony": testimony.pk,
            "excerpt": "The shelter closed in May",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert list(Evidence.objects.order_by("pk").values_list("kind", "title", "is_public", "excerpt")) == [
        (EvidenceKind.LINK, "News report", True, ""),
        (EvidenceKind.DOCUMENT, "Council minutes", False, ""),
        (EvidenceKind.TESTIMONY, "", False, "The shelter closed in May"),
    ]


@pytest.mark.parametrize(
    ("extra", "field_message"),
    [
        ({"observed_on": "2999-01-01"}, "cannot be in the future"),
        ({"status": "done"}, "Select a valid choice"),
        ({"link_url": "not a link at all"}, "Enter a valid URL"),
        ({"excerpt": "words nobody wrote"}, "Choose the testimony"),
        ({"document": "x", "document_title": ""}, ""),
    ],
)
def test_full_update_bad_input_is_refused_and_kept(organizer_client, personas, extra, field_message):
    city = personas["city_a"]
    item = make_tracked(city, count=1, updates_each=0)[0]
    data = {"status": "in_progress", "what_changed": "Kept text", "observed_on": "2026-05-01", **extra}
    if extra.get("document") == "x":
        data["document"] = SimpleUploadedFile("notes.txt", b"plain text, not a PDF")
        field_message = "not one we accept"
    response = organizer_client.post(f"/organize/{city.slug}/tracking/items/{item.pk}/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert field_message in page
    assert "Kept text" in page  # valid input is kept
    assert StatusUpdate.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_offices_form_refuses_a_duplicate_name(organizer_client, personas):
    city = personas["city_a"]
    make_office(city, "Mayor's Office")
    response = organizer_client.post(
        f"/organize/{city.slug}/tracking/offices/", {"name": "mayor's office", "level": "city", "contact_email": ""}
    )
    assert response.status_code == 400
    assert "already lists an office" in response.content.decode()


def test_request_reply_needs_an_office_email(organizer_client, personas):
    city = personas["city_a"]
    office = make_office(city, "Parks", contact_email="")
    item = make_tracked(city, count=1, office=office)[0]
    response = organizer_client.post(f"/organize/{city.slug}/tracking/items/{item.pk}/reply/", {"reply-days": "14"})
    assert response.status_code == 400
    assert "contact email" in response.content.decode()


def test_approving_a_reply_shows_it_beside_the_assessment(organizer_client, client, personas):
    city = personas["city_a"]
    item = make_tracked(city, count=1)[0]
    reply = Reply.objects.get(update__item=item)
    Reply.objects.filter(pk=reply.pk).update(
        decision=ReplyDecision.ANSWERED, answer="The council funds it next year.", answered_at=timezone.now()
    )
    organizer_client.post(f"/organize/{city.slug}/tracking/replies/{reply.pk}/decide/", {"decision": "approve"})
    client.logout()
    page = client.get(f"/cities/{city.slug}/scorecard/").content.decode()
    assert "The council funds it next year." in page
    assert "Housing Authority was asked to reply on" in page


def test_scorecard_shows_status_office_evidence_and_hides_private_documents(client, personas):
    city = personas["city_a"]
    item = make_tracked(city, count=1, updates_each=0)[0]
    services.record_update(
        item,
        status=TrackingStatus.PARTLY_IMPLEMENTED,
        what_changed="Ordinance passed, not funded.",
        observed_on=TODAY,
        by=None,
        evidence=[
            EvidenceInput(EvidenceKind.LINK, title="Ordinance text", url="https://example.org/ordinance"),
            EvidenceInput(
                EvidenceKind.DOCUMENT,
                title="Internal memo",
                document=SimpleUploadedFile("m.pdf", b"%PDF-1.4"),
                is_public=False,
            ),
        ],
    )
    page = client.get(f"/cities/{city.slug}/scorecard/").content.decode()
    assert "Partly implemented" in page
    assert "Housing Authority" in page
    assert "Ordinance text" in page
    assert "Internal memo" not in page
    assert 'role="img"' in page and "<title" in page


def test_scorecard_filters(client, personas):
    city = personas["city_a"]
    make_tracked(city, count=5, updates_each=1)  # statuses in turn: not started, in progress, partly, ...
    page = client.get(f"/cities/{city.slug}/scorecard/", {"status": "implemented"}).content.decode()
    assert "1 recommendation tracked" in page
    page = client.get(f"/cities/{city.slug}/scorecard/", {"level": "federal"}).content.decode()
    assert "0 recommendations tracked" in page


def test_city_csv_has_the_documented_columns_and_no_personal_data(client, personas):
    city = personas["city_a"]
    make_tracked(city, count=2, updates_each=2, by=personas["organizer_a"])
    response = client.get(f"/cities/{city.slug}/scorecard.csv")
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == (
        "recommendation,review,text,themes,us_response,level,office,status,observed_on,updates,reply_asked_on,"
        "reply_answered,reply"
    )
    assert len(lines) == 3
    assert lines[1].startswith("26.1,4,")
    assert "organizer-a@example.org" not in text
    assert "Director" not in text  # the name of whoever answered stays out


def test_network_page_and_csv(client, personas):
    make_tracked(personas["city_a"], count=3)
    make_tracked(personas["city_b"], count=2)
    page = client.get("/scorecard/").content.decode()
    assert "Pittsburgh, PA" in page and "Boston, MA" in page
    assert "26.1" in page
    lines = client.get("/scorecard.csv").content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "city,state,theme,not_started,in_progress,partly_implemented,implemented,regressed,not_assessed,total"
    )
    assert len(lines) == 1 + 3 + 2  # each city's items are on a different theme each


def test_city_page_shows_the_scorecard_panel(client, personas):
    city = personas["city_a"]
    assert "Open the scorecard" not in client.get(f"/cities/{city.slug}/").content.decode()
    make_tracked(city, count=2)
    page = client.get(f"/cities/{city.slug}/").content.decode()
    assert "The city&#x27;s organizers track 2 recommendations" in page or "track 2 recommendations" in page
    assert f"/cities/{city.slug}/scorecard/" in page


# --- Query counts -----------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("public", "expected"), [(True, 9), (False, 11)], ids=["scorecard", "board"])
def test_city_pages_run_the_same_queries_for_3_and_60_items(client, personas, public, expected):
    small, large = personas["city_a"], personas["city_b"]
    make_tracked(small, count=3, updates_each=3)
    make_tracked(large, count=60, updates_each=4, start=100)
    if public:
        few = _queries(client, f"/cities/{small.slug}/scorecard/")
        many = _queries(client, f"/cities/{large.slug}/scorecard/")
    else:
        from cities.enums import Role
        from cities.models import Membership

        Membership.objects.create(user=personas["organizer_a"], city=large, role=Role.ORGANIZER)
        client.force_login(personas["organizer_a"])
        few = _queries(client, f"/organize/{small.slug}/tracking/")
        many = _queries(client, f"/organize/{large.slug}/tracking/")
    assert (few, many) == (expected, expected)


def test_network_grid_runs_the_same_queries_for_3_and_20_cities(client, personas, city_factory):
    themes(5)
    for n in range(3):
        make_tracked(city_factory(f"Town {n}", "OH"), count=2, start=n * 10 + 1)
    few = _queries(client, "/scorecard/")
    for n in range(3, 20):
        make_tracked(city_factory(f"Town {n}", "OH"), count=3, updates_each=2, start=n * 10 + 1)
    assert City.objects.filter(tracked_items__isnull=False).distinct().count() == 20
    many = _queries(client, "/scorecard/")
    assert (few, many) == (6, 6)
