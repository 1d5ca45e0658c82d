"""OHCHR's rules for stakeholder submissions (DESIGN.md section 6), each checked with its figure before any render,
and each failing one saying what to do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from national.document import build_national_report
from national.enums import ParagraphKind, SubmissionType
from national.models import NationalParagraph, NationalReport
from national.quotes import paragraph_label, printable_paragraphs, quote_states
from reports.document import Document, un_date
from upr.models import Recommendation, ReviewCycle, paragraph_sort_key


@dataclass
class Check:
    name: str
    passed: bool
    figure: str
    detail: str = ""


def ohchr_checks(
    report: NationalReport, document: Document | None = None, paragraphs: list[NationalParagraph] | None = None
) -> list[Check]:
    """OHCHR's rules for stakeholder submissions (DESIGN.md section 6), each with its figure, before any render.
    `document` and `paragraphs` (`printable_paragraphs(report)`) when the caller has them already."""
    if paragraphs is None:
        paragraphs = printable_paragraphs(report)
    document = document or build_national_report(report, paragraphs)
    checks = []
    checks.append(word_count_check(report, document))
    numbers = [b.number for b in document.blocks if b.kind in ("paragraph", "quote", "recommendation")]
    numbered = bool(numbers) and numbers == list(range(1, len(numbers) + 1))
    checks.append(
        Check(
            _("Paragraphs numbered"),
            numbered,
            ngettext("%(n)s numbered paragraph", "%(n)s numbered paragraphs", len(numbers)) % {"n": len(numbers)},
            ""
            if numbered
            else _("The report has no paragraphs yet: compile it from the accepted local reports.")
            if not numbers
            else _("The numbers do not run 1, 2, 3… without a gap: render the report again from this page."),
        )
    )
    checks.append(first_page_check(report))
    submitters = list(report.joint_submitters.all())
    if report.submission_type == SubmissionType.JOINT:
        incomplete = [s for s in submitters if not (s.name.strip() and s.acronym.strip())]
        checks.append(
            Check(
                _("Joint submission lists every organisation with its acronym"),
                bool(submitters) and not incomplete,
                ngettext("%(n)s organisation", "%(n)s organisations", len(submitters)) % {"n": len(submitters)},
                _("Add the joint submitters, or make it an individual submission.")
                if not submitters
                else _("Give every joint submitter its name and acronym (missing for: %(names)s).")
                % {"names": "; ".join(s.name.strip() or _("an unnamed organisation") for s in incomplete)}
                if incomplete
                else "",
            )
        )
    period_ok, figure, advice = _period_check(report)
    checks.append(Check(_("Period covered"), period_ok, figure, "" if period_ok else advice))
    quotes = quote_states(paragraphs)
    refused = quotes.unresolved
    checks.append(
        Check(
            _("Every quote's consent allows the report to the UN"),
            not refused,
            _("%(ok)s of %(n)s quotes") % {"ok": quotes.held - len(refused), "n": quotes.held},
            ""
            if not refused
            else ngettext(
                "%(n)s quote no longer resolves (its consent was narrowed or withdrawn, or its words are no longer "
                "in the public version): %(paragraphs)s. It is left out of every render. Leave it out or compile "
                "again.",
                "%(n)s quotes no longer resolve (their consent was narrowed or withdrawn, or their words are no "
                "longer in the public version): %(paragraphs)s. They are left out of every render. Leave them out "
                "or compile again.",
                len(refused),
            )
            % {"n": len(refused), "paragraphs": "; ".join(paragraph_label(p) for p in refused)},
        )
    )
    followed = followed_up_recommendations(report, [p for p in paragraphs if quotes.prints(p)])
    checks.append(
        Check(
            _("Follow-up of the previous review's recommendations"),
            bool(followed),
            ngettext(
                "%(n)s earlier recommendation followed up", "%(n)s earlier recommendations followed up", len(followed)
            )
            % {"n": len(followed)}
            + (f" ({', '.join(followed)})" if followed else ""),
            ""
            if followed
            else _(
                "No printed paragraph follows up a recommendation of an earlier review. Cities link their "
                "recommendations to the official UPR recommendations they follow up in their local reports; "
                "compile again once such a report is accepted, or bring back a left-out recommendation or "
                "follow-up paragraph that cites one."
            ),
        )
    )
    return checks


def word_count_check(report, document: Document, *, too_many: str = "") -> Check:
    """OHCHR's word limit for `report` (a national or mid-term report: its type sets the limit)."""
    words, limit = document.word_count(), report.word_limit
    return Check(
        _("Word count"),
        words <= limit,
        _("%(words)s of %(limit)s words (%(type)s; footnotes counted, annexes not)")
        % {"words": f"{words:,}", "limit": f"{limit:,}", "type": report.get_submission_type_display().lower()},
        "" if words <= limit else (too_many or _("%(n)s words too many.")) % {"n": f"{words - limit:,}"},
    )


def first_page_check(report) -> Check:
    """The first page names the submitter, its acronym and a short description (a national or mid-term report)."""
    missing = [
        label
        for label, value in (
            (_("the submitter's name"), report.submitter),
            (_("its acronym"), report.acronym),
            (_("a short description"), report.description),
        )
        if not value.strip()
    ]
    return Check(
        _("First page names the submitter, its acronym and a description"),
        not missing,
        f"{report.submitter} ({report.acronym})" if not missing else _("missing"),
        _("Fill in %(fields)s on this page.") % {"fields": ", ".join(missing)} if missing else "",
    )


def followed_up_recommendations(report: NationalReport, paragraphs: list[NationalParagraph]) -> list[str]:
    """Paragraph numbers of the earlier reviews' recommendations that `paragraphs` (those printed) follow up: the
    ones cities marked as still unfulfilled and every official recommendation a city linked its own to (the
    compiled recommendation cites them), as OHCHR expects a submission to follow up the previous cycle."""
    ids: set[int] = set()
    for paragraph in paragraphs:
        if paragraph.kind not in (ParagraphKind.RECOMMENDATION, ParagraphKind.FOLLOW_UP):
            continue
        if paragraph.kind == ParagraphKind.FOLLOW_UP and paragraph.source_key.startswith("follow_up:"):
            ids.add(int(paragraph.source_key.split(":", 1)[1]))
        for entry in paragraph.trail:
            ids.update(entry.get("official_ids") or [])
    if not ids:
        return []
    earlier = Recommendation.objects.filter(
        pk__in=ids, cycle__country=report.cycle.country, cycle__number__lt=report.cycle.number
    ).values_list("paragraph", flat=True)
    return sorted(set(earlier), key=paragraph_sort_key)


# About four and a half years between reviews; a little slack for rescheduled sessions.
MAX_PERIOD_DAYS = 1_700


def _period_check(report: NationalReport) -> tuple[bool, str, str]:
    """(passed, figure, what to do). The period covered is the time since the last review: it starts at (or after)
    the previous cycle's review date. Without a known previous review, it may not exceed about four and a half
    years."""
    if not (report.period_start and report.period_end):
        return False, _("not set"), _("Fill in the period covered (from and to) on this page.")
    days = (report.period_end - report.period_start).days
    figure = _("%(start)s to %(end)s (%(years)s years)") % {
        "start": un_date(report.period_start),
        "end": un_date(report.period_end),
        "years": number_format(days / 365.25, 1),
    }
    previous = (
        ReviewCycle.objects.filter(country=report.cycle.country, number=report.cycle.number - 1)
        .values_list("review_date", flat=True)
        .first()
    )
    if days <= 0:
        return False, figure, _("The period must end after it starts: correct the dates on this page.")
    if previous:
        figure += " · " + _("previous review %(date)s") % {"date": un_date(previous)}
        advice = _("Start the period at the previous review (%(date)s) or later: OHCHR asks for the time since it.") % {
            "date": un_date(previous)
        }
        return report.period_start >= previous - dt.timedelta(days=31), figure, advice
    advice = _("Shorten the period to the time since the last review, about four and a half years at most.")
    return days <= MAX_PERIOD_DAYS, figure, advice


def checks_pass(checks: list[Check]) -> bool:
    return all(check.passed for check in checks)
