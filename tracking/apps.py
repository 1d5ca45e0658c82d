from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = _("Tracking of recommendations")

    def ready(self) -> None:
        from cities.registry import ORGANIZE, city_facts, city_panels
        from portal.cache import invalidate_on_change
        from testimony.signals import testimony_withdrawn
        from tracking import services
        from tracking.models import Evidence, Office, Reply, StatusUpdate, TrackedItem
        from tracking.selectors import city_scorecard_summary, tracked_counts

        # Scorecards, the network grid and the city page's panel read all of these.
        invalidate_on_change(TrackedItem, StatusUpdate, Evidence, Reply, Office)
        # Withdrawal erases the words quoted as evidence, in the withdrawal's transaction.
        testimony_withdrawn.connect(services.on_testimony_withdrawn, dispatch_uid="tracking.erase_withdrawn_words")
        # The city page's scorecard summary (cities never imports tracking).
        city_panels.register("scorecard", "tracking/_city_panel.html", city_scorecard_summary, order=25)
        from portal.optout import optional_emails
        from portal.registry import periodic_jobs
        from tracking import digests, reminders

        optional_emails.register(digests.DIGEST_KIND, digests.DIGEST_LABEL)
        optional_emails.register(reminders.STALE_KIND, reminders.STALE_LABEL)
        optional_emails.register(reminders.REPLY_KIND, reminders.REPLY_LABEL)
        periodic_jobs.register("tracking_digests", digests.send_digests)
        periodic_jobs.register("tracking_stale_reminders", reminders.send_stale_reminders)
        periodic_jobs.register("tracking_reply_due_reminders", reminders.send_reply_due_reminders)
        from cities.models import City
        from reports.rendering import register_document
        from tracking import brief

        register_document(City, brief.BRIEF, brief.build_brief, brief.brief_filename)
        register_document(City, brief.ANNEX, brief.build_annex, brief.annex_filename)
        city_facts.register(
            "tracked",
            _("recommendations tracked"),
            tracked_counts,
            places=[ORGANIZE],
            order=50,
            url_name="tracking:board",
        )
        from django.urls import reverse
        from django.utils.http import urlencode

        from indicators.registry import ThemeLine, theme_panels
        from tracking.selectors import NOT_ASSESSED, STATUS_ORDER, not_assessed_label, status_by_theme

        def profile_tracking(city, themes) -> dict[int, ThemeLine]:
            """Beside each theme of a city's profile: the recommendations it tracks on the theme and where they
            stand, linked to its scorecard filtered by the theme."""
            counts = status_by_theme(city, themes)
            labels = {s.value: s.label for s in STATUS_ORDER} | {NOT_ASSESSED: not_assessed_label()}
            link = reverse("tracking:scorecard", kwargs={"slug": city.slug})
            lines = {}
            for theme in themes:
                by_status = counts.get(theme.pk, {})
                detail = ", ".join(
                    f"{by_status[status]} {str(labels[status]).lower()}"
                    for status in [*labels]
                    if by_status.get(status)
                )
                lines[theme.pk] = ThemeLine(
                    _("recommendations tracked on this theme"),
                    sum(by_status.values()),
                    f"{link}?{urlencode({'theme': theme.slug})}",
                    detail,
                )
            return lines

        # The city profile's line beside each theme (indicators never imports tracking).
        theme_panels.register("tracking", profile_tracking, order=20)
