"""A `Document` as a Word file, with the same content and numbering as the PDF.

OHCHR takes stakeholder submissions as Word files, so this is not a lesser export of the PDF:

- Paragraph numbers are written as text ("12. "), never as Word list numbering, so they are the PDF's numbers and
  stay put while someone edits the file (the UPR cites submissions by paragraph).
- Footnotes are real Word footnotes. python-docx has no footnote API and its default template has no footnotes
  part, so `_Footnotes` adds the part and the references itself.
- The contents page is a Word TOC field whose saved result is the list of headings (linked to them), so the file
  reads correctly as it is, in LibreOffice too, which shows a field's saved result; `w:updateFields` asks Word to
  refresh the field on opening, which adds the page numbers that only a word processor can know. A document with
  fewer than three headings has no contents page (`Document.has_contents`), as in the PDF.
- The footer says "Page X of Y" with PAGE and NUMPAGES fields, in the document's language, like the PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import docx
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Length, Mm, Pt, RGBColor

from reports.document import Block, Document

# The print stylesheet's (static/reports/print.css) fonts, colours and page.
SERIF = "Liberation Serif"
SANS = "Liberation Sans"
INK = RGBColor(0x1D, 0x23, 0x2B)
QUOTE_INK = RGBColor(0x2B, 0x33, 0x3D)
BLUE = RGBColor(0x0B, 0x3D, 0x6E)
GREY = RGBColor(0x5A, 0x62, 0x70)
GOLD = "F2B134"
RULE = "D5DAE0"
PAGE_WIDTH, PAGE_HEIGHT = Mm(215.9), Mm(279.4)  # US Letter
MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT = Mm(25), Mm(24), Mm(24), Mm(28)
TEXT_WIDTH = Length(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
# The contents: Heading 1 and 2 (the PDF's level-2 and level-3 headings), as hyperlinks, without page numbers
# until Word updates the field.
TOC_FIELD = ' TOC \\o "1-2" \\h \\z \\u '

# Word's spelling and hyphenation need a region; the portal's cities are in the United States.
WORD_LANGUAGE = {"en": "en-US", "es": "es-US"}

# Characters XML 1.0 cannot hold (pasted text sometimes carries them); lxml would refuse the whole document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Where the schema wants the few elements written here by hand (python-docx does the rest): each is inserted
# before the first of these that the parent already has.
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
_AFTER_TBL_CAPTION = ("w:tblDescription", "w:tblPrChange")
_AFTER_AUTO_HYPHENATION = (
    "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps", "w:showEnvelope", "w:summaryLength",
    "w:clickAndTypeStyle", "w:defaultTableStyle", "w:evenAndOddHeaders", "w:characterSpacingControl",
    "w:savePreviewPicture", "w:updateFields", "w:footnotePr", "w:endnotePr", "w:compat", "w:rsids",
)  # fmt: skip
_AFTER_UPDATE_FIELDS = _AFTER_AUTO_HYPHENATION[_AFTER_AUTO_HYPHENATION.index("w:updateFields") + 1 :]
_AFTER_FOOTNOTE_PR = ("w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:themeFontLang")


def render_docx(document: Document, *, made: dt.date | None = None) -> bytes:
    """The Word file of `document`, made on `made` (today when not given). The same Document and date give the
    same bytes."""
    made = made or timezone.localdate()
    with translation.override(document.language):
        word = docx.Document()
        _set_up(word, document)
        writer = _Writer(word)
        writer.cover(document)
        if document.has_contents():  # the same rule as the PDF's contents page
            writer.contents(document)
        for block in document.blocks:
            writer.block(block)
        _footer(word, document, made)
        buffer = io.BytesIO()
        word.save(buffer)
    return _without_timestamps(buffer.getvalue())


def clean(text: str) -> str:
    return _NOT_XML.sub("", text or "")


# --- the body ---------------------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, word) -> None:
        self.word = word
        self.footnotes = _Footnotes(word)
        self.bookmarks: dict[int, str] = {}  # id(heading block) -> bookmark the contents links to
        self.bookmark_ids = 0
        self.new_page = False  # the next paragraph starts a page (page break before, no empty paragraph)

    def paragraph(self, text: str = "", style: str | None = None):
        paragraph = self.word.add_paragraph(clean(text), style=style)
        if self.new_page:
            paragraph.paragraph_format.page_break_before = True
            self.new_page = False
        return paragraph

    def cover(self, document: Document) -> None:
        full_page = document.kind != "short_summary"
        kicker = self.paragraph(_("Universal Periodic Review · Human Rights Cities"), "Cover Kicker")
        if full_page:
            kicker.paragraph_format.space_before = Mm(45)
        title = self.paragraph(document.title, "Title")
        if not full_page and title.runs:
            title.runs[0].font.size = Pt(20)
        if document.subtitle:
            self.paragraph(document.subtitle, "Subtitle")
        for line in document.cover_lines:
            if line:
                self.paragraph(line, "Cover Line")
        if document.status_line:
            status = self.paragraph(document.status_line, "Cover Status")
            if document.is_draft and status.runs:
                status.runs[0].bold = True
        for index, note in enumerate(document.cover_notes):
            paragraph = self.paragraph(note, "Cover Note")
            if index == 0:
                paragraph.paragraph_format.space_before = Mm(18)
        self.new_page = full_page

    def contents(self, document: Document) -> None:
        self.paragraph(_("Contents"), "TOC Heading")
        entries = [b for b in document.blocks if b.kind == "heading" and b.level <= 3]
        paragraphs = []
        for block in entries:
            self.bookmarks[id(block)] = f"_TocUPR{len(self.bookmarks) + 1}"
            paragraph = self.paragraph(style="toc 1" if block.level == 2 else "toc 2")
            link = OxmlElement("w:hyperlink", {qn("w:anchor"): self.bookmarks[id(block)], qn("w:history"): "1"})
            link.append(_text_run(block.text))
            paragraph._p.append(link)
            paragraphs.append(paragraph)
        if not paragraphs:
            paragraphs.append(self.paragraph(style="toc 1"))
        # One field around all the entries, as Word writes a TOC: begin and instruction before the first entry,
        # end after the last.
        properties = paragraphs[0]._p.get_or_add_pPr()
        for run in reversed([_field_char("begin"), _instruction(TOC_FIELD), _field_char("separate")]):
            properties.addnext(run)
        paragraphs[-1]._p.append(_field_char("end"))
        self.new_page = True

    def block(self, block: Block) -> None:
        handler = getattr(self, f"_{block.kind}", None)
        if handler is None:
            raise ValueError(f"unknown block kind {block.kind!r}")
        handler(block)

    def _heading(self, block: Block) -> None:
        paragraph = self.paragraph(block.text, "Heading 1" if block.level <= 2 else "Heading 2")
        name = self.bookmarks.get(id(block))
        if name:
            self.bookmark_ids += 1
            number = str(self.bookmark_ids)
            start = OxmlElement("w:bookmarkStart", {qn("w:id"): number, qn("w:name"): name})
            paragraph._p.get_or_add_pPr().addnext(start)
            paragraph._p.append(OxmlElement("w:bookmarkEnd", {qn("w:id"): number}))

    def _subheading(self, block: Block) -> None:
        self.paragraph(block.text, "Heading 3")

    def _numbered(self, block: Block, style: str | None = None):
        paragraph = self.paragraph(style=style)
        if block.number is not None:
            paragraph.add_run(f"{block.number}. ", style="Paragraph Number")
        return paragraph

    def _paragraph(self, block: Block) -> None:
        paragraph = self._numbered(block, "Body Text")
        paragraph.add_run(clean(block.text))
        self.footnotes.add(paragraph, block.footnotes)

    def _quote(self, block: Block) -> None:
        paragraph = self._numbered(block, "Quote")
        paragraph.add_run(f"“{clean(block.text)}”")
        self.footnotes.add(paragraph, block.footnotes)
        if block.attribution:
            paragraph.paragraph_format.keep_with_next = True
            self.paragraph(f"— {block.attribution}", "Quote Attribution")

    def _recommendation(self, block: Block) -> None:
        paragraph = self._numbered(block, "Body Text")
        paragraph.add_run(clean(block.text)).bold = True
        self.footnotes.add(paragraph, block.footnotes)
        lines = [line for line in block.meta if line]
        if lines:
            paragraph.paragraph_format.space_after = Mm(1)
            paragraph.paragraph_format.keep_with_next = True
        for index, line in enumerate(lines):
            meta = self.paragraph(line, "Recommendation Detail")
            if index < len(lines) - 1:
                meta.paragraph_format.keep_with_next = True
            else:
                meta.paragraph_format.space_after = Mm(4)

    def _citation(self, block: Block) -> None:
        """A cited resource: its UN symbol and title, then its kind, date and note, and its page as a real
        hyperlink (none once the resource is out of the public library: reports.document.citation_blocks)."""
        paragraph = self.paragraph(style="Citation")
        if block.attribution:
            symbol = paragraph.add_run(f"{clean(block.attribution)} ")
            symbol.bold = True
            symbol.font.name = SANS
        paragraph.add_run(clean(block.text)).italic = True
        paragraph.paragraph_format.keep_with_next = True
        lines = [line for line in block.meta if line]
        for index, line in enumerate(lines):
            detail = self.paragraph(line, "Citation Detail")
            if index < len(lines) - 1 or block.link:
                detail.paragraph_format.keep_with_next = True
        if block.link:
            link_paragraph = self.paragraph(style="Citation Detail")
            relation = self.word.part.relate_to(block.link, RT.HYPERLINK, is_external=True)
            link = OxmlElement("w:hyperlink", {qn("r:id"): relation, qn("w:history"): "1"})
            run = _text_run(block.link)
            r_pr = OxmlElement("w:rPr")
            r_pr.append(OxmlElement("w:rStyle", {qn("w:val"): "Hyperlink"}))
            run.insert(0, r_pr)
            link.append(run)
            link_paragraph._p.append(link)
            link_paragraph.paragraph_format.space_after = Mm(3)
        elif lines:
            detail.paragraph_format.space_after = Mm(3)

    def _figures(self, block: Block) -> None:
        if block.text:
            self.paragraph(block.text, "Caption")
        table = self.word.add_table(rows=0, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        label_width = Length(int(TEXT_WIDTH * 0.7) - Mm(25))  # the PDF's table is 70% of the text width
        table.columns[0].width, table.columns[1].width = label_width, Mm(25)
        for label, value in block.rows:
            cells = table.add_row().cells
            for cell, text, width in ((cells[0], label, label_width), (cells[1], value, Mm(25))):
                cell.width = width
                paragraph = cell.paragraphs[0]
                paragraph.style = "Figure Cell"
                paragraph.add_run(clean(text))
            cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            cells[1].paragraphs[0].runs[0].font.name = SANS
        tbl_pr = table._tbl.tblPr
        borders = OxmlElement("w:tblBorders")
        for edge in ("bottom", "insideH"):
            borders.append(
                OxmlElement(
                    f"w:{edge}", {qn("w:val"): "single", qn("w:sz"): "4", qn("w:space"): "0", qn("w:color"): RULE}
                )
            )
        _insert(tbl_pr, borders, _AFTER_TBL_BORDERS)
        if block.text:  # what a screen reader announces for the table, like the PDF's <caption>
            _insert(tbl_pr, OxmlElement("w:tblCaption", {qn("w:val"): clean(block.text)}), _AFTER_TBL_CAPTION)
        # A little space after the table, which Word does not leave by itself.
        self.paragraph(style="Figure Cell").paragraph_format.space_after = Mm(3)


def _text_run(text: str):
    run = OxmlElement("w:r")
    t = OxmlElement("w:t", {qn("xml:space"): "preserve"})
    t.text = clean(text)
    run.append(t)
    return run


def _field_char(kind: str):
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))
    return run


def _instruction(code: str):
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    instr.text = code
    run.append(instr)
    return run


def _field(paragraph, code: str, shown: str) -> None:
    """A complex field (PAGE, NUMPAGES) showing `shown` until Word or LibreOffice computes it."""
    p = paragraph._p
    p.append(_field_char("begin"))
    p.append(_instruction(f" {code} "))
    p.append(_field_char("separate"))
    p.append(_text_run(shown))
    p.append(_field_char("end"))


def _insert(parent, child, successors: tuple[str, ...]) -> None:
    """Put `child` in `parent` where the schema wants it (replacing one of the same name)."""
    existing = parent.find(child.tag)
    if existing is not None:
        parent.remove(existing)
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


# --- footnotes --------------------------------------------------------------------------------------------------


class _Footnotes:
    """The footnotes part, added on the first footnote (python-docx's default template has none).

    Ids -1 and 0 are the separator and continuation separator, as Word writes them; notes are numbered from 1 in
    the order they are added, which is the order they are printed, so Word's footnote numbers are the PDF's.
    """

    def __init__(self, word) -> None:
        self.word = word
        self.root = None
        self.next_id = 1

    def add(self, paragraph, notes: list[str]) -> None:
        for note in notes:
            self._add(paragraph, note)

    def _add(self, paragraph, note: str) -> None:
        if self.root is None:
            self.root = self._create_part()
        note_id = str(self.next_id)
        self.next_id += 1

        footnote = OxmlElement("w:footnote", {qn("w:id"): note_id})
        p = OxmlElement("w:p")
        p_pr = OxmlElement("w:pPr")
        p_pr.append(OxmlElement("w:pStyle", {qn("w:val"): "FootnoteText"}))
        p.append(p_pr)
        mark = OxmlElement("w:r")
        mark.append(_reference_properties())
        mark.append(OxmlElement("w:footnoteRef"))
        p.append(mark)
        p.append(_text_run(f" {note}"))
        footnote.append(p)
        self.root.append(footnote)

        reference = OxmlElement("w:r")
        reference.append(_reference_properties())
        reference.append(OxmlElement("w:footnoteReference", {qn("w:id"): note_id}))
        paragraph._p.append(reference)

    def _create_part(self):
        document_part = self.word.part
        for rel in document_part.rels.values():
            if rel.reltype == RT.FOOTNOTES:
                raise ValueError("the Word template already has a footnotes part; reuse it instead of adding one")
        separators = "".join(
            f'<w:footnote w:type="{kind}" w:id="{note_id}"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
            f' w:lineRule="auto"/></w:pPr><w:r><w:{kind}/></w:r></w:p></w:footnote>'
            for kind, note_id in (("separator", "-1"), ("continuationSeparator", "0"))
        )
        root = parse_xml(f"<w:footnotes {nsdecls('w', 'r')}>{separators}</w:footnotes>")
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root, document_part.package)
        document_part.relate_to(part, RT.FOOTNOTES)
        # Word also names the two separators in the settings.
        footnote_pr = OxmlElement("w:footnotePr")
        for note_id in ("-1", "0"):
            footnote_pr.append(OxmlElement("w:footnote", {qn("w:id"): note_id}))
        _insert(self.word.settings.element, footnote_pr, _AFTER_FOOTNOTE_PR)
        return root


def _reference_properties():
    r_pr = OxmlElement("w:rPr")
    r_pr.append(OxmlElement("w:rStyle", {qn("w:val"): "FootnoteReference"}))
    r_pr.append(OxmlElement("w:vertAlign", {qn("w:val"): "superscript"}))
    return r_pr


# --- page, footer, styles, properties ---------------------------------------------------------------------------


def _footer(word, document: Document, made: dt.date) -> None:
    section = word.sections[0]
    if document.kind != "short_summary":  # the PDF's cover page has no footer
        section.different_first_page_header_footer = True
        section.first_page_footer.is_linked_to_previous = False
    paragraph = section.footer.paragraphs[0]
    paragraph.style = "Footer"
    paragraph.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    # The template's strings, with their context, so both formats say the same in every language.
    paragraph.add_run(f"{clean(document.footer_label)}\t{pgettext('page X of Y', 'Page')} ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(f" {pgettext('page X of Y', 'of')} ")
    _field(paragraph, "NUMPAGES", "1")
    # Where the text stands and when the file was made, on every page, as in the PDF (a draft says DRAFT).
    section.footer.add_paragraph(clean(document.footer_line(made)), style="Footer")


def _set_up(word, document: Document) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.right_margin = MARGIN_TOP, MARGIN_RIGHT
    section.bottom_margin, section.left_margin = MARGIN_BOTTOM, MARGIN_LEFT
    section.header_distance = section.footer_distance = Mm(12)

    _styles(word, WORD_LANGUAGE.get(document.language, document.language))
    settings = word.settings.element
    _insert(settings, OxmlElement("w:autoHyphenation"), _AFTER_AUTO_HYPHENATION)  # the PDF hyphenates too
    if document.has_contents():
        # Word fills in the contents' page numbers when the file is opened (the saved entries have none).
        _insert(settings, OxmlElement("w:updateFields", {qn("w:val"): "true"}), _AFTER_UPDATE_FIELDS)

    props = word.core_properties
    props.title = clean(document.title)
    props.subject = clean(document.subtitle)
    props.author = clean(document.cover_lines[0]) if document.cover_lines else ""
    props.language = document.language
    props.comments = ""
    props.last_modified_by = ""
    props.revision = 1
    # The template's dates (2013) would be wrong and today's would make two renders differ; Word fills them in
    # when someone saves the file.
    core = props._element
    for name in ("dcterms:created", "dcterms:modified"):
        for element in core.findall(qn(name)):
            core.remove(element)
    # The template's thumbnail is a picture of an empty page.
    package_rels = word.part.package.rels
    for r_id in [r_id for r_id, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[r_id]


def _fonts(r_pr, name: str) -> None:
    """Set the font of a run-properties element, dropping the theme fonts that would win over it."""
    fonts = r_pr.get_or_add_rFonts()
    # East Asian text keeps the theme's font: ours have no glyphs for it.
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), name)


def _style(word, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, *, style_id: str | None = None, builtin=False):
    """The style `name`, added (based on Normal) if the template lacks it.

    `builtin`: one of Word's own styles (named in lower case, like "toc 1"), which Word then treats as its own,
    e.g. uses for the entries when it updates the contents.
    """
    styles = word.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, kind, builtin=builtin)
        if style_id:
            style.style_id = style_id
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = styles["Normal"]
    return style


def _look(style, *, font=None, size=None, color=None, bold=None, italic=None, caps=None) -> None:
    if font:
        _fonts(style.element.get_or_add_rPr(), font)
    if size is not None:
        style.font.size = Pt(size)
        complex_size = style.element.rPr.find(qn("w:szCs"))
        if complex_size is not None:
            complex_size.set(qn("w:val"), str(round(size * 2)))
    if color is not None:
        style.font.color.rgb = color
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    if caps is not None:
        style.font.all_caps = caps


def _spacing(style, *, before=None, after=None, line=None, left=None) -> None:
    fmt = style.paragraph_format
    if before is not None:
        fmt.space_before = before
    if after is not None:
        fmt.space_after = after
    if line is not None:
        fmt.line_spacing = line
    if left is not None:
        fmt.left_indent = left


def _border(style, edge: str, size_eighths: int, color: str, space: int = 1) -> None:
    p_pr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    borders.append(
        OxmlElement(
            f"w:{edge}",
            {qn("w:val"): "single", qn("w:sz"): str(size_eighths), qn("w:space"): str(space), qn("w:color"): color},
        )
    )
    _insert(p_pr, borders, _AFTER_PBDR)


def _styles(word, language: str) -> None:
    """The print stylesheet as Word styles, so a reader who edits the file keeps its look."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(r_pr, SERIF)
    r_pr.find(qn("w:lang")).set(qn("w:val"), language)

    normal = word.styles["Normal"]
    _look(normal, size=11, color=INK)
    _spacing(normal, before=Pt(0), after=Mm(3), line=1.25)

    body = word.styles["Body Text"]
    _spacing(body, after=Mm(3))
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.widow_control = True

    number = _style(word, "Paragraph Number", WD_STYLE_TYPE.CHARACTER, style_id="ParagraphNumber")
    _look(number, font=SANS, size=9, color=GREY, bold=False, italic=False)

    for name, size, before, after in (("Heading 1", 15, Mm(9), Mm(4)), ("Heading 2", 12.5, Mm(7), Mm(2.5))):
        heading = word.styles[name]
        _look(heading, font=SANS, size=size, color=BLUE, bold=True, italic=False)
        _spacing(heading, before=before, after=after)
    _border(word.styles["Heading 1"], "bottom", 8, GOLD, space=4)
    subheading = word.styles["Heading 3"]
    _look(subheading, font=SANS, size=10, color=GREY, bold=True, italic=False, caps=True)
    _spacing(subheading, before=Mm(4), after=Mm(1.5))

    title = word.styles["Title"]
    _look(title, font=SANS, size=28, color=BLUE, bold=True)
    _border(title, "top", 16, GOLD, space=12)
    _spacing(title, before=Mm(2), after=Mm(6), line=1.0)
    subtitle = word.styles["Subtitle"]
    _look(subtitle, font=SANS, size=14, color=GREY, italic=False)
    _spacing(subtitle, after=Mm(20))

    kicker = _style(word, "Cover Kicker", style_id="CoverKicker")
    _look(kicker, font=SANS, size=9, color=GREY, caps=True)
    _spacing(kicker, after=Mm(8))
    line_style = _style(word, "Cover Line", style_id="CoverLine")
    _look(line_style, font=SANS, size=12)
    _spacing(line_style, after=Mm(2))
    status_style = _style(word, "Cover Status", style_id="CoverStatus")
    _look(status_style, font=SANS, size=11)
    _spacing(status_style, before=Mm(6), after=Mm(2))
    note_style = _style(word, "Cover Note", style_id="CoverNote")
    _look(note_style, font=SANS, size=10, color=GREY)
    _spacing(note_style, after=Mm(2))

    toc_heading = word.styles["TOC Heading"]
    _look(toc_heading, font=SANS, size=16, color=BLUE)
    _spacing(toc_heading, before=Pt(0), after=Mm(8))
    toc_1 = _style(word, "toc 1", style_id="TOC1", builtin=True)
    _spacing(toc_1, after=Mm(2.5))
    toc_2 = _style(word, "toc 2", style_id="TOC2", builtin=True)
    _look(toc_2, size=10)
    _spacing(toc_2, after=Mm(2.5), left=Mm(8))

    quote = word.styles["Quote"]
    _look(quote, italic=True, color=QUOTE_INK)
    _spacing(quote, before=Mm(4), after=Mm(1.5), left=Mm(12))
    _border(quote, "left", 20, GOLD, space=8)
    quote.paragraph_format.keep_together = True
    attribution = _style(word, "Quote Attribution", style_id="QuoteAttribution")
    _look(attribution, font=SANS, size=9, color=GREY)
    _spacing(attribution, after=Mm(5), left=Mm(12))
    _border(attribution, "left", 20, GOLD, space=8)

    detail = _style(word, "Recommendation Detail", style_id="RecommendationDetail")
    _look(detail, font=SANS, size=8.5, color=GREY)
    _spacing(detail, after=Pt(0), left=Mm(4))

    citation = _style(word, "Citation", style_id="Citation")
    _spacing(citation, after=Pt(0))
    citation_detail = _style(word, "Citation Detail", style_id="CitationDetail")
    _look(citation_detail, font=SANS, size=8.5, color=GREY)
    _spacing(citation_detail, after=Pt(0), left=Mm(4))
    hyperlink = _style(word, "Hyperlink", WD_STYLE_TYPE.CHARACTER, style_id="Hyperlink", builtin=True)
    _look(hyperlink, color=BLUE)
    hyperlink.font.underline = True

    caption = word.styles["Caption"]
    _look(caption, font=SANS, size=9, color=GREY, bold=True)
    _spacing(caption, before=Mm(2), after=Mm(1.5))
    caption.paragraph_format.keep_with_next = True
    cell = _style(word, "Figure Cell", style_id="FigureCell")
    _look(cell, size=10)
    _spacing(cell, before=Mm(1), after=Mm(1), line=1.0)

    footer = word.styles["Footer"]
    _look(footer, font=SANS, size=8, color=GREY)
    footer.paragraph_format.tab_stops.clear_all()

    note_text = _style(word, "footnote text", style_id="FootnoteText", builtin=True)
    _look(note_text, size=8, color=QUOTE_INK)
    _spacing(note_text, after=Pt(2), line=1.0)
    note_text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    reference = _style(word, "footnote reference", WD_STYLE_TYPE.CHARACTER, style_id="FootnoteReference", builtin=True)
    reference.font.superscript = True


# --- the file ---------------------------------------------------------------------------------------------------


def _without_timestamps(data: bytes) -> bytes:
    """The same file with every zip entry dated 1980-01-01, so two renders of one Document are identical."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
