"""Reads about cities and who organizes them. Every organizer view scopes through these."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from cities.models import City, GetInvolvedRequest, Membership


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


def directory_cities(*, q: str = "", state: str = "", status: str = "", theme=None) -> QuerySet[City]:
    """Participating cities for the public directory, filtered; priorities prefetched."""
    cities = City.objects.active().prefetch_related("priorities")
    if q:
        cities = cities.filter(Q(name__icontains=q) | Q(coalition_name__icontains=q) | Q(state__iexact=q))
    if state:
        cities = cities.filter(state=state)
    if status:
        cities = cities.filter(status=status)
    if theme is not None:
        cities = cities.filter(priorities=theme)
    return cities.order_by("name", "state")


def city_page_scope(slug: str) -> str:
    """The page-cache scope of a city's page (portal.cache): what only it shows, such as how much testimony the
    city has collected, follows it without making every other cached page stale."""
    return f"city:{slug}"


def public_city(slug: str) -> City:
    """Any city with a public page (exploring cities too: they may be looking for organizers)."""
    city = City.objects.prefetch_related("priorities").filter(slug=slug).first()
    if city is None:
        raise Http404("No such city")
    return city


def team_of(city: City) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(city=city).select_related("user").order_by("role", "user__email")
    )  # coordinators first


def organizer_emails(city: City) -> list[str]:
    """The addresses of everyone on the city's team (organizers and coordinators)."""
    return list(Membership.objects.filter(city=city).values_list("user__email", flat=True))


def new_get_involved_counts(cities) -> dict[int, int]:
    rows = (
        GetInvolvedRequest.objects.filter(city__in=cities, handled_at__isnull=True)
        .values("city")
        .annotate(n=Count("id"))
        .values_list("city", "n")
    )
    return dict(rows)


def priority_counts_by_theme(cities) -> dict[int, int]:
    """{theme id: how many of `cities` name it among their local priorities}, in one query."""
    rows = (
        City.priorities.through.objects.filter(city__in=cities)
        .values("theme")
        .annotate(n=Count("city", distinct=True))
        .values_list("theme", "n")  # type: ignore[misc]  # django-stubs cannot see annotations on a through model
    )
    return dict(rows)
