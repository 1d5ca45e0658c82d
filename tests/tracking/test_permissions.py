"""Every tracking URL x role -> the expected status. Organizers of another city get 404 (never 403); the office's
private link works once and only until its due date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.roles import NATIONAL_TEAM
from tests.http import release
from tests.tracking.factories import make_office, make_tracked
from tracking import services
from tracking.enums import EvidenceKind, ReplyDecision
from tracking.models import Evidence, Reply

ROLES = ["anonymous", "resident", "organizer_a", "organizer_b", "national_team"]


@pytest.fixture
def world(personas):
    city = personas["city_a"]
    items = make_tracked(city, count=2, updates_each=1)
    item = items[0]
    update = item.updates.get()
    private = Evidence(update=update, kind=EvidenceKind.DOCUMENT, title="Internal memo", is_public=False)
    private.document.save("memo.pdf", ContentFile(b"%PDF-1.4 memo"), save=True)
    public = Evidence.objects.filter(update=update, kind=EvidenceKind.DOCUMENT, is_public=True).get()
    answered = Reply.objects.get(update=update)
    answered.decision = ReplyDecision.ANSWERED
    answered.save()
    personas["staff_mfa"].groups.add(Group.objects.get(name=NATIONAL_TEAM))
    return {
        "city": city,
        "item": item,
        "office": make_office(city, "Mayor's Office"),
        "private": private,
        "public": public,
        "reply": answered,
        "users": {
            "resident": personas["resident"],
            "organizer_a": personas["organizer_a"],
            "organizer_b": personas["organizer_b"],
            "national_team": personas["staff_mfa"],
        },
    }


def _urls(world) -> dict:
    slug, item, office, reply = world["city"].slug, world["item"].pk, world["office"].pk, world["reply"].pk
    organizer_get = [302, 404, 200, 404, 404]
    organizer_post = [302, 404, 302, 404, 404]
    return {
        ("GET", f"/organize/{slug}/tracking/"): organizer_get,
        ("GET", f"/organize/{slug}/tracking/choose/"): organizer_get,
        ("POST", f"/organize/{slug}/tracking/choose/"): organizer_post,
        ("GET", f"/organize/{slug}/tracking/local/"): organizer_get,
        ("GET", f"/organize/{slug}/tracking/export.csv"): organizer_get,
        ("GET", f"/organize/{slug}/tracking/import/"): organizer_get,
        ("POST", f"/organize/{slug}/tracking/import/"): [302, 404, 400, 404, 404],  # no file: refused
        ("GET", f"/organize/{slug}/tracking/brief/"): organizer_get,
        ("POST", f"/organize/{slug}/tracking/brief/"): [302, 404, 400, 404, 404],  # no document named
        ("POST", f"/organize/{slug}/tracking/local/"): [302, 404, 404, 404, 404],  # no such recommendation
        ("GET", f"/organize/{slug}/tracking/offices/"): organizer_get,
        ("POST", f"/organize/{slug}/tracking/offices/"): [302, 404, 400, 404, 404],  # no name: refused
        ("GET", f"/organize/{slug}/tracking/offices/{office}/"): organizer_get,
        ("GET", f"/organize/{slug}/tracking/items/{item}/"): organizer_get,
        ("POST", f"/organize/{slug}/tracking/items/{item}/"): organizer_post,
        ("POST", f"/organize/{slug}/tracking/items/{item}/who/"): organizer_post,
        ("POST", f"/organize/{slug}/tracking/items/{item}/quick/"): organizer_post,
        ("POST", f"/organize/{slug}/tracking/items/{item}/reply/"): [302, 404, 400, 404, 404],  # no days given
        ("POST", f"/organize/{slug}/tracking/replies/{reply}/decide/"): organizer_post,
        ("GET", f"/tracking/documents/{world['private'].pk}/"): [404, 404, 200, 404, 404],
        ("GET", f"/tracking/documents/{world['public'].pk}/"): [200] * 5,
        ("GET", f"/cities/{slug}/scorecard/"): [200] * 5,
        ("GET", f"/cities/{slug}/scorecard.csv"): [200] * 5,
        ("GET", "/scorecard/"): [200] * 5,
        ("GET", "/scorecard.csv"): [200] * 5,
        ("GET", "/cities/no-such-city/scorecard/"): [404] * 5,
        ("GET", f"/scorecard/follow/?city={slug}"): [200] * 5,
        ("GET", "/scorecard/follow/not-a-token/"): [404] * 5,
    }


URL_KEYS = [
    "board",
    "choose",
    "choose-post",
    "local",
    "export",
    "import",
    "import-post",
    "brief",
    "brief-post",
    "local-post",
    "offices",
    "offices-post",
    "office-edit",
    "item",
    "item-post",
    "item-who",
    "quick",
    "request-reply",
    "decide-reply",
    "private-document",
    "public-document",
    "scorecard",
    "scorecard-csv",
    "network",
    "network-csv",
    "unknown-city",
    "follow",
    "follow-forged-token",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", range(len(URL_KEYS)), ids=URL_KEYS)
def test_tracking_url_by_role(client, world, role, which):
    urls = _urls(world)
    assert len(urls) == len(URL_KEYS)
    (method, url), statuses = list(urls.items())[which]
    expected = dict(zip(ROLES, statuses, strict=True))[role]
    if role != "anonymous":
        client.force_login(world["users"][role])
    data = {"item-level": "city", "status": "in_progress", "what_changed": "x", "observed_on": "2026-01-01"}
    response = client.post(url, data) if method == "POST" else client.get(url)
    if getattr(response, "streaming", False):
        release(response)
    assert response.status_code == expected, (method, url, role, response.status_code)


def test_an_item_of_another_city_is_404_through_my_own_city(client, world, personas):
    """Organizer B asks for Pittsburgh's item through Boston's URLs: 404."""
    client.force_login(personas["organizer_b"])
    boston = personas["city_b"].slug
    item = world["item"].pk
    assert client.get(f"/organize/{boston}/tracking/items/{item}/").status_code == 404
    assert client.post(f"/organize/{boston}/tracking/items/{item}/quick/", {}).status_code == 404
    assert client.post(f"/organize/{boston}/tracking/replies/{world['reply'].pk}/decide/", {}).status_code == 404


def test_the_reply_link_works_once(client, world, personas, mailoutbox, django_capture_on_commit_callbacks):
    item = world["item"]
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.request_reply(item.updates.get(), by=personas["organizer_a"], days=7)
    assert [m.to for m in mailoutbox] == [["housing@city.example.org"]]
    assert services.reply_url(reply) in mailoutbox[0].body
    url = "/" + services.reply_url(reply).split("/", 3)[3]
    assert client.get(url).status_code == 200
    answer = {"answer": "We funded 200 units.", "name": "Jo Smith, Director"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, answer).status_code == 200
    assert client.get(url).status_code == 404
    assert client.post(url, {**answer, "answer": "Changed my mind."}).status_code == 404
    reply.refresh_from_db()
    assert (reply.decision, reply.answer) == (ReplyDecision.ANSWERED, "We funded 200 units.")
    # The organizers are told (one email to the team), and nothing is public before they approve.
    assert [m.to for m in mailoutbox[1:]] == [["organizer-a@example.org"]]
    assert "We funded 200 units." not in client.get(f"/cities/{world['city'].slug}/scorecard/").content.decode()


def test_the_reply_link_expires_after_its_due_date(client, world, personas):
    reply = services.request_reply(world["item"].updates.get(), by=personas["organizer_a"], days=7)
    url = "/" + services.reply_url(reply).split("/", 3)[3]
    Reply.objects.filter(pk=reply.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    response = client.get(url)
    assert response.status_code == 404
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_forged_reply_link_is_404(client, world):
    assert client.get("/tracking/reply/not-a-token/").status_code == 404
