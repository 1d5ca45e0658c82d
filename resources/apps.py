from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("Resources library")

    def ready(self) -> None:
        from portal.cache import invalidate_on_change
        from resources.models import Resource

        # The library's pages read resources (and their themes).
        invalidate_on_change(Resource)
