from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cities.models import City
from cities.selectors import get_city_for_organizer
from events import services
from events.calendar import event_ics, feed_ics
from events.enums import EventKind, EventStatus
from events.forms import COMMON_TIME_ZONES, DelegateForm, EventFilterForm, EventForm, WebinarFilterForm
from events.models import Delegate, Event
from events.selectors import (
    calendar_feed_events,
    city_delegates,
    event_page_scope,
    event_speakers,
    open_lobby_days,
    organizer_events,
    public_event,
    registration_is_open,
    seats_left,
    upcoming_events,
    webinar_archive,
)
from events.structured_data import event_json_ld, json_ld_script
from portal.cache import public_page
from portal.links import embed_url
from upr.models import Theme

# --- Public pages -----------------------------------------------------------------------------------------


@public_page(form=EventFilterForm)
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    events = list(upcoming_events(**filters))
    context = {"form": form, "events": events, "feed_city": filters.get("city"), "feed_theme": filters.get("theme")}
    return render(request, "events/list.html", context)


@public_page(form=WebinarFilterForm)
@require_GET
def webinars(request: HttpRequest) -> HttpResponse:
    form = WebinarFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    events = list(webinar_archive(**filters))
    context = {"form": form, "events": events, "feed_theme": filters.get("theme")}
    return render(request, "events/webinars.html", context)


def detail_context(event: Event) -> dict:
    """What the detail page (and the registration panel it includes) is given."""
    seats = seats_left(event)
    now = timezone.now()
    speakers = event_speakers(event)
    return {
        "event": event,
        "speakers": speakers,
        "json_ld": json_ld_script(event_json_ld(event, speakers, settings.SITE_URL + event.get_absolute_url())),
        "themes": list(event.themes.all()),
        "seats_left": seats,
        "is_full": seats == 0,
        "is_past": event.ends_at < now,
        "registration_open": registration_is_open(event, now),
        "registration_form": None,
        "embed_url": embed_url(event.recording_url),
        "is_lobby_day": event.kind == EventKind.LOBBY_DAY,
        "donation_url": settings.DONATION_URL,
        "donation_note": settings.DONATION_DESIGNATION_NOTE,
    }


@public_page(scope=event_page_scope)
@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "events/detail.html", detail_context(public_event(slug)))


@public_page(scope=event_page_scope)
@require_GET
def webinar_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A webinar's page under the archive's address (same page as events:detail)."""
    event = public_event(slug)
    if event.kind != EventKind.WEBINAR:
        raise Http404("Not a webinar")
    return render(request, "events/detail.html", detail_context(event))


def _ics_response(content: bytes, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event = public_event(slug)
    return _ics_response(event_ics(event), f"{event.slug[:80]}.ics")


@public_page
@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    return _ics_response(feed_ics(calendar_feed_events(), _("UPR Cities events")))


@public_page
@require_GET
def feed_city(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    name = _("UPR Cities events: %(city)s") % {"city": city}
    return _ics_response(feed_ics(calendar_feed_events(city=city), name))


@public_page
@require_GET
def feed_theme(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    name = _("UPR Cities events: %(theme)s") % {"theme": theme.display_name}
    return _ics_response(feed_ics(calendar_feed_events(theme=theme), name))


# --- Organizer pages --------------------------------------------------------------------------------------


@login_required
@require_GET
def organize_list(request: HttpRequest, slug: str) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    return render(
        request,
        "events/organize_list.html",
        {"city": city, "events": organizer_events(city), "lobby_days": open_lobby_days(), "now": timezone.now()},
    )


def _event_form_page(request: HttpRequest, city: City, event: Event | None) -> HttpResponse:
    instance = event or Event(host_city=city)
    form = EventForm(request.POST or None, request.FILES or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.save_event(form.instance, form.save)
            saved = form.instance
            messages.success(request, _("“%(title)s” was saved.") % {"title": saved.title})
            return redirect("events:organize_list", slug=city.slug)
        status = 400
    return render(
        request,
        "events/organize_form.html",
        {"city": city, "event": event, "form": form, "time_zones": COMMON_TIME_ZONES},
        status=status,
    )


@login_required
def organize_create(request: HttpRequest, slug: str) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    return _event_form_page(request, city, None)


@login_required
def organize_edit(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    event = get_object_or_404(Event, pk=event_id, host_city=city)
    return _event_form_page(request, city, event)


@login_required
def delegates(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    """A city's delegates for a (national) lobby day, and a form to nominate one more."""
    city, _membership = get_city_for_organizer(request.user, slug)
    event = get_object_or_404(Event.objects.select_related("host_city"), pk=event_id, kind=EventKind.LOBBY_DAY)
    can_nominate = event.status != EventStatus.CANCELLED and event.ends_at >= timezone.now()
    form = DelegateForm(request.POST or None, instance=Delegate(event=event, city=city, nominated_by=request.user))
    status = 200
    if request.method == "POST":
        if not can_nominate:
            messages.error(request, _("Nominations for this lobby day are closed."))
            return redirect("events:delegates", slug=city.slug, event_id=event.pk)
        if form.is_valid():
            try:
                with transaction.atomic():
                    delegate = form.save()
            except IntegrityError:
                form.add_error("email", _("This person is already a delegate for this event."))
            else:
                messages.success(request, _("%(name)s is nominated.") % {"name": delegate.name})
                return redirect("events:delegates", slug=city.slug, event_id=event.pk)
        status = 400
    return render(
        request,
        "events/delegates.html",
        {
            "city": city,
            "event": event,
            "delegates": city_delegates(city, event),
            "form": form,
            "can_nominate": can_nominate,
        },
        status=status,
    )
