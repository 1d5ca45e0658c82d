"""The staff's first two-factor enrolment, behind a second proof (accounts.enrolment)."""

from __future__ import annotations

from allauth.mfa.totp.views import ActivateTOTPView
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts import enrolment
from portal.forms import BootstrapMixin
from portal.ratelimit import over_limit


class EnrolmentCodeForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label=gettext_lazy("Code from a national-team colleague"), max_length=32)


class StaffActivateTOTPView(ActivateTOTPView):
    """allauth's TOTP activation; after its reauthentication, staff without an authenticator also need the pass
    that a redeemed second proof gives (GET and POST alike, so the form cannot be posted around it)."""

    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs) if enrolment.may_enrol(request) else _ask_for_proof(request)

    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs) if enrolment.may_enrol(request) else _ask_for_proof(request)

    def form_valid(self, form):
        response = super().form_valid(form)
        enrolment.end_pass(self.request)
        return response


activate_totp = StaffActivateTOTPView.as_view()


def _ask_for_proof(request: HttpRequest) -> HttpResponse:
    messages.warning(
        request,
        _("Before you set up two-factor authentication, prove it is you a second way: a password alone is not enough."),
    )
    return redirect("accounts:enrolment")


@login_required
@never_cache
def enrolment_page(request: HttpRequest) -> HttpResponse:
    """Staff without an authenticator: have a link emailed to their own address, or type a colleague's code."""
    if not enrolment.needs_second_proof(request.user):
        return redirect("mfa_index")
    form = EnrolmentCodeForm(request.POST if request.POST.get("action") == "code" else None)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "email":
        if over_limit(request, "staff_enrolment_link"):
            messages.error(request, _("Too many links asked for in the last hour. Please try again later."))
        else:
            enrolment.send_enrolment_link(request.user)
            messages.success(
                request, _("We emailed a link to %(email)s. Open it in this browser.") % {"email": request.user.email}
            )
        return redirect("accounts:enrolment")
    if form.is_bound:
        if over_limit(request, "staff_enrolment_code"):
            form.add_error("code", _("Too many codes tried in the last hour. Please try again later."))
            status = 429
        elif form.is_valid():
            try:
                enrolment.redeem_code(request, form.cleaned_data["code"])
            except enrolment.EnrolmentError as exc:
                form.add_error("code", str(exc))
            else:
                return redirect("mfa_activate_totp")
        status = 400 if status == 200 else status
    return render(request, "accounts/staff_enrolment.html", {"form": form}, status=status)


@login_required
@never_cache
def enrolment_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a Continue button (mail scanners fetch links; they must not use it up); POST redeems the link."""
    grant = enrolment.grant_from_link(token)
    if grant is None:
        return render(request, "accounts/staff_enrolment_link.html", {"invalid": True}, status=404)
    if request.method == "POST":
        try:
            enrolment.redeem_link(request, grant)
        except enrolment.EnrolmentError as exc:
            return render(request, "accounts/staff_enrolment_link.html", {"error": str(exc)}, status=403)
        return redirect("mfa_activate_totp")
    return render(request, "accounts/staff_enrolment_link.html", {"grant": grant})
