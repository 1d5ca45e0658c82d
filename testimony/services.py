"""Writes on testimony from the person's side: submitting, changing consent, withdrawing (DESIGN.md section 5)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cities.models import City
from cities.selectors import organizer_emails
from portal.links import is_video_service
from portal.mail import send_templated_email
from testimony import uploads
from testimony.enums import ConsentMethod, Identification, Kind, ModerationAction, Nature, Status
from testimony.models import CONSENT_FIELDS, PUBLIC_TEXT_FIELDS, USE_FIELDS, ContactDetails, ModerationLog, Testimony
from testimony.selectors import current_consent_text
from testimony.signals import testimony_withdrawn
from upr.models import ReviewCycle, Theme


class ConsentError(ValueError):
    """A consent change that is not allowed (e.g. recalling what was sent to the UN)."""


def contact_retain_until(today: datetime.date | None = None) -> datetime.date:
    """Contact details are kept until TESTIMONY_RETENTION_DAYS_AFTER_REVIEW days after the current cycle's review;
    a year from today when there is no review date (or it is so far past that the date would already be gone)."""
    today = today or timezone.localdate()
    cycle = ReviewCycle.objects.current()
    if cycle and cycle.review_date:
        until = cycle.review_date + datetime.timedelta(days=settings.TESTIMONY_RETENTION_DAYS_AFTER_REVIEW)
        if until >= today:
            return until
    return today + datetime.timedelta(days=365)


def _kind(media: uploads.MediaType | None, media_link: str) -> Kind:
    if media is not None:
        return {"video": Kind.VIDEO, "audio": Kind.AUDIO}.get(media.category, Kind.WRITTEN)
    return Kind.VIDEO if is_video_service(media_link) else Kind.WRITTEN


def _check_consent(identification: str, display_name: str) -> None:
    if identification not in Identification.values:
        raise ValueError(f"unknown identification {identification!r}")
    if (identification == Identification.ANONYMOUS) != (display_name == ""):
        raise ValueError("a name is shown exactly when the person is not anonymous")


@transaction.atomic
def submit_testimony(
    city: City,
    *,
    body: str,
    nature: str,
    identification: str,
    display_name: str = "",
    title: str = "",
    language: str = "en",
    themes: Iterable[Theme] = (),
    media_link: str = "",
    media_file: UploadedFile | None = None,
    media_caption: str = "",
    transcript: str = "",
    place_text: str = "",
    occurred_on: datetime.date | None = None,
    allows_portal: bool = False,
    allows_local_report: bool = False,
    allows_national_report: bool = False,
    allows_advocacy: bool = False,
    allows_contact: bool = False,
    age_confirmed: bool = False,
    guardian_consent: bool = False,
    less_precise: bool = False,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    submitted_by=None,
    page_language: str = "en",
) -> Testimony:
    """Store a testimony given online with its consent, in one transaction; images lose their metadata. After
    commit, the person gets their private link by email (when they gave one) and the city's organizers a notice
    that testimony arrived (never its text or the person's name)."""
    _check_consent(identification, display_name)
    if nature not in Nature.values:
        raise ValueError(f"unknown nature {nature!r}")
    if not (age_confirmed or guardian_consent):
        # Under 18 without a guardian's consent: organizers only, whatever was ticked.
        allows_portal = allows_local_report = allows_national_report = allows_advocacy = False
    media, stored_file = uploads.prepare(media_file) if media_file else (None, None)
    testimony = Testimony(
        city=city,
        cycle=ReviewCycle.objects.current(),
        kind=_kind(media, media_link),
        title=title,
        body=body,
        nature=nature,
        language=language,
        media_link=media_link,
        media_caption=media_caption,
        transcript=transcript,
        place_text=place_text,
        occurred_on=occurred_on,
        identification=identification,
        display_name=display_name,
        allows_portal=allows_portal,
        allows_local_report=allows_local_report,
        allows_national_report=allows_national_report,
        allows_advocacy=allows_advocacy,
        allows_contact=allows_contact,
        age_confirmed=age_confirmed,
        guardian_consent=guardian_consent,
        less_precise=less_precise,
        consent_text=current_consent_text(),
        consent_method=ConsentMethod.ONLINE,
        consent_recorded_at=timezone.now(),
        submitted_by=submitted_by if submitted_by is not None and submitted_by.is_authenticated else None,
        status=Status.RECEIVED,
    )
    if stored_file is not None:
        testimony.media_file = stored_file
    testimony.save()
    testimony.themes.set(themes)
    if contact_name or contact_email or contact_phone:
        ContactDetails.objects.create(
            testimony=testimony,
            name=contact_name,
            email=contact_email,
            phone=contact_phone,
            retain_until=contact_retain_until(),
        )
    ModerationLog.objects.create(testimony=testimony, action=ModerationAction.RECEIVED)
    if contact_email:
        send_templated_email(
            "testimony_confirmation",
            [contact_email],
            {"testimony": testimony, "city": city},
            language=page_language,
        )
    organizers = organizer_emails(city)
    send_templated_email(
        "testimony_organizers", organizers or [settings.NATIONAL_TEAM_EMAIL], {"testimony": testimony, "city": city}
    )
    return testimony


def _yes_no(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) or "-"


# How much a way of being named reveals: moving down this list narrows consent, anything else widens it.
IDENTIFICATION_REACH = {
    Identification.ANONYMOUS: 0,
    Identification.PSEUDONYM: 1,
    Identification.FIRST_NAME: 2,
    Identification.FULL_NAME: 3,
}


def _is_widening(current: Testimony, name: str, value) -> bool:
    """Whether setting consent field `name` to `value` lets the words or the person reach further than now."""
    if name in USE_FIELDS:
        return bool(value) and not getattr(current, name)
    if name == "less_precise":
        return not value and current.less_precise
    return False


def _naming_widens(current: Testimony, identification: str, display_name: str) -> bool:
    """A new way of being named widens consent unless it reveals less: anonymous, or a lower reach. A different
    name at the same reach (a new pseudonym, say) is new words to show, so organizers read it first."""
    if identification == current.identification and display_name == current.display_name:
        return False
    if identification == Identification.ANONYMOUS:
        return False
    return (
        IDENTIFICATION_REACH[Identification(identification)]
        >= IDENTIFICATION_REACH[Identification(current.identification)]
    )


def _note(before: dict, after: dict) -> str:
    # Names stay out of the log: it outlives a withdrawal, and a name there would outlive the person's choice.
    def shown(name, value):
        return "…" if name == "display_name" else _yes_no(value)

    return "; ".join(f"{name}: {shown(name, before[name])} → {shown(name, after[name])}" for name in after)


@dataclass
class ConsentChange:
    """What a change of consent did: `applied` at once (narrowing, or any change before approval), `pending` for
    organizers to review (widening an approved testimony's reach)."""

    applied: list[str]
    pending: list[str]

    def __bool__(self) -> bool:
        return bool(self.applied or self.pending)


@transaction.atomic
def change_consent(testimony: Testimony, **changes) -> ConsentChange:
    """The person's new consent (any of CONSENT_FIELDS) from their private link.

    1. Narrowing (a use taken away, a less revealing name, less precision) and changes that reach no public place
       (being contacted) take effect at once, everywhere, and drop any wider request for the same field.
    2. Widening an approved testimony's reach waits in `pending_consent` for the city's organizers, who are told by
       email after commit; until they accept it, nothing more is shown or quoted. Before approval there is
       nothing public yet: every change applies, and organizers read it when they moderate.
    3. The consent is recorded under the current wording; each step is logged (names never written in the log).
    """
    unknown = set(changes) - set(CONSENT_FIELDS)
    if unknown:
        raise ValueError(f"not consent fields: {sorted(unknown)}")
    locked = Testimony.objects.select_for_update().get(pk=testimony.pk)
    if locked.status == Status.WITHDRAWN:
        raise ConsentError("This testimony was withdrawn.")
    if locked.sent_to_un_at and locked.allows_national_report and changes.get("allows_national_report") is False:
        raise ConsentError("What has been sent to the UN cannot be recalled.")
    if not (locked.age_confirmed or locked.guardian_consent):
        for name in USE_FIELDS:
            changes[name] = False
    identification = changes.get("identification", locked.identification)
    display_name = changes.get("display_name", locked.display_name)
    _check_consent(identification, display_name)
    changed = {name: value for name, value in changes.items() if getattr(locked, name) != value}
    pending = dict(locked.pending_consent)
    # Asking again for what is already in force takes back a wider request for that field.
    for name, value in changes.items():
        if name not in ("identification", "display_name") and getattr(locked, name) == value:
            pending.pop(name, None)
    if "identification" in changes and (identification, display_name) == (locked.identification, locked.display_name):
        pending.pop("identification", None)
        pending.pop("display_name", None)
    review = locked.status == Status.APPROVED
    widening: dict = {}
    if review:
        widening = {name: value for name, value in changed.items() if _is_widening(locked, name, value)}
        if _naming_widens(locked, identification, display_name):
            widening.update(identification=identification, display_name=display_name)
    applied = {name: value for name, value in changed.items() if name not in widening}
    for name in applied:
        pending.pop(name, None)
    if "identification" in applied or "display_name" in applied:
        pending.pop("identification", None)
        pending.pop("display_name", None)
    new_pending = {name: value for name, value in widening.items() if pending.get(name, object()) != value}
    pending.update(widening)
    if not applied and not new_pending and pending == locked.pending_consent:
        return ConsentChange([], [])
    before = {name: getattr(locked, name) for name in CONSENT_FIELDS}
    old_version = locked.consent_text.version
    for name, value in applied.items():
        setattr(locked, name, value)
    locked.pending_consent = pending
    locked.pending_consent_at = timezone.now() if pending else None
    if applied:
        locked.consent_text = current_consent_text()
        locked.consent_method = ConsentMethod.ONLINE
        locked.consent_recorded_at = timezone.now()
        locked.consent_recorded_by = None
    locked.save()
    version = f" (consent text {old_version} → {current_consent_text().version})"
    if applied:
        ModerationLog.objects.create(
            testimony=locked, action=ModerationAction.CONSENT_CHANGED, note=_note(before, applied) + version
        )
    if new_pending:
        ModerationLog.objects.create(
            testimony=locked, action=ModerationAction.WIDENING_ASKED, note=_note(before, new_pending)
        )
        organizers = organizer_emails(locked.city)
        send_templated_email(
            "testimony_widening",
            organizers or [settings.NATIONAL_TEAM_EMAIL],
            {"testimony": locked, "city": locked.city, "fields": sorted(new_pending)},
        )
    testimony.refresh_from_db()
    return ConsentChange(sorted(applied), sorted(new_pending))


@transaction.atomic
def withdraw_testimony(testimony: Testimony) -> bool:
    """Withdraw, and erase (DESIGN.md section 5):

    1. every word the person gave is deleted: each original and public version of PUBLIC_TEXT_FIELDS, the link,
       the date, the themes, the name (the testimony becomes anonymous) and any consent change waiting;
    2. the contact details are deleted, and so is the uploaded file (after commit: a rolled-back withdrawal
       keeps it);
    3. a tombstone stays: id, city, cycle, dates, status "withdrawn" and the moderation log (which never holds the
       words or the name);
    4. `testimony_withdrawn` is sent, so the apps that keep copies of the words (reports) erase theirs in the
       same transaction; a national report already sent to the UN is archived there for the national team only.

    False when it was already withdrawn (nothing more is done or logged)."""
    locked = Testimony.objects.select_for_update().get(pk=testimony.pk)
    if locked.status == Status.WITHDRAWN:
        return False
    locked.status = Status.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    stored_file = locked.media_file.name
    locked.media_file = ""
    for text_field in PUBLIC_TEXT_FIELDS:
        setattr(locked, text_field.original, "")
        setattr(locked, text_field.public, "")
    locked.media_link = ""
    locked.occurred_on = None
    locked.identification, locked.display_name = Identification.ANONYMOUS, ""
    locked.pending_consent, locked.pending_consent_at = {}, None
    locked.rejection_reason = ""
    locked.save()
    locked.themes.clear()
    if stored_file:
        storage = locked.media_file.storage
        transaction.on_commit(lambda: storage.delete(stored_file))
    ContactDetails.objects.filter(testimony=locked).delete()
    ModerationLog.objects.create(testimony=locked, action=ModerationAction.WITHDRAW)
    testimony_withdrawn.send(sender=Testimony, testimony=locked)
    testimony.refresh_from_db()
    return True
