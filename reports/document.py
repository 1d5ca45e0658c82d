"""What a report says, apart from how it is printed.

Two steps, kept apart on purpose:

- `snapshot(report)` freezes what the organizers wrote (and the figures computed from the portal's data) as plain
  JSON: a submitted version stores it, the admin compares two of them.
- `build_local_report(content, ...)` turns a snapshot into a `Document`: numbered paragraphs, headings, quotes
  and footnotes. Quotes are resolved here, at each render, against the testimony's consent *now*: a quote whose
  consent was withdrawn or changed disappears from every render made after that, and the person is named only
  as they chose.

The HTML/PDF and DOCX renderers (`reports.rendering`) both print a Document, so the two formats carry the same
numbering and content; the national report (issue 7) builds a Document too.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from cities.registry import CITY_PAGE, city_facts
from reports.enums import Level
from reports.quotes import resolve_quote
from testimony.enums import Kind, Use
from testimony.selectors import collected_breakdown, quotable_for
from upr.enums import Response

# Raise when the printed form of a Document changes, so existing renders are not reused for new-looking output.
LAYOUT_VERSION = "2026-11-1"
# Measured on our print stylesheet (static/reports/print.css): a page of body text holds about this many words.
WORDS_PER_PAGE = 450

_WORD = re.compile(r"\w", re.UNICODE)


def count_words(*texts: str) -> int:
    """Words as a word processor counts them: runs of non-space characters holding a letter or digit ("26.112"
    is one word, a dash alone is none)."""
    return sum(1 for text in texts for token in (text or "").split() if _WORD.search(token))


def paragraphs_of(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks inside one are kept as spaces."""
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text or "") if part.strip()]


# --- the snapshot: what the organizers wrote --------------------------------------------------------------------


def figures(city, cycle) -> dict:
    """Methodology figures, computed from the portal's data, never typed."""
    events_held = 0
    for fact, value in city_facts.compute(CITY_PAGE, [city])[city.pk]:
        if fact.key == "events_held":
            events_held = value
    breakdown = collected_breakdown(city)
    return {"events_held": events_held, **breakdown}


def snapshot(report) -> dict:
    """The report as written, as JSON (stored in ReportVersion.content). One query per related list."""
    sections = list(report.sections.select_related("theme"))
    quotes = list(report.quotes.select_related("theme"))
    recommendations = list(report.recommendations.select_related("theme").prefetch_related("official__cycle"))
    city, cycle = report.city, report.cycle
    return {
        "city": {"id": city.pk, "name": city.name, "state": city.state, "coalition": city.coalition_name},
        "cycle": {
            "id": cycle.pk,
            "number": cycle.number,
            "country": cycle.country,
            "review_date": cycle.review_date.isoformat() if cycle.review_date else None,
        },
        "language": report.language,
        "executive_summary": report.executive_summary,
        "methodology": report.methodology,
        "short_summary": report.short_summary,
        "figures": figures(city, cycle),
        "sections": [
            {
                "theme": section.theme.slug,
                "theme_name": section.theme.name,
                "theme_name_es": section.theme.name_es,
                "challenges": section.challenges,
                "advances": section.advances,
            }
            for section in sections
        ],
        "quotes": [
            {
                "testimony": quote.testimony_id,
                "theme": quote.theme.slug if quote.theme else None,
                "excerpt": quote.excerpt,
            }
            for quote in quotes
        ],
        "recommendations": [
            {
                "text": rec.text,
                "level": rec.level,
                "theme": rec.theme.slug if rec.theme else None,
                "reinforces_unfulfilled": rec.reinforces_unfulfilled,
                "official": [
                    {
                        "id": official.pk,
                        "paragraph": official.paragraph,
                        "year": official.cycle.review_date.year if official.cycle.review_date else None,
                        "response": official.response,
                        "states": official.recommending_states,
                        "text": official.text,
                    }
                    for official in rec.official.all()
                ],
            }
            for rec in recommendations
        ],
    }


def as_text(content: dict) -> str:
    """A plain-text form of a snapshot, for comparing two versions line by line."""
    lines = [f"# {_('Executive summary')}", *paragraphs_of(content["executive_summary"])]
    lines += [f"# {_('How the testimony was gathered')}", *paragraphs_of(content["methodology"])]
    for section in content["sections"]:
        lines.append(f"# {section['theme_name']}")
        lines += [f"{_('Challenges')}: {p}" for p in paragraphs_of(section["challenges"])]
        lines += [f"{_('Positive advances')}: {p}" for p in paragraphs_of(section["advances"])]
        for quote in content["quotes"]:
            if quote["theme"] == section["theme"]:
                lines.append(f"{_('Quote')} (#{quote['testimony']}): {quote['excerpt'] or _('(whole public version)')}")
    lines.append(f"# {_('Recommendations')}")
    for rec in content["recommendations"]:
        refs = ", ".join(o["paragraph"] for o in rec["official"])
        flag = f" [{_('reinforces an unfulfilled recommendation')}]" if rec["reinforces_unfulfilled"] else ""
        lines.append(f"[{rec['level']}] {rec['text']}" + (f" ({refs})" if refs else "") + flag)
    lines += [f"# {_('Short summary')}", *paragraphs_of(content["short_summary"])]
    return "\n".join(lines)


# --- the document: what is printed -----------------------------------------------------------------------------


@dataclass
class Block:
    """One printed block. kind: heading | paragraph | quote | recommendation | figures."""

    kind: str
    text: str = ""
    number: int | None = None  # numbered paragraphs (paragraphs, quotes' lead-in, recommendations)
    level: int = 2  # headings
    anchor: str = ""  # headings: the table of contents links here
    attribution: str = ""  # quotes
    footnotes: list[str] = field(default_factory=list)
    meta: list[str] = field(default_factory=list)  # recommendation: who acts, linked official recommendations
    rows: list[tuple[str, str]] = field(default_factory=list)  # figures


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

    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "heading" and b.level == 2]

    def word_count(self) -> int:
        """Words of the body as printed, footnotes included (the OHCHR way of counting)."""
        total = 0
        for block in self.blocks:
            total += count_words(block.text, block.attribution, *block.footnotes, *block.meta)
            total += sum(count_words(a, b) for a, b in block.rows)
        return total

    def page_estimate(self) -> tuple[int, int]:
        """(fewest, most) pages expected: cover and contents, then the body at WORDS_PER_PAGE."""
        body = self.word_count() / WORDS_PER_PAGE
        headings = len(self.headings())
        low = 2 + max(1, int(body * 0.8 + 0.999))
        high = 2 + max(1, int(body * 1.25 + 0.999)) + (headings + 3) // 4
        return low, high

    def version(self) -> str:
        payload = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(f"{LAYOUT_VERSION}\n{payload}".encode()).hexdigest()


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
            # The one "less precise" rule: the year alone when the person asked for it.
            "when": found.testimony.shown_date(found.testimony.created_at).display("YEAR_MONTH_FORMAT"),
        }
    return resolved


def _theme_name(section: dict, language: str) -> str:
    return section["theme_name_es"] if language == "es" and section.get("theme_name_es") else section["theme_name"]


def build_local_report(city, content: dict, *, public: bool = False) -> Document:
    """The printed local report for a snapshot, in the report's own language, quotes as consent allows now.

    `public`: the version published on the portal, which quotes only testimony that may also be shown there.
    """
    language = content.get("language") or "en"
    uses = (Use.LOCAL_REPORT, Use.PORTAL) if public else (Use.LOCAL_REPORT,)
    with translation.override(language):
        return _build_local_report(city, content, language, resolve_quotes(city, content, uses))


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
    for index, section in enumerate(content["sections"], start=1):
        heading(_theme_name(section, language), f"theme-{index}", level=3)
        if section["challenges"].strip():
            blocks.append(Block("subheading", text=_("Challenges")))
            numbered(section["challenges"])
        if section["advances"].strip():
            blocks.append(Block("subheading", text=_("Positive advances")))
            numbered(section["advances"])
        for quote in content["quotes"]:
            resolved = quotes.get((quote["testimony"], quote["theme"]))
            if quote["theme"] != section["theme"] or resolved is None:
                continue
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


def build_short_summary(city, content: dict) -> Document:
    """The one-to-two-page summary as its own document."""
    language = content.get("language") or "en"
    with translation.override(language):
        numbering = _Numbering()
        city_label = f"{content['city']['name']}, {content['city']['state']}"
        blocks = [Block("heading", text=_("Summary"), level=2, anchor="summary")]
        blocks += [Block("paragraph", text=p, number=numbering.next()) for p in paragraphs_of(content["short_summary"])]
        return Document(
            language=language,
            title=_("Summary of the local report: %(city)s") % {"city": city_label},
            subtitle="",
            cover_lines=[content["city"]["coalition"]],
            blocks=blocks,
            kind="short_summary",
            footer_label=_("Summary, %(city)s") % {"city": city_label},
        )
