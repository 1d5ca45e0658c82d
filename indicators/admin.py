from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators import services
from indicators.enums import Origin
from indicators.importer import import_sdsn
from indicators.models import Indicator, IndicatorValue, MetroMatch


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """The national team defines the network-wide indicators here; Indicator.clean refuses thresholds the wrong
    way round and a kind that does not fit the type of value."""

    list_display = ["name", "kind", "unit", "better", "sdg_target", "source_name"]
    list_filter = ["kind", "themes"]
    search_fields = ["name", "name_es", "source_key", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    # Checkboxes: Django's two-box filter widget carries ARIA attributes its elements may not have.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}


class RecordValueForm(forms.ModelForm):
    def validate_unique(self):
        """The value in force for the same year is replaced by services.record_value, so "one value in force"
        is not an error here."""


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    """Values are added, never edited: a correction is a new value, and the one it replaces stays as history."""

    form = RecordValueForm

    list_display = ["indicator", "city", "year", "value", "fact", "geography", "origin", "entered_at", "replaced_at"]
    list_filter = ["origin", "geography", "indicator__kind", "city"]
    search_fields = ["indicator__name", "city__name"]
    list_select_related = ["indicator", "city"]
    autocomplete_fields = ["indicator"]
    fields = [
        "indicator",
        "city",
        "year",
        "period",
        "value",
        "fact",
        "fact_date",
        "geography",
        "metro_name",
        "source_name",
        "source_url",
        "document",
        "note",
    ]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        data = {name: getattr(obj, name) for name in self.fields if name not in ("indicator", "city")}
        services.record_value(obj.indicator, obj.city, **data, entered_by=request.user, origin=Origin.NATIONAL)


@admin.register(MetroMatch)
class MetroMatchAdmin(admin.ModelAdmin):
    list_display = ["city", "metro_name", "cbsa", "matched_how", "override_cbsa", "imported_at"]
    list_editable = ["override_cbsa"]
    list_filter = ["matched_how"]
    readonly_fields = ["cbsa", "metro_name", "matched_how", "imported_at"]
    list_select_related = ["city"]
    actions = ["import_figures"]

    @admin.action(description=_("Import the SDSN 2019 figures for the selected cities"))
    def import_figures(self, request, queryset):
        try:
            result = import_sdsn([match.city for match in queryset.select_related("city")])
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
            return
        self.message_user(
            request,
            _(
                "New values: %(created)d; changed (the earlier value kept as history): %(changed)d; unchanged: "
                "%(unchanged)d; empty cells skipped: %(skipped)d; cities outside the 105 metro areas: %(unmatched)d."
            )
            % {
                "created": result.created,
                "changed": result.changed,
                "unchanged": result.unchanged,
                "skipped": len(result.skipped),
                "unmatched": len(result.unmatched),
            },
            messages.SUCCESS,
        )
