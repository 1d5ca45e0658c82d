"""The national stakeholder report: compiled from the accepted local reports, edited in the admin, checked against
OHCHR's rules, printed through the same pipeline as local reports (DESIGN.md sections 3 and 6).

Compiling is repeatable. Every compiled paragraph has a `source_key` saying where it comes from; compiling again
updates a paragraph the team has not touched, keeps the team's text where they edited it (flagging it when its
sources changed meanwhile), keeps paragraphs they left out left out and their order, adds new material at the
end of its theme, and removes untouched paragraphs whose source is gone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cities.models import City
from reports.document import Block, Document, count_words, paragraphs_of, un_date
from reports.enums import Decision, ParagraphKind, SubmissionType
from reports.models import NationalParagraph, NationalReport, ReportVersion
from reports.quotes import ResolvedQuote, resolve_quote
from testimony.enums import Use
from testimony.models import Testimony
from upr.enums import Response
from upr.models import Recommendation, ReviewCycle, Theme

KIND_ORDER = [
    ParagraphKind.INTRODUCTION,
    ParagraphKind.CHALLENGE,
    ParagraphKind.ADVANCE,
    ParagraphKind.QUOTE,
    ParagraphKind.RECOMMENDATION,
    ParagraphKind.FOLLOW_UP,
]
STEP = 10
NATIONAL_USES = (Use.NATIONAL_REPORT,)


def accepted_versions(report: NationalReport) -> list[ReportVersion]:
    """The latest accepted version of each city's local report for the national report's cycle."""
    latest: dict[int, ReportVersion] = {}
    versions = (
        ReportVersion.objects.filter(report__cycle=report.cycle, decision=Decision.ACCEPTED)
        .select_related("report__city")
        .order_by("report__city__name", "number")
    )
    for version in versions:
        latest[version.report_id] = version
    return list(latest.values())


def _normal(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


@dataclass
class Draft:
    """A paragraph as compiling would write it."""

    key: str
    theme: int | None
    kind: str
    text: str
    cities: list[int] = field(default_factory=list)
    testimony: int | None = None
    note: str = ""
    trail: list[dict] = field(default_factory=list)


def _city_label(city: dict) -> str:
    return f"{city['name']}, {city['state']}"


def draft_paragraphs(report: NationalReport, versions: list[ReportVersion]) -> list[Draft]:
    """What compiling the accepted local reports produces, in order: theme by theme (the portal's theme order),
    findings, positive developments, testimony, then recommendations (shared ones merged), and last the earlier
    official recommendations the cities reinforce."""
    themes = {t.slug: t for t in Theme.objects.all()}
    order = {slug: t.position for slug, t in themes.items()}
    quote_ids = {q["testimony"] for v in versions for q in v.content["quotes"]}
    testimonies: dict[int, Testimony] = {}
    if quote_ids:
        # What quotable_for(city, Use.NATIONAL_REPORT) gives each city, in one query for all the cities.
        allowed = {t.pk: t for t in Testimony.objects.allowing(Use.NATIONAL_REPORT).filter(pk__in=quote_ids)}
        for version in versions:
            for quote in version.content["quotes"]:
                testimony = allowed.get(quote["testimony"])
                if testimony is not None and testimony.city_id == version.report.city_id:
                    testimonies[testimony.pk] = testimony

    by_theme: dict[str, list[Draft]] = OrderedDict()
    merged_recs: dict[str, Draft] = {}
    follow_up: dict[int, Draft] = {}
    officials = {}

    for version in versions:
        content = version.content
        city = content["city"]
        source = {
            "city": city["id"],
            "city_name": _city_label(city),
            "version": version.pk,
            "version_number": version.number,
        }
        for section in content["sections"]:
            slug = section["theme"]
            quoted = [q["testimony"] for q in content["quotes"] if q["theme"] == slug]
            for kind, field_name in ((ParagraphKind.CHALLENGE, "challenges"), (ParagraphKind.ADVANCE, "advances")):
                for index, text in enumerate(paragraphs_of(section[field_name])):
                    by_theme.setdefault(slug, []).append(
                        Draft(
                            key=f"{kind}:{city['id']}:{slug}:{index}",
                            theme=themes[slug].pk if slug in themes else None,
                            kind=kind,
                            text=text,
                            cities=[city["id"]],
                            trail=[
                                {
                                    **source,
                                    "section": slug,
                                    "field": field_name,
                                    "paragraph": index + 1,
                                    "testimony": quoted,
                                }
                            ],
                        )
                    )
            for quote in content["quotes"]:
                if quote["theme"] != slug:
                    continue
                # The words are kept as the reference to resolve at each print; the name never is (it is the
                # person's choice of today, see `quote_states`).
                resolved = resolve_quote(testimonies.get(quote["testimony"]), quote["excerpt"] or "", NATIONAL_USES)
                if resolved is None:
                    continue
                testimony = resolved.testimony
                by_theme.setdefault(slug, []).append(
                    Draft(
                        key=f"quote:{testimony.pk}:{slug}",
                        theme=themes[slug].pk if slug in themes else None,
                        kind=ParagraphKind.QUOTE,
                        text=resolved.text,
                        cities=[city["id"]],
                        testimony=testimony.pk,
                        trail=[{**source, "section": slug, "field": "quote", "testimony": [testimony.pk]}],
                    )
                )
        for rec in content["recommendations"]:
            slug = rec["theme"] or ""
            official_ids = sorted(o["id"] for o in rec["official"])
            key = "rec:" + (",".join(map(str, official_ids)) if official_ids else _digest(_normal(rec["text"])))
            trail = {
                **source,
                "recommendation": rec["text"],
                "level": rec["level"],
                "official": [o["paragraph"] for o in rec["official"]],
                "official_ids": official_ids,
            }
            if key in merged_recs:
                draft = merged_recs[key]
                if city["id"] not in draft.cities:
                    draft.cities.append(city["id"])
                draft.trail.append(trail)
            else:
                merged_recs[key] = Draft(
                    key=key,
                    theme=themes[slug].pk if slug in themes else None,
                    kind=ParagraphKind.RECOMMENDATION,
                    text=_with_official_citation(" ".join(rec["text"].split()), rec["official"]),
                    cities=[city["id"]],
                    trail=[trail],
                )
            for official in rec["official"]:
                officials[official["id"]] = official
                if rec["reinforces_unfulfilled"]:
                    draft = follow_up.setdefault(
                        official["id"],
                        Draft(key=f"follow_up:{official['id']}", theme=None, kind=ParagraphKind.FOLLOW_UP, text=""),
                    )
                    if city["id"] not in draft.cities:
                        draft.cities.append(city["id"])
                    draft.trail.append(trail)

    for draft in merged_recs.values():
        slug = next((t for t, th in themes.items() if th.pk == draft.theme), "")
        if len(draft.cities) > 1:
            draft.note = ngettext("Shared by %(n)s city.", "Shared by %(n)s cities.", len(draft.cities)) % {
                "n": len(draft.cities)
            }
        by_theme.setdefault(slug, []).append(draft)

    ordered: list[Draft] = []
    for slug in sorted(by_theme, key=lambda s: (order.get(s, 10_000), s)):
        drafts = by_theme[slug]
        drafts.sort(key=lambda d: KIND_ORDER.index(d.kind))
        ordered.extend(drafts)
    responses = dict(Response.choices)
    for official_id, draft in sorted(follow_up.items(), key=lambda item: _paragraph_sort(officials[item[0]])):
        official = officials[official_id]
        year = f" ({official['year']})" if official["year"] else ""
        draft.text = _(
            "Recommendation %(paragraph)s%(year)s by %(states)s (%(response)s) remains unfulfilled: %(text)s"
        ) % {
            "paragraph": official["paragraph"],
            "year": year,
            "states": official["states"],
            "response": str(responses.get(official["response"], official["response"])).lower(),
            "text": " ".join(official["text"].split()),
        }
        ordered.append(draft)
    return ordered


def _with_official_citation(text: str, officials: list[dict]) -> str:
    """A recommendation's text citing the official UPR recommendations the city linked it to: the UN reads a
    submission's follow-up by the paragraph numbers of the earlier review, so the link must survive compiling."""
    if not officials:
        return text
    cited = ", ".join(
        (_("%(paragraph)s of %(year)s") % o) if o["year"] else o["paragraph"]
        for o in sorted(officials, key=_paragraph_sort)
    )
    follows = ngettext(
        "This follows up UPR recommendation %(list)s.", "This follows up UPR recommendations %(list)s.", len(officials)
    ) % {"list": cited}
    return f"{text} {follows}"


def _paragraph_sort(official: dict) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in official["paragraph"].split("."))


@transaction.atomic
def compile_report(report: NationalReport) -> dict[str, int]:
    """Draft (or re-draft) the paragraphs from the accepted local reports; keeps the team's edits."""
    report = NationalReport.objects.select_for_update().get(pk=report.pk)
    versions = accepted_versions(report)
    with translation.override(report.language):
        drafts = draft_paragraphs(report, versions)
    existing = {p.source_key: p for p in report.paragraphs.exclude(source_key="").prefetch_related("cities")}
    wanted = {d.key for d in drafts}
    counts = {"added": 0, "updated": 0, "kept": 0, "removed": 0, "flagged": 0}

    for key, paragraph in existing.items():
        if key in wanted:
            continue
        if paragraph.edited:
            if not paragraph.source_changed:
                paragraph.source_changed = True
                paragraph.save(update_fields=["source_changed"])
            counts["flagged"] += 1
        else:
            paragraph.delete()
            counts["removed"] += 1

    # New material goes after the last paragraph of its theme (or at the end).
    last_position = report.paragraphs.aggregate(m=Max("position"))["m"] or 0
    theme_end: dict[int | None, int] = {}
    for theme_id, position in report.paragraphs.values_list("theme_id", "position"):
        theme_end[theme_id] = max(theme_end.get(theme_id, 0), position)

    # Rows are written in bulk: new paragraphs in one INSERT (on a first compile), the compiled fields of the
    # paragraphs whose draft changed in one UPDATE, the cited cities in one INSERT (plus a DELETE per paragraph
    # that lost a city). Positions and "leave out" belong to the team and are never written back.
    fresh: list[tuple[NationalParagraph, Draft]] = []
    changed: list[NationalParagraph] = []
    link: list[tuple[NationalParagraph, int]] = []
    unlink: dict[int, set[int]] = {}
    next_position = last_position
    for index, draft in enumerate(drafts):
        paragraph = existing.get(draft.key)
        if paragraph is None:
            paragraph = NationalParagraph(
                report=report,
                theme_id=draft.theme,
                kind=draft.kind,
                position=(index + 1) * STEP,
                text=draft.text,
                generated_text=draft.text,
                testimony_id=draft.testimony,
                note=draft.note,
                source_key=draft.key,
                trail=draft.trail,
            )
            if existing:
                anchor = theme_end.get(draft.theme)
                position = (anchor + 1) if anchor is not None else next_position + STEP
                next_position = max(next_position, position)
                theme_end[draft.theme] = position
                _shift_after(report, position)
                paragraph.position = position
                paragraph.save()  # one at a time: the next one's room is made among the rows already there
            fresh.append((paragraph, draft))
            counts["added"] += 1
            continue
        before = _compiled_values(paragraph)
        changed_source = paragraph.generated_text != draft.text
        if paragraph.edited:
            paragraph.source_changed = paragraph.source_changed or changed_source
            counts["kept"] += 1
            counts["flagged"] += int(paragraph.source_changed)
        else:
            paragraph.text = draft.text
            counts["updated"] += int(changed_source)
        paragraph.generated_text = draft.text
        paragraph.trail = draft.trail
        paragraph.testimony_id = draft.testimony
        paragraph.note = draft.note
        if _compiled_values(paragraph) != before:
            changed.append(paragraph)
        cited = {city.pk for city in paragraph.cities.all()}  # prefetched
        link += [(paragraph, city) for city in draft.cities if city not in cited]
        if gone := cited - set(draft.cities):
            unlink[paragraph.pk] = gone

    NationalParagraph.objects.bulk_create([p for p, _draft in fresh if p.pk is None])  # sets pk (PostgreSQL, SQLite)
    if changed:
        NationalParagraph.objects.bulk_update(changed, COMPILED_FIELDS)
    through = NationalParagraph.cities.through
    link += [(paragraph, city) for paragraph, draft in fresh for city in draft.cities]
    through.objects.bulk_create([through(nationalparagraph_id=p.pk, city_id=city) for p, city in link])
    for paragraph_id, cities in unlink.items():
        through.objects.filter(nationalparagraph_id=paragraph_id, city_id__in=cities).delete()
    report.compiled_at = timezone.now()
    report.save(update_fields=["compiled_at"])
    return counts


COMPILED_FIELDS = ["text", "generated_text", "trail", "testimony", "note", "source_changed"]


def _compiled_values(paragraph: NationalParagraph) -> tuple:
    return (
        paragraph.text,
        paragraph.generated_text,
        paragraph.trail,
        paragraph.testimony_id,
        paragraph.note,
        paragraph.source_changed,
    )


def _shift_after(report: NationalReport, position: int) -> None:
    """Make room at `position` (positions are spaced by STEP, so this rarely moves anything)."""
    if report.paragraphs.filter(position=position).exists():
        report.paragraphs.filter(position__gte=position).update(position=F("position") + STEP)


# --- the printed report ----------------------------------------------------------------------------------------


def _cite(cities: list[City]) -> str:
    return "; ".join(f"{c.name}, {c.state}" for c in sorted(cities, key=lambda c: (c.name, c.state)))


def build_national_report(report: NationalReport) -> Document:
    """The submission as printed: cover naming the submitter(s), numbered paragraphs grouped by theme in the
    team's order, each citing its cities; quotes only while the testimony's consent allows the report to the UN."""
    with translation.override(report.language):
        return _build_national(report)


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


def _build_national(report: NationalReport) -> Document:
    blocks: list[Block] = []
    number = 0
    paragraphs = printable_paragraphs(report)
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
        for version in accepted_versions(report):
            summary = paragraphs_of(version.content.get("short_summary", ""))
            city = _city_label(version.content["city"])
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


# --- OHCHR checks -----------------------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    passed: bool
    figure: str
    detail: str = ""


def ohchr_checks(report: NationalReport, document: Document | None = None) -> list[Check]:
    """OHCHR's rules for stakeholder submissions (DESIGN.md section 6), each with its figure, before any render."""
    document = document or build_national_report(report)
    checks = []
    words = document.word_count()
    limit = report.word_limit
    checks.append(
        Check(
            _("Word count"),
            words <= limit,
            _("%(words)s of %(limit)s words (%(type)s; footnotes counted, annexes not)")
            % {"words": f"{words:,}", "limit": f"{limit:,}", "type": report.get_submission_type_display().lower()},
            "" if words <= limit else _("%(n)s words too many.") % {"n": f"{words - limit:,}"},
        )
    )
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
    missing = [
        label
        for label, value in (
            (_("the submitter's name"), report.submitter),
            (_("its acronym"), report.acronym),
            (_("a short description"), report.description),
        )
        if not value.strip()
    ]
    checks.append(
        Check(
            _("First page names the submitter, its acronym and a description"),
            not missing,
            f"{report.submitter} ({report.acronym})" if not missing else _("missing"),
            _("Fill in %(fields)s on this page.") % {"fields": ", ".join(missing)} if missing else "",
        )
    )
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
    paragraphs = printable_paragraphs(report)
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
    return sorted(set(earlier), key=lambda number: _paragraph_sort({"paragraph": number}))


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


def _filename(report: NationalReport) -> str:
    from reports.rendering import slug_filename

    return slug_filename(report.acronym, "upr", f"cycle-{report.cycle.number}", "stakeholder-report")


def register() -> None:
    from reports.rendering import register_document

    register_document(NationalReport, "report", build_national_report, _filename)
    register_document(
        NationalReport, "brief", build_brief, lambda r: _filename(r).replace("stakeholder-report", "brief")
    )
