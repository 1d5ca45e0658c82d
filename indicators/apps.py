from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from cities.registry import city_panels
        from indicators.models import Indicator, IndicatorValue, MetroMatch
        from indicators.selectors import city_profile_panel
        from portal.cache import invalidate_on_change

        # The profile, compare and city pages show these.
        invalidate_on_change(Indicator, IndicatorValue, MetroMatch)
        # The city page's "profile" panel (cities never imports indicators).
        city_panels.register("indicators", "indicators/_city_panel.html", city_profile_panel, order=40)
        from cities.registry import ORGANIZE, city_facts
        from indicators.selectors import local_value_counts

        city_facts.register(
            "indicator_values",
            _("local figures and facts on the profile"),
            local_value_counts,
            places=[ORGANIZE],
            order=60,
            url_name="indicators:organize",
        )
