"""The local report editor and its workflow: saving (all or nothing, nothing typed lost), quotes as consent
allows, links to official recommendations, submit → return with comments → resubmit → accept, and publication."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports import content, rendering
from reports import printing as report_printing
from reports import services as report_services
from reports.enums import Decision, RenderStatus, ReportStatus
from reports.models import LocalReport, Quote, ReportRecommendation, ReportVersion, Section
from testimony.enums import Identification, Status
from tests.reports.factories import current_cycle, make_report, themes
from tests.testimony.factories import make_testimony
from upr.models import Recommendation, ReviewCycle

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def official():
    current_cycle()
    earlier = ReviewCycle.objects.create(number=3, outcome_adopted=dt.date(2021, 3, 18))
    return Recommendation.objects.create(
        cycle=earlier,
        document="A/HRC/46/15",
        paragraph="26.112",
        text="Guarantee the right to adequate housing.",
        recommending_states="Namibia",
        response="supported",
    )


def editor_post(report: LocalReport, theme, *, testimony=None, excerpt="", refs="26.112", **overrides) -> dict:
    data = {
        "revision": str(report.revision),
        "language": "en",
        "executive_summary": "Residents spoke about housing.\n\nThey also spoke about water.",
        "methodology": "Two community conversations and an online survey.",
        "short_summary": "Housing is the first concern of our residents.",
        **management("sections", 1),
        "sections-0-theme": str(theme.pk),
        "sections-0-challenges": "Rents rose faster than wages.",
        "sections-0-advances": "The council funded a right to counsel.",
        **management("recs", 1),
        "recs-0-text": "Fund the right to counsel for every tenant facing eviction.",
        "recs-0-level": "local",
        "recs-0-theme": str(theme.pk),
        "recs-0-official_refs": refs,
        "recs-0-reinforces_unfulfilled": "on",
        **management("quotes", 1 if testimony else 0),
        **management("citations", 0),
        "action": "save",
    }
    if testimony:
        data.update(
            {"quotes-0-testimony": str(testimony.pk), "quotes-0-theme": str(theme.pk), "quotes-0-excerpt": excerpt}
        )
    data.update(overrides)
    return data


def edit_url(city) -> str:
    return reverse("reports:edit", args=[city.slug])


def test_saving_the_editor_stores_every_part(client, personas, official):
    city = personas["city_a"]
    theme = themes(1)[0]
    words = make_testimony(
        city=city,
        body="We waited two years for a repair.",
        allows_local_report=True,
        identification=Identification.FIRST_NAME,
        display_name="Rosa",
    )
    client.force_login(personas["organizer_a"])
    assert client.get(edit_url(city)).status_code == 200
    report = LocalReport.objects.get(city=city)

    response = client.post(edit_url(city), editor_post(report, theme, testimony=words, excerpt="two years"))

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.revision == 1 and report.updated_by == personas["organizer_a"]
    assert Section.objects.get(report=report).challenges == "Rents rose faster than wages."
    rec = ReportRecommendation.objects.get(report=report)
    assert list(rec.official.all()) == [official] and rec.reinforces_unfulfilled
    assert Quote.objects.get(report=report).excerpt == "two years"
    document = report_printing.draft_document(report)
    quote = next(b for b in document.blocks if b.kind == "quote")
    assert (quote.text, quote.attribution) == ("two years", "Rosa")
    assert [b.number for b in document.blocks if b.number] == list(range(1, 8))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("recs-0-official_refs", "26.999", "No earlier UPR recommendation has the paragraph number 26.999"),
        ("recs-0-official_refs", "", "Name the earlier recommendation this one reinforces"),
        ("quotes-0-excerpt", "words nobody said", "copied word for word"),
        ("sections-0-theme", "", "This field is required"),
    ],
)
def test_bad_input_saves_nothing_and_keeps_the_text(client, personas, official, field, value, message):
    city = personas["city_a"]
    theme = themes(1)[0]
    words = make_testimony(city=city, body="We waited two years.", allows_local_report=True)
    client.force_login(personas["organizer_a"])
    client.get(edit_url(city))
    report = LocalReport.objects.get(city=city)

    data = editor_post(report, theme, testimony=words, **{field: value})
    response = client.post(edit_url(city), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Rents rose faster than wages." in page and "Fund the right to counsel" in page
    report.refresh_from_db()
    assert report.revision == 0 and report.executive_summary == ""
    assert not Section.objects.exists() and not ReportRecommendation.objects.exists() and not Quote.objects.exists()


def test_a_quote_must_sit_in_a_section_of_the_report(client, personas, official):
    city = personas["city_a"]
    theme, other = themes(2)
    words = make_testimony(city=city, body="We waited.", allows_local_report=True)
    client.force_login(personas["organizer_a"])
    client.get(edit_url(city))
    report = LocalReport.objects.get(city=city)
    data = editor_post(report, theme, testimony=words, **{"quotes-0-theme": str(other.pk)})
    response = client.post(edit_url(city), data)
    assert response.status_code == 400
    assert "The report has no section on" in response.content.decode()
    assert not Quote.objects.exists()


def test_testimony_without_local_report_consent_cannot_be_quoted(client, personas, official):
    city = personas["city_a"]
    theme = themes(1)[0]
    refused = make_testimony(city=city, body="Do not quote me.", allows_local_report=False)
    other_city = make_testimony(city=personas["city_b"], body="Boston words.", allows_local_report=True)
    pending = make_testimony(city=city, body="Not yet approved.", allows_local_report=True, status=Status.RECEIVED)
    client.force_login(personas["organizer_a"])
    page = client.get(edit_url(city)).content.decode()
    assert "Do not quote me" not in page and "Boston words" not in page and "Not yet approved" not in page
    report = LocalReport.objects.get(city=city)
    for testimony in (refused, other_city, pending):
        response = client.post(edit_url(city), editor_post(report, theme, testimony=testimony))
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
    assert not Quote.objects.exists()


def test_a_save_from_an_older_revision_keeps_the_text_and_overwrites_nothing(client, personas, official):
    city = personas["city_a"]
    theme = themes(1)[0]
    client.force_login(personas["organizer_a"])
    client.get(edit_url(city))
    report = LocalReport.objects.get(city=city)
    assert client.post(edit_url(city), editor_post(report, theme)).status_code == 302
    stale = editor_post(report, theme, executive_summary="My newer words from a second tab.")
    stale["revision"] = "0"
    stale.update(management("sections", 1))  # the second tab still shows the section as new

    response = client.post(edit_url(city), stale)

    assert response.status_code == 409
    assert "My newer words from a second tab." in response.content.decode()
    report.refresh_from_db()
    assert report.executive_summary.startswith("Residents spoke about housing.")
    assert Section.objects.filter(report=report).count() == 1


def test_submit_return_resubmit_accept(
    client, personas, official, mailoutbox, django_capture_on_commit_callbacks, superuser_client
):
    city = personas["city_a"]
    theme = themes(1)[0]
    organizer = personas["organizer_a"]
    from django.test import Client

    organizer_client = Client()
    organizer_client.force_login(organizer)
    organizer_client.get(edit_url(city))
    report = LocalReport.objects.get(city=city)

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(edit_url(city), editor_post(report, theme, action="submit"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    version = ReportVersion.objects.get(report=report)
    assert version.number == 1 and version.content["sections"][0]["challenges"] == "Rents rose faster than wages."
    assert any("Local report submitted" in m.subject for m in mailoutbox)

    # Locked: a save now changes nothing.
    locked = organizer_client.post(edit_url(city), editor_post(report, theme, executive_summary="Sneaky edit"))
    assert locked.status_code == 302
    report.refresh_from_db()
    assert "Sneaky" not in report.executive_summary

    decide = reverse("admin:reports_localreport_decide", args=[report.pk])
    assert superuser_client.post(decide, {"decision": "return", "comment": ""}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED  # a return needs comments

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(decide, {"decision": "return", "comment": "Please add a second recommendation."})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert [m.to for m in mailoutbox] == [[organizer.email]]
    assert "Please add a second recommendation." in mailoutbox[0].body
    page = organizer_client.get(edit_url(city)).content.decode()
    assert "Please add a second recommendation." in page

    data = editor_post(report, theme, action="submit", **management("sections", 1, 1), **management("recs", 2, 1))
    data["sections-0-id"] = str(Section.objects.get(report=report).pk)
    data["recs-0-id"] = str(ReportRecommendation.objects.get(report=report).pk)
    data.update({"recs-1-text": "Publish eviction data every month.", "recs-1-level": "state"})
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(edit_url(city), data)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert list(report.versions.values_list("number", "decision")) == [(1, "returned"), (2, "pending")]

    diff = superuser_client.get(reverse("admin:reports_localreport_diff", args=[report.pk]) + "?a=1&b=2")
    assert diff.status_code == 200
    assert "<ins>[state] Publish eviction data every month.</ins>" in diff.content.decode()

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(decide, {"decision": "accept", "comment": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.accepted_at
    assert report.accepted_version().number == 2
    assert "accepted" in mailoutbox[0].subject
    public = client.get(reverse("reports:public", args=[city.slug]))
    assert public.status_code == 200 and "Publish eviction data every month." in public.content.decode()
    assert "Read the local report" in client.get(city.get_absolute_url()).content.decode()


def test_submitting_an_incomplete_or_too_long_report_says_what_is_missing(client, personas, official):
    city = personas["city_a"]
    client.force_login(personas["organizer_a"])
    report = make_report(city, sections=1, recommendations=0, short_summary="")
    response = client.post(
        edit_url(city),
        {
            "revision": "0",
            "language": "en",
            "executive_summary": "x",
            "methodology": "",
            "short_summary": "",
            **management("sections", 1, 1),
            "sections-0-id": str(report.sections.get().pk),
            "sections-0-theme": str(report.sections.get().theme_id),
            "sections-0-challenges": "y",
            **management("recs", 0),
            **management("quotes", 0),
            **management("citations", 0),
            "action": "submit",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Add at least one recommendation." in page and "Write the short summary." in page
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.revision == 1  # saved, not submitted

    cycle = report.cycle
    cycle.local_report_word_limit = 10
    cycle.save()
    document = report_printing.draft_document(report)
    assert any("words over its limit of 10" in line for line in report_services.submission_problems(report, document))


def _pdf_text(render) -> tuple[str, int]:
    with render.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_the_pdf_prints_quotes_only_as_consent_allows(personas, django_capture_on_commit_callbacks):
    city = personas["city_a"]
    named = make_testimony(
        city=city,
        body="The landlord never fixed the heating.",
        allows_local_report=True,
        identification=Identification.FULL_NAME,
        display_name="Rosa Parks Jr",
    )
    anonymous = make_testimony(city=city, body="My children slept in coats all winter.", allows_local_report=True)
    pseudonym = make_testimony(
        city=city,
        body="The clinic turned us away twice.",
        allows_local_report=True,
        identification=Identification.PSEUDONYM,
        display_name="Blue Heron",
    )
    refused = make_testimony(
        city=city,
        body="Please never print this sentence.",
        allows_local_report=False,
        identification=Identification.FULL_NAME,
        display_name="Private Person",
    )
    withdrawn = make_testimony(
        city=city,
        body="I changed my mind about this one.",
        allows_local_report=True,
        identification=Identification.FIRST_NAME,
        display_name="Withdrawn",
    )
    report = make_report(city, sections=3, quotes=[named, anonymous, pseudonym, refused, withdrawn], recommendations=2)
    withdrawn.status = Status.WITHDRAWN
    withdrawn.withdrawn_at = withdrawn.created_at
    withdrawn.save()

    with django_capture_on_commit_callbacks(execute=True):
        render = rendering.request_render(report, "report", "pdf")
    render.refresh_from_db()
    assert render.status == RenderStatus.DONE, render.error
    text, pages = _pdf_text(render)
    flat = " ".join(text.split())

    assert "The landlord never fixed the heating." in flat and "Rosa Parks Jr" in flat
    assert "My children slept in coats all winter." in flat
    assert "The clinic turned us away twice." in flat and "Blue Heron" in flat
    assert flat.count("Anonymous") == 1
    assert "Please never print" not in flat and "Private Person" not in flat
    assert "changed my mind" not in flat and "Withdrawn" not in flat
    document = report_printing.draft_document(report)
    numbers = [b.number for b in document.blocks if b.number]
    positions = [flat.find(f"{n}. ") for n in numbers]
    assert all(p >= 0 for p in positions)
    low, high = document.page_estimate()
    assert low <= pages <= high
    for recommendation in report.recommendations.all():
        assert " ".join(recommendation.text.split())[:40] in flat
    assert f"Page 2 of {pages}" in flat
    with render.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged, PDF/UA
    assert reader.metadata.title == "Local report: Pittsburgh, PA"
    assert "Page" not in reader.pages[0].extract_text()  # no footer on the cover


def test_the_published_report_quotes_only_testimony_also_allowed_on_the_portal(client, personas):
    city = personas["city_a"]
    both = make_testimony(city=city, body="Quoted and shown on the portal.", allows_local_report=True)
    report_only = make_testimony(
        city=city, body="Quoted in the report but not shown online.", allows_local_report=True, allows_portal=False
    )
    report = make_report(city, sections=2, quotes=[both, report_only], status=ReportStatus.SUBMITTED)
    version = ReportVersion.objects.create(
        report=report, number=1, content=content.snapshot(report), decision=Decision.PENDING
    )
    report_services.accept(report, by=None)
    page = client.get(reverse("reports:public", args=[city.slug])).content.decode()
    assert "Quoted and shown on the portal." in page
    assert "not shown online" not in page
    assert "not shown online" in " ".join(b.text for b in rendering.build_document(version, "report").blocks)


def test_methodology_figures_come_from_the_data(personas):
    city = personas["city_a"]
    housing, water = themes(2)
    make_testimony(city=city, themes=[housing])
    make_testimony(city=city, themes=[housing, water], status=Status.RECEIVED)
    make_testimony(city=city, status=Status.WITHDRAWN)
    make_testimony(city=personas["city_b"])
    report = make_report(city, sections=1)
    figures = content.snapshot(report)["figures"]
    assert figures["total"] == 2
    assert figures["by_kind"] == [["written", 2]]
    assert figures["by_theme"][0][0] == housing.slug and figures["by_theme"][0][3] == 2


def test_editor_queries_do_not_grow_with_the_report(client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas["organizer_a"])
    counts = []
    for city, size in ((personas["city_a"], 3), (personas["city_b"], 60)):
        from cities.enums import Role
        from cities.models import Membership

        Membership.objects.get_or_create(user=personas["organizer_a"], city=city, defaults={"role": Role.ORGANIZER})
        quotes = [make_testimony(city=city, body=f"Words number {i}.", allows_local_report=True) for i in range(size)]
        make_report(city, sections=size, recommendations=size, quotes=quotes, words_per_paragraph=8)
        client.get(edit_url(city))  # the first visit creates the draft
        with CaptureQueriesContext(connection) as queries:
            assert client.get(edit_url(city)).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1], counts
