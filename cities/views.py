from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts.adapter import remember_return_path
from cities import services
from cities.enums import Role
from cities.forms import CityRequestForm, DirectoryFilterForm, GetInvolvedForm, InviteForm, place_choices
from cities.models import City, GetInvolvedRequest, Invitation, Membership
from cities.registry import CITY_PAGE, DIRECTORY, ORGANIZE, city_facts, city_panels
from cities.selectors import (
    city_page_scope,
    directory_cities,
    get_city_for_organizer,
    memberships_of,
    public_city,
    team_of,
)
from cities.usmap import STATES_FILE, render_map
from portal.cache import public_generation, public_page
from portal.headers import private_link_page
from portal.ratelimit import over_limit
from upr.enums import Audience
from upr.models import Milestone

# --- Public pages -----------------------------------------------------------------------------------------

# The map of every active city is the same for every filter and every visitor, and drawing it was most of the
# directory's time (issue 19): it is drawn once per generation of the public pages (portal/cache.py), which any
# committed change to a City draws anew, so a new, moved or hidden city is on the next page, cached or not.
MAP_CACHE_SECONDS = 24 * 60 * 60


def active_cities_map(request: HttpRequest) -> SafeString:
    key = f"cities-map:{public_generation(request)}:{get_language()}"
    svg = cache.get(key)
    if svg is None:
        cities = City.objects.active().only("name", "state", "slug", "latitude", "longitude")
        svg = str(
            render_map(cities, title=_("Map of the human rights cities taking part"), states_href=static(STATES_FILE))
        )
        cache.set(key, svg, MAP_CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 - render_map's own escaped markup, stored as a plain string


@public_page(form=DirectoryFilterForm)
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    cities = list(directory_cities(**filters))
    facts = city_facts.compute(DIRECTORY, cities)
    rows = [(city, facts[city.pk]) for city in cities]
    return render(
        request,
        "cities/directory.html",
        {
            "form": form,
            "rows": rows,
            "columns": city_facts.for_place(DIRECTORY),
            "map": active_cities_map(request),
        },
    )


def _city_page(request: HttpRequest, city: City, form: GetInvolvedForm, status: int = 200) -> HttpResponse:
    progress = city_facts.compute(CITY_PAGE, [city])[city.pk]
    panels = city_panels.render(city, request)
    return render(
        request,
        "cities/detail.html",
        {"city": city, "form": form, "progress": progress, "panels": panels},
        status=status,
    )


@public_page(scope=city_page_scope)
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _city_page(request, public_city(slug), GetInvolvedForm())


# Anonymous public forms act on nobody's authority (no session, no account): a forged cross-site post can do no
# more than a direct one, which the honeypot and the rate limit already meter. Without a CSRF token in the form,
# the pages that hold these forms can be cached for everyone (portal/cache.py).
@csrf_exempt
@require_POST
def get_involved(request: HttpRequest, slug: str) -> HttpResponse:
    city = public_city(slug)
    form = GetInvolvedForm(request.POST)
    if form.is_spam():
        # Answer as if it worked: a bot learns nothing, and nothing is stored or sent.
        messages.success(request, _("Thank you! The organizers will be in touch."))
        return redirect(city)
    if over_limit(request, "get_involved"):
        messages.error(request, _("Too many messages from your connection in the last hour. Please try again later."))
        return _city_page(request, city, form, status=429)
    if not form.is_valid():
        return _city_page(request, city, form, status=400)
    data = form.cleaned_data
    services.record_get_involved(
        city,
        language=get_language(),
        name=data["name"],
        email=data["email"],
        help_with=data["help_with"],
        message=data["message"],
    )
    messages.success(request, _("Thank you! The %(city)s organizers will be in touch.") % {"city": city.name})
    return redirect(city)


@csrf_exempt  # see get_involved
@public_page(query=("state",))
def join(request: HttpRequest) -> HttpResponse:
    form = CityRequestForm(request.POST or None, initial={"state": request.GET.get("state", "")})
    status = 200
    if request.method == "POST":
        if form.is_spam():
            return redirect("cities:join_thanks")
        if over_limit(request, "city_request"):
            messages.error(request, _("Too many requests from your connection in the last hour. Please try later."))
            status = 429
        elif form.is_valid():
            services.submit_city_request(language=get_language(), **form.request_fields())
            return redirect("cities:join_thanks")
        else:
            status = 400
    return render(request, "cities/join.html", {"form": form}, status=status)


def join_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "cities/join_thanks.html")


@require_GET
def join_places(request: HttpRequest) -> HttpResponse:
    """htmx: the <option>s of the city list for the chosen state."""
    choices = place_choices((request.GET.get("state") or "").upper()[:2])
    return render(request, "cities/_place_options.html", {"choices": choices})


# --- Organizer pages --------------------------------------------------------------------------------------


@login_required
def organize(request: HttpRequest) -> HttpResponse:
    memberships = list(memberships_of(request.user).order_by("city__name"))
    cities = [m.city for m in memberships]
    needs = city_facts.compute(ORGANIZE, cities)
    milestone = (
        Milestone.objects.upcoming()
        .filter(audience__in=[Audience.EVERYONE, Audience.ORGANIZERS])
        .select_related("cycle")
        .first()
    )
    return render(
        request,
        "cities/organize.html",
        {
            "rows": [(m, needs[m.city.pk]) for m in memberships],
            "milestone": milestone,
            "days_left": milestone.days_left() if milestone else None,
        },
    )


@login_required
def team(request: HttpRequest, slug: str) -> HttpResponse:
    city, membership = get_city_for_organizer(request.user, slug)
    is_coordinator = membership.role == Role.COORDINATOR
    form = InviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not is_coordinator:
            raise PermissionDenied(_("Only the city's coordinators can invite people."))
        if form.is_valid():
            try:
                services.invite(city, form.cleaned_data["email"], form.cleaned_data["role"], by=request.user)
            except services.TeamError as exc:
                form.add_error("email", str(exc))
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
                return redirect("cities:team", slug=city.slug)
        status = 400
    return render(
        request,
        "cities/team.html",
        {
            "city": city,
            "membership": membership,
            "is_coordinator": is_coordinator,
            "form": form,
            "members": team_of(city),
            "invitations": Invitation.objects.open().filter(city=city).select_related("invited_by"),
            # Requesters' names and addresses are for those who decide (the coordinators).
            "join_requests": list(services.pending_team_requests(city)) if is_coordinator else [],
        },
        status=status,
    )


def _city_for_coordinator(request: HttpRequest, slug: str) -> City:
    """404 for anyone outside the team (get_city_for_organizer), 403 for team members who are not coordinators."""
    city, membership = get_city_for_organizer(request.user, slug)
    if membership.role != Role.COORDINATOR:
        raise PermissionDenied(_("Only the city's coordinators can change the team."))
    return city


@login_required
@require_POST
def remove_member(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    city = _city_for_coordinator(request, slug)
    target = get_object_or_404(Membership, pk=membership_id, city=city)
    try:
        services.remove_member(target, by=request.user)
    except services.TeamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(person)s is no longer on the team.") % {"person": target.user})
    if target.user_id == request.user.pk:
        return redirect("cities:organize")
    return redirect("cities:team", slug=city.slug)


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    city = _city_for_coordinator(request, slug)
    invitation = get_object_or_404(Invitation, pk=invitation_id, city=city)
    services.revoke_invitation(invitation)
    messages.success(request, _("The invitation to %(email)s was cancelled.") % {"email": invitation.email})
    return redirect("cities:team", slug=city.slug)


@login_required
@require_POST
def decide_join_request(request: HttpRequest, slug: str, request_id: int, decision: str) -> HttpResponse:
    """A coordinator approves (the requester is invited as an organizer) or declines a request to join the team."""
    city = _city_for_coordinator(request, slug)
    city_request = get_object_or_404(services.pending_team_requests(city), pk=request_id)
    try:
        services.decide_team_request(city_request, by=request.user, approve=decision == "approve")
    except services.TeamError as exc:
        messages.error(request, str(exc))
    else:
        done = (
            _("%(name)s was invited to the team as an organizer.")
            if decision == "approve"
            else _("The request from %(name)s was declined; they were told.")
        )
        messages.success(request, done % {"name": city_request.contact_name})
    return redirect("cities:team", slug=city.slug)


@login_required
def requests(request: HttpRequest, slug: str) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    offers = GetInvolvedRequest.objects.filter(city=city).select_related("handled_by")
    return render(request, "cities/requests.html", {"city": city, "offers": offers})


@login_required
@require_POST
def handle_request(request: HttpRequest, slug: str, offer_id: int) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    offer = get_object_or_404(GetInvolvedRequest, pk=offer_id, city=city)
    services.mark_handled(offer, by=request.user)
    return redirect("cities:requests", slug=city.slug)


@private_link_page
def offer(request: HttpRequest, token: str) -> HttpResponse:
    """The resident's private link to their offer to help: GET shows it with a Delete button (mail scanners fetch
    links; they must not delete), POST deletes it."""
    found = services.offer_from_token(token)
    if found is None:
        raise Http404("No such offer")
    if request.method == "POST":
        services.delete_offer(found)
        return render(request, "cities/offer.html", {"deleted": True, "city": found.city})
    return render(request, "cities/offer.html", {"offer": found, "city": found.city})


@private_link_page
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link may see whose team it is for; accepting needs the invited address's own account (sign
    up or log in with it, verified). Another signed-in account is refused (403) and the invitation stays open."""
    found = services.invitation_from_token(token)
    if found is None:
        return render(request, "cities/invitation_invalid.html", status=404)
    context = {"invitation": found, "now": timezone.now()}
    if request.user.is_authenticated and not services.is_addressee(found, request.user):
        context["wrong_account"] = True
        context["unverified"] = request.user.email.lower() == found.email.lower()
        return render(request, "cities/invitation.html", context, status=403)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.accept_invitation(found, request.user)
        except services.TeamError as exc:
            messages.error(request, str(exc))
            return redirect("cities:organize")
        messages.success(request, _("Welcome to the %(city)s team!") % {"city": found.city.name})
        return redirect("cities:organize")
    if not request.user.is_authenticated:
        remember_return_path(request, request.path)
    return render(request, "cities/invitation.html", context)
