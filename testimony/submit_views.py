"""Giving testimony (anyone, no account needed) and the person's private link (DESIGN.md section 5)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cities.models import City
from cities.selectors import public_city
from portal.cache import blank_form_page
from portal.headers import private_link_page
from portal.ratelimit import over_limit
from testimony import services
from testimony.enums import Identification, Status
from testimony.models import USE_FIELDS, Testimony
from testimony.selectors import current_consent_text
from testimony.submit_forms import ConsentChangeForm, TestimonyForm, age_answer

# --- Giving testimony ------------------------------------------------------------------------------------


def pick_city(request: HttpRequest) -> HttpResponse:
    cities = City.objects.active().only("name", "state", "slug")
    return render(request, "testimony/submit_pick_city.html", {"cities": cities})


def _form_page(request: HttpRequest, city: City, form: TestimonyForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "testimony/submit_form.html",
        {
            "city": city,
            "form": form,
            "use_fields": [form[name] for name in USE_FIELDS],
            "consent_text": form.consent_text,
            "consent_blocks": form.consent_text.blocks(get_language()),
            "file_dropped": bool(request.FILES),
        },
        status=status,
    )


# Not CSRF-exempt, unlike the portal's other anonymous forms: a signed-in person's testimony is recorded as
# theirs (submitted_by), so a forged cross-site post could attribute words to them. So the blank page is kept with
# its token taken out, and each visitor gets their own token put in (portal.cache.blank_form_page).
@blank_form_page
def new(request: HttpRequest, slug: str) -> HttpResponse:
    city = public_city(slug)
    consent_text = current_consent_text()
    if request.method != "POST":
        return _form_page(request, city, TestimonyForm(consent_text=consent_text, initial=_initial()))
    form = TestimonyForm(request.POST, request.FILES, consent_text=consent_text)
    if form.is_spam():
        # Answer as if it worked: a bot learns nothing, and nothing is stored or sent.
        return redirect("testimony:thanks", slug=city.slug)
    if over_limit(request, "testimony"):
        messages.error(request, _("Too many testimonies from your connection in the last hour. Please try later."))
        return _form_page(request, city, form, status=429)
    if not form.is_valid():
        return _form_page(request, city, form, status=400)
    with transaction.atomic():
        services.submit_testimony(
            city, submitted_by=request.user, page_language=get_language() or "en", **form.submission()
        )
    return redirect("testimony:thanks", slug=city.slug)


def _initial() -> dict:
    language = (get_language() or "en")[:2]
    return {"language": language if language in {"en", "es"} else "other"}


def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "testimony/submit_thanks.html", {"city": public_city(slug)})


# --- The private link -------------------------------------------------------------------------------------


def _by_token(token: str) -> Testimony:
    return get_object_or_404(
        Testimony.objects.select_related("city", "consent_text").prefetch_related("themes"), private_token=token
    )


PENDING_WORDS = {
    "allows_portal": gettext_lazy("Shown on this portal"),
    "allows_local_report": gettext_lazy("Quoted in the city's local report"),
    "allows_national_report": gettext_lazy("Quoted in the national report sent to the United Nations"),
    "allows_advocacy": gettext_lazy("Used in public advocacy"),
    "less_precise": gettext_lazy("Place and dates made less precise"),
}


def _pending_lines(testimony: Testimony) -> list[str]:
    """The wider consent the person asked for and organizers have not reviewed yet, in the page's own words."""
    pending = testimony.pending_consent
    lines = []
    if "identification" in pending:
        how = Identification(pending["identification"]).label
        name = pending.get("display_name", "")
        lines.append(_("How you are named: %(how)s") % {"how": how} + (f": “{name}”" if name else ""))
    for field, words in PENDING_WORDS.items():
        if field in pending:
            lines.append(f"{words}: {_('yes') if pending[field] else _('no')}")
    return lines


def _mine_page(request: HttpRequest, testimony: Testimony, form: ConsentChangeForm, status: int = 200):
    return render(
        request,
        "testimony/mine_detail.html",
        {
            "testimony": testimony,
            "form": form,
            "use_fields": [form[name] for name in USE_FIELDS],
            "age": age_answer(testimony),
            "organizers_only": not (testimony.age_confirmed or testimony.guardian_consent),
            "withdrawn": testimony.status == Status.WITHDRAWN,
            "pending": _pending_lines(testimony),
            "consent_blocks": testimony.consent_text.blocks(get_language()),
            "current_consent_text": current_consent_text(),
        },
        status=status,
    )


@private_link_page
def mine(request: HttpRequest, token: str) -> HttpResponse:
    testimony = _by_token(token)
    return _mine_page(request, testimony, ConsentChangeForm(testimony=testimony))


@private_link_page
@require_POST
def mine_consent(request: HttpRequest, token: str) -> HttpResponse:
    testimony = _by_token(token)
    form = ConsentChangeForm(request.POST, testimony=testimony)
    if testimony.status == Status.WITHDRAWN:
        messages.error(request, _("This testimony was withdrawn: its consent can no longer be changed."))
        return _mine_page(request, testimony, form, status=409)
    if not form.is_valid():
        return _mine_page(request, testimony, form, status=400)
    try:
        changed = services.change_consent(testimony, **form.changes())
    except services.ConsentError as exc:
        messages.error(request, str(exc))
        return _mine_page(request, testimony, form, status=409)
    if changed.pending:
        messages.success(
            request,
            _(
                "Your choices are saved. Where you allowed more than before, the city's organizers read your "
                "testimony again first; until they have, nothing more is shown or quoted."
            ),
        )
    elif changed:
        messages.success(request, _("Your choices are saved. Thank you."))
    else:
        messages.info(request, _("Nothing changed."))
    return redirect("testimony:mine", token=testimony.private_token)


@private_link_page
def mine_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    testimony = _by_token(token)
    if request.method == "POST":
        services.withdraw_testimony(testimony)
        messages.success(request, _("Your testimony is withdrawn. Your contact details are deleted."))
        return redirect("testimony:mine", token=testimony.private_token)
    return render(
        request,
        "testimony/mine_withdraw.html",
        {"testimony": testimony, "withdrawn": testimony.status == Status.WITHDRAWN},
    )
