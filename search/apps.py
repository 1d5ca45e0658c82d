from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from portal.registry import periodic_jobs
        from search import signals
        from search.services import refresh_reports

        signals.connect()
        periodic_jobs.register("search_reports", refresh_reports)
