import codecs
import logging

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http.multipartparser import MultiPartParserError
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.views.defaults import bad_request

from portal import faults

logger = logging.getLogger(__name__)


class RequestSizeLimitMiddleware:
    """Refuse an oversized request (a 2 GB "video", say) from its Content-Length, before anything reads the body:
    the CSRF check and the form would otherwise receive the whole upload first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.headers.get("content-length") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return render(request, "413.html", {"limit_mb": settings.MAX_REQUEST_BYTES // (1024 * 1024)}, status=413)
        return self.get_response(request)


NUL = "\x00"


def _holds_nul(pairs) -> bool:
    return any(NUL in key or any(NUL in str(value) for value in values) for key, values in pairs)


class BadInputMiddleware:
    """Answer 400 to a request the portal cannot read, before any view sees it.

    A NUL character anywhere a view might pass on to PostgreSQL (the path, the query string, a cookie, a form field
    or a file name) makes the driver raise, which would be a 500 and an email to the admins for every request an
    anonymous visitor cares to send; an unknown or undecodable charset and a malformed multipart body fail the same
    way when a view first reads the form. Placed after RequestSizeLimitMiddleware, so an oversized body is refused
    before it is read here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self._problem(request)
        if problem is not None:
            logger.info("bad input refused (%s) for %s", problem, request.path.replace(NUL, "\\0"))
            return bad_request(request, None)
        return self.get_response(request)

    def _problem(self, request) -> str | None:
        if NUL in request.path_info or NUL in request.path:
            return "NUL in the path"
        charset = request.content_params.get("charset") if request.content_params else None
        if charset:
            try:
                codecs.lookup(charset)
            except LookupError:
                # Django would quietly read the body as UTF-8 instead; what was meant cannot be known.
                return "unknown charset"
        try:
            if _holds_nul(request.GET.lists()):
                return "NUL in the query string"
            if _holds_nul((name, [value]) for name, value in request.COOKIES.items()):
                return "NUL in a cookie"
            if request.method == "POST":
                if _holds_nul(request.POST.lists()):
                    return "NUL in a form field"
                files = request.FILES.lists()
                if any(NUL in name or any(NUL in (f.name or "") for f in items) for name, items in files):
                    return "NUL in a file name"
        except (UnicodeDecodeError, LookupError, MultiPartParserError, BadRequest) as exc:
            return f"unreadable body: {type(exc).__name__}"
        return None


class ServiceUnavailableMiddleware:
    """A view that cannot reach the database answers the short 503 page (portal.faults), not a 500.

    A database outage met outside a view (a middleware reading the session) reaches the 500 handler,
    uprcities.views.server_error, which answers the same page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, faults.DATABASE_UNAVAILABLE):
            return faults.database_unavailable_response(request, exception)
        return None


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for responses that hold no secret only (BREACH).

    BREACH recovers a secret from the size of compressed responses that also reflect what an attacker sends. So a
    response is compressed only when: nobody is signed in (no personal data, no session-bound page); the view put
    no CSRF token in it (Django marks `CSRF_COOKIE_NEEDS_UPDATE` whenever one is used); and it is not a private page
    (Cache-Control private or no-store: the private links' pages). That leaves the public pages, which are the same
    for every visitor. Django's own padding of compressed responses (Heal The BREACH) is kept as a second guard.
    Cached public pages arrive here already compressed (portal.cache stores the gzip copy), and are left as they are.
    """

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        if "CSRF_COOKIE_NEEDS_UPDATE" in request.META:
            return response
        cache_control = response.get("Cache-Control", "")
        if "private" in cache_control or "no-store" in cache_control:
            return response
        return super().process_response(request, response)
