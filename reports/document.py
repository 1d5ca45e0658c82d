"""What a report says, apart from how it is printed.

Two steps, kept apart on purpose:

- `reports.content.snapshot(report)` freezes what the organizers wrote (and the figures computed from the
  portal's data) as plain JSON: a submitted version stores it, the admin compares two of them.
- `build_local_report(content, ...)` turns a snapshot into a `Document`: numbered paragraphs, headings, quotes
  and footnotes. Quotes are resolved here, at each render, against the testimony's consent *now*: a quote whose
  consent was withdrawn or changed disappears from every render made after that, and the person is named only
  as they chose.

The HTML/PDF and DOCX renderers (`reports.rendering`) both print a Document, so the two formats carry the same
numbering and content; the national report (national.document) builds a Document too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports.enums import Decision, Level, ReportStatus
from reports.quotes import resolve_quote
from resources.enums import ResourceKind
from resources.selectors import public_resources
from testimony.enums import Kind, Nature, Use
from testimony.selectors import quotable_for
from upr.enums import Response

# Raise when the printed form of a Document changes, so existing renders are not reused for new-looking output.
LAYOUT_VERSION = "2026-12-2"
# Measured on our print stylesheet (static/reports/print.css), US Letter: a line of body text holds about this
# many words and a page about this many lines. Headings, figures, quotes and their spacing take lines of their
# own (`block_lines`), which is why a page holds fewer words when the text is cut into many short parts.
WORDS_PER_LINE = 12
LINES_PER_PAGE = 46
# Where the last page breaks depends on where headings and quotes fall; the estimate gives that much either way.
PAGE_SPREAD = (0.9, 1.15)

# Fewer headings than this and a document has no contents page (see Document.has_contents).
MIN_CONTENTS_ENTRIES = 3

_WORD = re.compile(r"\w", re.UNICODE)

# The UN's own style for dates in its documents ("9 November 2020", "9 de noviembre de 2020"), whatever the
# portal's short formats for pages are.
UN_DATE_FORMATS = {"en": "j F Y", "es": r"j \d\e F \d\e Y"}


def un_date(value: dt.date, language: str | None = None) -> str:
    """`value` in UN style, in `language` (the active language when not given)."""
    language = (language or translation.get_language() or "en")[:2]
    with translation.override(language):
        return date_format(value, UN_DATE_FORMATS.get(language, UN_DATE_FORMATS["en"]))


def count_words(*texts: str) -> int:
    """Words as a word processor counts them: runs of non-space characters holding a letter or digit ("26.112"
    is one word, a dash alone is none)."""
    return sum(1 for text in texts for token in (text or "").split() if _WORD.search(token))


def paragraphs_of(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks inside one are kept as spaces."""
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text or "") if part.strip()]


# --- the document: what is printed -----------------------------------------------------------------------------


@dataclass
class Block:
    """One printed block. kind: heading | subheading | paragraph | quote | recommendation | figures | citation."""

    kind: str
    text: str = ""
    number: int | None = None  # numbered paragraphs (paragraphs, quotes' lead-in, recommendations)
    level: int = 2  # headings
    anchor: str = ""  # headings: the table of contents links here
    attribution: str = ""  # quotes
    footnotes: list[str] = field(default_factory=list)
    meta: list[str] = field(default_factory=list)  # recommendation: who acts, linked official recommendations
    rows: list[tuple[str, str]] = field(default_factory=list)  # figures
    # citation: the UN symbol is `attribution`, the title `text`, kind and date then the note in `meta`, and the
    # resource's page on the portal in `link` ("" once it is no longer in the public library).
    link: str = ""


@dataclass(frozen=True)
class Stamp:
    """Where a local report's printed text stands: the live draft, or a submitted version (its number, and the
    date it was submitted or decided)."""

    status: str  # a ReportStatus value
    number: int | None = None
    date: dt.date | None = None

    @classmethod
    def draft(cls) -> Stamp:
        return cls(ReportStatus.DRAFT)

    @classmethod
    def of_version(cls, version) -> Stamp:
        # The decision as stored now, not as on the caller's copy of the row: a copy loaded before the national
        # team decided would stamp (and version) a file differently from the worker that prints it.
        decision, decided_at, submitted_at = type(version).objects.filter(pk=version.pk).values_list(
            "decision", "decided_at", "submitted_at"
        ).first() or (version.decision, version.decided_at, version.submitted_at)
        status = {Decision.ACCEPTED: ReportStatus.ACCEPTED, Decision.RETURNED: ReportStatus.RETURNED}.get(
            decision, ReportStatus.SUBMITTED
        )
        when = decided_at if status != ReportStatus.SUBMITTED and decided_at else submitted_at
        return cls(status, version.number, timezone.localtime(when).date() if when else None)

    def lines(self) -> tuple[str, str]:
        """(the cover's line, the footer's words) in the active language."""
        values = {"n": self.number, "date": un_date(self.date) if self.date else ""}
        if self.status == ReportStatus.SUBMITTED:
            return (
                _("Version %(n)s, submitted to the national team on %(date)s; not yet accepted.") % values,
                _("Version %(n)s, submitted %(date)s") % values,
            )
        if self.status == ReportStatus.RETURNED:
            return (
                _("Version %(n)s, returned with comments by the national team on %(date)s.") % values,
                _("Version %(n)s, returned with comments") % values,
            )
        if self.status == ReportStatus.ACCEPTED:
            return (
                _("Version %(n)s, accepted by the national team on %(date)s.") % values,
                _("Version %(n)s, accepted %(date)s") % values,
            )
        return (
            _("DRAFT: not submitted to the national team; the text may still change."),
            _("DRAFT"),
        )


@dataclass
class Document:
    language: str
    title: str
    subtitle: str
    cover_lines: list[str]  # under the title on the cover: coalition, cycle, date
    blocks: list[Block]
    kind: str = "local_report"
    footer_label: str = ""
    cover_notes: list[str] = field(default_factory=list)  # e.g. who submits, and what they are
    # Where the text stands (reports.enums.ReportStatus; "" for documents without a workflow): part of the content
    # version, so a file made of a draft is never taken for the submitted text, nor a submitted one for the
    # accepted text. `status_line` goes on the cover, `footer_status` on every other page.
    status: str = ""
    status_line: str = ""
    footer_status: str = ""

    @property
    def is_draft(self) -> bool:
        return self.status == ReportStatus.DRAFT

    def footer_line(self, made: dt.date) -> str:
        """The footer's second line on every page of a file made on `made`: where the text stands, the date the
        file was made, and for a draft (which has no version number) the short id of the text it was made of."""
        with translation.override(self.language):
            if not self.footer_status:
                return _("Made %(date)s") % {"date": un_date(made)}
            parts = [self.footer_status, _("made %(date)s") % {"date": un_date(made)}]
            if self.is_draft:
                parts.append(_("text %(id)s") % {"id": self.version()[:8]})
            return " · ".join(parts)

    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "heading" and b.level == 2]

    def contents_entries(self) -> list[Block]:
        """The headings a contents page lists (both levels)."""
        return [b for b in self.blocks if b.kind == "heading" and b.level <= 3]

    def has_contents(self) -> bool:
        """Whether the PDF and the Word file have a contents page: not for a short summary or brief, nor for a
        document of fewer than three headings, where a page listing one or two would be a page of nothing."""
        return self.kind != "short_summary" and len(self.contents_entries()) >= MIN_CONTENTS_ENTRIES

    def word_count(self) -> int:
        """Words of the body as printed, footnotes included (the OHCHR way of counting)."""
        total = 0
        for block in self.blocks:
            total += count_words(block.text, block.attribution, *block.footnotes, *block.meta)
            total += sum(count_words(a, b) for a, b in block.rows)
        return total

    def front_pages(self) -> int:
        """The pages before the body: the cover (a short summary's is a heading on the first page) and contents."""
        return (0 if self.kind == "short_summary" else 1) + int(self.has_contents())

    def body_lines(self) -> float:
        """The body's height in lines of body text, block by block, from the words actually printed."""
        return sum(block_lines(block) for block in self.blocks)

    def page_estimate(self) -> tuple[int, int]:
        """(fewest, most) pages expected: cover and contents, then the body as laid out by the print stylesheet."""
        return pages_for(self.body_lines(), self.front_pages())

    def version(self) -> str:
        payload = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(f"{LAYOUT_VERSION}\n{payload}".encode()).hexdigest()


# Lines a block takes besides its words: its spacing, the last line's remainder, a heading's size and rule.
_BLOCK_EXTRA_LINES = {"paragraph": 1.1, "quote": 2.4, "recommendation": 1.4, "figures": 2.5, "citation": 1.6}
_HEADING_LINES = {2: 4.0, 3: 3.0}
_SUBHEADING_LINES = 2.0
_FOOTNOTE_WORDS_PER_LINE = 20  # 8 pt at the foot of the page
_META_WORDS_PER_LINE = 17  # 8.5 pt under a recommendation
_FIGURE_ROW_LINES = 1.5


def block_lines(block: Block) -> float:
    """The height of one printed block, in lines of body text."""
    if block.kind == "heading":
        return _HEADING_LINES.get(block.level, 3.0)
    if block.kind == "subheading":
        return _SUBHEADING_LINES
    lines = count_words(block.text, block.attribution) / WORDS_PER_LINE + _BLOCK_EXTRA_LINES.get(block.kind, 1.0)
    lines += sum(count_words(note) / _FOOTNOTE_WORDS_PER_LINE + 0.4 for note in block.footnotes)
    lines += sum(count_words(line) / _META_WORDS_PER_LINE + 0.6 for line in block.meta)
    return lines + _FIGURE_ROW_LINES * len(block.rows)


def pages_for(body_lines: float, front_pages: int) -> tuple[int, int]:
    """(fewest, most) pages of a document whose body is `body_lines` high (static/js/report-editor.js does the same
    sum as the person types)."""
    body = body_lines / LINES_PER_PAGE
    low, high = (max(1, math.ceil(body * factor)) for factor in PAGE_SPREAD)
    return front_pages + low, front_pages + high


class _Numbering:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n


def resolve_quotes(city, content: dict, uses: tuple[Use, ...]) -> dict[tuple[int, str | None], dict]:
    """{(testimony id, theme slug): {text, name, kind, when}} for the quotes that resolve now (`resolve_quote`:
    the city's testimony, consent for all `uses`, the excerpt still inside the public version)."""
    ids = {quote["testimony"] for quote in content["quotes"]}
    allowed = {t.pk: t for t in quotable_for(city, *uses).filter(pk__in=ids)} if ids else {}
    resolved = {}
    for quote in content["quotes"]:
        found = resolve_quote(allowed.get(quote["testimony"]), quote["excerpt"] or "", uses)
        if found is None:
            continue
        resolved[(found.testimony.pk, quote["theme"])] = {
            "text": found.text,
            "name": found.name,
            "kind": found.testimony.get_kind_display(),
            "nature": found.testimony.nature,
            # The one "less precise" rule: the year alone when the person asked for it.
            "when": found.testimony.shown_date(found.testimony.created_at).display("YEAR_MONTH_FORMAT"),
        }
    return resolved


def public_resource_slugs(content: dict) -> dict[int, str]:
    """{resource id: its slug now} for the resources a snapshot cites that are still in the public library (one
    query, none when nothing is cited)."""
    ids = [citation["resource"] for citation in content.get("citations", [])]
    return dict(public_resources().filter(pk__in=ids).values_list("pk", "slug")) if ids else {}


def citation_blocks(content: dict, language: str) -> list[Block]:
    """The "Resources cited" list of a snapshot, in `language`: each resource as it was when the report was
    submitted (title, UN symbol, kind, date: a published report keeps saying what it cited), linked to its page
    on the portal only while the national team keeps it in the public library.

    Why no link once it is unpublished: the portal's page of the resource answers 404 then, and the national team
    unpublishes a record for a reason (a wrong or withdrawn document, a dead link), so the report must not keep
    sending readers to it; the frozen title and UN symbol still say what the city cited. The link is decided at
    each showing and printing (it is part of the document's version, so a file made while it was public is
    superseded, like a quote whose consent changed)."""
    citations = content.get("citations", [])
    if not citations:
        return []
    public = public_resource_slugs(content)
    kinds = dict(ResourceKind.choices)
    blocks = [Block("heading", text=_("Resources cited"), level=2, anchor="resources")]
    for citation in citations:
        title = citation["title_es"] if language == "es" and citation.get("title_es") else citation["title"]
        described = [str(kinds.get(citation["kind"], citation["kind"]))]
        if citation["date"]:
            described.append(un_date(dt.date.fromisoformat(citation["date"]), language))
        meta = [", ".join(described)]
        if citation["note"]:
            meta.append(_("Cited for: %(note)s") % {"note": " ".join(citation["note"].split())})
        slug = public.get(citation["resource"])
        if slug is None:
            meta.append(_("No longer in the portal's library."))
        link = settings.SITE_URL + reverse("resources:detail", args=[slug]) if slug else ""
        blocks.append(Block("citation", text=title, attribution=citation["un_symbol"], meta=meta, link=link))
    return blocks


def _theme_name(section: dict, language: str) -> str:
    return section["theme_name_es"] if language == "es" and section.get("theme_name_es") else section["theme_name"]


def build_local_report(city, content: dict, *, public: bool = False, stamp: Stamp | None = None) -> Document:
    """The printed local report for a snapshot, in the report's own language, quotes as consent allows now.

    `public`: the version published on the portal, which quotes only testimony that may also be shown there.
    `stamp`: where the text stands (the live draft when not given), printed on the cover and in the footer.
    """
    language = content.get("language") or "en"
    uses = (Use.LOCAL_REPORT, Use.PORTAL) if public else (Use.LOCAL_REPORT,)
    with translation.override(language):
        document = _build_local_report(city, content, language, resolve_quotes(city, content, uses))
        return _stamped(document, stamp or Stamp.draft())


def _stamped(document: Document, stamp: Stamp) -> Document:
    document.status = stamp.status
    document.status_line, document.footer_status = stamp.lines()
    return document


def _build_local_report(city, content: dict, language: str, quotes: dict) -> Document:
    numbering = _Numbering()
    blocks: list[Block] = []
    coalition = content["city"]["coalition"] or _("the local human rights city coalition")
    city_label = f"{content['city']['name']}, {content['city']['state']}"

    def heading(text: str, anchor: str, level: int = 2) -> None:
        blocks.append(Block("heading", text=text, level=level, anchor=anchor))

    def numbered(text: str) -> None:
        for paragraph in paragraphs_of(text):
            blocks.append(Block("paragraph", text=paragraph, number=numbering.next()))

    if content["executive_summary"].strip():
        heading(_("Executive summary"), "summary")
        numbered(content["executive_summary"])

    heading(_("How we gathered the testimony"), "methodology")
    numbered(content["methodology"])
    fig = content["figures"]
    rows = [(_("Events held"), str(fig["events_held"])), (_("Testimony collected"), str(fig["total"]))]
    kinds = dict(Kind.choices)
    rows += [(_("of which: %(kind)s") % {"kind": kinds.get(kind, kind)}, str(n)) for kind, n in fig["by_kind"]]
    rows += [
        (_("about %(theme)s") % {"theme": name_es if language == "es" and name_es else name}, str(n))
        for _slug, name, name_es, n in fig["by_theme"]
    ]
    blocks.append(Block("figures", text=_("Figures from the portal's records"), rows=rows))

    heading(_("Human rights in %(city)s, theme by theme") % {"city": content["city"]["name"]}, "themes")

    def quote(resolved: dict) -> None:
        note = _("%(kind)s testimony shared with %(coalition)s, %(when)s; quoted with the person's consent.") % {
            "kind": resolved["kind"],
            "coalition": coalition,
            "when": resolved["when"],
        }
        blocks.append(
            Block(
                "quote",
                text=resolved["text"],
                number=numbering.next(),
                attribution=resolved["name"],
                footnotes=[note],
            )
        )

    for index, section in enumerate(content["sections"], start=1):
        heading(_theme_name(section, language), f"theme-{index}", level=3)
        in_section = [
            resolved
            for q in content["quotes"]
            if q["theme"] == section["theme"] and (resolved := quotes.get((q["testimony"], q["theme"]))) is not None
        ]
        # A quote stands with the part of its section that the person spoke to: a testimony of a positive
        # practice under the advances, any other under the challenges (a reader takes a quote as evidence of
        # the paragraphs just above it).
        for part, text, nature_quotes in (
            (_("Challenges"), section["challenges"], [r for r in in_section if r["nature"] != Nature.POSITIVE]),
            (_("Positive advances"), section["advances"], [r for r in in_section if r["nature"] == Nature.POSITIVE]),
        ):
            if not (text.strip() or nature_quotes):
                continue
            blocks.append(Block("subheading", text=part))
            numbered(text)
            for resolved in nature_quotes:
                quote(resolved)

    if content["recommendations"]:
        heading(_("Recommendations"), "recommendations")
        levels = dict(Level.choices)
        for rec in content["recommendations"]:
            meta = [_("Who should act: %(level)s") % {"level": levels.get(rec["level"], rec["level"])}]
            footnotes = []
            for official in rec["official"]:
                year = f" ({official['year']})" if official["year"] else ""
                footnotes.append(
                    _("UPR recommendation %(paragraph)s%(year)s by %(states)s, response: %(response)s.")
                    % {
                        "paragraph": official["paragraph"],
                        "year": year,
                        "states": official["states"],
                        "response": dict(Response.choices).get(official["response"], official["response"]),
                    }
                )
            if rec["official"]:
                meta.append(
                    _("Linked UPR recommendations: %(list)s")
                    % {"list": ", ".join(o["paragraph"] for o in rec["official"])}
                )
            if rec["reinforces_unfulfilled"]:
                meta.append(_("Reinforces an earlier UPR recommendation that remains unfulfilled."))
            blocks.append(
                Block(
                    "recommendation",
                    text=" ".join(rec["text"].split()),
                    number=numbering.next(),
                    meta=meta,
                    footnotes=footnotes,
                )
            )

    blocks += citation_blocks(content, language)

    cycle = content["cycle"]
    cycle_line = _("Universal Periodic Review of the %(country)s, cycle %(number)s") % {
        "country": cycle["country"],
        "number": cycle["number"],
    }
    return Document(
        language=language,
        title=_("Local report: %(city)s") % {"city": city_label},
        subtitle=_("Human rights in our city: challenges, advances and recommendations"),
        cover_lines=[coalition, cycle_line],
        blocks=blocks,
        footer_label=_("Local report, %(city)s") % {"city": city_label},
    )


def build_short_summary(city, content: dict, *, stamp: Stamp | None = None) -> Document:
    """The one-to-two-page summary as its own document."""
    language = content.get("language") or "en"
    with translation.override(language):
        numbering = _Numbering()
        city_label = f"{content['city']['name']}, {content['city']['state']}"
        blocks = [Block("heading", text=_("Summary"), level=2, anchor="summary")]
        blocks += [Block("paragraph", text=p, number=numbering.next()) for p in paragraphs_of(content["short_summary"])]
        document = Document(
            language=language,
            title=_("Summary of the local report: %(city)s") % {"city": city_label},
            subtitle="",
            cover_lines=[content["city"]["coalition"]],
            blocks=blocks,
            kind="short_summary",
            footer_label=_("Summary, %(city)s") % {"city": city_label},
        )
        return _stamped(document, stamp or Stamp.draft())
