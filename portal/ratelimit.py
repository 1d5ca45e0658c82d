"""The client's address, decided in one place, and a small per-address rate limit for public forms, counted in the
cache (shared by all web processes)."""

from __future__ import annotations

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str:
    """Who sent the request: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies of our own, the address the
    outermost of them saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so only the last
    TRUSTED_PROXY_COUNT entries were written by our proxies; anything to their left came from the client and can say
    anything. With the count at 0 (the default) the header is ignored, so a visitor cannot pick a fresh address for
    every request to slip past a rate limit. Our rate limits and allauth's (accounts.adapter) both ask here.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop for hop in request.headers.get("x-forwarded-for", "").split(",") if hop.strip()]
    if len(hops) < count:
        # Fewer hops than proxies: the request did not come through all of them, so the header proves nothing.
        return remote
    return _address(hops[-count]) or remote


def over_limit(request, scope: str) -> bool:
    """Count one submission for this address; True when it is over the scope's limit for the window.

    With the cache unreachable this fails open (portal.cache_backend answers as an empty cache, and the backend
    logs the outage): the limits are a spam brake, not a security boundary, and refusing every testimony and
    registration while Redis is down would lose far more than a spammer could add; moderation still reads each one.
    """
    limit, window = settings.RATE_LIMITS[scope]
    # Hashed: the cache never holds a visitor's address.
    who = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()[:24]
    key = f"ratelimit:{scope}:{who}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr, or the cache is unreachable
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
