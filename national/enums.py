from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual submission")
    JOINT = "joint", _("Joint submission")


class ParagraphKind(models.TextChoices):
    """What a national report paragraph is; compiled paragraphs are grouped by theme and kind."""

    INTRODUCTION = "introduction", _("Introduction")
    CHALLENGE = "challenge", _("Challenge")
    ADVANCE = "advance", _("Positive development")
    QUOTE = "quote", _("Testimony")
    RECOMMENDATION = "recommendation", _("Recommendation")
    FOLLOW_UP = "follow_up", _("Follow-up of an earlier recommendation")


class ContactTopic(models.TextChoices):
    """What a message to the national team is about (the contact page)."""

    JOIN = "join", _("Bringing a city into the review")
    TESTIMONY = "testimony", _("Testimony, consent or privacy")
    EVENTS = "events", _("Events and webinars")
    REPORTS = "reports", _("Local reports and the national report")
    MEDIA = "media", _("Press and media")
    WEBSITE = "website", _("A problem with this website")
    OTHER = "other", _("Something else")
