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


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the national team")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class HelpOption(models.TextChoices):
    TESTIMONY = "testimony", _("Collect testimony from neighbours")
    EVENTS = "events", _("Help run community conversations and events")
    REPORT = "report", _("Help write the local report")
    OUTREACH = "outreach", _("Spread the word and talk to officials")
    INTERPRETING = "interpreting", _("Translate or interpret")
    OTHER = "other", _("Something else")
