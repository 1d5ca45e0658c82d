"""Offers to help and requests to join hold residents' names, addresses and messages: kept only while needed.

Offers are deleted GET_INVOLVED_RETENTION_DAYS after they were made (the organizers have long answered them or
never will); requests to join, CITY_REQUEST_RETENTION_DAYS_AFTER_DECISION after they were decided (pending ones
stay until decided). Nothing counts them later, so they are deleted, not anonymised. A resident can delete their
own offer at once with the private link in their receipt (`cities.services.delete_offer`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from cities.enums import RequestStatus
from cities.models import CityRequest, GetInvolvedRequest


def delete_expired_requests(now: dt.datetime | None = None) -> int:
    """Delete offers and decided requests past their retention. Two DELETEs on their indexes (no rows load), so
    cheap when nothing is due, and idempotent. Returns how many rows went."""
    now = now or timezone.now()
    offers, _ = GetInvolvedRequest.objects.filter(
        created_at__lt=now - dt.timedelta(days=settings.GET_INVOLVED_RETENTION_DAYS)
    ).delete()
    requests, _ = (
        CityRequest.objects.exclude(status=RequestStatus.PENDING)
        .filter(decided_at__lt=now - dt.timedelta(days=settings.CITY_REQUEST_RETENTION_DAYS_AFTER_DECISION))
        .delete()
    )
    return offers + requests
