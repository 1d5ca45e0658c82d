"""Import official UPR recommendations, all or nothing.

Two formats: the portal's own CSV (the one of `upr/data/us_recommendations_cycle*.csv`, see SOURCES.md there),
read here, and the export of the UN's Universal Human Rights Index (`upr.uhri`), which also carries affected
persons and SDGs. Both end in `write_rows`. A file with any bad line is refused whole, with a message naming each
bad line, and the database is left as it was. Re-importing the same file changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from upr.enums import Response
from upr.models import AffectedGroup, Recommendation, ReviewCycle, SustainableDevelopmentGoal, Theme

REQUIRED_COLUMNS = [
    "cycle",
    "document",
    "paragraph",
    "recommendation",
    "recommending_states",
    "position",
    "source_themes",
]
PARAGRAPH_RE = re.compile(r"^\d{1,3}\.\d{1,4}$")
LIST_SEPARATOR = ";"


class ImportRefused(Exception):
    """The file was refused; `errors` names each bad line."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unmapped_labels: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class Row:
    line: int
    cycle: ReviewCycle
    document: str
    paragraph: str
    text: str
    states: str
    response: str
    source_themes: str
    # None where the format does not carry them: what the recommendation has is then left as it is.
    affected_groups: list[str] | None = None
    sdgs: list[int] | None = None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        bad_lines = []
        for number, raw in enumerate(data.splitlines(), start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                bad_lines.append(number)
        shown = ", ".join(str(n) for n in bad_lines[:20])
        raise ImportRefused(
            [
                _(
                    "The file is not UTF-8 text: line %(lines)s has bytes that are not UTF-8. "
                    "Save it as “CSV UTF-8” and try again."
                )
                % {"lines": shown}
            ]
        ) from None


def split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def theme_label_map() -> dict[str, Theme]:
    mapping: dict[str, Theme] = {}
    for theme in Theme.objects.all():
        for label in [*theme.ohchr_labels, *theme.upr_info_labels]:
            mapping[label.casefold()] = theme
    return mapping


def _parse(text: str, country: str) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = reader.fieldnames or []
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportRefused(
            [
                _("Line 1: the header lacks the column(s) %(missing)s. Expected columns: %(expected)s.")
                % {"missing": ", ".join(missing), "expected": ", ".join(REQUIRED_COLUMNS)}
            ]
        )
    cycles = {c.number: c for c in ReviewCycle.objects.filter(country=country)}
    errors: list[str] = []
    rows: list[Row] = []
    seen: dict[tuple[int, str], int] = {}
    valid_responses = {choice.value for choice in Response}
    for record in reader:
        line = reader.line_num
        problems = []
        if None in record:
            problems.append(_("it has more cells than the header"))
        raw_cycle = (record.get("cycle") or "").strip()
        cycle = cycles.get(int(raw_cycle)) if raw_cycle.isdigit() else None
        if cycle is None:
            problems.append(_("unknown cycle “%(cycle)s” (add the review cycle first)") % {"cycle": raw_cycle})
        paragraph = (record.get("paragraph") or "").strip()
        if not PARAGRAPH_RE.match(paragraph):
            problems.append(_("paragraph “%(p)s” is not a number like 26.112") % {"p": paragraph})
        text = (record.get("recommendation") or "").strip()
        if not text:
            problems.append(_("the recommendation text is empty"))
        states = (record.get("recommending_states") or "").strip()
        if not states:
            problems.append(_("no recommending state"))
        response = (record.get("position") or "").strip().lower()
        if response not in valid_responses:
            problems.append(
                _("position “%(p)s” is not one of %(choices)s")
                % {"p": response, "choices": ", ".join(sorted(valid_responses))}
            )
        if cycle is not None and PARAGRAPH_RE.match(paragraph):
            key = (cycle.number, paragraph)
            if key in seen:
                problems.append(
                    _("paragraph %(p)s of cycle %(c)s already appears on line %(first)s")
                    % {"p": paragraph, "c": cycle.number, "first": seen[key]}
                )
            else:
                seen[key] = line
        if problems:
            errors.append(_("Line %(line)s: %(problems)s.") % {"line": line, "problems": "; ".join(problems)})
            continue
        rows.append(
            Row(
                line,
                cycle,
                (record.get("document") or "").strip() or cycle.report_symbol,
                paragraph,
                text,
                states,
                response,
                (record.get("source_themes") or "").strip(),
            )
        )
    if errors:
        raise ImportRefused(errors)
    if not rows:
        raise ImportRefused([_("The file has a header but no recommendations.")])
    return rows


def import_recommendations(data: bytes, *, country: str = "United States of America") -> ImportResult:
    """Check the whole file, then create or update every recommendation in one transaction.

    Raises ImportRefused (nothing written) when any line is bad.
    """
    return write_rows(_parse(_decode(data), country))


def _affected_group(name: str, known: dict[str, AffectedGroup]) -> AffectedGroup:
    group = known.get(name.casefold())
    if group is None:
        base = slugify(name)[:110] or "group"
        slug, n = base, 2
        while AffectedGroup.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        group = known[name.casefold()] = AffectedGroup.objects.create(name=name, slug=slug)
    return group


def write_rows(rows: list[Row]) -> ImportResult:
    """Create or update the recommendations of checked rows in one transaction (by cycle and paragraph)."""
    labels = theme_label_map()
    goals = {goal.number: goal for goal in SustainableDevelopmentGoal.objects.all()}
    result = ImportResult()
    with transaction.atomic():
        groups = {group.name.casefold(): group for group in AffectedGroup.objects.all()}
        existing = {
            (r.cycle_id, r.paragraph): r
            for r in Recommendation.objects.filter(cycle__in={row.cycle for row in rows}).prefetch_related(
                "themes", "affected_groups", "sdgs"
            )
        }
        for row in rows:
            themes = set()
            for label in split_list(row.source_themes):
                theme = labels.get(label.casefold())
                if theme is None:
                    result.unmapped_labels.add(label)
                else:
                    themes.add(theme)
            related = {"themes": themes}
            if row.affected_groups is not None:
                related["affected_groups"] = {_affected_group(name, groups) for name in row.affected_groups}
            if row.sdgs is not None:
                related["sdgs"] = {goals[number] for number in row.sdgs}
            values = {
                "document": row.document,
                "text": row.text,
                "recommending_states": row.states,
                "response": row.response,
                "source_themes": row.source_themes,
            }
            rec = existing.get((row.cycle.pk, row.paragraph))
            if rec is None:
                rec = Recommendation.objects.create(cycle=row.cycle, paragraph=row.paragraph, **values)
                for name, objects in related.items():
                    getattr(rec, name).set(objects)
                result.created += 1
                continue
            changed = any(getattr(rec, k) != v for k, v in values.items())
            if changed:
                for k, v in values.items():
                    setattr(rec, k, v)
                rec.save()
            for name, objects in related.items():
                if set(getattr(rec, name).all()) != objects:
                    getattr(rec, name).set(objects)
                    changed = True
            if changed:
                result.updated += 1
            else:
                result.unchanged += 1
    return result
