from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, waiting for the national team")
    RETURNED = "returned", _("Returned with comments")
    ACCEPTED = "accepted", pgettext_lazy("report status", "Accepted")


# Submitted or accepted: the city has handed its report in for the cycle. Every other state (none started, a draft,
# one returned with comments) still owes it: the deadline reminders and the national dashboard ask this one rule.
HANDED_IN_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.ACCEPTED})


def owes_report(status: str | None) -> bool:
    """Whether a city whose report for a cycle is in `status` (None: not started) still owes it."""
    return status not in HANDED_IN_STATUSES


class Level(models.TextChoices):
    """Who a recommendation asks to act."""

    LOCAL = "local", _("Local (city or county)")
    STATE = "state", _("State")
    FEDERAL = "federal", _("Federal")


class Decision(models.TextChoices):
    """What the national team decided about one submitted version."""

    PENDING = "pending", _("Waiting for review")
    RETURNED = "returned", _("Returned with comments")
    ACCEPTED = "accepted", pgettext_lazy("report status", "Accepted")


class RenderFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    # Made from content that is no longer what would be printed (an edit, a consent narrowed or withdrawn, a
    # redaction, a new name): never handed out again, its file deleted.
    SUPERSEDED = "superseded", _("Superseded")
