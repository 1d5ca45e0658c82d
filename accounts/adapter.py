from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY, get_authentication_records
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.landing import login_landings
from portal.ratelimit import client_address

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
        # allauth's rate limits count per address: the same address as ours (portal.ratelimit), so the
        # X-Forwarded-For header is believed only through TRUSTED_PROXY_COUNT proxies.
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def get_login_redirect_url(self, request):
        """Asked only when the login has no `?next=` (allauth follows an explicit one first): the page that sent
        them to log in, else their own home (organizers' or the national team's, accounts.landing), else home."""
        path = request.session.pop(RETURN_AFTER_LOGIN, None)
        if path and path.startswith("/") and not path.startswith("//"):
            return path
        return login_landings.path_for(request.user) or super().get_login_redirect_url(request)

    def login(self, request, user) -> None:
        super().login(request, user)
        count_fresh_login_as_recent(request, user)


def count_fresh_login_as_recent(request, user) -> None:
    """Let the password typed to log in count as allauth's "confirm your password" until its timeout.

    allauth asks for the password again before sensitive account pages (setting up two-factor, recovery codes)
    and counts only a reauthentication for that, not the login itself: a staff member who has just signed in
    and opens the admin, which sends them to set up two-factor, was asked for the password they typed a second
    earlier. The login's own password step is recorded as a reauthentication at the time it was typed, so the
    prompt comes back ACCOUNT_REAUTHENTICATION_TIMEOUT after it, as for any reauthentication. Only a password
    typed in this session counts, from when it was typed; a session without one records nothing.
    """
    records = get_authentication_records(request, user)
    typed = [record for record in records if record.get("method") == "password" and not record.get("reauthenticated")]
    if not typed:
        return
    # Its own time, not now: an older password (a second login in the same session without one) stays old.
    recent = {**typed[-1], "reauthenticated": True}
    # allauth keeps the list in the session under this key (its public allauth.account.authentication names it).
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [*records, recent]


def _link_on_site(value):
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return on_site(value)
    return value
