from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class NationalConfig(AppConfig):
    """The national stakeholder report: compiled from the accepted local reports, checked, signed off, sent."""

    name = "national"
    verbose_name = _("National report")

    def ready(self) -> None:
        from accounts.landing import login_landings
        from national import erasure
        from national.brief import build_brief
        from national.document import build_national_report, filename
        from national.models import NationalReport
        from reports.rendering import register_document
        from testimony.signals import testimony_withdrawn

        register_document(NationalReport, "report", build_national_report, filename)
        from national import midterm
        from national.models import MidtermReport

        register_document(MidtermReport, "report", midterm.build_midterm, midterm.filename)
        register_document(
            NationalReport, "brief", build_brief, lambda report: filename(report).replace("stakeholder-report", "brief")
        )
        # Withdrawal erases the words everywhere the national report copied them, in the same transaction.
        testimony_withdrawn.connect(erasure.on_testimony_withdrawn, dispatch_uid="national.erase_withdrawn_words")
        # The national team signs in to its progress dashboard (before a city team they may also belong to); it
        # sends staff without two-factor authentication to set it up first.
        login_landings.register("national_dashboard", national_team_landing, order=10)
        from national.services import delete_old_contact_messages
        from portal.registry import periodic_jobs

        periodic_jobs.register("contact_message_retention", delete_old_contact_messages)


def national_team_landing(user) -> str | None:
    from national.views import VIEW_PERMISSION

    return reverse("national:dashboard") if user.is_staff and user.has_perm(VIEW_PERMISSION) else None
