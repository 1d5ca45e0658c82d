"""Headers of the pages a private link opens (a testimony's, a registration's, an offer's, an invitation, a
sign-off, an email opt-out): the token in the address is the key, so the page is never cached, search engines keep
out, and the address never leaves the site in a Referer (a click on a meeting's join link must not hand its host
the token).

"same-origin" rather than "no-referrer": with no-referrer browsers send `Origin: null` with the page's own
Confirm/Cancel POST, which CSRF protection rightly refuses.
"""

from __future__ import annotations

import functools

from django.views.decorators.cache import never_cache


def private_link_page(view):
    @functools.wraps(view)
    @never_cache
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper
