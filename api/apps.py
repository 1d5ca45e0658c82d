from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The JSON API, the open-data downloads, the feeds and the sitemap: public surfaces that read only the owning
    apps' public selectors, so that what is public is decided once, in the app that owns the data."""

    name = "api"
    verbose_name = _("Open data and API")
