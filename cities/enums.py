from django.db import models
from django.utils.translation import gettext_lazy as _


class CityStatus(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    PARTICIPATING = "participating", _("Participating")
    REPORT_SUBMITTED = "report_submitted", _("Report submitted")


# Cities shown in the directory and counted on the home page.
ACTIVE_STATUSES = [CityStatus.PARTICIPATING, CityStatus.REPORT_SUBMITTED]


class Role(models.TextChoices):
    ORGANIZER = "organizer", _("Organizer")
    COORDINATOR = "coordinator", _("Coordinator")
