"""The mid-term implementation report: compiled from the cities' tracking, edited and left out in the admin,
checked, and rendered to PDF and Word with evidence resolved at print (testimony only with advocacy and UN-report
consent); the national report's follow-up of the previous review says where the tracking cities stand."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from docx import Document as WordDocument
from pypdf import PdfReader

from national.midterm import build_midterm, compile_midterm, current_standings, midterm_checks
from national.models import MidtermParagraph, MidtermReport
from reports import rendering
from reports.enums import RenderStatus
from testimony.enums import Identification
from tests.reports.factories import current_cycle
from tests.testimony.factories import make_testimony
from tests.tracking.factories import make_office, make_recommendations
from tracking.enums import EvidenceKind, Level, ReplyDecision, TrackingStatus
from tracking.models import Evidence, Reply, StatusUpdate, TrackedItem


def _update(item, status, day, what, **fields):
    return StatusUpdate.objects.create(
        item=item, status=status, what_changed=what, observed_on=dt.date(2026, 1, 1) + dt.timedelta(days=day), **fields
    )


@pytest.fixture
def world(personas):
    pittsburgh, boston = personas["city_a"], personas["city_b"]
    housing, policing, untracked = make_recommendations(3)
    office = make_office(pittsburgh, "Housing Authority")
    boston_office = make_office(boston, "Boston Police Department")
    item = TrackedItem.objects.create(city=pittsburgh, recommendation=housing, level=Level.CITY, office=office)
    _update(item, TrackingStatus.NOT_STARTED, 0, "Nothing yet.")
    moved = _update(item, TrackingStatus.PARTLY_IMPLEMENTED, 60, "The council funded 200 housing vouchers.")
    Evidence.objects.create(update=moved, kind=EvidenceKind.LINK, title="Council minutes", url="https://example.org/m")
    memo = Evidence(update=moved, kind=EvidenceKind.DOCUMENT, title="Internal memo", is_public=False)
    memo.document.save("memo.pdf", ContentFile(b"%PDF-1.4 memo"), save=True)
    Reply.objects.create(
        update=moved, office=office, sent_to="h@example.org", due_on=dt.date(2026, 4, 1),
        decision=ReplyDecision.APPROVED, answer="We will fund 300 more next year.", answered_by_name="Director",
        answered_at=timezone.now(),
    )  # fmt: skip
    allowed = make_testimony(
        city=pittsburgh, body="We waited three years for a voucher.", allows_advocacy=True,
        allows_national_report=True, identification=Identification.PSEUDONYM, display_name="Blue Heron",
    )  # fmt: skip
    portal_only = make_testimony(city=pittsburgh, body="Please keep this off UN papers.", allows_advocacy=True)
    Evidence.objects.create(update=moved, kind=EvidenceKind.TESTIMONY, testimony=allowed, excerpt="")
    Evidence.objects.create(update=moved, kind=EvidenceKind.TESTIMONY, testimony=portal_only, excerpt="")
    both = TrackedItem.objects.create(city=boston, recommendation=housing, level=Level.STATE)
    _update(both, TrackingStatus.IN_PROGRESS, 30, "A state bill was introduced.")
    police = TrackedItem.objects.create(city=boston, recommendation=policing, office=boston_office)
    asked = _update(police, TrackingStatus.REGRESSED, 10, "The oversight board was disbanded.")
    reply = Reply.objects.create(
        update=asked, office=boston_office, sent_to="p@example.org", due_on=dt.date(2026, 2, 1)
    )
    Reply.objects.filter(pk=reply.pk).update(requested_at=dt.datetime(2026, 1, 12, 15, tzinfo=dt.UTC))
    TrackedItem.objects.create(city=pittsburgh, recommendation=untracked)  # tracked, never assessed
    report = MidtermReport.objects.create(
        cycle=current_cycle(), title="Mid-term report of the human rights cities", submitter="US Human Rights Cities",
        acronym="USHRC", description="A network of cities.", period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2026, 6, 1), introduction="Cities tracked the review.\n\nThis is what they found.",
    )  # fmt: skip
    review = report.cycle
    review.review_date = dt.date(2020, 11, 9)
    review.save()
    return {"report": report, "housing": housing, "policing": policing, "untracked": untracked, "allowed": allowed,
            "portal_only": portal_only, "boston": boston}  # fmt: skip


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_compiling_writes_one_paragraph_per_assessed_recommendation(world):
    counts = compile_midterm(world["report"])

    assert counts["added"] == 2
    paragraphs = {p.recommendation_id: p for p in world["report"].paragraphs.all()}
    assert set(paragraphs) == {world["housing"].pk, world["policing"].pk}  # never assessed: no paragraph
    housing = _flat(paragraphs[world["housing"].pk].text)
    assert "Recommendation 26.1 (Namibia; supported)" in housing
    assert "Boston, MA: in progress as of 31 January 2026. A state bill was introduced." in housing
    assert "Pittsburgh, PA: partly implemented as of 2 March 2026 (was not started)." in housing
    assert "Responsible: Housing Authority." in housing
    assert "Housing Authority replied: “We will fund 300 more next year.”" in housing
    assert "three years" not in housing  # testimony words are never stored in a paragraph
    policing = _flat(paragraphs[world["policing"].pk].text)
    assert "Boston Police Department was asked to reply on 12 January 2026 and had not replied by 1 February 2026." in (
        policing
    )
    assert set(paragraphs[world["housing"].pk].cities.values_list("name", flat=True)) == {"Pittsburgh", "Boston"}


def test_compiling_again_keeps_edits_and_flags_them_and_removes_what_is_gone(world):
    report = world["report"]
    compile_midterm(report)
    edited = report.paragraphs.get(recommendation=world["housing"])
    edited.text, edited.edited = "Our own words about housing.", True
    edited.save()
    TrackedItem.objects.filter(recommendation=world["policing"]).delete()
    item = TrackedItem.objects.get(city=world["boston"], recommendation=world["housing"])
    _update(item, TrackingStatus.IMPLEMENTED, 90, "The bill passed.")

    counts = compile_midterm(report)

    edited.refresh_from_db()
    assert edited.text == "Our own words about housing." and edited.source_changed
    assert "The bill passed." in edited.generated_text
    assert counts == {"added": 0, "updated": 0, "kept": 1, "removed": 1, "flagged": 1}
    assert not report.paragraphs.filter(recommendation=world["policing"]).exists()


def test_the_document_resolves_evidence_at_print_and_the_checks_pass(world):
    report = world["report"]
    compile_midterm(report)
    document = build_midterm(report)
    blocks = [(b.kind, b.number, b.text) for b in document.blocks]
    numbers = [n for _kind, n, _text in blocks if n is not None]
    assert numbers == list(range(1, len(numbers) + 1))
    printed = " ".join(f"{b.text} {b.attribution} {' '.join(b.footnotes)}" for b in document.blocks)
    assert "We waited three years for a voucher." in printed and "Blue Heron" in printed
    assert "Please keep this off UN papers." not in printed  # no consent to the report to the UN
    assert "Council minutes: https://example.org/m" in printed
    assert "Internal memo" not in printed  # a private document is never named
    figures = dict(next(b for b in document.blocks if b.kind == "figures").rows)
    assert (figures["Partly implemented"], figures["In progress"], figures["Regressed"]) == ("1", "1", "1")
    assert all(check.passed for check in midterm_checks(report, document)), midterm_checks(report, document)

    # Consent narrowed after compiling: the next print leaves the words out, with no recompiling.
    world["allowed"].allows_national_report = False
    world["allowed"].save()
    printed = " ".join(b.text for b in build_midterm(report).blocks)
    assert "We waited three years for a voucher." not in printed


def test_checks_name_what_to_fix(world):
    report = world["report"]
    report.acronym, report.period_start = "", dt.date(2019, 1, 1)
    report.save()
    checks = {c.name: c for c in midterm_checks(report)}
    assert not checks["Recommendations followed up"].passed  # nothing compiled yet
    assert not checks["First page names the submitter, its acronym and a description"].passed
    assert not checks["Period covered"].passed and "9 November 2020" in checks["Period covered"].detail


def test_the_pdf_and_word_files_print_it(world, django_capture_on_commit_callbacks):
    report = world["report"]
    compile_midterm(report)
    with django_capture_on_commit_callbacks(execute=True):
        pdf = rendering.request_render(report, "report", "pdf")
        word = rendering.request_render(report, "report", "docx")
    for render in (pdf, word):
        render.refresh_from_db()
        assert render.status == RenderStatus.DONE, render.error
    with pdf.file.open("rb") as handle:
        text = _flat("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages))
    assert "Mid-term implementation report" in text and "USHRC" in text
    assert "Housing Authority replied" in text and "We waited three years for a voucher." in text
    with word.file.open("rb") as handle:
        doc_text = _flat(" ".join(p.text for p in WordDocument(io.BytesIO(handle.read())).paragraphs))
    assert "Recommendation 26.1 (Namibia; supported)" in doc_text
    assert word.filename.endswith("mid-term-report.docx")


def test_the_admin_compiles_edits_and_renders(world, superuser_client, django_capture_on_commit_callbacks):
    report = world["report"]
    response = superuser_client.post(reverse("admin:national_midtermreport_compile", args=[report.pk]), follow=True)
    assert "2 paragraphs added" in response.content.decode()
    page = superuser_client.get(reverse("admin:national_midtermreport_change", args=[report.pk]))
    html = page.content.decode()
    assert "OHCHR checks" in html and "Compile from the cities" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:national_midtermreport_render", args=[report.pk]), {"format": "pdf"}, follow=True
        )
    assert "is being made" in response.content.decode()
    paragraph = MidtermParagraph.objects.filter(report=report).first()
    assert paragraph is not None


def test_the_national_report_follow_up_says_where_the_tracking_cities_stand(world):
    standings = current_standings([world["housing"].pk, world["untracked"].pk])
    assert [(city, status) for city, status, _date in standings[world["housing"].pk]] == [
        ("Boston, MA", "in progress"),
        ("Pittsburgh, PA", "partly implemented"),
    ]
    assert world["untracked"].pk not in standings
