"""The national stakeholder report to the UN (DESIGN.md sections 3 and 6): the report, its joint submitters, its
numbered paragraphs compiled from the accepted local reports, and the archive of what was sent to the UN.

The tables keep the names they had when these models lived in the reports app (`db_table`), so moving them here
changed no table.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cities.models import City
from national.enums import ContactTopic, ParagraphKind, SubmissionType
from testimony.models import Testimony
from testimony.storage import private_storage
from upr.models import Recommendation, ReviewCycle, Theme


class NationalReport(models.Model):
    """The civil-society stakeholder report to the UN for one review, compiled from accepted local reports and
    edited by the national team in the admin (DESIGN.md sections 3 and 6)."""

    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.PROTECT, related_name="national_reports", verbose_name=_("review cycle")
    )
    title = models.CharField(_("title"), max_length=250)
    submitter = models.CharField(
        _("submitting coalition"), max_length=200, help_text=_("The name the UN will cite the submission under.")
    )
    acronym = models.CharField(
        _("acronym"),
        max_length=30,
        help_text=_("The UN's summary cites submissions by acronym (JS1, JS2 … for joint ones)."),
    )
    description = models.TextField(
        _("short description of the submitter"),
        help_text=_("One or two sentences on who the coalition is; printed on the first page."),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    submission_type = models.CharField(
        _("type of submission"), max_length=12, choices=SubmissionType, default=SubmissionType.JOINT
    )
    period_start = models.DateField(_("period covered: from"), null=True, blank=True)
    period_end = models.DateField(_("period covered: to"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    compiled_at = models.DateTimeField(_("last compiled"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "reports_nationalreport"
        verbose_name = _("national report")
        verbose_name_plural = _("national reports")
        ordering = ["-cycle__number", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.acronym})"

    @property
    def word_limit(self) -> int:
        if self.submission_type == SubmissionType.JOINT:
            return self.cycle.word_limit_joint
        return self.cycle.word_limit_individual


class JointSubmitter(models.Model):
    """An organisation that signs the joint submission; it confirms its name through an emailed link."""

    report = models.ForeignKey(NationalReport, on_delete=models.CASCADE, related_name="joint_submitters")
    name = models.CharField(_("organisation"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30)
    description = models.CharField(_("short description"), max_length=300, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_at = models.DateTimeField(_("sign-off requested"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_name = models.CharField(_("name as confirmed"), max_length=200, blank=True)
    confirmed_version = models.CharField(_("text version confirmed"), max_length=64, blank=True)

    class Meta:
        db_table = "reports_jointsubmitter"
        ordering = ["position", "pk"]
        verbose_name = _("joint submitter")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "acronym"],
                name="jointsubmitter_acronym_unique",
                violation_error_message=_("Two organisations of this submission have the same acronym."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})"

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)


class NationalParagraph(models.Model):
    """One paragraph of the national report. Compiled ones keep a `source_key` so that compiling again updates
    what the team did not touch and keeps what it edited, reordered or left out. The trail (which local report
    sections and testimony a paragraph comes from) is for the team only, never printed."""

    report = models.ForeignKey(NationalReport, on_delete=models.CASCADE, related_name="paragraphs")
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("theme")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ParagraphKind, default=ParagraphKind.CHALLENGE)
    position = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))
    cities = models.ManyToManyField(City, blank=True, related_name="+", verbose_name=_("cited cities"))
    testimony = models.ForeignKey(
        Testimony,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quoted testimony"),
    )
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_('For example "Shared by 3 cities." Printed after the text.')
    )
    omitted = models.BooleanField(_("leave out"), default=False)
    source_key = models.CharField(max_length=200, blank=True, editable=False)
    generated_text = models.TextField(blank=True, editable=False)
    source_changed = models.BooleanField(_("source changed since edited"), default=False, editable=False)
    trail = models.JSONField(_("sources"), default=list, blank=True, editable=False)

    class Meta:
        db_table = "reports_nationalparagraph"
        ordering = ["position", "pk"]
        verbose_name = _("paragraph")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "source_key"], condition=~Q(source_key=""), name="nationalparagraph_source_once"
            )
        ]

    def __str__(self) -> str:
        # Admin headings, history and messages use this: a quote's words may stop being shown, so never here.
        if self.kind == ParagraphKind.QUOTE:
            return _("Quote of testimony #%(id)s") % {"id": self.testimony_id or "—"}
        return self.text[:80]

    @property
    def edited(self) -> bool:
        return bool(self.source_key) and self.text != self.generated_text


def sent_path(instance: UNSubmission, filename: str) -> str:
    return f"sent-to-un/{secrets.token_hex(16)}.docx"


class UNSubmission(models.Model):
    """The national report as sent to the UN: the exact Word file, archived for the national team. It is a record
    of what left, not a render: no later change supersedes it, and a withdrawal does not erase it (what was sent
    cannot be recalled, and the person was told so, DESIGN.md section 5)."""

    report = models.ForeignKey(
        NationalReport, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("national report")
    )
    sent_on = models.DateField(_("sent to the UN on"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    version = models.CharField(_("content version"), max_length=64)
    file = models.FileField(_("file sent"), upload_to=sent_path, storage=private_storage)
    filename = models.CharField(_("file name"), max_length=200)
    quoted = models.ManyToManyField(Testimony, blank=True, related_name="+", verbose_name=_("testimony quoted"))

    class Meta:
        db_table = "reports_unsubmission"
        ordering = ["-sent_on", "-recorded_at"]
        verbose_name = _("submission sent to the UN")
        verbose_name_plural = _("submissions sent to the UN")

    def __str__(self) -> str:
        return f"{self.report} · {self.sent_on}"


class ContactMessageQuerySet(models.QuerySet):
    def waiting(self) -> ContactMessageQuerySet:
        return self.filter(handled_at__isnull=True)


class ContactMessage(models.Model):
    """A message to the national team from the contact page: kept here for the national team (the admin) and
    emailed to NATIONAL_TEAM_EMAIL; deleted CONTACT_RETENTION_DAYS after it was sent (national.services)."""

    topic = models.CharField(_("topic"), max_length=16, choices=ContactTopic)
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    city_name = models.CharField(_("city"), max_length=120, blank=True)
    message = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=8, default="en")
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    handled_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    objects = ContactMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to the national team")
        verbose_name_plural = _("messages to the national team")
        indexes = [
            # The retention job deletes by age.
            models.Index(fields=["created_at"], name="contact_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()}: {self.name}"


class MidtermReport(models.Model):
    """The mid-term implementation report to the UN (OHCHR invites stakeholders to report half-way between two
    reviews): compiled from every city's tracking of one review's recommendations (`national.midterm`), edited in
    the admin, checked and rendered to Word and PDF like the national report."""

    cycle = models.ForeignKey(
        ReviewCycle,
        on_delete=models.PROTECT,
        related_name="midterm_reports",
        verbose_name=_("review followed up"),
        help_text=_("The review whose recommendations the report follows up."),
    )
    title = models.CharField(_("title"), max_length=250)
    submitter = models.CharField(_("submitting coalition"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30)
    description = models.TextField(
        _("short description of the submitter"), help_text=_("One or two sentences; printed on the first page.")
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    submission_type = models.CharField(
        _("type of submission"), max_length=12, choices=SubmissionType, default=SubmissionType.JOINT
    )
    period_start = models.DateField(_("period covered: from"), null=True, blank=True)
    period_end = models.DateField(_("period covered: to"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Printed first, before the recommendations followed up.")
    )
    compiled_at = models.DateTimeField(_("last compiled"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mid-term report")
        verbose_name_plural = _("mid-term reports")
        ordering = ["-cycle__number", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.acronym})"

    @property
    def word_limit(self) -> int:
        if self.submission_type == SubmissionType.JOINT:
            return self.cycle.word_limit_joint
        return self.cycle.word_limit_individual


class MidtermParagraph(models.Model):
    """One official recommendation followed up: where the cities tracking it say it stands, what changed, the
    offices' approved replies. Compiling again updates what the national team did not edit."""

    report = models.ForeignKey(MidtermReport, on_delete=models.CASCADE, related_name="paragraphs")
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("theme")
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="+", verbose_name=_("recommendation")
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))
    cities = models.ManyToManyField(City, blank=True, related_name="+", verbose_name=_("cities tracking it"))
    omitted = models.BooleanField(_("leave out"), default=False)
    edited = models.BooleanField(_("edited by the national team"), default=False, editable=False)
    generated_text = models.TextField(blank=True, editable=False)
    source_changed = models.BooleanField(_("tracking changed since edited"), default=False, editable=False)
    # The status updates the text stands on; their evidence is resolved at each print (links, public documents,
    # testimony only while its consent allows advocacy and the report to the UN).
    updates = models.JSONField(_("status updates cited"), default=list, blank=True, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("mid-term paragraph")
        verbose_name_plural = _("mid-term paragraphs")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "recommendation"], name="midterm_paragraph_one_per_recommendation"
            )
        ]

    def __str__(self) -> str:
        return self.recommendation.paragraph
