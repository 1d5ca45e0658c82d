"""The periodic job that deletes contact details past their retention date (DESIGN.md section 5)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from testimony.enums import ModerationAction
from testimony.models import ContactDetails, ModerationLog


def delete_expired_contact_details(today: dt.date | None = None) -> int:
    """Delete ContactDetails whose `retain_until` is before `today` and log CONTACT_DELETED for each.

    Cheap when nothing is due (one query on the retain_until index) and idempotent: a second run finds nothing.
    Returns how many were deleted.
    """
    today = today or timezone.localdate()
    due = list(ContactDetails.objects.filter(retain_until__lt=today).values_list("pk", "testimony_id"))
    if not due:
        return 0
    with transaction.atomic():
        pks = [pk for pk, _testimony in due]
        deleted, _per_model = ContactDetails.objects.filter(pk__in=pks, retain_until__lt=today).delete()
        ModerationLog.objects.bulk_create(
            [ModerationLog(testimony_id=testimony, action=ModerationAction.CONTACT_DELETED) for _pk, testimony in due]
        )
    return deleted
