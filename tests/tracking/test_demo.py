"""load_demo tracks real 2020 recommendations in two demo cities, with updates and one reply marked as demo."""

from __future__ import annotations

import io

from django.core.management import call_command

from tracking.demo import DEMO_NOTE
from tracking.enums import ReplyDecision
from tracking.models import Reply, StatusUpdate, TrackedItem


def test_load_demo_tracks_real_recommendations_with_demo_marked_updates(db, client):
    call_command("load_demo", stdout=io.StringIO())
    items = TrackedItem.objects.order_by("city__slug", "recommendation__sort_key")
    assert [(i.city.slug, i.recommendation.cycle.number, i.recommendation.paragraph) for i in items] == [
        ("pittsburgh-pa", 3, "26.286"),
        ("pittsburgh-pa", 3, "26.287"),
        ("pittsburgh-pa", 3, "26.290"),
        ("seattle-wa", 3, "26.111"),
        ("seattle-wa", 3, "26.286"),
    ]
    assert StatusUpdate.objects.count() == 7
    assert all(text.startswith(DEMO_NOTE) for text in StatusUpdate.objects.values_list("what_changed", flat=True))
    reply = Reply.objects.get()
    assert (reply.decision, reply.answer.startswith(DEMO_NOTE)) == (ReplyDecision.APPROVED, True)
    call_command("load_demo", stdout=io.StringIO())
    assert (TrackedItem.objects.count(), StatusUpdate.objects.count(), Reply.objects.count()) == (5, 7, 1)
    page = client.get("/cities/pittsburgh-pa/scorecard/").content.decode()
    assert "the office says the beds are in next year" in page
