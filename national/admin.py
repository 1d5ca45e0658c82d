"""The national stakeholder report in the admin: compile it from the accepted local reports, edit, reorder, merge
and leave out paragraphs (each one's sources shown, never printed), see the OHCHR checks, render PDF and Word,
ask the joint submitters to sign off, and record the report as sent to the UN."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from national import compile as compiling
from national import services
from national.admin_paging import PagedParagraphsAdmin
from national.checks import checks_pass, ohchr_checks
from national.document import build_national_report
from national.forms import SentToUNForm
from national.models import ContactMessage, JointSubmitter, NationalParagraph, NationalReport, UNSubmission
from national.quotes import holds_quote, paragraph_label, printable_paragraphs, quote_states
from portal.forms import LeanSelect
from reports import rendering
from reports.enums import RenderFormat
from reports.forms import SharedChoicesFormSet
from reports.models import Render
from reports.selectors import accepted_versions


def sign_off_label(submitter: JointSubmitter) -> str:
    if submitter.confirmed_at:
        return _("confirmed as “%(name)s” on %(date)s") % {
            "name": submitter.confirmed_name,
            "date": date_format(timezone.localtime(submitter.confirmed_at), "DATE_FORMAT"),
        }
    if submitter.invited_at:
        return _("requested on %(date)s, not yet confirmed") % {
            "date": date_format(timezone.localtime(submitter.invited_at), "DATE_FORMAT")
        }
    return _("not requested yet") if submitter.contact_email else _("no contact email")


def provenance_html(paragraph: NationalParagraph) -> str:
    """Where a paragraph comes from, for the admin only: cited cities, local report versions, sections, testimony."""
    parts = []
    cities = ", ".join(f"{c.name}, {c.state}" for c in paragraph.cities.all())
    if cities:
        parts.append(format_html("<strong>{}</strong> {}", _("Cites:"), cities))
    if paragraph.source_key and paragraph.text != paragraph.generated_text:
        parts.append(format_html("<em>{}</em>", _("Edited by hand.")))
    if paragraph.source_changed:
        parts.append(format_html("<strong>{}</strong>", _("Its sources changed since it was edited: compare.")))
    rows = []
    for entry in paragraph.trail:
        version_url = reverse("admin:reports_localreport_changelist") + f"?q={entry.get('city_name', '')}"
        where = entry.get("section") or ""
        if entry.get("field") in ("challenges", "advances"):
            where = f"{where} / {entry['field']} ¶{entry.get('paragraph')}"
        elif entry.get("recommendation"):
            where = _("recommendation: %(text)s") % {"text": entry["recommendation"][:120]}
        testimony = ", ".join(f"#{pk}" for pk in entry.get("testimony") or [])
        rows.append(
            (
                version_url,
                entry.get("city_name", ""),
                entry.get("version_number", ""),
                where,
                _("testimony %(ids)s") % {"ids": testimony} if testimony else "",
            )
        )
    if rows:
        parts.append(
            format_html(
                "<ul>{}</ul>",
                format_html_join("", '<li><a href="{}">{}, v{}</a>: {} {}</li>', rows),
            )
        )
    if not parts:
        return _("Written by the national team.")
    return format_html_join("", "<div>{}</div>", ((p,) for p in parts))


class JointSubmitterInline(admin.StackedInline):
    """Stacked: every field keeps its label (a tabular inline's inputs have none) and a phone shows it unscrolled."""

    model = JointSubmitter
    extra = 1
    fields = ["position", "name", "acronym", "description", "contact_email", "sign_off"]
    readonly_fields = ["sign_off"]

    @admin.display(description=_("sign-off"))
    def sign_off(self, submitter: JointSubmitter) -> str:
        return sign_off_label(submitter)


def _unresolved_message(paragraph: NationalParagraph) -> str:
    return _(
        "Warning: %(paragraph)s holds a quote that no longer resolves: the person's consent no longer allows the "
        "report to the UN, the testimony was withdrawn, or these words are no longer in its public version. Its "
        "words are hidden here and it is left out of every render. Leave it out, or compile again."
    ) % {"paragraph": paragraph_label(paragraph)}


def _unresolved(paragraph: NationalParagraph) -> bool:
    return bool(paragraph.pk and holds_quote(paragraph) and quote_states([paragraph]).unresolved)


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
    if not holds_quote(paragraph):
        return "—"
    if _unresolved(paragraph):
        return format_html("<strong>{}</strong>", _("Does not print: its quote no longer resolves."))
    resolved = quote_states([paragraph]).resolved.get(paragraph.pk)
    if resolved is None:
        return _("Prints while its quotes resolve.")
    return _("Prints under the name the person chooses today: %(name)s") % {"name": resolved.name}


class ParagraphFormSet(SharedChoicesFormSet):
    """The themes are read once for the whole page, not once per paragraph (a compiled report has 600 or more)."""

    shared_choice_fields = ("theme",)


class NationalParagraphInline(admin.StackedInline):
    model = NationalParagraph
    form = NationalParagraphForm
    formset = ParagraphFormSet
    extra = 0
    fields = [("position", "theme", "kind", "omitted"), "text", "note", "quote_state", "provenance"]
    readonly_fields = ["quote_state", "provenance"]
    ordering = ["position", "pk"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 100})}}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """The theme and kind selects of every paragraph written the lean way (portal.forms.LeanSelect), and the
        theme without the admin's add/change links beside it: 600 paragraphs' worth of them cost seconds."""
        if db_field.name == "theme":
            return db_field.formfield(widget=LeanSelect)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "kind":
            field.widget = LeanSelect.from_select(field.widget)
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("theme", "testimony").prefetch_related("cities")

    @admin.display(description=_("cities and sources (never printed)"))
    def provenance(self, paragraph: NationalParagraph) -> str:
        return provenance_html(paragraph)

    @admin.display(description=_("quote"))
    def quote_state(self, paragraph: NationalParagraph) -> str:
        return quote_state_html(paragraph)


@admin.register(NationalReport)
class NationalReportAdmin(PagedParagraphsAdmin, admin.ModelAdmin):
    list_display = ["title", "acronym", "cycle", "submission_type", "compiled_at", "paragraph_count"]
    list_filter = ["cycle", "submission_type"]
    search_fields = ["title", "acronym", "submitter"]
    inlines = [JointSubmitterInline, NationalParagraphInline]
    paged_inline = NationalParagraphInline
    actions = ["compile_action"]
    change_form_template = "admin/national/nationalreport/change_form.html"

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
            self._compiled_message(request, report, compiling.compile_report(report))

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
            path("<int:report_id>/compile/", view(self.compile_view), name="national_nationalreport_compile"),
            path("<int:report_id>/render/", view(self.render_view), name="national_nationalreport_render"),
            path("<int:report_id>/sign-off/", view(self.sign_off_view), name="national_nationalreport_sign_off"),
            path("<int:report_id>/send/", view(self.send_view), name="national_nationalreport_send"),
            path(
                "<int:report_id>/sent/<int:submission_id>/",
                view(self.sent_file_view),
                name="national_nationalreport_sent_file",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        extra = {}
        if report is not None:
            paragraphs = printable_paragraphs(report)  # once, for the document and the checks
            document = build_national_report(report, paragraphs)
            checks = ohchr_checks(report, document, paragraphs)
            extra = {
                "checks": checks,
                "checks_pass": checks_pass(checks),
                "renders": rendering.check_current(
                    Render.objects.for_object(report).order_by("-queued_at")[:10], known={(report, "report"): document}
                ),
                "submissions": list(report.submissions.select_related("recorded_by")),
                "sent_form": SentToUNForm(),
                "accepted_count": len(accepted_versions(report.cycle)),
                "merge_url": reverse("admin:national_nationalparagraph_changelist") + f"?report__id__exact={report.pk}",
                **self.pager_context(request, report),
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def _change_url(self, report) -> str:
        return reverse("admin:national_nationalreport_change", args=[report.pk])

    def compile_view(self, request, report_id: int):
        report = get_object_or_404(NationalReport, pk=report_id)
        if request.method != "POST" or not self.has_change_permission(request, report):
            raise Http404
        self._compiled_message(request, report, compiling.compile_report(report))
        return redirect(self._change_url(report))

    def render_view(self, request, report_id: int):
        """POST: ask for a render (refused while a check fails, unless "render anyway"); GET ?render=: download."""
        report = get_object_or_404(NationalReport, pk=report_id)
        if not self.has_view_permission(request, report):
            raise Http404
        if request.method != "POST":
            render = get_object_or_404(Render.objects.for_object(report), pk=request.GET.get("render") or 0)
            return rendering.file_response(render)
        if not self.has_change_permission(request, report):
            raise Http404
        name, fmt = request.POST.get("document", "report"), request.POST.get("format")
        if name not in services.DOCUMENTS or fmt not in RenderFormat.values:
            raise Http404
        try:
            render = services.request_national_render(
                report, name, fmt, user=request.user, anyway=request.POST.get("anyway") == "1"
            )
        except services.ChecksFail as failing:
            self.message_user(
                request,
                _("Not rendered: these checks fail: %(checks)s. Fix them, or tick “render anyway”.")
                % {"checks": ", ".join(failing.failed)},
                messages.ERROR,
            )
            return redirect(self._change_url(report) + "#ohchr-checks")
        self.message_user(
            request, _("The file %(file)s is being made; reload this page to download it.") % {"file": render.filename}
        )
        return redirect(self._change_url(report) + "#renders")

    def sign_off_view(self, request, report_id: int):
        report = get_object_or_404(NationalReport, pk=report_id)
        if request.method != "POST" or not self.has_change_permission(request, report):
            raise Http404
        sent = services.request_sign_off(report)
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
            submission = services.record_sent_to_un(report, by=request.user, sent_on=form.cleaned_data["sent_on"])
        except services.NotSendable as exc:
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
        return provenance_html(paragraph)

    @admin.action(description=_("Merge the selected paragraphs into the first one"))
    def merge(self, request, queryset):
        try:
            kept = services.merge_paragraphs(list(queryset))
        except ValueError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return None
        self.message_user(
            request, _("Merged into paragraph at position %(p)s; the others are left out.") % {"p": kept.position}
        )
        return None


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Messages people sent the national team from the contact page: read-only (they are what was sent), answered
    by replying to the sender's address, then marked as answered. Deleted after CONTACT_RETENTION_DAYS."""

    list_display = ["created_at", "topic", "name", "email", "city_name", "answered"]
    list_filter = ["topic", ("handled_at", admin.EmptyFieldListFilter), "language"]
    search_fields = ["name", "email", "organisation", "city_name", "message"]
    date_hierarchy = "created_at"
    list_select_related = ["handled_by"]
    fields = [
        "topic",
        "name",
        "email",
        "organisation",
        "city_name",
        "message",
        "language",
        "created_at",
        "handled_at",
        "handled_by",
    ]
    readonly_fields = fields
    actions = ["mark_answered"]

    @admin.display(description=_("answered"), boolean=True, ordering="handled_at")
    def answered(self, obj: ContactMessage) -> bool:
        return obj.handled_at is not None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Mark the selected messages as answered"), permissions=["view"])
    def mark_answered(self, request, queryset) -> None:
        count = services.mark_contact_messages_answered(queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d message marked as answered.", "%(count)d messages marked as answered.", count)
            % {"count": count},
            messages.SUCCESS,
        )


# The mid-term report's admin lives in its own module; importing it here registers it with the admin site.
from national.midterm_admin import MidtermReportAdmin  # noqa: E402, F401
