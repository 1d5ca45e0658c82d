"""What every printed local report says about itself and how it is laid out: its status (a draft marked DRAFT on
the cover and on every page, a submitted or accepted version with its number and date), the date the file was
made in UN style, files of the draft still listed after submitting; quotes under the part of their section that
the testimony speaks to; and a page estimate that follows the words actually printed."""

from __future__ import annotations

import datetime as dt
import io
import re
from contextlib import contextmanager

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports import printing as report_printing
from reports import rendering
from reports import services as report_services
from reports.content import snapshot, typed_words
from reports.document import Block, Document, build_local_report, un_date
from reports.enums import RenderStatus
from testimony.enums import Nature
from tests.reports.factories import make_report, words
from tests.testimony.factories import make_testimony

pytestmark = pytest.mark.django_db

MADE = dt.datetime(2026, 11, 9, 15, 0, tzinfo=dt.UTC)


@contextmanager
def at(moment: dt.datetime):
    """Time stands at `moment` (submissions, decisions and the files' "made" date)."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(timezone, "now", lambda: moment)
        yield


def _render(obj, name: str, fmt: str, capture) -> rendering.Render:
    with capture(execute=True):
        render = rendering.request_render(obj, name, fmt)
    render.refresh_from_db()
    assert render.status == RenderStatus.DONE, render.error
    return render


def _pdf_pages(render) -> list[str]:
    with render.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _docx(render):
    with render.file.open("rb") as handle:
        return docx.Document(io.BytesIO(handle.read()))


def test_un_date_in_english_and_spanish():
    assert un_date(dt.date(2020, 11, 9), "en") == "9 November 2020"
    assert un_date(dt.date(2020, 11, 9), "es") == "9 de noviembre de 2020"


def test_draft_pdf_says_draft_on_the_cover_and_on_every_page(personas, django_capture_on_commit_callbacks):
    report = make_report(personas["city_a"], sections=6, paragraphs_per_section=4, words_per_paragraph=120)
    with at(MADE):
        render = _render(report, "report", "pdf", django_capture_on_commit_callbacks)

    pages = _pdf_pages(render)
    assert len(pages) >= 4
    assert "DRAFT: not submitted to the national team; the text may still change." in pages[0]
    text_id = report_printing.draft_document(report).version()[:8]
    for number, page in enumerate(pages[1:], start=2):
        assert f"DRAFT · made 9 November 2026 · text {text_id}" in page, number
        assert f"Page {number} of {len(pages)}" in page


def test_submitted_and_accepted_versions_print_their_number_and_date(personas, django_capture_on_commit_callbacks):
    report = make_report(personas["city_a"], sections=1)
    with at(dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)):
        version = report_services.submit(report, by=None)
    with at(MADE):
        submitted = _render(version, "report", "pdf", django_capture_on_commit_callbacks)
        pages = _pdf_pages(submitted)
        assert "Version 1, submitted to the national team on 2 November 2026; not yet accepted." in pages[0]
        assert "DRAFT" not in " ".join(pages)
        assert "Version 1, submitted 2 November 2026 · made 9 November 2026" in pages[-1]

    with at(dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)):
        report_services.accept(report, by=None)
        # The file that said "not yet accepted" is not handed out any more; the accepted version prints as such.
        assert rendering.check_current([submitted])[0].status == RenderStatus.SUPERSEDED
        accepted = _render(version, "report", "docx", django_capture_on_commit_callbacks)
    word = _docx(accepted)
    texts = [p.text for p in word.paragraphs]
    assert "Version 1, accepted by the national team on 20 November 2026." in texts
    footer = [p.text for p in word.sections[0].footer.paragraphs]
    assert footer[-1] == "Version 1, accepted 20 November 2026 · made 20 November 2026"


def test_spanish_report_prints_dates_in_un_style(personas, django_capture_on_commit_callbacks):
    report = make_report(personas["city_a"], sections=1, language="es")
    with at(MADE):
        version = report_services.submit(report, by=None)
        render = _render(version, "report", "docx", django_capture_on_commit_callbacks)
    footer = [p.text for p in _docx(render).sections[0].footer.paragraphs]
    # Both dates (submitted, made) in Spanish UN style, whether or not the catalogue has the words around them yet.
    assert footer[-1].count("9 de noviembre de 2026") == 2
    assert "November" not in footer[-1] and "Nov." not in footer[-1]


def test_draft_files_stay_listed_after_submitting_beside_the_submitted_versions_button(
    client, personas, django_capture_on_commit_callbacks
):
    city = personas["city_a"]
    report = make_report(city, sections=1)
    draft_pdf = _render(report, "report", "pdf", django_capture_on_commit_callbacks)
    report_services.submit(report, by=personas["organizer_a"])
    client.force_login(personas["organizer_a"])

    page = client.get(reverse("reports:edit", args=[city.slug])).content.decode()
    panel = re.search(r'<div class="render-status" id="render-report-pdf".*?</div>', page, re.S).group(0)
    flat = " ".join(re.sub(r"<[^>]+>", " ", panel).split())
    assert flat.startswith(
        "PDF: not made yet for this text. The file made before submitting is the draft, marked DRAFT on every "
        "page; the submitted version needs its own file: Download the draft (pittsburgh-pa-local-report-cycle-4-"
        "draft.pdf) Make the PDF"
    )
    assert reverse("reports:download", args=[city.slug, draft_pdf.pk]) in panel
    response = client.get(reverse("reports:download", args=[city.slug, draft_pdf.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    response.close()
    # The Word file of the draft was never made: only the button.
    docx_panel = re.search(r'id="render-report-docx".*?</div>', page, re.S).group(0)
    assert "Download the draft" not in docx_panel and "Make the Word file" in docx_panel


def test_draft_files_of_another_text_are_not_listed_after_submitting(
    client, personas, django_capture_on_commit_callbacks
):
    city = personas["city_a"]
    report = make_report(city, sections=1)
    _render(report, "report", "pdf", django_capture_on_commit_callbacks)
    report.executive_summary = "A different summary, saved after the draft's file was made."
    report.save()
    report_services.submit(report, by=None)
    client.force_login(personas["organizer_a"])

    page = client.get(reverse("reports:edit", args=[city.slug])).content.decode()
    assert "Download the draft" not in page


# --- quotes under the part of the section they speak to ---------------------------------------------------------


def _section_parts(document: Document) -> list[tuple[str, str]]:
    """(kind, text) of the blocks of the first theme section, from its heading to the next heading."""
    start = next(i for i, b in enumerate(document.blocks) if b.kind == "heading" and b.level == 3)
    out = []
    for block in document.blocks[start + 1 :]:
        if block.kind == "heading":
            break
        out.append((block.kind, block.text))
    return out


def test_quotes_print_under_the_part_matching_the_testimonys_nature(personas):
    city = personas["city_a"]
    challenge = make_testimony(city=city, body="Nobody fixed the heating.", allows_local_report=True)
    positive = make_testimony(
        city=city, body="The help desk answered the same day.", allows_local_report=True, nature=Nature.POSITIVE
    )
    report = make_report(
        city, sections=1, paragraphs_per_section=2, words_per_paragraph=5, quotes=[positive, challenge]
    )
    section = report.sections.get()

    parts = _section_parts(build_local_report(city, snapshot(report)))
    assert parts == [
        ("subheading", "Challenges"),
        ("paragraph", section.challenges),
        ("quote", "Nobody fixed the heating."),
        ("subheading", "Positive advances"),
        ("paragraph", section.advances),
        ("quote", "The help desk answered the same day."),
    ]


def test_a_quote_prints_under_its_part_even_when_that_part_has_no_text(personas):
    city = personas["city_a"]
    positive = make_testimony(
        city=city, body="The clinic opened late for us.", allows_local_report=True, nature=Nature.POSITIVE
    )
    report = make_report(city, sections=1, paragraphs_per_section=1, words_per_paragraph=5, quotes=[positive])

    parts = _section_parts(build_local_report(city, snapshot(report)))
    assert [kind for kind, _text in parts] == ["subheading", "paragraph", "subheading", "quote"]
    assert parts[2:] == [("subheading", "Positive advances"), ("quote", "The clinic opened late for us.")]


def test_editor_preview_says_it_is_the_draft(client, personas):
    city = personas["city_a"]
    make_report(city, sections=1)
    client.force_login(personas["organizer_a"])

    page = client.get(reverse("reports:preview", args=[city.slug])).content.decode()
    status = re.search(r'<p class="[^"]*" id="document-status">(.*?)</p>', page).group(1)
    assert status == "DRAFT: not submitted to the national team; the text may still change."


def test_editor_preview_prints_a_challenge_quote_under_challenges(client, personas):
    city = personas["city_a"]
    challenge = make_testimony(city=city, body="The rent doubled in a year.", allows_local_report=True)
    make_report(city, sections=1, paragraphs_per_section=2, words_per_paragraph=5, quotes=[challenge])
    client.force_login(personas["organizer_a"])

    page = client.get(reverse("reports:preview", args=[city.slug])).content.decode()
    flat = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert flat.index("Challenges") < flat.index("The rent doubled in a year.") < flat.index("Positive advances")


# --- the page estimate --------------------------------------------------------------------------------------------


def test_page_estimate_moves_with_the_words_between_32_and_281_words(personas):
    city = personas["city_a"]
    estimates = {}
    # The executive summary, the methodology, one section's challenges and a recommendation: 32 and 281 words.
    for n, methodology in ((8, 8), (80, 81)):
        report = make_report(
            city,
            sections=1,
            paragraphs_per_section=1,
            words_per_paragraph=n,
            methodology=words(methodology),
            short_summary="",
        )
        document = report_printing.draft_document(report)
        estimates[typed_words(snapshot(report))] = document.page_estimate()
        report.delete()
    assert estimates == {32: (3, 3), 281: (4, 4)}


def test_page_estimate_has_no_contents_page_for_fewer_than_three_headings():
    document = Document(
        language="en",
        title="Local report",
        subtitle="",
        cover_lines=[],
        blocks=[Block("heading", text="Summary", level=2, anchor="s"), Block("paragraph", text="Short.", number=1)],
    )
    assert (document.has_contents(), document.front_pages(), document.page_estimate()) == (False, 1, (2, 2))


@pytest.mark.parametrize(
    "size",
    [
        {"sections": 1, "paragraphs_per_section": 1, "words_per_paragraph": 20},
        {"sections": 1, "paragraphs_per_section": 2, "words_per_paragraph": 100},
        {"sections": 3, "paragraphs_per_section": 3, "words_per_paragraph": 120},
        {"sections": 6, "paragraphs_per_section": 4, "words_per_paragraph": 200},
    ],
)
def test_page_estimate_holds_the_pdfs_page_count(personas, django_capture_on_commit_callbacks, size):
    report = make_report(personas["city_a"], recommendations=2, **size)
    render = _render(report, "report", "pdf", django_capture_on_commit_callbacks)
    low, high = report_printing.draft_document(report).page_estimate()
    assert low <= render.pages <= high
    assert high - low <= max(1, render.pages // 5)
