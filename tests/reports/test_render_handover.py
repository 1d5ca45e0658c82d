"""A render whose task could not be handed to the broker (Redis down at commit, or a lost message) is handed over
again by the periodic tick, and made exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.registry import periodic_jobs
from reports import rendering
from reports.enums import RenderStatus
from reports.models import Render
from tests.reports.factories import make_report

pytestmark = pytest.mark.django_db


def stranded(personas) -> Render:
    """A queued render row as a request leaves it when the broker refused the task after commit."""
    report = make_report(personas["city_a"], sections=1, paragraphs_per_section=1, words_per_paragraph=20)
    document = rendering.build_document(report, "report")
    return Render.objects.create(
        subject=report, document="report", version=document.version(), format="docx", filename="r.docx"
    )


def test_the_tick_hands_over_a_stranded_render_once(personas):
    render = stranded(personas)
    later = timezone.now() + dt.timedelta(minutes=10)
    assert "render_handover" in dict(periodic_jobs.items())
    assert rendering.hand_over_stranded_renders(later) == 1  # eager in tests: handed over and made
    render.refresh_from_db()
    assert (render.status, render.attempts) == (RenderStatus.DONE, 1)
    assert render.handed_over_at is not None
    assert rendering.hand_over_stranded_renders(later) == 0
    assert Render.objects.count() == 1


def test_a_render_the_broker_refuses_stays_queued_for_the_next_tick(personas, monkeypatch):
    from reports.tasks import render_task

    render = stranded(personas)
    later = timezone.now() + dt.timedelta(minutes=10)
    monkeypatch.setattr(render_task, "delay", lambda *args, **kwargs: None)  # what the task base does when down
    assert rendering.hand_over_stranded_renders(later) == 1
    render.refresh_from_db()
    assert (render.status, render.handed_over_at) == (RenderStatus.QUEUED, None)
    monkeypatch.undo()
    assert rendering.hand_over_stranded_renders(later) == 1
    render.refresh_from_db()
    assert render.status == RenderStatus.DONE


def test_a_fresh_render_is_left_to_its_own_message(personas):
    stranded(personas)
    assert rendering.hand_over_stranded_renders(timezone.now()) == 0
