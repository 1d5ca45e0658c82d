from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceKind(models.TextChoices):
    UN_DOCUMENT = "un_document", _("UN document")
    STAKEHOLDER_REPORT = "stakeholder_report", _("Stakeholder report")
    TEMPLATE = "template", _("Template")
    GUIDE = "guide", _("Guide")
    SLIDES = "slides", _("Slides")
    RECORDING = "recording", _("Recording")
    DATA = "data", _("Data")


class ResourceStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested (waiting for the national team)")
    PUBLISHED = "published", _("Published")


# The six official languages of the UN, in which its documents appear, and the portal's own two first.
class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    FRENCH = "fr", _("French")
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    RUSSIAN = "ru", _("Russian")
