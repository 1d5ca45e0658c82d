from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    WRITTEN = "written", _("Written")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    MEETING_NOTES = "meeting_notes", _("Notes from a public meeting")
    SURVEY = "survey", _("Survey answer")


class Nature(models.TextChoices):
    CHALLENGE = "challenge", _("A challenge: a right not respected")
    POSITIVE = "positive", _("A positive practice the city does well")


class Identification(models.TextChoices):
    """How the person wants to be named wherever their words appear (DESIGN.md section 5)."""

    FULL_NAME = "full_name", _("My full name")
    FIRST_NAME = "first_name", _("My first name only")
    PSEUDONYM = "pseudonym", _("A pseudonym I choose")
    ANONYMOUS = "anonymous", _("Anonymous: no name at all")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received, waiting for moderation")
    APPROVED = "approved", pgettext_lazy("testimony status", "Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn by the person")


class ConsentMethod(models.TextChoices):
    ONLINE = "online", _("Given online by the person")
    PAPER = "paper", _("Recorded on paper, entered by an organizer")


class Use(models.TextChoices):
    """Each use is allowed on its own; the field on Testimony is `allows_<value>`."""

    PORTAL = "portal", _("Shown on this portal")
    LOCAL_REPORT = "local_report", _("Quoted in the city's local report")
    NATIONAL_REPORT = "national_report", _("Quoted in the national report sent to the UN")
    ADVOCACY = "advocacy", _("Used in public advocacy (media, officials)")


class ModerationAction(models.TextChoices):
    RECEIVED = "received", _("Received")
    APPROVE = "approve", pgettext_lazy("testimony status", "Approved")
    REJECT = "reject", _("Rejected")
    REDACT = "redact", _("Public version written")
    CONSENT_CHANGED = "consent_changed", _("Consent changed by the person")
    WIDENING_ASKED = "widening_asked", _("Wider consent asked by the person, waiting for review")
    WIDENING_ACCEPTED = "widening_accepted", _("Wider consent accepted")
    WIDENING_DECLINED = "widening_declined", _("Wider consent declined")
    WITHDRAW = "withdraw", _("Withdrawn by the person")
    CONTACT_DELETED = "contact_deleted", _("Contact details deleted (retention)")


class AccessKind(models.TextChoices):
    OPENED = "opened", _("Opened the private original")
    EXPORTED = "exported", _("Exported in a CSV file")
