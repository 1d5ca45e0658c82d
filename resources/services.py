"""Changes to the resources library."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from resources.enums import ResourceStatus
from resources.files import detect
from resources.models import Resource


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:100] or "resource"
    slug, n = base, 2
    taken = Resource.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def attach_file(resource: Resource, upload: UploadedFile) -> None:
    """Check the upload's bytes (resources.files.detect, which raises ValidationError) and keep the real type,
    which the file is served with."""
    found = detect(upload)
    resource.file_content_type = found.content_type
    stem = slugify((upload.name or "file").rsplit(".", 1)[0])[:60] or "file"
    upload.name = f"{stem}.{found.extension}"
    resource.file = upload


@transaction.atomic
def suggest_resource(resource: Resource, *, by, themes, upload: UploadedFile | None = None) -> Resource:
    """An organizer's suggestion: stored as SUGGESTED (not public: resources.selectors) with who suggested it, its
    themes and its checked file, all or nothing. The national team publishes it in the admin (`publish`)."""
    resource.status = ResourceStatus.SUGGESTED
    resource.suggested_by = by
    resource.slug = unique_slug(resource.title)
    if upload is not None:
        attach_file(resource, upload)
    resource.full_clean()
    resource.save()
    resource.themes.set(themes)
    return resource


@transaction.atomic
def publish(resources) -> int:
    """Publish suggestions (the admin's action): each becomes public at once and records when."""
    count = 0
    for resource in resources:
        if resource.status != ResourceStatus.PUBLISHED:
            resource.status = ResourceStatus.PUBLISHED
            resource.published_at = timezone.now()
            # save(), not update(): the page cache and the search index follow saves (their signal receivers).
            resource.save(update_fields=["status", "published_at"])
            count += 1
    return count
