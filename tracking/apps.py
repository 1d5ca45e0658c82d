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
