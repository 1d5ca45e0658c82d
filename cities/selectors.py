"""Reads about cities and who organizes them. Every organizer view scopes through these."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from cities.models import City, Membership


def memberships_of(user) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("city")


def cities_organized_by(user) -> QuerySet[City]:
    if not user.is_authenticated:
        return City.objects.none()
    return City.objects.filter(memberships__user=user)


def get_city_for_organizer(user, slug: str) -> tuple[City, Membership]:
    """The city and the user's membership of it; 404 (never 403) for anyone outside its team."""
    membership = memberships_of(user).filter(city__slug=slug).first()
    if membership is None:
        raise Http404("No such city among yours")
    return membership.city, membership
