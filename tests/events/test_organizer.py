"""Organizer event pages: every URL x role, another city's events, the event form's validation, change notices,
and lobby-day delegates."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zoneinfo
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from cities.enums import Role
from cities.models import Membership
from events.enums import EventKind, EventStatus
from events.models import Delegate, Event
from tests.events import make_event

ROLES = ["anonymous", "resident", "coordinator_a", "organizer_a", "organizer_b", "national_team"]
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


def form_data(**changes) -> dict:
    data = {
        "kind": EventKind.COMMUNITY_CONVERSATION,
        "title": "Housing listening session",
        "description": "Tell the city council what housing means to you.",
        "starts_at": "2030-07-01T10:00",
        "ends_at": "2030-07-01T12:00",
        "time_zone": "America/Los_Angeles",
        "place": "Hill District library",
        "online_url": "",
        "capacity": "40",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "status": EventStatus.SCHEDULED,
        "recording_url": "",
        "transcript": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def world(personas):
    city = personas["city_a"]
    plain = personas["resident"].__class__.objects.create_user("plain-a@example.org", "pw-long-enough")
    Membership.objects.create(user=plain, city=city, role=Role.ORGANIZER)
    event = make_event(
        title="Pittsburgh hearing",
        slug="pittsburgh-hearing",
        place="Hill District library",
        host_city=city,
        starts_at=dt.datetime(2030, 7, 1, 10, tzinfo=LA),
        ends_at=dt.datetime(2030, 7, 1, 12, tzinfo=LA),
        time_zone="America/Los_Angeles",
        online_url="https://zoom.example/j/1",
    )
    boston_event = make_event(title="Boston hearing", host_city=personas["city_b"])
    lobby_day = make_event(title="National lobby day", kind=EventKind.LOBBY_DAY, place="Capitol Hill")
    users = {
        "resident": personas["resident"],
        "coordinator_a": personas["organizer_a"],
        "organizer_a": plain,
        "organizer_b": personas["organizer_b"],
        "national_team": personas["staff_mfa"],
    }
    return {
        "city": city,
        "event": event,
        "boston_event": boston_event,
        "lobby_day": lobby_day,
        "users": users,
    }


def _urls(world):
    slug, event, lobby = world["city"].slug, world["event"], world["lobby_day"]
    team_only_get = dict(zip(ROLES, [302, 404, 200, 200, 404, 404], strict=True))
    team_only_post = dict(zip(ROLES, [302, 404, 302, 302, 404, 404], strict=True))
    return [
        ("GET", f"/organize/{slug}/events/", None, team_only_get),
        ("GET", f"/organize/{slug}/events/new/", None, team_only_get),
        ("POST", f"/organize/{slug}/events/new/", form_data(), team_only_post),
        ("GET", f"/organize/{slug}/events/{event.pk}/edit/", None, team_only_get),
        ("POST", f"/organize/{slug}/events/{event.pk}/edit/", form_data(title="Renamed"), team_only_post),
        ("GET", f"/organize/{slug}/events/{lobby.pk}/delegates/", None, team_only_get),
        (
            "POST",
            f"/organize/{slug}/events/{lobby.pk}/delegates/",
            {"name": "Ana Delegate", "email": "ana@example.org", "travel_note": ""},
            team_only_post,
        ),
    ]


URL_KEYS = ["list", "new", "create", "edit", "save", "delegates", "nominate"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", range(len(URL_KEYS)), ids=URL_KEYS)
def test_organizer_url_by_role(client, world, role, which):
    method, url, data, expected = _urls(world)[which]
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = client.post(url, data) if method == "POST" else client.get(url)
    assert response.status_code == expected[role], (method, url, role)
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next=")


def test_outsiders_change_nothing(client, world):
    before = Event.objects.count()
    for role in ["resident", "organizer_b", "national_team"]:
        client.force_login(world["users"][role])
        _, url, data, _ = _urls(world)[2]
        client.post(url, data)
        _, url, data, _ = _urls(world)[4]
        client.post(url, data)
        _, url, data, _ = _urls(world)[6]
        client.post(url, data)
    assert Event.objects.count() == before
    assert Event.objects.get(pk=world["event"].pk).title == "Pittsburgh hearing"
    assert not Delegate.objects.exists()


def test_organizer_cannot_edit_another_citys_event(client, world, personas):
    boston_event = world["boston_event"]
    client.force_login(world["users"]["coordinator_a"])
    url = f"/organize/{world['city'].slug}/events/{boston_event.pk}/edit/"
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(title="Hijacked")).status_code == 404
    # Nor through the other city's own URL.
    url = f"/organize/{personas['city_b'].slug}/events/{boston_event.pk}/edit/"
    assert client.post(url, form_data(title="Hijacked")).status_code == 404
    boston_event.refresh_from_db()
    assert boston_event.title == "Boston hearing"
    assert boston_event.sequence == 0


def test_organize_home_links_to_events(client, world):
    client.force_login(world["users"]["coordinator_a"])
    response = client.get("/organize/")
    assert 'href="/organize/pittsburgh-pa/events/"' in response.text


def test_list_shows_own_events_with_status_and_links(client, world):
    client.force_login(world["users"]["organizer_a"])
    response = client.get("/organize/pittsburgh-pa/events/")
    text = response.text
    assert "Pittsburgh hearing" in text and "Boston hearing" not in text
    assert "Scheduled" in text
    assert f'href="/organize/pittsburgh-pa/events/{world["event"].pk}/edit/"' in text
    assert f'href="/organize/pittsburgh-pa/events/{world["lobby_day"].pk}/delegates/"' in text
    try:
        registrations = reverse("registrations:organize_list", args=["pittsburgh-pa", world["event"].pk])
    except NoReverseMatch:
        registrations = None
    if registrations:
        assert f'href="{registrations}"' in text


# --- Creating ---------------------------------------------------------------------------------------------


def test_create_event_in_its_own_time_zone(client, world, settings):
    settings.TIME_ZONE = "America/New_York"
    client.force_login(world["users"]["organizer_a"])
    response = client.post(
        "/organize/pittsburgh-pa/events/new/",
        form_data(title="Pittsburgh hearing", registration_closes_at="2030-06-30T23:59"),
    )
    assert response.status_code == 302
    assert response["Location"] == "/organize/pittsburgh-pa/events/"
    event = Event.objects.exclude(pk=world["event"].pk).get(title="Pittsburgh hearing")
    assert event.slug == "pittsburgh-hearing-2"  # unique, from the title
    assert event.host_city == world["city"]
    assert event.starts_at == dt.datetime(2030, 7, 1, 17, tzinfo=dt.UTC)  # 10:00 PDT
    assert event.ends_at == dt.datetime(2030, 7, 1, 19, tzinfo=dt.UTC)
    assert event.registration_closes_at == dt.datetime(2030, 7, 1, 6, 59, tzinfo=dt.UTC)
    assert event.capacity == 40
    assert event.sequence == 0


def test_host_city_cannot_be_chosen(client, world, personas):
    client.force_login(world["users"]["organizer_a"])
    client.post("/organize/pittsburgh-pa/events/new/", form_data(title="Mine", host_city=personas["city_b"].pk))
    assert Event.objects.get(title="Mine").host_city == world["city"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": "2030-07-01T09:00"}, "ends_at", "The event cannot end before it starts."),
        ({"capacity": "0"}, "capacity", "Capacity must be at least 1, or empty for no limit."),
        ({"capacity": "-1"}, "capacity", "Capacity must be at least 1, or empty for no limit."),
        ({"title": "x" * 10_000}, "title", "Ensure this value has at most 200 characters (it has 10000)."),
        ({"title": "<b>Bold</b> hearing"}, "title", "Please use plain text here, without HTML tags."),
        ({"title": ""}, "title", "This field is required."),
        (
            {"time_zone": "Mars/Olympus_Mons"},
            "time_zone",
            "“Mars/Olympus_Mons” is not a time zone we know. Give one such as America/Chicago.",
        ),
        ({"starts_at": "tomorrow"}, "starts_at", "Enter a valid date/time."),
        (
            {"starts_at": "2030-03-10T02:30", "ends_at": "2030-03-10T04:00"},
            "starts_at",
            "02:30 does not exist in Pacific Time (the clocks go forward then). Pick another time.",
        ),
        (
            {"registration_opens_at": "2030-06-02T10:00", "registration_closes_at": "2030-06-01T10:00"},
            "registration_closes_at",
            "Registration cannot close before it opens.",
        ),
    ],
    ids=[
        "end-before-start",
        "capacity-0",
        "capacity-negative",
        "long-title",
        "html-title",
        "no-title",
        "bad-zone",
        "bad-date",
        "dst-gap",
        "window",
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(client, world, changes, field, message):
    client.force_login(world["users"]["organizer_a"])
    before = Event.objects.count()
    data = form_data(**changes)
    response = client.post("/organize/pittsburgh-pa/events/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert list(response.context["form"].errors) == [field]
    assert Event.objects.count() == before
    # Everything typed is shown again.
    assert 'value="Hill District library"' in response.text
    assert "Tell the city council what housing means to you." in response.text
    assert "Please correct the errors below; nothing was saved." in response.text


def test_place_or_link_is_needed(client, world):
    client.force_login(world["users"]["organizer_a"])
    response = client.post("/organize/pittsburgh-pa/events/new/", form_data(place=""))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Give a place, an online join link, or both."]


def _pptx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return buffer.getvalue()


def _odp() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.presentation")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("slides.pdf", b"%PDF-1.7\n...", None),
        ("slides.pptx", _pptx(), None),
        ("slides.odp", _odp(), None),
        ("slides.pdf", b"MZ\x90\x00 not a pdf", "This file is not really a PDF file."),
        ("slides.pptx", b"%PDF-1.7 renamed", "This file is not really a PPTX file."),
        ("slides.odp", _pptx(), "This file is not really a ODP file."),
        ("slides.exe", b"MZ", "Slides must be a PDF, PowerPoint (.pptx) or OpenDocument (.odp) file."),
        ("slides.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024), "Slides can be at most 20 MB."),
    ],
    ids=["pdf", "pptx", "odp", "fake-pdf", "fake-pptx", "fake-odp", "exe", "too-big"],
)
def test_slides_upload(client, world, name, content, error):
    client.force_login(world["users"]["organizer_a"])
    data = form_data(title="With slides", slides=SimpleUploadedFile(name, content))
    response = client.post("/organize/pittsburgh-pa/events/new/", data)
    if error is None:
        assert response.status_code == 302
        assert Event.objects.get(title="With slides").slides.name.startswith("events/slides/slides")
    else:
        assert response.status_code == 400
        assert response.context["form"].errors["slides"] == [error]
        assert not Event.objects.filter(title="With slides").exists()


# --- Editing ----------------------------------------------------------------------------------------------


@pytest.fixture
def notices(monkeypatch):
    """Registrations' notifications (events.services), replaced by mocks."""
    import events.services

    change = mock.Mock(name="notify_change")
    recording = mock.Mock(name="notify_recording_ready")
    monkeypatch.setattr(events.services, "notify_change", change, raising=False)
    monkeypatch.setattr(events.services, "notify_recording_ready", recording, raising=False)
    return change, recording


def test_edit_form_shows_times_in_the_events_zone(client, world, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    client.force_login(world["users"]["organizer_a"])
    response = client.get(f"/organize/pittsburgh-pa/events/{world['event'].pk}/edit/")
    assert 'value="2030-07-01T10:00"' in response.text
    assert 'value="2030-07-01T12:00"' in response.text
    assert 'value="America/Los_Angeles"' in response.text
    assert '<datalist id="time-zone-choices">' in response.text


def test_edit_without_schedule_change_keeps_sequence_and_tells_nobody(
    client, world, notices, django_capture_on_commit_callbacks
):
    event = world["event"]
    client.force_login(world["users"]["organizer_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/organize/pittsburgh-pa/events/{event.pk}/edit/",
            form_data(title="New title", online_url=event.online_url, place=event.place),
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "New title"
    assert event.slug == world["event"].slug  # the address does not change
    assert event.sequence == 0
    notices[0].assert_not_called()
    notices[1].assert_not_called()


def test_schedule_change_bumps_sequence_and_notifies_once(client, world, notices, django_capture_on_commit_callbacks):
    event = world["event"]
    client.force_login(world["users"]["organizer_a"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            f"/organize/pittsburgh-pa/events/{event.pk}/edit/",
            form_data(time_zone="America/Chicago", online_url=event.online_url, place=event.place),
        )
    assert response.status_code == 302
    notices[0].assert_not_called()  # only once the transaction commits
    for callback in callbacks:
        callback()
    event.refresh_from_db()
    assert event.sequence == 1
    assert event.starts_at == dt.datetime(2030, 7, 1, 15, tzinfo=dt.UTC)  # 10:00 in Chicago
    notices[0].assert_called_once()
    (called_event, changes), _ = notices[0].call_args
    assert called_event.pk == event.pk
    assert changes == {
        "starts_at": (dt.datetime(2030, 7, 1, 17, tzinfo=dt.UTC), dt.datetime(2030, 7, 1, 15, tzinfo=dt.UTC)),
        "ends_at": (dt.datetime(2030, 7, 1, 19, tzinfo=dt.UTC), dt.datetime(2030, 7, 1, 17, tzinfo=dt.UTC)),
        "time_zone": ("America/Los_Angeles", "America/Chicago"),
    }
    notices[1].assert_not_called()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"place": "City hall"}, {"place": ("Hill District library", "City hall")}),
        (
            {"online_url": "https://zoom.example/j/2"},
            {"online_url": ("https://zoom.example/j/1", "https://zoom.example/j/2")},
        ),
        ({"status": "cancelled"}, {"status": ("scheduled", "cancelled")}),
        (
            {"ends_at": "2030-07-01T13:00"},
            {"ends_at": (dt.datetime(2030, 7, 1, 19, tzinfo=dt.UTC), dt.datetime(2030, 7, 1, 20, tzinfo=dt.UTC))},
        ),
    ],
    ids=["place", "online_url", "status", "ends_at"],
)
def test_each_tracked_change_is_notified(client, world, notices, django_capture_on_commit_callbacks, changes, expected):
    event = world["event"]
    client.force_login(world["users"]["coordinator_a"])
    data = {**form_data(online_url=event.online_url), **changes}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/organize/pittsburgh-pa/events/{event.pk}/edit/", data).status_code == 302
    notices[0].assert_called_once()
    assert notices[0].call_args.args[1] == expected
    event.refresh_from_db()
    assert event.sequence == 1


def test_failed_edit_changes_nothing(client, world, notices, django_capture_on_commit_callbacks):
    event = world["event"]
    client.force_login(world["users"]["organizer_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/organize/pittsburgh-pa/events/{event.pk}/edit/",
            form_data(place="Elsewhere", ends_at="2030-07-01T08:00", online_url=event.online_url),
        )
    assert response.status_code == 400
    event.refresh_from_db()
    assert (event.place, event.sequence) == ("Hill District library", 0)
    notices[0].assert_not_called()


def test_recording_on_a_held_event_tells_registrants(client, world, notices, django_capture_on_commit_callbacks):
    event = world["event"]
    Event.objects.filter(pk=event.pk).update(status=EventStatus.HELD)
    client.force_login(world["users"]["organizer_a"])
    url = f"/organize/pittsburgh-pa/events/{event.pk}/edit/"
    data = form_data(status="held", online_url=event.online_url, recording_url="https://youtu.be/dQw4w9WgXcQ")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    notices[1].assert_called_once()
    assert notices[1].call_args.args[0].pk == event.pk
    notices[0].assert_not_called()
    # Saving again with the same materials tells nobody; a newly added transcript is announced (the service sends
    # each registrant at most one "recording ready" email per event).
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    notices[1].assert_called_once()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {**data, "transcript": "Hello."}).status_code == 302
    assert notices[1].call_count == 2


def test_recording_on_a_scheduled_event_tells_nobody(client, world, notices, django_capture_on_commit_callbacks):
    event = world["event"]
    client.force_login(world["users"]["organizer_a"])
    data = form_data(online_url=event.online_url, recording_url="https://youtu.be/dQw4w9WgXcQ")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/organize/pittsburgh-pa/events/{event.pk}/edit/", data).status_code == 302
    notices[1].assert_not_called()


def test_slides_on_a_held_event_tell_registrants(client, world, notices, django_capture_on_commit_callbacks):
    event = world["event"]
    Event.objects.filter(pk=event.pk).update(status=EventStatus.HELD)
    client.force_login(world["users"]["organizer_a"])
    data = form_data(status="held", online_url=event.online_url, slides=SimpleUploadedFile("deck.pdf", b"%PDF-1.5"))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/organize/pittsburgh-pa/events/{event.pk}/edit/", data).status_code == 302
    notices[1].assert_called_once()


# --- Lobby-day delegates ----------------------------------------------------------------------------------


def test_nominate_delegates(client, world, personas):
    lobby = world["lobby_day"]
    Delegate.objects.create(event=lobby, city=personas["city_b"], name="Bo Boston", email="bo@example.org")
    client.force_login(world["users"]["organizer_a"])
    url = f"/organize/pittsburgh-pa/events/{lobby.pk}/delegates/"
    response = client.post(
        url, {"name": "Ana Delegate", "email": "ana@example.org", "needs_travel_support": "on", "travel_note": "Bus"}
    )
    assert response.status_code == 302
    delegate = Delegate.objects.get(email="ana@example.org")
    assert (delegate.city, delegate.event, delegate.needs_travel_support) == (world["city"], lobby, True)
    assert delegate.nominated_by == world["users"]["organizer_a"]
    page = client.get(url)
    assert "Ana Delegate" in page.text
    assert "Bo Boston" not in page.text  # another city's delegates stay with the national team
    # The same person twice (any city, any case) is refused.
    response = client.post(url, {"name": "Bo again", "email": "BO@example.org"})
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["This person is already a delegate for this event."]
    response = client.post(url, {"name": "<script>x</script>", "email": "new@example.org"})
    assert response.context["form"].errors["name"] == ["Please use plain text here, without HTML tags."]
    assert Delegate.objects.count() == 2


def test_delegates_only_for_lobby_days(client, world):
    client.force_login(world["users"]["organizer_a"])
    assert client.get(f"/organize/pittsburgh-pa/events/{world['event'].pk}/delegates/").status_code == 404


def test_past_lobby_day_takes_no_more_nominations(client, world):
    past = make_event(
        kind=EventKind.LOBBY_DAY, starts_at=dt.datetime(2020, 3, 1, 14, tzinfo=dt.UTC), status=EventStatus.HELD
    )
    client.force_login(world["users"]["organizer_a"])
    url = f"/organize/pittsburgh-pa/events/{past.pk}/delegates/"
    assert "Nominations for this lobby day are closed." in client.get(url).text
    client.post(url, {"name": "Late", "email": "late@example.org"})
    assert not Delegate.objects.exists()
