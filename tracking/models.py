"""What a city tracks of the UN's recommendations, and the history of where each stands (DESIGN.md section 3).

A TrackedItem is one recommendation a city follows: an official UPR Recommendation or one of the city's own, from
its accepted local report. Where it stands is never a field: it is the latest StatusUpdate, and updates are only
ever added (a correction is a new update naming the one it corrects). Evidence hangs on an update; quoted
testimony is a reference resolved at each display (`tracking.selectors.resolved_evidence`), never a copy shown as
stored. The responsible Office may answer an assessment through a private link (Reply); its answer is shown only
once organizers approve it. Every change is written to TrackingLog.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from cities.models import City
from reports.models import ReportRecommendation
from testimony.models import Testimony
from testimony.storage import private_storage
from tracking.enums import EvidenceKind, Level, LogAction, ReplyDecision, TrackingStatus
from upr.models import Recommendation


class Office(models.Model):
    """An office or official who must act, kept by each city's organizers."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="offices", verbose_name=_("city"))
    name = models.CharField(_("office or official"), max_length=200)
    level = models.CharField(_("level of government"), max_length=10, choices=Level, default=Level.CITY)
    contact_email = models.EmailField(
        _("contact email"), blank=True, help_text=_("Where the private link to reply is sent. Never shown publicly.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("office")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "name"],
                name="office_name_unique_per_city",
                violation_error_message=_("Your city already lists an office with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


def latest_update(field: str = "status") -> Subquery:
    """`field` of the item's latest status update (None when it has none): the one rule for "where it stands"."""
    return Subquery(StatusUpdate.objects.filter(item=OuterRef("pk")).order_by("-pk").values(field)[:1])


class TrackedItemQuerySet(models.QuerySet):
    def with_current(self) -> TrackedItemQuerySet:
        """Each item with `current_status` and `current_observed_on` from its latest update."""
        return self.annotate(current_status=latest_update("status"), current_observed_on=latest_update("observed_on"))


class TrackedItem(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="tracked_items", verbose_name=_("city"))
    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tracked_items",
        verbose_name=_("official recommendation"),
    )
    local_recommendation = models.ForeignKey(
        ReportRecommendation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tracked_items",
        verbose_name=_("the city's own recommendation"),
    )
    level = models.CharField(_("level of government"), max_length=10, choices=Level, default=Level.CITY)
    office = models.ForeignKey(
        Office,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("office responsible"),
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    objects = TrackedItemQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tracked recommendation")
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__isnull=False, local_recommendation__isnull=True)
                | Q(recommendation__isnull=True, local_recommendation__isnull=False),
                name="trackeditem_official_xor_local",
                violation_error_message=_("Track either an official recommendation or one of your own, not both."),
            ),
            models.UniqueConstraint(
                fields=["city", "recommendation"],
                condition=Q(recommendation__isnull=False),
                name="trackeditem_official_once_per_city",
                violation_error_message=_("Your city already tracks this recommendation."),
            ),
            models.UniqueConstraint(
                fields=["city", "local_recommendation"],
                condition=Q(local_recommendation__isnull=False),
                name="trackeditem_local_once_per_city",
                violation_error_message=_("Your city already tracks this recommendation."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_official(self) -> bool:
        return self.recommendation_id is not None

    @property
    def label(self) -> str:
        if self.recommendation_id is not None:
            return str(_("Recommendation %(paragraph)s") % {"paragraph": self.recommendation.paragraph})
        return str(_("Local recommendation: %(text)s") % {"text": self.local_recommendation.text[:60]})

    @property
    def text(self) -> str:
        return self.recommendation.text if self.recommendation_id else self.local_recommendation.text


class StatusUpdate(models.Model):
    """One assessment of where an item stands. Append-only: saving an existing row is refused."""

    item = models.ForeignKey(TrackedItem, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=20, choices=TrackingStatus)
    what_changed = models.TextField(_("what changed"))
    observed_on = models.DateField(_("date observed"))
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects the update of"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("status update")
        indexes = [
            # "Where it stands": the latest update of each item (TrackedItemQuerySet.with_current).
            models.Index(fields=["item", "-id"], name="statusupdate_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.observed_on})"

    def save(self, *args, **kwargs):
        # Nothing is overwritten (the history is the point): a correction is a new update.
        if self.pk is not None:
            raise ValueError("Status updates are append-only; record a correction instead.")
        super().save(*args, **kwargs)


def evidence_path(instance: Evidence, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"tracking/{secrets.token_hex(16)}.{extension}"


class Evidence(models.Model):
    """A link, a document (public or for the city's organizers only) or a testimony quoted by reference."""

    update = models.ForeignKey(StatusUpdate, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind)
    title = models.CharField(_("title"), max_length=200, blank=True)
    url = models.URLField(_("link"), blank=True)
    document = models.FileField(_("document"), upload_to=evidence_path, storage=private_storage, blank=True)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Unticked, only your city's organizers can open the document.")
    )
    testimony = models.ForeignKey(
        Testimony, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("testimony")
    )
    # Words of the testimony: shown only while inside its public version and its consent allows (resolve_quote).
    excerpt = models.TextField(_("excerpt"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=EvidenceKind.LINK, testimony__isnull=True) & ~Q(url="")
                | Q(kind=EvidenceKind.DOCUMENT, testimony__isnull=True) & ~Q(document="")
                | Q(kind=EvidenceKind.TESTIMONY, testimony__isnull=False),
                name="evidence_kind_has_its_content",
                violation_error_message=_("Give the link, the document or the testimony."),
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class ReplyQuerySet(models.QuerySet):
    def approved(self) -> ReplyQuerySet:
        return self.filter(decision=ReplyDecision.APPROVED)


class Reply(models.Model):
    """The office's right of reply to one assessment: asked through a private link, shown once approved."""

    update = models.ForeignKey(StatusUpdate, on_delete=models.CASCADE, related_name="replies")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="replies", verbose_name=_("office"))
    sent_to = models.EmailField(_("sent to"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    due_on = models.DateField(_("answer due by"))
    decision = models.CharField(_("state"), max_length=10, choices=ReplyDecision, default=ReplyDecision.WAITING)
    answer = models.TextField(_("answer"), blank=True)
    answered_by_name = models.CharField(_("answered by (name and title)"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision=ReplyDecision.WAITING) | Q(answered_at__isnull=False) & ~Q(answer=""),
                name="reply_answered_has_answer",
                violation_error_message=_("An answered reply has its text and date."),
            ),
        ]
        indexes = [
            # The reminder job's scan: replies still waiting, by due date.
            models.Index(fields=["due_on"], name="reply_waiting_idx", condition=Q(decision="waiting")),
        ]

    def __str__(self) -> str:
        return f"{self.office} · {self.get_decision_display()}"


class TrackingLog(models.Model):
    """Every change to a city's tracking: who, when, what (like testimony's moderation log)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(TrackedItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="log")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    action = models.CharField(max_length=20, choices=LogAction)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("tracking log entry")
        indexes = [models.Index(fields=["city", "-at"], name="trackinglog_city_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.city_id})"


class FollowerQuerySet(models.QuerySet):
    def confirmed(self) -> FollowerQuerySet:
        return self.filter(confirmed_at__isnull=False)


class Follower(models.Model):
    """Someone who follows a city's scorecard or one official recommendation by email (double opt-in): a digest
    of what changed, at most daily, each change once (tracking.digests)."""

    email = models.EmailField(_("email"))
    city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=8, default="en")
    # The secret of the confirmation link.
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    objects = FollowerQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("follower")
        constraints = [
            models.CheckConstraint(
                condition=Q(city__isnull=False, recommendation__isnull=True)
                | Q(city__isnull=True, recommendation__isnull=False),
                name="follower_city_xor_recommendation",
                violation_error_message=_("Follow a city or a recommendation."),
            ),
            models.UniqueConstraint(
                fields=["email", "city"], condition=Q(city__isnull=False), name="follower_once_per_city"
            ),
            models.UniqueConstraint(
                fields=["email", "recommendation"],
                condition=Q(recommendation__isnull=False),
                name="follower_once_per_recommendation",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)
