"""The registration form cannot be used to flood an address or to mail someone a stranger's words: it needs no
session and no CSRF token, so anyone can post it with any address and any text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from events import services
from events.models import Registration
from portal.models import OutgoingEmail, OutgoingEmailStatus
from tests.events.test_registration import form_data, make_event

VICTIM = "victim@example.org"
SPAM = "Buy cheap pills at pills.example"


@pytest.fixture
def post_from(client, django_capture_on_commit_callbacks):
    """Post the form from a given client address (an attacker spreads the posts over many, past the per-address
    rate limit of the form)."""

    def post(event, n: int, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/events/{event.slug}/register/", form_data(**data), REMOTE_ADDR=f"203.0.113.{n}")

    return post


def test_registration_flood_of_one_address_sends_at_most_the_hourly_limit(db, settings, post_from, mailoutbox):
    assert settings.MAIL_PER_RECIPIENT_PER_HOUR == 5
    events = [make_event(slug=f"webinar-{n}", title=f"Webinar {n}") for n in range(10)]
    answers = {
        post_from(events[n % 10], n, email=VICTIM, name=SPAM, organisation=SPAM, city_name=SPAM).status_code
        for n in range(100)
    }
    assert answers == {302}
    assert Registration.objects.filter(email=VICTIM).count() == 10
    assert [m.to for m in mailoutbox] == [[VICTIM]] * 5
    # One email per registration is written, then the resends are throttled; of the ten, five are suppressed.
    statuses = list(OutgoingEmail.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [OutgoingEmailStatus.SENT] * 5 + [OutgoingEmailStatus.SUPPRESSED] * 5
    for message in mailoutbox:
        assert SPAM not in message.subject + message.body + message.alternatives[0].content


def test_registration_resend_goes_at_most_once_every_ten_minutes(db, post_from, mailoutbox):
    event = make_event()
    for n in range(20):
        post_from(event, n, email=VICTIM)
    assert len(mailoutbox) == 1
    OutgoingEmail.objects.update(created_at=timezone.now() - services.RESEND_EVERY - dt.timedelta(seconds=1))
    for n in range(20):
        post_from(event, n, email=VICTIM)
    assert len(mailoutbox) == 2


def test_registration_emails_before_confirmation_hold_no_posted_text(
    db, post_from, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event()
    post_from(event, 1, email=VICTIM, name=SPAM, organisation=SPAM, city_name=SPAM, access_note=SPAM)
    registration = Registration.objects.get()
    # A change to the event reaches pending registrants too: still no posted text.
    event.place = "Library, Room 2"
    with django_capture_on_commit_callbacks(execute=True):
        services.save_event(event, event.save)
    assert [m.subject for m in mailoutbox] == [
        "[UPR Cities] Please confirm your registration: Housing is a human right",
        "[UPR Cities] Changed: Housing is a human right",
    ]
    for message in mailoutbox:
        assert message.to == [VICTIM]
        assert SPAM not in message.subject + message.body + message.alternatives[0].content
        assert message.body.startswith("Hello,\n")
    assert registration.name == SPAM  # kept for the organizers, who see it in their list


def test_registration_confirmed_email_greets_by_name(
    db, client, post_from, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event()
    post_from(event, 1, email="ana@example.org")
    registration = Registration.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/events/registration/{registration.token}/confirm/")
    assert mailoutbox[-1].body.startswith("Hello Ana Pérez,\n")
