from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from portal.cache import invalidate_on_change
        from reports import erasure, printing, reminders
        from reports.models import ReportVersion
        from testimony.signals import testimony_withdrawn

        # City pages show the accepted version; drafts (LocalReport) reach no cached page, so saving one does not
        # empty the page cache.
        invalidate_on_change(ReportVersion)
        # Withdrawal erases the words everywhere reports copied them, in the same transaction.
        testimony_withdrawn.connect(erasure.on_testimony_withdrawn, dispatch_uid="reports.erase_withdrawn_words")
        printing.register()
        from cities.registry import ORGANIZE, city_facts
        from reports.selectors import report_status_labels

        city_facts.register(
            "local_report",
            _("local report"),
            report_status_labels,
            places=[ORGANIZE],
            order=40,
            url_name="reports:edit",
        )
        reminders.register()
        from portal.registry import periodic_jobs
        from reports.rendering import hand_over_stranded_renders

        periodic_jobs.register("render_handover", hand_over_stranded_renders)
        from cities.registry import city_panels
        from reports.selectors import published_version

        # The city page's "local report" panel (cities never imports reports).
        city_panels.register(
            "local_report", "reports/_city_report.html", lambda city: {"version": published_version(city)}, order=10
        )
        from reports.selectors import published_versions_citing
        from resources.registry import resource_panels

        # A resource's page lists the published local reports citing it (resources never imports reports).
        resource_panels.register(
            "cited_by",
            "reports/_resource_cited_by.html",
            lambda resource: {"versions": published_versions_citing(resource)},
            order=10,
        )
