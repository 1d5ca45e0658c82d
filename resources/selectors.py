"""Reads of the resources library. What is public is decided here, once: every public page, the search index and
the API start from `public_resources()`."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from resources.enums import ResourceStatus
from resources.models import Resource


def public_resources() -> QuerySet[Resource]:
    """Every resource a public place may show (published by the national team), with what a list row shows."""
    return Resource.objects.published().select_related("cycle").prefetch_related("themes")


def filter_public_resources(*, kind: str = "", theme=None, cycle=None, language: str = "") -> QuerySet[Resource]:
    resources = public_resources()
    if kind:
        resources = resources.filter(kind=kind)
    if theme is not None:
        resources = resources.filter(themes=theme)
    if cycle is not None:
        resources = resources.filter(cycle=cycle)
    if language:
        resources = resources.filter(languages__contains=f",{language},")
    return resources.order_by("-date", "title", "pk")


def public_resource(slug: str) -> Resource:
    """A published resource by its slug; 404 for anything else (a suggestion is not public, not even by URL)."""
    resource = public_resources().filter(slug=slug).first()
    if resource is None:
        raise Http404("No such resource")
    return resource


def suggestions_waiting() -> QuerySet[Resource]:
    """What organizers suggested and the national team has not yet published."""
    return Resource.objects.filter(status=ResourceStatus.SUGGESTED).order_by("created_at")
