from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    COMMUNITY_CONVERSATION = "community_conversation", _("Community conversation")
    PUBLIC_HEARING = "public_hearing", _("Public hearing")
    LOBBY_DAY = "lobby_day", _("Lobby day")
    BRIEFING = "briefing", _("Briefing")
    CONVENING = "convening", _("Convening")
    VIEWING_PARTY = "viewing_party", _("Viewing party")
    TRAINING = "training", _("Training")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")


class SpeakerRole(models.TextChoices):
    SPEAKER = "speaker", _("Speaker")
    FACILITATOR = "facilitator", _("Facilitator")
    CITY_REPRESENTATIVE = "city_representative", _("City representative")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for email confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("registration status", "Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")


# Registrations that hold (or wait for) a seat.
ACTIVE_REGISTRATION_STATUSES = [RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]


class AccessNeed(models.TextChoices):
    CAPTIONS = "captions", _("Live captions")
    ASL = "asl", _("ASL interpretation")
    INTERPRETATION = "interpretation", _("Interpretation into another language")
    STEP_FREE = "step_free", _("Step-free access")
    OTHER = "other", _("Something else (tell us below)")


# Reminders before an event, in hours, each sent once to every confirmed registrant.
EVENT_REMINDER_HOURS = [24, 1]
