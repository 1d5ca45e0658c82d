"""Registering for an event: double opt-in, seats and the waiting list, cancel links, and the private join link."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from events import services
from events.enums import EventKind, EventStatus, RegistrationStatus
from events.models import Event, Registration
from portal.models import OutgoingEmail

JOIN = "https://meet.example.org/j/secret-room-4711"


def make_event(**extra) -> Event:
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    fields = {
        "kind": EventKind.WEBINAR,
        "title": "Housing is a human right",
        "slug": "housing-webinar",
        "description": "What the UPR says about housing.",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=1),
        "time_zone": "America/Chicago",
        "place": "City Hall, Room 4",
        "online_url": JOIN,
    }
    fields.update(extra)
    return Event.objects.create(**fields)


def form_data(email="ana@example.org", **extra) -> dict:
    data = {
        "name": "Ana Pérez",
        "email": email,
        "organisation": "Tenants United",
        "city_name": "Pittsburgh",
        "access_needs": ["captions", "asl"],
        "access_note": "",
    }
    data.update(extra)
    return data


@pytest.fixture
def event(db):
    return make_event()


@pytest.fixture
def post_form(client, django_capture_on_commit_callbacks):
    def post(event, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/events/{event.slug}/register/", form_data(**data))

    return post


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Run a call (a request or a service) and then its after-commit email sends."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def pending(event, email="ana@example.org", **extra) -> Registration:
    return Registration.objects.create(event=event, name=email.split("@")[0], email=email, **extra)


# --- The form and double opt-in ---------------------------------------------------------------------------


def test_register_stores_pending_and_emails_a_confirm_link_only(event, post_form, mailoutbox):
    response = post_form(event)
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/register/check-your-email/"
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.PENDING
    assert registration.access_needs == ["captions", "asl"]
    assert registration.language == "en"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ana@example.org"]
    assert mail.subject == "[UPR Cities] Please confirm your registration: Housing is a human right"
    assert f"/events/registration/{registration.token}/confirm/" in mail.body
    assert f"/events/registration/{registration.token}/cancel/" in mail.body
    assert JOIN not in mail.body and JOIN not in mail.alternatives[0].content
    assert mail.attachments == []


def test_check_email_page(client, event):
    response = client.get(f"/events/{event.slug}/register/check-your-email/")
    assert response.status_code == 200
    assert "Check your email to confirm" in response.content.decode()


def test_get_on_the_confirm_link_does_not_confirm(client, event, mailoutbox):
    registration = pending(event)
    response = client.get(f"/events/registration/{registration.token}/confirm/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<button type="submit" class="btn btn-primary">Confirm</button>' in page
    assert JOIN not in page
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING
    assert registration.confirmed_at is None
    assert mailoutbox == []


def test_post_confirms_and_sends_join_link_ics_and_cancel_link(client, event, act, mailoutbox):
    registration = pending(event)
    response = act(client.post, f"/events/registration/{registration.token}/confirm/")
    assert response.status_code == 302
    assert response["Location"] == f"/events/registration/{registration.token}/"
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.confirmed_at is not None
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "[UPR Cities] You're registered: Housing is a human right"
    assert JOIN in mail.body and JOIN in mail.alternatives[0].content
    assert "City Hall, Room 4" in mail.body
    assert f"/events/registration/{registration.token}/cancel/" in mail.body
    [(filename, content, mimetype)] = mail.attachments
    assert (filename, mimetype) == ("housing-webinar.ics", "text/calendar")
    vevent = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert vevent["SUMMARY"] == "Housing is a human right"
    assert int(vevent["SEQUENCE"]) == 0
    # The confirmation page (the token page) shows the join link to the confirmed registrant.
    page = client.get(response["Location"]).content.decode()
    assert JOIN in page
    assert "You&#x27;re registered. We have emailed you the details." in page


def test_confirming_twice_changes_nothing_and_sends_nothing(client, event, act, mailoutbox):
    registration = pending(event)
    act(services.confirm, registration)
    confirmed_at = Registration.objects.get().confirmed_at
    act(services.confirm, registration)
    act(client.post, f"/events/registration/{registration.token}/confirm/")
    assert len(mailoutbox) == 1
    assert Registration.objects.get().confirmed_at == confirmed_at


def test_confirm_page_of_a_done_registration_offers_no_button(client, event, act):
    registration = pending(event)
    act(services.confirm, registration)
    page = client.get(f"/events/registration/{registration.token}/confirm/").content.decode()
    assert "This registration is already done: Confirmed." in page
    assert ">Confirm</button>" not in page


# --- Seats, the waiting list and cancelling ---------------------------------------------------------------


def test_capacity_waitlist_and_automatic_promotion(client, db, act, mailoutbox):
    event = make_event(capacity=1)
    first, second = pending(event, "first@example.org"), pending(event, "second@example.org")
    assert act(services.confirm, first).status == RegistrationStatus.CONFIRMED
    assert act(services.confirm, second).status == RegistrationStatus.WAITLISTED
    waitlisted_mail = mailoutbox[1]
    assert waitlisted_mail.to == ["second@example.org"]
    assert waitlisted_mail.subject == "[UPR Cities] You're on the waiting list: Housing is a human right"
    assert JOIN not in waitlisted_mail.body and JOIN not in waitlisted_mail.alternatives[0].content
    assert f"/events/registration/{second.token}/cancel/" in waitlisted_mail.body
    assert waitlisted_mail.attachments == []
    assert JOIN not in client.get(f"/events/registration/{second.token}/").content.decode()

    # The confirmed registrant cancels (GET shows a button, POST cancels): the waiting list moves up.
    page = client.get(f"/events/registration/{first.token}/cancel/").content.decode()
    assert "Cancel my registration</button>" in page
    assert Registration.objects.get(pk=first.pk).status == RegistrationStatus.CONFIRMED
    response = act(client.post, f"/events/registration/{first.token}/cancel/")
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED and first.cancelled_at is not None
    assert second.status == RegistrationStatus.CONFIRMED
    assert len(mailoutbox) == 3
    promoted = mailoutbox[2]
    assert promoted.to == ["second@example.org"]
    assert promoted.subject == "[UPR Cities] You're registered: Housing is a human right"
    assert JOIN in promoted.body
    assert f"/events/registration/{second.token}/cancel/" in promoted.body
    assert promoted.attachments[0][0] == "housing-webinar.ics"
    assert JOIN in client.get(f"/events/registration/{second.token}/").content.decode()
    assert JOIN not in client.get(f"/events/registration/{first.token}/").content.decode()


def test_promotion_takes_the_oldest_waitlisted_first(db, act):
    event = make_event(capacity=1)
    holder = pending(event, "holder@example.org")
    act(services.confirm, holder)
    older, newer = pending(event, "older@example.org"), pending(event, "newer@example.org")
    act(services.confirm, newer)
    act(services.confirm, older)
    act(services.cancel, holder)
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "holder@example.org": "cancelled",
        "older@example.org": "confirmed",
        "newer@example.org": "waitlisted",
    }


def test_cancelling_a_waitlisted_or_pending_registration_promotes_nobody(db, act, mailoutbox):
    event = make_event(capacity=1)
    holder, waiting, other = (pending(event, f"{n}@example.org") for n in ("holder", "waiting", "other"))
    act(services.confirm, holder)
    act(services.confirm, waiting)
    act(services.cancel, other)
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.WAITLISTED
    assert len(mailoutbox) == 2
    # Cancelling twice is harmless.
    act(services.cancel, other)
    assert len(mailoutbox) == 2


def test_cancel_frees_the_address_to_register_again(event, post_form):
    registration = pending(event)
    services.cancel(registration)
    assert post_form(event).status_code == 302
    assert Registration.objects.filter(status=RegistrationStatus.PENDING).count() == 1


@pytest.mark.parametrize("action", ["", "confirm/", "cancel/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_token_is_404(client, event, action, method):
    registration = pending(event)
    forged = registration.token[:-2] + ("AA" if not registration.token.endswith("AA") else "BB")
    response = getattr(client, method)(f"/events/registration/{forged}/{action}")
    assert response.status_code == 404
    assert Registration.objects.get().status == RegistrationStatus.PENDING


def test_token_pages_send_no_referrer(client, event):
    registration = pending(event)
    response = client.get(f"/events/registration/{registration.token}/")
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


# --- Refusals ------------------------------------------------------------------------------------------


def _full_event():
    event = make_event(capacity=1)
    Registration.objects.create(event=event, name="Holder", email="holder@example.org", status="confirmed")
    return event


def _past_event():
    start = timezone.now() - dt.timedelta(days=2)
    return make_event(starts_at=start, ends_at=start + dt.timedelta(hours=1))


CLOSED = {
    "cancelled": (
        lambda: make_event(status=EventStatus.CANCELLED),
        "This event was cancelled, so registration is closed.",
    ),
    "past": (_past_event, "This event has already taken place, so registration is closed."),
    "held": (
        lambda: make_event(status=EventStatus.HELD),
        "This event has already taken place, so registration is closed.",
    ),
    "window_closed": (
        lambda: make_event(registration_closes_at=timezone.now() - dt.timedelta(minutes=1)),
        "Registration for this event has closed.",
    ),
    "not_yet_open": (
        lambda: make_event(registration_opens_at=timezone.now() + dt.timedelta(days=1)),
        "Registration opens on ",
    ),
}


@pytest.mark.parametrize("case", list(CLOSED))
def test_closed_registration_is_refused_with_a_clear_message_and_nothing_stored(db, case, post_form, mailoutbox):
    factory, message = CLOSED[case]
    event = factory()
    before = Registration.objects.count()
    response = post_form(event, email="newcomer@example.org")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Registration.objects.count() == before
    assert mailoutbox == []
    with pytest.raises(services.RegistrationError, match=message.split(" ")[0]):
        services.register(event, name="X", email="x@example.org")


def test_duplicate_address_gets_its_links_again_without_revealing_the_registration(event, post_form, mailoutbox):
    first = post_form(event)
    again = post_form(event, email="ANA@Example.org")
    # The page answers exactly as for a new registration: nobody learns that this address signed up.
    assert again.status_code == first.status_code == 302
    assert again["Location"] == first["Location"]
    assert Registration.objects.count() == 1
    # Not again within ten minutes (services.RESEND_EVERY): posting the form in a loop is no way to mail someone.
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]
    OutgoingEmail.objects.update(created_at=timezone.now() - dt.timedelta(minutes=11))
    third = post_form(event, email="ana@example.org")
    assert third["Location"] == first["Location"]
    # Only the address's owner gets the (same) confirmation link again.
    assert [m.to for m in mailoutbox] == [["ana@example.org"], ["ana@example.org"]]
    token = Registration.objects.get().token
    assert all(f"/events/registration/{token}/confirm/" in m.body for m in mailoutbox)


def test_confirming_after_the_event_was_cancelled_is_refused(client, event, act, mailoutbox):
    registration = pending(event)
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CANCELLED)
    response = act(client.post, f"/events/registration/{registration.token}/confirm/", follow=True)
    assert "This event was cancelled, so registration is closed." in response.content.decode()
    assert Registration.objects.get().status == RegistrationStatus.PENDING
    assert mailoutbox == []


def test_invalid_input_keeps_what_was_typed_and_stores_nothing(event, post_form, mailoutbox):
    response = post_form(event, email="not-an-address", name="<b>Ana</b>", access_needs=["other"])
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "Please use plain text here, without HTML tags." in page
    assert "Tell us what you need, so the organizers can arrange it." in page
    assert 'value="Tenants United"' in page and 'value="Pittsburgh"' in page
    assert 'value="other" class="form-check-input" id="id_access_needs_4" checked' in page
    assert Registration.objects.count() == 0
    assert mailoutbox == []


def test_unknown_access_needs_are_refused(event, post_form):
    assert post_form(event, access_needs=["captions", "teleport"]).status_code == 400
    assert Registration.objects.count() == 0


def test_honeypot_answers_as_if_it_worked_and_stores_nothing(event, post_form, mailoutbox):
    response = post_form(event, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/register/check-your-email/"
    assert Registration.objects.count() == 0
    assert mailoutbox == []


def test_rate_limit(event, post_form, mailoutbox):
    for n in range(10):
        assert post_form(event, email=f"person{n}@example.org").status_code == 302
    response = post_form(event, email="eleventh@example.org")
    assert response.status_code == 429
    assert "Too many registrations from your connection in the last hour." in response.content.decode()
    assert Registration.objects.count() == 10
    assert len(mailoutbox) == 10


def test_register_get_shows_the_form(client, event):
    response = client.get(f"/events/{event.slug}/register/")
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()
    assert client.get("/events/no-such-event/register/").status_code == 404


# --- The panel in the event page --------------------------------------------------------------------------


def test_panel_renders_the_form_without_csrf_token(event):
    html = render_to_string("events/registration_panel.html", {"event": event, "seats_left": None, "is_full": False})
    assert f'action="/events/{event.slug}/register/"' in html
    assert 'name="access_needs" value="captions"' in html
    assert "csrfmiddlewaretoken" not in html
    assert JOIN not in html


def test_panel_says_why_registration_is_closed(db):
    event = _past_event()
    html = render_to_string("events/registration_panel.html", {"event": event, "seats_left": None, "is_full": False})
    assert "This event has already taken place, so registration is closed." in html
    assert "<form" not in html


def test_a_full_event_offers_the_waiting_list(db, post_form, mailoutbox):
    event = _full_event()
    html = render_to_string("events/registration_panel.html", {"event": event, "seats_left": 0, "is_full": True})
    assert "you will be on the waiting list" in html
    assert "<form" in html
    response = post_form(event, email="late@example.org")
    assert response.status_code == 302
    registration = Registration.objects.get(email="late@example.org")
    assert services.confirm(registration).status == "waitlisted"


def test_event_page_shows_the_panel_but_never_the_join_link(client, event):
    response = client.get(f"/events/{event.slug}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'action="/events/{event.slug}/register/"' in page
    assert JOIN not in page


@pytest.mark.django_db
def test_the_page_and_the_service_agree_at_the_closing_minute():
    from events.selectors import registration_closed_reason, registration_is_open

    closes = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=1)
    event = make_event(registration_closes_at=closes)
    before = closes - dt.timedelta(seconds=1)
    assert (registration_is_open(event, before), registration_closed_reason(event, now=before)) == (True, None)
    for now in (closes, closes + dt.timedelta(seconds=1)):
        assert registration_is_open(event, now) is False
        assert registration_closed_reason(event, now=now) == "Registration for this event has closed."


def test_the_confirmed_page_offers_the_calendar_file_and_only_then(client, event, act):
    registration = services.register(event, name="Ana", email="ana@example.org")
    page = client.get(f"/events/registration/{registration.token}/").text
    assert "calendar.ics" not in page  # not registered yet: nothing to add
    act(client.post, f"/events/registration/{registration.token}/confirm/")
    page = client.get(f"/events/registration/{registration.token}/").text
    assert (
        f'<a class="btn btn-primary" href="/events/{event.slug}/calendar.ics" download>Add to calendar (.ics)</a>'
    ) in page
    assert client.get(f"/events/{event.slug}/calendar.ics")["Content-Type"] == "text/calendar; charset=utf-8"
    event.status = EventStatus.CANCELLED
    event.save()
    assert "calendar.ics" not in client.get(f"/events/registration/{registration.token}/").text
