from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from reports import erasure, local, national, reminders
        from reports.models import ReportVersion
        from testimony.signals import testimony_withdrawn
        from uprcities.cache import invalidate_on_change

        # City pages show the accepted version; drafts (LocalReport) reach no cached page, so saving one does not
        # empty the page cache.
        invalidate_on_change(ReportVersion)
        # Withdrawal erases the words everywhere reports copied them, in the same transaction.
        testimony_withdrawn.connect(erasure.on_testimony_withdrawn, dispatch_uid="reports.erase_withdrawn_words")
        local.register()
        reminders.register()
        national.register()
