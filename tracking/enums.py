from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The level of government that must act on a tracked recommendation."""

    CITY = "city", _("City")
    COUNTY = "county", _("County")
    STATE = "state", _("State")
    FEDERAL = "federal", _("Federal")


class TrackingStatus(models.TextChoices):
    """Where a recommendation stands in a city, as its organizers assess it. The order is the order of the
    scorecard's columns; `STATUS_MEANINGS` says in plain words what each one claims."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTLY_IMPLEMENTED = "partly_implemented", _("Partly implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    REGRESSED = "regressed", _("Regressed")


# Shown to everyone beside every scorecard: a status is a claim, and readers must know what it claims.
STATUS_MEANINGS = {
    TrackingStatus.NOT_STARTED: _("No step taken yet by the office responsible."),
    TrackingStatus.IN_PROGRESS: _("The office has taken a first step (a plan, a budget line, a draft rule)."),
    TrackingStatus.PARTLY_IMPLEMENTED: _("Some of what the recommendation asks is in force; some is not."),
    TrackingStatus.IMPLEMENTED: _("What the recommendation asks is in force in the city."),
    TrackingStatus.REGRESSED: _("Things went backwards: a step taken was undone, or the situation is worse."),
}


class EvidenceKind(models.TextChoices):
    LINK = "link", _("Link")
    DOCUMENT = "document", _("Document")
    TESTIMONY = "testimony", _("Testimony")


class ReplyDecision(models.TextChoices):
    WAITING = "waiting", _("Waiting for the answer")
    ANSWERED = "answered", _("Answered, waiting for organizers")
    APPROVED = "approved", _("Approved and shown")
    DECLINED = "declined", _("Not shown")


class LogAction(models.TextChoices):
    TRACKED = "tracked", _("Started tracking")
    ITEM_CHANGED = "item_changed", _("Level or office changed")
    OFFICE_ADDED = "office_added", _("Office added")
    OFFICE_CHANGED = "office_changed", _("Office changed")
    UPDATE_RECORDED = "update_recorded", _("Status update recorded")
    CORRECTION = "correction", _("Correction recorded")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added")
    EVIDENCE_ERASED = "evidence_erased", _("Quoted words erased (testimony withdrawn)")
    REPLY_REQUESTED = "reply_requested", _("Reply requested from the office")
    REPLY_RECEIVED = "reply_received", _("Reply received")
    REPLY_APPROVED = "reply_approved", _("Reply approved")
    REPLY_DECLINED = "reply_declined", _("Reply not shown")
