from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The project package as an app: home and about pages, the beat tick, load_demo, deploy checks."""

    name = "uprcities"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from uprcities import checks  # noqa: F401  (registers the deploy checks)
        from uprcities.mail import delete_old_outgoing_email, hand_over_pending
        from uprcities.periodic import clear_expired_sessions
        from uprcities.registry import periodic_jobs

        periodic_jobs.register("clear_expired_sessions", clear_expired_sessions)
        # Emails the broker did not take (down at commit) or a killed worker never sent (uprcities.mail).
        periodic_jobs.register("hand_over_outgoing_email", hand_over_pending)
        periodic_jobs.register("delete_old_outgoing_email", delete_old_outgoing_email)
