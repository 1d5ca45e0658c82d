from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The project's own wiring as an app, for the site's pages and `load_demo`. No model, and no app imports it."""

    name = "uprcities"
    verbose_name = _("Site")
