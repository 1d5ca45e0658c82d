from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cities.enums import ACTIVE_STATUSES, CityStatus, Role
from upr.models import Theme


class CityQuerySet(models.QuerySet):
    def active(self) -> CityQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)


class City(models.Model):
    name = models.CharField(_("name"), max_length=120)
    state = models.CharField(_("state"), max_length=2, help_text=_("Two-letter postal code, e.g. PA"))
    slug = models.SlugField(unique=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CityStatus, default=CityStatus.EXPLORING)
    human_rights_city_since = models.PositiveSmallIntegerField(_("human rights city since"), null=True, blank=True)
    coalition_name = models.CharField(_("coalition"), max_length=200, blank=True)
    public_contact = models.CharField(
        _("public contact"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the city page: an email address or web page."),
    )
    description = models.TextField(_("description"), blank=True)
    priorities = models.ManyToManyField(Theme, blank=True, related_name="cities", verbose_name=_("local priorities"))
    source = models.CharField(_("source"), max_length=500, blank=True)

    objects = CityQuerySet.as_manager()

    class Meta:
        ordering = ["name", "state"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "state"],
                name="city_name_state_unique",
                violation_error_message=_("This city is already in the network."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.state}"

    def get_absolute_url(self) -> str:
        return reverse("cities:detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    """A person's place on a city's organizing team. Organizer pages filter everything through these rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.ORGANIZER)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["city__name", "user__email"]
        verbose_name = _("membership")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "city"],
                name="membership_user_city_unique",
                violation_error_message=_("This person is already on this city's team."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.city} ({self.get_role_display()})"
