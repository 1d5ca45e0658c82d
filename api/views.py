from __future__ import annotations

import json

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from api import datasets, reference
from api.feeds import feeds
from api.sitemaps import SITEMAPS
from api.v1 import MAX_LIMIT, api
from portal.cache import public_page


@public_page
def api_reference(request: HttpRequest) -> HttpResponse:
    document = api.get_openapi_schema()
    return render(
        request,
        "api/reference.html",
        {"operations": reference.operations(document), "title": document["info"]["title"], "max_limit": MAX_LIMIT},
    )


@public_page
def open_data(request: HttpRequest) -> HttpResponse:
    files = [(dataset, datasets.built(dataset, request)) for dataset in datasets.datasets]
    return render(
        request,
        "api/open_data.html",
        {"files": files, "license": datasets.LICENSE, "package_name": datasets.PACKAGE_NAME, "feeds": list(feeds)},
    )


def _download(content: bytes, content_type: str, filename: str, built_at=None) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if built_at is not None:
        response["Last-Modified"] = http_date(built_at.timestamp())
    # Public data, but never kept stale: a withdrawn testimony must leave every copy at once.
    patch_cache_control(response, public=True, max_age=0)
    return response


def dataset_csv(request: HttpRequest, name: str) -> HttpResponse:
    dataset = datasets.datasets.get(name)
    if dataset is None:
        raise Http404("No such dataset")
    built = datasets.built(dataset, request)
    return _download(built.content, "text/csv; charset=utf-8", dataset.filename, built.built_at)


def datapackage_json(request: HttpRequest) -> HttpResponse:
    descriptor = json.dumps(datasets.datapackage(request), indent=2, ensure_ascii=False)
    response = HttpResponse(descriptor, content_type="application/json")
    patch_cache_control(response, public=True, max_age=0)
    # Tools read the package from other sites (data portals, notebooks in the browser).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def package_zip(request: HttpRequest) -> HttpResponse:
    return _download(datasets.package_zip(request), "application/zip", f"{datasets.PACKAGE_NAME}.zip")


def feed(request: HttpRequest, key: str) -> HttpResponse:
    entry = feeds.get(key)
    if entry is None:
        raise Http404("No such feed")
    return _cached_feeds[key](request)


# Each feed a cached public page (portal.cache): its own generation key follows every change of what it shows.
_cached_feeds = {entry.key: public_page(entry.feed()) for entry in feeds}


@public_page
def sitemap(request: HttpRequest) -> HttpResponse:
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS)


ROBOTS_DISALLOW = [
    # Organizers' pages, the admin and sign-in pages are for people with accounts, not for indexes.
    "/organize/",
    "/admin/",
    "/accounts/",
    # Private links: each holds a secret that must never be indexed or followed from an index.
    "/testimony/mine/",
    "/events/registration/",
    "/sign-off/",
    "/offers/",
    "/invitations/",
    "/email/stop/",
    "/i18n/",
]


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
