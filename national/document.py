"""The national report as printed (PDF and Word through the render pipeline of reports.rendering)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from cities.models import City
from national.enums import ParagraphKind, SubmissionType
from national.models import NationalParagraph, NationalReport
from national.quotes import printable_paragraphs, quote_states
from reports.document import Block, Document, un_date
from reports.rendering import slug_filename


def _cite(cities: list[City]) -> str:
    return "; ".join(f"{c.name}, {c.state}" for c in sorted(cities, key=lambda c: (c.name, c.state)))


def build_national_report(report: NationalReport, paragraphs: list[NationalParagraph] | None = None) -> Document:
    """The submission as printed: cover naming the submitter(s), numbered paragraphs grouped by theme in the
    team's order, each citing its cities; quotes only while the testimony's consent allows the report to the UN.
    `paragraphs`: `printable_paragraphs(report)` when the caller loaded them already (the admin page, which checks
    them too)."""
    with translation.override(report.language):
        return _build_national(report, printable_paragraphs(report) if paragraphs is None else paragraphs)


def _build_national(report: NationalReport, paragraphs: list[NationalParagraph]) -> Document:
    blocks: list[Block] = []
    number = 0
    quotes = quote_states(paragraphs)
    current_theme: object = object()
    current_kind = None
    kind_titles = {
        ParagraphKind.INTRODUCTION: "",
        ParagraphKind.CHALLENGE: _("Concerns raised by the cities"),
        ParagraphKind.ADVANCE: _("Positive developments"),
        ParagraphKind.QUOTE: _("In residents' words"),
        ParagraphKind.RECOMMENDATION: _("Recommendations"),
        ParagraphKind.FOLLOW_UP: "",
    }
    follow_up_started = False
    for paragraph in paragraphs:
        if not quotes.prints(paragraph):
            continue  # holds a quote that no longer resolves (consent, withdrawal, redaction): never printed
        if paragraph.kind == ParagraphKind.FOLLOW_UP:
            if not follow_up_started:
                blocks.append(Block("heading", text=_("Follow-up of the previous review"), level=2, anchor="follow-up"))
                follow_up_started = True
                current_theme, current_kind = None, None
        elif paragraph.kind == ParagraphKind.INTRODUCTION and paragraph.theme_id is None:
            if current_theme is not None and current_kind != ParagraphKind.INTRODUCTION:
                blocks.append(Block("heading", text=_("Introduction"), level=2, anchor="introduction"))
                current_theme, current_kind = None, ParagraphKind.INTRODUCTION
        elif paragraph.theme_id != getattr(current_theme, "pk", current_theme):
            current_theme = paragraph.theme
            name = paragraph.theme.display_name if paragraph.theme else _("Other concerns")
            blocks.append(Block("heading", text=name, level=2, anchor=f"theme-{paragraph.theme_id or 0}"))
            current_kind = None
        if paragraph.kind != current_kind and kind_titles.get(paragraph.kind):
            blocks.append(Block("subheading", text=kind_titles[paragraph.kind]))
        current_kind = paragraph.kind
        number += 1
        cities = list(paragraph.cities.all())
        citation = _cite(cities)
        if paragraph.kind == ParagraphKind.QUOTE:
            resolved = quotes.resolved[paragraph.pk]
            blocks.append(
                Block(
                    "quote",
                    text=resolved.text,
                    number=number,
                    attribution=resolved.name,
                    footnotes=[
                        _(
                            "Testimony gathered in %(cities)s; quoted with the person's consent to its use "
                            "in this report."
                        )
                        % {"cities": citation}
                    ],
                )
            )
            continue
        text = " ".join(paragraph.text.split())
        meta = []
        if paragraph.note:
            meta.append(paragraph.note)
        if citation:
            meta.append(_("Source: local reports of %(cities)s.") % {"cities": citation})
        kind = "recommendation" if paragraph.kind == ParagraphKind.RECOMMENDATION else "paragraph"
        if kind == "paragraph" and citation:
            text = f"{text} ({citation})"
            meta = [paragraph.note] if paragraph.note else []
        blocks.append(Block(kind, text=text, number=number, meta=meta))

    submitters = list(report.joint_submitters.all())
    cover_notes = [report.description]
    if report.submission_type == SubmissionType.JOINT and submitters:
        cover_notes.append(_("Joint submission of:"))
        cover_notes += [f"{s.name} ({s.acronym})" + (f": {s.description}" if s.description else "") for s in submitters]
    if report.period_start and report.period_end:
        cover_notes.append(
            _("Period covered: %(start)s to %(end)s.")
            % {
                "start": un_date(report.period_start),
                "end": un_date(report.period_end),
            }
        )
    if report.contact_email:
        cover_notes.append(_("Contact: %(email)s") % {"email": report.contact_email})
    cycle = report.cycle
    return Document(
        language=report.language,
        title=report.title,
        subtitle=_("Stakeholder submission to the Universal Periodic Review of the %(country)s, cycle %(number)s")
        % {"country": cycle.country, "number": cycle.number},
        cover_lines=[f"{report.submitter} ({report.acronym})"],
        cover_notes=cover_notes,
        blocks=blocks,
        kind="national_report",
        footer_label=f"{report.acronym} · {_('UPR of the %(country)s') % {'country': cycle.country}}",
    )


def filename(report: NationalReport) -> str:
    return slug_filename(report.acronym, "upr", f"cycle-{report.cycle.number}", "stakeholder-report")
