"""Organizer pages for the local report (editor, renders) and the public pages of an accepted report.

Every organizer view starts from `get_city_for_organizer` (404 for anyone outside the city's team) and reaches
renders only through `render_of_city`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cities.selectors import get_city_for_organizer, public_city
from reports import rendering, selectors, services
from reports.content import limits, snapshot
from reports.document import (
    LINES_PER_PAGE,
    PAGE_SPREAD,
    WORDS_PER_LINE,
    Stamp,
    build_local_report,
    build_short_summary,
)
from reports.enums import Decision, RenderFormat, RenderStatus
from reports.forms import CitationFormSet, QuoteFormSet, RecommendationFormSet, ReportForm, SectionFormSet
from reports.models import LocalReport, Render
from reports.selectors import render_of_city

DOCUMENTS = {"report", "summary"}


def _forms(report: LocalReport, data=None):
    city = report.city
    return (
        ReportForm(data, instance=report, initial={"revision": report.revision}),
        SectionFormSet(data, instance=report, prefix="sections"),
        RecommendationFormSet(data, instance=report, prefix="recs", cycle=report.cycle),
        QuoteFormSet(data, instance=report, prefix="quotes", city=city),
        CitationFormSet(data, instance=report, prefix="citations"),
    )


def _subject_for_renders(report: LocalReport):
    """Drafts render the live content; once submitted, the renders are of the latest frozen version."""
    if report.editable:
        return report
    return report.versions.order_by("-number").first() or report


def _editor_context(report: LocalReport, forms) -> dict:
    form, sections, recommendations, quotes, citations = forms
    subject = _subject_for_renders(report)
    content = snapshot(report) if subject is report else subject.content
    stamp = Stamp.draft() if subject is report else Stamp.of_version(subject)
    document = build_local_report(report.city, content, stamp=stamp)
    documents = {"report": document, "summary": build_short_summary(report.city, content, stamp=stamp)}
    renders = {}
    for name in sorted(DOCUMENTS):
        version = documents[name].version()
        for fmt in (RenderFormat.PDF, RenderFormat.DOCX):
            renders[(name, fmt)] = rendering.current_render(subject, name, fmt, version=version)
    draft_files = _draft_files(report, subject, content, renders)
    # Where no file of today's text exists yet, say when the last one was superseded (and offer a fresh one). The
    # latest few rows are enough to say it; older ones are superseded whenever someone asks for them.
    earlier = Render.objects.for_object(subject).filter(document__in=DOCUMENTS).order_by("-queued_at", "-pk")[:8]
    known = {(subject, name): document for name, document in documents.items()}
    for row in rendering.check_current(earlier, known=known):
        if renders.get((row.document, row.format)) is None and row.status == RenderStatus.SUPERSEDED:
            renders[(row.document, row.format)] = row
    versions = list(report.versions.select_related("submitted_by", "decided_by").order_by("-number"))
    returned = next((v for v in versions if v.decision == Decision.RETURNED), None)
    stored_quotes = report.quotes.count()
    stored_citations = report.citations.count()
    return {
        "city": report.city,
        "report": report,
        "form": form,
        "sections": sections,
        "recommendations": recommendations,
        "quotes": quotes,
        "limits": limits(report, document, content),
        "renders": renders,
        "files": [(name, fmt, render, draft_files.get((name, fmt))) for (name, fmt), render in renders.items()],
        "versions": versions,
        "last_comment": returned if report.editable and returned and returned == versions[0] else None,
        "hidden_quotes": stored_quotes - quotes.get_queryset().count(),
        "citations": citations,
        "hidden_citations": stored_citations - len(citations.get_queryset()),
        "layout": {
            "words_per_line": WORDS_PER_LINE,
            "lines_per_page": LINES_PER_PAGE,
            "spread": " ".join(str(f) for f in PAGE_SPREAD),
        },
    }


def _draft_files(report: LocalReport, subject, content: dict, renders: dict) -> dict:
    """Once submitted, the files made of the draft with the same text, for the places where the submitted version
    has no file yet: they stay listed (marked DRAFT, as they print), beside the button for the version's own."""
    if subject is report or all(render is not None for render in renders.values()):
        return {}
    versions = {
        "report": build_local_report(report.city, content, stamp=Stamp.draft()).version(),
        "summary": build_short_summary(report.city, content, stamp=Stamp.draft()).version(),
    }
    rows = Render.objects.for_object(report).filter(status=RenderStatus.DONE, document__in=DOCUMENTS)
    found = {}
    for row in rows:
        if row.version == versions.get(row.document) and renders.get((row.document, row.format)) is None:
            found[(row.document, row.format)] = row
    return found


@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    report = services.report_for(city)
    if report is None:
        raise Http404("No review cycle yet")
    if request.method != "POST":
        return render(request, "reports/edit.html", _editor_context(report, _forms(report)))
    if not report.editable:
        messages.error(request, _("The report was submitted and is locked; it opens again if it is returned."))
        return redirect("reports:edit", slug=city.slug)

    if request.POST.get("revision") != str(report.revision):
        return _stale(request, report)
    forms = _forms(report, request.POST)
    form, sections, recommendations, quotes, citations = forms
    valid = all(
        [form.is_valid(), sections.is_valid(), recommendations.is_valid(), quotes.is_valid(), citations.is_valid()]
    )
    if valid:
        quotes.check_themes(sections.kept_themes())
        valid = quotes.is_valid() and not any(f.errors for f in quotes.forms)
    if not valid:
        messages.error(request, _("Nothing was saved: please correct the marked fields. Your text is kept below."))
        return render(request, "reports/edit.html", _editor_context(report, forms), status=400)
    try:
        with transaction.atomic():
            revision = services.mark_saved(report, by=request.user, expected_revision=form.cleaned_data["revision"])
            form.instance.revision = revision
            form.instance.updated_by = request.user
            form.save()
            sections.save()
            recommendations.save()
            quotes.save()
            citations.save()
    except services.StaleRevision:
        report.refresh_from_db()
        return _stale(request, report)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("reports:edit", slug=city.slug)
    if request.POST.get("action") == "submit":
        return _submit(request, report)
    messages.success(request, _("Saved."))
    return redirect(reverse("reports:edit", kwargs={"slug": city.slug}) + "#editor")


def _stale(request: HttpRequest, report: LocalReport) -> HttpResponse:
    """The form was opened before someone else's save: keep what this person typed, save nothing, and let the next
    save replace the newer text knowingly."""
    data = request.POST.copy()
    data["revision"] = str(report.revision)
    forms = _forms(report, data)
    for bound in forms:
        bound.is_valid()
    messages.warning(
        request,
        _(
            "Someone else saved this report after you opened it. Nothing of yours was saved yet: your text is "
            "below. Compare with their version in another tab, then save again to replace it with yours."
        ),
    )
    return render(request, "reports/edit.html", _editor_context(report, forms), status=409)


def _submit(request: HttpRequest, report: LocalReport) -> HttpResponse:
    try:
        version = services.submit(report, by=request.user)
    except services.Incomplete as incomplete:
        messages.error(request, _("Your changes were saved, but the report was not submitted yet:"))
        for line in incomplete.problems:
            messages.error(request, line)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Version %(n)s was submitted to the national team. Editing is locked until they accept or return it.")
            % {"n": version.number},
        )
    return redirect("reports:edit", slug=report.city.slug)


@login_required
@require_GET
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    report = services.report_for(city)
    subject = _subject_for_renders(report)
    document = rendering.build_document(subject, "report")
    return render(request, "reports/preview.html", {"city": city, "report": report, "document": document})


@login_required
@require_POST
def request_render(request: HttpRequest, slug: str) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    report = services.report_for(city)
    name, fmt = request.POST.get("document", "report"), request.POST.get("format", RenderFormat.PDF)
    if name not in DOCUMENTS or fmt not in RenderFormat.values:
        return HttpResponse(_("Unknown document or format."), status=400)
    render_row = rendering.request_render(_subject_for_renders(report), name, fmt, user=request.user)
    if request.headers.get("HX-Request"):
        return render(
            request, "reports/_render_status.html", {"city": city, "render": render_row, "name": name, "fmt": fmt}
        )
    return redirect(reverse("reports:edit", kwargs={"slug": city.slug}) + "#files")


@login_required
@require_GET
def render_status(request: HttpRequest, slug: str, render_id: int) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    render_row = rendering.check_current([render_of_city(city, render_id)])[0]
    return render(
        request,
        "reports/_render_status.html",
        {"city": city, "render": render_row, "name": render_row.document, "fmt": render_row.format},
    )


@login_required
@require_POST
def retry(request: HttpRequest, slug: str, render_id: int) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    render_row = rendering.retry_render(render_of_city(city, render_id))
    if request.headers.get("HX-Request"):
        return render(
            request,
            "reports/_render_status.html",
            {"city": city, "render": render_row, "name": render_row.document, "fmt": render_row.format},
        )
    return redirect(reverse("reports:edit", kwargs={"slug": city.slug}) + "#files")


@login_required
@require_GET
def download(request: HttpRequest, slug: str, render_id: int) -> FileResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    response = rendering.file_response(render_of_city(city, render_id))
    response["Cache-Control"] = "private, no-store"
    return response


# --- public --------------------------------------------------------------------------------------------------


def _published(slug: str) -> tuple:
    city = public_city(slug)
    version = selectors.published_version(city)
    if version is None:
        raise Http404("This city has no accepted local report yet")
    return city, version


@require_GET
def public_report(request: HttpRequest, slug: str) -> HttpResponse:
    city, version = _published(slug)
    document = rendering.build_document(version, "public")
    return render(
        request,
        "reports/public.html",
        {"city": city, "version": version, "report": version.report, "document": document},
    )


@require_GET
def public_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The accepted report as PDF: served when ready, otherwise asked for and a page that checks again."""
    city, version = _published(slug)
    document = rendering.build_document(version, "public")
    render_row = rendering.request_render(version, "public", RenderFormat.PDF, document=document)
    render_row.refresh_from_db()
    if render_row.status == RenderStatus.DONE:
        response = rendering.file_response(render_row, known={(version, "public"): document})
        # Its quotes follow today's consent: a shared cache must not keep handing out a copy made before a
        # withdrawal or a narrowed consent.
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "reports/public_pdf_wait.html",
        {"city": city, "version": version, "render": render_row},
        status=202 if render_row.status != RenderStatus.FAILED else 503,
    )
