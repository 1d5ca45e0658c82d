from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import City
from events.enums import EventKind, EventStatus, RegistrationStatus, SpeakerRole
from upr.models import Theme


class EventQuerySet(models.QuerySet):
    def held(self) -> EventQuerySet:
        return self.filter(status=EventStatus.HELD)

    def upcoming(self) -> EventQuerySet:
        return (
            self.filter(ends_at__gte=timezone.now()).exclude(status=EventStatus.CANCELLED).order_by("starts_at", "pk")
        )


class Speaker(models.Model):
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to="speakers/", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "organisation"],
                name="speaker_name_org_unique",
                violation_error_message=_("This speaker already exists."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation}" if self.organisation else self.name


class Event(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(unique=True, max_length=220)
    description = models.TextField(_("description"))
    # Stored in UTC (USE_TZ); shown in the event's own zone.
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # Validated against the IANA database in clean(); not choices, so tzdata updates need no migration.
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/New_York")
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online join link"), blank=True, help_text=_("Shown only to confirmed registrants."))
    host_city = models.ForeignKey(
        City, on_delete=models.SET_NULL, null=True, blank=True, related_name="events", verbose_name=_("host city")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="events", verbose_name=_("themes"))
    speakers = models.ManyToManyField(Speaker, through="EventSpeaker", blank=True, related_name="events")
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty means no limit."))
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=EventStatus, default=EventStatus.SCHEDULED)
    recording_url = models.URLField(_("recording link"), blank=True)
    slides = models.FileField(_("slides"), upload_to="events/slides/", blank=True)
    transcript = models.TextField(_("transcript"), blank=True)
    # Past webinars whose recording or slides the organizers published on a site of their own: the event's page
    # says what the portal holds and where the rest is, instead of leaving a "recording" page empty.
    materials_elsewhere_url = models.URLField(
        _("recording or materials published elsewhere"),
        blank=True,
        help_text=_("A page on another site that publishes this event's recording, slides or transcript."),
    )
    # RFC 5545: the UID never changes; SEQUENCE goes up each time the schedule, place or status changes.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("event")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="event_capacity_positive",
                violation_error_message=_("Capacity must be at least 1, or empty for no limit."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
        ]
        indexes = [
            # Upcoming lists and the reminder tick scan by start time.
            models.Index(fields=["starts_at"], name="event_starts_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def zone(self) -> dt.tzinfo:
        """The event's time zone (UTC for a name this machine does not know, which the form never saves)."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return dt.UTC

    @property
    def materials_elsewhere_site(self) -> str:
        """The site of `materials_elsewhere_url`, as the link names it ("wiki.example.org")."""
        return urlsplit(self.materials_elsewhere_url).hostname or "" if self.materials_elsewhere_url else ""

    @property
    def has_materials(self) -> bool:
        """A recording, slides or a transcript is published on the portal itself."""
        return bool(self.recording_url or self.slides or self.transcript)

    def clean(self) -> None:
        if self.time_zone not in zoneinfo.available_timezones():
            raise ValidationError({"time_zone": _("Give a time zone such as America/Chicago.")})
        if not self.place and not self.online_url and not self.recording_url:
            raise ValidationError(_("Give a place, an online join link, or both."))


class EventSpeaker(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=32, choices=SpeakerRole, default=SpeakerRole.SPEAKER)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "speaker"],
                name="eventspeaker_unique",
                violation_error_message=_("This speaker is already on this event."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.speaker} ({self.get_role_display()})"


class Registration(models.Model):
    """A person's place at an event, without an account: confirmed by email (double opt-in)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    city_name = models.CharField(_("city"), max_length=120, blank=True)
    access_needs = models.JSONField(_("access needs"), default=list, blank=True)
    access_note = models.CharField(_("access needs, in your words"), max_length=500, blank=True)
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus, default=RegistrationStatus.PENDING
    )
    # The secret in every link we email (confirm, cancel); unguessable, never shown to anyone else.
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set when the person's details were blanked (after the event, or at their request); the row stays, with its
    # event, status and dates, for attendance figures.
    anonymised_at = models.DateTimeField(_("personal details erased at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("registration")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "event",
                condition=~models.Q(status="cancelled") & models.Q(anonymised_at__isnull=True),
                name="registration_one_active_per_email",
                violation_error_message=_("This address is already registered for this event."),
            )
        ]
        indexes = [
            # Seat counting and waitlist promotion scan an event's active registrations in arrival order.
            models.Index(fields=["event", "status", "created_at"], name="registration_event_status_idx"),
            # The retention job looks for registrations whose details are still there, by event.
            models.Index(
                fields=["event"], name="registration_to_erase_idx", condition=models.Q(anonymised_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.event})"

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)


class Delegate(models.Model):
    """A city's nominee for a lobby day, with what they need to travel."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="delegates")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="delegates")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    needs_travel_support = models.BooleanField(_("needs travel support"), default=False)
    travel_note = models.CharField(_("travel and access needs"), max_length=500, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "city__name", "name"]
        verbose_name = _("lobby day delegate")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "event",
                name="delegate_once_per_event",
                violation_error_message=_("This person is already a delegate for this event."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"
