"""What the national team types comes in English and, optionally, Spanish: Spanish pages (and emails to people who
read Spanish) show the Spanish, and the English where no Spanish was written."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from upr.enums import MilestoneKind
from upr.models import Milestone, ReviewCycle, in_page_language


def test_in_page_language_picks_the_spanish_on_spanish_pages_and_falls_back_to_english():
    with translation.override("es"):
        assert in_page_language("Review", "Examen") == "Examen"
        assert in_page_language("Review", "") == "Review"
    with translation.override("en"):
        assert in_page_language("Review", "Examen") == "Review"


def test_milestone_title_and_cycle_note_follow_the_language(db):
    cycle = ReviewCycle.objects.create(number=4, note="Rescheduled to 2026.", note_es="Reprogramado para 2026.")
    milestone = Milestone.objects.create(
        cycle=cycle, kind=MilestoneKind.REVIEW, title="Review", title_es="Examen", date=dt.date(2026, 11, 9)
    )
    untranslated = Milestone.objects.create(
        cycle=cycle, kind=MilestoneKind.ADOPTION, title="Adoption", date=dt.date(2027, 3, 1)
    )
    with translation.override("es"):
        assert (milestone.display_title, untranslated.display_title, cycle.display_note) == (
            "Examen",
            "Adoption",
            "Reprogramado para 2026.",
        )
    with translation.override("en"):
        assert (milestone.display_title, cycle.display_note) == ("Review", "Rescheduled to 2026.")
