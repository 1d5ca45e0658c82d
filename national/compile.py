"""Compiling the national stakeholder report from the accepted local reports (DESIGN.md sections 3 and 6).

Compiling is repeatable. Every compiled paragraph has a `source_key` saying where it comes from; compiling again
updates a paragraph the team has not touched, keeps the team's text where they edited it (flagging it when its
sources changed meanwhile), keeps paragraphs they left out left out and their order, adds new material at the
end of its theme, and removes untouched paragraphs whose source is gone.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from national.enums import ParagraphKind
from national.midterm import current_standings, standings_sentence
from national.models import NationalParagraph, NationalReport
from national.quotes import NATIONAL_USES
from reports.document import paragraphs_of
from reports.models import ReportVersion
from reports.quotes import resolve_quote
from reports.selectors import accepted_versions
from testimony.enums import Use
from testimony.models import Testimony
from upr.enums import Response
from upr.models import Theme, paragraph_sort_key

KIND_ORDER = [
    ParagraphKind.INTRODUCTION,
    ParagraphKind.CHALLENGE,
    ParagraphKind.ADVANCE,
    ParagraphKind.QUOTE,
    ParagraphKind.RECOMMENDATION,
    ParagraphKind.FOLLOW_UP,
]


STEP = 10


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


def city_label(city: dict) -> str:
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
            "city_name": city_label(city),
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
    standings = current_standings(follow_up)
    for official_id, draft in sorted(
        follow_up.items(), key=lambda item: paragraph_sort_key(officials[item[0]]["paragraph"])
    ):
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
        # Where the cities tracking it say it stands now (tracking's statuses), so the UN reads the follow-up.
        if tracked := standings_sentence(standings.get(official_id, [])):
            draft.text = f"{draft.text} {tracked}"
        ordered.append(draft)
    return ordered


def _with_official_citation(text: str, officials: list[dict]) -> str:
    """A recommendation's text citing the official UPR recommendations the city linked it to: the UN reads a
    submission's follow-up by the paragraph numbers of the earlier review, so the link must survive compiling."""
    if not officials:
        return text
    cited = ", ".join(
        (_("%(paragraph)s of %(year)s") % o) if o["year"] else o["paragraph"]
        for o in sorted(officials, key=lambda o: paragraph_sort_key(o["paragraph"]))
    )
    follows = ngettext(
        "This follows up UPR recommendation %(list)s.", "This follows up UPR recommendations %(list)s.", len(officials)
    ) % {"list": cited}
    return f"{text} {follows}"


@transaction.atomic
def compile_report(report: NationalReport) -> dict[str, int]:
    """Draft (or re-draft) the paragraphs from the accepted local reports; keeps the team's edits."""
    report = NationalReport.objects.select_for_update().get(pk=report.pk)
    versions = accepted_versions(report.cycle)
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
