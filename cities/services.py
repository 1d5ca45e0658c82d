"""Changes to cities, their teams and the requests around them. Each function says every step it owns."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.selectors import has_verified_address
from cities import geo
from cities.enums import CityStatus, RequestKind, RequestStatus, Role
from cities.models import City, CityRequest, GetInvolvedRequest, Invitation, Membership
from cities.selectors import organizer_emails
from portal.mail import send_templated_email

INVITATION_SALT = "cities.invitation"


class TeamError(Exception):
    """A team change that is not allowed; the message is for the person who tried."""


# --- Joining the project -------------------------------------------------------------------------------


def _existing_city(name: str, state: str) -> City | None:
    return City.objects.filter(name__iexact=name, state=state).first()


def coordinators_of(city: City) -> list:
    return [m.user for m in Membership.objects.filter(city=city, role=Role.COORDINATOR).select_related("user")]


def submit_city_request(*, language: str, **fields) -> CityRequest:
    """Store the request; email whoever decides it and a receipt to the requester (after commit).

    For a city new to the project the national team decides. For a city that already exists (an exploring city
    the form lets through) the request is one to join its team (`route_to_team`).
    """
    city = _existing_city(fields["city_name"], fields["state"])
    request = CityRequest.objects.create(language=language, **fields)
    if city is not None:
        route_to_team(request, city)
        return request
    send_templated_email("city_request_received", [settings.NATIONAL_TEAM_EMAIL], {"req": request})
    send_templated_email("city_request_receipt", [request.contact_email], {"req": request}, language=language)
    return request


def route_to_team(city_request: CityRequest, city: City) -> None:
    """Make the request one to join `city`'s team (kind JOIN_TEAM, city set); email the city's coordinators (or the
    national team if it has none) and a receipt to the requester (after commit).

    The requester never becomes coordinator this way: whoever brought a city in would otherwise hand its
    testimony queue and contact details to anyone who later asked to "bring in" the same city.
    """
    CityRequest.objects.filter(pk=city_request.pk).update(kind=RequestKind.JOIN_TEAM, city=city)
    city_request.kind, city_request.city = RequestKind.JOIN_TEAM, city
    coordinators = [user.email for user in coordinators_of(city)]
    if coordinators:
        url = reverse("cities:team", args=[city.slug])
    else:
        url = reverse("admin:cities_cityrequest_change", args=[city_request.pk])
    context = {"req": city_request, "city": city, "url": settings.SITE_URL + url, "national_team": not coordinators}
    deciders = coordinators or [settings.NATIONAL_TEAM_EMAIL]
    send_templated_email("team_request_received", deciders, context)
    send_templated_email("team_request_receipt", [city_request.contact_email], context, language=city_request.language)


def may_decide_team_request(user, city_request: CityRequest) -> bool:
    """A request to join a team is decided by the city's coordinators; by the national team if it has none."""
    if city_request.city is None:
        return False
    coordinators = coordinators_of(city_request.city)
    if coordinators:
        return any(coordinator.pk == user.pk for coordinator in coordinators)
    return bool(user.is_staff)


def pending_team_requests(city: City):
    return CityRequest.objects.filter(city=city, kind=RequestKind.JOIN_TEAM, status=RequestStatus.PENDING)


@transaction.atomic
def decide_team_request(city_request: CityRequest, *, by, approve: bool, note: str = "") -> None:
    """Decide a request to join a city's team (`may_decide_team_request` says who may): approved, the requester is
    invited as an organizer (the invitation email, after commit; never as coordinator); declined, they are told
    with the note (after commit). Either way the request is marked decided by `by`."""
    city_request = CityRequest.objects.select_for_update(of=("self",)).select_related("city").get(pk=city_request.pk)
    if city_request.kind != RequestKind.JOIN_TEAM or city_request.city is None:
        raise TeamError(_("This is not a request to join a city's team."))
    if city_request.status != RequestStatus.PENDING:
        raise TeamError(_("This request was already decided."))
    if not may_decide_team_request(by, city_request):
        raise TeamError(_("Only the city's coordinators can decide this request."))
    city_request.status = RequestStatus.APPROVED if approve else RequestStatus.DECLINED
    city_request.decided_by = by
    city_request.decided_at = timezone.now()
    city_request.decision_note = note or city_request.decision_note
    city_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        invite(city_request.city, city_request.contact_email, Role.ORGANIZER, by=by, language=city_request.language)
    else:
        send_templated_email(
            "team_request_declined",
            [city_request.contact_email],
            {"req": city_request, "city": city_request.city},
            language=city_request.language,
        )


def _unique_slug(name: str, state: str) -> str:
    base = slugify(f"{name}-{state}")[:45] or "city"
    slug, n = base, 2
    while City.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def approve_city_request(city_request: CityRequest, *, by) -> City | None:
    """The national team approves a request (the admin's action).

    - For a new city: create it, with coordinates from GeoNames; mark the request approved; invite the requester
      as the city's coordinator (email after commit). Returns the city.
    - For a city that exists (at submission, or it came in since): the requester never becomes its coordinator.
      If it has coordinators, the request goes to them (`route_to_team`, they decide on their team page) and
      None is returned; if it has none, the national team decides it here (`decide_team_request`: invited as
      an organizer) and the city is returned.
    """
    city_request = CityRequest.objects.select_for_update().get(pk=city_request.pk)
    if city_request.status != RequestStatus.PENDING:
        raise TeamError(f"This request was already {city_request.get_status_display().lower()}.")
    existing = city_request.city or _existing_city(city_request.city_name, city_request.state)
    if existing is not None:
        if city_request.kind != RequestKind.JOIN_TEAM or city_request.city_id != existing.pk:
            route_to_team(city_request, existing)
        if coordinators_of(existing):
            return None
        decide_team_request(city_request, by=by, approve=True)
        return existing
    place = None
    if city_request.geonameid:
        place = geo.place_by_id(city_request.geonameid, city_request.state)
    place = place or geo.locate(city_request.city_name, city_request.state)
    city = City.objects.create(
        name=place.name if place else city_request.city_name,
        state=city_request.state,
        slug=_unique_slug(city_request.city_name, city_request.state),
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        population=place.population if place else None,
        status=CityStatus.PARTICIPATING,
        coalition_name=city_request.coalition_name,
        source=f"Request to join of {city_request.created_at:%Y-%m-%d}",
    )
    city_request.status = RequestStatus.APPROVED
    city_request.decided_by = by
    city_request.decided_at = timezone.now()
    city_request.city = city
    city_request.save(update_fields=["status", "decided_by", "decided_at", "city"])
    invite(
        city,
        city_request.contact_email,
        Role.COORDINATOR,
        by=by,
        language=city_request.language,
        template="city_request_approved",
        extra={"req": city_request},
    )
    return city


@transaction.atomic
def decline_city_request(city_request: CityRequest, *, by, note: str = "") -> None:
    """Decline: mark the request declined with the note; tell the requester (after commit). A request to join a
    team is declined through `decide_team_request` (by the city's coordinators, if it has any)."""
    city_request = CityRequest.objects.select_for_update().get(pk=city_request.pk)
    if city_request.status != RequestStatus.PENDING:
        raise TeamError(f"This request was already {city_request.get_status_display().lower()}.")
    if city_request.kind == RequestKind.JOIN_TEAM:
        decide_team_request(city_request, by=by, approve=False, note=note)
        return
    city_request.status = RequestStatus.DECLINED
    city_request.decided_by = by
    city_request.decided_at = timezone.now()
    city_request.decision_note = note or city_request.decision_note
    city_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    send_templated_email(
        "city_request_declined", [city_request.contact_email], {"req": city_request}, language=city_request.language
    )


# --- Teams ----------------------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT, compress=True)


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("cities:invitation", kwargs={"token": invitation_token(invitation)})


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link names, or None when the link is forged, expired, used or revoked."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=dt.timedelta(days=settings.INVITATION_DAYS))
    except signing.BadSignature:
        return None
    invitation = Invitation.objects.select_related("city", "invited_by").filter(pk=pk).first()
    return invitation if invitation and invitation.is_open else None


def invite(
    city: City,
    email: str,
    role: str,
    *,
    by,
    language: str | None = None,
    template: str = "team_invitation",
    extra: dict | None = None,
) -> Invitation:
    """Invite `email` to the city's team: retire any earlier open invitation for that address, create a new one
    valid INVITATION_DAYS, and email the link (after commit)."""
    if Membership.objects.filter(city=city, user__email__iexact=email).exists():
        raise TeamError(f"{email} is already on the {city.name} team.")
    with transaction.atomic():
        Invitation.objects.filter(
            city=city, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        try:
            invitation = Invitation.objects.create(
                city=city,
                email=email,
                role=role,
                invited_by=by,
                expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_DAYS),
            )
        except IntegrityError as exc:  # a concurrent invitation to the same address won
            raise TeamError(f"{email} already has an open invitation to the {city.name} team.") from exc
    send_templated_email(
        template,
        [email],
        {
            "invitation": invitation,
            "city": city,
            "url": invitation_url(invitation),
            "by": by,
            "days": settings.INVITATION_DAYS,
            **(extra or {}),
        },
        language=language,
    )
    return invitation


def is_addressee(invitation: Invitation, user) -> bool:
    """Only the invited address may accept: whoever else holds the link (a forwarded email, a shared screen) would
    otherwise join the team and read the city's private testimony and contact details."""
    return has_verified_address(user, invitation.email)


@transaction.atomic
def accept_invitation(invitation: Invitation, user) -> Membership:
    """Accept, for the addressee only (`is_addressee`): create the membership (or raise an organizer to
    coordinator), mark the invitation used. Anyone else gets a TeamError and the invitation stays open."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise TeamError("This invitation has expired or was already used.")
    if not is_addressee(invitation, user):
        raise TeamError(
            _("This invitation was sent to %(email)s. Log in with that address (or create an account with it).")
            % {"email": invitation.email}
        )
    membership, created = Membership.objects.get_or_create(
        user=user,
        city=invitation.city,
        defaults={"role": invitation.role, "approved_by": invitation.invited_by, "approved_at": timezone.now()},
    )
    if not created and invitation.role == Role.COORDINATOR and membership.role != Role.COORDINATOR:
        membership.role = Role.COORDINATOR
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def remove_member(membership: Membership, *, by) -> None:
    """Remove someone from a team; a team never loses its last coordinator."""
    membership = Membership.objects.select_for_update().select_related("city").get(pk=membership.pk)
    if membership.role == Role.COORDINATOR:
        coordinators = Membership.objects.select_for_update().filter(city=membership.city, role=Role.COORDINATOR)
        if coordinators.count() <= 1:
            raise TeamError("A team needs at least one coordinator: make someone else coordinator first.")
    membership.delete()


def revoke_invitation(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(revoked_at=timezone.now())


# --- Residents getting involved ---------------------------------------------------------------------------


OFFER_SALT = "cities.get_involved_offer"


def offer_url(offer: GetInvolvedRequest) -> str:
    """The resident's private link to their own offer (to delete it), sent in the receipt."""
    token = signing.dumps(offer.pk, salt=OFFER_SALT, compress=True)
    return settings.SITE_URL + reverse("cities:offer", kwargs={"token": token})


def offer_from_token(token: str) -> GetInvolvedRequest | None:
    """The offer a private link names, or None when the link is forged or the offer is gone."""
    try:
        pk = signing.loads(token, salt=OFFER_SALT)
    except signing.BadSignature:
        return None
    return GetInvolvedRequest.objects.select_related("city").filter(pk=pk).first()


def delete_offer(offer: GetInvolvedRequest) -> None:
    """The resident deletes their own offer (name, address, message): the row goes, the link stops working."""
    GetInvolvedRequest.objects.filter(pk=offer.pk).delete()


def record_get_involved(city: City, *, language: str, **fields) -> GetInvolvedRequest:
    """Store the offer; email the city's organizers (or the national team if the city has none yet), with the
    resident's address as Reply-To; send the resident a receipt with the private link to delete the offer (after
    commit)."""
    offer = GetInvolvedRequest.objects.create(city=city, language=language, **fields)
    organizers = organizer_emails(city)
    send_templated_email(
        "get_involved_organizers",
        organizers or [settings.NATIONAL_TEAM_EMAIL],
        {"offer": offer, "city": city},
        reply_to=offer.email,
    )
    send_templated_email(
        "get_involved_receipt",
        [offer.email],
        {"offer": offer, "city": city, "delete_url": offer_url(offer), "days": settings.GET_INVOLVED_RETENTION_DAYS},
        language=language,
    )
    return offer


def mark_handled(offer: GetInvolvedRequest, *, by) -> None:
    GetInvolvedRequest.objects.filter(pk=offer.pk, handled_at__isnull=True).update(
        handled_at=timezone.now(), handled_by=by
    )
