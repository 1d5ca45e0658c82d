from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The ground floor every app may use: mail and the outbox, opt-outs, the claim mechanism for exactly-once
    work, registries, form mixins, the page cache, client address and rate limits, the periodic tick, backups and
    deploy checks. It imports no domain app."""

    name = "portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from portal import checks  # noqa: F401  (registers the deploy checks)
        from portal.mail import delete_old_outgoing_email, hand_over_pending
        from portal.periodic import clear_expired_sessions
        from portal.registry import periodic_jobs

        periodic_jobs.register("clear_expired_sessions", clear_expired_sessions)
        # Emails the broker did not take (down at commit) or a killed worker never sent (portal.mail).
        periodic_jobs.register("hand_over_outgoing_email", hand_over_pending)
        periodic_jobs.register("delete_old_outgoing_email", delete_old_outgoing_email)
