"""The mid-term implementation report to the UN, compiled from every city's tracking (issue: Clamor).

OHCHR invites stakeholders to report half-way between two reviews on what became of the recommendations. This
module compiles one paragraph per official recommendation of the review that at least one city tracks and has
assessed: where each city says it stands (the latest status update, and the one before when it moved), what
changed, who must act, and whether the office responsible answered (only an answer the organizers approved is
quoted; that an office was asked and did not answer is a fact the scorecards publish too). Paragraphs are grouped
by theme, each theme opening with how many of its recommendations moved.

Nothing of a testimony's words is stored in a paragraph: the status updates a paragraph stands on are kept
(`MidtermParagraph.updates`), and at each print their evidence is resolved again: links, documents the organizers
made public (named, never attached), and testimony only while its consent allows public advocacy and the report
to the UN, named as the person chooses today.

Compiling again updates paragraphs the national team did not edit, flags edited ones whose tracking changed, adds
new recommendations at the end of their theme and removes untouched paragraphs whose recommendation is no longer
assessed anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from national.checks import Check, first_page_check, word_count_check
from national.models import MidtermParagraph, MidtermReport
from reports.document import Block, Document, un_date
from reports.quotes import resolve_quote
from reports.rendering import slug_filename
from testimony.enums import Use
from tracking.enums import EvidenceKind, ReplyDecision, TrackingStatus
from tracking.models import Evidence, StatusUpdate, TrackedItem
from tracking.selectors import filter_items, items_with_history
from upr.models import Recommendation, ReviewCycle

STEP = 10
# A testimony's words reach the UN's mid-term report only if the person allowed both.
MIDTERM_USES = (Use.ADVOCACY, Use.NATIONAL_REPORT)
STATUS_ORDER = list(TrackingStatus)


@dataclass
class CityStanding:
    city: str
    status: str
    observed_on: dt.date
    previous: str | None
    what_changed: str
    office: str
    replies: list  # tracking.models.Reply of the latest update
    update_id: int


@dataclass
class Draft:
    recommendation: Recommendation
    theme_id: int | None
    standings: list[CityStanding] = field(default_factory=list)
    cities: list[int] = field(default_factory=list)

    @property
    def moved(self) -> bool:
        return any(s.previous is not None and s.previous != s.status for s in self.standings)

    @property
    def updates(self) -> list[int]:
        return sorted(s.update_id for s in self.standings)


def _status_label(value: str) -> str:
    return str(TrackingStatus(value).label).lower()


def _reply_sentence(standing: CityStanding) -> str:
    sentences = []
    for reply in standing.replies:
        if reply.decision == ReplyDecision.APPROVED and reply.answer.strip():
            sentences.append(
                _("%(office)s replied: “%(answer)s”")
                % {"office": reply.office.name, "answer": " ".join(reply.answer.split())}
            )
        elif reply.answered_at is None and reply.due_on < timezone.localdate():
            sentences.append(
                _("%(office)s was asked to reply on %(asked)s and had not replied by %(due)s.")
                % {
                    "office": reply.office.name,
                    "asked": un_date(timezone.localtime(reply.requested_at).date()),
                    "due": un_date(reply.due_on),
                }
            )
    return " ".join(sentences)


def paragraph_text(draft: Draft) -> str:
    """The paragraph as compiled, in the active language."""
    rec = draft.recommendation
    head = _("Recommendation %(paragraph)s (%(states)s; %(response)s): “%(text)s”") % {
        "paragraph": rec.paragraph,
        "states": rec.recommending_states,
        "response": rec.get_response_display().lower(),
        "text": " ".join(rec.text.split()).rstrip("."),
    }
    parts = [head + "."]
    for standing in draft.standings:
        if standing.previous is not None and standing.previous != standing.status:
            where = _("%(city)s: %(status)s as of %(date)s (was %(previous)s)") % {
                "city": standing.city,
                "status": _status_label(standing.status),
                "date": un_date(standing.observed_on),
                "previous": _status_label(standing.previous),
            }
        else:
            where = _("%(city)s: %(status)s as of %(date)s") % {
                "city": standing.city,
                "status": _status_label(standing.status),
                "date": un_date(standing.observed_on),
            }
        sentence = f"{where}. {' '.join(standing.what_changed.split()).rstrip('.')}."
        if standing.office:
            sentence += " " + _("Responsible: %(office)s.") % {"office": standing.office}
        if replies := _reply_sentence(standing):
            sentence += " " + replies
        parts.append(sentence)
    return " ".join(parts)


def draft_paragraphs(cycle: ReviewCycle) -> list[Draft]:
    """One draft per official recommendation of `cycle` that a city tracks and has assessed, in theme order then
    paragraph order; each city's standing from its latest update (the one before it, where it moved)."""
    items = items_with_history(filter_items(TrackedItem.objects.filter(recommendation__cycle=cycle)))
    drafts: dict[int, Draft] = {}
    for item in items:
        history = list(item.history)
        if not history:
            continue
        latest = history[-1]
        previous = history[-2].status if len(history) > 1 else None
        rec = item.recommendation
        themes = sorted(rec.themes.all(), key=lambda t: (t.position, t.name))
        draft = drafts.setdefault(rec.pk, Draft(rec, themes[0].pk if themes else None))
        draft.standings.append(
            CityStanding(
                city=f"{item.city.name}, {item.city.state}",
                status=latest.status,
                observed_on=latest.observed_on,
                previous=previous,
                what_changed=latest.what_changed,
                office=item.office.name if item.office else "",
                replies=list(latest.reply_list),
                update_id=latest.pk,
            )
        )
        draft.cities.append(item.city_id)
    theme_order = {}
    for draft in drafts.values():
        themes = list(draft.recommendation.themes.all())
        theme_order[draft.recommendation.pk] = min((t.position for t in themes), default=10_000)
    for draft in drafts.values():
        draft.standings.sort(key=lambda s: s.city)
    return sorted(drafts.values(), key=lambda d: (theme_order[d.recommendation.pk], d.recommendation.sort_key))


@transaction.atomic
def compile_midterm(report: MidtermReport) -> dict[str, int]:
    """Draft (or re-draft) the paragraphs from the cities' tracking; keeps the national team's edits."""
    report = MidtermReport.objects.select_for_update().get(pk=report.pk)
    with translation.override(report.language):
        drafts = draft_paragraphs(report.cycle)
        texts = {d.recommendation.pk: paragraph_text(d) for d in drafts}
    existing = {p.recommendation_id: p for p in report.paragraphs.prefetch_related("cities")}
    counts = {"added": 0, "updated": 0, "kept": 0, "removed": 0, "flagged": 0}
    for rec_id, paragraph in existing.items():
        if rec_id in texts:
            continue
        if paragraph.edited:
            paragraph.source_changed = True
            paragraph.save(update_fields=["source_changed"])
            counts["flagged"] += 1
        else:
            paragraph.delete()
            counts["removed"] += 1
    end = report.paragraphs.aggregate(m=Max("position"))["m"] or 0
    theme_end: dict[int | None, int] = defaultdict(int)
    for theme_id, position in report.paragraphs.values_list("theme_id", "position"):
        theme_end[theme_id] = max(theme_end[theme_id], position)
    for index, draft in enumerate(drafts):
        text = texts[draft.recommendation.pk]
        paragraph = existing.get(draft.recommendation.pk)
        if paragraph is None:
            if existing:
                position = theme_end[draft.theme_id] + 1 if draft.theme_id in theme_end else end + STEP
                end = max(end, position)
            else:
                position = (index + 1) * STEP
            theme_end[draft.theme_id] = max(theme_end[draft.theme_id], position)
            paragraph = MidtermParagraph.objects.create(
                report=report,
                recommendation=draft.recommendation,
                theme_id=draft.theme_id,
                position=position,
                text=text,
                generated_text=text,
                updates=draft.updates,
            )
            paragraph.cities.set(draft.cities)
            counts["added"] += 1
            continue
        changed = paragraph.generated_text != text or paragraph.updates != draft.updates
        if paragraph.edited:
            paragraph.source_changed = paragraph.source_changed or changed
            counts["kept"] += 1
            counts["flagged"] += int(paragraph.source_changed)
        elif changed:
            paragraph.text = text
            counts["updated"] += 1
        paragraph.generated_text = text
        paragraph.updates = draft.updates
        paragraph.theme_id = draft.theme_id
        paragraph.save()
        if {c.pk for c in paragraph.cities.all()} != set(draft.cities):
            paragraph.cities.set(draft.cities)
    report.compiled_at = timezone.now()
    report.save(update_fields=["compiled_at"])
    return counts


def current_standings(recommendation_ids) -> dict[int, list[tuple[str, str, dt.date]]]:
    """{official recommendation id: [(city, status label, date observed), ...]} where cities track it and have
    assessed it, for the national report's follow-up of the previous review (one query)."""
    items = (
        TrackedItem.objects.filter(recommendation_id__in=list(recommendation_ids))
        .with_current()
        .filter(current_status__isnull=False)
        .select_related("city")
        .order_by("city__name", "city__state")
    )
    found: dict[int, list[tuple[str, str, dt.date]]] = defaultdict(list)
    for item in items:
        found[item.recommendation_id].append(
            (f"{item.city.name}, {item.city.state}", _status_label(item.current_status), item.current_observed_on)
        )
    return found


def standings_sentence(standings: list[tuple[str, str, dt.date]]) -> str:
    if not standings:
        return ""
    listed = "; ".join(
        _("%(city)s: %(status)s (%(date)s)") % {"city": city, "status": status, "date": un_date(date)}
        for city, status, date in standings
    )
    return _("Cities tracking it report: %(list)s.") % {"list": listed}


# --- The document ------------------------------------------------------------------------------------------


def _evidence_notes(evidence: list[Evidence]) -> tuple[list[str], list[tuple[str, str]]]:
    """(footnotes, quotes as (words, name)) of a paragraph's evidence as it may print today."""
    notes, quotes = [], []
    for item in evidence:
        if item.kind == EvidenceKind.LINK:
            notes.append(f"{item.title or item.url}: {item.url}" if item.title else item.url)
        elif item.kind == EvidenceKind.DOCUMENT and item.is_public:
            notes.append(
                _("Document held by the city's organizers: %(title)s.") % {"title": item.title or _("untitled")}
            )
        elif item.kind == EvidenceKind.TESTIMONY:
            resolved = resolve_quote(item.testimony, item.excerpt, MIDTERM_USES)
            if resolved is not None:
                quotes.append((resolved.text, resolved.name))
    return notes, quotes


def build_midterm(report: MidtermReport) -> Document:
    with translation.override(report.language):
        return _build_midterm(report)


def printable(report: MidtermReport) -> list[MidtermParagraph]:
    return list(
        report.paragraphs.filter(omitted=False).select_related("theme", "recommendation").order_by("position", "pk")
    )


def status_figures(report: MidtermReport, paragraphs: list[MidtermParagraph]) -> list[tuple[str, str]]:
    """How many cities' assessments stand at each status, over the printed paragraphs' cited updates."""
    ids = [pk for p in paragraphs for pk in p.updates]
    counts = defaultdict(int)
    for status in StatusUpdate.objects.filter(pk__in=ids).values_list("status", flat=True):
        counts[status] += 1
    return [(str(s.label), number_format(counts[s.value])) for s in STATUS_ORDER]


def _build_midterm(report: MidtermReport) -> Document:
    paragraphs = printable(report)
    update_ids = [pk for p in paragraphs for pk in p.updates]
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for item in Evidence.objects.filter(update_id__in=update_ids).select_related("testimony").order_by("pk"):
        evidence[item.update_id].append(item)
    blocks: list[Block] = []
    number = 0
    if report.introduction.strip():
        blocks.append(Block("heading", text=_("Introduction"), level=2, anchor="introduction"))
        for text in [t for t in report.introduction.split("\n\n") if t.strip()]:
            number += 1
            blocks.append(Block("paragraph", text=" ".join(text.split()), number=number))
    blocks.append(Block("heading", text=_("Where the cities say the recommendations stand"), level=2, anchor="figures"))
    blocks.append(Block("figures", rows=status_figures(report, paragraphs)))
    current = object()
    for paragraph in paragraphs:
        if paragraph.theme_id != getattr(current, "pk", current):
            current = paragraph.theme
            name = paragraph.theme.display_name if paragraph.theme else _("Other recommendations")
            blocks.append(Block("heading", text=name, level=2, anchor=f"theme-{paragraph.theme_id or 0}"))
        number += 1
        notes: list[str] = []
        quotes: list[tuple[str, str]] = []
        for update_id in paragraph.updates:
            found_notes, found_quotes = _evidence_notes(evidence.get(update_id, []))
            notes += found_notes
            quotes += found_quotes
        blocks.append(Block("paragraph", text=" ".join(paragraph.text.split()), number=number, footnotes=notes))
        for words, name in quotes:
            number += 1
            blocks.append(
                Block(
                    "quote",
                    text=words,
                    number=number,
                    attribution=name,
                    footnotes=[_("Testimony quoted with the person's consent to public advocacy and to this report.")],
                )
            )
    cover_notes = [report.description]
    if report.period_start and report.period_end:
        cover_notes.append(
            _("Period covered: %(start)s to %(end)s.")
            % {"start": un_date(report.period_start), "end": un_date(report.period_end)}
        )
    if report.contact_email:
        cover_notes.append(_("Contact: %(email)s") % {"email": report.contact_email})
    cycle = report.cycle
    return Document(
        language=report.language,
        title=report.title,
        subtitle=_(
            "Mid-term implementation report on the Universal Periodic Review of the %(country)s, cycle %(number)s"
        )
        % {"country": cycle.country, "number": cycle.number},
        cover_lines=[f"{report.submitter} ({report.acronym})"],
        cover_notes=cover_notes,
        blocks=blocks,
        kind="national_report",
        footer_label=f"{report.acronym} · {_('Mid-term report, UPR of the %(country)s') % {'country': cycle.country}}",
    )


def filename(report: MidtermReport) -> str:
    return slug_filename(report.acronym, "upr", f"cycle-{report.cycle.number}", "mid-term-report")


def midterm_checks(report: MidtermReport, document: Document | None = None) -> list[Check]:
    """The OHCHR rules that apply to a mid-term stakeholder report, each with its figure."""
    document = document or build_midterm(report)
    checks = []
    checks.append(
        word_count_check(report, document, too_many=_("%(n)s words too many: leave out or shorten paragraphs."))
    )
    followed = printable(report)
    checks.append(
        Check(
            _("Recommendations followed up"),
            bool(followed),
            ngettext("%(n)s recommendation", "%(n)s recommendations", len(followed)) % {"n": len(followed)},
            ""
            if followed
            else _(
                "No city has assessed a recommendation of this review yet, or every paragraph is left out: "
                "compile again once cities record their tracking."
            ),
        )
    )
    checks.append(first_page_check(report))
    review = report.cycle.review_date
    if not (report.period_start and report.period_end):
        checks.append(Check(_("Period covered"), False, _("not set"), _("Fill in the period covered on this page.")))
    else:
        ok = report.period_end > report.period_start and (review is None or report.period_start >= review)
        checks.append(
            Check(
                _("Period covered"),
                ok,
                _("%(start)s to %(end)s") % {"start": un_date(report.period_start), "end": un_date(report.period_end)},
                ""
                if ok
                else _("The period runs from the review (%(date)s) to a later date.")
                % {"date": un_date(review) if review else "?"},
            )
        )
    return checks
