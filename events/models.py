from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import City
from events.enums import EventKind, EventStatus, SpeakerRole
from upr.models import Theme


class EventQuerySet(models.QuerySet):
    def held(self) -> EventQuerySet:
        return self.filter(status=EventStatus.HELD)

    def upcoming(self) -> EventQuerySet:
        return self.filter(ends_at__gte=timezone.now()).exclude(status=EventStatus.CANCELLED).order_by("starts_at")


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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("event")
        constraints = [
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
