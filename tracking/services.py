"""Every change to a city's tracking (DESIGN.md sections 3 and 4, flow 6). Each service writes, logs in
TrackingLog, and sends its email through the outbox, in one transaction; nothing is half stored. Saving a tracking
row makes cached public pages stale through `invalidate_on_change` (tracking.apps)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cities.models import City
from cities.selectors import organizer_emails
from portal.mail import send_templated_email
from reports.enums import ReportStatus
from reports.models import ReportRecommendation
from reports.quotes import inside_public_version
from reports.rendering import delete_renders
from testimony.enums import Use
from testimony.models import Testimony
from testimony.selectors import quotable_for
from tracking.enums import EvidenceKind, Level, LogAction, ReplyDecision, TrackingStatus
from tracking.models import Evidence, Office, Reply, StatusUpdate, TrackedItem, TrackingLog
from tracking.signals import items_tracked
from upr.models import Recommendation

REPLY_SALT = "tracking.reply"
# How long an office has to answer (and its private link lasts) unless organizers choose otherwise.
DEFAULT_REPLY_DAYS = 21
MAX_REPLY_DAYS = 90


class TrackingError(Exception):
    """A change refused for a reason the person can act on; the message says it."""


def log(city: City, action: str, *, actor=None, item: TrackedItem | None = None, note: str = "") -> None:
    TrackingLog.objects.create(city=city, item=item, actor=actor, action=action, note=note)


# --- Offices and what is tracked --------------------------------------------------------------------------


@transaction.atomic
def save_office(office: Office, *, by) -> Office:
    """Create or change one of the city's offices, and log it."""
    adding = office.pk is None
    try:
        with transaction.atomic():
            office.save()
    except IntegrityError as exc:
        raise TrackingError(_("Your city already lists an office with this name.")) from exc
    log(office.city, LogAction.OFFICE_ADDED if adding else LogAction.OFFICE_CHANGED, actor=by, note=office.name)
    return office


@transaction.atomic
def track_recommendations(
    city: City, recommendations: Iterable[Recommendation], *, by, level: str = Level.FEDERAL
) -> list[TrackedItem]:
    """Start tracking each official recommendation the city does not track yet (the others are left as they are),
    and log each. Returns the new items. Official UPR recommendations are addressed to the federal government, so
    that is the default level; organizers say otherwise per item."""
    wanted = {r.pk: r for r in recommendations}
    already = set(
        TrackedItem.objects.filter(city=city, recommendation_id__in=wanted).values_list("recommendation_id", flat=True)
    )
    new = [
        TrackedItem(city=city, recommendation=rec, level=level, added_by=by)
        for pk, rec in sorted(wanted.items())
        if pk not in already
    ]
    try:
        with transaction.atomic():
            created = TrackedItem.objects.bulk_create(new)
    except IntegrityError as exc:  # another organizer tracked one of them meanwhile
        raise TrackingError(_("Someone on your team changed this list meanwhile. Please try again.")) from exc
    TrackingLog.objects.bulk_create(
        [
            TrackingLog(city=city, item=item, actor=by, action=LogAction.TRACKED, note=wanted[pk].paragraph)
            for item in created
            if (pk := item.recommendation_id) is not None
        ]
    )
    if created:
        # bulk_create sends no signals: tell the page cache and the copies kept above (the search index) ourselves.
        from portal.cache import bump_public_generation

        bump_public_generation()
        items_tracked.send(sender=TrackedItem, pks=[item.pk for item in created])
    return created


def own_recommendations(city: City):
    """The city's own recommendations it may track: those of its accepted local reports."""
    return ReportRecommendation.objects.filter(report__city=city, report__status=ReportStatus.ACCEPTED)


@transaction.atomic
def track_local(city: City, recommendation: ReportRecommendation, *, by) -> TrackedItem:
    """Track one of the city's own recommendations (from its accepted local report), and log it."""
    if not own_recommendations(city).filter(pk=recommendation.pk).exists():
        raise TrackingError(_("Only recommendations of your city's accepted local report can be tracked."))
    level = {"local": Level.CITY, "state": Level.STATE, "federal": Level.FEDERAL}.get(recommendation.level, Level.CITY)
    try:
        with transaction.atomic():
            item = TrackedItem.objects.create(city=city, local_recommendation=recommendation, level=level, added_by=by)
    except IntegrityError as exc:
        raise TrackingError(_("Your city already tracks this recommendation.")) from exc
    log(city, LogAction.TRACKED, actor=by, item=item, note=recommendation.text[:200])
    return item


@transaction.atomic
def change_item(item: TrackedItem, *, level: str, office: Office | None, by) -> TrackedItem:
    """Say who must act on an item (level, office of the same city), and log it."""
    if office is not None and office.city_id != item.city_id:
        raise TrackingError(_("Choose one of your city's offices."))
    item.level, item.office = level, office
    item.save(update_fields=["level", "office"])
    log(item.city, LogAction.ITEM_CHANGED, actor=by, item=item, note=f"{level}: {office or '-'}")
    return item


# --- Status updates and evidence --------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceInput:
    """One piece of evidence as given in a form: `kind` decides which of the other fields count."""

    kind: str
    title: str = ""
    url: str = ""
    document: object = None  # a file already checked and cleaned (testimony.uploads.prepare)
    is_public: bool = False
    testimony: Testimony | None = None
    excerpt: str = ""


def check_evidence_testimony(city: City, testimony: Testimony, excerpt: str) -> None:
    """Testimony may be evidence only if it is the city's, its consent allows public advocacy, and the excerpt is
    word for word inside its public version (DESIGN.md section 5)."""
    if not quotable_for(city, Use.ADVOCACY).filter(pk=testimony.pk).exists():
        raise TrackingError(_("This testimony's consent does not allow it to be used in public advocacy."))
    if not inside_public_version(testimony, excerpt):
        raise TrackingError(_("The excerpt must be copied word for word from the testimony's public version."))


@transaction.atomic
def record_update(
    item: TrackedItem,
    *,
    status: str,
    what_changed: str,
    observed_on: dt.date,
    by,
    corrects: StatusUpdate | None = None,
    evidence: Sequence[EvidenceInput] = (),
    today: dt.date | None = None,
) -> StatusUpdate:
    """Add an assessment of where `item` stands, with its evidence, and log it (a correction says which update it
    corrects). Refused whole when anything is wrong: a date in the future, a correction of another item's update,
    testimony whose consent does not allow advocacy."""
    if status not in TrackingStatus.values:
        raise TrackingError(_("Choose one of the statuses."))
    if observed_on > (today or timezone.localdate()):
        raise TrackingError(_("The date observed cannot be in the future."))
    if not what_changed.strip():
        raise TrackingError(_("Say what changed."))
    if corrects is not None and corrects.item_id != item.pk:
        raise TrackingError(_("A correction corrects an update of the same recommendation."))
    update = StatusUpdate.objects.create(
        item=item,
        status=status,
        what_changed=what_changed.strip(),
        observed_on=observed_on,
        recorded_by=by,
        corrects=corrects,
    )
    for given in evidence:
        if given.kind == EvidenceKind.TESTIMONY:
            if given.testimony is None:
                raise TrackingError(_("Choose the testimony to quote."))
            check_evidence_testimony(item.city, given.testimony, given.excerpt)
        Evidence.objects.create(
            update=update,
            kind=given.kind,
            title=given.title,
            url=given.url if given.kind == EvidenceKind.LINK else "",
            document=given.document if given.kind == EvidenceKind.DOCUMENT else "",
            is_public=given.is_public if given.kind == EvidenceKind.DOCUMENT else given.kind == EvidenceKind.LINK,
            testimony=given.testimony if given.kind == EvidenceKind.TESTIMONY else None,
            excerpt=" ".join(given.excerpt.split()) if given.kind == EvidenceKind.TESTIMONY else "",
        )
    action = LogAction.CORRECTION if corrects is not None else LogAction.UPDATE_RECORDED
    note = f"{status} ({observed_on.isoformat()})"
    if corrects is not None:
        note += f"; corrects #{corrects.pk}"
    if evidence:
        note += f"; {len(evidence)} evidence"
    log(item.city, action, actor=by, item=item, note=note)
    return update


def erase_withdrawn_words(testimony: Testimony) -> None:
    """A withdrawn testimony's words leave tracking evidence in the withdrawal's transaction (DESIGN.md section 5):
    the excerpt is erased (the reference stays, and resolves to nothing)."""
    rows = list(Evidence.objects.filter(testimony=testimony).select_related("update__item__city"))
    if not rows:
        return
    Evidence.objects.filter(pk__in=[row.pk for row in rows]).update(excerpt="")
    for row in rows:
        log(row.update.item.city, LogAction.EVIDENCE_ERASED, item=row.update.item, note=f"evidence #{row.pk}")
    # A file cannot be edited: every brief of these cities that may print the words is deleted now.
    delete_renders(City, {row.update.item.city_id for row in rows})
    from portal.cache import bump_public_generation

    bump_public_generation()


def on_testimony_withdrawn(sender, testimony: Testimony, **kwargs) -> None:
    erase_withdrawn_words(testimony)


# --- The officials' right of reply ------------------------------------------------------------------------


def reply_token(reply: Reply) -> str:
    return signing.dumps(reply.pk, salt=REPLY_SALT, compress=True)


def reply_url(reply: Reply) -> str:
    from django.conf import settings

    return settings.SITE_URL + reverse("tracking:reply", kwargs={"token": reply_token(reply)})


def reply_from_token(token: str, *, now: dt.datetime | None = None) -> Reply | None:
    """The reply a private link asks for, or None when the link is forged, expired or already used: the signature
    lasts at most MAX_REPLY_DAYS, and the link closes on its due date or once answered (single use)."""
    try:
        pk = signing.loads(token, salt=REPLY_SALT, max_age=dt.timedelta(days=MAX_REPLY_DAYS + 1))
    except signing.BadSignature:
        return None
    reply = (
        Reply.objects.select_related(
            "office",
            "update__item__city",
            "update__item__recommendation__cycle",
            "update__item__local_recommendation",
        )
        .filter(pk=pk)
        .first()
    )
    if reply is None or not reply_is_open(reply, now=now):
        return None
    return reply


def reply_is_open(reply: Reply, *, now: dt.datetime | None = None) -> bool:
    today = timezone.localdate(now) if now else timezone.localdate()
    return reply.decision == ReplyDecision.WAITING and today <= reply.due_on


@transaction.atomic
def request_reply(update: StatusUpdate, *, by, days: int = DEFAULT_REPLY_DAYS, language: str | None = None) -> Reply:
    """Ask the item's office to answer this assessment: create the Reply, email the office its private link
    (through the outbox, after commit), and log it. An office without an email, or one already asked about this
    update and not yet answered, is refused."""
    item = update.item
    office = item.office
    if office is None:
        raise TrackingError(_("Name the office responsible first."))
    if not office.contact_email:
        raise TrackingError(_("Add the office's contact email first."))
    if not 1 <= days <= MAX_REPLY_DAYS:
        raise TrackingError(_("Give between 1 and %(max)d days to answer.") % {"max": MAX_REPLY_DAYS})
    if Reply.objects.filter(update=update, office=office, decision=ReplyDecision.WAITING).exists():
        raise TrackingError(_("This office was already asked about this update and has not answered yet."))
    reply = Reply.objects.create(
        update=update,
        office=office,
        sent_to=office.contact_email,
        requested_by=by,
        due_on=timezone.localdate() + dt.timedelta(days=days),
    )
    send_templated_email(
        "tracking_reply_request",
        [office.contact_email],
        {"reply": reply, "item": item, "city": item.city, "office": office, "url": reply_url(reply), "days": days},
        language=language,
        about=f"tracking-reply:{reply.pk}",
    )
    log(item.city, LogAction.REPLY_REQUESTED, actor=by, item=item, note=f"{office.name} <{office.contact_email}>")
    return reply


@transaction.atomic
def answer_reply(reply: Reply, *, answer: str, name: str) -> Reply:
    """The office answers through its link: store the answer once (a second answer through the same link is
    refused), tell the city's organizers, and log it. Nothing is public until organizers approve it."""
    reply = Reply.objects.select_for_update().select_related("update__item__city", "office").get(pk=reply.pk)
    if not reply_is_open(reply):
        raise TrackingError(_("This link was already used or has expired."))
    if not answer.strip():
        raise TrackingError(_("Please write your answer."))
    reply.answer, reply.answered_by_name = answer.strip(), name.strip()
    reply.answered_at = timezone.now()
    reply.decision = ReplyDecision.ANSWERED
    reply.save(update_fields=["answer", "answered_by_name", "answered_at", "decision"])
    item = reply.update.item
    send_templated_email(
        "tracking_reply_received",
        organizer_emails(item.city),
        {"reply": reply, "item": item, "city": item.city},
        about=f"tracking-reply:{reply.pk}",
    )
    log(item.city, LogAction.REPLY_RECEIVED, item=item, note=reply.office.name)
    return reply


@transaction.atomic
def decide_reply(reply: Reply, *, approve: bool, by) -> Reply:
    """Organizers approve an answer (it is then shown beside the assessment) or decide not to show it; logged.
    Only an answered reply waits for this decision."""
    reply = Reply.objects.select_for_update().select_related("update__item__city").get(pk=reply.pk)
    if reply.decision != ReplyDecision.ANSWERED:
        raise TrackingError(_("Only an answer waiting for your decision can be approved or set aside."))
    reply.decision = ReplyDecision.APPROVED if approve else ReplyDecision.DECLINED
    reply.decided_by, reply.decided_at = by, timezone.now()
    reply.save(update_fields=["decision", "decided_by", "decided_at"])
    item = reply.update.item
    log(item.city, LogAction.REPLY_APPROVED if approve else LogAction.REPLY_DECLINED, actor=by, item=item)
    return reply
