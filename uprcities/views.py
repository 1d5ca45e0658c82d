from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from cities.models import City
from cities.usmap import STATES_FILE, render_map
from portal.cache import public_generation, public_page
from portal.faults import DATABASE_UNAVAILABLE, database_unavailable_response, mark_outage
from portal.registry import home_stats
from upr.models import Milestone, ReviewCycle
from uprcities.celery import app as celery_app

logger = logging.getLogger(__name__)

REDIS_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


HOME_CACHE_SECONDS = 60


def _home_data(today) -> dict:
    next_milestone = Milestone.objects.public().upcoming(today).select_related("cycle").first()
    cities = City.objects.active().only("name", "state", "slug", "latitude", "longitude")
    return {
        "map": render_map(
            cities, title=gettext("Map of the human rights cities taking part"), states_href=static(STATES_FILE)
        ),
        "cycle": ReviewCycle.objects.current(),
        "next_milestone": next_milestone,
        "days_left": next_milestone.days_left(today) if next_milestone else None,
        "stats": [(stat.key, stat.count()) for stat in home_stats],
    }


@public_page
def home(request: HttpRequest) -> HttpResponse:
    # The counts and the next milestone are the same for everyone: every visitor need not count every table.
    today = timezone.localdate()
    # Under the page cache's generation, so the counts and the map change with the data, not a minute later.
    key = f"home:{public_generation(request)}:{get_language()}:{today.isoformat()}"
    data = cache.get_or_set(key, lambda: _home_data(today), HOME_CACHE_SECONDS)
    labels = {stat.key: stat.label for stat in home_stats}
    stats = [(labels[key], count) for key, count in data["stats"] if key in labels]
    return render(request, "home.html", {**data, "stats": stats, "is_home": True})


@public_page
def about_upr(request: HttpRequest) -> HttpResponse:
    cycles = (
        ReviewCycle.objects.with_imported_count()
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.public().order_by("date")))
        .order_by("number")
    )
    return render(request, "about_upr.html", {"cycles": cycles})


def admin_login(request: HttpRequest) -> HttpResponse:
    """Admin sign-in goes through allauth, so that two-factor authentication always applies."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_staff:
            safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
            return redirect(next_url if safe else reverse("admin:index"))
        raise PermissionDenied(_("The admin is for the national team."))
    return redirect_to_login(next_url, reverse("account_login"))


def moved_admin_page(request: HttpRequest, model: str, rest: str) -> HttpResponse:
    query = f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
    return HttpResponsePermanentRedirect(f"/admin/national/{model}/{rest}{query}")


def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(staticfiles_storage.url("img/favicon.svg"))


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


class ServiceDown(Exception):
    """A health check's failure, already worded."""


def _check_cache() -> str:
    # The cache backend answers an outage as a miss (portal.cache_backend); only its ping tells.
    ping = getattr(cache, "ping", None)
    if ping is None:
        return "ok (local memory)"
    try:
        ping()
    except REDIS_UNREACHABLE as exc:
        raise ServiceDown(f"Redis unreachable ({exc.__class__.__name__})") from exc
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok (eager: tasks run in the web process)"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        if celery_app.conf.broker_url.startswith(("redis://", "rediss://")):
            raise ServiceDown(f"Redis unreachable ({exc.__class__.__name__})") from exc
        raise
    return "ok"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the cache and the Celery broker answer; 503 naming the part that does not."""
    report: dict[str, str] = {}
    healthy = True
    for part, check in (("database", _check_database), ("cache", _check_cache), ("broker", _check_broker)):
        try:
            report[part] = check()
        except ServiceDown as exc:
            logger.warning("healthz: %s failed: %s", part, exc.__cause__)
            report[part] = f"failing: {exc}"
            healthy = False
        except Exception as exc:
            logger.warning("healthz: %s failed: %s", part, exc)
            report[part] = f"failing: {exc.__class__.__name__}"
            healthy = False
    report["status"] = "ok" if healthy else "failing"
    if not healthy:
        # Already logged above as a warning; a monitor polling every few seconds must not mail ADMINS each time.
        mark_outage(request)
    return JsonResponse(report, status=200 if healthy else 503)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler: a database outage met outside a view gets the 503 page, anything else the 500 page."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_UNAVAILABLE):
        return database_unavailable_response(request, exc)
    return defaults.server_error(request)
