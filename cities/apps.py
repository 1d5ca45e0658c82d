from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CitiesConfig(AppConfig):
    name = "cities"
    verbose_name = _("Cities")

    def ready(self) -> None:
        from cities.models import City
        from cities.registry import ORGANIZE, city_facts
        from cities.selectors import new_get_involved_counts
        from portal.cache import invalidate_on_change
        from portal.registry import home_stats

        # The directory, city pages and the home map; teams and requests reach no public page.
        invalidate_on_change(City)
        home_stats.register("cities", _("participating cities"), lambda: City.objects.active().count(), order=10)
        city_facts.register(
            "new_get_involved",
            _("new offers to help"),
            new_get_involved_counts,
            places=[ORGANIZE],
            order=50,
            url_name="cities:requests",
        )
        from cities.retention import delete_expired_requests
        from portal.registry import periodic_jobs

        periodic_jobs.register("cities_request_retention", delete_expired_requests)
        from accounts.landing import login_landings

        # An organizer signs in to their own to-do list, not the public home page.
        login_landings.register("organizer_home", organizer_landing, order=20)


def organizer_landing(user) -> str | None:
    from cities.selectors import memberships_of

    return reverse("cities:organize") if memberships_of(user).exists() else None
