"""Signing in: where each person lands, and a fresh login not asked for its password again.

Every login here goes through the real forms (email and password, then the authenticator code for staff with
two-factor): force_login makes a session without them, which is not what a person does.
"""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from accounts.enrolment import issue_enrolment_link
from accounts.roles import NATIONAL_TEAM
from cities.enums import Role
from cities.models import Membership
from tests.browser.test_cities import current_totp_code
from tests.conftest import with_totp

PASSWORD = "correct horse battery"
LOGIN = "/accounts/login/"
TOTP_STEP = "/accounts/2fa/authenticate/"
REAUTHENTICATE = "/accounts/reauthenticate/"
# A page behind allauth's reauthentication ("confirm your password") for an account with two-factor.
NEW_RECOVERY_CODES = "/accounts/2fa/recovery-codes/generate/"


@pytest.fixture
def national_team(personas, user_factory):
    """Staff in the national team group (the dashboard's permission), with and without an authenticator."""
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=NATIONAL_TEAM)
    with_mfa = with_totp(user_factory("national@example.org", staff=True))
    without_mfa = user_factory("national-new@example.org", staff=True)
    for user in (with_mfa, without_mfa):
        user.groups.add(group)
    return {**personas, "national_mfa": with_mfa, "national_no_mfa": without_mfa}


def log_in(client, user, *, next_url: str | None = None) -> str:
    """Log in as a person does; returns where the login sends them."""
    url = LOGIN if next_url is None else f"{LOGIN}?next={next_url}"
    response = client.post(url, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    if response["Location"] == TOTP_STEP:
        response = client.post(TOTP_STEP, {"code": current_totp_code(user)})
        assert response.status_code == 302, response.text
    assert client.session["_auth_user_id"] == str(user.pk)
    return response["Location"]


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("organizer_a", "/organize/"),
        ("organizer_b", "/organize/"),
        ("resident", "/"),
        ("national_mfa", "/organize/national/"),
        ("national_no_mfa", "/organize/national/"),
        # Staff without the dashboard's permission: the admin.
        ("staff_mfa", "/admin/"),
        ("staff_no_mfa", "/admin/"),
    ],
)
def test_login_lands_each_role_on_its_own_home(client, national_team, persona, landing):
    assert log_in(client, national_team[persona]) == landing


def test_login_national_team_who_also_organize_a_city_land_on_the_national_dashboard(client, national_team):
    staff = national_team["national_mfa"]
    Membership.objects.create(user=staff, city=national_team["city_a"], role=Role.ORGANIZER)

    assert log_in(client, staff) == "/organize/national/"


@pytest.mark.parametrize("persona", ["organizer_a", "resident", "national_mfa", "staff_mfa"])
def test_login_with_an_explicit_next_goes_there(client, national_team, persona):
    assert log_in(client, national_team[persona], next_url="/events/") == "/events/"


@pytest.mark.parametrize("persona", ["organizer_a", "resident", "national_mfa", "staff_mfa"])
def test_login_landing_opens_for_its_role(client, national_team, persona):
    """The landing is a page the person may open: no login loop, no 403 or 404."""
    landing = log_in(client, national_team[persona])

    assert client.get(landing).status_code == 200


def test_fresh_login_with_totp_opens_the_admin_without_a_password_prompt(client, national_team):
    log_in(client, national_team["national_mfa"])

    admin = client.get("/admin/")
    # New recovery codes are behind allauth's reauthentication: the password typed a moment ago counts.
    codes = client.get(NEW_RECOVERY_CODES)

    assert admin.status_code == 200
    assert codes.status_code == 200, codes.get("Location")


def test_fresh_login_of_staff_without_two_factor_sets_it_up_without_a_password_prompt(client, national_team):
    """The demo national account: log in, open the enrolment link, and the authenticator set-up opens."""
    staff = national_team["national_no_mfa"]
    log_in(client, staff)
    path = issue_enrolment_link(staff).split("://", 1)[1].split("/", 1)[1]

    assert client.post(f"/{path}")["Location"] == "/accounts/2fa/totp/activate/"
    activation = client.get("/accounts/2fa/totp/activate/")

    assert activation.status_code == 200, activation.get("Location")
    assert Authenticator.objects.filter(user=staff).count() == 0


def test_login_counts_as_a_recent_password_only_within_the_reauthentication_timeout(client, personas, settings):
    log_in(client, personas["staff_mfa"])
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0

    response = client.get(NEW_RECOVERY_CODES)

    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)


def test_a_session_made_without_a_password_is_still_asked_for_it(client, personas):
    client.force_login(personas["staff_mfa"])

    response = client.get(NEW_RECOVERY_CODES)

    assert response["Location"].startswith(REAUTHENTICATE)
