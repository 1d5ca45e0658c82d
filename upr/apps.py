from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UprConfig(AppConfig):
    name = "upr"
    verbose_name = _("UN review")

    def ready(self) -> None:
        from portal.cache import invalidate_on_change
        from portal.registry import home_stats
        from upr.models import (
            AffectedGroup,
            Milestone,
            Recommendation,
            RecommendationCluster,
            ReviewCycle,
            SustainableDevelopmentGoal,
            Theme,
        )

        # Read by the home page, the UN review page and the recommendation list (imports included).
        invalidate_on_change(
            Theme,
            ReviewCycle,
            Milestone,
            Recommendation,
            AffectedGroup,
            SustainableDevelopmentGoal,
            RecommendationCluster,
        )

        home_stats.register(
            "recommendations", _("UN recommendations to the US tracked"), Recommendation.objects.count, order=90
        )
