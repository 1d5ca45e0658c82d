"""A password alone never opens the admin: a staff member's first authenticator needs a second proof."""

import datetime as dt
import io
import re
import time

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts import enrolment
from accounts.models import EnrolmentGrant

PASSWORD = "correct horse battery"
ACTIVATE = "/accounts/2fa/totp/activate/"
ENROL = "/accounts/2fa/enrol/"
LINK = re.compile(r"https?://\S+?(/accounts/2fa/enrol/[^/\s]+/)")


def log_in(client, user):
    """The real login form, then allauth's reauthentication (which setting up two-factor asks for first)."""
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.text


def totp_code(client) -> str:
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import (
        SECRET_SESSION_KEY,
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    if app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD < 2:
        time.sleep(2.2)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(client.session[SECRET_SESSION_KEY], counters[len(counters) // 2]))


def activate(client):
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    return client.post(ACTIVATE, {"code": totp_code(client)})


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_staff_first_enrolment_with_only_the_password_is_refused(client, personas):
    staff = personas["staff_no_mfa"]
    log_in(client, staff)

    page = client.get(ACTIVATE, follow=True)
    posted = client.post(ACTIVATE, {"code": "123456"})

    assert page.redirect_chain == [(ENROL, 302)]
    assert "prove it is you a second way: a password alone is not enough." in page.text
    assert posted["Location"] == ENROL
    assert list(Authenticator.objects.filter(user=staff)) == []
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")


def test_staff_enrols_with_the_emailed_link_and_is_offered_recovery_codes(
    client, personas, mailoutbox, on_commit, settings
):
    settings.SITE_URL = "https://uprcities.example.org"
    staff = personas["staff_no_mfa"]
    log_in(client, staff)
    with on_commit():
        response = client.post(ENROL, {"action": "email"}, follow=True)
    assert "We emailed a link to staff@example.org. Open it in this browser." in response.text
    [mail] = mailoutbox
    assert (mail.to, mail.subject) == (
        ["staff@example.org"],
        "[UPR Cities] Set up two-factor authentication for the national team's pages",
    )
    assert "https://uprcities.example.org/accounts/2fa/enrol/" in mail.body
    path = LINK.search(mail.body).group(1)

    assert "Continue" in client.get(path).text
    assert EnrolmentGrant.objects.get().used_at is None  # a GET (a mail scanner) does not use the link up
    assert client.post(path)["Location"] == ACTIVATE
    activated = activate(client)

    assert activated["Location"] == reverse("mfa_view_recovery_codes")
    assert sorted(Authenticator.objects.filter(user=staff).values_list("type", flat=True)) == [
        Authenticator.Type.RECOVERY_CODES,
        Authenticator.Type.TOTP,
    ]
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    # Single use.
    again = client.post(path)
    assert again.status_code == 403
    assert "This link has expired or was already used. Ask for a new one." in again.text


def test_enrolment_link_refused_to_another_account(client, personas, user_factory):
    other_staff = user_factory("other-staff@example.org", staff=True)
    url = enrolment.issue_enrolment_link(personas["staff_no_mfa"])
    log_in(client, other_staff)

    response = client.post(url.split("8000", 1)[1])

    assert response.status_code == 403
    assert "This link was sent to another account." in response.text
    assert client.get(ACTIVATE)["Location"] == ENROL
    assert EnrolmentGrant.objects.get().used_at is None


def test_enrolment_link_anonymous_is_sent_to_log_in_first(client, personas):
    path = enrolment.issue_enrolment_link(personas["staff_no_mfa"]).split("8000", 1)[1]

    response = client.get(path)

    assert response["Location"].startswith("/accounts/login/?next=/accounts/2fa/enrol/")


def test_enrolment_link_expired_or_forged_does_not_open_enrolment(client, personas):
    staff = personas["staff_no_mfa"]
    path = enrolment.issue_enrolment_link(staff).split("8000", 1)[1]
    EnrolmentGrant.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    log_in(client, staff)

    expired = client.post(path)
    forged = client.post(path[:-3] + "xx/")

    assert expired.status_code == 403
    assert forged.status_code == 404
    assert client.get(ACTIVATE)["Location"] == ENROL


def test_staff_enrols_with_a_colleagues_code_from_the_admin(client, personas):
    colleague, staff = personas["staff_mfa"], personas["staff_no_mfa"]
    colleague.is_superuser = True
    colleague.save()
    client.force_login(colleague)
    page = client.post(
        reverse("admin:accounts_user_changelist"), {"action": "create_enrolment_code", "_selected_action": [staff.pk]}
    )
    assert page["Cache-Control"] == "private, no-store, max-age=0, no-cache, must-revalidate"
    code = re.search(r"<code>([A-Z0-9-]+)</code>", page.text).group(1)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert code.replace("-", "") not in EnrolmentGrant.objects.get().code_hash

    client.logout()
    log_in(client, staff)
    assert client.post(ENROL, {"action": "code", "code": code.lower()})["Location"] == ACTIVATE
    assert activate(client)["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).count() == 1


def test_colleague_code_works_once_and_only_for_its_account(client, personas, user_factory):
    staff = personas["staff_no_mfa"]
    code = enrolment.issue_enrolment_code(staff, by=personas["staff_mfa"])
    other_staff = user_factory("other-staff@example.org", staff=True)
    log_in(client, other_staff)
    refused = client.post(ENROL, {"action": "code", "code": code})
    assert refused.status_code == 400
    assert refused.context["form"].errors["code"] == [
        "This code is not valid for your account, has expired or was already used."
    ]
    client.logout()

    log_in(client, staff)
    assert client.post(ENROL, {"action": "code", "code": code})["Location"] == ACTIVATE
    assert EnrolmentGrant.objects.get().used_at is not None
    client.logout()
    log_in(client, staff)
    assert client.post(ENROL, {"action": "code", "code": code}).status_code == 400


def test_colleague_code_needs_an_issuer_with_two_factor_and_a_target_without(personas):
    with pytest.raises(enrolment.EnrolmentError, match="Only another national-team member with two-factor"):
        enrolment.issue_enrolment_code(personas["staff_no_mfa"], by=personas["staff_no_mfa"])
    with pytest.raises(enrolment.EnrolmentError, match="Only another national-team member with two-factor"):
        enrolment.issue_enrolment_code(personas["staff_no_mfa"], by=personas["organizer_a"])
    with pytest.raises(enrolment.EnrolmentError, match="is not a staff member waiting to set up two-factor"):
        enrolment.issue_enrolment_code(personas["resident"], by=personas["staff_mfa"])
    assert EnrolmentGrant.objects.count() == 0


def test_enrolment_pass_is_for_the_account_that_redeemed_it(rf, personas):
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/")
    request.session = SessionStore()
    request.user = personas["staff_no_mfa"]
    enrolment.redeem_code(request, enrolment.issue_enrolment_code(request.user, by=personas["staff_mfa"]))
    assert enrolment.may_enrol(request) is True

    request.user = personas["organizer_a"].__class__.objects.create_user("x@example.org", is_staff=True)
    assert enrolment.may_enrol(request) is False


def test_non_staff_enrol_two_factor_without_a_second_proof(client, personas):
    log_in(client, personas["resident"])

    assert activate(client)["Location"] == reverse("mfa_view_recovery_codes")


def test_staff_without_two_factor_cannot_add_an_email_address(client, personas):
    log_in(client, personas["staff_no_mfa"])

    response = client.post("/accounts/email/", {"action_add": "", "email": "thief@example.net"})

    assert "Staff accounts cannot add an email address before two-factor authentication is set up." in response.text
    assert list(personas["staff_no_mfa"].emailaddress_set.values_list("email", flat=True)) == ["staff@example.org"]


def test_staff_enrolment_link_command_prints_a_link_and_emails_with_send(personas, mailoutbox, on_commit):
    out = io.StringIO()
    call_command("staff_enrolment_link", "STAFF@example.org", stdout=out)
    assert "Log in as staff@example.org, then open this link in the same browser (once, within 24 hours):" in (
        out.getvalue()
    )
    assert LINK.search(out.getvalue())

    with on_commit():
        call_command("staff_enrolment_link", "staff@example.org", "--send", stdout=io.StringIO())
    assert [m.to for m in mailoutbox] == [["staff@example.org"]]

    with pytest.raises(CommandError, match="is not a staff account without two-factor authentication"):
        call_command("staff_enrolment_link", "staff-mfa@example.org", stdout=io.StringIO())


def test_load_demo_prints_an_enrolment_link_that_opens_the_demo_national_accounts_set_up(client, db, settings):
    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    password = re.search(r"national@demo\.uprcities\.localhost / (\S+)", text).group(1)
    path = LINK.search(text).group(1)
    assert "log in as it, then open this single-use enrolment link in the same browser:" in text

    client.post("/accounts/login/", {"login": "national@demo.uprcities.localhost", "password": password})
    client.post("/accounts/reauthenticate/", {"password": password})

    assert client.post(path)["Location"] == ACTIVATE
    assert client.get(ACTIVATE).status_code == 200
