"""Moderation of testimony by a city's organizers: every action is logged (who, when, what) in ModerationLog.

Opening the private original is logged in AccessLog (DESIGN.md section 5). Callers scope the testimony to the
organizer's city first (`testimony_visible_to` + city); these services check only the state transitions.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cache import bump_public_generation
from testimony.enums import AccessKind, ModerationAction, Status
from testimony.models import PUBLIC_TEXT_FIELDS, AccessLog, ModerationLog, Testimony
from testimony.selectors import current_consent_text
from testimony.signals import testimonies_changed


class ModerationError(Exception):
    """An action that the testimony's state does not allow (e.g. approving withdrawn testimony)."""


def _refuse_withdrawn(testimony: Testimony) -> None:
    if testimony.status == Status.WITHDRAWN:
        raise ModerationError(_("This testimony was withdrawn by the person; it can no longer be moderated."))


def _refuse_unreviewed(testimony: Testimony) -> None:
    if testimony.public_reviewed_at is None or not testimony.public_body.strip():
        raise ModerationError(
            _("Write the public version first: public places show only what you reviewed, never the original.")
        )


@transaction.atomic
def approve(testimony: Testimony, *, by) -> Testimony:
    """Publish within the person's consent: the public versions organizers reviewed, never the originals. Refused
    until the public versions were saved (`save_public_version`)."""
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    _refuse_withdrawn(testimony)
    _refuse_unreviewed(testimony)
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
def save_public_version(testimony: Testimony, *, by, **public: str) -> Testimony:
    """Write or change the public versions (keyword per `PUBLIC_TEXT_FIELDS` public field; one left out is
    emptied, so it is not public) and mark them reviewed; log REDACT. The originals are never touched."""
    names = [field.public for field in PUBLIC_TEXT_FIELDS]
    unknown = set(public) - set(names)
    if unknown:
        raise ValueError(f"not public text fields: {sorted(unknown)}")
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    _refuse_withdrawn(testimony)
    for name in names:
        setattr(testimony, name, (public.get(name) or "").strip())
    testimony.public_reviewed_at = timezone.now()
    testimony.public_reviewed_by = by
    testimony.save(update_fields=[*names, "public_reviewed_at", "public_reviewed_by", "updated_at"])
    ModerationLog.objects.create(testimony=testimony, actor=by, action=ModerationAction.REDACT)
    return testimony


def reviewable(testimonies: QuerySet[Testimony]) -> QuerySet[Testimony]:
    """Of `testimonies`, those that may be approved now: not withdrawn, public versions reviewed."""
    return testimonies.exclude(status=Status.WITHDRAWN).filter(public_reviewed_at__isnull=False).exclude(public_body="")


@transaction.atomic
def bulk_approve(testimonies: QuerySet[Testimony], *, by) -> int:
    """Approve every testimony of `testimonies` that is not withdrawn and whose public versions were reviewed (the
    others are left as they are: the caller tells how many); returns how many were approved."""
    now = timezone.now()
    pks = list(reviewable(testimonies).select_for_update().order_by("pk").values_list("pk", flat=True))
    Testimony.objects.filter(pk__in=pks).update(
        status=Status.APPROVED, approved_at=now, approved_by=by, rejection_reason="", updated_at=now
    )
    bump_public_generation()  # update() sends no post_save
    testimonies_changed.send(sender=Testimony, pks=pks)
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
    bump_public_generation()  # update() sends no post_save
    testimonies_changed.send(sender=Testimony, pks=pks)
    ModerationLog.objects.bulk_create(
        [ModerationLog(testimony_id=pk, actor=by, action=ModerationAction.REJECT, note=reason) for pk in pks]
    )
    return len(pks)


def record_private_view(testimony: Testimony, *, by) -> AccessLog:
    """Each opening of the private original by an organizer (DESIGN.md section 5)."""
    return AccessLog.objects.create(testimony=testimony, user=by, kind=AccessKind.OPENED)


def record_export(testimony_ids: list[int], *, by) -> int:
    """Each testimony in an organizer's CSV export, logged like an opening; returns how many rows were logged."""
    rows = AccessLog.objects.bulk_create(
        [AccessLog(testimony_id=pk, user=by, kind=AccessKind.EXPORTED) for pk in testimony_ids]
    )
    return len(rows)


@transaction.atomic
def accept_widening(testimony: Testimony, *, by) -> list[str]:
    """Apply the wider consent the person asked for (`pending_consent`), recorded as given online under the
    current wording, and log it; returns the fields applied ([] when nothing waited)."""
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    _refuse_withdrawn(testimony)
    pending = testimony.pending_consent
    if not pending:
        return []
    for name, value in pending.items():
        setattr(testimony, name, value)
    testimony.pending_consent, testimony.pending_consent_at = {}, None
    testimony.consent_text = current_consent_text()
    testimony.consent_recorded_at = timezone.now()
    testimony.save()
    ModerationLog.objects.create(
        testimony=testimony, actor=by, action=ModerationAction.WIDENING_ACCEPTED, note=", ".join(sorted(pending))
    )
    return sorted(pending)


@transaction.atomic
def decline_widening(testimony: Testimony, *, by, reason: str = "") -> list[str]:
    """Keep the consent as it is and drop the wider request; log it with the reason. Returns the fields dropped."""
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    pending = testimony.pending_consent
    if not pending:
        return []
    testimony.pending_consent, testimony.pending_consent_at = {}, None
    testimony.save(update_fields=["pending_consent", "pending_consent_at", "updated_at"])
    note = ", ".join(sorted(pending)) + (f": {reason.strip()}" if reason.strip() else "")
    ModerationLog.objects.create(testimony=testimony, actor=by, action=ModerationAction.WIDENING_DECLINED, note=note)
    return sorted(pending)
