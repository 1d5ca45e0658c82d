"""Enrolling a staff member's first two-factor authenticator needs a second proof besides the password.

The admin and the national team's pages need two-factor authentication (accounts.access). If a staff member
without an authenticator could simply enrol one, a stolen password would be enough: the thief would enrol their
own phone. So the first enrolment of a staff account needs one of:

- a link emailed to the staff address (signed, expiring, single use): `send_enrolment_link`, or printed by
  `manage.py staff_enrolment_link` for the very first account;
- a code created by another national-team member (in the user admin), passed on by phone or in person.

Redeeming either gives this browser session a short pass to enrol (`may_enrol`); allauth's TOTP activation
(reauthentication, QR code, recovery codes) then runs as usual.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.adapter import on_site
from accounts.enums import EnrolmentProof
from accounts.models import EnrolmentGrant
from portal.mail import send_templated_email

ENROLMENT_SALT = "accounts.staff_enrolment"
SESSION_KEY = "accounts:staff_enrolment_pass"
# Long enough to scan a QR code and type the first code; short enough that a forgotten tab is no open door.
PASS_MINUTES = 30
# A colleague reads the code out: no letters that look alike (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


class EnrolmentError(Exception):
    """A proof that does not open enrolment; the message is for the person who tried."""


def needs_second_proof(user) -> bool:
    """Staff without an authenticator yet: their first enrolment needs a proof besides the password."""
    return user.is_authenticated and user.is_staff and not is_mfa_enabled(user)


def _expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=settings.STAFF_ENROLMENT_HOURS)


def issue_enrolment_link(user, *, by=None) -> str:
    """Create an emailed-link grant for `user` and return its address (on SITE_URL). Nothing is sent."""
    grant = EnrolmentGrant.objects.create(
        user=user, proof=EnrolmentProof.EMAILED_LINK, issued_by=by, expires_at=_expiry()
    )
    token = signing.dumps(grant.pk, salt=ENROLMENT_SALT, compress=True)
    return on_site(reverse("accounts:enrolment_link", kwargs={"token": token}))


def send_enrolment_link(user, *, by=None) -> None:
    """Create a link grant and email the link to the staff member's own address (after commit)."""
    url = issue_enrolment_link(user, by=by)
    send_templated_email(
        "staff_enrolment_link",
        [user.email],
        {"user": user, "url": url, "hours": settings.STAFF_ENROLMENT_HOURS},
        language=user.preferred_language or None,
    )


def _hash(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    # The code has 59 bits of randomness and expires within hours: a plain digest is enough, no slow hash.
    return hashlib.sha256(f"{ENROLMENT_SALT}:{normalised}".encode()).hexdigest()


def issue_enrolment_code(user, *, by) -> str:
    """Create a colleague's code for `user` and return it (shown once; only its hash is stored).

    `by` must be another staff member who has two-factor authentication themselves, and `user` a staff member
    who has none yet; otherwise EnrolmentError.
    """
    if by is None or by.pk == user.pk or not by.is_staff or not is_mfa_enabled(by):
        raise EnrolmentError(_("Only another national-team member with two-factor authentication can create a code."))
    if not needs_second_proof(user):
        raise EnrolmentError(_("%(user)s is not a staff member waiting to set up two-factor.") % {"user": user.email})
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    EnrolmentGrant.objects.create(
        user=user, proof=EnrolmentProof.COLLEAGUE_CODE, code_hash=_hash(raw), issued_by=by, expires_at=_expiry()
    )
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def _grant_a_pass(request, grant_pk: int) -> None:
    request.session[SESSION_KEY] = {
        "user": request.user.pk,
        "grant": grant_pk,
        "until": (timezone.now() + dt.timedelta(minutes=PASS_MINUTES)).timestamp(),
    }


def _claim(grant_pk: int) -> bool:
    """Mark the grant used; True only for the one request that did (single use, even under a race)."""
    now = timezone.now()
    return EnrolmentGrant.objects.usable(now).filter(pk=grant_pk).update(used_at=now) == 1


def grant_from_link(token: str) -> EnrolmentGrant | None:
    """The grant a link names, or None when the link is forged or older than STAFF_ENROLMENT_HOURS."""
    try:
        pk = signing.loads(token, salt=ENROLMENT_SALT, max_age=dt.timedelta(hours=settings.STAFF_ENROLMENT_HOURS))
    except signing.BadSignature:
        return None
    return EnrolmentGrant.objects.filter(pk=pk, proof=EnrolmentProof.EMAILED_LINK).select_related("user").first()


@transaction.atomic
def redeem_link(request, grant: EnrolmentGrant) -> None:
    """The signed-in `request.user` uses an emailed link: it must be theirs and unused; the session gets a pass."""
    if grant.user_id != request.user.pk:
        raise EnrolmentError(_("This link was sent to another account. Log in with the account it was sent to."))
    if not _claim(grant.pk):
        raise EnrolmentError(_("This link has expired or was already used. Ask for a new one."))
    _grant_a_pass(request, grant.pk)


@transaction.atomic
def redeem_code(request, code: str) -> None:
    """The signed-in `request.user` types a colleague's code: it must be theirs and unused; the session gets a pass."""
    grant = (
        EnrolmentGrant.objects.usable(timezone.now())
        .filter(user=request.user, proof=EnrolmentProof.COLLEAGUE_CODE, code_hash=_hash(code))
        .first()
    )
    if grant is None or not _claim(grant.pk):
        raise EnrolmentError(_("This code is not valid for your account, has expired or was already used."))
    _grant_a_pass(request, grant.pk)


def may_enrol(request) -> bool:
    """Whether `request.user` may enrol an authenticator now: anyone but staff without one yet; those only with a
    pass from a redeemed proof, for this account, in this session, not expired."""
    if not needs_second_proof(request.user):
        return True
    granted = request.session.get(SESSION_KEY) or {}
    return granted.get("user") == request.user.pk and granted.get("until", 0) > timezone.now().timestamp()


def end_pass(request) -> None:
    request.session.pop(SESSION_KEY, None)


def refuse_new_address_before_two_factor(sender, email, user, **kwargs) -> None:
    """Staff without an authenticator cannot add an address themselves (the national team changes it in the admin).

    The enrolment link goes to the account's address; with only the password, a thief could otherwise add and
    confirm an address of their own, have the link sent there and enrol their own phone. (allauth refuses new
    addresses once two-factor is on, for a similar reason.)"""
    if needs_second_proof(user):
        raise ValidationError(
            _("Staff accounts cannot add an email address before two-factor authentication is set up.")
        )
