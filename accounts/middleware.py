from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class AdminAccessMiddleware:
    """Guards the admin before Django's own checks.

    - Signed-in people who are not staff get a plain 403 (not the admin's password-only login form).
    - Staff must turn on two-factor authentication first: the admin holds every city's private testimony, so a
      stolen staff password alone must not open it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix: str | None = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        user = request.user
        if request.path.startswith(self.admin_prefix) and user.is_authenticated:
            if not user.is_staff:
                raise PermissionDenied(_("The admin is for the national team."))
            if not is_mfa_enabled(user):
                messages.warning(
                    request,
                    _("Set up two-factor authentication before using the admin: the admin holds private data."),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)
