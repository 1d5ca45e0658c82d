"""Every page a private link opens sends the same headers (portal.headers.private_link_page)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cities.models import Invitation
from cities.services import invitation_url
from national.models import JointSubmitter
from portal import optout
from tests.national.factories import make_national_report

pytestmark = pytest.mark.django_db

PRIVATE = {"Referrer-Policy": "same-origin", "X-Robots-Tag": "noindex, nofollow"}


def headers(response) -> dict:
    return {name: response[name] for name in PRIVATE} | {"no-store": "no-store" in response["Cache-Control"]}


def test_an_invitation_page_is_private(client, personas):
    invitation = Invitation.objects.create(
        city=personas["city_a"],
        email="new@example.org",
        invited_by=personas["organizer_a"],
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    response = client.get(invitation_url(invitation))
    assert response.status_code == 200
    assert headers(response) == {**PRIVATE, "no-store": True}


def test_a_sign_off_page_is_private(client):
    submitter = JointSubmitter.objects.create(report=make_national_report(), name="Coalition A", acronym="CA")
    response = client.get(reverse("national:sign_off", args=[submitter.token]))
    assert response.status_code == 200
    assert headers(response) == {**PRIVATE, "no-store": True}


def test_the_email_stop_page_is_private(client):
    optout.optional_emails.register("test_kind", "test emails")
    response = client.get(reverse("email_stop", args=[optout.make_token("a@example.org", "test_kind")]))
    assert response.status_code == 200
    assert headers(response) == {**PRIVATE, "no-store": True}
