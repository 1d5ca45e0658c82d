"""Change notices (once per revision, with the updated .ics), cancellation notices, recording-ready notices,
and email attachments."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.db.models import F

from events import services
from events.enums import EventStatus
from events.models import Event, Registration
from portal.mail import send_templated_email
from portal.models import ReminderLog
from tests.events.test_registration import JOIN, make_event

START = dt.datetime(2030, 3, 5, 23, 0, tzinfo=dt.UTC)  # 5 p.m. in Chicago
NEW_START = START + dt.timedelta(days=1, hours=1)  # 6 p.m. the next day


@pytest.fixture
def event(db):
    event = make_event(starts_at=START, ends_at=START + dt.timedelta(hours=1))
    for name, status in [("conf", "confirmed"), ("pend", "pending"), ("wait", "waitlisted"), ("gone", "cancelled")]:
        Registration.objects.create(event=event, name=name, email=f"{name}@example.org", status=status)
    return event


def revise(event: Event, **fields) -> tuple[Event, dict]:
    """What the organizer's edit does: save, bump the sequence, hand over the changes."""
    changes = {name: (getattr(event, name), value) for name, value in fields.items()}
    Event.objects.filter(pk=event.pk).update(sequence=F("sequence") + 1, **fields)
    event.refresh_from_db()
    return event, changes


@pytest.fixture
def notify(django_capture_on_commit_callbacks):
    def run(function, *args):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args)

    return run


def _mail_to(mailoutbox, address):
    [mail] = [m for m in mailoutbox if m.to == [address]]
    return mail


def _vevent(mail):
    [(filename, content, mimetype)] = mail.attachments
    assert mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    return calendar.walk("VEVENT")[0]


def test_a_change_is_announced_once_per_revision_with_the_updated_ics(event, notify, mailoutbox):
    event, changes = revise(event, starts_at=NEW_START, ends_at=NEW_START + dt.timedelta(hours=1))
    assert notify(services.notify_change, event, changes) == 3
    assert sorted(m.to[0] for m in mailoutbox) == ["conf@example.org", "pend@example.org", "wait@example.org"]
    mail = _mail_to(mailoutbox, "conf@example.org")
    assert mail.subject == "[UPR Cities] Changed: Housing is a human right"
    assert "- Starts at: March 5, 2030, 5 p.m. → March 6, 2030, 6 p.m. (Central Time)" in mail.body
    assert "- Ends at: March 5, 2030, 6 p.m. → March 6, 2030, 7 p.m. (Central Time)" in mail.body
    assert JOIN in mail.body
    assert "/cancel/" in mail.body
    vevent = _vevent(mail)
    assert int(vevent["SEQUENCE"]) == 1
    assert vevent.decoded("DTSTART") == NEW_START
    # Those without a seat are told, but never see the join link.
    for address in ("pend@example.org", "wait@example.org"):
        other = _mail_to(mailoutbox, address)
        assert "March 6, 2030, 6 p.m." in other.body
        assert JOIN not in other.body and JOIN not in other.alternatives[0].content
        assert other.attachments == []

    # The same revision again (a retried callback): nothing.
    assert notify(services.notify_change, event, changes) == 0
    assert len(mailoutbox) == 3
    # The next revision: once more.
    event, changes = revise(event, place="Library, Hall B")
    assert notify(services.notify_change, event, changes) == 3
    mail = _mail_to(mailoutbox[3:], "conf@example.org")
    assert "- Place: City Hall, Room 4 → Library, Hall B" in mail.body
    assert int(_vevent(mail)["SEQUENCE"]) == 2
    assert ReminderLog.objects.filter(kind="event_change").count() == 6


def test_a_new_join_link_goes_only_to_confirmed_registrants(event, notify, mailoutbox):
    new_link = "https://meet.example.org/j/new-room-99"
    event, changes = revise(event, online_url=new_link)
    notify(services.notify_change, event, changes)
    assert f"- Online join link: new link: {new_link}" in _mail_to(mailoutbox, "conf@example.org").body
    for address in ("pend@example.org", "wait@example.org"):
        mail = _mail_to(mailoutbox, address)
        assert "- Online join link: changed" in mail.body
        assert new_link not in mail.body and JOIN not in mail.body
        assert new_link not in mail.alternatives[0].content


def test_cancellation_notice(event, notify, mailoutbox):
    event, changes = revise(event, status=EventStatus.CANCELLED)
    assert notify(services.notify_change, event, changes) == 3
    mail = _mail_to(mailoutbox, "conf@example.org")
    assert mail.subject == "[UPR Cities] Cancelled: Housing is a human right"
    assert "planned for March 5, 2030, 5 p.m. (Central Time), is cancelled." in mail.body
    vevent = _vevent(mail)
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == 1
    assert JOIN not in _mail_to(mailoutbox, "wait@example.org").body


def test_changes_nobody_cares_about_send_nothing(event, notify, mailoutbox):
    assert notify(services.notify_change, event, {"title": ("Old", "New")}) == 0
    assert mailoutbox == []


def test_recording_ready_once_to_confirmed_registrants(event, notify, mailoutbox):
    assert notify(services.notify_recording_ready, event) == 0  # nothing published yet
    Event.objects.filter(pk=event.pk).update(status=EventStatus.HELD, recording_url="https://video.example.org/42")
    event.refresh_from_db()
    assert notify(services.notify_recording_ready, event) == 1
    assert notify(services.notify_recording_ready, event) == 0
    [mail] = mailoutbox
    assert mail.to == ["conf@example.org"]
    assert mail.subject == "[UPR Cities] The recording is ready: Housing is a human right"
    assert f"http://127.0.0.1:8000/events/{event.slug}/" in mail.body
    assert JOIN not in mail.body


def test_send_email_with_and_without_attachments(db, django_capture_on_commit_callbacks, mailoutbox):
    context = {"by": None, "city": {"name": "Pittsburgh"}, "invitation": None, "url": "http://x", "days": 7}
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email("team_invitation", ["a@example.org"], context)
        send_templated_email(
            "team_invitation", ["b@example.org"], context, attachments=[("note.txt", "hello", "text/plain")]
        )
    assert mailoutbox[0].attachments == []
    assert mailoutbox[1].attachments == [("note.txt", "hello", "text/plain")]


def test_a_change_made_in_the_admin_reaches_registrants_like_an_organizers(event, notify, mailoutbox, personas):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    admin = site._registry[Event]
    request = RequestFactory().post("/admin/")
    request.user = personas["staff_mfa"]
    event.starts_at, event.ends_at = NEW_START, NEW_START + dt.timedelta(hours=1)
    form = admin.get_form(request, event, change=True)

    notify(admin.save_model, request, event, form, True)

    event.refresh_from_db()
    assert event.sequence == 1
    assert sorted(m.to[0] for m in mailoutbox) == ["conf@example.org", "pend@example.org", "wait@example.org"]
    assert int(_vevent(_mail_to(mailoutbox, "conf@example.org"))["SEQUENCE"]) == 1


def test_save_event_ignores_edits_that_do_not_matter_to_registrants(event, notify, mailoutbox):
    event.description = "A better description."
    assert notify(services.save_event, event, event.save) == {}
    event.refresh_from_db()
    assert event.sequence == 0
    assert mailoutbox == []
