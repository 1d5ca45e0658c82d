"""Every organizer URL x role -> the expected status. Outsiders get 404, never 403 (that would confirm the city)."""

import pytest

from cities.enums import RequestKind, Role
from cities.models import CityRequest, GetInvolvedRequest, Invitation, Membership
from cities.services import invitation_token, invite, offer_url

ROLES = ["anonymous", "resident", "coordinator_a", "organizer_a", "organizer_b", "national_team"]


@pytest.fixture
def world(personas, mailoutbox):
    """Pittsburgh (city A) with a coordinator, a plain organizer, an invitation and an offer to help."""
    city = personas["city_a"]
    plain = personas["resident"].__class__.objects.create_user("plain-a@example.org", "pw-long-enough")
    Membership.objects.create(user=plain, city=city, role=Role.ORGANIZER)
    invitation = invite(city, "newcomer@example.org", Role.ORGANIZER, by=personas["organizer_a"])
    offer = GetInvolvedRequest.objects.create(city=city, name="Ana", email="ana@example.org", help_with=["events"])
    removable = Membership.objects.create(
        user=personas["resident"].__class__.objects.create_user("leaving@example.org", "pw-long-enough"),
        city=city,
        role=Role.ORGANIZER,
    )
    users = {
        "resident": personas["resident"],
        "coordinator_a": personas["organizer_a"],
        "organizer_a": plain,
        "organizer_b": personas["organizer_b"],
        "national_team": personas["staff_mfa"],
    }
    join_request = CityRequest.objects.create(
        state="PA",
        city_name="Pittsburgh",
        coalition_name="Another Coalition",
        contact_name="Sam Hill",
        contact_email="sam@example.org",
        why="We want in.",
        kind=RequestKind.JOIN_TEAM,
        city=city,
    )
    return {
        "city": city,
        "invitation": invitation,
        "offer": offer,
        "removable": removable,
        "join_request": join_request,
        "users": users,
    }


def _urls(world):
    slug = world["city"].slug
    return {
        ("GET", "/organize/"): dict(zip(ROLES, [302, 200, 200, 200, 200, 200], strict=True)),
        ("GET", f"/organize/{slug}/team/"): dict(zip(ROLES, [302, 404, 200, 200, 404, 404], strict=True)),
        ("POST", f"/organize/{slug}/team/"): dict(zip(ROLES, [302, 404, 302, 403, 404, 404], strict=True)),
        ("POST", f"/organize/{slug}/team/{world['removable'].pk}/remove/"): dict(
            zip(ROLES, [302, 404, 302, 403, 404, 404], strict=True)
        ),
        ("POST", f"/organize/{slug}/invitations/{world['invitation'].pk}/revoke/"): dict(
            zip(ROLES, [302, 404, 302, 403, 404, 404], strict=True)
        ),
        ("GET", f"/organize/{slug}/requests/"): dict(zip(ROLES, [302, 404, 200, 200, 404, 404], strict=True)),
        ("POST", f"/organize/{slug}/requests/{world['offer'].pk}/handled/"): dict(
            zip(ROLES, [302, 404, 302, 302, 404, 404], strict=True)
        ),
        ("POST", f"/organize/{slug}/join-requests/{world['join_request'].pk}/approve/"): dict(
            zip(ROLES, [302, 404, 302, 403, 404, 404], strict=True)
        ),
        ("POST", f"/organize/{slug}/join-requests/{world['join_request'].pk}/decline/"): dict(
            zip(ROLES, [302, 404, 302, 403, 404, 404], strict=True)
        ),
        # The invitation is for newcomer@example.org: anyone may read it, no other account may accept it.
        ("GET", f"/invitations/{invitation_token(world['invitation'])}/"): dict(
            zip(ROLES, [200, 403, 403, 403, 403, 403], strict=True)
        ),
        ("POST", f"/invitations/{invitation_token(world['invitation'])}/"): dict(
            zip(ROLES, [200, 403, 403, 403, 403, 403], strict=True)
        ),
        # The resident's private link to their offer: the token is the key, whoever is signed in.
        ("GET", offer_url(world["offer"]).removeprefix("http://127.0.0.1:8000")): dict(
            zip(ROLES, [200, 200, 200, 200, 200, 200], strict=True)
        ),
    }


URL_KEYS = [
    "organize",
    "team",
    "invite",
    "remove",
    "revoke",
    "requests",
    "handled",
    "approve_join",
    "decline_join",
    "invitation_get",
    "invitation_post",
    "offer_link",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", range(len(URL_KEYS)), ids=URL_KEYS)
def test_organizer_url_by_role(client, world, role, which):
    (method, url), expected = list(_urls(world).items())[which]
    if role != "anonymous":
        client.force_login(world["users"][role])
    data = {"email": "someone@example.org", "role": "organizer"} if method == "POST" else None
    response = client.post(url, data) if method == "POST" else client.get(url)
    assert response.status_code == expected[role], (method, url, role)
    if role == "anonymous" and expected[role] == 302:
        assert response["Location"].startswith("/accounts/login/?next=")


def test_outsider_changes_nothing(client, world):
    client.force_login(world["users"]["organizer_b"])
    slug = world["city"].slug
    client.post(f"/organize/{slug}/team/{world['removable'].pk}/remove/")
    client.post(f"/organize/{slug}/invitations/{world['invitation'].pk}/revoke/")
    client.post(f"/organize/{slug}/requests/{world['offer'].pk}/handled/")
    client.post(f"/organize/{slug}/join-requests/{world['join_request'].pk}/approve/")
    client.post(f"/invitations/{invitation_token(world['invitation'])}/")
    assert Membership.objects.filter(pk=world["removable"].pk).exists()
    assert Invitation.objects.get(pk=world["invitation"].pk).revoked_at is None
    assert Invitation.objects.get(pk=world["invitation"].pk).accepted_at is None
    assert GetInvolvedRequest.objects.get(pk=world["offer"].pk).handled_at is None
    assert CityRequest.objects.get(pk=world["join_request"].pk).decided_at is None


def test_coordinator_cannot_act_on_another_citys_objects_through_own_url(client, world, personas):
    """Ids from city B under city A's URL are not found."""
    other_offer = GetInvolvedRequest.objects.create(
        city=personas["city_b"], name="Bo", email="bo@example.org", help_with=["other"]
    )
    client.force_login(world["users"]["coordinator_a"])
    response = client.post(f"/organize/{world['city'].slug}/requests/{other_offer.pk}/handled/")
    assert response.status_code == 404
    assert GetInvolvedRequest.objects.get(pk=other_offer.pk).handled_at is None
