"""What visitors see when a service the portal needs is down, and how that is logged.

PostgreSQL unreachable: every page answers a short 503 in the visitor's language (templates/503.html, rendered
without the database and without the request's context processors, which would read the session), and the
log says so at warning level instead of mailing a traceback to ADMINS for every request while it lasts: one
outage is one problem, already shown by /healthz. The connection recovers by itself when the database returns
(CONN_HEALTH_CHECKS: Django drops a connection that failed at the end of the request and checks a kept one before
reusing it), so no restart is needed.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Raised by the database driver (through Django) when the server cannot be reached or the connection broke.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

# Set on a request answered because a service is down, for OutageLogFilter.
OUTAGE_ATTRIBUTE = "_service_outage"
RETRY_AFTER_SECONDS = 30


def mark_outage(request) -> None:
    setattr(request, OUTAGE_ATTRIBUTE, True)


def database_unavailable_response(request, exc: BaseException) -> HttpResponse:
    """The 503 page; logs the outage once per request at warning level (OutageLogFilter keeps it from ADMINS)."""
    mark_outage(request)
    logger.warning("database unreachable (%s: %s) for %s", type(exc).__name__, exc, request.path)
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class OutageLogFilter(logging.Filter):
    """On django.request: a response made because a service is down, or a database outage that escaped to the
    500 handler, is logged as a warning, so the admins' error email (level ERROR) is not sent for each request."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        exc = record.exc_info[1] if record.exc_info else None
        if getattr(request, OUTAGE_ATTRIBUTE, False) or isinstance(exc, DATABASE_UNAVAILABLE):
            record.levelno = logging.WARNING
            record.levelname = logging.getLevelName(logging.WARNING)
            record.exc_info = None
            record.exc_text = None
        return True
