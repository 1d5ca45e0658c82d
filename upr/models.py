from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from upr.enums import (
    DEFAULT_LOCAL_REPORT_WORDS,
    DEFAULT_LOCAL_SUMMARY_WORDS,
    DEFAULT_REMINDER_OFFSETS,
    DEFAULT_WORD_LIMIT_INDIVIDUAL,
    DEFAULT_WORD_LIMIT_JOINT,
    Audience,
    CycleStatus,
    MilestoneKind,
    Response,
)


def in_page_language(english: str, spanish: str) -> str:
    """What the national team typed, in the active language: the Spanish text on Spanish pages (and in Spanish
    emails, rendered under their recipient's language), the English one otherwise or where no Spanish was written."""
    return spanish if spanish and (get_language() or "en").startswith("es") else english


class Theme(models.Model):
    """One of the portal's shared themes, used on recommendations, testimony, report sections and events."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name (English)"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    # The source files' own labels that belong to this theme, so imports can map them.
    ohchr_labels = models.JSONField(_("OHCHR theme labels"), default=list, blank=True)
    upr_info_labels = models.JSONField(_("UPR Info issue labels"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("theme")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_page_language(self.name, self.name_es)


class ReviewCycleQuerySet(models.QuerySet):
    def current(self) -> ReviewCycle | None:
        """The cycle the network works on now: the latest one whose outcome is not yet adopted."""
        open_cycle = self.filter(outcome_adopted__isnull=True).order_by("-number").first()
        return open_cycle or self.order_by("-number").first()

    def with_imported_count(self) -> ReviewCycleQuerySet:
        """Each cycle with `imported_recommendations`, how many of its recommendations the portal holds: the UN's
        own count (recommendations_total) is known for every held review, its text only once a file is imported."""
        return self.annotate(imported_recommendations=models.Count("recommendations"))

    def with_recommendations(self) -> ReviewCycleQuerySet:
        """The reviews that made recommendations, imported or not (with_imported_count): those a reader can ask
        for, and be told which are not in the portal yet rather than find the review missing."""
        return self.with_imported_count().filter(
            models.Q(imported_recommendations__gt=0) | models.Q(recommendations_total__gt=0)
        )


class ReviewCycle(models.Model):
    country = models.CharField(_("country under review"), max_length=80, default="United States of America")
    number = models.PositiveSmallIntegerField(_("cycle"))
    working_group_session = models.PositiveSmallIntegerField(_("Working Group session"), null=True, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    report_symbol = models.CharField(
        _("Working Group report"), max_length=40, blank=True, help_text=_("For example A/HRC/46/15")
    )
    response_symbol = models.CharField(_("State response"), max_length=40, blank=True)
    outcome_adopted = models.DateField(_("outcome adopted"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CycleStatus, default=CycleStatus.UPCOMING)
    recommendations_total = models.PositiveIntegerField(_("recommendations received"), null=True, blank=True)
    recommendations_supported = models.PositiveIntegerField(_("supported in whole or in part"), null=True, blank=True)
    recommendations_noted = models.PositiveIntegerField(_("noted"), null=True, blank=True)
    word_limit_individual = models.PositiveIntegerField(
        _("word limit, individual submission"), default=DEFAULT_WORD_LIMIT_INDIVIDUAL
    )
    word_limit_joint = models.PositiveIntegerField(_("word limit, joint submission"), default=DEFAULT_WORD_LIMIT_JOINT)
    local_report_word_limit = models.PositiveIntegerField(
        _("word limit, city's local report"),
        default=DEFAULT_LOCAL_REPORT_WORDS,
        help_text=_("About five pages. The short summary has its own limit."),
    )
    local_summary_word_limit = models.PositiveIntegerField(
        _("word limit, city's short summary"), default=DEFAULT_LOCAL_SUMMARY_WORDS, help_text=_("One to two pages.")
    )
    note = models.TextField(_("note"), blank=True)
    note_es = models.TextField(
        _("note (Spanish)"), blank=True, help_text=_("Shown on Spanish pages; left empty, they show the English note.")
    )

    objects = ReviewCycleQuerySet.as_manager()

    class Meta:
        ordering = ["country", "number"]
        verbose_name = _("review cycle")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "number"],
                name="reviewcycle_country_number_unique",
                violation_error_message=_("This country already has a review cycle with that number."),
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1),
                name="reviewcycle_number_positive",
                violation_error_message=_("Cycles are numbered from 1."),
            ),
        ]

    def __str__(self) -> str:
        if self.review_date:
            return gettext("Cycle %(number)s (%(year)s)") % {"number": self.number, "year": self.review_date.year}
        return gettext("Cycle %(number)s") % {"number": self.number}

    @property
    def display_note(self) -> str:
        """The note in the language of the page (English where no Spanish was written)."""
        return in_page_language(self.note, self.note_es)

    @property
    def awaits_import(self) -> bool:
        """The review made recommendations but the portal holds none of their text yet (with_imported_count)."""
        return bool(self.recommendations_total) and not self.imported_recommendations


class MilestoneQuerySet(models.QuerySet):
    def upcoming(self, today: dt.date | None = None) -> MilestoneQuerySet:
        return self.filter(date__gte=today or timezone.localdate()).order_by("date")

    def public(self) -> MilestoneQuerySet:
        return self.filter(audience=Audience.EVERYONE)


class Milestone(models.Model):
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=32, choices=MilestoneKind)
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(
        _("title (Spanish)"),
        max_length=200,
        blank=True,
        help_text=_("Shown on Spanish pages and in Spanish emails; left empty, they show the English title."),
    )
    date = models.DateField(_("date"))
    audience = models.CharField(_("audience"), max_length=20, choices=Audience, default=Audience.EVERYONE)
    reminder_offsets = models.JSONField(
        _("reminder offsets (days before)"),
        default=list,
        blank=True,
        help_text=_("For example [30, 14, 7, 1]. Empty means no reminders."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("milestone")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind", "date"],
                name="milestone_cycle_kind_date_unique",
                violation_error_message=_("This cycle already has a milestone of this kind on that date."),
            )
        ]
        indexes = [
            # The home page and the reminder tick ask for the next milestones by date.
            models.Index(fields=["date"], name="milestone_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"

    @property
    def display_title(self) -> str:
        """The title in the language of the page or email (English where no Spanish was written)."""
        return in_page_language(self.title, self.title_es)

    def clean(self) -> None:
        offsets = self.reminder_offsets
        if not isinstance(offsets, list) or not all(isinstance(o, int) and 0 <= o <= 365 for o in offsets):
            raise ValidationError(
                {"reminder_offsets": _("Give a list of whole days between 0 and 365, e.g. [30, 14, 7, 1].")}
            )
        self.reminder_offsets = sorted(set(offsets), reverse=True)

    @staticmethod
    def default_offsets() -> list[int]:
        return list(DEFAULT_REMINDER_OFFSETS)

    def days_left(self, today: dt.date | None = None) -> int:
        return (self.date - (today or timezone.localdate())).days


class AffectedGroup(models.Model):
    """A group of persons a recommendation concerns ("affected persons" in the UN's Universal Human Rights Index),
    created by the index import from its labels; the national team writes the Spanish name."""

    slug = models.SlugField(unique=True, max_length=120)
    name = models.CharField(_("name (English)"), max_length=120, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("affected persons")
        verbose_name_plural = _("affected persons")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_page_language(self.name, self.name_es)


class SustainableDevelopmentGoal(models.Model):
    """One of the 17 Sustainable Development Goals (a data migration writes them, in English and Spanish)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name (English)"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Sustainable Development Goal")
        constraints = [
            models.CheckConstraint(condition=models.Q(number__gte=1, number__lte=17), name="sdg_number_1_to_17")
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.number}. {in_page_language(self.name, self.name_es)}"


class RecommendationCluster(models.Model):
    """Recommendations that make the same ask, from many states and across reviews.

    Computed from the texts (`upr.clusters`); the national team may rename a cluster and move recommendations in
    or out, and a recommendation they placed (`Recommendation.cluster_pinned`) stays where they put it when the
    clusters are computed again.
    """

    label = models.CharField(_("label"), max_length=200)
    label_edited = models.BooleanField(
        _("label written by the national team"), default=False, help_text=_("Computing again keeps this label.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["label"]
        verbose_name = _("cluster of similar recommendations")
        verbose_name_plural = _("clusters of similar recommendations")

    def __str__(self) -> str:
        return self.label


class RecommendationQuerySet(models.QuerySet):
    def for_listing(self) -> RecommendationQuerySet:
        return self.select_related("cycle").prefetch_related("themes", "affected_groups", "sdgs")


class Recommendation(models.Model):
    """An official UPR recommendation to the State under review, as the Working Group report numbers it."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, related_name="recommendations")
    document = models.CharField(_("document"), max_length=40)
    paragraph = models.CharField(_("paragraph"), max_length=16, help_text=_('For example "26.112"'))
    # Sorting "26.9" before "26.112" needs the numbers, not the text.
    sort_key = models.PositiveIntegerField(editable=False, default=0)
    text = models.TextField(_("text"))
    recommending_states = models.CharField(_("recommending states"), max_length=500)
    response = models.CharField(_("response"), max_length=20, choices=Response, default=Response.PENDING)
    themes = models.ManyToManyField(Theme, blank=True, related_name="recommendations", verbose_name=_("themes"))
    source_themes = models.CharField(_("source's theme labels"), max_length=500, blank=True)
    affected_groups = models.ManyToManyField(
        AffectedGroup, blank=True, related_name="recommendations", verbose_name=_("affected persons")
    )
    sdgs = models.ManyToManyField(
        SustainableDevelopmentGoal, blank=True, related_name="recommendations", verbose_name=_("SDGs")
    )
    cluster = models.ForeignKey(
        RecommendationCluster,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("cluster of similar recommendations"),
    )
    cluster_pinned = models.BooleanField(
        _("placed by the national team"),
        default=False,
        help_text=_("Computing the clusters again leaves this recommendation in its cluster (or in none)."),
    )

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["cycle__number", "sort_key"]
        verbose_name = _("recommendation")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "paragraph"],
                name="recommendation_cycle_paragraph_unique",
                violation_error_message=_("This cycle already has a recommendation with that paragraph number."),
            )
        ]
        indexes = [
            # The public list pages through a cycle in paragraph order.
            models.Index(fields=["cycle", "sort_key"], name="recommendation_cycle_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.paragraph} ({self.recommending_states})"

    def save(self, *args, **kwargs):
        self.sort_key = paragraph_sort_key(self.paragraph)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("upr:recommendation", args=[self.cycle.number, self.paragraph])


def paragraph_sort_key(paragraph: str) -> int:
    major, _sep, minor = paragraph.partition(".")
    try:
        return int(major) * 10_000 + int(minor or 0)
    except ValueError:
        return 0
