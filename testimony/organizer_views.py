"""The organizers' testimony pages: moderation queue and detail, paper entry, CSV import, export.

Every view starts from `get_city_for_organizer` (404 for anyone outside the city's team, national team included)
and from `testimony_visible_to` scoped to that city.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cities.models import City
from cities.selectors import get_city_for_organizer
from portal.spreadsheets import csv_response
from testimony import entry, export, moderation, redaction
from testimony.enums import Status
from testimony.organizer_forms import (
    BulkActionForm,
    ColumnMappingForm,
    CsvUploadForm,
    PaperEntryFormSet,
    PublicVersionForm,
    QueueFilterForm,
    RejectForm,
)
from testimony.selectors import testimony_visible_to

QUEUE_PAGE_SIZE = 50
IMPORT_SESSION_KEY = "testimony_import"


def _city_testimony(request: HttpRequest, city: City):
    return testimony_visible_to(request.user).filter(city=city)


@login_required
@require_GET
def moderate(request: HttpRequest, slug: str) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    filters = QueueFilterForm(request.GET or None)
    items = _city_testimony(request, city).defer("body", "transcript").prefetch_related("themes")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["status"]:
            items = items.filter(status=data["status"])
        if data["kind"]:
            items = items.filter(kind=data["kind"])
        if data["theme"]:
            items = items.filter(themes=data["theme"])
    page = Paginator(items.order_by("-created_at", "-pk"), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "testimony/organize_queue.html",
        {
            "city": city,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "bulk": BulkActionForm(queryset=items),
        },
    )


@login_required
@require_POST
def moderate_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    scoped = _city_testimony(request, city)
    form = BulkActionForm(request.POST, queryset=scoped)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("testimony:moderate", slug=city.slug)
    selected = scoped.filter(pk__in=[t.pk for t in form.cleaned_data["selected"]])
    if form.cleaned_data["action"] == BulkActionForm.APPROVE:
        count = moderation.bulk_approve(selected, by=request.user)
        messages.success(request, _("%(n)d testimonies approved.") % {"n": count})
        skipped = selected.exclude(status=Status.WITHDRAWN).count() - count
        if skipped:
            messages.warning(
                request,
                _("%(n)d not approved: write their public version first (open each one).") % {"n": skipped},
            )
    else:
        count = moderation.bulk_reject(selected, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("%(n)d testimonies rejected.") % {"n": count})
    return redirect("testimony:moderate", slug=city.slug)


def _detail(request: HttpRequest, city: City, testimony, *, public_form=None, reject_form=None, status=200):
    """Render the private page; each rendering of the original is logged (DESIGN.md section 5)."""
    moderation.record_private_view(testimony, by=request.user)
    contact = getattr(testimony, "contact", None)
    if public_form is None:
        public_form = PublicVersionForm(testimony=testimony, initial=PublicVersionForm.initial_for(testimony))
    redactions = [
        field
        for field in redaction.redactions_for(testimony, names=[contact.name] if contact else [])
        if field.public in public_form.fields
    ]
    return render(
        request,
        "testimony/organize_detail.html",
        {
            "city": city,
            "testimony": testimony,
            "contact": contact if testimony.allows_contact else None,
            "redactions": {field.original: field for field in redactions},
            "suggestions": [(field, s) for field in redactions for s in field.suggestions],
            "log": testimony.moderation_log.select_related("actor"),
            "public_form": public_form,
            "reject_form": reject_form or RejectForm(),
            "pending": _pending_consent(testimony),
        },
        status=status,
    )


def _pending_consent(testimony) -> list[tuple[str, str, str]]:
    """(what, now, asked for) for each consent field waiting for review, in words."""
    rows = []
    for name, value in testimony.pending_consent.items():
        field = testimony._meta.get_field(name)
        if name == "identification":
            now, asked = testimony.get_identification_display(), dict(field.choices).get(value, value)
        elif name == "display_name":
            now, asked = testimony.display_name or "—", value or "—"
        else:
            now, asked = (_("yes") if getattr(testimony, name) else _("no")), (_("yes") if value else _("no"))
        rows.append((str(field.verbose_name), str(now), str(asked)))
    return rows


def _get_testimony(request: HttpRequest, slug: str, testimony_id: int):
    city, _membership = get_city_for_organizer(request.user, slug)
    queryset = _city_testimony(request, city).select_related(
        "consent_text", "consent_recorded_by", "entered_by", "submitted_by", "approved_by", "collected_at", "contact"
    )
    return city, get_object_or_404(queryset.prefetch_related("themes"), pk=testimony_id)


@login_required
@require_GET
def moderate_detail(request: HttpRequest, slug: str, testimony_id: int) -> HttpResponse:
    city, testimony = _get_testimony(request, slug, testimony_id)
    return _detail(request, city, testimony)


def _act(request: HttpRequest, city: City, testimony, action, *, done: str) -> HttpResponse:
    """Run a moderation action; the page it returns to says what happened (`done`) or why it could not."""
    try:
        action()
    except moderation.ModerationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("testimony:moderate_detail", slug=city.slug, testimony_id=testimony.pk)


@login_required
@require_POST
def public_version(request: HttpRequest, slug: str, testimony_id: int) -> HttpResponse:
    city, testimony = _get_testimony(request, slug, testimony_id)
    form = PublicVersionForm(request.POST, testimony=testimony)
    if not form.is_valid():
        return _detail(request, city, testimony, public_form=form, status=400)
    and_approve = "approve" in request.POST
    try:
        with transaction.atomic():
            testimony = moderation.save_public_version(testimony, by=request.user, **form.cleaned_data)
            if and_approve:
                moderation.approve(testimony, by=request.user)
    except moderation.ModerationError as exc:
        messages.error(request, str(exc))
    else:
        if and_approve:
            messages.success(request, _("Approved: the public version is shown as the person's consent allows."))
        else:
            messages.success(request, _("Public version saved. The original stays private."))
    return redirect("testimony:moderate_detail", slug=city.slug, testimony_id=testimony.pk)


@login_required
@require_POST
def approve(request: HttpRequest, slug: str, testimony_id: int) -> HttpResponse:
    city, testimony = _get_testimony(request, slug, testimony_id)
    return _act(
        request,
        city,
        testimony,
        lambda: moderation.approve(testimony, by=request.user),
        done=_("Approved: the public version is shown as the person's consent allows."),
    )


@login_required
@require_POST
def reject(request: HttpRequest, slug: str, testimony_id: int) -> HttpResponse:
    city, testimony = _get_testimony(request, slug, testimony_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _detail(request, city, testimony, reject_form=form, status=400)
    reason = form.cleaned_data["reason"]
    return _act(
        request,
        city,
        testimony,
        lambda: moderation.reject(testimony, by=request.user, reason=reason),
        done=_("Rejected: the testimony is not shown anywhere, and the reason is in the log."),
    )


@login_required
@require_POST
def review_widening(request: HttpRequest, slug: str, testimony_id: int) -> HttpResponse:
    """Accept or decline the wider consent the person asked for through their private link."""
    city, testimony = _get_testimony(request, slug, testimony_id)
    if request.POST.get("decision") == "accept":
        if moderation.accept_widening(testimony, by=request.user):
            messages.success(request, _("The wider consent is in force."))
    elif request.POST.get("decision") == "decline":
        if moderation.decline_widening(testimony, by=request.user, reason=request.POST.get("reason", "")):
            messages.success(request, _("The consent stays as it was."))
    else:
        messages.error(request, _("Choose whether to accept or decline the wider consent."))
    return redirect("testimony:moderate_detail", slug=city.slug, testimony_id=testimony.pk)


@login_required
def enter(request: HttpRequest, slug: str) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    formset = PaperEntryFormSet(request.POST or None, city=city, prefix="entry")
    status = 200
    if request.method == "POST":
        if formset.is_valid():
            entries = [form.cleaned_data for form in formset.forms if form.has_changed() and form.cleaned_data]
            created = entry.record_paper_testimonies(city, entries, by=request.user)
            messages.success(request, _("%(n)d testimonies entered; they wait for moderation.") % {"n": len(created)})
            return redirect("testimony:moderate", slug=city.slug)
        status = 400
    return render(request, "testimony/organize_enter.html", {"city": city, "formset": formset}, status=status)


def _render_mapping(request, city, form, columns, errors=(), status=200):
    return render(
        request,
        "testimony/organize_import_map.html",
        {"city": city, "form": form, "columns": columns, "errors": errors},
        status=status,
    )


@login_required
def import_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1: upload; step 2: map the columns; step 3: import (all rows, or none)."""
    city, _membership = get_city_for_organizer(request.user, slug)
    stored = request.session.get(IMPORT_SESSION_KEY)
    if stored and stored.get("city") != city.pk:
        stored = None
    step = request.POST.get("step")
    if request.method == "POST" and step == "map" and stored:
        columns = entry.csv_columns(stored["text"])
        form = ColumnMappingForm(request.POST, columns=columns, city=city)
        if not form.is_valid():
            return _render_mapping(request, city, form, columns, status=400)
        result = entry.import_csv(
            city,
            stored["text"],
            form.mapping(),
            by=request.user,
            kind=form.cleaned_data["kind"],
            collected_at=form.cleaned_data["collected_at"],
        )
        if not result.ok:
            return _render_mapping(request, city, form, columns, errors=result.errors, status=400)
        del request.session[IMPORT_SESSION_KEY]
        messages.success(
            request, _("%(n)d testimonies imported; they wait for moderation.") % {"n": len(result.created)}
        )
        return redirect("testimony:moderate", slug=city.slug)
    upload = CsvUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and step != "map":
        if upload.is_valid():
            try:
                text = entry.read_upload(upload.cleaned_data["file"])
            except entry.ImportFileError as exc:
                upload.add_error("file", str(exc))
            else:
                request.session[IMPORT_SESSION_KEY] = {"city": city.pk, "text": text}
                columns = entry.csv_columns(text)
                return _render_mapping(request, city, ColumnMappingForm(columns=columns, city=city), columns)
        return render(request, "testimony/organize_import.html", {"city": city, "form": upload}, status=400)
    if request.method == "POST":
        # A mapping posted after the stored file expired or belonged to another city.
        messages.error(request, _("Upload the file again, please."))
        return redirect("testimony:import", slug=city.slug)
    return render(request, "testimony/organize_import.html", {"city": city, "form": CsvUploadForm()})


@login_required
@require_GET
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    exported: list[int] = []
    response = csv_response(
        f"testimony-{city.slug}-{timezone.localdate().isoformat()}.csv", export.export_rows(city, exported)
    )
    # Each exported testimony is logged like an opening of its private version (DESIGN.md section 5).
    moderation.record_export(exported, by=request.user)
    return response
