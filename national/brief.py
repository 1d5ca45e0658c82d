"""The one-to-two-page lobbying brief drawn from the national report and the cities' short summaries."""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import gettext as _

from national.compile import city_label
from national.enums import ParagraphKind
from national.models import NationalReport
from reports.document import Block, Document, count_words, paragraphs_of
from reports.selectors import accepted_versions

# The brief must stay within two pages: the cities' findings get about this many words, the asks the rest.
BRIEF_CITY_WORDS = 380


BRIEF_SENTENCE_WORDS = 45


def _first_sentence(text: str, limit: int) -> str:
    sentence = re.split(r"(?<=[.!?])\s+", " ".join(text.split()), maxsplit=1)[0]
    words = sentence.split()
    return sentence if len(words) <= limit else " ".join(words[:limit]) + " …"


def build_brief(report: NationalReport) -> Document:
    """The one-to-two-page lobbying brief: the first sentence of each city's short summary while they fit in
    about BRIEF_CITY_WORDS words (the other cities are named), then the recommendations most cities share."""
    with translation.override(report.language):
        blocks = [Block("heading", text=_("What the cities found"), level=2, anchor="cities")]
        number, used, unnamed = 0, 0, []
        for version in accepted_versions(report.cycle):
            summary = paragraphs_of(version.content.get("short_summary", ""))
            city = city_label(version.content["city"])
            if not summary:
                continue
            text = f"{city}: {_first_sentence(summary[0], BRIEF_SENTENCE_WORDS)}"
            if used + count_words(text) > BRIEF_CITY_WORDS:
                unnamed.append(city)
                continue
            used += count_words(text)
            number += 1
            blocks.append(Block("paragraph", text=text, number=number))
        if unnamed:
            number += 1
            blocks.append(
                Block(
                    "paragraph", number=number, text=_("Also reporting: %(cities)s.") % {"cities": "; ".join(unnamed)}
                )
            )
        recs = sorted(
            report.paragraphs.filter(kind=ParagraphKind.RECOMMENDATION, omitted=False).prefetch_related("cities"),
            key=lambda p: (-len(p.cities.all()), p.position),
        )[:5]
        if recs:
            blocks.append(Block("heading", text=_("What we ask"), level=2, anchor="asks"))
            for paragraph in recs:
                number += 1
                blocks.append(
                    Block(
                        "recommendation",
                        text=" ".join(paragraph.text.split()),
                        number=number,
                        meta=[paragraph.note] if paragraph.note else [],
                    )
                )
        return Document(
            language=report.language,
            title=_("%(title)s: brief for officials") % {"title": report.title},
            subtitle="",
            cover_lines=[f"{report.submitter} ({report.acronym})"],
            blocks=blocks,
            kind="short_summary",
            footer_label=report.acronym,
        )
