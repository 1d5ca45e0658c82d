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


class RequestKind(models.TextChoices):
    """A request for a city new to the project, or to join the team of a city that already exists.

    Joining an existing city never makes the requester its coordinator: the city's coordinators decide (the national
    team only when the city has none), and an approved requester is invited as an organizer.
    """

    NEW_CITY = "new_city", _("A new city")
    JOIN_TEAM = "join_team", _("Joining an existing city's team")


class HelpOption(models.TextChoices):
    TESTIMONY = "testimony", _("Collect testimony from neighbours")
    EVENTS = "events", _("Help run community conversations and events")
    REPORT = "report", _("Help write the local report")
    OUTREACH = "outreach", _("Spread the word and talk to officials")
    INTERPRETING = "interpreting", _("Translate or interpret")
    OTHER = "other", _("Something else")
