from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitiesConfig(AppConfig):
    name = "cities"
    verbose_name = _("Cities")

    def ready(self) -> None:
        from cities.models import City
        from uprcities.registry import home_stats

        home_stats.register("cities", _("participating cities"), lambda: City.objects.active().count(), order=10)
