"""The national team types the Spanish of a review's note and of its milestones' titles in the admin."""

from __future__ import annotations

import datetime as dt

from upr.enums import MilestoneKind
from upr.models import Milestone, ReviewCycle


def test_review_cycle_admin_edits_the_spanish_note_and_milestone_titles(superuser_client):
    cycle = ReviewCycle.objects.create(number=4, note="Rescheduled.")
    Milestone.objects.create(cycle=cycle, kind=MilestoneKind.REVIEW, title="Review", date=dt.date(2026, 11, 9))
    html = superuser_client.get(f"/admin/upr/reviewcycle/{cycle.pk}/change/").content.decode()
    assert 'name="note_es"' in html and 'name="milestones-0-title_es"' in html
    assert 'aria-label="Title (Spanish) (Review (2026-11-09))"' in html
