"""Following by email: double opt-in, at most one digest a day, each change exactly once, one click to stop."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from portal import optout
from tests.tracking.factories import make_tracked
from tracking import digests
from tracking.models import Follower, StatusUpdate


@pytest.fixture
def city(personas):
    return personas["city_a"]


def _update(item, status="in_progress", text="A step.", at=None):
    update = StatusUpdate.objects.create(item=item, status=status, what_changed=text, observed_on=dt.date(2026, 5, 1))
    if at is not None:
        StatusUpdate.objects.filter(pk=update.pk).update(recorded_at=at)
    return update


def _follow_and_confirm(client, django_capture_on_commit_callbacks, **where) -> Follower:
    query = f"?city={where['city'].slug}" if "city" in where else f"?recommendation={where['recommendation'].pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/scorecard/follow/{query}", {"email": "Reader@Example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    follower = Follower.objects.get()
    url = f"/scorecard/follow/{follower.token}/"
    assert url in mail.outbox[0].body
    assert client.get(url).status_code == 200
    follower.refresh_from_db()
    assert follower.confirmed_at is None  # opening the link confirms nothing
    client.post(url)
    follower.refresh_from_db()
    assert follower.confirmed_at is not None
    mail.outbox.clear()
    return follower


def _send(django_capture_on_commit_callbacks, now) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return digests.send_digests(now)


def test_nothing_is_sent_before_the_address_is_confirmed(client, city, django_capture_on_commit_callbacks):
    item = make_tracked(city, count=1, updates_each=0)[0]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/scorecard/follow/?city={city.slug}", {"email": "reader@example.org"})
    mail.outbox.clear()
    _update(item)
    assert _send(django_capture_on_commit_callbacks, timezone.now()) == 0
    assert mail.outbox == []


def test_each_change_is_in_exactly_one_digest_at_most_daily(client, city, django_capture_on_commit_callbacks):
    item, other = make_tracked(city, count=2, updates_each=0)
    follower = _follow_and_confirm(client, django_capture_on_commit_callbacks, city=city)
    start = follower.confirmed_at
    first = _update(item, "in_progress", "Budget proposed.", at=start + dt.timedelta(hours=1))
    second = _update(other, "regressed", "Shelter closed.", at=start + dt.timedelta(hours=2))

    assert _send(django_capture_on_commit_callbacks, start + dt.timedelta(hours=3)) == 1
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    body = mail.outbox[0].body
    assert "Budget proposed." in body and "Shelter closed." in body
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A second tick sends nothing: both changes were claimed.
    assert _send(django_capture_on_commit_callbacks, start + dt.timedelta(hours=4)) == 0
    # A new change within the day waits for the next day, then comes alone.
    third = _update(item, "implemented", "Ordinance in force.", at=start + dt.timedelta(hours=5))
    assert _send(django_capture_on_commit_callbacks, start + dt.timedelta(hours=6)) == 0
    assert _send(django_capture_on_commit_callbacks, start + dt.timedelta(hours=28)) == 1
    assert len(mail.outbox) == 2
    assert "Ordinance in force." in mail.outbox[1].body and "Budget proposed." not in mail.outbox[1].body
    assert {first.pk, second.pk, third.pk}


def test_one_click_stops_digests(client, city, django_capture_on_commit_callbacks):
    item = make_tracked(city, count=1, updates_each=0)[0]
    follower = _follow_and_confirm(client, django_capture_on_commit_callbacks, city=city)
    optout.stop("reader@example.org", digests.DIGEST_KIND)
    _update(item, at=follower.confirmed_at + dt.timedelta(hours=1))
    assert _send(django_capture_on_commit_callbacks, follower.confirmed_at + dt.timedelta(hours=2)) == 0


def test_following_a_recommendation_hears_of_every_city(client, personas, django_capture_on_commit_callbacks):
    here = make_tracked(personas["city_a"], count=1, updates_each=0)[0]
    there = make_tracked(personas["city_b"], count=1, updates_each=0)[0]
    assert here.recommendation == there.recommendation
    follower = _follow_and_confirm(client, django_capture_on_commit_callbacks, recommendation=here.recommendation)
    _update(here, text="Pittsburgh moved.", at=follower.confirmed_at + dt.timedelta(hours=1))
    _update(there, text="Boston moved.", at=follower.confirmed_at + dt.timedelta(hours=1))
    assert _send(django_capture_on_commit_callbacks, follower.confirmed_at + dt.timedelta(hours=2)) == 1
    assert "Pittsburgh moved." in mail.outbox[0].body and "Boston moved." in mail.outbox[0].body


def test_follow_form_bad_input_and_unknown_targets(client, city):
    assert client.post(f"/scorecard/follow/?city={city.slug}", {"email": "not an address"}).status_code == 400
    assert client.get("/scorecard/follow/").status_code == 404
    assert client.get("/scorecard/follow/?city=nowhere").status_code == 404
    assert client.get("/scorecard/follow/?recommendation=999999").status_code == 404
    assert client.get("/scorecard/follow/not-a-token/").status_code == 404
    assert Follower.objects.count() == 0


def test_asking_twice_sends_one_confirmation_per_ask_and_keeps_one_follower(
    client, city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/scorecard/follow/?city={city.slug}", {"email": "reader@example.org"})
        client.post(f"/scorecard/follow/?city={city.slug}", {"email": "reader@example.org"})
    assert Follower.objects.count() == 1
    assert len(mail.outbox) == 2
