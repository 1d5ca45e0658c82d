"""The portal's urls plus /bench/baseline/: a one-line template rendered with no database, the yardstick of
`make bench-http`. Mounted only by bench/http_settings.py; the portal itself never serves it."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from uprcities.urls import handler500
from uprcities.urls import urlpatterns as portal_urlpatterns

__all__ = ["handler500", "urlpatterns"]

BASELINE = engines["django"].from_string("<!DOCTYPE html><html lang=en><title>{{ title }}</title><h1>{{ title }}</h1>")


def baseline(request):
    return HttpResponse(BASELINE.render({"title": "Baseline"}))


urlpatterns = [path("bench/baseline/", baseline), *portal_urlpatterns]
