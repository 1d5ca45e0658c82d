from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UprConfig(AppConfig):
    name = "upr"
    verbose_name = _("UN review")

    def ready(self) -> None:
        from upr.models import Recommendation
        from uprcities.registry import home_stats

        home_stats.register(
            "recommendations", _("UN recommendations to the US tracked"), Recommendation.objects.count, order=90
        )
