"""Testimony and the consent that governs every place it may appear (DESIGN.md section 5).

Identity is kept apart from the story: the name a person chose to be shown under lives on the testimony
(`display_name`, empty when anonymous); their real name, email and phone live in ContactDetails, which is
deleted after its retention date. Nothing public reads ContactDetails.
"""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from cities.models import City
from events.models import Event
from testimony.enums import AccessKind, ConsentMethod, Identification, Kind, ModerationAction, Nature, Status, Use
from testimony.storage import private_storage
from upr.models import ReviewCycle, Theme


@dataclass(frozen=True)
class WordingBlock:
    """A paragraph (`items` empty) or a bulleted list (`text` empty) of a consent wording."""

    text: str = ""
    items: tuple[str, ...] = ()


_LIST_MARKERS = ("- ", "* ", "• ")


def wording_blocks(wording: str) -> list[WordingBlock]:
    """The wording as it is read: paragraphs separated by a blank line, list items starting with "- " (or "* ",
    "• "), and the line breaks inside a paragraph or an item (the stored text is wrapped for the admin's text
    box, mid-sentence) joined by spaces. The words are the ones stored: a version people agreed to never changes,
    only how it is laid out on the page."""
    blocks: list[WordingBlock] = []
    for chunk in re.split(r"\n[ \t]*\n", wording.replace("\r\n", "\n").replace("\r", "\n")):
        paragraph: list[str] = []
        items: list[list[str]] = []
        for line in chunk.split("\n"):
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith(_LIST_MARKERS):
                if paragraph and not items:
                    blocks.append(WordingBlock(text=" ".join(paragraph)))
                    paragraph = []
                items.append([stripped[2:].strip()])
            elif items:
                items[-1].append(stripped)
            else:
                paragraph.append(stripped)
        if items:
            blocks.append(WordingBlock(items=tuple(" ".join(item) for item in items)))
        elif paragraph:
            blocks.append(WordingBlock(text=" ".join(paragraph)))
    return blocks


class ConsentText(models.Model):
    """The exact wording a person agreed to. Versioned: a testimony points at the version it was given under."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    text_en = models.TextField(_("text (English)"))
    text_es = models.TextField(_("text (Spanish)"))
    effective_from = models.DateField(_("in use from"))

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("consent text")

    def __str__(self) -> str:
        return self.version

    def wording(self, language: str | None = None) -> str:
        """The text in `language` (Spanish for "es", "es-..."; English otherwise)."""
        return self.text_es if (language or "en").startswith("es") else self.text_en

    def blocks(self, language: str | None = None) -> list[WordingBlock]:
        return wording_blocks(self.wording(language))


class TestimonyQuerySet(models.QuerySet):
    def allowing(self, use: Use) -> TestimonyQuerySet:
        """Approved, not withdrawn, given by an adult (or with a guardian's consent), and allowing `use`."""
        return self.filter(
            Q(age_confirmed=True) | Q(guardian_consent=True),
            status=Status.APPROVED,
            **{f"allows_{use.value}": True},
        )

    def public(self) -> TestimonyQuerySet:
        """What any public page may show: the one scoping query for every public list (DESIGN.md section 5)."""
        return self.allowing(Use.PORTAL)


@dataclass(frozen=True)
class PublicTextField:
    """A free-text field the person writes that can reach a public place, and the version organizers set for it."""

    original: str
    public: str
    label: str | Promise


# The one list of what the person writes that a public place may show. The moderation form, the public templates,
# the exports, the renders and the privacy tests all read it: public places show only the `public` field, which
# organizers set after reading the original; until they have, the field is not public at all.
PUBLIC_TEXT_FIELDS: tuple[PublicTextField, ...] = (
    PublicTextField("title", "public_title", _("Title")),
    PublicTextField("body", "public_body", _("Text")),
    PublicTextField("transcript", "public_transcript", _("Transcript")),
    PublicTextField("media_caption", "public_media_caption", _("Caption of the file or link")),
    PublicTextField("place_text", "public_place_text", _("Where it happened")),
)


# The consent a person gives, field by field (DESIGN.md section 5): each use of the words is its own yes/no, named
# `allows_<use>` after testimony.enums.Use. Every form that records consent, the private link's change of consent,
# the CSV import and the export read these lists.
USE_FIELDS: tuple[str, ...] = tuple(f"allows_{use.value}" for use in Use)
CONSENT_FIELDS: tuple[str, ...] = ("identification", "display_name", *USE_FIELDS, "allows_contact", "less_precise")


@dataclass(frozen=True)
class ShownDate:
    """A date of a testimony as it may be shown: the year alone when the person asked for less precision."""

    value: datetime.date
    year_only: bool

    @property
    def iso(self) -> str:
        return str(self.value.year) if self.year_only else self.value.isoformat()

    def display(self, style: str = "DATE_FORMAT") -> str:
        """In the active language; `style` is a Django date format name used when the full date may be shown."""
        return str(self.value.year) if self.year_only else date_format(self.value, style)


def media_path(instance: Testimony, filename: str) -> str:
    # Random names: an uploaded file's name never carries the person's name or the story's place.
    extension = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"testimony/{secrets.token_hex(16)}.{extension}"


class Testimony(models.Model):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="testimonies", verbose_name=_("city"))
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, null=True, blank=True, related_name="testimonies")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.WRITTEN)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("what happened"))
    # The version organizers redact (names, addresses, details) for public use; the original stays private.
    public_body = models.TextField(_("public version"), blank=True)
    # Titles are written by the person too: public pages show this one, or the first words of the public text,
    # never the title as submitted (it may carry a name).
    public_title = models.CharField(_("public title"), max_length=200, blank=True)
    public_transcript = models.TextField(_("public transcript"), blank=True)
    public_media_caption = models.CharField(_("public caption"), max_length=300, blank=True)
    public_place_text = models.CharField(_("public place"), max_length=200, blank=True)
    # When organizers last saved the public versions (PUBLIC_TEXT_FIELDS): nothing is approved before that.
    public_reviewed_at = models.DateTimeField(_("public version reviewed at"), null=True, blank=True)
    public_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nature = models.CharField(_("challenge or positive practice"), max_length=16, choices=Nature)
    language = models.CharField(_("language"), max_length=8, default="en")
    themes = models.ManyToManyField(Theme, blank=True, related_name="testimonies", verbose_name=_("themes"))
    media_link = models.URLField(_("video or audio link"), blank=True)
    media_file = models.FileField(_("file"), upload_to=media_path, storage=private_storage, blank=True)
    media_caption = models.CharField(_("caption"), max_length=300, blank=True)
    transcript = models.TextField(_("transcript"), blank=True)
    place_text = models.CharField(_("where it happened"), max_length=200, blank=True)
    occurred_on = models.DateField(_("when it happened"), null=True, blank=True)

    # --- Consent (DESIGN.md section 5) ---
    identification = models.CharField(
        _("how to be identified"), max_length=16, choices=Identification, default=Identification.ANONYMOUS
    )
    display_name = models.CharField(
        _("name shown"),
        max_length=150,
        blank=True,
        help_text=_("The full name, first name or pseudonym the person chose; empty when anonymous."),
    )
    allows_portal = models.BooleanField(_("may be shown on the portal"), default=False)
    allows_local_report = models.BooleanField(_("may be quoted in the local report"), default=False)
    allows_national_report = models.BooleanField(_("may be quoted in the national report to the UN"), default=False)
    allows_advocacy = models.BooleanField(_("may be used in public advocacy"), default=False)
    allows_contact = models.BooleanField(_("may be contacted"), default=False)
    age_confirmed = models.BooleanField(_("confirmed being 18 or older"), default=False)
    guardian_consent = models.BooleanField(_("a parent or guardian consented"), default=False)
    less_precise = models.BooleanField(_("make place and dates less precise"), default=False)
    consent_text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="+")
    consent_method = models.CharField(max_length=10, choices=ConsentMethod, default=ConsentMethod.ONLINE)
    consent_recorded_at = models.DateTimeField(_("consent recorded at"))
    # A wider consent asked for through the private link ({consent field: new value}) waits here for organizers;
    # it takes effect only when they accept it. Narrowing never waits.
    pending_consent = models.JSONField(_("consent change waiting for review"), default=dict, blank=True)
    pending_consent_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organizer who entered consent given on paper."),
    )

    # --- Provenance and moderation ---
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="testimonies"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organizer who typed it in from paper, a meeting or a survey."),
    )
    collected_at = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="testimonies"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.RECEIVED)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What has been sent to the UN cannot be recalled; the person is told so before submitting.
    sent_to_un_at = models.DateTimeField(_("sent to the UN at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # The secret in the person's private link (read, change consent, withdraw).
    private_token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TestimonyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")
        constraints = [
            models.CheckConstraint(
                condition=Q(identification=Identification.ANONYMOUS, display_name="")
                | (~Q(identification=Identification.ANONYMOUS) & ~Q(display_name="")),
                name="testimony_name_matches_identification",
                violation_error_message=_("Give the name to show, or choose to stay anonymous."),
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.WITHDRAWN) | Q(withdrawn_at__isnull=False),
                name="testimony_withdrawn_has_date",
                violation_error_message=_("A withdrawn testimony records when it was withdrawn."),
            ),
        ]
        indexes = [
            # Public lists: approved testimony of a city, newest first.
            models.Index(fields=["city", "-created_at"], name="testimony_public_idx", condition=Q(status="approved")),
            # The moderation queue: what waits in each city.
            models.Index(fields=["city", "status"], name="testimony_moderation_idx"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} #{self.pk}"

    def save(self, *args, **kwargs):
        if not self.private_token:
            self.private_token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    def allows(self, use: Use) -> bool:
        return (
            self.status == Status.APPROVED
            and (self.age_confirmed or self.guardian_consent)
            and getattr(self, f"allows_{use.value}")
        )

    @property
    def public_text(self) -> str:
        """The text public places show: only the version organizers reviewed ("" until they have)."""
        return self.public_body

    @property
    def shown_title(self) -> str:
        """The heading public places show: the organizers' public title, or the first words of the public text;
        never the title as submitted (it may carry a name). Pages, feeds and the API all read this one rule."""
        return self.public_title or Truncator(self.public_text).words(8, truncate=" …")

    @property
    def place_may_be_shown(self) -> bool:
        """The "less precise" rule for places: a place is never shown, exported or printed when the person asked
        for less precision (dates: shown_date)."""
        return not self.less_precise

    @property
    def public_place(self) -> str:
        """The place as public places and renders may show it."""
        return self.public_place_text if self.place_may_be_shown else ""

    def shown_date(self, value: datetime.date | datetime.datetime) -> ShownDate:
        """Any date of this testimony as it may be shown anywhere: the one "less precise" rule."""
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return ShownDate(value, year_only=self.less_precise)

    @property
    def shown_when(self) -> ShownDate:
        """When it happened (or, without that date, when it was shared), as it may be shown."""
        return self.shown_date(self.occurred_on or self.created_at)

    @property
    def is_withdrawn(self) -> bool:
        return self.status == Status.WITHDRAWN

    @property
    def shown_name(self) -> str:
        """The name to print next to the words, or "" (the template then says "Anonymous")."""
        return "" if self.identification == Identification.ANONYMOUS else self.display_name


class ContactDetails(models.Model):
    """Who the person is, kept apart from the story and deleted after `retain_until`."""

    testimony = models.OneToOneField(Testimony, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    retain_until = models.DateField(_("keep until"))

    class Meta:
        verbose_name = _("contact details")
        verbose_name_plural = _("contact details")
        indexes = [
            # The retention job deletes what is past its date.
            models.Index(fields=["retain_until"], name="contact_retention_idx"),
        ]

    def __str__(self) -> str:
        return f"contact for #{self.testimony_id}"


class ModerationLog(models.Model):
    """Every action on a testimony: who, when, what."""

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="moderation_log")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    action = models.CharField(max_length=20, choices=ModerationAction)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("moderation log entry")

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.testimony_id}"


class AccessLog(models.Model):
    """Each time an organizer opened a testimony's private version or exported it (DESIGN.md section 5)."""

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="access_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    kind = models.CharField(_("what"), max_length=10, choices=AccessKind, default=AccessKind.OPENED)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("private view")

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display().lower()} #{self.testimony_id}"
