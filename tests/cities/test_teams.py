import datetime as dt
import re

import pytest
from django.utils import timezone

from cities.enums import Role
from cities.models import Invitation, Membership
from cities.services import TeamError, accept_invitation, invitation_from_token, invitation_token, invite, remove_member


def _link(message) -> str:
    return re.search(r"http://\S+/invitations/\S+/", message.body).group(0)


def test_coordinator_invites_by_email_and_the_invitee_accepts(
    client, personas, mailoutbox, user_factory, django_capture_on_commit_callbacks
):
    client.force_login(personas["organizer_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/organize/pittsburgh-pa/team/", {"email": "new@example.org", "role": "organizer"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "[UPR Cities] You are invited to the Pittsburgh UPR Cities team"
    assert mailoutbox[0].to == ["new@example.org"]
    link = _link(mailoutbox[0])

    newcomer = user_factory("new@example.org")
    client.force_login(newcomer)
    path = link.split("127.0.0.1:8000", 1)[1]
    assert "Join the Pittsburgh team" in client.get(path).text
    response = client.post(path)
    assert response["Location"] == "/organize/"
    assert Membership.objects.get(user=newcomer).role == Role.ORGANIZER
    # The link works once.
    assert client.get(path).status_code == 404


def test_invitation_page_for_anonymous_offers_signup_and_login(client, personas, mailoutbox):
    invitation = invite(personas["city_a"], "x@example.org", Role.ORGANIZER, by=personas["organizer_a"])
    response = client.get(f"/invitations/{invitation_token(invitation)}/")
    assert response.status_code == 200
    assert "/accounts/signup/?next=/invitations/" in response.text
    assert "email=x%40example.org" in response.text


def test_forged_or_expired_token_is_refused(personas, mailoutbox):
    invitation = invite(personas["city_a"], "x@example.org", Role.ORGANIZER, by=personas["organizer_a"])
    token = invitation_token(invitation)
    assert invitation_from_token(token[:-2] + "xx") is None
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert invitation_from_token(token) is None


def test_reinviting_replaces_the_open_invitation(personas, mailoutbox):
    first = invite(personas["city_a"], "x@example.org", Role.ORGANIZER, by=personas["organizer_a"])
    second = invite(personas["city_a"], "X@example.org", Role.COORDINATOR, by=personas["organizer_a"])
    assert invitation_from_token(invitation_token(first)) is None
    assert invitation_from_token(invitation_token(second)) == second


def test_inviting_a_member_is_refused_with_a_message(client, personas, mailoutbox):
    client.force_login(personas["organizer_a"])
    response = client.post("/organize/pittsburgh-pa/team/", {"email": "organizer-a@example.org", "role": "organizer"})
    assert response.status_code == 400
    assert "organizer-a@example.org is already on the Pittsburgh team." in response.text
    assert mailoutbox == []


def test_invite_form_bad_email_keeps_input(client, personas, mailoutbox):
    client.force_login(personas["organizer_a"])
    response = client.post("/organize/pittsburgh-pa/team/", {"email": "not-an-address", "role": "organizer"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.text
    assert 'value="not-an-address"' in response.text
    assert Invitation.objects.count() == 0


def test_accepting_a_coordinator_invitation_promotes_an_organizer(personas, mailoutbox):
    # Only the invited address may accept (invite() refuses current members, so the row is made directly).
    invitation = Invitation.objects.create(
        city=personas["city_b"],
        email="Organizer-B@example.org",
        role=Role.COORDINATOR,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    accept_invitation(invitation, personas["organizer_b"])
    assert Membership.objects.get(user=personas["organizer_b"], city=personas["city_b"]).role == Role.COORDINATOR


def test_the_last_coordinator_cannot_be_removed(personas):
    membership = Membership.objects.get(user=personas["organizer_a"], city=personas["city_a"])
    with pytest.raises(TeamError, match="at least one coordinator"):
        remove_member(membership, by=personas["organizer_a"])
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_coordinator_removes_a_member(client, personas):
    member = Membership.objects.create(user=personas["resident"], city=personas["city_a"], role=Role.ORGANIZER)
    client.force_login(personas["organizer_a"])
    response = client.post(f"/organize/pittsburgh-pa/team/{member.pk}/remove/", follow=True)
    assert "is no longer on the team." in response.text
    assert not Membership.objects.filter(pk=member.pk).exists()


# --- An invitation belongs to the invited address ----------------------------------------------------------


@pytest.fixture
def invited_world(personas, user_factory, mailoutbox):
    invitation = invite(personas["city_a"], "Invited@Example.org", Role.ORGANIZER, by=personas["organizer_a"])
    return {
        "invitation": invitation,
        "path": f"/invitations/{invitation_token(invitation)}/",
        "invited": user_factory("invited@example.org"),
        "other": user_factory("other@example.org"),
    }


def test_invitation_opened_by_another_account_is_refused_and_stays_open(client, invited_world):
    client.force_login(invited_world["other"])
    page = client.get(invited_world["path"])
    assert page.status_code == 403
    assert "You are logged in as other@example.org, but this invitation is for Invited@Example.org." in page.text
    assert "Accept the invitation" not in page.text

    response = client.post(invited_world["path"])

    assert response.status_code == 403
    assert list(Membership.objects.filter(user=invited_world["other"])) == []
    assert invitation_from_token(invitation_token(invited_world["invitation"])) == invited_world["invitation"]


def test_invitation_refused_to_another_account_in_the_service(invited_world):
    with pytest.raises(TeamError, match="This invitation was sent to Invited@Example.org"):
        accept_invitation(invited_world["invitation"], invited_world["other"])
    assert Invitation.objects.get(pk=invited_world["invitation"].pk).accepted_at is None


def test_invitation_addressee_accepts_with_the_address_in_another_case(client, invited_world):
    client.force_login(invited_world["invited"])
    assert "Accept the invitation" in client.get(invited_world["path"]).text

    response = client.post(invited_world["path"])

    assert response["Location"] == "/organize/"
    membership = Membership.objects.get(user=invited_world["invited"])
    assert (membership.city.slug, membership.role) == ("pittsburgh-pa", Role.ORGANIZER)
    assert Invitation.objects.get(pk=invited_world["invitation"].pk).accepted_by == invited_world["invited"]


def test_invitation_needs_the_address_verified(client, invited_world, user_factory):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=invited_world["invited"]).update(verified=False)
    client.force_login(invited_world["invited"])

    response = client.post(invited_world["path"])

    assert response.status_code == 403
    assert "Confirm your address Invited@Example.org first" in response.text
    assert Membership.objects.filter(user=invited_world["invited"]).count() == 0


def test_invitation_anonymous_can_read_it_but_not_accept(client, invited_world):
    page = client.get(invited_world["path"])
    assert page.status_code == 200
    assert "email=Invited%40Example.org" in page.text

    client.post(invited_world["path"])

    assert Invitation.objects.get(pk=invited_world["invitation"].pk).accepted_at is None
    assert Membership.objects.filter(city=invited_world["invitation"].city).count() == 1


def test_invitation_signing_up_with_the_invited_address_then_accepting_works(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = invite(personas["city_a"], "Fresh@example.org", Role.ORGANIZER, by=personas["organizer_a"])
    path = f"/invitations/{invitation_token(invitation)}/"
    client.get(path)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {"email": "fresh@example.org", "password1": "a long passphrase", "password2": "a long passphrase"},
        )
    confirm = re.search(r"http://\S+?(/accounts/confirm-email/\S+/)", mailoutbox[-1].body).group(1)
    client.post(confirm)
    login = client.post("/accounts/login/", {"login": "fresh@example.org", "password": "a long passphrase"})
    assert login["Location"] == path

    response = client.post(path)

    assert response["Location"] == "/organize/"
    assert Membership.objects.get(user__email="fresh@example.org").role == Role.ORGANIZER
