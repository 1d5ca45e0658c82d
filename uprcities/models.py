from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _


class ReminderLog(models.Model):
    """One row per reminder or notice sent: what, to whom, for which offset. The unique constraint, not the
    scheduler, makes each one go exactly once, whatever the worker's downtime or how many ticks run at once."""

    kind = models.CharField(_("kind"), max_length=40)  # e.g. "event_reminder", "event_change", "deadline"
    subject_key = models.CharField(_("about"), max_length=80)  # e.g. "event:12", "milestone:3:city:5"
    recipient = models.CharField(_("recipient"), max_length=254)
    offset = models.CharField(_("offset"), max_length=40)  # e.g. "24h", "7d", "sequence:3"
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder log entry")
        verbose_name_plural = _("reminder log")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_key", "recipient", "offset"],
                name="reminderlog_once",
                violation_error_message=_("This reminder was already sent."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_key} → {self.recipient} ({self.offset})"

    @classmethod
    def claim(cls, *, kind: str, subject_key: str, recipient: str, offset: str) -> bool:
        """Record the reminder; True only for the one caller that recorded it first (then it must send it)."""
        try:
            with transaction.atomic():
                cls.objects.create(kind=kind, subject_key=subject_key, recipient=recipient.lower(), offset=offset)
        except IntegrityError:
            return False
        return True


class EmailOptOut(models.Model):
    """An address that asked, with the one-click link in an email, to stop one kind of optional email (deadline
    reminders, digests). Transactional mail (sign-up, confirmations, a returned report) ignores these rows."""

    email = models.EmailField(_("email"))  # stored lower-case: addresses are compared case-insensitively
    kind = models.CharField(_("kind of email"), max_length=40)  # a key of uprcities.optout.optional_emails
    created_at = models.DateTimeField(_("stopped at"), auto_now_add=True)

    class Meta:
        verbose_name = _("email opt-out")
        verbose_name_plural = _("email opt-outs")
        ordering = ["-created_at"]
        constraints = [
            # Kind first: senders ask for every address that stopped one kind (uprcities.optout.opted_out).
            models.UniqueConstraint(
                fields=["kind", "email"],
                name="emailoptout_once",
                violation_error_message=_("This address already stopped these emails."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ✕ {self.kind}"
