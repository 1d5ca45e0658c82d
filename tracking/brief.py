"""The officials' brief (DESIGN.md section 4, flow 6): per city, what the UN recommended that the city can act on,
where it stands with evidence, the officials' replies, what residents said and the city's own recommendations.

Two documents through the reports render pipeline (PDF and Word, content-versioned like every render):
- "tracking_brief", at most two pages: the figures, then the items whose status changed most recently while they
  fit (the others are named);
- "tracking_annex", the full record: every item by theme with its history, public evidence, quoted testimony and
  approved replies.
Both are printed in the portal's language (settings.LANGUAGE_CODE), whatever the language of the page that asks
for them, so the worker builds the same content version as the request. Testimony prints only as `resolve_quote`
allows it today for public advocacy (the brief goes to officials), named as the person chooses; private documents
never print; a withdrawal deletes every file made of the city's brief.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cities.models import City
from reports.document import Block, Document, block_lines, pages_for, un_date
from reports.rendering import slug_filename
from tracking.enums import EvidenceKind
from tracking.selectors import (
    ShownItem,
    city_items,
    counts_by_theme,
    shown_evidence,
    status_totals,
)

BRIEF = "tracking_brief"
ANNEX = "tracking_annex"
DOCUMENTS = (BRIEF, ANNEX)
BRIEF_PAGES = 2
# Words of a recommendation's text in the brief (the annex prints it whole).
BRIEF_TEXT_WORDS = 30
# The closing paragraph naming the items left for the annex: room for a few lines of paragraph numbers.
CLOSING_LINES = 8


def _item_title(entry: ShownItem, words: int | None = None) -> str:
    item = entry.item
    text = " ".join(item.text.split())
    if words is not None and len(text.split()) > words:
        text = " ".join(text.split()[:words]) + " …"
    if item.recommendation is not None:
        return f"{item.recommendation.paragraph} ({item.recommendation.recommending_states}): {text}"
    return _("Our recommendation: %(text)s") % {"text": text}


def _item_meta(entry: ShownItem) -> list[str]:
    item = entry.item
    when = un_date(entry.observed_on) if entry.observed_on else ""
    lines = [
        _("Status: %(status)s%(when)s") % {"status": entry.status_label, "when": f" ({when})" if when else ""},
        _("Who must act: %(level)s%(office)s")
        % {"level": item.get_level_display(), "office": f", {item.office.name}" if item.office else ""},
    ]
    replies = [reply for update in entry.history for reply in update.replies]
    if replies:
        last = replies[-1]
        asked = un_date(timezone.localtime(last.requested_at).date())
        answered = _("answered") if last.answered else _("no answer yet")
        lines.append(_("Asked to reply on %(date)s: %(answered)s") % {"date": asked, "answered": answered})
    return lines


def _figures(items: list[ShownItem]) -> Block:
    rows = [(str(label), str(count)) for _value, label, count in status_totals(items) if count]
    return Block("figures", text=_("Recommendations tracked, by status"), rows=rows)


def build_brief(city: City) -> Document:
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        items = city_items(city, public=False)
        blocks = [Block("heading", text=_("Where the recommendations stand"), level=2, anchor="figures")]
        blocks.append(_figures(items))
        blocks.append(Block("heading", text=_("Latest changes"), level=2, anchor="changes"))
        assessed = sorted(
            (e for e in items if e.latest), key=lambda e: (e.observed_on, e.latest.update.pk), reverse=True
        )
        # Items while the page estimate (reports.document, measured on the print stylesheet) stays within two pages,
        # leaving room for the closing line naming the others.
        number, unnamed = 0, []
        lines = sum(block_lines(block) for block in blocks) + CLOSING_LINES
        for entry in assessed:
            block = Block(
                "recommendation", text=_item_title(entry, BRIEF_TEXT_WORDS), number=number + 1, meta=_item_meta(entry)
            )
            if unnamed or pages_for(lines + block_lines(block), 0)[1] > BRIEF_PAGES:
                unnamed.append(entry.item.recommendation.paragraph if entry.item.recommendation else "…")
                continue
            lines += block_lines(block)
            number += 1
            blocks.append(block)
        if unnamed:
            number += 1
            blocks.append(
                Block(
                    "paragraph",
                    number=number,
                    text=_("Also tracked, in the full annex: %(items)s.") % {"items": ", ".join(unnamed)},
                )
            )
        return Document(
            language=language,
            title=_("The UN's recommendations in %(city)s: brief for officials") % {"city": city.place_name},
            subtitle="",
            cover_lines=[city.coalition_name or city.place_name],
            blocks=blocks,
            kind="short_summary",
            footer_label=city.name,
        )


def build_annex(city: City) -> Document:
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        items = city_items(city, public=False)
        blocks = [
            Block("heading", text=_("Where the recommendations stand"), level=2, anchor="figures"),
            _figures(items),
        ]
        number = 0
        official = [e for e in items if e.item.recommendation is not None]
        own = [e for e in items if e.item.recommendation is None]
        for row in counts_by_theme(official):
            theme_items = [e for e in official if (row.theme in e.themes if row.theme else not e.themes)]
            name = row.theme.display_name if row.theme else _("No theme")
            blocks.append(
                Block("heading", text=name, level=2, anchor=f"theme-{row.theme.slug if row.theme else 'none'}")
            )
            for entry in theme_items:
                number = _print_item(blocks, entry, number)
        if own:
            blocks.append(Block("heading", text=_("Our own recommendations"), level=2, anchor="own"))
            for entry in own:
                number = _print_item(blocks, entry, number)
        return Document(
            language=language,
            title=_("The UN's recommendations in %(city)s: the full record") % {"city": city.place_name},
            subtitle=_("Annex to the brief for officials"),
            cover_lines=[city.coalition_name or city.place_name],
            blocks=blocks,
            kind="tracking_annex",
            footer_label=city.name,
        )


def _print_item(blocks: list[Block], entry: ShownItem, number: int) -> int:
    number += 1
    blocks.append(Block("recommendation", text=_item_title(entry), number=number, meta=_item_meta(entry)))
    for shown in entry.history:
        update = shown.update
        number += 1
        text = f"{un_date(update.observed_on)}, {update.get_status_display()}: {' '.join(update.what_changed.split())}"
        if shown.corrects is not None:
            text += " " + _("(corrects the assessment of %(date)s)") % {"date": un_date(shown.corrects.observed_on)}
        notes = []
        for evidence in update.evidence.all():
            if evidence.kind == EvidenceKind.TESTIMONY:
                continue
            printed = shown_evidence(evidence, public=True)  # private documents never print
            if printed is not None:
                notes.append(printed.url or printed.title)
        blocks.append(Block("paragraph", text=text, number=number, footnotes=notes))
        for evidence in update.evidence.all():
            if evidence.kind != EvidenceKind.TESTIMONY:
                continue
            quote = shown_evidence(evidence, public=False)  # resolved for public advocacy (the brief's use)
            if quote is not None:
                number += 1
                blocks.append(Block("quote", text=quote.quote, number=number, attribution=quote.name))
        for reply in shown.replies:
            if reply.decision == "approved":
                number += 1
                who = reply.answered_by or reply.office
                blocks.append(
                    Block(
                        "quote",
                        text=" ".join(reply.answer.split()),
                        number=number,
                        attribution=f"{who} ({reply.office})",
                    )
                )
    return number


def brief_filename(city: City) -> str:
    return slug_filename(city.name, city.state, "brief-for-officials")


def annex_filename(city: City) -> str:
    return slug_filename(city.name, city.state, "brief-for-officials", "annex")
