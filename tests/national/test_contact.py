"""The contact page (national.views.contact, national.services.receive_contact_message): a message to the national
team with a topic, kept for the admin and emailed to NATIONAL_TEAM_EMAIL through the outbox; the honeypot, the
per-address limit, bad input kept, what happens next; who may open what; retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import NATIONAL_TEAM
from national import services
from national.enums import ContactTopic
from national.models import ContactMessage
from portal.models import OutgoingEmail

pytestmark = pytest.mark.django_db

URL = "/contact/"
VALID = {
    "topic": "join",
    "name": "Dana Whitfield",
    "email": "dana@example.org",
    "organisation": "Erie Human Rights Coalition",
    "city_name": "Erie, PA",
    "message": "We would like Erie to take part.\nWho should we talk to?",
}


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    def post(**data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, {**VALID, **data})

    return post


def test_a_message_is_kept_emailed_to_the_national_team_and_the_sender_told_what_happens_next(
    client, send, mailoutbox, settings
):
    settings.NATIONAL_TEAM_EMAIL = "team@uprcities.example.org"
    response = send()
    assert response.status_code == 302
    assert response["Location"] == "/contact/sent/?topic=join"
    message = ContactMessage.objects.get()
    assert (message.topic, message.name, message.email, message.organisation, message.city_name) == (
        ContactTopic.JOIN,
        "Dana Whitfield",
        "dana@example.org",
        "Erie Human Rights Coalition",
        "Erie, PA",
    )
    assert message.message == "We would like Erie to take part.\nWho should we talk to?"
    assert (message.language, message.handled_at) == ("en", None)

    [email] = mailoutbox
    assert email.to == ["team@uprcities.example.org"]
    assert email.reply_to == ["dana@example.org"]
    assert email.subject == "[UPR Cities] Bringing a city into the review: a message from Dana Whitfield"
    assert "Dana Whitfield (dana@example.org) wrote to the national team about “Bringing a city into the review”:" in (
        email.body
    )
    assert "We would like Erie to take part.\nWho should we talk to?" in email.body
    assert f"http://127.0.0.1:8000/admin/national/contactmessage/{message.pk}/change/" in email.body
    # Through the outbox, once, about this message.
    row = OutgoingEmail.objects.get()
    assert (row.template, row.about, row.status) == ("contact_message", f"contact:{message.pk}", "sent")

    page = client.get(response["Location"]).text
    assert "Thank you: your message has reached the national team" in page
    assert "We answer at the email address you gave, usually within 5 working days." in page
    assert 'href="/cities/join/">request to join</a>' in page  # the step that fits the topic
    assert "Your message is kept for the national team for 365 days, then deleted." in page


def test_nothing_is_sent_to_the_address_typed_into_the_form(send, mailoutbox):
    send(email="someone-else@example.org")
    assert [m.to for m in mailoutbox] == [["national-team@uprcities.localhost"]]


def test_bad_input_keeps_what_was_valid_and_stores_nothing(send, mailoutbox):
    response = send(topic="", email="not an address", message="   ", name="<b>Dana</b>")
    assert response.status_code == 400
    page = response.text
    assert '<div class="alert alert-danger error-summary" role="alert"' in page
    assert (
        '<a class="alert-link" href="#id_topic">What is it about? – Please choose what your message is about.</a>'
        in (page)
    )
    assert '<a class="alert-link" href="#id_message">Your message – Please write your message.</a>' in page
    assert "Please use plain text here, without HTML tags." in page
    assert "Enter a valid email address." in page
    assert 'value="Erie Human Rights Coalition"' in page and 'value="Erie, PA"' in page
    assert (ContactMessage.objects.count(), mailoutbox) == (0, [])


def test_a_topic_the_form_does_not_offer_is_refused(send):
    response = send(topic="lottery")
    assert response.status_code == 400
    assert "Select a valid choice. lottery is not one of the available choices." in response.text
    assert not ContactMessage.objects.exists()


def test_the_honeypot_answers_as_if_it_worked_and_keeps_nothing(send, mailoutbox):
    response = send(website="http://spam.example")
    assert (response.status_code, response["Location"]) == (302, "/contact/sent/?topic=join")
    assert (ContactMessage.objects.count(), mailoutbox) == (0, [])


def test_one_connection_sends_at_most_five_messages_an_hour(send, mailoutbox):
    assert [send(message=f"Message {n}").status_code for n in range(5)] == [302] * 5
    response = send(message="The sixth")
    assert response.status_code == 429
    assert "Too many messages from your connection in the last hour." in response.text
    assert 'value="Dana Whitfield"' in response.text and "The sixth</textarea>" in response.text
    assert ContactMessage.objects.count() == 5


def test_the_topic_can_be_chosen_by_a_link(client):
    page = client.get(URL, {"topic": "media"}).text
    assert '<option value="media" selected>Press and media</option>' in page


def test_the_sent_page_knows_only_the_topics_of_the_form(client):
    page = client.get("/contact/sent/", {"topic": "<script>"}).text
    assert "<script>" not in page.split("<main", 1)[1]
    assert "What happens next" in page


def test_every_page_links_the_contact_page_from_its_footer(client):
    footer = client.get("/").text.split('<footer class="site-footer', 1)[1]
    assert '<a href="/contact/">Contact the national team</a>' in footer


def test_in_spanish(client, send):
    client.cookies["django_language"] = "es"
    page = client.get(URL).text
    assert "Escribir al equipo nacional" in page
    send()
    assert ContactMessage.objects.get().language == "es"


# --- Who may open what ----------------------------------------------------------------------------------------


@pytest.fixture
def national_team(personas):
    staff = personas["staff_mfa"]
    staff.groups.add(Group.objects.get(name=NATIONAL_TEAM))
    return staff


@pytest.mark.parametrize(
    ("who", "contact", "admin_list"),
    [
        ("anonymous", 200, 302),
        ("resident", 200, 403),
        ("organizer_a", 200, 403),
        ("staff_no_mfa", 200, 302),
        ("national_team", 200, 200),
    ],
)
def test_url_by_role(client, personas, national_team, who, contact, admin_list):
    if who == "national_team":
        client.force_login(national_team)
    elif who != "anonymous":
        client.force_login(personas[who])
    assert client.get(URL).status_code == contact
    assert client.get("/contact/sent/").status_code == contact
    assert client.get("/admin/national/contactmessage/").status_code == admin_list


def test_the_national_team_reads_and_marks_messages_answered_in_the_admin(client, send, national_team):
    send()
    message = ContactMessage.objects.get()
    client.force_login(national_team)
    listing = client.get("/admin/national/contactmessage/").text
    assert "Dana Whitfield" in listing and "dana@example.org" in listing
    page = client.get(f"/admin/national/contactmessage/{message.pk}/change/").text
    assert "We would like Erie to take part." in page
    response = client.post(
        "/admin/national/contactmessage/",
        {"action": "mark_answered", "_selected_action": [message.pk]},
        follow=True,
    )
    assert "1 message marked as answered." in response.text
    message.refresh_from_db()
    assert message.handled_by == national_team and message.handled_at is not None


def test_the_pages_run_the_same_queries_with_few_or_many_messages(client, national_team):
    def queries(count: int) -> tuple[int, int]:
        ContactMessage.objects.bulk_create(
            ContactMessage(topic="other", name=f"P{n}", email=f"p{n}@example.org", message="Hi") for n in range(count)
        )
        client.logout()
        with CaptureQueriesContext(connection) as public:
            assert client.get(URL).status_code == 200
        client.force_login(national_team)
        client.get("/admin/national/contactmessage/")  # warm the session and the permission caches
        with CaptureQueriesContext(connection) as admin:
            assert client.get("/admin/national/contactmessage/").status_code == 200
        return len(public), len(admin)

    assert queries(3) == queries(57)


# --- Retention ------------------------------------------------------------------------------------------------


def test_messages_are_deleted_after_their_retention(settings):
    settings.CONTACT_RETENTION_DAYS = 30
    now = timezone.now()
    old = ContactMessage.objects.create(topic="other", name="Old", email="old@example.org", message="Hi")
    recent = ContactMessage.objects.create(topic="other", name="New", email="new@example.org", message="Hi")
    ContactMessage.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=31))
    ContactMessage.objects.filter(pk=recent.pk).update(created_at=now - dt.timedelta(days=29))
    assert services.delete_old_contact_messages(now) == 1
    assert list(ContactMessage.objects.values_list("name", flat=True)) == ["New"]
    assert services.delete_old_contact_messages(now) == 0


def test_the_retention_runs_with_the_periodic_jobs():
    from portal.registry import periodic_jobs

    assert dict(periodic_jobs.items())["contact_message_retention"] is services.delete_old_contact_messages
