"""Registrations hold names, addresses, organisations and access needs: they are kept only while needed.

A set time after the event ends (REGISTRATION_RETENTION_DAYS_AFTER_EVENT) the personal fields are blanked; the
row stays with its event, status and dates, so attendance figures (registered, confirmed, waitlisted) still add up.
A person can erase their own registration at once from their private link (`erase_registration`). Lobby-day
delegates (name, email, travel and access needs) are deleted after the same time: a delegate row is nothing but
the person.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from events import services
from events.enums import RegistrationStatus
from events.models import Delegate, Registration

ERASED = {"name": "", "email": "", "organisation": "", "city_name": "", "access_needs": [], "access_note": ""}


def _erase(registrations: QuerySet[Registration], now: dt.datetime) -> int:
    return registrations.filter(anonymised_at__isnull=True).update(**ERASED, anonymised_at=now)


def anonymise_past_registrations(now: dt.datetime | None = None) -> int:
    """Blank the personal fields of registrations for events that ended more than
    REGISTRATION_RETENTION_DAYS_AFTER_EVENT days before `now`. One UPDATE (on the partial index of registrations
    not yet erased), so cheap when nothing is due, and idempotent. Returns how many were erased."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.REGISTRATION_RETENTION_DAYS_AFTER_EVENT)
    return _erase(Registration.objects.filter(event__ends_at__lt=cutoff), now)


def erase_registration(registration: Registration) -> None:
    """The person erases their own registration: cancel it first if it is active (`services.cancel`: the seat
    goes to the waiting list), then blank its personal fields. The private link stops working."""
    with transaction.atomic():
        if registration.status != RegistrationStatus.CANCELLED:
            services.cancel(registration)
        _erase(Registration.objects.filter(pk=registration.pk), timezone.now())


def delete_past_delegates(now: dt.datetime | None = None) -> int:
    """Delete lobby-day delegates of events that ended more than REGISTRATION_RETENTION_DAYS_AFTER_EVENT days
    before `now` (one DELETE; idempotent). Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.REGISTRATION_RETENTION_DAYS_AFTER_EVENT)
    deleted, _per_model = Delegate.objects.filter(event__ends_at__lt=cutoff).delete()
    return deleted
