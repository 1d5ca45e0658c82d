from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrolmentProof(models.TextChoices):
    """The second proof, besides the password, that lets a staff member set up their first authenticator."""

    EMAILED_LINK = "emailed_link", _("Link emailed to the staff address")
    COLLEAGUE_CODE = "colleague_code", _("Code created by a national-team colleague")
