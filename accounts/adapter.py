from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

# A page that sent someone to sign up or log in (an invitation, say) puts its path here; after logging in,
# even after signing up and confirming the address in between, they land back on it.
RETURN_AFTER_LOGIN = "accounts:return_after_login"


def remember_return_path(request, path: str) -> None:
    request.session[RETURN_AFTER_LOGIN] = path


class AccountAdapter(DefaultAccountAdapter):
    def get_email_confirmation_url(self, request, emailconfirmation):
        """Links in account emails use the portal's public address, not whatever Host header came in."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        return url if request is not None else settings.SITE_URL + url

    def get_login_redirect_url(self, request):
        path = request.session.pop(RETURN_AFTER_LOGIN, None)
        if path and path.startswith("/") and not path.startswith("//"):
            return path
        return super().get_login_redirect_url(request)
