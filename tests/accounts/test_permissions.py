"""Who may open which page: a URL x role table, plus the admin's two-factor rule."""

import pytest
from django.urls import reverse

LOGIN = "/accounts/login/"

# (url, role) -> expected status; 302 means "sent to login".
PRIVATE_URLS = ["/organize/", "/admin/", "/admin/upr/recommendation/", "/admin/upr/recommendation/import/"]
TABLE = {
    "anonymous": {
        "/organize/": 302,
        "/admin/": 302,
        "/admin/upr/recommendation/": 302,
        "/admin/upr/recommendation/import/": 302,
    },
    "resident": {
        "/organize/": 200,
        "/admin/": 403,
        "/admin/upr/recommendation/": 403,
        "/admin/upr/recommendation/import/": 403,
    },
    "organizer_a": {
        "/organize/": 200,
        "/admin/": 403,
        "/admin/upr/recommendation/": 403,
        "/admin/upr/recommendation/import/": 403,
    },
    "staff_no_mfa": {
        "/organize/": 200,
        "/admin/": 302,
        "/admin/upr/recommendation/": 302,
        "/admin/upr/recommendation/import/": 302,
    },
    "staff_mfa": {
        "/organize/": 200,
        "/admin/": 200,
        "/admin/upr/recommendation/": 200,
        "/admin/upr/recommendation/import/": 200,
    },
}


@pytest.fixture
def national_team_personas(personas):
    from django.contrib.auth.models import Group

    from accounts.roles import NATIONAL_TEAM

    group = Group.objects.get(name=NATIONAL_TEAM)
    personas["staff_mfa"].groups.add(group)
    personas["staff_no_mfa"].groups.add(group)
    return personas


@pytest.mark.parametrize("role", list(TABLE))
@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_url_by_role(client, national_team_personas, role, url):
    if role != "anonymous":
        client.force_login(national_team_personas[role])

    response = client.get(url)

    assert response.status_code == TABLE[role][url]


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_anonymous_is_sent_to_the_allauth_login(client, db, url):
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN + "?next=")
    assert response.redirect_chain[-1][0].endswith(url.replace("/", "%2F")) or url in response.redirect_chain[-1][0]


def test_staff_without_mfa_is_sent_to_set_up_two_factor(client, personas):
    client.force_login(personas["staff_no_mfa"])
    response = client.get("/admin/")
    assert response["Location"] == reverse("mfa_activate_totp")
    # Activating two-factor asks for the password again first (allauth's reauthentication).
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain == [("/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F", 302)]
    assert "Set up two-factor authentication before using the admin" in response.text


def test_admin_password_login_page_is_never_served(client, db):
    """Django's own admin login would skip two-factor authentication; it redirects to allauth's."""
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_admin_login_does_not_redirect_staff_off_site(client, personas):
    client.force_login(personas["staff_mfa"])
    response = client.get("/admin/login/?next=//evil.example.org/")
    assert response["Location"] == "/admin/"


def test_organizer_home_lists_only_own_cities(client, personas):
    client.force_login(personas["organizer_a"])
    response = client.get("/organize/")
    assert [m.city.name for m, _todo in response.context["rows"]] == ["Pittsburgh"]
    assert "Boston" not in response.text


def test_national_team_group_has_model_permissions(db):
    from django.contrib.auth.models import Group

    from accounts.roles import NATIONAL_TEAM

    perms = set(Group.objects.get(name=NATIONAL_TEAM).permissions.values_list("content_type__app_label", "codename"))
    for expected in [
        ("upr", "change_recommendation"),
        ("upr", "add_milestone"),
        ("cities", "change_membership"),
        ("cities", "add_city"),
        ("events", "change_event"),
        ("accounts", "change_user"),
    ]:
        assert expected in perms


def test_national_team_can_view_and_change_every_model_of_the_portals_apps(db):
    """Each app grants the national team its models in a migration; a model added later must be granted too."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    from accounts.roles import NATIONAL_TEAM

    perms = set(Group.objects.get(name=NATIONAL_TEAM).permissions.values_list("content_type__app_label", "codename"))
    missing = [
        (model._meta.app_label, f"{action}_{model._meta.model_name}")
        for label in ("upr", "cities", "testimony", "reports", "events", "portal")
        for model in apps.get_app_config(label).get_models()
        for action in ("view", "change")
        if (model._meta.app_label, f"{action}_{model._meta.model_name}") not in perms
    ]
    assert missing == []
