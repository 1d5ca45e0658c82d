"""Public testimony pages. Every row comes from `public_testimony()`: nothing beyond consent (DESIGN.md section 5)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from portal.cache import public_page
from portal.links import embed_url, safe_link
from testimony import media
from testimony.models import AccessLog
from testimony.public_forms import PublicTestimonyFilterForm
from testimony.selectors import filter_public_testimony, public_testimony, testimony_visible_to

PAGE_SIZE = 20


@public_page(form=PublicTestimonyFilterForm, query=("page",))
def testimony_list(request: HttpRequest) -> HttpResponse:
    form = PublicTestimonyFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    page = Paginator(filter_public_testimony(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "testimony/public_list.html", {"form": form, "page": page, "querystring": query.urlencode()})


@public_page
def testimony_detail(request: HttpRequest, pk: int) -> HttpResponse:
    testimony = public_testimony().filter(pk=pk).first()
    if testimony is None:
        raise Http404("No such testimony")
    file_url = reverse("testimony:media", kwargs={"pk": testimony.pk}) if testimony.media_file else ""
    return render(
        request,
        "testimony/public_detail.html",
        {
            "testimony": testimony,
            "file_url": file_url,
            "file_kind": media.file_kind(testimony.media_file.name) if file_url else "",
            "embed_url": embed_url(testimony.media_link),
            "link_url": safe_link(testimony.media_link),
        },
    )


def testimony_media(request: HttpRequest, pk: int) -> FileResponse:
    """A testimony's file: to anyone while consent allows it on the portal; otherwise only to the organizers of its
    city (each such view is logged as an opening of private testimony). 404 for everyone else."""
    testimony = public_testimony().filter(pk=pk).first()
    if testimony is None and request.user.is_authenticated:
        testimony = testimony_visible_to(request.user).filter(pk=pk).first()
        if testimony is not None:
            AccessLog.objects.create(testimony=testimony, user=request.user)
    if testimony is None or not testimony.media_file:
        raise Http404("No such file")
    response = FileResponse(testimony.media_file.open("rb"))
    # Never kept by shared caches: consent can be withdrawn at any moment.
    patch_cache_control(response, private=True, no_store=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response
