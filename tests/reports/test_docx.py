"""The Word version of a report (reports/docx.py), read back with python-docx: the same numbers, quotes and
footnotes as the Document (and so as the PDF), real Word footnotes, heading styles, the footer and properties."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from django.utils import translation
from django.utils.translation import pgettext
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from reports import rendering
from reports.content import snapshot
from reports.document import Block, Document, build_local_report
from reports.docx import render_docx
from testimony.enums import Identification
from testimony.models import ContactDetails
from tests.reports.factories import make_report
from tests.testimony.factories import default_city, make_testimony

QUOTE_NOTE = "Written testimony shared with the coalition, May 2026; quoted with the person's consent."
REC_NOTES = ["UPR recommendation 26.112 (2020) by Namibia, response: supported.", "A second official recommendation."]


def sample(language: str = "en", **overrides) -> Document:
    fields = {
        "language": language,
        "title": "Local report: Springfield, IL",
        "subtitle": "Human rights in our city: challenges, advances and recommendations",
        "cover_lines": ["Springfield Human Rights Coalition", "Universal Periodic Review, cycle 4"],
        "cover_notes": ["Submitted by the Springfield Human Rights Coalition."],
        "footer_label": "Local report, Springfield, IL",
        "blocks": [
            Block("heading", text="Executive summary", level=2, anchor="summary"),
            Block("paragraph", text="Residents spoke about housing & rent.", number=1, footnotes=["On rents."]),
            Block("paragraph", text="They also spoke about water.", number=2),
            Block("heading", text="How we gathered the testimony", level=2, anchor="methodology"),
            Block("paragraph", text="Two community conversations.", number=3),
            Block("figures", text="Figures from the portal's records", rows=[("Events held", "2"), ("Testimony", "9")]),
            Block("heading", text="Human rights in Springfield, theme by theme", level=2, anchor="themes"),
            Block("heading", text="Housing", level=3, anchor="theme-1"),
            Block("subheading", text="Challenges"),
            Block("paragraph", text="Rents rose faster than wages.", number=4),
            Block(
                "quote",
                text="We were told to leave within a week.",
                number=5,
                attribution="Ana Ruiz",
                footnotes=[QUOTE_NOTE],
            ),
            Block("heading", text="Recommendations", level=2, anchor="recommendations"),
            Block(
                "recommendation",
                text="Fund the right to counsel for every tenant facing eviction.",
                number=6,
                meta=["Who should act: Local (city or county)", "Linked UPR recommendations: 26.112"],
                footnotes=REC_NOTES,
            ),
        ],
    }
    fields.update(overrides)
    return Document(**fields)


def read(document: Document):
    return docx.Document(io.BytesIO(render_docx(document)))


def numbered_texts(word) -> list[str]:
    """The body paragraphs that carry a paragraph number, as text."""
    return [p.text for p in word.paragraphs if p.runs and p.runs[0].style.name == "Paragraph Number"]


def expected_numbered(document: Document) -> list[str]:
    expected = []
    for block in document.blocks:
        if block.kind == "quote":
            expected.append(f"{block.number}. “{block.text}”")
        elif block.number is not None:
            expected.append(f"{block.number}. {block.text}")
    return expected


def footnotes_part(word) -> list[tuple[str, str, str]]:
    """(id, type, text) of every w:footnote in the footnotes part, in order."""
    root = parse_xml(word.part.part_related_by(RT.FOOTNOTES).blob)
    return [
        (
            note.get(qn("w:id")),
            note.get(qn("w:type"), "normal"),
            "".join(t.text or "" for t in note.iter(qn("w:t"))),
        )
        for note in root.iter(qn("w:footnote"))
    ]


def body_reference_ids(word) -> list[str]:
    return [ref.get(qn("w:id")) for ref in word.element.body.iter(qn("w:footnoteReference"))]


def style_of(word, text: str, after: int = 0) -> str:
    """The style of the first paragraph saying exactly `text` from paragraph `after` on."""
    return next(p.style.name for p in word.paragraphs[after:] if p.text == text)


def test_docx_numbered_paragraphs_match_the_document_in_order():
    document = sample()
    word = read(document)

    assert numbered_texts(word) == [
        "1. Residents spoke about housing & rent.",
        "2. They also spoke about water.",
        "3. Two community conversations.",
        "4. Rents rose faster than wages.",
        "5. “We were told to leave within a week.”",
        "6. Fund the right to counsel for every tenant facing eviction.",
    ]
    assert numbered_texts(word) == expected_numbered(document)


def test_docx_quote_is_italic_with_its_attribution_below():
    word = read(sample())

    texts = [p.text for p in word.paragraphs]
    at = texts.index("5. “We were told to leave within a week.”")
    quote = word.paragraphs[at]
    assert quote.style.name == "Quote"
    assert quote.style.font.italic is True
    assert texts[at + 1] == "— Ana Ruiz"
    assert word.paragraphs[at + 1].style.name == "Quote Attribution"


def test_docx_recommendation_is_bold_with_its_details_below():
    word = read(sample())

    texts = [p.text for p in word.paragraphs]
    at = texts.index("6. Fund the right to counsel for every tenant facing eviction.")
    assert [r.bold for r in word.paragraphs[at].runs if r.text] == [None, True]
    assert texts[at + 1 : at + 3] == ["Who should act: Local (city or county)", "Linked UPR recommendations: 26.112"]
    assert {word.paragraphs[i].style.name for i in (at + 1, at + 2)} == {"Recommendation Detail"}


def test_docx_footnotes_are_word_footnotes_in_order():
    word = read(sample())

    notes = footnotes_part(word)
    assert notes[:2] == [("-1", "separator", ""), ("0", "continuationSeparator", "")]
    assert [(i, text.strip()) for i, kind, text in notes[2:]] == [
        ("1", "On rents."),
        ("2", QUOTE_NOTE),
        ("3", REC_NOTES[0]),
        ("4", REC_NOTES[1]),
    ]
    assert body_reference_ids(word) == ["1", "2", "3", "4"]
    # Each reference is a superscript run at the end of its paragraph.
    last_runs = [ref.getparent() for ref in word.element.body.iter(qn("w:footnoteReference"))]
    assert all(run.find(qn("w:rPr")).find(qn("w:vertAlign")).get(qn("w:val")) == "superscript" for run in last_runs)
    assert last_runs[0].getnext() is None
    assert last_runs[2].getnext() is last_runs[3] and last_runs[3].getnext() is None


def test_docx_footnotes_part_is_declared_once_with_its_content_type():
    word = read(sample())

    rels = [rel for rel in word.part.rels.values() if rel.reltype == RT.FOOTNOTES]
    assert len(rels) == 1
    assert rels[0].target_part.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    )


def test_docx_without_footnotes_has_no_footnotes_part():
    document = sample(blocks=[Block("paragraph", text="Only text.", number=1)])
    word = read(document)

    assert not [rel for rel in word.part.rels.values() if rel.reltype == RT.FOOTNOTES]
    assert numbered_texts(word) == ["1. Only text."]


def test_docx_headings_use_word_heading_styles():
    word = read(sample())

    body = [p.text for p in word.paragraphs].index("Contents") + 6  # after the five contents entries
    assert style_of(word, "Executive summary", body) == "Heading 1"
    assert style_of(word, "Recommendations", body) == "Heading 1"
    assert style_of(word, "Housing", body) == "Heading 2"
    assert style_of(word, "Challenges", body) == "Heading 3"


def test_docx_cover_then_contents_each_ending_in_a_page_break():
    word = read(sample())

    texts = [p.text for p in word.paragraphs]
    assert texts[:6] == [
        "Universal Periodic Review · Human Rights Cities",
        "Local report: Springfield, IL",
        "Human rights in our city: challenges, advances and recommendations",
        "Springfield Human Rights Coalition",
        "Universal Periodic Review, cycle 4",
        "Submitted by the Springfield Human Rights Coalition.",
    ]
    assert word.paragraphs[1].style.name == "Title"
    assert texts[6:12] == [
        "Contents",
        "Executive summary",
        "How we gathered the testimony",
        "Human rights in Springfield, theme by theme",
        "Housing",
        "Recommendations",
    ]
    assert [p.style.name for p in word.paragraphs[7:12]] == ["toc 1", "toc 1", "toc 1", "toc 2", "toc 1"]
    assert word.paragraphs[6].paragraph_format.page_break_before is True
    assert word.paragraphs[12].text == "Executive summary"
    assert word.paragraphs[12].paragraph_format.page_break_before is True
    # The entries are the saved result of a TOC field, so Word can update them with page numbers.
    instructions = [t.text for t in word.element.body.iter(qn("w:instrText"))]
    assert instructions == [' TOC \\o "1-2" \\h \\z \\u ']


def test_docx_cover_without_notes():
    word = read(sample(cover_notes=[]))

    texts = [p.text for p in word.paragraphs]
    assert texts[4:7] == ["Universal Periodic Review, cycle 4", "Contents", "Executive summary"]


def test_docx_short_summary_has_no_contents_and_no_cover_page():
    document = sample(
        kind="short_summary",
        subtitle="",
        cover_notes=[],
        blocks=[
            Block("heading", text="Summary", level=2, anchor="summary"),
            Block("paragraph", text="Housing comes first.", number=1),
        ],
    )
    word = read(document)

    assert [p.text for p in word.paragraphs] == [
        "Universal Periodic Review · Human Rights Cities",
        "Local report: Springfield, IL",
        "Springfield Human Rights Coalition",
        "Universal Periodic Review, cycle 4",
        "Summary",
        "1. Housing comes first.",
    ]
    assert not any(p.paragraph_format.page_break_before for p in word.paragraphs)
    assert not list(word.element.body.iter(qn("w:instrText")))
    assert word.sections[0].different_first_page_header_footer is False


def test_docx_figures_are_a_table_under_their_caption():
    word = read(sample())

    assert style_of(word, "Figures from the portal's records") == "Caption"
    [table] = word.tables
    assert [[cell.text for cell in row.cells] for row in table.rows] == [["Events held", "2"], ["Testimony", "9"]]


def test_docx_footer_says_page_x_of_y_with_fields():
    word = read(sample())

    section = word.sections[0]
    footer = section.footer.paragraphs[0]
    assert footer.text == "Local report, Springfield, IL\tPage 1 of 1"
    assert [t.text for t in footer._p.iter(qn("w:instrText"))] == [" PAGE ", " NUMPAGES "]
    # Like the PDF, the cover page has no footer.
    assert section.different_first_page_header_footer is True
    assert [p.text for p in section.first_page_footer.paragraphs] == [""]


def test_docx_spanish_footer_uses_the_templates_strings():
    word = read(sample("es"))

    with translation.override("es"):
        page, of = pgettext("page X of Y", "Page"), pgettext("page X of Y", "of")
    # The Spanish catalogue does not translate "Page"/"of" (context "page X of Y") yet; once it does, this reads
    # "Página 1 de 1", as the PDF does.
    assert word.sections[0].footer.paragraphs[0].text == f"Local report, Springfield, IL\t{page} 1 {of} 1"


def test_docx_properties_language_and_page():
    word = read(sample("es"))

    assert word.core_properties.title == "Local report: Springfield, IL"
    assert word.core_properties.language == "es"
    languages = word.styles.element.find(qn("w:docDefaults")).iter(qn("w:lang"))
    assert [lang.get(qn("w:val")) for lang in languages] == ["es-US"]
    section = word.sections[0]
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (215.9, 279.4)
    assert round(section.top_margin.mm) == 25
    assert word.styles["Normal"].font.size.pt == 11
    assert word.styles["Heading 1"].font.name == "Liberation Sans"


def test_docx_english_default_language():
    word = read(sample())

    assert word.core_properties.language == "en"
    languages = word.styles.element.find(qn("w:docDefaults")).iter(qn("w:lang"))
    assert [lang.get(qn("w:val")) for lang in languages] == ["en-US"]


def test_docx_same_document_same_bytes():
    assert render_docx(sample()) == render_docx(sample())


def test_docx_drops_characters_xml_cannot_hold():
    document = sample(blocks=[Block("paragraph", text="Pasted\x01 text\x1f.", number=1, footnotes=["Note\x02."])])
    word = read(document)

    assert numbered_texts(word) == ["1. Pasted text."]
    assert footnotes_part(word)[2][2] == " Note."


def test_render_bytes_docx_opens_in_python_docx():
    data, pages = rendering.render_bytes(sample(), "docx")

    assert pages is None
    assert data[:2] == b"PK"
    assert numbered_texts(docx.Document(io.BytesIO(data)))[0] == "1. Residents spoke about housing & rent."


@pytest.mark.django_db
def test_docx_of_a_local_report_names_anonymous_people_nobody():
    city = default_city()
    anonymous = make_testimony(
        city=city,
        body="The landlord cut the heat in January.",
        allows_local_report=True,
        identification=Identification.ANONYMOUS,
    )
    ContactDetails.objects.create(
        testimony=anonymous, name="Maria Lopez", email="maria@example.org", retain_until=dt.date(2030, 1, 1)
    )
    named = make_testimony(
        city=city,
        body="Our building finally has ramps.",
        allows_local_report=True,
        identification=Identification.FULL_NAME,
        display_name="Ana Ruiz",
    )
    report = make_report(city, sections=2, paragraphs_per_section=2, words_per_paragraph=20, quotes=[anonymous, named])
    document = build_local_report(city, snapshot(report))
    data = render_docx(document)
    word = docx.Document(io.BytesIO(data))

    assert numbered_texts(word) == expected_numbered(document)
    assert [t for t in numbered_texts(word) if "“" in t] == [
        f"{b.number}. “{b.text}”" for b in document.blocks if b.kind == "quote"
    ]
    assert [b.text for b in document.blocks if b.kind == "quote"] == [
        "The landlord cut the heat in January.",
        "Our building finally has ramps.",
    ]
    attributions = [p.text for p in word.paragraphs if p.style.name == "Quote Attribution"]
    assert attributions == ["— Anonymous", "— Ana Ruiz"]
    quote_notes = [b.footnotes[0] for b in document.blocks if b.kind == "quote"]
    assert [text.strip() for _id, kind, text in footnotes_part(word) if kind == "normal"] == quote_notes
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        everything = b"".join(package.read(name) for name in package.namelist())
    assert b"Maria" not in everything
    assert b"Lopez" not in everything


def _settings_xml(document: Document) -> str:
    with zipfile.ZipFile(io.BytesIO(render_docx(document))) as package:
        return package.read("word/settings.xml").decode()


def test_docx_contents_lists_the_headings_and_word_updates_its_page_numbers_on_opening():
    word = read(sample())

    toc = [p for p in word.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert [p.text for p in toc] == [
        "Executive summary",
        "How we gathered the testimony",
        "Human rights in Springfield, theme by theme",
        "Housing",
        "Recommendations",
    ]
    # Each entry links to its heading's bookmark, inside the one TOC field.
    anchors = [link.get(qn("w:anchor")) for p in toc for link in p._p.iter(qn("w:hyperlink"))]
    bookmarks = [b.get(qn("w:name")) for b in word.element.body.iter(qn("w:bookmarkStart"))]
    assert anchors == bookmarks == [f"_TocUPR{n}" for n in range(1, 6)]
    assert '<w:updateFields w:val="true"/>' in _settings_xml(sample())


def test_docx_of_fewer_than_three_headings_has_no_contents_page():
    document = sample(
        blocks=[
            Block("heading", text="Executive summary", level=2, anchor="summary"),
            Block("paragraph", text="Residents spoke about housing.", number=1),
            Block("heading", text="Recommendations", level=2, anchor="recommendations"),
            Block("recommendation", text="Fund the right to counsel.", number=2),
        ]
    )
    word = read(document)

    texts = [p.text for p in word.paragraphs]
    assert "Contents" not in texts
    assert texts[6] == "Executive summary"
    assert word.paragraphs[6].paragraph_format.page_break_before is True  # the body starts after the cover
    assert not list(word.element.body.iter(qn("w:instrText")))
    assert "updateFields" not in _settings_xml(document)


def test_pdf_of_fewer_than_three_headings_has_no_contents_page():
    document = sample(
        blocks=[
            Block("heading", text="Executive summary", level=2, anchor="summary"),
            Block("paragraph", text="Residents spoke about housing.", number=1),
        ]
    )
    data, pages = rendering.render_pdf(document)
    assert pages == 2  # the cover and the body
    assert "Contents" not in rendering.render_html(document)


def test_docx_footer_says_when_the_file_was_made_and_a_draft_says_draft():
    document = sample(status="draft", status_line="DRAFT: not submitted.", footer_status="DRAFT")
    word = docx.Document(io.BytesIO(render_docx(document, made=dt.date(2020, 11, 9))))

    footer = [p.text for p in word.sections[0].footer.paragraphs]
    assert footer[1] == f"DRAFT · made 9 November 2020 · text {document.version()[:8]}"
    assert "DRAFT: not submitted." in [p.text for p in word.paragraphs[:8]]
