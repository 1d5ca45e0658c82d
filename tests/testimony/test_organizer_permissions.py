"""Every testimony organizer URL x role -> the expected status. Outsiders (organizers of another city, national
team staff without a membership) get 404, never 403; anonymous visitors are sent to log in."""

import pytest

from testimony.enums import Status
from testimony.models import AccessLog
from testimony.models import Testimony as Story
from tests.testimony.test_moderation import make_testimony

ROLES = ["anonymous", "resident", "organizer_a", "organizer_b", "national_team"]


@pytest.fixture
def world(personas):
    city = personas["city_a"]
    testimony = make_testimony(city)
    users = {
        "resident": personas["resident"],
        "organizer_a": personas["organizer_a"],
        "organizer_b": personas["organizer_b"],
        "national_team": personas["staff_mfa"],
    }
    return {"city": city, "testimony": testimony, "users": users}


def _expect(*codes):
    return dict(zip(ROLES, codes, strict=True))


def _urls(world):
    slug, pk = world["city"].slug, world["testimony"].pk
    base = f"/organize/{slug}/testimony/"
    return [
        ("GET", base, {}, _expect(302, 404, 200, 404, 404)),
        ("POST", base + "bulk/", {"action": "approve", "selected": [pk]}, _expect(302, 404, 302, 404, 404)),
        ("GET", f"{base}{pk}/", {}, _expect(302, 404, 200, 404, 404)),
        ("POST", f"{base}{pk}/public-version/", {"public_body": "Redacted"}, _expect(302, 404, 302, 404, 404)),
        ("POST", f"{base}{pk}/approve/", {}, _expect(302, 404, 302, 404, 404)),
        ("POST", f"{base}{pk}/reject/", {"reason": "Off topic"}, _expect(302, 404, 302, 404, 404)),
        ("POST", f"{base}{pk}/wider-consent/", {"decision": "accept"}, _expect(302, 404, 302, 404, 404)),
        ("GET", base + "enter/", {}, _expect(302, 404, 200, 404, 404)),
        ("GET", base + "import/", {}, _expect(302, 404, 200, 404, 404)),
        ("GET", base + "export.csv", {}, _expect(302, 404, 200, 404, 404)),
    ]


URL_KEYS = [
    "queue",
    "bulk",
    "detail",
    "public_version",
    "approve",
    "reject",
    "wider_consent",
    "enter",
    "import",
    "export",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", range(len(URL_KEYS)), ids=URL_KEYS)
def test_testimony_url_by_role(client, world, role, which):
    method, url, data, expected = _urls(world)[which]
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = client.post(url, data) if method == "POST" else client.get(url)
    assert response.status_code == expected[role], (method, url, role)
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next=")
    if expected[role] != 200 or method == "POST":
        # Only an organizer of the city opening the detail page leaves an access log row.
        assert AccessLog.objects.count() == 0


def test_outsiders_change_nothing(client, world):
    slug, pk = world["city"].slug, world["testimony"].pk
    for role in ["resident", "organizer_b", "national_team"]:
        client.force_login(world["users"][role])
        client.post(f"/organize/{slug}/testimony/bulk/", {"action": "approve", "selected": [pk]})
        client.post(f"/organize/{slug}/testimony/{pk}/approve/")
        client.post(f"/organize/{slug}/testimony/{pk}/reject/", {"reason": "x"})
        client.post(f"/organize/{slug}/testimony/{pk}/public-version/", {"public_body": "x"})
        client.post(f"/organize/{slug}/testimony/{pk}/wider-consent/", {"decision": "accept"})
    testimony = Story.objects.get(pk=pk)
    assert (testimony.status, testimony.public_body, testimony.moderation_log.count()) == (Status.RECEIVED, "", 0)


def test_other_citys_testimony_under_own_url_is_not_found(client, personas):
    other = make_testimony(personas["city_b"])
    client.force_login(personas["organizer_a"])
    slug = personas["city_a"].slug
    assert client.get(f"/organize/{slug}/testimony/{other.pk}/").status_code == 404
    assert client.post(f"/organize/{slug}/testimony/{other.pk}/approve/").status_code == 404
    assert Story.objects.get(pk=other.pk).status == Status.RECEIVED
    assert AccessLog.objects.count() == 0
