"""Public event pages: the upcoming list, the webinar archive, an event's page; filters; constant query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.enums import EventKind, EventStatus, RegistrationStatus
from events.models import Registration, Speaker
from tests.events import make_event
from upr.models import Theme

pytestmark = pytest.mark.django_db

PAST = timezone.now() - dt.timedelta(days=30)


@pytest.fixture
def themes(db):
    return {
        "housing": Theme.objects.create(slug="housing", name="Housing", name_es="Vivienda"),
        "equality": Theme.objects.create(slug="equality", name="Equality", name_es="Igualdad"),
    }


@pytest.fixture
def speakers(db):
    return [
        Speaker.objects.create(name="Julieta Perucca", title="Deputy Director", organisation="The Shift"),
        Speaker.objects.create(name="Ejim Dike", organisation="US Human Rights Network"),
    ]


# --- /events/ ---------------------------------------------------------------------------------------------


def test_list_shows_upcoming_events_only_soonest_first(client, city_factory):
    city = city_factory()
    later = make_event(title="Later", starts_at=timezone.now() + dt.timedelta(days=20), host_city=city)
    sooner = make_event(title="Sooner", starts_at=timezone.now() + dt.timedelta(days=2))
    make_event(title="Over", starts_at=PAST, status=EventStatus.HELD)
    make_event(title="Called off", status=EventStatus.CANCELLED)
    postponed = make_event(
        title="Moved", status=EventStatus.POSTPONED, starts_at=timezone.now() + dt.timedelta(days=40)
    )
    response = client.get("/events/")
    assert response.status_code == 200
    assert response.context["events"] == [sooner, later, postponed]
    assert 'href="/events/later/"' not in response.text  # slugs come from make_event
    assert f'href="/events/{later.slug}/"' in response.text
    assert 'href="/cities/pittsburgh-pa/"' in response.text
    assert "Postponed" in response.text
    assert "Over" not in response.text and "Called off" not in response.text


def test_list_filters(client, city_factory, themes):
    pittsburgh, boston = city_factory(), city_factory("Boston", "MA")
    webinar = make_event(
        kind=EventKind.WEBINAR, place="", online_url="https://zoom.example/j/1", themes=[themes["housing"]]
    )
    hearing = make_event(kind=EventKind.PUBLIC_HEARING, host_city=pittsburgh, themes=[themes["equality"]])
    hybrid = make_event(kind=EventKind.TRAINING, host_city=boston, online_url="https://zoom.example/j/2")

    def listed(query):
        response = client.get("/events/" + query)
        assert response.status_code == 200
        return response.context["events"]

    assert listed("") == [webinar, hearing, hybrid]
    assert listed("?kind=webinar") == [webinar]
    assert listed("?theme=housing") == [webinar]
    assert listed("?city=pittsburgh-pa") == [hearing]
    assert listed("?mode=online") == [webinar, hybrid]
    assert listed("?mode=in_person") == [hearing, hybrid]
    assert listed("?kind=training&city=boston-ma&mode=online") == [hybrid]
    # An unknown filter value is shown as an error, and the list stays unfiltered.
    response = client.get("/events/?kind=party")
    assert "Select a valid choice" in response.text
    assert response.context["events"] == [webinar, hearing, hybrid]


def test_list_never_shows_online_join_link(client):
    make_event(online_url="https://zoom.example/j/secret-room")
    response = client.get("/events/")
    assert "secret-room" not in response.text


def _many(city_factory, themes, speakers, n, start, **fields):
    cities = [city_factory(f"Town {i}", "PA") for i in range(start, start + n)]
    for i, city in enumerate(cities, start=start):
        make_event(
            title=f"Event number {i}",
            starts_at=fields.get("starts_at", timezone.now() + dt.timedelta(days=1 + i)),
            host_city=city,
            themes=list(themes.values()),
            speakers=speakers,
            **{k: v for k, v in fields.items() if k != "starts_at"},
        )


@pytest.mark.parametrize("path", ["/events/", "/events/?theme=housing&mode=in_person&city=town-0-pa"])
def test_list_query_count_is_constant(client, city_factory, themes, speakers, path):
    _many(city_factory, themes, speakers, 3, 0)
    with CaptureQueriesContext(connection) as few:
        first = client.get(path)
    _many(city_factory, themes, speakers, 77, 3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    assert len(few) == len(many)
    assert len(response.context["events"]) == (80 if path == "/events/" else 1)
    assert len(first.context["events"]) == (3 if path == "/events/" else 1)
    assert "Julieta Perucca" in response.text and "Housing" in response.text


# --- /webinars/ -------------------------------------------------------------------------------------------


def test_webinar_archive_lists_past_webinars_newest_first(client, themes, speakers):
    older = make_event(
        kind=EventKind.WEBINAR,
        starts_at=dt.datetime(2020, 6, 11, 18, tzinfo=dt.UTC),
        status=EventStatus.HELD,
        themes=[themes["housing"]],
        speakers=[speakers[0]],
    )
    newer = make_event(
        kind=EventKind.WEBINAR,
        starts_at=dt.datetime(2020, 7, 9, 18, tzinfo=dt.UTC),
        status=EventStatus.HELD,
        themes=[themes["equality"]],
        speakers=[speakers[1]],
    )
    make_event(kind=EventKind.WEBINAR, starts_at=dt.datetime(2021, 1, 1, 18, tzinfo=dt.UTC), status="cancelled")
    make_event(kind=EventKind.WEBINAR)  # upcoming
    make_event(kind=EventKind.TRAINING, starts_at=PAST, status=EventStatus.HELD)
    recent = make_event(kind=EventKind.WEBINAR, starts_at=PAST)  # ended, never marked held: still archived

    def listed(query):
        response = client.get("/webinars/" + query)
        assert response.status_code == 200
        return response.context["events"]

    assert listed("") == [recent, newer, older]
    assert listed("?theme=housing") == [older]
    assert listed("?year=2020") == [newer, older]
    assert listed(f"?year={PAST.year}") == [recent]
    assert listed(f"?speaker={speakers[0].pk}") == [older]
    assert listed("?speaker=ejim") == [newer]
    assert listed("?speaker=nobody") == []
    response = client.get("/webinars/")
    assert f'href="/webinars/{older.slug}/"' in response.text
    assert '<option value="2020">2020</option>' in response.text


def test_webinar_archive_query_count_is_constant(client, city_factory, themes, speakers):
    fields = {"kind": EventKind.WEBINAR, "status": EventStatus.HELD, "starts_at": PAST}
    _many(city_factory, themes, speakers, 3, 0, **fields)
    with CaptureQueriesContext(connection) as few:
        client.get("/webinars/?theme=housing")
    _many(city_factory, themes, speakers, 77, 3, **fields)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/webinars/?theme=housing")
    assert len(few) == len(many)
    assert len(response.context["events"]) == 80


# --- An event's page --------------------------------------------------------------------------------------


def test_detail_shows_event_in_its_own_zone_and_never_the_join_link(client, city_factory, themes, speakers, settings):
    settings.TIME_ZONE = "Asia/Tokyo"  # the server's zone does not matter
    event = make_event(
        title="Housing is a human right",
        kind=EventKind.WEBINAR,
        starts_at=dt.datetime(2030, 3, 10, 17, 0, tzinfo=dt.UTC),  # 10:00 in Los Angeles (PDT from that day)
        time_zone="America/Los_Angeles",
        place="",
        online_url="https://zoom.example/j/secret-room",
        host_city=city_factory(),
        capacity=10,
        themes=[themes["housing"]],
        speakers=speakers,
    )
    response = client.get(f"/events/{event.slug}/")
    assert response.status_code == 200
    text = response.text
    assert '<time datetime="2030-03-10T10:00:00-07:00"' in text
    assert "March 10, 2030, 10 a.m." in text
    # The zone as people say it, not its database name.
    assert '<span class="text-body-secondary">(Pacific Time)</span>' in text
    assert "(PDT, America/Los_Angeles)" not in text
    assert "secret-room" not in text
    assert "zoom.example" not in text
    assert '<script src="/static/js/local-time.js" defer></script>' in text
    assert f'href="/events/{event.slug}/calendar.ics"' in text
    assert 'href="/cities/pittsburgh-pa/"' in text
    assert "Deputy Director, The Shift" in text and "Ejim Dike" in text
    assert "Housing" in text
    assert response.context["seats_left"] == 10
    assert response.context["is_full"] is False
    assert response.context["registration_form"] is None
    assert 'id="register-title"' in text  # the registration panel is included


def test_detail_counts_confirmed_registrations_only(client, django_assert_max_num_queries):
    event = make_event(capacity=3)
    for i, status in enumerate(
        [RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING, "cancelled"]
    ):
        Registration.objects.create(event=event, name=f"P{i}", email=f"p{i}@example.org", status=status)
    from events.selectors import seats_left

    with django_assert_max_num_queries(1):
        assert seats_left(event) == 1
    event.capacity = 2
    event.save()
    response = client.get(f"/events/{event.slug}/")
    assert response.context["seats_left"] == 0
    assert response.context["is_full"] is True


@pytest.mark.parametrize(
    ("status", "message"),
    [("cancelled", "This event is cancelled."), ("postponed", "This event is postponed.")],
)
def test_detail_shows_cancelled_and_postponed_prominently(client, status, message):
    event = make_event(status=status)
    text = client.get(f"/events/{event.slug}/").text
    alert = "danger" if status == "cancelled" else "warning"
    assert f'<div class="alert alert-{alert}" role="status"><strong>{message}</strong>' in text


def test_lobby_day_shows_donation_link(client, settings):
    settings.DONATION_URL = "https://donate.example/upr"
    settings.DONATION_DESIGNATION_NOTE = "Write UPR Cities delegate."
    event = make_event(kind=EventKind.LOBBY_DAY, place="Capitol Hill")
    text = client.get(f"/events/{event.slug}/").text
    assert 'href="https://donate.example/upr"' in text
    assert "Write UPR Cities delegate." in text
    other = make_event()
    assert "donate.example" not in client.get(f"/events/{other.slug}/").text


def test_past_webinar_page_embeds_recording_slides_and_transcript(client, speakers, themes, settings):
    from django.core.files.base import ContentFile

    event = make_event(
        title="Human right to housing",
        kind=EventKind.WEBINAR,
        starts_at=PAST,
        status=EventStatus.HELD,
        recording_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10",
        transcript="Welcome, everyone.",
        speakers=speakers,
        themes=[themes["housing"]],
    )
    event.slides.save("slides.pdf", ContentFile(b"%PDF-1.4 test"))
    for url in (f"/events/{event.slug}/", f"/webinars/{event.slug}/"):
        response = client.get(url)
        assert response.status_code == 200
        text = response.text
        assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in text
        assert 'title="Recording: Human right to housing"' in text
        assert f'href="{event.slides.url}" download' in text
        assert "<details" in text and "<summary>Read the transcript</summary>" in text and "Welcome, everyone." in text
        assert "Not published on the portal." not in text  # recording, slides and transcript are all here
        assert "Julieta Perucca" in text and "Housing" in text
        assert 'id="register-title"' not in text  # no registration for a past event
    assert client.get(f"/webinars/{make_event().slug}/").status_code == 404  # not a webinar


def test_other_recording_links_are_plain_links(client):
    event = make_event(
        kind=EventKind.WEBINAR, starts_at=PAST, status="held", recording_url="https://archive.example/talk.mp4"
    )
    text = client.get(f"/events/{event.slug}/").text
    assert "<iframe" not in text
    assert 'href="https://archive.example/talk.mp4"' in text


def test_unknown_event_is_404(client, db):
    assert client.get("/events/no-such-event/").status_code == 404


def test_demo_webinars_show_in_archive(client, db):
    from events.demo import load_webinars

    load_webinars()
    response = client.get("/webinars/?speaker=Perucca")
    assert [e.slug for e in response.context["events"]] == [
        "local-and-global-strategies-for-advancing-the-human-right-to-housing"
    ]
    page = client.get("/webinars/local-and-global-strategies-for-advancing-the-human-right-to-housing/")
    assert page.status_code == 200
    assert "Julieta Perucca" in page.text and "June 11, 2020, 2 p.m." in page.text


# --- Calendar subscriptions -------------------------------------------------------------------------------


def test_list_offers_webcal_subscriptions_to_the_feeds_filtered_on(client, city_factory, themes, settings):
    settings.SITE_URL = "https://uprcities.example.org"
    make_event(host_city=city_factory(), themes=[themes["housing"]])
    text = client.get("/events/").text
    assert re.findall(r'href="(webcal://[^"]+)">([^<]+)</a>', text) == [
        ("webcal://uprcities.example.org/events/feed.ics", "Subscribe to every event")
    ]
    text = client.get("/events/?city=pittsburgh-pa&theme=housing").text
    assert re.findall(r'href="(webcal://[^"]+)">([^<]+)</a>', text) == [
        ("webcal://uprcities.example.org/events/feed/city/pittsburgh-pa.ics", "Subscribe to the events in Pittsburgh"),
        ("webcal://uprcities.example.org/events/feed/theme/housing.ics", "Subscribe to the events on Housing"),
        ("webcal://uprcities.example.org/events/feed.ics", "Subscribe to every event"),
    ]
    # The plain addresses, for apps that add a calendar by URL.
    assert (
        '<input class="form-control form-control-sm mb-1" id="feed-city-pittsburgh-pa" type="url" '
        'value="https://uprcities.example.org/events/feed/city/pittsburgh-pa.ics" readonly>'
    ) in text


def test_city_page_and_theme_filtered_archive_offer_their_feed(client, city_factory, themes, settings):
    settings.SITE_URL = "https://uprcities.example.org"
    city_factory()
    city_page = client.get("/cities/pittsburgh-pa/").text
    assert 'href="webcal://uprcities.example.org/events/feed/city/pittsburgh-pa.ics"' in city_page
    assert 'href="webcal://uprcities.example.org/events/feed.ics"' not in city_page
    archive = client.get("/webinars/?theme=housing").text
    assert re.findall(r'href="(webcal://[^"]+)"', archive) == [
        "webcal://uprcities.example.org/events/feed/theme/housing.ics"
    ]
    assert "webcal://" not in client.get("/webinars/").text


# --- What a past webinar's page says about its recording --------------------------------------------------


def test_past_webinar_without_materials_says_what_is_missing(client):
    event = make_event(kind=EventKind.WEBINAR, starts_at=PAST, status=EventStatus.HELD, place="Online")
    text = client.get(f"/webinars/{event.slug}/").text
    materials = text.split('id="recording-title"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<dt class="col-sm-3">([^<]+)</dt>\s*<dd class="col-sm-9">([^<]+)</dd>', materials) == [
        ("Recording", "Not published on the portal."),
        ("Slides", "Not published on the portal."),
        ("Transcript", "Not published on the portal."),
    ]
    assert "Nothing has been published for this event yet." in materials
    archive = client.get("/webinars/").text
    assert "No recording, slides or transcript yet" in archive


def test_past_webinar_with_materials_elsewhere_links_the_page_that_has_them(client):
    event = make_event(
        kind=EventKind.WEBINAR,
        starts_at=PAST,
        status=EventStatus.HELD,
        materials_elsewhere_url="https://wiki.example.org/index.php?title=Webinars",
    )
    text = client.get(f"/webinars/{event.slug}/").text
    assert (
        "The organizers published the recording and materials of this event on their own site:\n"
        '            <a href="https://wiki.example.org/index.php?title=Webinars" rel="noopener">wiki.example.org</a>'
    ) in text
    assert "Nothing has been published for this event yet." not in text
    assert "Recording and materials on wiki.example.org" in client.get("/webinars/").text


def test_an_upcoming_or_past_non_webinar_event_has_no_empty_recording_section(client):
    for event in (make_event(kind=EventKind.WEBINAR), make_event(starts_at=PAST, status=EventStatus.HELD)):
        assert 'id="recording-title"' not in client.get(f"/events/{event.slug}/").text


def test_the_demo_webinars_link_the_project_page_that_publishes_their_recordings(client):
    from events.demo import PROJECT_PAGE, load_webinars

    assert load_webinars() == 3
    for slug in (
        "building-a-human-rights-cities-movement-against-structural-racism",
        "local-and-global-strategies-for-advancing-the-human-right-to-housing",
        "virtual-gathering-on-the-postponed-upr-review",
    ):
        text = client.get(f"/webinars/{slug}/").text
        assert (
            f'<a href="{PROJECT_PAGE.replace("&", "&amp;")}" rel="noopener">wiki.humanrightscities.mayfirst.org</a>'
            in text
        )
        assert text.count("Not published on the portal.") == 3
