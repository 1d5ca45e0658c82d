from django import forms
from django.contrib import admin, messages
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from portal.admin_inlines import LabelledTabularInline
from upr.clusters import compute_clusters
from upr.importer import ImportRefused
from upr.models import (
    AffectedGroup,
    Milestone,
    Recommendation,
    RecommendationCluster,
    ReviewCycle,
    SustainableDevelopmentGoal,
    Theme,
)
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
    list_filter = ["cycle", "response", "themes", "affected_groups", "sdgs", ("cluster", admin.EmptyFieldListFilter)]
    search_fields = ["paragraph", "text", "recommending_states"]
    autocomplete_fields = ["cluster"]
    # The themes as checkboxes: Django's two-box filter widget carries ARIA attributes its elements may not have.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    list_select_related = ["cycle"]
    change_list_template = "admin/upr/recommendation/change_list.html"

    @admin.display(description=_("text"))
    def short_text(self, obj: Recommendation) -> str:
        return obj.text if len(obj.text) <= 120 else obj.text[:117] + "…"

    def save_model(self, request, obj: Recommendation, form, change: bool) -> None:
        # A recommendation the national team moved stays where they put it when clusters are computed again.
        if "cluster" in form.changed_data:
            obj.cluster_pinned = True
        super().save_model(request, obj, form, change)

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


@admin.register(AffectedGroup)
class AffectedGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "name_es", "slug"]
    list_editable = ["name_es"]
    search_fields = ["name", "name_es"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(admin.ModelAdmin):
    """The 17 goals are fixed; only their names can be corrected."""

    list_display = ["number", "name", "name_es"]
    readonly_fields = ["number"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ClusterMemberInline(LabelledTabularInline):
    model = Recommendation
    fields = ["cycle", "paragraph", "text", "recommending_states", "cluster_pinned"]
    readonly_fields = ["cycle", "paragraph", "text", "recommending_states"]
    extra = 0
    can_delete = False  # it would delete the recommendation: move one out from its own page instead
    show_change_link = True
    verbose_name_plural = _("recommendations in this cluster (move one out or in from its own page)")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RecommendationCluster)
class RecommendationClusterAdmin(admin.ModelAdmin):
    list_display = ["label", "size", "label_edited"]
    search_fields = ["label", "recommendations__text"]
    fields = ["label", "label_edited"]
    inlines = [ClusterMemberInline]
    change_list_template = "admin/upr/recommendationcluster/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(size=models.Count("recommendations"))

    @admin.display(description=_("recommendations"), ordering="size")
    def size(self, obj: RecommendationCluster) -> int:
        return obj.size  # type: ignore[attr-defined]

    def save_model(self, request, obj: RecommendationCluster, form, change: bool) -> None:
        if change and "label" in form.changed_data:
            obj.label_edited = True
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path("compute/", self.admin_site.admin_view(self.compute_view), name="upr_recommendationcluster_compute"),
            *super().get_urls(),
        ]

    def compute_view(self, request):
        if request.method != "POST" or not self.has_change_permission(request):
            return redirect("admin:upr_recommendationcluster_changelist")
        result = compute_clusters()
        self.message_user(
            request,
            _("%(n)s clusters hold %(r)s recommendations (%(c)s new, %(d)s removed).")
            % {"n": result.clusters, "r": result.clustered, "c": result.created, "d": result.removed},
            messages.SUCCESS,
        )
        return redirect("admin:upr_recommendationcluster_changelist")
