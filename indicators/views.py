from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cities.selectors import get_city_for_organizer, public_city
from indicators import services
from indicators.enums import READING_SYMBOLS, Kind, Origin, Reading
from indicators.exports import values_csv_response
from indicators.forms import FactForm, FigureForm
from indicators.importer import ATTRIBUTION, LICENCE, LICENCE_URL
from indicators.models import Indicator
from indicators.selectors import MAX_COMPARED, city_profile, compared_cities, csv_values, value_history
from indicators.selectors import compare as compare_cities
from portal.cache import public_page

SDSN = {"attribution": ATTRIBUTION, "licence": LICENCE, "licence_url": LICENCE_URL}


@public_page
@require_GET
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    city = public_city(slug)
    readings = [(reading, READING_SYMBOLS[reading]) for reading in Reading]
    context = {"city": city, "profile": city_profile(city), "sdsn": SDSN, "readings": readings}
    return render(request, "indicators/profile.html", context)


@public_page(query=["cities"])
@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    cities, problems = compared_cities(request.GET.get("cities", ""))
    rows, matches = compare_cities(cities) if cities else ([], {})
    context = {
        "cities": cities,
        "problems": problems,
        "rows": rows,
        "cities_and_matches": [(city, matches.get(city.pk)) for city in cities],
        "max_compared": MAX_COMPARED,
        "sdsn": SDSN,
    }
    return render(request, "indicators/compare.html", context, status=400 if problems and not cities else 200)


@require_GET
def values_csv(request: HttpRequest) -> HttpResponse:
    return values_csv_response("indicator-values.csv", csv_values())


@require_GET
def city_csv(request: HttpRequest, slug: str) -> HttpResponse:
    city = public_city(slug)
    return values_csv_response(f"indicator-values-{city.slug}.csv", csv_values([city]))


@login_required
@require_GET
def organize(request: HttpRequest, slug: str) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    return render(request, "indicators/organize.html", {"city": city, "profile": city_profile(city)})


@login_required
@require_GET
def history(request: HttpRequest, slug: str, indicator: str) -> HttpResponse:
    """Every value the city has had for one indicator, with who entered it and when it was replaced."""
    city, _membership = get_city_for_organizer(request.user, slug)
    found = get_object_or_404(Indicator, slug=indicator)
    values = value_history(city, found)
    if not values:
        raise Http404("No value of this indicator for this city")
    return render(request, "indicators/history.html", {"city": city, "indicator": found, "values": values})


@login_required
def add_value(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Record a local figure or structural fact; an earlier value for the same year stays as history."""
    city, _membership = get_city_for_organizer(request.user, slug)
    form_class = FigureForm if kind == Kind.OUTCOME else FactForm
    form = form_class(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            indicator = data.pop("indicator")
            try:
                services.record_value(indicator, city, **data, entered_by=request.user, origin=Origin.ORGANIZER)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("“%(indicator)s” for %(year)s was saved.")
                    % {"indicator": indicator.display_name, "year": data["year"]},
                )
                return redirect("indicators:organize", slug=city.slug)
        status = 400
    return render(request, "indicators/add_value.html", {"city": city, "form": form, "kind": kind}, status=status)
