from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cities.selectors import cities_organized_by, get_city_for_organizer, public_city
from portal.cache import public_page
from portal.headers import private_link_page
from portal.ratelimit import over_limit
from portal.spreadsheets import csv_response
from reports import rendering
from reports.enums import RenderFormat
from reports.models import Render, ReportRecommendation
from tracking import brief, digests, exports, imports, services
from tracking.charts import grid_chart, theme_chart
from tracking.forms import (
    AnswerForm,
    ChooseFilterForm,
    FollowForm,
    ItemForm,
    OfficeForm,
    QuickUpdateForm,
    ReplyRequestForm,
    ScorecardFilterForm,
    UpdateForm,
)
from tracking.models import Follower, Office, Reply, TrackedItem, TrackingLog
from tracking.selectors import (
    city_items,
    city_offices,
    counts_by_theme,
    evidence_document,
    history_of,
    local_choices,
    network_grid,
    network_recommendations,
    organizer_item,
    recommendation_choices,
    shown_item,
    status_legend,
    status_totals,
)
from tracking.services import TrackingError
from upr.models import Recommendation

CHOOSE_PAGE_SIZE = 100

# --- Public scorecards ------------------------------------------------------------------------------------


@public_page(form=ScorecardFilterForm)
@require_GET
def city_scorecard(request: HttpRequest, slug: str) -> HttpResponse:
    city = public_city(slug)
    form = ScorecardFilterForm(request.GET or None)
    items = city_items(city, public=True, **form.filters())
    theme_rows = counts_by_theme(items)
    return render(
        request,
        "tracking/scorecard.html",
        {
            "city": city,
            "form": form,
            "items": items,
            "theme_rows": theme_rows,
            "chart": theme_chart(theme_rows, _("No theme")),
            "totals": status_totals(items),
            "legend": status_legend(),
        },
    )


@require_GET
def city_scorecard_csv(request: HttpRequest, slug: str) -> HttpResponse:
    city = public_city(slug)
    form = ScorecardFilterForm(request.GET or None)
    items = city_items(city, public=True, **form.filters())
    return csv_response(f"scorecard-{city.slug}.csv", exports.city_rows(items), private=False)


@public_page(form=ScorecardFilterForm)
@require_GET
def network_scorecard(request: HttpRequest) -> HttpResponse:
    form = ScorecardFilterForm(request.GET or None)
    filters = form.filters()
    themes, grid = network_grid(**filters)
    return render(
        request,
        "tracking/network.html",
        {
            "form": form,
            "themes": themes,
            "grid": grid,
            "chart": grid_chart(themes, grid),
            "recommendations": network_recommendations(**filters),
            "legend": status_legend(),
        },
    )


@require_GET
def network_scorecard_csv(request: HttpRequest) -> HttpResponse:
    form = ScorecardFilterForm(request.GET or None)
    themes, grid = network_grid(**form.filters())
    return csv_response("scorecard-network.csv", exports.network_rows(themes, grid), private=False)


@require_GET
def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    """An evidence document: a public one to anyone, a private one only to the organizers of its city (404 to
    everyone else, so its existence is not confirmed)."""
    evidence = evidence_document(evidence_id, cities=cities_organized_by(request.user))
    response = FileResponse(evidence.document.open("rb"))
    if not evidence.is_public:
        patch_cache_control(response, private=True, no_store=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The organizers' board --------------------------------------------------------------------------------


@login_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    form = ScorecardFilterForm(request.GET or None)
    items = city_items(city, public=False, **form.filters())
    return render(
        request,
        "tracking/board.html",
        {
            "city": city,
            "form": form,
            "items": items,
            "totals": status_totals(items),
            "legend": status_legend(),
            "quick_form": QuickUpdateForm(auto_id=False),
            "log": TrackingLog.objects.filter(city=city)
            .select_related("actor", "item__recommendation", "item__local_recommendation")
            .order_by("-at", "-pk")[:20],
        },
    )


@login_required
def choose(request: HttpRequest, slug: str) -> HttpResponse:
    """Search the official recommendations and track those chosen, or every one matching the filters."""
    city, _membership = get_city_for_organizer(request.user, slug)
    if request.method == "POST":
        form = ChooseFilterForm(request.POST)
        filters = form.filters()
        if "all_matching" in request.POST:
            chosen = list(recommendation_choices(city, **filters))
        else:
            ids = [int(pk) for pk in request.POST.getlist("recommendation") if pk.isdigit()]
            chosen = list(recommendation_choices(city).filter(pk__in=ids))
        if not chosen:
            messages.error(request, _("Choose at least one recommendation to track."))
        else:
            try:
                created = services.track_recommendations(city, chosen, by=request.user)
            except TrackingError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    _("Now tracking %(new)d more recommendations (%(chosen)d chosen).")
                    % {"new": len(created), "chosen": len(chosen)},
                )
        return redirect("tracking:board", slug=city.slug)
    form = ChooseFilterForm(request.GET or None)
    filters = form.filters()
    matching = recommendation_choices(city, **filters)
    total = matching.count()
    return render(
        request,
        "tracking/choose.html",
        {
            "city": city,
            "form": form,
            "recommendations": list(matching[:CHOOSE_PAGE_SIZE]),
            "total": total,
            "shown": min(total, CHOOSE_PAGE_SIZE),
            "filtered": bool(filters),
        },
    )


@login_required
def local(request: HttpRequest, slug: str) -> HttpResponse:
    """The city's own recommendations from its accepted local report, to track."""
    city, _membership = get_city_for_organizer(request.user, slug)
    if request.method == "POST":
        recommendation = get_object_or_404(ReportRecommendation, pk=request.POST.get("recommendation") or 0)
        try:
            services.track_local(city, recommendation, by=request.user)
        except TrackingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your city's recommendation is now tracked."))
        return redirect("tracking:local", slug=city.slug)
    return render(request, "tracking/local.html", {"city": city, "recommendations": local_choices(city)})


@login_required
def offices(request: HttpRequest, slug: str, office_id: int | None = None) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    office = get_object_or_404(Office, pk=office_id, city=city) if office_id else Office(city=city)
    form = OfficeForm(request.POST or None, instance=office)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_office(form.instance, by=request.user)
            except TrackingError as exc:
                form.add_error("name", str(exc))
            else:
                messages.success(request, _("“%(name)s” was saved.") % {"name": form.instance.name})
                return redirect("tracking:offices", slug=city.slug)
        status = 400
    return render(
        request,
        "tracking/offices.html",
        {"city": city, "offices": city_offices(city), "form": form, "editing": office if office.pk else None},
        status=status,
    )


def _item_page(request, city, item, *, update_form=None, item_form=None, reply_form=None, status=200):
    return render(
        request,
        "tracking/item.html",
        {
            "city": city,
            "entry": shown_item(item, public=False),
            "update_form": update_form or UpdateForm(item=item),
            "item_form": item_form or ItemForm(instance=item, city=city, prefix="item"),
            "reply_form": reply_form or ReplyRequestForm(prefix="reply"),
            "legend": status_legend(),
        },
        status=status,
    )


@login_required
def item_detail(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    """One tracked item: its history, who must act, a status update with evidence, and asking for a reply."""
    city, _membership = get_city_for_organizer(request.user, slug)
    item = organizer_item(city, item_id)
    if request.method != "POST":
        return _item_page(request, city, item)
    form = UpdateForm(request.POST, request.FILES, item=item)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_update(
                item,
                status=data["status"],
                what_changed=data["what_changed"],
                observed_on=data["observed_on"],
                corrects=data["corrects"],
                evidence=form.evidence(),
                by=request.user,
            )
        except TrackingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The update was recorded."))
            return redirect("tracking:item", slug=city.slug, item_id=item.pk)
    return _item_page(request, city, item, update_form=form, status=400)


@login_required
@require_POST
def item_change(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    item = organizer_item(city, item_id)
    form = ItemForm(request.POST, instance=TrackedItem.objects.get(pk=item.pk), city=city, prefix="item")
    if form.is_valid():
        services.change_item(
            item, level=form.cleaned_data["level"], office=form.cleaned_data["office"], by=request.user
        )
        messages.success(request, _("Saved who must act."))
        return redirect("tracking:item", slug=city.slug, item_id=item.pk)
    return _item_page(request, city, item, item_form=form, status=400)


@login_required
@require_POST
def quick_update(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    """The board's one-line update; back to the board at the same item."""
    city, _membership = get_city_for_organizer(request.user, slug)
    item = get_object_or_404(TrackedItem, pk=item_id, city=city)
    form = QuickUpdateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.record_update(
            item,
            status=data["status"],
            what_changed=data["what_changed"],
            observed_on=data["observed_on"],
            by=request.user,
        )
        messages.success(request, _("The update was recorded."))
    else:
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("Nothing was recorded: %(errors)s") % {"errors": errors})
    return redirect(reverse("tracking:board", kwargs={"slug": city.slug}) + f"#item-{item.pk}")


@login_required
@require_POST
def request_reply(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    item = organizer_item(city, item_id)
    form = ReplyRequestForm(request.POST, prefix="reply")
    if not history_of(item):
        messages.error(request, _("Record an assessment before asking the office to answer it."))
        return redirect("tracking:item", slug=city.slug, item_id=item.pk)
    if form.is_valid():
        try:
            services.request_reply(history_of(item)[-1], by=request.user, days=form.cleaned_data["days"])
        except TrackingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The office was sent its private link to answer."))
            return redirect("tracking:item", slug=city.slug, item_id=item.pk)
    return _item_page(request, city, item, reply_form=form, status=400)


@login_required
@require_POST
def decide_reply(request: HttpRequest, slug: str, reply_id: int) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    reply = get_object_or_404(Reply.objects.select_related("update__item"), pk=reply_id, update__item__city=city)
    try:
        services.decide_reply(reply, approve=request.POST.get("decision") == "approve", by=request.user)
    except TrackingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your decision on the answer was saved."))
    return redirect("tracking:item", slug=city.slug, item_id=reply.update.item_id)


# --- The office's private link ----------------------------------------------------------------------------


@private_link_page
def reply(request: HttpRequest, token: str) -> HttpResponse:
    """The office reads the assessment and answers, once, before the link's due date."""
    found = services.reply_from_token(token)
    if found is None:
        return render(request, "tracking/reply_closed.html", status=404)
    item = found.update.item
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_reply(found, answer=form.cleaned_data["answer"], name=form.cleaned_data["name"])
        except TrackingError:
            return render(request, "tracking/reply_closed.html", status=404)
        return render(request, "tracking/reply_thanks.html", {"city": item.city})
    entry = shown_item(organizer_item(item.city, item.pk), public=True)
    return render(
        request,
        "tracking/reply.html",
        {"reply": found, "item": item, "entry": entry, "update": found.update, "form": form, "legend": status_legend()},
        status=400 if form.is_bound else 200,
    )


# --- Following by email ---------------------------------------------------------------------------------------


def _followed(request: HttpRequest):
    """What the follow page is about: ?city=<slug> or ?recommendation=<id> (404 for anything else)."""
    slug, rec_id = request.GET.get("city", ""), request.GET.get("recommendation", "")
    if slug:
        return public_city(slug), None
    if rec_id.isdigit():
        return None, get_object_or_404(Recommendation.objects.select_related("cycle"), pk=int(rec_id))
    raise Http404("Nothing to follow")


def follow(request: HttpRequest) -> HttpResponse:
    city, recommendation = _followed(request)
    form = FollowForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_spam():
            return redirect("tracking:follow_check_email")
        if over_limit(request, "tracking_follow"):
            messages.error(request, _("Too many requests from your connection in the last hour. Please try later."))
            status = 429
        elif form.is_valid():
            digests.follow(
                form.cleaned_data["email"], city=city, recommendation=recommendation, language=get_language()
            )
            return redirect("tracking:follow_check_email")
        else:
            status = 400
    return render(
        request, "tracking/follow.html", {"form": form, "city": city, "recommendation": recommendation}, status=status
    )


def follow_check_email(request: HttpRequest) -> HttpResponse:
    return render(request, "tracking/follow_check_email.html")


@private_link_page
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: a page with one button (a mail scanner opening the link confirms nothing)."""
    follower = get_object_or_404(Follower.objects.select_related("city", "recommendation"), token=token)
    if request.method == "POST":
        follower = digests.confirm(follower)
    return render(request, "tracking/follow_confirm.html", {"follower": follower})


# --- Bulk work: CSV export and import ---------------------------------------------------------------------


@login_required
@require_GET
def export_items(request: HttpRequest, slug: str) -> HttpResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    return csv_response(f"tracking-{city.slug}.csv", imports.export_rows(city_items(city, public=False)))


@login_required
def import_items(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload the changed file: its errors by row and column, or a preview of the changes to confirm."""
    city, _membership = get_city_for_organizer(request.user, slug)
    context: dict = {"city": city, "columns": imports.COLUMNS, "statuses": status_legend()}
    status = 200
    if request.method == "POST" and "confirm" in request.POST:
        data = imports.unsign_file(request.POST.get("file_token", ""))
        if data is None:
            messages.error(request, _("The preview expired. Please upload the file again."))
            return redirect("tracking:import", slug=city.slug)
        try:
            count = imports.apply_import(city, data, by=request.user)
        except TrackingError as exc:
            messages.error(request, str(exc))
            return redirect("tracking:import", slug=city.slug)
        messages.success(request, _("%(count)d status updates were recorded.") % {"count": count})
        return redirect("tracking:board", slug=city.slug)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["errors"] = [imports.RowError(0, "", _("Choose the CSV file to import."))]
            status = 400
        else:
            data = upload.read(imports.MAX_BYTES + 1)
            changes, errors = imports.check_import(city, data)
            context.update({"changes": changes, "errors": errors, "checked": True})
            if errors:
                status = 400
            elif changes:
                context["file_token"] = imports.sign_file(data)
    return render(request, "tracking/import.html", context, status=status)


# --- The officials' brief ---------------------------------------------------------------------------------


def _brief_render(city, render_id: int) -> Render:
    """A render of this city's brief; 404 for any other render."""
    found = Render.objects.for_object(city).filter(pk=render_id, document__in=brief.DOCUMENTS).first()
    if found is None:
        raise Http404("No such file of this city's brief")
    return found


@login_required
def brief_files(request: HttpRequest, slug: str) -> HttpResponse:
    """The brief and its annex, as PDF and Word: ask for a file, see where it stands, download it."""
    city, _membership = get_city_for_organizer(request.user, slug)
    if request.method == "POST":
        name, fmt = request.POST.get("document", ""), request.POST.get("format", "")
        if name not in brief.DOCUMENTS or fmt not in RenderFormat.values:
            return HttpResponse(_("Unknown document or format."), status=400)
        rendering.request_render(city, name, fmt, user=request.user)
        return redirect("tracking:brief", slug=city.slug)
    documents = {name: rendering.build_document(city, name) for name in brief.DOCUMENTS}
    rows = []
    for name, document in documents.items():
        for fmt in RenderFormat.values:
            current = rendering.current_render(city, name, fmt, version=document.version())
            rows.append({"name": name, "fmt": fmt, "render": current, "title": document.title})
    return render(request, "tracking/brief.html", {"city": city, "rows": rows})


@login_required
@require_GET
def brief_download(request: HttpRequest, slug: str, render_id: int) -> FileResponse:
    city, _membership = get_city_for_organizer(request.user, slug)
    response = rendering.file_response(_brief_render(city, render_id))
    response["Cache-Control"] = "private, no-store"
    return response
