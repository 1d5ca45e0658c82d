"""CORS, the per-client rate limit and JSON errors of the JSON API, for every answer under /api/ (cached ones
included)."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from portal.ratelimit import over_limit

PREFIX = "/api/"
SCOPE = "api"


def _open_to_every_site(response: HttpResponse) -> HttpResponse:
    # Read-only public data with no cookies or credentials involved: any site's script may read it.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "Retry-After"
    return response


def _as_json(response: HttpResponse) -> HttpResponse:
    """An error answered before the API ran (an unknown address, input portal.middleware refuses) as JSON too: a
    client reads every answer under /api/ the same way, as the schema documents."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
        return response
    return JsonResponse({"detail": response.reason_phrase, "errors": []}, status=response.status_code)


class ApiMiddleware:
    """Answers CORS preflights, opens GET answers to every origin, refuses a client over its limit with 429 and
    Retry-After (the limit is counted per address in the shared cache: portal.ratelimit), and answers every error
    as JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = request.headers.get(
                "Access-Control-Request-Headers", "Accept, Content-Type"
            )
            response["Access-Control-Max-Age"] = "86400"
            return _open_to_every_site(response)
        head = request.method == "HEAD"
        if head:
            # ninja routes GET alone; HEAD is the same answer, whose body the server leaves out (it reads the
            # method back, so it is restored).
            request.method = "GET"
        try:
            return self._answer(request)
        finally:
            if head:
                request.method = "HEAD"

    def _answer(self, request):
        if request.method == "GET" and over_limit(request, SCOPE):
            window = settings.RATE_LIMITS[SCOPE][1]
            response = JsonResponse(
                {"detail": "Too many requests from your address: wait and try again.", "errors": []}, status=429
            )
            response["Retry-After"] = str(int(window - time.time() % window) + 1)
            return _open_to_every_site(response)
        response = _as_json(self.get_response(request))
        if request.method == "GET":
            _open_to_every_site(response)
        return response
