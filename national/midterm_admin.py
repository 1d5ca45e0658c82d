"""The mid-term report in the admin: compile it from the cities' tracking, edit and leave out paragraphs, see the
OHCHR checks that apply, make the Word file and the PDF."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from national import midterm
from national.admin_paging import PagedParagraphsAdmin
from national.checks import checks_pass
from national.models import MidtermParagraph, MidtermReport
from reports import rendering
from reports.enums import RenderFormat
from reports.models import Render


class MidtermParagraphInline(admin.StackedInline):
    model = MidtermParagraph
    extra = 0
    can_delete = False  # leave a paragraph out instead: compiling again would bring a deleted one back
    fields = ["position", "recommendation", "text", "omitted", "edited", "source_changed"]
    readonly_fields = ["recommendation", "edited", "source_changed"]
    formfield_overrides = {
        MidtermParagraph._meta.get_field("text").__class__: {"widget": forms.Textarea(attrs={"rows": 6})}
    }

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # paragraphs come from the cities' tracking

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recommendation")


@admin.register(MidtermReport)
class MidtermReportAdmin(PagedParagraphsAdmin, admin.ModelAdmin):
    list_display = ["title", "acronym", "cycle", "compiled_at"]
    list_filter = ["cycle"]
    search_fields = ["title", "acronym", "submitter"]
    inlines = [MidtermParagraphInline]
    paged_inline = MidtermParagraphInline
    change_form_template = "admin/national/midtermreport/change_form.html"
    fieldsets = [
        (None, {"fields": ["cycle", "title", "language", "introduction"]}),
        (
            _("First page (OHCHR)"),
            {
                "fields": [
                    "submitter",
                    "acronym",
                    "description",
                    "contact_email",
                    "submission_type",
                    ("period_start", "period_end"),
                ]
            },
        ),
    ]

    class Media:
        css = {"all": ["reports/admin.css"]}

    def save_formset(self, request, form, formset, change):
        """A paragraph whose text the national team changed is theirs: compiling again keeps it (and flags it
        when the tracking it stands on changed)."""
        instances = formset.save(commit=False)
        for paragraph in instances:
            if "text" in formset.forms[0].fields and paragraph.text != paragraph.generated_text:
                paragraph.edited = True
            paragraph.save()
        formset.save_m2m()

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:report_id>/compile/", view(self.compile_view), name="national_midtermreport_compile"),
            path("<int:report_id>/render/", view(self.render_view), name="national_midtermreport_render"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        extra = {}
        if report is not None:
            document = midterm.build_midterm(report)
            checks = midterm.midterm_checks(report, document)
            extra = {
                "checks": checks,
                "checks_pass": checks_pass(checks),
                "renders": rendering.check_current(
                    Render.objects.for_object(report).order_by("-queued_at")[:10], known={(report, "report"): document}
                ),
                **self.pager_context(request, report),
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def _change_url(self, report) -> str:
        return reverse("admin:national_midtermreport_change", args=[report.pk])

    def compile_view(self, request, report_id: int):
        report = get_object_or_404(MidtermReport, pk=report_id)
        if request.method != "POST" or not self.has_change_permission(request, report):
            raise Http404
        counts = midterm.compile_midterm(report)
        self.message_user(
            request,
            _(
                "%(report)s compiled: %(added)s paragraphs added, %(updated)s updated, %(kept)s edited by hand kept, "
                "%(removed)s removed, %(flagged)s to look at (their tracking changed)."
            )
            % {"report": report, **counts},
        )
        return redirect(self._change_url(report))

    def render_view(self, request, report_id: int):
        """POST: ask for a render (refused while a check fails, unless "render anyway"); GET ?render=: download."""
        report = get_object_or_404(MidtermReport, pk=report_id)
        if not self.has_view_permission(request, report):
            raise Http404
        if request.method != "POST":
            render = get_object_or_404(Render.objects.for_object(report), pk=request.GET.get("render") or 0)
            return rendering.file_response(render)
        fmt = request.POST.get("format")
        if not self.has_change_permission(request, report) or fmt not in RenderFormat.values:
            raise Http404
        document = midterm.build_midterm(report)
        failed = [c.name for c in midterm.midterm_checks(report, document) if not c.passed]
        if failed and request.POST.get("anyway") != "1":
            self.message_user(
                request,
                _("Not rendered: these checks fail: %(checks)s. Fix them, or tick “render anyway”.")
                % {"checks": ", ".join(failed)},
                messages.ERROR,
            )
            return redirect(self._change_url(report) + "#ohchr-checks")
        render = rendering.request_render(report, "report", fmt, user=request.user, document=document)
        self.message_user(
            request, _("The file %(file)s is being made; reload this page to download it.") % {"file": render.filename}
        )
        return redirect(self._change_url(report) + "#renders")
