from django.db import models
from django.utils.translation import gettext_lazy as _


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
