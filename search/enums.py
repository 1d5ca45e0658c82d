from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("UN recommendation")
    CITY = "city", _("City")
    TESTIMONY = "testimony", _("Testimony")
    EVENT = "event", _("Event or webinar")
    REPORT = "report", _("Local report")
    RESOURCE = "resource", _("Resource")
    SCORECARD = "scorecard", _("Scorecard item")


# The languages content is indexed in: each has its own text search configuration (search/migrations/0002).
class IndexLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
