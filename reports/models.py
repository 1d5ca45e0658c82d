"""Local reports, their frozen submitted versions, and renders (DESIGN.md section 3).

A report is edited in place while it is a draft (or returned); submitting freezes its content into a
ReportVersion, which is what the national team reviews, compares and accepts. What is printed is built from the
content by `reports.document` and rendered by `reports.rendering` into Render rows (one per object, content
version and format).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cities.models import City
from reports.enums import Decision, Level, RenderFormat, RenderStatus, ReportStatus
from resources.models import Resource
from testimony.models import Testimony
from testimony.storage import private_storage
from upr.models import Recommendation, ReviewCycle, Theme

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class LocalReport(models.Model):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="local_reports", verbose_name=_("city"))
    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.PROTECT, related_name="local_reports", verbose_name=_("review cycle")
    )
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus, default=ReportStatus.DRAFT)
    language = models.CharField(_("language of the report"), max_length=8, choices=settings.LANGUAGES, default="en")
    executive_summary = models.TextField(_("executive summary"), blank=True)
    methodology = models.TextField(
        _("how the testimony was gathered"),
        blank=True,
        help_text=_("In your words; the figures (events held, testimony collected) are added from the portal."),
    )
    short_summary = models.TextField(
        _("short summary (one to two pages)"),
        blank=True,
        help_text=_("A stand-alone summary for officials and for the national lobbying brief."),
    )
    # Bumped on every save of the content: an autosave or a second tab working from an older revision is refused
    # instead of silently overwriting newer text.
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("local report")
        verbose_name_plural = _("local reports")
        ordering = ["cycle", "city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "cycle"],
                name="localreport_one_per_city_cycle",
                violation_error_message=_("This city already has a report for this cycle."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.city} · {self.cycle}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    def accepted_version(self) -> ReportVersion | None:
        return self.versions.filter(decision=Decision.ACCEPTED).order_by("-number").first()


class Section(models.Model):
    """What the city found about one theme."""

    report = models.ForeignKey(LocalReport, on_delete=models.CASCADE, related_name="sections")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+", verbose_name=_("theme"))
    challenges = models.TextField(_("challenges"), blank=True)
    advances = models.TextField(_("positive advances"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("section")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "theme"],
                name="section_one_per_theme",
                violation_error_message=_("The report already has a section on this theme."),
            )
        ]

    def __str__(self) -> str:
        return str(self.theme)


class ReportRecommendation(models.Model):
    report = models.ForeignKey(LocalReport, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(_("recommendation"))
    level = models.CharField(_("who should act"), max_length=10, choices=Level, default=Level.LOCAL)
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("theme")
    )
    official = models.ManyToManyField(
        Recommendation, blank=True, related_name="local_recommendations", verbose_name=_("official recommendations")
    )
    reinforces_unfulfilled = models.BooleanField(
        _("reinforces an earlier recommendation that remains unfulfilled"), default=False
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("recommendation")

    def __str__(self) -> str:
        return self.text[:80]


class Quote(models.Model):
    """Words from a testimony, placed in a section. Whether they are printed is decided at each render from the
    testimony's consent at that moment (withdrawn or changed consent removes them from renders not yet sent)."""

    report = models.ForeignKey(LocalReport, on_delete=models.CASCADE, related_name="quotes")
    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="+", verbose_name=_("testimony"))
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("in the section on")
    )
    excerpt = models.TextField(
        _("excerpt"),
        blank=True,
        help_text=_("Leave empty to quote the whole public version; an excerpt must be copied from it word for word."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("quote")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "testimony", "theme"],
                name="quote_once_per_section",
                violation_error_message=_("This testimony is already quoted in that section."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.testimony_id}: {self.excerpt[:40]}"


class Citation(models.Model):
    """A resource of the public library that the report cites, with an optional note (which page or paragraph).

    Organizers choose only among `resources.selectors.public_resources()`. A citation whose resource the national
    team unpublished later stays stored (so nothing is lost if it comes back) but is neither offered in the editor
    nor frozen into the next submitted version; versions already submitted keep what they cited (their snapshot).
    """

    report = models.ForeignKey(LocalReport, on_delete=models.CASCADE, related_name="citations")
    # Deleting a resource from the library drops it from drafts; submitted versions keep their frozen copy.
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+", verbose_name=_("resource"))
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Optional: which part you cite, for example “paragraphs 176.1 to 176.12” or “page 14”."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("cited resource")
        verbose_name_plural = _("cited resources")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "resource"],
                name="citation_once_per_report",
                violation_error_message=_("The report already cites this resource."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} cites {self.resource_id}"


class ReportVersion(models.Model):
    """The content as submitted, frozen; the national team's decision on it."""

    report = models.ForeignKey(LocalReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"))  # reports.content.snapshot(); rendered text comes from this
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision, default=Decision.PENDING)
    comment = models.TextField(_("comments for the city"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The resources its snapshot cites (content["citations"]), as rows: the resource page's "cited by local
    # reports" finds the published versions citing it with a join, on PostgreSQL and on SQLite alike (SQLite has
    # no JSON containment). Written once, at submission, like the content.
    cited_resources = models.ManyToManyField(
        Resource, blank=True, related_name="+", verbose_name=_("cited resources"), editable=False
    )

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("submitted version")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reportversion_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


def render_path(instance: Render, filename: str) -> str:
    return f"renders/{instance.format}/{secrets.token_hex(16)}.{instance.format}"


class RenderQuerySet(models.QuerySet):
    def for_object(self, obj: models.Model, document: str | None = None) -> RenderQuerySet:
        """The renders of `obj` (of its document `document` when given)."""
        return self.for_objects(type(obj), [obj.pk], document)

    def for_objects(self, model: type[models.Model], ids, document: str | None = None) -> RenderQuerySet:
        """The renders of the `model` rows whose ids are `ids` (of their document `document` when given)."""
        rows = self.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
        return rows if document is None else rows.filter(document=document)


class Render(models.Model):
    """One rendered file of one document of one object at one content version. Asking twice is free."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    document = models.CharField(_("document"), max_length=20, default="report")  # e.g. report, summary, brief
    version = models.CharField(_("content version"), max_length=64)  # sha256 of the document's content
    format = models.CharField(_("format"), max_length=8, choices=RenderFormat)
    status = models.CharField(_("status"), max_length=10, choices=RenderStatus, default=RenderStatus.QUEUED)
    file = models.FileField(_("file"), upload_to=render_path, storage=private_storage, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    # When the task was last handed to the broker: a queued render not handed over for a while (the broker was
    # down, or a worker lost it) is handed over again by the periodic tick; the claim makes a duplicate harmless.
    handed_over_at = models.DateTimeField(_("handed to a worker at"), null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    render_seconds = models.FloatField(_("rendering time (s)"), null=True, blank=True)

    objects = RenderQuerySet.as_manager()

    class Meta:
        verbose_name = _("render")
        ordering = ["-queued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "document", "version", "format"], name="render_once_per_version"
            ),
            models.CheckConstraint(condition=~Q(status=RenderStatus.DONE) | ~Q(file=""), name="render_done_has_file"),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id", "document", "format", "-queued_at"]),
            # The tick's scan for queued renders to hand over again: queued rows only.
            models.Index(fields=["handed_over_at"], name="render_queued_idx", condition=Q(status="queued")),
        ]

    def __str__(self) -> str:
        return f"{self.filename or self.document} ({self.format}, {self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (RenderStatus.DONE, RenderStatus.FAILED, RenderStatus.SUPERSEDED)
