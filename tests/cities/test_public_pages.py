import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cities.enums import CityStatus
from cities.models import GetInvolvedRequest
from events.enums import EventKind, EventStatus
from events.models import Event
from upr.models import Theme


@pytest.fixture
def housing(db):
    return Theme.objects.create(slug="housing", name="Housing", name_es="Vivienda")


def _city_with_event(city_factory, i: int, theme, state="PA"):
    city = city_factory(f"Town {i}", state, latitude=40 + i / 100, longitude=-80)
    city.priorities.add(theme)
    Event.objects.create(
        kind=EventKind.COMMUNITY_CONVERSATION,
        title=f"Talk {i}",
        slug=f"talk-{i}",
        description="x",
        starts_at="2020-01-01T18:00Z",
        ends_at="2020-01-01T20:00Z",
        status=EventStatus.HELD,
        host_city=city,
        place="Library",
    )
    return city


@pytest.mark.parametrize("path", ["/cities/", "/cities/?state=PA&theme=housing&q=town"])
def test_directory_query_count_is_constant(client, city_factory, housing, django_capture_on_commit_callbacks, path):
    # The commits draw a new generation of the public pages, as in production: the map is drawn again each time.
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            _city_with_event(city_factory, i, housing)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3, 60):
            _city_with_event(city_factory, i, housing)
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    assert len(few) == len(many)
    assert len(response.context["rows"]) == 60
    assert [(f.key, v) for f, v in response.context["rows"][0][1]] == [("testimony_public", 0), ("events_held", 1)]


def test_directory_filters_and_counts(client, city_factory, housing):
    pittsburgh = _city_with_event(city_factory, 1, housing)
    city_factory("Boston", "MA", status=CityStatus.REPORT_SUBMITTED)
    city_factory("Quiet", "OH", status=CityStatus.EXPLORING)
    response = client.get("/cities/")
    assert [c.name for c, _ in response.context["rows"]] == ["Boston", "Town 1"]  # exploring cities not listed
    response = client.get("/cities/?status=report_submitted")
    assert [c.name for c, _ in response.context["rows"]] == ["Boston"]
    response = client.get("/cities/?theme=housing")
    assert [c.name for c, _ in response.context["rows"]] == [pittsburgh.name]
    response = client.get("/cities/?state=ZZ")
    assert "Select a valid choice" in response.text
    assert len(response.context["rows"]) == 2


def test_directory_map_links_each_city(client, city_factory, housing):
    _city_with_event(city_factory, 1, housing)
    response = client.get("/cities/")
    assert 'href="/cities/town-1-pa/"' in response.text
    assert 'aria-label="Town 1, Pennsylvania"' in response.text


@pytest.mark.parametrize("path", ["/", "/cities/"])
def test_pages_with_the_map_link_the_states_and_do_not_carry_them(client, city_factory, housing, path):
    """The 51 state outlines (64 KB) are one static image the browser keeps, not inline paths on every page."""
    _city_with_event(city_factory, 1, housing)
    response = client.get(path)
    assert '<image href="/static/img/us-states.svg" width="975" height="610"/>' in response.text
    assert 'data-state="' not in response.text
    assert 'aria-label="Town 1, Pennsylvania"' in response.text


def test_city_page_shows_about_progress_and_events(client, city_factory, housing):
    city = _city_with_event(city_factory, 1, housing)
    city.coalition_name = "Coalition <b>One</b>"
    city.save()
    response = client.get("/cities/town-1-pa/")
    assert response.status_code == 200
    assert "Coalition &lt;b&gt;One&lt;/b&gt;" in response.text
    assert [(f.key, v) for f, v in response.context["progress"]] == [("testimony_collected", 0), ("events_held", 1)]
    assert "Talk 1" in response.text
    assert client.get("/cities/no-such-city/").status_code == 404


def test_city_page_query_count_is_constant(client, city_factory, housing):
    city = _city_with_event(city_factory, 1, housing)
    with CaptureQueriesContext(connection) as few:
        client.get(city.get_absolute_url())
    for i in range(2, 40):
        Event.objects.create(
            kind=EventKind.TRAINING,
            title=f"More {i}",
            slug=f"more-{i}",
            description="x",
            starts_at="2030-01-01T18:00Z",
            ends_at="2030-01-01T20:00Z",
            host_city=city,
            place="Hall",
        )
    with CaptureQueriesContext(connection) as many:
        client.get(city.get_absolute_url())
    assert len(few) == len(many)


# --- Get involved -----------------------------------------------------------------------------------------

GOOD = {"name": "Ana Ruiz", "email": "ana@example.org", "help_with": ["events", "testimony"], "message": "Hola"}


def test_get_involved_reaches_organizers_and_is_listed(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cities/pittsburgh-pa/get-involved/", GOOD)
    assert response["Location"] == "/cities/pittsburgh-pa/"
    offer = GetInvolvedRequest.objects.get()
    assert (offer.city, offer.help_with) == (personas["city_a"], ["events", "testimony"])
    assert [(m.subject, m.to) for m in mailoutbox] == [
        ("[UPR Cities] Ana Ruiz wants to help in Pittsburgh", ["organizer-a@example.org"]),
        ("[UPR Cities] Thank you for offering to help in Pittsburgh", ["ana@example.org"]),
    ]
    assert mailoutbox[0].reply_to == ["ana@example.org"]
    client.force_login(personas["organizer_a"])
    assert "Ana Ruiz" in client.get("/organize/pittsburgh-pa/requests/").text


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "x" * 10_000}, "name", "Ensure this value has at most 150 characters (it has 10000)."),
        ({"name": "<script>alert(1)</script>"}, "name", "Please use plain text here, without HTML tags."),
        ({"email": "nope"}, "email", "Enter a valid email address."),
        ({"help_with": []}, "help_with", "Pick at least one way to help."),
    ],
)
def test_get_involved_bad_input_explains_and_keeps_the_rest(client, personas, mailoutbox, change, field, message):
    response = client.post("/cities/pittsburgh-pa/get-involved/", {**GOOD, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    if field != "email":
        assert 'value="ana@example.org"' in response.text
    assert GetInvolvedRequest.objects.count() == 0
    assert mailoutbox == []


def test_get_involved_honeypot_stores_nothing(client, personas, mailoutbox):
    response = client.post("/cities/pittsburgh-pa/get-involved/", {**GOOD, "website": "http://spam"})
    assert response.status_code == 302
    assert GetInvolvedRequest.objects.count() == 0
    assert mailoutbox == []


def test_get_involved_rate_limited_per_address(client, personas, mailoutbox, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "get_involved": (2, 3600)}
    statuses = [client.post("/cities/pittsburgh-pa/get-involved/", GOOD).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert GetInvolvedRequest.objects.count() == 2
    other = client.post("/cities/pittsburgh-pa/get-involved/", GOOD, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_get_involved_without_organizers_reaches_the_national_team(
    client, city_factory, mailoutbox, settings, django_capture_on_commit_callbacks
):
    city_factory("Lonely", "OH")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cities/lonely-oh/get-involved/", GOOD)
    assert mailoutbox[0].to == [settings.NATIONAL_TEAM_EMAIL]


def test_organizer_home_lists_todo_with_constant_queries(client, user_factory, city_factory):
    from cities.models import Membership

    organizer = user_factory("busy@example.org")

    def add(i):
        city = city_factory(f"Place {i}", "OH")
        Membership.objects.create(user=organizer, city=city)
        GetInvolvedRequest.objects.create(city=city, name="A", email="a@example.org", help_with=["other"])

    for i in range(3):
        add(i)
    client.force_login(organizer)
    with CaptureQueriesContext(connection) as few:
        client.get("/organize/")
    for i in range(3, 60):
        add(i)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/organize/")
    assert len(few) == len(many)
    first_todo = {f.key: v for f, v in response.context["rows"][0][1]}
    assert first_todo == {
        "testimony_waiting": 0,
        "events_upcoming": 0,
        "new_get_involved": 1,
        "local_report": "not started",
        "tracked": 0,
        "indicator_values": 0,
    }


def test_directory_map_is_drawn_once_per_change_of_the_cities(client, city_factory, django_capture_on_commit_callbacks):
    """The map is memoised under the public pages' generation: drawn once, drawn again after a city changes."""
    with django_capture_on_commit_callbacks(execute=True):
        city_factory("Pittsburgh", "PA", latitude=40.44, longitude=-79.99)
    with CaptureQueriesContext(connection) as first:
        first_page = client.get("/cities/").content.decode()
    with CaptureQueriesContext(connection) as second:
        client.get("/cities/")
    assert len(second) == len(first) - 1  # the map's query, and its drawing, are skipped
    assert "Pittsburgh, Pennsylvania" in first_page
    with django_capture_on_commit_callbacks(execute=True):
        city_factory("Boise", "ID", latitude=43.61, longitude=-116.2)
    assert "Boise, Idaho" in client.get("/cities/").content.decode()
