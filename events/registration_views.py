"""Registration pages: the public form's POST, the private token pages (confirm, cancel, status) and the
organizer's list and CSV of an event's registrations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from cities.selectors import get_city_for_organizer
from events import retention, services
from events.enums import AccessNeed, RegistrationStatus
from events.models import Event, Registration
from events.registration_forms import RegistrationForm
from events.selectors import registration_closed_reason
from portal.headers import private_link_page
from portal.ratelimit import over_limit
from portal.spreadsheets import csv_response

# --- The public form --------------------------------------------------------------------------------------


def _form_page(request: HttpRequest, event: Event, form: RegistrationForm, status: int = 200) -> HttpResponse:
    context = {"event": event, "form": form, "closed_reason": registration_closed_reason(event)}
    return render(request, "events/registration_form_page.html", context, status=status)


# The form sits in the (cacheable) public event page, which therefore holds no CSRF token. Registering needs no
# session and nothing happens without the emailed confirmation (double opt-in); the honeypot and the rate limit
# brake abuse. Like the language switch, this public form is exempt.
@csrf_exempt
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    if request.method != "POST":
        return _form_page(request, event, RegistrationForm())
    form = RegistrationForm(request.POST)
    if form.is_spam():
        # Answer as if it worked: a bot learns nothing, and nothing is stored or sent.
        return redirect("registrations:check_email", slug=event.slug)
    if over_limit(request, "event_registration"):
        messages.error(request, _("Too many registrations from your connection in the last hour. Please try later."))
        return _form_page(request, event, form, status=429)
    if not form.is_valid():
        return _form_page(request, event, form, status=400)
    try:
        services.register(event, language=get_language(), **form.registration_fields())
    except services.RegistrationError as exc:
        form.add_error(None, str(exc))
        return _form_page(request, event, form, status=400)
    return redirect("registrations:check_email", slug=event.slug)


def check_email(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    return render(request, "events/registration_check_email.html", {"event": event})


# --- Private token pages ----------------------------------------------------------------------------------


def _by_token(token: str) -> Registration:
    """The registration a private link names; erased ones are gone for their link too (404)."""
    registration = Registration.objects.select_related("event").filter(token=token, anonymised_at__isnull=True).first()
    if registration is None or not token:
        raise Http404("No such registration")
    return registration


@private_link_page
def detail(request: HttpRequest, token: str) -> HttpResponse:
    """The registrant's own page: status, place, and (confirmed only) the online join link."""
    registration = _by_token(token)
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "event_url": services.event_url(event),
        "show_join_link": registration.status == RegistrationStatus.CONFIRMED and bool(event.online_url),
    }
    return render(request, "events/registration_detail.html", context)


@private_link_page
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a Confirm button (mail scanners fetch links; they must not confirm); POST confirms."""
    registration = _by_token(token)
    if request.method == "POST":
        try:
            registration = services.confirm(registration)
        except services.RegistrationError as exc:
            messages.error(request, str(exc))
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, _("You're registered. We have emailed you the details."))
            elif registration.status == RegistrationStatus.WAITLISTED:
                messages.info(request, _("The event is full: you are on the waiting list. We will email you."))
        return redirect("registrations:detail", token=registration.token)
    return render(request, "events/registration_confirm.html", {"registration": registration})


@private_link_page
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a Cancel button; POST cancels (and frees the seat for the waiting list)."""
    registration = _by_token(token)
    if request.method == "POST":
        if registration.status != RegistrationStatus.CANCELLED:
            services.cancel(registration)
            messages.success(request, _("Your registration is cancelled."))
        return redirect("registrations:detail", token=registration.token)
    return render(request, "events/registration_cancel.html", {"registration": registration})


@private_link_page
def erase(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks; POST cancels the registration if it is active and erases the person's details (events.retention)."""
    registration = _by_token(token)
    if request.method == "POST":
        retention.erase_registration(registration)
        return render(request, "events/registration_erased.html", {"event": registration.event})
    return render(request, "events/registration_cancel.html", {"registration": registration, "erase": True})


# --- Organizer pages --------------------------------------------------------------------------------------


def _organizer_event(request: HttpRequest, slug: str, event_id: int) -> tuple:
    """The city (404 outside its team) and one of the events it hosts (404 for anyone else's)."""
    city, _membership = get_city_for_organizer(request.user, slug)
    event = get_object_or_404(Event, pk=event_id, host_city=city)
    return city, event


@login_required
def organize_list(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    city, event = _organizer_event(request, slug, event_id)
    registrations = list(Registration.objects.filter(event=event).order_by("created_at", "pk"))
    labels = dict(AccessNeed.choices)
    for registration in registrations:
        registration.access_labels = [str(labels.get(need, need)) for need in registration.access_needs or []]
    counts = dict.fromkeys(RegistrationStatus.values, 0)
    for registration in registrations:
        counts[registration.status] += 1
    context = {
        "city": city,
        "event": event,
        "registrations": registrations,
        "counts": counts,
        "with_needs": sum(1 for r in registrations if r.access_needs or r.access_note),
    }
    return render(request, "events/registration_organize_list.html", context)


@login_required
def organize_csv(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    city, event = _organizer_event(request, slug, event_id)
    labels = dict(AccessNeed.choices)
    header = [
        _("Status"),
        _("Name"),
        _("Email"),
        _("Organisation"),
        _("City"),
        _("Access needs"),
        _("Access note"),
        _("Registered at"),
        _("Confirmed at"),
    ]
    rows = [
        [
            r.get_status_display(),
            r.name,
            r.email,
            r.organisation,
            r.city_name,
            "; ".join(str(labels.get(need, need)) for need in r.access_needs or []),
            r.access_note,
            r.created_at.isoformat(),
            r.confirmed_at.isoformat() if r.confirmed_at else "",
        ]
        for r in Registration.objects.filter(event=event).order_by("created_at", "pk")
    ]
    return csv_response(f"registrations-{event.slug}.csv", [header, *rows])
