"""The national team's rule for its private pages (the admin and the progress dashboard), in one place.

Staff only, and only with two-factor authentication turned on: these pages show every city's private data, so a
stolen staff password alone must not open them. People who are signed in but not staff get a 403, not a 404: the
pages' addresses are fixed and well known (no object's existence is given away), and the 403 page tells an
organizer who follows a shared link why it does not open.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def national_team_denial(
    request: HttpRequest, *, refused: str | None = None, needs_mfa: str | None = None
) -> HttpResponse | None:
    """None when the signed-in `request.user` may use the national team's pages.

    Otherwise: PermissionDenied (403) for people who are not staff, with the text `refused`; for staff without
    two-factor authentication, a redirect to set it up, with the message `needs_mfa` saying why.
    """
    if not request.user.is_staff:
        raise PermissionDenied(refused or _("This page is for the national team."))
    if not is_mfa_enabled(request.user):
        messages.warning(
            request,
            needs_mfa
            or _("Set up two-factor authentication before using the national team's pages: they hold private data."),
        )
        return redirect("mfa_activate_totp")
    return None


def national_team_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view of the national team's: anonymous visitors go to the login page, then `national_team_denial` decides."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        denial = national_team_denial(request)
        if denial is not None:
            return denial
        return view(request, *args, **kwargs)

    return wrapper
