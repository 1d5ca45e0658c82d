"""Messages as they reach the mail server (portal.mail.PortalEmail): the one-click opt-out headers of optional
emails are plain ASCII angle-bracketed URLs, which mail providers read, never RFC 2047 encoded words."""

from __future__ import annotations

import email.policy
import re

from portal import optout
from portal.mail import PortalEmail, send_templated_email

CONTEXT = {"by": None, "city": {"name": "Pittsburgh"}, "invitation": None, "url": "http://x", "days": 7}
# Long enough that the stop link is far over a 78-character header line.
ADDRESS = "a.rather.long.address.for.the.token@example.org"


def headers_of(raw: bytes) -> list[bytes]:
    return raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")


def test_optional_email_list_unsubscribe_reaches_the_server_as_plain_urls(
    db, settings, smtp_sink, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp_sink.port, "timeout": 10},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email("team_invitation", [ADDRESS], CONTEXT, optional="deadline_reminders")
    [raw] = smtp_sink.raw
    lines = headers_of(raw)
    [unsubscribe] = [line for line in lines if line.startswith(b"List-Unsubscribe:")]
    token = re.fullmatch(rb"List-Unsubscribe: <http://127\.0\.0\.1:8000/email/stop/([^/\s<>]+)/>", unsubscribe)
    assert optout.read_token(token.group(1).decode("ascii")) == (ADDRESS, "deadline_reminders")
    assert len(unsubscribe) > 78  # one line however long (RFC 5322 allows 998)
    following = lines[lines.index(unsubscribe) + 1]
    assert following == b"List-Unsubscribe-Post: List-Unsubscribe=One-Click"  # no folded continuation between


def test_other_headers_are_still_folded_and_encoded_as_usual():
    url = "https://example.org/email/stop/" + "x" * 120 + "/"
    message = PortalEmail(
        subject="Rappel : l’échéance approche pour votre rapport local de la ville",
        body="Text",
        to=["ana@example.org"],
        headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    lines = headers_of(raw)
    assert f"List-Unsubscribe: <{url}>".encode() in lines
    subject = [line for line in lines if line.startswith(b"Subject:")]
    assert b"=?utf-8?b?" in subject[0]  # non-ASCII text still goes as RFC 2047, as it must
    assert all(len(line) <= 998 for line in lines)


def test_a_header_too_long_for_one_line_is_left_to_the_email_package():
    url = "https://example.org/" + "y" * 1100
    message = PortalEmail(subject="s", body="b", to=["ana@example.org"], headers={"List-Unsubscribe": f"<{url}>"})
    lines = headers_of(message.message(policy=email.policy.SMTP).as_bytes())
    assert all(len(line) <= 998 for line in lines)
    assert message.message()["List-Unsubscribe"] == f"<{url}>"
