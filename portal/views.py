"""The one-click opt-out page of optional emails (RFC 8058, portal.optout)."""

from __future__ import annotations

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal import optout
from portal.headers import private_link_page


# RFC 8058: a mail client's one-click button POSTs this body, with no cookie and no CSRF token; the signed token in
# the address is the credential, so the page is exempt from CSRF (a forged POST could only stop someone's reminders,
# and only with a token taken from their own email).
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@private_link_page
def email_stop(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (mail scanners fetch links; they must not unsubscribe anyone); POST stops, or with `undo` resumes;
    the RFC 8058 one-click POST stops and answers a short 200."""
    try:
        email, kind = optout.read_token(token)
    except signing.BadSignature as exc:
        raise Http404("No such link") from exc
    optional = optout.optional_emails.get(kind)
    if optional is None:
        raise Http404("No such kind of email")
    if request.method == "POST":
        if request.POST.get("List-Unsubscribe") == "One-Click":
            optout.stop(email, kind)
            return HttpResponse(gettext("You will no longer receive these emails."), content_type="text/plain")
        undo = "undo" in request.POST
        if undo:
            optout.resume(email, kind)
        else:
            optout.stop(email, kind)
        return redirect(f"{request.path}?done={'resumed' if undo else 'stopped'}")
    context = {
        "email": email,
        "what": optional.label,
        "stopped": optout.is_stopped(email, kind),
        "done": request.GET.get("done"),
    }
    return render(request, "portal/email_stop.html", context)
