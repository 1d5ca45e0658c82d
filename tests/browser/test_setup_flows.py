"""What a new user meets first, in a real browser: signing in lands each person on their own home, staff are not
asked for the password they have just typed, and the 2015 review says its recommendations are not imported yet."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from accounts.enrolment import issue_enrolment_link
from tests.browser.conftest import save_screenshot
from tests.browser.test_cities import PASSWORD, PASSWORD_LABEL, current_totp_code
from tests.conftest import with_totp


def _national_team_member(user_factory, email: str):
    from django.contrib.auth.models import Group, Permission

    from accounts.roles import NATIONAL_TEAM

    staff = user_factory(email, PASSWORD, staff=True, full_name="Nat Team")
    # The flush after each browser test empties the group the migrations filled: its reports permissions (the
    # dashboard's) are given again here.
    team, _created = Group.objects.get_or_create(name=NATIONAL_TEAM)
    team.permissions.add(*Permission.objects.filter(content_type__app_label__in=["reports", "national"]))
    staff.groups.add(team)
    return staff


def _sign_in(page, live_server, user) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_organizer_signs_in_to_the_organizer_home(live_server, page, user_factory, city_factory):
    from cities.enums import Role
    from cities.models import Membership

    organizer = user_factory("organizer@example.org", PASSWORD)
    Membership.objects.create(user=organizer, city=city_factory("Pittsburgh", "PA"), role=Role.COORDINATOR)

    _sign_in(page, live_server, organizer)

    expect(page).to_have_url(live_server.url + "/organize/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your cities")


def test_national_team_signs_in_with_totp_and_opens_the_admin_without_a_password_prompt(
    live_server, page, request, user_factory
):
    staff = with_totp(_national_team_member(user_factory, "national@example.org"))

    _sign_in(page, live_server, staff)
    page.get_by_label("Code").fill(current_totp_code(staff))
    page.get_by_role("button", name="Sign In").click()

    # The national progress dashboard, then the admin from the account menu, at once: no "Confirm Access" in between.
    expect(page).to_have_url(live_server.url + "/organize/national/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Progress of the cities")
    page.get_by_role("button", name="Account").click()
    page.get_by_role("link", name="Admin", exact=True).click()
    expect(page).to_have_url(live_server.url + "/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("National team")
    expect(page.get_by_label(PASSWORD_LABEL)).to_have_count(0)
    save_screenshot(page, request, "admin-right-after-sign-in")


def test_new_national_team_member_sets_up_two_factor_right_after_signing_in_without_a_password_prompt(
    live_server, page, request, user_factory, settings
):
    """The demo national account of `make run`: sign in, open the printed enrolment link, set up the app."""
    settings.SITE_URL = live_server.url
    staff = _national_team_member(user_factory, "national@example.org")
    link = issue_enrolment_link(staff)

    _sign_in(page, live_server, staff)
    # The dashboard sends staff without two-factor to set it up, which asks for the second proof first.
    expect(page).to_have_url(live_server.url + "/accounts/2fa/enrol/")
    page.goto(link)
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(live_server.url + "/accounts/2fa/totp/activate/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(re.compile("Confirm Access"))
    expect(page.get_by_label(re.compile(r"^\s*Authenticator code\*?\s*$"))).to_be_visible()
    expect(page.get_by_label(PASSWORD_LABEL)).to_have_count(0)
    save_screenshot(page, request, "two-factor-set-up-right-after-sign-in")


def test_the_2015_review_says_its_recommendations_are_not_yet_imported(live_server, page, request, demo_data):
    page.goto(live_server.url + "/about-the-upr/")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="2", exact=True))
    expect(row).to_contain_text("Not yet imported into the portal")
    expect(page.get_by_role("main")).to_contain_text(
        "This review's 343 recommendations are not yet imported into the portal. "
        "Read them in the UN Working Group's report, A/HRC/30/12."
    )

    page.get_by_role("link", name="Recommendations", exact=True).click()
    page.get_by_label("Review").select_option(label="Cycle 2 (2015): not yet imported")
    page.get_by_role("button", name="Filter").click()

    expect(page.get_by_role("status")).to_have_text(
        re.compile(
            r"^\s*The 343 recommendations of Cycle 2 \(2015\) are not yet imported into the portal\.\s+"
            r"Read them in the UN Working Group's report, A/HRC/30/12\.\s*$"
        )
    )
    expect(page.get_by_text("No recommendation matches these filters.")).to_have_count(0)
    save_screenshot(page, request, "recommendations-of-2015")
