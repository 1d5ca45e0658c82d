"""Resource files live outside MEDIA_URL: a suggested resource is not public, so its file goes out only through
`resources:file`, which serves published resources only (resources.selectors)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class ResourceStorage(FileSystemStorage):
    """FileSystemStorage under PRIVATE_MEDIA_ROOT/resources, read at use (tests move it), with no URL."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return os.path.join(settings.PRIVATE_MEDIA_ROOT, "resources")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def resource_storage() -> ResourceStorage:
    return ResourceStorage()
