"""Load the project's copies of the real UN review data (upr/data/, see SOURCES.md there). Idempotent."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from upr.clusters import compute_clusters
from upr.enums import DEFAULT_REMINDER_OFFSETS, Audience, CycleStatus, MilestoneKind
from upr.importer import import_recommendations, split_list
from upr.models import Milestone, ReviewCycle, Theme

US = "United States of America"
# The data files' milestone kinds, in the portal's words.
MILESTONE_KINDS = {
    "national_deadline": MilestoneKind.LOCAL_INPUT_DUE,
    "un_deadline": MilestoneKind.NATIONAL_REPORT_DUE,
    "lobby_day": MilestoneKind.LOBBY_DAYS,
    "briefing": MilestoneKind.BRIEFING,
    "review_postponed": MilestoneKind.REVIEW_POSTPONED,
    "review": MilestoneKind.REVIEW,
    "adoption": MilestoneKind.ADOPTION,
}
# Deadlines that organizers are reminded of; the others are for information.
REMINDED_KINDS = {MilestoneKind.LOCAL_INPUT_DUE, MilestoneKind.NATIONAL_REPORT_DUE}


def data_dir() -> Path:
    return Path(settings.UPR_DATA_DIR)


def _rows(name: str) -> list[dict[str, str]]:
    with (data_dir() / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _int(value: str) -> int | None:
    return int(value) if value else None


def load_themes() -> int:
    for position, row in enumerate(_rows("themes.csv")):
        Theme.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "name_es": row["name_es"],
                "description": row["description"],
                "ohchr_labels": split_list(row["ohchr_themes"]),
                "upr_info_labels": split_list(row["upr_info_issues"]),
                "position": position,
            },
        )
    return Theme.objects.count()


def cycle_status(review_date: dt.date | None, note: str) -> CycleStatus:
    if review_date and review_date <= timezone.localdate():
        return CycleStatus.HELD
    # cycles.csv records the 2025 non-attendance in its note; the data set has no status column.
    if review_date is None and "did not take part" in note:
        return CycleStatus.NON_COOPERATION
    return CycleStatus.UPCOMING


def load_cycles() -> int:
    for row in _rows("cycles.csv"):
        review_date = _date(row["review_date"])
        total, supported, noted = (_int(row[k]) for k in ("recommendations", "supported_in_whole_or_part", "noted"))
        ReviewCycle.objects.update_or_create(
            country=US,
            number=int(row["cycle"]),
            defaults={
                "working_group_session": _int(row["working_group_session"]),
                "review_date": review_date,
                "report_symbol": row["report_symbol"],
                "response_symbol": row["response_symbol"],
                "outcome_adopted": _date(row["outcome_adopted"]),
                "recommendations_total": total,
                "recommendations_supported": supported,
                "recommendations_noted": noted,
                "status": cycle_status(review_date, row["note"]),
                "note": row["note"],
                "note_es": row.get("note_es", ""),
            },
        )
    return ReviewCycle.objects.count()


def load_milestones(rows: list[dict[str, str]] | None = None) -> int:
    cycles = {c.number: c for c in ReviewCycle.objects.filter(country=US)}
    count = 0
    for row in rows if rows is not None else _rows("milestones.csv"):
        kind = MILESTONE_KINDS[row["kind"]]
        Milestone.objects.update_or_create(
            cycle=cycles[int(row["cycle"])],
            kind=kind,
            date=_date(row["date"]),
            defaults={
                "title": row["title"],
                "title_es": row.get("title_es", ""),
                "source": row["source"],
                "audience": row.get("audience") or Audience.EVERYONE,
                "reminder_offsets": list(DEFAULT_REMINDER_OFFSETS) if kind in REMINDED_KINDS else [],
            },
        )
        count += 1
    return count


def recommendation_files() -> list[Path]:
    return sorted(data_dir().glob("us_recommendations_cycle*.csv"))


@transaction.atomic
def load_review_data() -> dict[str, int]:
    """Themes, cycles, milestones and every recommendation file present, in that order; then the clusters of
    similar recommendations."""
    counts = {"themes": load_themes(), "cycles": load_cycles(), "milestones": load_milestones()}
    counts["recommendations"] = sum(import_recommendations(p.read_bytes()).total for p in recommendation_files())
    counts["clusters of similar recommendations"] = compute_clusters().clusters
    return counts
