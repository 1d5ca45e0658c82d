from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderLog(models.Model):
    """One claim per reminder or notice: what, to whom, for which offset (portal.claims). The unique constraint,
    not the scheduler, makes each one go exactly once, whatever the worker's downtime or how many ticks run at
    once; the claim commits with the email it stands for."""

    kind = models.CharField(_("kind"), max_length=40)  # e.g. "event_reminder", "event_change", "deadline"
    subject_key = models.CharField(_("about"), max_length=80)  # e.g. "event:12", "milestone:3:city:5"
    recipient = models.CharField(_("recipient"), max_length=254)
    offset = models.CharField(_("offset"), max_length=40)  # e.g. "24h", "7d", "sequence:3"
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)

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


class EmailOptOut(models.Model):
    """An address that asked, with the one-click link in an email, to stop one kind of optional email (deadline
    reminders, digests). Transactional mail (sign-up, confirmations, a returned report) ignores these rows."""

    email = models.EmailField(_("email"))  # stored lower-case: addresses are compared case-insensitively
    kind = models.CharField(_("kind of email"), max_length=40)  # a key of portal.optout.optional_emails
    created_at = models.DateTimeField(_("stopped at"), auto_now_add=True)

    class Meta:
        verbose_name = _("email opt-out")
        verbose_name_plural = _("email opt-outs")
        ordering = ["-created_at"]
        constraints = [
            # Kind first: senders ask for every address that stopped one kind (portal.optout.opted_out).
            models.UniqueConstraint(
                fields=["kind", "email"],
                name="emailoptout_once",
                violation_error_message=_("This address already stopped these emails."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ✕ {self.kind}"


class OutgoingEmailStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for a worker")  # written; not (yet) accepted by the broker
    HANDED_OVER = "handed_over", _("handed over to a worker")
    SENDING = "sending", _("being sent")  # claimed by one worker
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SUPPRESSED = "suppressed", _("not sent: too many emails to this address")


# The states a worker may claim a row from (portal.tasks.send_email).
CLAIMABLE_EMAIL_STATUSES = [OutgoingEmailStatus.QUEUED, OutgoingEmailStatus.HANDED_OVER]
# The states the tick looks at again: nothing was sent yet, and a worker may never get (or have got) the row.
UNFINISHED_EMAIL_STATUSES = [*CLAIMABLE_EMAIL_STATUSES, OutgoingEmailStatus.SENDING]


class OutgoingEmail(models.Model):
    """One email the portal decided to send (the transactional outbox, portal.mail).

    Written in the transaction of the change it follows, so a rolled-back change sends nothing and a committed one
    is never lost between the database and the broker: after commit the row's id is handed to a worker, and what
    the broker did not take (down, or a worker killed) the tick hands over again. The worker's claim on the row
    (`status`), not the broker, makes it go once. The bodies may hold private links, so the admin never shows them.
    """

    subject = models.CharField(_("subject"), max_length=998)  # RFC 5322's line limit
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"))
    to = models.JSONField(_("to"), default=list)  # the addresses it goes to (those under the per-address limit)
    suppressed_to = models.JSONField(_("not sent to"), default=list, blank=True)  # over the per-address limit
    reply_to = models.CharField(_("reply to"), max_length=254, blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)  # [filename, text, mimetype]
    template = models.CharField(_("email"), max_length=80, blank=True)  # the template trio's name
    # What the email is about ("registration:12"), so a sender can tell it already sent one lately.
    about = models.CharField(_("about"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OutgoingEmailStatus, default=OutgoingEmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # When a worker should have the row (handed over, or its next try is due); the tick hands over again a row
    # that is still not sent long after this.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The tick's scan for rows a worker never sent (portal.mail.hand_over_pending): a few at most.
            models.Index(
                fields=["status", "created_at"],
                name="outgoingemail_unfinished",
                condition=models.Q(status__in=UNFINISHED_EMAIL_STATUSES),
            ),
            # "Did this registration get an email lately?" (portal.mail.sent_lately).
            models.Index(fields=["about", "created_at"], name="outgoingemail_about", condition=~models.Q(about="")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=OutgoingEmailStatus.SENT) | models.Q(sent_at__isnull=False),
                name="outgoingemail_sent_has_time",
                violation_error_message=_("A sent email records when it was sent."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to or self.suppressed_to)} ({self.get_status_display()})"


class OutgoingRecipient(models.Model):
    """One address an outgoing email went to, counted by the per-address limit (settings.MAIL_PER_RECIPIENT_PER_HOUR):
    a row of its own because an email can go to several addresses and the count must be one indexed query on
    SQLite as on PostgreSQL. Addresses over the limit get no row, so a flood does not keep the window full."""

    email = models.ForeignKey(OutgoingEmail, on_delete=models.CASCADE, related_name="recipients")
    address = models.CharField(_("address"), max_length=254)  # lower-case
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("outgoing email recipient")
        verbose_name_plural = _("outgoing email recipients")
        indexes = [
            # How many emails went to these addresses in the last hour (portal.mail._write_outbox).
            models.Index(fields=["address", "created_at"], name="outgoingrecipient_window"),
        ]

    def __str__(self) -> str:
        return self.address
