"""One-click opt-out of optional emails (RFC 8058).

Optional emails are the ones a person can do without: deadline reminders, digests. Each kind is registered here by
the app that sends it (so this lower app never imports the higher ones), and each optional email carries a link
to `/email/stop/<token>/` and the `List-Unsubscribe` / `List-Unsubscribe-Post` headers, so mail clients offer
their own one-click button. The token is signed (salted) and names the address and the kind: it is the only
credential the page needs, so the link works without an account or a session. Transactional email (sign-up,
registration confirmations, a returned report) never looks at the opt-outs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.models import EmailOptOut

SALT = "portal.optout"


@dataclass(frozen=True)
class OptionalEmail:
    kind: str
    label: str  # lazily translated: "deadline reminders for your city's local report"


class OptionalEmailRegistry:
    def __init__(self) -> None:
        self._kinds: dict[str, OptionalEmail] = {}

    def register(self, kind: str, label: str) -> None:
        self._kinds[kind] = OptionalEmail(kind, label)

    def get(self, kind: str) -> OptionalEmail | None:
        return self._kinds.get(kind)

    def __contains__(self, kind: str) -> bool:
        return kind in self._kinds

    def __iter__(self):
        return iter(sorted(self._kinds.values(), key=lambda optional: optional.kind))


optional_emails = OptionalEmailRegistry()


def make_token(email: str, kind: str) -> str:
    return signing.dumps({"e": email.lower(), "k": kind}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[str, str]:
    """(email, kind) from a token; raises signing.BadSignature if it was not made here. Tokens do not expire: a
    link in an old email must still work."""
    data = signing.loads(token, salt=SALT)
    if not isinstance(data, dict) or not isinstance(data.get("e"), str) or not isinstance(data.get("k"), str):
        raise signing.BadSignature("Malformed opt-out token")
    return data["e"], data["k"]


def stop_url(email: str, kind: str) -> str:
    """The absolute address of the stop page for this address and kind (emails need the site's origin)."""
    return settings.SITE_URL + reverse("email_stop", args=[make_token(email, kind)])


def stop_url_maker(kind: str) -> Callable[[str], str]:
    """stop_url for many addresses of one kind, with the URL reversed once (a tick makes thousands)."""
    prefix, _token, suffix = reverse("email_stop", args=["TOKEN"]).rpartition("TOKEN")
    return lambda email: f"{settings.SITE_URL}{prefix}{make_token(email, kind)}{suffix}"


def opted_out(kind: str, emails: Iterable[str] | None = None) -> set[str]:
    """The lower-cased addresses that stopped `kind`, among `emails` (or all of them): one query."""
    rows = EmailOptOut.objects.filter(kind=kind)
    if emails is not None:
        rows = rows.filter(email__in={address.lower() for address in emails})
    return set(rows.order_by().values_list("email", flat=True))


def opted_out_by_kind(kinds: Iterable[str]) -> dict[str, set[str]]:
    """{kind: the lower-cased addresses that stopped it} for several kinds at once: one query."""
    found: dict[str, set[str]] = {kind: set() for kind in kinds}
    for kind, email in EmailOptOut.objects.filter(kind__in=list(found)).order_by().values_list("kind", "email"):
        found[kind].add(email)
    return found


def is_stopped(email: str, kind: str) -> bool:
    return EmailOptOut.objects.filter(kind=kind, email=email.lower()).exists()


def stop(email: str, kind: str) -> None:
    """Record the opt-out; stopping twice (a double click, a mail client and a person) is harmless."""
    try:
        with transaction.atomic():
            EmailOptOut.objects.get_or_create(kind=kind, email=email.lower())
    except IntegrityError:  # the same click twice at the same moment: the other one recorded it
        pass


def resume(email: str, kind: str) -> None:
    EmailOptOut.objects.filter(kind=kind, email=email.lower()).delete()
