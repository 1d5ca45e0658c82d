from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from cities.models import City
from cities.selectors import memberships_of


def directory(request: HttpRequest) -> HttpResponse:
    cities = City.objects.active().prefetch_related("priorities")
    return render(request, "cities/directory.html", {"cities": cities})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City.objects.prefetch_related("priorities"), slug=slug)
    return render(request, "cities/detail.html", {"city": city})


@login_required
def organize(request: HttpRequest) -> HttpResponse:
    memberships = memberships_of(request.user).order_by("city__name")
    return render(request, "cities/organize.html", {"memberships": memberships})
