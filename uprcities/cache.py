"""Whole-page caching of public pages for anonymous visitors.

Most visits are anonymous reads of the same few pages; rendering them once a minute instead of on every request
is what lets a public page serve close to a static one. Only GET 200 responses to anonymous visitors without
pending messages and without cookies being set are stored, so nothing personal is ever cached.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language


def _cacheable_request(request) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.user.is_authenticated
        and len(get_messages(request)) == 0
    )


def public_page(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        key = f"page:{get_language()}:{digest}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.cookies:
                cache.set(key, response, settings.PUBLIC_PAGE_CACHE_SECONDS)
        patch_cache_control(response, public=True, max_age=0)
        return response

    return wrapper
