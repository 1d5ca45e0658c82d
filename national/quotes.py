"""The quotes a national report holds, resolved against today's consent, name and public version at every
display and print (DESIGN.md section 5): a quote paragraph's text is the excerpt, a reference to the testimony."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from national.enums import ParagraphKind
from national.models import NationalParagraph, NationalReport
from reports.quotes import ResolvedQuote, resolve_quote
from testimony.enums import Use
from testimony.models import Testimony

NATIONAL_USES = (Use.NATIONAL_REPORT,)


def printable_paragraphs(report: NationalReport) -> list[NationalParagraph]:
    return list(report.paragraphs.filter(omitted=False).select_related("theme", "testimony").prefetch_related("cities"))


def merged_quote_ids(paragraph: NationalParagraph) -> set[int]:
    """Testimony whose quote was merged into a paragraph that is not itself a quote (merging quotes is refused now;
    paragraphs merged before that still hold the words)."""
    if paragraph.kind == ParagraphKind.QUOTE:
        return set()
    return {pk for entry in paragraph.trail if entry.get("field") == "quote" for pk in entry.get("testimony") or []}


def holds_quote(paragraph: NationalParagraph) -> bool:
    return paragraph.kind == ParagraphKind.QUOTE or bool(merged_quote_ids(paragraph))


@dataclass
class QuoteStates:
    """The quotes of some paragraphs as they resolve now."""

    resolved: dict[int, ResolvedQuote] = field(default_factory=dict)  # quote paragraph's pk: what it prints
    unresolved: list[NationalParagraph] = field(default_factory=list)  # hold a quote that may not print: left out
    held: int = 0  # paragraphs holding a quote

    def prints(self, paragraph: NationalParagraph) -> bool:
        return all(paragraph.pk != other.pk for other in self.unresolved)


def quote_states(paragraphs: list[NationalParagraph]) -> QuoteStates:
    """Resolve every quote held by `paragraphs` (their testimony loaded with them) against today's consent, name and
    public version. A quote paragraph's own text is the excerpt: edited so that it is no longer the person's words
    word for word, it does not resolve either."""
    states = QuoteStates()
    merged = {p.pk: merged_quote_ids(p) for p in paragraphs}
    wanted = set().union(*merged.values()) if merged else set()
    others = Testimony.objects.in_bulk(wanted) if wanted else {}
    for paragraph in paragraphs:
        if paragraph.kind == ParagraphKind.QUOTE:
            states.held += 1
            resolved = resolve_quote(paragraph.testimony, paragraph.text, NATIONAL_USES)
            if resolved is None:
                states.unresolved.append(paragraph)
            else:
                states.resolved[paragraph.pk] = resolved
        elif merged[paragraph.pk]:
            states.held += 1
            if not all(pk in others and others[pk].allows(Use.NATIONAL_REPORT) for pk in merged[paragraph.pk]):
                states.unresolved.append(paragraph)
    return states


def paragraph_label(paragraph: NationalParagraph) -> str:
    """Names a paragraph for the national team without its words when it holds a quote (they may no longer be
    shown): its order, and the testimony it quotes."""
    if holds_quote(paragraph):
        ids = [paragraph.testimony_id] if paragraph.kind == ParagraphKind.QUOTE else sorted(merged_quote_ids(paragraph))
        return _("the paragraph in order %(position)s (quote of testimony %(ids)s)") % {
            "position": paragraph.position,
            "ids": ", ".join(f"#{pk}" for pk in ids if pk) or _("no longer in the portal"),
        }
    first = " ".join(paragraph.text.split()[:8])
    return _("the paragraph in order %(position)s (“%(words)s…”)") % {"position": paragraph.position, "words": first}


def quoted_testimony_ids(report: NationalReport) -> list[int]:
    """The testimony whose words the report prints today."""
    states = quote_states(printable_paragraphs(report))
    return sorted({resolved.testimony.pk for resolved in states.resolved.values()})
