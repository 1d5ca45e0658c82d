from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")
    NON_COOPERATION = "non_cooperation", _("Non-cooperation (review not attended)")


class MilestoneKind(models.TextChoices):
    LOCAL_INPUT_DUE = "local_input_due", _("Local reports due to the national team")
    NATIONAL_REPORT_DUE = "national_report_due", _("Stakeholder report due to the UN")
    LOBBY_DAYS = "lobby_days", _("Lobby days")
    BRIEFING = "briefing", _("Briefing")
    REVIEW = "review", _("Review in the UPR Working Group")
    REVIEW_POSTPONED = "review_postponed", _("Review date postponed")
    ADOPTION = "adoption", _("Outcome adopted by the Human Rights Council")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone (public)")
    ORGANIZERS = "organizers", _("City organizers")
    NATIONAL_TEAM = "national_team", _("National team")


class Response(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    SUPPORTED_IN_PART = "supported in part", _("Supported in part")
    NOTED = "noted", _("Noted")
    PENDING = "pending", _("Pending")


DEFAULT_REMINDER_OFFSETS = [30, 14, 7, 1]
# Defaults of OHCHR's stakeholder guidelines; editable per cycle because OHCHR revises them.
DEFAULT_WORD_LIMIT_INDIVIDUAL = 2815
DEFAULT_WORD_LIMIT_JOINT = 5630
# The seed page asks each city for about five pages and a summary of one to two (about 450 words a page).
DEFAULT_LOCAL_REPORT_WORDS = 2500
DEFAULT_LOCAL_SUMMARY_WORDS = 900
