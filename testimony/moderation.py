"""Moderation of testimony by a city's organizers: every action is logged (who, when, what) in ModerationLog.

Opening the private original is logged in AccessLog (DESIGN.md section 5). Callers scope the testimony to the
organizer's city first (`testimony_visible_to` + city); these services check only the state transitions.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from testimony.enums import ModerationAction, Status
from testimony.models import AccessLog, ModerationLog, Testimony


class ModerationError(Exception):
    """An action that the testimony's state does not allow (e.g. approving withdrawn testimony)."""


def _refuse_withdrawn(testimony: Testimony) -> None:
    if testimony.status == Status.WITHDRAWN:
        raise ModerationError(_("This testimony was withdrawn by the person; it can no longer be moderated."))


@transaction.atomic
def approve(testimony: Testimony, *, by) -> Testimony:
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    _refuse_withdrawn(testimony)
    testimony.status = Status.APPROVED
    testimony.approved_at = timezone.now()
    testimony.approved_by = by
    testimony.rejection_reason = ""
    testimony.save(update_fields=["status", "approved_at", "approved_by", "rejection_reason", "updated_at"])
    ModerationLog.objects.create(testimony=testimony, actor=by, action=ModerationAction.APPROVE)
    return testimony


@transaction.atomic
def reject(testimony: Testimony, *, by, reason: str) -> Testimony:
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(_("Give a reason for rejecting."))
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    _refuse_withdrawn(testimony)
    testimony.status = Status.REJECTED
    testimony.rejection_reason = reason
    testimony.approved_at = None
    testimony.approved_by = None
    testimony.save(update_fields=["status", "rejection_reason", "approved_at", "approved_by", "updated_at"])
    ModerationLog.objects.create(testimony=testimony, actor=by, action=ModerationAction.REJECT, note=reason)
    return testimony


@transaction.atomic
def save_public_version(testimony: Testimony, *, by, public_body: str, public_title: str = "") -> Testimony:
    """Write or change the redacted public version (text and title). The originals (`body`, `title`) are never
    touched."""
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    _refuse_withdrawn(testimony)
    testimony.public_body = (public_body or "").strip()
    testimony.public_title = (public_title or "").strip()
    testimony.save(update_fields=["public_body", "public_title", "updated_at"])
    ModerationLog.objects.create(testimony=testimony, actor=by, action=ModerationAction.REDACT)
    return testimony


@transaction.atomic
def bulk_approve(testimonies: QuerySet[Testimony], *, by) -> int:
    """Approve every testimony of `testimonies` that is not withdrawn; returns how many were approved."""
    now = timezone.now()
    pks = list(
        testimonies.exclude(status=Status.WITHDRAWN).select_for_update().order_by("pk").values_list("pk", flat=True)
    )
    Testimony.objects.filter(pk__in=pks).update(
        status=Status.APPROVED, approved_at=now, approved_by=by, rejection_reason="", updated_at=now
    )
    ModerationLog.objects.bulk_create(
        [ModerationLog(testimony_id=pk, actor=by, action=ModerationAction.APPROVE, note=_("bulk")) for pk in pks]
    )
    return len(pks)


@transaction.atomic
def bulk_reject(testimonies: QuerySet[Testimony], *, by, reason: str) -> int:
    """Reject every testimony of `testimonies` that is not withdrawn, with one reason; returns how many."""
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(_("Give a reason for rejecting."))
    now = timezone.now()
    pks = list(
        testimonies.exclude(status=Status.WITHDRAWN).select_for_update().order_by("pk").values_list("pk", flat=True)
    )
    Testimony.objects.filter(pk__in=pks).update(
        status=Status.REJECTED, rejection_reason=reason, approved_at=None, approved_by=None, updated_at=now
    )
    ModerationLog.objects.bulk_create(
        [ModerationLog(testimony_id=pk, actor=by, action=ModerationAction.REJECT, note=reason) for pk in pks]
    )
    return len(pks)


def record_private_view(testimony: Testimony, *, by) -> AccessLog:
    """Each opening of the private original by an organizer (DESIGN.md section 5)."""
    return AccessLog.objects.create(testimony=testimony, user=by)
