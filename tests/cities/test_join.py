import re

import pytest
from django.urls import reverse

from cities.enums import CityStatus, RequestKind, RequestStatus, Role
from cities.models import City, CityRequest, Invitation, Membership
from cities.services import TeamError, decide_team_request, decline_city_request

PITTSBURGH_ID = "5206379"
ERIE_ID = "5188843"
GOOD = {
    "state": "PA",
    "place": ERIE_ID,
    "city_name_other": "",
    "coalition_name": "Erie Human Rights Coalition",
    "contact_name": "Dana Lee",
    "contact_email": "dana@example.org",
    "why": "We run a housing rights clinic.",
}


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_join_places_lists_the_states_geonames_places(client, db):
    response = client.get("/cities/join/places/?state=PA")
    assert f'<option value="{ERIE_ID}">Erie</option>' in response.text
    assert f'<option value="{PITTSBURGH_ID}">Pittsburgh</option>' in response.text
    assert client.get("/cities/join/places/?state=ZZ").text.strip() == '<option value="">Choose a state first</option>'


def test_join_request_is_stored_and_both_sides_are_told(client, db, mailoutbox, on_commit, settings):
    with on_commit():
        response = client.post("/cities/join/", GOOD)
    assert response["Location"] == "/cities/join/thanks/"
    req = CityRequest.objects.get()
    assert (req.city_name, req.state, req.geonameid, req.status) == ("Erie", "PA", 5188843, RequestStatus.PENDING)
    assert [(m.subject, m.to) for m in mailoutbox] == [
        ("[UPR Cities] New request to join: Erie, PA", [settings.NATIONAL_TEAM_EMAIL]),
        ("[UPR Cities] We received your request for Erie", ["dana@example.org"]),
    ]


def test_join_with_a_place_not_in_geonames(client, db):
    response = client.post("/cities/join/", {**GOOD, "place": "", "city_name_other": "Tinytown"})
    assert response.status_code == 302
    assert CityRequest.objects.get().city_name == "Tinytown"
    assert CityRequest.objects.get().geonameid is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"place": "", "city_name_other": ""},
            "place",
            "Pick your city from the list, or type its name in “City not in the list”.",
        ),
        ({"state": "ZZ"}, "state", "Select a valid choice. ZZ is not one of the available choices."),
        ({"place": "999"}, "place", "Select a valid choice. 999 is not one of the available choices."),
        (
            {"coalition_name": "x" * 10_000},
            "coalition_name",
            "Ensure this value has at most 200 characters (it has 10000).",
        ),
        ({"contact_name": "<b>Dana</b>"}, "contact_name", "Please use plain text here, without HTML tags."),
        ({"contact_email": ""}, "contact_email", "This field is required."),
        ({"why": ""}, "why", "This field is required."),
    ],
)
def test_join_bad_input_explains_and_keeps_what_was_valid(client, db, mailoutbox, change, field, message):
    response = client.post("/cities/join/", {**GOOD, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    if field != "coalition_name":
        assert 'value="Erie Human Rights Coalition"' in response.text
    if field not in {"state"}:
        # The city list for the chosen state comes back with the errors (no JavaScript needed).
        assert f'<option value="{ERIE_ID}"' in response.text
    assert CityRequest.objects.count() == 0
    assert mailoutbox == []


def test_join_refuses_a_city_already_taking_part(client, city_factory):
    city_factory("Pittsburgh", "PA")
    response = client.post("/cities/join/", {**GOOD, "place": PITTSBURGH_ID})
    assert response.status_code == 400
    assert "Pittsburgh, PA is already taking part" in response.text


def test_join_honeypot_and_rate_limit(client, db, settings, mailoutbox):
    assert client.post("/cities/join/", {**GOOD, "website": "x"}).status_code == 302
    assert CityRequest.objects.count() == 0
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "city_request": (1, 3600)}
    assert client.post("/cities/join/", GOOD).status_code == 302
    response = client.post("/cities/join/", GOOD)
    assert response.status_code == 429
    assert "Too many requests from your connection" in response.text
    assert CityRequest.objects.count() == 1


def test_admin_approval_creates_city_and_invites_the_requester_as_coordinator(
    superuser_client, mailoutbox, on_commit, user_factory
):
    client, staff = superuser_client, superuser_client.user
    req = CityRequest.objects.create(
        **{k: v for k, v in GOOD.items() if k not in {"place", "city_name_other"}},
        city_name="Erie",
        geonameid=int(ERIE_ID),
    )
    with on_commit():
        response = client.post(
            reverse("admin:cities_cityrequest_changelist"),
            {"action": "approve", "_selected_action": [req.pk]},
            follow=True,
        )
    assert "1 approved; the requester was emailed an invitation." in response.text
    city = City.objects.get(name="Erie")
    assert (city.state, city.status, str(city.latitude), str(city.longitude)) == (
        "PA",
        CityStatus.PARTICIPATING,
        "42.12922",
        "-80.08506",
    )
    req.refresh_from_db()
    assert (req.status, req.decided_by, req.city) == (RequestStatus.APPROVED, staff, city)
    [mail] = mailoutbox
    assert mail.subject == "[UPR Cities] Welcome: Erie is taking part in the review"
    assert mail.to == ["dana@example.org"]
    path = re.search(r"http://\S+?(/invitations/\S+/)", mail.body).group(1)

    dana = user_factory("dana@example.org")
    client.force_login(dana)
    client.post(path)
    assert Membership.objects.get(user=dana).role == Role.COORDINATOR
    assert Invitation.objects.get().accepted_by == dana


def test_admin_decline_tells_the_requester_and_approving_twice_does_nothing(superuser_client, mailoutbox, on_commit):
    client = superuser_client
    req = CityRequest.objects.create(
        **{k: v for k, v in GOOD.items() if k not in {"place", "city_name_other"}},
        city_name="Erie",
        decision_note="We need two organisations first.",
    )
    with on_commit():
        client.post(reverse("admin:cities_cityrequest_changelist"), {"action": "decline", "_selected_action": [req.pk]})
    assert [m.subject for m in mailoutbox] == ["[UPR Cities] Your request for Erie"]
    assert "We need two organisations first." in mailoutbox[0].body
    response = client.post(
        reverse("admin:cities_cityrequest_changelist"), {"action": "approve", "_selected_action": [req.pk]}, follow=True
    )
    assert "1 already decided, left as it was." in response.text
    assert not City.objects.filter(name="Erie").exists()


def test_admin_fill_coordinates_from_geonames(superuser_client, city_factory):
    client = superuser_client
    city = city_factory("Erie", "PA")
    missing = city_factory("Nowhere Special", "PA")
    response = client.post(
        reverse("admin:cities_city_changelist"),
        {"action": "fill_coordinates", "_selected_action": [city.pk, missing.pk]},
        follow=True,
    )
    city.refresh_from_db()
    assert (str(city.latitude), city.population) == ("42.12922", 99475)
    assert "Not in GeoNames, type their coordinates: Nowhere Special, PA" in response.text


# --- A request for a city that already exists never makes the requester its coordinator --------------------

PITTSBURGH_REQUEST = {
    "state": "PA",
    "city_name": "Pittsburgh",
    "coalition_name": "Another Coalition",
    "contact_name": "Sam Hill",
    "contact_email": "sam@example.org",
    "why": "We want in.",
}


def test_admin_approval_for_an_existing_city_sends_the_request_to_its_coordinators(
    superuser_client, personas, mailoutbox, on_commit
):
    req = CityRequest.objects.create(**PITTSBURGH_REQUEST)
    with on_commit():
        response = superuser_client.post(
            reverse("admin:cities_cityrequest_changelist"),
            {"action": "approve", "_selected_action": [req.pk]},
            follow=True,
        )
    assert [str(m) for m in response.context["messages"]] == [
        "Pittsburgh, PA (Another Coalition): Pittsburgh, PA already exists, so this became a request to join its "
        "team; the city's coordinators decide it on their team page."
    ]
    req.refresh_from_db()
    assert (req.kind, req.status, req.city, req.decided_by) == (
        RequestKind.JOIN_TEAM,
        RequestStatus.PENDING,
        personas["city_a"],
        None,
    )
    assert list(Invitation.objects.all()) == []
    assert sorted((m.subject, tuple(m.to)) for m in mailoutbox) == [
        ("[UPR Cities] Sam Hill asks to join the Pittsburgh team", ("organizer-a@example.org",)),
        ("[UPR Cities] We received your request to join the Pittsburgh team", ("sam@example.org",)),
    ]
    assert "http://127.0.0.1:8000/organize/pittsburgh-pa/team/" in mailoutbox[0].body + mailoutbox[1].body


def test_join_request_coordinator_approves_on_the_team_page_and_the_requester_is_invited_as_organizer(
    client, personas, mailoutbox, on_commit
):
    req = CityRequest.objects.create(**PITTSBURGH_REQUEST, kind=RequestKind.JOIN_TEAM, city=personas["city_a"])
    client.force_login(personas["organizer_a"])
    page = client.get("/organize/pittsburgh-pa/team/")
    assert [r.pk for r in page.context["join_requests"]] == [req.pk]
    assert "Invite Sam Hill as organizer" in page.text

    with on_commit():
        response = client.post(f"/organize/pittsburgh-pa/join-requests/{req.pk}/approve/", follow=True)

    assert "Sam Hill was invited to the team as an organizer." in response.text
    req.refresh_from_db()
    assert (req.status, req.decided_by) == (RequestStatus.APPROVED, personas["organizer_a"])
    invitation = Invitation.objects.get()
    assert (invitation.city, invitation.email, invitation.role) == (
        personas["city_a"],
        "sam@example.org",
        Role.ORGANIZER,
    )
    assert [(m.subject, m.to) for m in mailoutbox] == [
        ("[UPR Cities] You are invited to the Pittsburgh UPR Cities team", ["sam@example.org"])
    ]
    assert client.get("/organize/pittsburgh-pa/team/").context["join_requests"] == []


def test_join_request_coordinator_declines_and_the_requester_is_told(client, personas, mailoutbox, on_commit):
    req = CityRequest.objects.create(**PITTSBURGH_REQUEST, kind=RequestKind.JOIN_TEAM, city=personas["city_a"])
    client.force_login(personas["organizer_a"])

    with on_commit():
        response = client.post(f"/organize/pittsburgh-pa/join-requests/{req.pk}/decline/", follow=True)

    assert "The request from Sam Hill was declined; they were told." in response.text
    req.refresh_from_db()
    assert (req.status, req.decided_by) == (RequestStatus.DECLINED, personas["organizer_a"])
    assert [(m.subject, m.to) for m in mailoutbox] == [
        ("[UPR Cities] Your request to join the Pittsburgh team", ["sam@example.org"])
    ]
    assert list(Invitation.objects.all()) == []


def test_join_request_is_not_decided_by_the_national_team_when_the_city_has_coordinators(personas):
    req = CityRequest.objects.create(**PITTSBURGH_REQUEST, kind=RequestKind.JOIN_TEAM, city=personas["city_a"])
    with pytest.raises(TeamError, match="Only the city's coordinators can decide this request."):
        decide_team_request(req, by=personas["staff_mfa"], approve=True)
    with pytest.raises(TeamError, match="Only the city's coordinators can decide this request."):
        decline_city_request(req, by=personas["staff_mfa"])
    assert CityRequest.objects.get(pk=req.pk).status == RequestStatus.PENDING


def test_join_request_for_an_exploring_city_without_coordinators_is_decided_by_the_national_team(
    client, superuser_client, city_factory, mailoutbox, on_commit, settings
):
    erie = city_factory("Erie", "PA", status=CityStatus.EXPLORING)
    with on_commit():
        client.post("/cities/join/", GOOD)
    req = CityRequest.objects.get()
    assert (req.kind, req.city) == (RequestKind.JOIN_TEAM, erie)
    assert sorted((m.subject, tuple(m.to)) for m in mailoutbox) == [
        ("[UPR Cities] Dana Lee asks to join the Erie team", (settings.NATIONAL_TEAM_EMAIL,)),
        ("[UPR Cities] We received your request to join the Erie team", ("dana@example.org",)),
    ]
    mailoutbox.clear()

    with on_commit():
        superuser_client.post(
            reverse("admin:cities_cityrequest_changelist"), {"action": "approve", "_selected_action": [req.pk]}
        )

    invitation = Invitation.objects.get()
    assert (invitation.city, invitation.email, invitation.role) == (erie, "dana@example.org", Role.ORGANIZER)
    assert CityRequest.objects.get().status == RequestStatus.APPROVED
    assert [m.to for m in mailoutbox] == [["dana@example.org"]]


def test_join_request_of_another_city_is_404_under_a_coordinators_url(client, personas):
    other = CityRequest.objects.create(
        **{**PITTSBURGH_REQUEST, "city_name": "Boston", "state": "MA"},
        kind=RequestKind.JOIN_TEAM,
        city=personas["city_b"],
    )
    client.force_login(personas["organizer_a"])

    response = client.post(f"/organize/pittsburgh-pa/join-requests/{other.pk}/approve/")

    assert response.status_code == 404
    assert CityRequest.objects.get(pk=other.pk).status == RequestStatus.PENDING
