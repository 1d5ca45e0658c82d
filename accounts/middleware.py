from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import national_team_denial


class AdminAccessMiddleware:
    """Guards the admin before Django's own checks.

    - Signed-in people who are not staff get a plain 403 (not the admin's password-only login form).
    - Staff must turn on two-factor authentication first: the admin holds every city's private testimony, so a
      stolen staff password alone must not open it.

    The rule is `accounts.access.national_team_denial`, shared with the national team's other pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix: str | None = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        user = request.user
        if request.path.startswith(self.admin_prefix) and user.is_authenticated:
            denial = national_team_denial(
                request,
                refused=_("The admin is for the national team."),
                needs_mfa=_("Set up two-factor authentication before using the admin: the admin holds private data."),
            )
            if denial is not None:
                return denial
        return self.get_response(request)
