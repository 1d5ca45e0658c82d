"""The national team's side of local reports: read each submitted version, compare versions, accept or return
with comments, and download renders. The cities' own text is not edited here: it is returned to them."""

from __future__ import annotations

import difflib

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin_inlines import LabelledTabularInline
from reports import rendering, services
from reports.content import as_text
from reports.enums import RenderFormat, RenderStatus, ReportStatus
from reports.forms import DecisionForm
from reports.models import (
    LocalReport,
    Render,
    ReportVersion,
)


class ReportVersionInline(LabelledTabularInline):
    model = ReportVersion
    extra = 0
    can_delete = False
    fields = ["number", "submitted_at", "submitted_by", "decision", "comment", "decided_at", "decided_by", "compare"]
    readonly_fields = fields
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("compare"))
    def compare(self, version: ReportVersion) -> str:
        if version.number <= 1:
            return "—"
        url = reverse("admin:reports_localreport_diff", args=[version.report_id])
        return format_html(
            '<a href="{}?a={}&amp;b={}">{}</a>',
            url,
            version.number - 1,
            version.number,
            _("changes since version %(n)s") % {"n": version.number - 1},
        )


@admin.register(LocalReport)
class LocalReportAdmin(admin.ModelAdmin):
    list_display = ["city", "cycle", "status", "submitted_at", "accepted_at", "updated_at"]
    list_filter = ["status", "cycle"]
    search_fields = ["city__name", "city__state"]
    list_select_related = ["city", "cycle"]
    readonly_fields = [
        "city",
        "cycle",
        "status",
        "language",
        "executive_summary",
        "methodology",
        "short_summary",
        "updated_at",
        "updated_by",
        "submitted_at",
        "accepted_at",
    ]
    fields = readonly_fields
    inlines = [ReportVersionInline]
    change_form_template = "admin/reports/localreport/change_form.html"

    class Media:
        css = {"all": ["reports/admin.css"]}

    def has_add_permission(self, request) -> bool:
        return False  # a report is started by the city's organizers

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:report_id>/decide/", view(self.decide_view), name="reports_localreport_decide"),
            path("<int:report_id>/diff/", view(self.diff_view), name="reports_localreport_diff"),
            path("<int:report_id>/render/", view(self.render_view), name="reports_localreport_render"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        extra = {}
        if report is not None:
            latest = report.versions.order_by("-number").first()
            document = rendering.build_document(latest, "report") if latest else None
            extra = {
                "latest": latest,
                "document": document,
                "decision_form": DecisionForm() if report.status == ReportStatus.SUBMITTED else None,
                "renders": rendering.check_current(_renders_of(latest), known={(latest, "report"): document})
                if latest
                else [],
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def decide_view(self, request, report_id: int):
        report = get_object_or_404(LocalReport, pk=report_id)
        if request.method != "POST" or not self.has_change_permission(request, report):
            raise Http404
        form = DecisionForm(request.POST)
        change_url = reverse("admin:reports_localreport_change", args=[report.pk])
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    self.message_user(request, error, messages.ERROR)
            return redirect(change_url)
        try:
            if form.cleaned_data["decision"] == "accept":
                version = services.accept(report, by=request.user, comment=form.cleaned_data["comment"])
                self.message_user(request, _("Version %(n)s accepted and published.") % {"n": version.number})
            else:
                version = services.return_with_comments(report, by=request.user, comment=form.cleaned_data["comment"])
                self.message_user(request, _("Version %(n)s returned to the city.") % {"n": version.number})
        except services.WorkflowError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        return redirect(change_url)

    def diff_view(self, request, report_id: int):
        report = get_object_or_404(LocalReport, pk=report_id)
        if not self.has_view_permission(request, report):
            raise Http404
        versions = {v.number: v for v in report.versions.all()}
        try:
            a, b = versions[int(request.GET.get("a", 0))], versions[int(request.GET.get("b", 0))]
        except (KeyError, ValueError):
            raise Http404("No such versions") from None
        rows = []
        for line in difflib.ndiff(as_text(a.content).splitlines(), as_text(b.content).splitlines()):
            op, text = line[:1], line[2:]
            if op in "+- ":
                rows.append({"op": {"+": "added", "-": "removed", " ": "same"}[op], "text": text})
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(report)s: changes from version %(a)s to %(b)s")
            % {"report": report, "a": a.number, "b": b.number},
            "report": report,
            "a": a,
            "b": b,
            "rows": rows,
            "changed": sum(1 for row in rows if row["op"] != "same"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/reports/localreport/diff.html", context)

    def render_view(self, request, report_id: int):
        """Ask for a render of the latest version (POST), or download one (GET ?render=<id>)."""
        report = get_object_or_404(LocalReport, pk=report_id)
        if not self.has_view_permission(request, report):
            raise Http404
        latest = report.versions.order_by("-number").first()
        if latest is None:
            raise Http404("Nothing submitted yet")
        if request.method == "POST":
            fmt = request.POST.get("format")
            if fmt not in RenderFormat.values:
                raise Http404
            render = rendering.request_render(latest, "report", fmt, user=request.user)
            if render.status == RenderStatus.FAILED:
                rendering.retry_render(render)
            self.message_user(request, _("The file is being made; this page shows it when it is ready."))
            return redirect(reverse("admin:reports_localreport_change", args=[report.pk]) + "#renders")
        render = get_object_or_404(Render.objects.for_object(latest), pk=request.GET.get("render") or 0)
        return rendering.file_response(render)


def _renders_of(version: ReportVersion) -> list[Render]:
    return list(Render.objects.for_object(version, "report").order_by("-queued_at")[:6])


@admin.register(Render)
class RenderAdmin(admin.ModelAdmin):
    """Every render with its status, error and timings; failed ones can be queued again."""

    list_display = [
        "filename",
        "document",
        "format",
        "status",
        "attempts",
        "pages",
        "render_seconds",
        "queued_at",
        "finished_at",
    ]
    list_filter = ["status", "format", "document", "content_type"]
    search_fields = ["filename", "error", "version"]
    readonly_fields = [f.name for f in Render._meta.fields]
    actions = ["retry_failed"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Queue the selected failed renders again"))
    def retry_failed(self, request, queryset):
        count = 0
        for render in queryset.filter(status=RenderStatus.FAILED):
            rendering.retry_render(render)
            count += 1
        self.message_user(request, _("%(n)s renders queued again.") % {"n": count})
