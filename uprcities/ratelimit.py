"""A small per-address rate limit for public forms, counted in the cache (shared by all web processes)."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    if settings.SECURE_PROXY_SSL_HEADER and request.META.get("HTTP_X_FORWARDED_FOR"):
        # Behind our own proxy, the last hop it added is the client; earlier hops can be forged.
        return request.META["HTTP_X_FORWARDED_FOR"].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def over_limit(request, scope: str) -> bool:
    """Count one submission for this address; True when it is over the scope's limit for the window."""
    limit, window = settings.RATE_LIMITS[scope]
    # Hashed: the cache never holds a visitor's address.
    who = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()[:24]
    key = f"ratelimit:{scope}:{who}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
