from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and webinars")

    def ready(self) -> None:
        from events.selectors import events_held_count
        from uprcities.registry import home_stats

        home_stats.register("events", _("events held"), events_held_count, order=30)
