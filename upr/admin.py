from django import forms
from django.contrib import admin, messages
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from portal.admin_inlines import LabelledTabularInline
from upr.importer import ImportRefused
from upr.models import Milestone, Recommendation, ReviewCycle, Theme
from upr.uhri import import_recommendation_file


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_es", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "name_es", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


class MilestoneInline(LabelledTabularInline):
    model = Milestone
    extra = 0
    fields = ["date", "kind", "title", "title_es", "audience", "reminder_offsets"]


@admin.register(ReviewCycle)
class ReviewCycleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "review_date", "report_symbol", "recommendations_total"]
    list_filter = ["status", "country"]
    search_fields = ["country", "report_symbol"]
    inlines = [MilestoneInline]
    fieldsets = [
        (None, {"fields": ["country", "number", "status", "note", "note_es"]}),
        (
            _("The review"),
            {"fields": ["working_group_session", "review_date", "report_symbol", "response_symbol", "outcome_adopted"]},
        ),
        (
            _("Recommendations"),
            {"fields": ["recommendations_total", "recommendations_supported", "recommendations_noted"]},
        ),
        (_("Stakeholder submission limits (OHCHR)"), {"fields": ["word_limit_individual", "word_limit_joint"]}),
        (_("Local report limits"), {"fields": ["local_report_word_limit", "local_summary_word_limit"]}),
    ]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "title_es", "date", "kind", "cycle", "audience"]
    list_filter = ["kind", "audience", "cycle"]
    search_fields = ["title", "title_es"]
    date_hierarchy = "date"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Either the export of the UN's Universal Human Rights Index (uhri.ohchr.org: the Excel or CSV file its "
            "search offers, with affected persons and SDGs), or the portal's UTF-8 CSV with the columns cycle, "
            "document, paragraph, recommendation, recommending_states, position, source_themes. The whole file is "
            "checked first: if any line is bad nothing is imported."
        ),
    )


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["paragraph", "cycle", "short_text", "recommending_states", "response"]
    list_filter = ["cycle", "response", "themes"]
    search_fields = ["paragraph", "text", "recommending_states"]
    # The themes as checkboxes: Django's two-box filter widget carries ARIA attributes its elements may not have.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    list_select_related = ["cycle"]
    change_list_template = "admin/upr/recommendation/change_list.html"

    @admin.display(description=_("text"))
    def short_text(self, obj: Recommendation) -> str:
        return obj.text if len(obj.text) <= 120 else obj.text[:117] + "…"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="upr_recommendation_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        errors: list[str] = []
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result, skipped = import_recommendation_file(form.cleaned_data["file"].read())
            except ImportRefused as exc:
                errors = exc.errors
            else:
                self.message_user(
                    request,
                    _(
                        "Imported: %(c)s created, %(u)s updated, %(n)s unchanged. Skipped: %(m)s of other "
                        "mechanisms, %(o)s of other countries."
                    )
                    % {
                        "c": result.created,
                        "u": result.updated,
                        "n": result.unchanged,
                        "m": skipped.other_mechanisms,
                        "o": skipped.other_countries,
                    },
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:upr_recommendation_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import recommendations"),
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/upr/recommendation/import.html", context)
