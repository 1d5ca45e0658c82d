from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and webinars")

    def ready(self) -> None:
        from cities.registry import CITY_PAGE, DIRECTORY, ORGANIZE, city_facts
        from events.models import Event, EventSpeaker, Registration, Speaker
        from events.selectors import events_held_count, held_counts, registration_page_scope, upcoming_counts
        from portal.cache import invalidate_on_change
        from portal.registry import home_stats

        # Event and webinar pages, feeds and city pages.
        invalidate_on_change(Event, Speaker, EventSpeaker)
        # The seats left change with every registration and show on the event's own pages only: a registration
        # makes those stale at once, and leaves every other cached page as it is.
        invalidate_on_change(Registration, scope=registration_page_scope)

        home_stats.register("events", _("events held"), events_held_count, order=30)
        city_facts.register("events_held", _("events held"), held_counts, places=[DIRECTORY, CITY_PAGE], order=30)
        city_facts.register(
            "events_upcoming",
            _("upcoming events"),
            upcoming_counts,
            places=[ORGANIZE],
            order=30,
            url_name="events:organize_list",
        )
        from events.services import send_due_event_reminders
        from portal.registry import periodic_jobs

        periodic_jobs.register("event_reminders", send_due_event_reminders)
        from events.retention import anonymise_past_registrations, delete_past_delegates

        periodic_jobs.register("registration_retention", anonymise_past_registrations)
        periodic_jobs.register("delegate_retention", delete_past_delegates)
        from cities.registry import city_panels
        from events.selectors import city_events_panel

        # The city page's "events" panel (cities never imports events).
        city_panels.register("events", "events/_city_events.html", city_events_panel, order=30)
