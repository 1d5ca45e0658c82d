"""Indicators as data: what each figure measures and how to read it, and every value a city has had, with its
source. A value is never overwritten: a correction is a new row, and the row it replaces stays as history."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import City
from indicators.enums import (
    READING_SYMBOLS,
    Better,
    Geography,
    Kind,
    MatchHow,
    Origin,
    Reading,
    ValueType,
)
from upr.models import Theme, in_page_language


class Indicator(models.Model):
    slug = models.SlugField(unique=True)
    source_key = models.CharField(
        _("source's identifier"),
        max_length=60,
        blank=True,
        help_text=_("The id the source's codebook gives it (e.g. sdg11v5_rentburden); empty for the portal's own."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.OUTCOME)
    name = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    description = models.TextField(_("what it measures (English)"), blank=True)
    description_es = models.TextField(_("what it measures (Spanish)"), blank=True)
    unit = models.CharField(_("unit"), max_length=80, blank=True, help_text=_("As shown after a figure, e.g. %."))
    value_type = models.CharField(_("type of value"), max_length=10, choices=ValueType, default=ValueType.NUMBER)
    better = models.CharField(_("better direction"), max_length=6, choices=Better, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="indicators", verbose_name=_("themes"))
    sdg_target = models.CharField(_("SDG target"), max_length=40, blank=True, help_text=_("e.g. Target 11.1"))
    source_name = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source link"), blank=True)
    to_green = models.DecimalField(_("threshold: goal reached"), max_digits=18, decimal_places=6, null=True, blank=True)
    to_yellow = models.DecimalField(
        _("threshold: challenges remain"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    to_orange = models.DecimalField(
        _("threshold: significant challenges"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("indicator")
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~models.Q(source_key=""),
                name="indicator_source_key_unique",
                violation_error_message=_("Another indicator already has this source identifier."),
            ),
            models.CheckConstraint(
                condition=~models.Q(source_name=""),
                name="indicator_has_source",
                violation_error_message=_("Name the indicator's source."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind=Kind.STRUCTURAL, value_type=ValueType.YES_NO)
                | (models.Q(kind=Kind.OUTCOME) & ~models.Q(value_type=ValueType.YES_NO)),
                name="indicator_kind_matches_type",
                violation_error_message=_("A structural fact is a yes or no; an outcome figure is a number."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return in_page_language(self.name, self.name_es)

    @property
    def display_description(self) -> str:
        return in_page_language(self.description, self.description_es)

    @property
    def thresholds(self) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        return self.to_green, self.to_yellow, self.to_orange

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.kind == Kind.STRUCTURAL and self.value_type != ValueType.YES_NO:
            errors.setdefault("value_type", []).append(_("A structural fact is recorded as yes or no."))
        if self.kind == Kind.OUTCOME and self.value_type == ValueType.YES_NO:
            errors.setdefault("value_type", []).append(_("An outcome figure is a number, not a yes or no."))
        thresholds = self.thresholds
        if any(t is not None for t in thresholds):
            if any(t is None for t in thresholds):
                errors.setdefault("to_green", []).append(_("Give all three thresholds, or none."))
            elif not self.better:
                errors.setdefault("better", []).append(_("Thresholds need the direction that is better."))
            else:
                green, yellow, orange = thresholds
                if self.better == Better.HIGHER and not green >= yellow >= orange:
                    errors.setdefault("to_green", []).append(
                        _(
                            "Higher is better, so the thresholds must go down from “goal reached” to “significant "
                            "challenges” (%(green)s ≥ %(yellow)s ≥ %(orange)s)."
                        )
                        % {"green": green, "yellow": yellow, "orange": orange}
                    )
                if self.better == Better.LOWER and not green <= yellow <= orange:
                    errors.setdefault("to_green", []).append(
                        _(
                            "Lower is better, so the thresholds must go up from “goal reached” to “significant "
                            "challenges” (%(green)s ≤ %(yellow)s ≤ %(orange)s)."
                        )
                        % {"green": green, "yellow": yellow, "orange": orange}
                    )
        if errors:
            raise ValidationError(errors)

    def reading(self, value: Decimal | None) -> Reading | None:
        """The traffic-light level of `value`, or None where the indicator has no thresholds."""
        green, yellow, orange = self.thresholds
        if value is None or green is None or yellow is None or orange is None or not self.better:
            return None
        at_least = (lambda v, t: v >= t) if self.better == Better.HIGHER else (lambda v, t: v <= t)
        if at_least(value, green):
            return Reading.GREEN
        if at_least(value, yellow):
            return Reading.YELLOW
        if at_least(value, orange):
            return Reading.ORANGE
        return Reading.RED

    def check_value(self, value: Decimal | None, fact: bool | None) -> list[str]:
        """Why `value` (or `fact`) cannot be a value of this indicator; empty when it can."""
        if self.kind == Kind.STRUCTURAL:
            if value is not None:
                return [str(_("“%(name)s” is a structural fact: answer yes or no, not a figure.") % {"name": self})]
            if fact is None:
                return [str(_("Say whether the city has it (yes or no)."))]
            return []
        if fact is not None:
            return [str(_("“%(name)s” is a figure, not a yes or no.") % {"name": self})]
        if value is None:
            return [str(_("Enter the figure."))]
        if self.value_type == ValueType.PERCENT and not Decimal(0) <= value <= Decimal(100):
            return [str(_("A percentage is between 0 and 100; %(value)s is not.") % {"value": value})]
        if self.value_type in (ValueType.RATE, ValueType.COUNT) and value < 0:
            return [str(_("This figure cannot be below zero."))]
        if self.value_type == ValueType.COUNT and value != value.to_integral_value():
            return [str(_("This figure is a count: a whole number."))]
        return []


def document_path(instance: IndicatorValue, filename: str) -> str:
    return f"indicators/{instance.city_id}/{filename}"


class IndicatorValueQuerySet(models.QuerySet):
    def current(self) -> IndicatorValueQuerySet:
        """The values in force: one per city, indicator and year (the rows they replaced are history)."""
        return self.filter(replaced_at__isnull=True)


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="indicator_values")
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(
        _("period"), max_length=20, blank=True, help_text=_("Where the figure covers several years, e.g. 2013-2017.")
    )
    value = models.DecimalField(_("figure"), max_digits=18, decimal_places=6, null=True, blank=True)
    fact = models.BooleanField(_("the city has it"), null=True, blank=True)
    fact_date = models.DateField(_("date of the fact"), null=True, blank=True)
    geography = models.CharField(_("area described"), max_length=6, choices=Geography, default=Geography.CITY)
    metro_name = models.CharField(_("metropolitan area"), max_length=200, blank=True)
    source_name = models.CharField(_("source"), max_length=300, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    document = models.FileField(_("source document"), upload_to=document_path, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    origin = models.CharField(_("entered through"), max_length=10, choices=Origin, default=Origin.ORGANIZER)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "city", "year", "entered_at"]
        verbose_name = _("indicator value")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "city", "year"],
                condition=models.Q(replaced_at__isnull=True),
                name="indicatorvalue_one_current",
                violation_error_message=_("This city already has a figure for this indicator and year."),
            ),
            models.CheckConstraint(
                condition=~models.Q(source_url="", document=""),
                name="indicatorvalue_has_source",
                violation_error_message=_("Give the figure's source: a link or a document."),
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=False, fact__isnull=True)
                | models.Q(value__isnull=True, fact__isnull=False),
                name="indicatorvalue_figure_or_fact",
                violation_error_message=_("A value is either a figure or a yes/no fact."),
            ),
            models.CheckConstraint(
                condition=models.Q(geography=Geography.CITY) | ~models.Q(metro_name=""),
                name="indicatorvalue_metro_named",
                violation_error_message=_("A metropolitan-area figure names its metropolitan area."),
            ),
        ]
        indexes = [
            # The profile and compare pages read the values in force of a few cities.
            models.Index(
                fields=["city", "indicator", "year"],
                name="indvalue_current_idx",
                condition=models.Q(replaced_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.city} ({self.year})"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.year and self.year > timezone.localdate().year:
            errors.setdefault("year", []).append(
                _("%(year)s is in the future: give the year the figure describes.") % {"year": self.year}
            )
        if not self.source_url and not self.document:
            errors.setdefault("source_url", []).append(_("Give the figure's source: a link or a document."))
        if self.fact_date and self.fact_date > timezone.localdate():
            errors.setdefault("fact_date", []).append(_("The date of the fact cannot be in the future."))
        if self.indicator_id:
            for message in self.indicator.check_value(self.value, self.fact):
                errors.setdefault("fact" if self.indicator.kind == Kind.STRUCTURAL else "value", []).append(message)
        if errors:
            raise ValidationError(errors)

    @property
    def is_metro(self) -> bool:
        return self.geography == Geography.METRO

    @property
    def year_label(self) -> str:
        return self.period or str(self.year)

    @property
    def source_link(self) -> str:
        return self.source_url or (self.document.url if self.document else "")


class MetroMatch(models.Model):
    """Which SDSN metro area a portal city's figures come from. The importer matches by the area's main city and
    state; `override_cbsa` (set by the national team) wins over that, for a city the rule misses or gets wrong."""

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="metro_match")
    override_cbsa = models.CharField(
        _("metro area code set by hand (CBSA)"),
        max_length=10,
        blank=True,
        help_text=_("The area's CBSA code in the SDSN file, e.g. 35620 for New York-Newark-Jersey City."),
    )
    cbsa = models.CharField(_("matched metro area code (CBSA)"), max_length=10, blank=True)
    metro_name = models.CharField(_("matched metro area"), max_length=200, blank=True)
    matched_how = models.CharField(_("matched by"), max_length=10, choices=MatchHow, default=MatchHow.NONE)
    imported_at = models.DateTimeField(_("last imported"), null=True, blank=True)

    class Meta:
        ordering = ["city__name"]
        verbose_name = _("metro area match")
        verbose_name_plural = _("metro area matches")

    def __str__(self) -> str:
        return f"{self.city} → {self.metro_name or '—'}"


def reading_symbol(reading: Reading | None) -> str:
    return READING_SYMBOLS.get(reading, "") if reading else ""
