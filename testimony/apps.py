from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestimonyConfig(AppConfig):
    name = "testimony"
    verbose_name = _("Testimony")

    def ready(self) -> None:
        from cities.registry import CITY_PAGE, DIRECTORY, ORGANIZE, city_facts
        from portal.cache import invalidate_on_change
        from portal.registry import home_stats
        from testimony import pages
        from testimony.models import ConsentText, Testimony
        from testimony.selectors import collected_counts, public_counts, waiting_counts

        # Moderation, consent, withdrawal and public versions all save the row: the pages change at once; a
        # testimony just received changes its city's page only (testimony/pages.py). A new consent wording changes
        # the stored blank testimony form (portal.cache.blank_form_page) at once.
        pages.connect()
        invalidate_on_change(ConsentText)

        home_stats.register(
            "testimony", _("testimonies shared publicly"), lambda: Testimony.objects.public().count(), order=20
        )
        city_facts.register("testimony_public", _("public testimony"), public_counts, places=[DIRECTORY], order=20)
        city_facts.register(
            "testimony_collected", _("testimony collected"), collected_counts, places=[CITY_PAGE], order=10
        )
        city_facts.register(
            "testimony_waiting",
            _("testimony waiting for moderation"),
            waiting_counts,
            places=[ORGANIZE],
            order=10,
            url_name="testimony:moderate",
        )
        from portal.registry import periodic_jobs
        from testimony.retention import delete_expired_contact_details

        periodic_jobs.register("testimony_contact_retention", delete_expired_contact_details)
        from cities.registry import city_panels
        from testimony.selectors import city_public_testimony

        # The city page's "testimony" panel (cities never imports testimony).
        city_panels.register(
            "testimony",
            "testimony/_city_testimony.html",
            lambda city: {"testimonies": city_public_testimony(city)},
            order=20,
        )
        from django.urls import reverse
        from django.utils.http import urlencode

        from indicators.registry import ThemeLine, theme_panels
        from testimony.selectors import public_counts_by_theme

        def profile_testimony(city, themes) -> dict[int, ThemeLine]:
            """Beside each theme of a city's profile: its public testimony on that theme, linked to the list."""
            counts = public_counts_by_theme(city, themes)
            link = reverse("testimony:list")
            return {
                theme.pk: ThemeLine(
                    _("public testimony on this theme"),
                    counts.get(theme.pk, 0),
                    f"{link}?{urlencode({'city': city.slug, 'theme': theme.slug})}",
                )
                for theme in themes
            }

        # The city profile's line beside each theme (indicators never imports testimony).
        theme_panels.register("testimony", profile_testimony, order=10)
