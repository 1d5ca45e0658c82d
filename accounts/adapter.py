from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from uprcities.ratelimit import client_address

# A page that sent someone to sign up or log in (an invitation, say) puts its path here; after logging in,
# even after signing up and confirming the address in between, they land back on it.
RETURN_AFTER_LOGIN = "accounts:return_after_login"


def remember_return_path(request, path: str) -> None:
    request.session[RETURN_AFTER_LOGIN] = path


def on_site(url: str) -> str:
    """`url` (a path, or an absolute URL on any host) moved onto SITE_URL, keeping its path, query and fragment."""
    parts = urlsplit(url)
    site = urlsplit(settings.SITE_URL)
    return urlunsplit((site.scheme, site.netloc, site.path.rstrip("/") + parts.path, parts.query, parts.fragment))


class AccountAdapter(DefaultAccountAdapter):
    """Every link in an account email is built from SITE_URL, never from the request's Host header.

    allauth builds its links with `request.build_absolute_uri`, so a password-reset request sent with a forged
    Host would email the real owner a reset link pointing at the attacker's server, and the key with it. The two
    links that carry a secret are built here from SITE_URL; `send_mail` then moves any other absolute link in the
    email's context (sign-up and reset links in the "unknown account" and "already exists" emails, and whatever
    a later allauth adds) onto SITE_URL as well.
    """

    def get_email_confirmation_url(self, request, emailconfirmation):
        return on_site(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return on_site(path.replace("UID-KEY", key))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {key: _link_on_site(value) for key, value in context.items()}
        super().send_mail(template_prefix, email, context)

    def get_client_ip(self, request) -> str:
        # allauth's rate limits count per address: the same address as ours (uprcities.ratelimit), so the
        # X-Forwarded-For header is believed only through TRUSTED_PROXY_COUNT proxies.
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def get_login_redirect_url(self, request):
        path = request.session.pop(RETURN_AFTER_LOGIN, None)
        if path and path.startswith("/") and not path.startswith("//"):
            return path
        return super().get_login_redirect_url(request)


def _link_on_site(value):
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return on_site(value)
    return value
