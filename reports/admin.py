"""The national team's side of local reports: read each submitted version, compare versions, accept or return
with comments, and download renders. The cities' own text is not edited here: it is returned to them."""

from __future__ import annotations

import difflib

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reports import local, national, national_services, rendering
from reports.document import as_text
from reports.enums import RenderFormat, RenderStatus, ReportStatus
from reports.forms import DecisionForm, SentToUNForm
from reports.models import (
    JointSubmitter,
    LocalReport,
    NationalParagraph,
    NationalReport,
    Render,
    ReportVersion,
    UNSubmission,
)
from reports.views import _file_response


class ReportVersionInline(admin.TabularInline):
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
                version = local.accept(report, by=request.user, comment=form.cleaned_data["comment"])
                self.message_user(request, _("Version %(n)s accepted and published.") % {"n": version.number})
            else:
                version = local.return_with_comments(report, by=request.user, comment=form.cleaned_data["comment"])
                self.message_user(request, _("Version %(n)s returned to the city.") % {"n": version.number})
        except local.WorkflowError as exc:
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
        render = get_object_or_404(_render_rows(latest), pk=request.GET.get("render") or 0)
        return _file_response(render)


def _render_rows(version: ReportVersion):
    from django.contrib.contenttypes.models import ContentType

    return Render.objects.filter(content_type=ContentType.objects.get_for_model(ReportVersion), object_id=version.pk)


def _renders_of(version: ReportVersion) -> list[Render]:
    return list(_render_rows(version).filter(document="report").order_by("-queued_at")[:6])


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


# --- the national report ---------------------------------------------------------------------------------------


class JointSubmitterInline(admin.TabularInline):
    model = JointSubmitter
    extra = 1
    fields = ["position", "name", "acronym", "description", "contact_email", "sign_off"]
    readonly_fields = ["sign_off"]

    @admin.display(description=_("sign-off"))
    def sign_off(self, submitter: JointSubmitter) -> str:
        return national_services.sign_off_label(submitter)


def _unresolved_message(paragraph: NationalParagraph) -> str:
    return _(
        "Warning: %(paragraph)s holds a quote that no longer resolves: the person's consent no longer allows the "
        "report to the UN, the testimony was withdrawn, or these words are no longer in its public version. Its "
        "words are hidden here and it is left out of every render. Leave it out, or compile again."
    ) % {"paragraph": national.paragraph_label(paragraph)}


def _unresolved(paragraph: NationalParagraph) -> bool:
    return bool(paragraph.pk and national.holds_quote(paragraph) and national.quote_states([paragraph]).unresolved)


class UnresolvedQuoteWidget(forms.Widget):
    """Stands in for the text of a paragraph whose quote no longer resolves: the words are never sent to the page."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def render(self, name, value, attrs=None, renderer=None) -> str:
        return format_html('<p class="errornote quote-unresolved" role="alert">{}</p>', self.message)


class NationalParagraphForm(forms.ModelForm):
    """A paragraph holding a quote that no longer resolves shows a warning in place of its words (they may no longer
    be shown, to the national team either) and keeps them unchanged when the page is saved."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "text" in self.fields and _unresolved(self.instance):
            field = self.fields["text"]
            field.disabled, field.required = True, False
            field.widget = UnresolvedQuoteWidget(_unresolved_message(self.instance))


def quote_state_html(paragraph: NationalParagraph) -> str:
    if not national.holds_quote(paragraph):
        return "—"
    if _unresolved(paragraph):
        return format_html("<strong>{}</strong>", _("Does not print: its quote no longer resolves."))
    resolved = national.quote_states([paragraph]).resolved.get(paragraph.pk)
    if resolved is None:
        return _("Prints while its quotes resolve.")
    return _("Prints under the name the person chooses today: %(name)s") % {"name": resolved.name}


class NationalParagraphInline(admin.StackedInline):
    model = NationalParagraph
    form = NationalParagraphForm
    extra = 0
    fields = [("position", "theme", "kind", "omitted"), "text", "note", "quote_state", "provenance"]
    readonly_fields = ["quote_state", "provenance"]
    ordering = ["position", "pk"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 100})}}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("theme", "testimony").prefetch_related("cities")

    @admin.display(description=_("cities and sources (never printed)"))
    def provenance(self, paragraph: NationalParagraph) -> str:
        return national_services.provenance_html(paragraph)

    @admin.display(description=_("quote"))
    def quote_state(self, paragraph: NationalParagraph) -> str:
        return quote_state_html(paragraph)


@admin.register(NationalReport)
class NationalReportAdmin(admin.ModelAdmin):
    list_display = ["title", "acronym", "cycle", "submission_type", "compiled_at", "paragraph_count"]
    list_filter = ["cycle", "submission_type"]
    search_fields = ["title", "acronym", "submitter"]
    inlines = [JointSubmitterInline, NationalParagraphInline]
    actions = ["compile_action"]
    change_form_template = "admin/reports/nationalreport/change_form.html"

    class Media:
        css = {"all": ["reports/admin.css"]}
    fieldsets = [
        (None, {"fields": ["cycle", "title", "language"]}),
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

    def save_formset(self, request, form, formset, change):
        """A deleted compiled paragraph is kept as "left out", so compiling again does not bring it back."""
        if formset.model is not NationalParagraph:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for paragraph in formset.deleted_objects:
            if paragraph.source_key:
                NationalParagraph.objects.filter(pk=paragraph.pk).update(omitted=True)
            else:
                paragraph.delete()
        for paragraph in instances:
            paragraph.save()
        formset.save_m2m()
        return None

    @admin.display(description=_("paragraphs"))
    def paragraph_count(self, report: NationalReport) -> int:
        return report.paragraphs.filter(omitted=False).count()

    @admin.action(description=_("Compile from accepted local reports"))
    def compile_action(self, request, queryset):
        for report in queryset:
            self._compiled_message(request, report, national.compile_report(report))

    def _compiled_message(self, request, report, counts) -> None:
        self.message_user(
            request,
            _(
                "%(report)s compiled: %(added)s paragraphs added, %(updated)s updated, %(kept)s edited by hand kept, "
                "%(removed)s removed, %(flagged)s to look at (their sources changed)."
            )
            % {"report": report, **counts},
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:report_id>/compile/", view(self.compile_view), name="reports_nationalreport_compile"),
            path("<int:report_id>/render/", view(self.render_view), name="reports_nationalreport_render"),
            path("<int:report_id>/sign-off/", view(self.sign_off_view), name="reports_nationalreport_sign_off"),
            path("<int:report_id>/send/", view(self.send_view), name="reports_nationalreport_send"),
            path(
                "<int:report_id>/sent/<int:submission_id>/",
                view(self.sent_file_view),
                name="reports_nationalreport_sent_file",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        extra = {}
        if report is not None:
            document = national.build_national_report(report)
            checks = national.ohchr_checks(report, document)
            extra = {
                "checks": checks,
                "checks_pass": national.checks_pass(checks),
                "renders": rendering.check_current(_renders_of_object(report), known={(report, "report"): document}),
                "submissions": list(report.submissions.select_related("recorded_by")),
                "sent_form": SentToUNForm(),
                "accepted_count": len(national.accepted_versions(report)),
                "merge_url": reverse("admin:reports_nationalparagraph_changelist") + f"?report__id__exact={report.pk}",
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def _change_url(self, report) -> str:
        return reverse("admin:reports_nationalreport_change", args=[report.pk])

    def compile_view(self, request, report_id: int):
        report = get_object_or_404(NationalReport, pk=report_id)
        if request.method != "POST" or not self.has_change_permission(request, report):
            raise Http404
        self._compiled_message(request, report, national.compile_report(report))
        return redirect(self._change_url(report))

    def render_view(self, request, report_id: int):
        """POST: ask for a render (refused while a check fails, unless "render anyway"); GET ?render=: download."""
        report = get_object_or_404(NationalReport, pk=report_id)
        if not self.has_view_permission(request, report):
            raise Http404
        if request.method != "POST":
            render = get_object_or_404(_render_rows_of(report), pk=request.GET.get("render") or 0)
            return _file_response(render)
        if not self.has_change_permission(request, report):
            raise Http404
        name, fmt = request.POST.get("document", "report"), request.POST.get("format")
        if name not in ("report", "brief") or fmt not in RenderFormat.values:
            raise Http404
        if name == "report":
            checks = national.ohchr_checks(report)
            if not national.checks_pass(checks) and request.POST.get("anyway") != "1":
                failed = ", ".join(str(c.name) for c in checks if not c.passed)
                self.message_user(
                    request,
                    _("Not rendered: these checks fail: %(checks)s. Fix them, or tick “render anyway”.")
                    % {"checks": failed},
                    messages.ERROR,
                )
                return redirect(self._change_url(report) + "#ohchr-checks")
        render = rendering.request_render(report, name, fmt, user=request.user)
        if render.status == RenderStatus.FAILED:
            rendering.retry_render(render)
        self.message_user(
            request, _("The file %(file)s is being made; reload this page to download it.") % {"file": render.filename}
        )
        return redirect(self._change_url(report) + "#renders")

    def sign_off_view(self, request, report_id: int):
        report = get_object_or_404(NationalReport, pk=report_id)
        if request.method != "POST" or not self.has_change_permission(request, report):
            raise Http404
        sent = national_services.request_sign_off(report)
        self.message_user(
            request,
            ngettext(
                "Sign-off requested from %(n)s organisation.", "Sign-off requested from %(n)s organisations.", sent
            )
            % {"n": sent},
        )
        return redirect(self._change_url(report))

    def send_view(self, request, report_id: int):
        """POST: record the report as sent to the UN (the current Word file is archived)."""
        report = get_object_or_404(NationalReport, pk=report_id)
        if request.method != "POST" or not self.has_change_permission(request, report):
            raise Http404
        form = SentToUNForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    self.message_user(request, error, messages.ERROR)
            return redirect(self._change_url(report) + "#sent-to-un")
        try:
            submission = national_services.record_sent_to_un(
                report, by=request.user, sent_on=form.cleaned_data["sent_on"]
            )
        except national_services.NotSendable as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(
                request,
                ngettext(
                    "Recorded as sent to the UN; %(file)s is archived and %(n)s quoted testimony is marked as sent.",
                    "Recorded as sent to the UN; %(file)s is archived and %(n)s quoted testimonies are marked as sent.",
                    submission.quoted.count(),
                )
                % {"file": submission.filename, "n": submission.quoted.count()},
            )
        return redirect(self._change_url(report) + "#sent-to-un")

    def sent_file_view(self, request, report_id: int, submission_id: int):
        """The archived file as sent: the national team's only (the national report's view permission)."""
        report = get_object_or_404(NationalReport, pk=report_id)
        if not self.has_view_permission(request, report):
            raise Http404
        submission = get_object_or_404(UNSubmission, pk=submission_id, report=report)
        response = FileResponse(
            submission.file.open("rb"),
            as_attachment=True,
            filename=submission.filename,
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


def _render_rows_of(obj):
    from django.contrib.contenttypes.models import ContentType

    return Render.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


def _renders_of_object(obj) -> list[Render]:
    return list(_render_rows_of(obj).order_by("-queued_at")[:10])


@admin.register(NationalParagraph)
class NationalParagraphAdmin(admin.ModelAdmin):
    """The paragraphs as a list, to merge several into one (the report's page edits them one by one)."""

    form = NationalParagraphForm
    list_display = ["position", "short_text", "theme", "kind", "omitted", "report"]
    list_filter = ["report", "kind", "theme", "omitted"]
    list_select_related = ["theme", "report", "testimony"]
    search_fields = ["text"]
    ordering = ["report", "position", "pk"]
    actions = ["merge"]
    readonly_fields = ["quote_state", "provenance"]
    fields = ["report", "position", "theme", "kind", "text", "note", "omitted", "quote_state", "provenance"]

    @admin.display(description=_("text"))
    def short_text(self, paragraph: NationalParagraph) -> str:
        if _unresolved(paragraph):
            return format_html('<strong class="quote-unresolved">{}</strong>', _unresolved_message(paragraph))
        return paragraph.text[:140]

    @admin.display(description=_("quote"))
    def quote_state(self, paragraph: NationalParagraph) -> str:
        return quote_state_html(paragraph)

    @admin.display(description=_("cities and sources (never printed)"))
    def provenance(self, paragraph: NationalParagraph) -> str:
        return national_services.provenance_html(paragraph)

    @admin.action(description=_("Merge the selected paragraphs into the first one"))
    def merge(self, request, queryset):
        try:
            kept = national_services.merge_paragraphs(list(queryset))
        except ValueError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return None
        self.message_user(
            request, _("Merged into paragraph at position %(p)s; the others are left out.") % {"p": kept.position}
        )
        return None
