from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    OUTCOME = "outcome", _("Outcome figure")
    STRUCTURAL = "structural", _("Structural fact")


class ValueType(models.TextChoices):
    """What a figure may be: checked on every value entered, so a share cannot be typed as 150 or a count as 2.5."""

    NUMBER = "number", _("Any number")
    PERCENT = "percent", _("Percentage (0 to 100)")
    RATE = "rate", _("Rate (zero or more)")
    COUNT = "count", _("Count (a whole number, zero or more)")
    YES_NO = "yes_no", _("Yes or no (a structural fact)")


class Better(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Geography(models.TextChoices):
    CITY = "city", _("The city")
    METRO = "metro", _("The metropolitan area")


class Origin(models.TextChoices):
    SDSN = "sdsn", _("SDSN 2019 US Cities import")
    ORGANIZER = "organizer", _("Entered by the city's organizers")
    NATIONAL = "national", _("Entered by the national team")


class MatchHow(models.TextChoices):
    MAIN_CITY = "main_city", _("Main city of the metro area, same state")
    NAMED = "named", _("Named in the metro area's title, same state")
    MANUAL = "manual", _("Set by hand")
    NONE = "none", _("Not among the 105 metro areas")


class Reading(models.TextChoices):
    """The SDSN dashboard's four levels, said in words; each has its own symbol so colour is never the only sign."""

    GREEN = "green", _("Goal reached")
    YELLOW = "yellow", _("Challenges remain")
    ORANGE = "orange", _("Significant challenges")
    RED = "red", _("Major challenges")


READING_SYMBOLS = {Reading.GREEN: "✓", Reading.YELLOW: "!", Reading.ORANGE: "!!", Reading.RED: "✗"}
