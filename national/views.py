"""The national team's progress dashboard and its CSV export (national/dashboard.py holds the figures), the
joint submitters' sign-off page (a private emailed link), and the public contact page that writes to the national
team.

Who may open it: the national team's rule for its private pages (accounts.access: staff with two-factor
authentication; anonymous visitors go to the login page, signed-in people who are not staff get a 403), and the
permission to view local reports, which the `national team` group holds: the page shows every city's report status.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import national_team_required
from national import dashboard, services
from national.document import build_national_report
from national.enums import ContactTopic
from national.forms import ContactForm
from national.models import JointSubmitter
from portal.headers import private_link_page
from portal.ratelimit import over_limit
from portal.spreadsheets import csv_response

VIEW_PERMISSION = "reports.view_localreport"
# What the contact page promises: an answer within this many working days.
CONTACT_REPLY_DAYS = 5


def _check_permission(request: HttpRequest) -> None:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied(_("This page is for the national team."))


def _columns(sort: str, descending: bool) -> list[dict]:
    """The table's headers: each a link that sorts by it (again: the other way), with aria-sort on the sorted one."""
    labels = {
        "city": _("City"),
        "testimony": _("Testimony collected"),
        "events": _("Events held"),
        "status": _("Local report"),
        "deadline": _("Days to the deadline"),
    }
    columns = []
    for key, label in labels.items():
        current = key == sort
        next_sort = f"-{key}" if current and not descending else key
        columns.append(
            {
                "key": key,
                "label": label,
                "href": "?" + urlencode({"sort": next_sort}),
                "aria_sort": ("descending" if descending else "ascending") if current else "",
                "numeric": key in ("testimony", "events"),
            }
        )
    return columns


@require_GET
@never_cache
@national_team_required
def national(request: HttpRequest) -> HttpResponse:
    _check_permission(request)
    progress = dashboard.national_progress()
    sort, descending = dashboard.parse_sort(request.GET.get("sort", ""))
    sort_param = f"-{sort}" if descending else sort
    context = {
        "progress": progress,
        "rows": dashboard.sort_rows(progress.cities, sort, descending),
        "columns": _columns(sort, descending),
        "sort": sort_param,
        "csv_url": reverse("national:dashboard_csv") + "?" + urlencode({"sort": sort_param}),
        "status_chart": dashboard.status_chart(progress),
        "theme_chart": dashboard.theme_chart(progress),
    }
    return render(request, "national/dashboard.html", context)


@require_GET
@never_cache
@national_team_required
def national_csv(request: HttpRequest) -> HttpResponse:
    """The table's rows in the table's order, as UTF-8 with a byte order mark so that spreadsheets read it so."""
    _check_permission(request)
    progress = dashboard.national_progress()
    sort, descending = dashboard.parse_sort(request.GET.get("sort", ""))
    rows = dashboard.csv_rows(progress, dashboard.sort_rows(progress.cities, sort, descending))
    return csv_response(f"upr-cities-progress-{progress.today.isoformat()}.csv", rows)


# --- joint submitters' sign-off (a private emailed link) --------------------------------------------------------


@private_link_page
def sign_off(request: HttpRequest, token: str) -> HttpResponse:
    submitter = JointSubmitter.objects.select_related("report__cycle").filter(token=token).first()
    if submitter is None:
        raise Http404("No such sign-off link")
    report = submitter.report
    document = build_national_report(report)
    errors = []
    if request.method == "POST":
        name = " ".join(request.POST.get("confirmed_name", "").split())
        if not name:
            errors.append(_("Write your organisation's name as it should appear on the submission."))
        elif len(name) > 200:
            errors.append(_("The name is too long (200 characters at most)."))
        else:
            services.confirm_sign_off(submitter, name=name, version=document.version())
            messages.success(request, _("Thank you: your organisation's name is confirmed on the submission."))
            return redirect("national:sign_off", token=token)
    response = render(
        request,
        "national/sign_off.html",
        {
            "submitter": submitter,
            "report": report,
            "document": document,
            "errors": errors,
            "name": request.POST.get("confirmed_name", submitter.confirmed_name or submitter.name),
        },
        status=400 if errors else 200,
    )
    return response


# --- The contact page: a message to the national team --------------------------------------------------------


def _contact_page(request: HttpRequest, form: ContactForm, status: int = 200) -> HttpResponse:
    return render(request, "national/contact.html", {"form": form}, status=status)


def contact(request: HttpRequest) -> HttpResponse:
    """The form (GET); its message stored and emailed to the national team (POST), then the page saying what
    happens next. A filled honeypot is answered as if it worked; more than RATE_LIMITS["contact"] messages an hour
    from one address are refused (429) with what was typed kept."""
    if request.method != "POST":
        return _contact_page(request, ContactForm(initial={"topic": request.GET.get("topic", "")}))
    form = ContactForm(request.POST)
    if form.is_spam():
        return redirect(f"{reverse('national:contact_sent')}?{urlencode({'topic': request.POST.get('topic', '')})}")
    if over_limit(request, "contact"):
        messages.error(request, _("Too many messages from your connection in the last hour. Please try again later."))
        return _contact_page(request, form, status=429)
    if not form.is_valid():
        return _contact_page(request, form, status=400)
    data = form.cleaned_data
    services.receive_contact_message(
        topic=data["topic"],
        name=data["name"],
        email=data["email"],
        organisation=data["organisation"],
        city_name=data["city_name"],
        message=data["message"],
        language=get_language() or "en",
    )
    return redirect(f"{reverse('national:contact_sent')}?{urlencode({'topic': data['topic']})}")


@require_GET
def contact_sent(request: HttpRequest) -> HttpResponse:
    """What happens next, with the step that fits the topic (a topic the form does not know gets the general one)."""
    topic = request.GET.get("topic", "")
    return render(
        request,
        "national/contact_sent.html",
        {
            "topic": topic if topic in ContactTopic.values else "",
            "reply_days": CONTACT_REPLY_DAYS,
            "retention_days": settings.CONTACT_RETENTION_DAYS,
        },
    )
