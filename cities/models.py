from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.enums import ACTIVE_STATUSES, CityStatus, HelpOption, RequestKind, RequestStatus, Role
from cities.states import state_name
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

    @property
    def state_name(self) -> str:
        """The state's name in the language of the page ("Pensilvania" on a Spanish page)."""
        return state_name(self.state)

    @property
    def place_name(self) -> str:
        """ "Pittsburgh, Pennsylvania": the city with its state named in full, in the language of the page."""
        return f"{self.name}, {self.state_name}"


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


class CityRequest(models.Model):
    """A request to bring a new city into the project, decided by the national team in the admin; or, for a city
    that already exists, a request to join its team, decided by its coordinators (RequestKind)."""

    state = models.CharField(_("state"), max_length=2)
    city_name = models.CharField(_("city"), max_length=120)
    geonameid = models.PositiveIntegerField(
        _("GeoNames place"), null=True, blank=True, help_text=_("Set when the city was picked from the list.")
    )
    coalition_name = models.CharField(_("coalition or organisation"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact email"))
    why = models.TextField(_("why your city wants to take part"), max_length=3000)
    language = models.CharField(max_length=8, default="en")
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind, default=RequestKind.NEW_CITY)
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus, default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    city = models.ForeignKey(City, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests")
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        indexes = [
            # The admin's default view: pending requests, newest first.
            models.Index(fields=["-created_at"], name="cityrequest_pending_idx", condition=models.Q(status="pending")),
            # A team page lists the city's pending requests to join its team.
            models.Index(
                fields=["city"],
                name="cityrequest_team_pending_idx",
                condition=models.Q(status="pending", kind="join_team"),
            ),
            # The retention job deletes requests decided long enough ago.
            models.Index(fields=["decided_at"], name="cityrequest_decided_idx", condition=~models.Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.city_name}, {self.state} ({self.coalition_name})"


class InvitationQuerySet(models.QuerySet):
    def open(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An emailed invitation to join a city's team. The link carries a signed token with the invitation's id."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.ORGANIZER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "city",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email_city",
                violation_error_message=_("This address already has an open invitation to this team."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.city}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class GetInvolvedRequest(models.Model):
    """A resident's offer to help, sent from the city page to the city's organizers."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="get_involved_requests")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    help_with = models.JSONField(_("how they want to help"), default=list)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("get-involved request")
        indexes = [
            # The organizer home counts each city's requests nobody has handled yet.
            models.Index(fields=["city"], name="getinvolved_new_idx", condition=models.Q(handled_at__isnull=True)),
            # The retention job deletes offers made long enough ago.
            models.Index(fields=["created_at"], name="getinvolved_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"

    def help_labels(self) -> list[str]:
        labels = dict(HelpOption.choices)
        return [str(labels.get(value, value)) for value in self.help_with]
