"""Every link in an allauth email is built from SITE_URL, whatever Host header the request came with."""

import re

import pytest

HOSTILE = "evil.example.net"
URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def hostile(settings, client):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOSTILE]
    settings.SITE_URL = "https://uprcities.example.org"
    client.defaults["HTTP_HOST"] = HOSTILE
    return client


def links(message) -> list[str]:
    bodies = [message.body] + [content for content, _mimetype in getattr(message, "alternatives", [])]
    return [url for body in bodies for url in URL.findall(body)]


def test_password_reset_email_link_starts_with_site_url(hostile, user_factory, mailoutbox):
    user_factory("ana@example.org")

    hostile.post("/accounts/password/reset/", {"email": "ana@example.org"})

    [mail] = mailoutbox
    [link] = links(mail)
    assert link.startswith("https://uprcities.example.org/accounts/password/reset/key/")
    assert HOSTILE not in mail.body


def test_password_reset_for_an_unknown_address_links_to_site_url(hostile, db, mailoutbox):
    hostile.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    [mail] = mailoutbox
    assert links(mail) == ["https://uprcities.example.org/accounts/signup/"]


def test_signup_confirmation_email_link_starts_with_site_url(hostile, db, mailoutbox):
    hostile.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "a long passphrase", "password2": "a long passphrase"},
    )

    [mail] = mailoutbox
    [link] = links(mail)
    assert link.startswith("https://uprcities.example.org/accounts/confirm-email/")


def test_signup_with_a_taken_address_email_links_start_with_site_url(hostile, user_factory, mailoutbox):
    user_factory("ana@example.org")

    hostile.post(
        "/accounts/signup/",
        {"email": "ana@example.org", "password1": "a long passphrase", "password2": "a long passphrase"},
    )

    [mail] = mailoutbox
    assert links(mail) == ["https://uprcities.example.org/accounts/password/reset/"]


def test_confirmation_email_sent_without_a_request_uses_site_url(settings, user_factory, mailoutbox):
    from allauth.account.models import EmailAddress

    settings.SITE_URL = "https://uprcities.example.org"
    user = user_factory("ana@example.org", verified=False)

    EmailAddress.objects.get(user=user).send_confirmation(None)

    [link] = links(mailoutbox[0])
    assert link.startswith("https://uprcities.example.org/accounts/confirm-email/")
