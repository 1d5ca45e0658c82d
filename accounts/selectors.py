"""Reads about accounts that other apps rely on."""

from __future__ import annotations

from allauth.account.models import EmailAddress


def has_verified_address(user, email: str) -> bool:
    """True when `user` proved they read `email` (a verified allauth address), compared case-insensitively.

    What an emailed link grants (a place on a team, say) belongs to the mailbox it was sent to: an account that
    merely holds the link, or claims the address without confirming it, is not its addressee.
    """
    if not user.is_authenticated or not email:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
