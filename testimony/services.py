"""Writes on testimony from the person's side: submitting, changing consent, withdrawing (DESIGN.md section 5)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cities.models import City, Membership
from testimony import uploads
from testimony.enums import ConsentMethod, Identification, Kind, ModerationAction, Nature, Status
from testimony.models import ContactDetails, ModerationLog, Testimony
from testimony.selectors import current_consent_text
from upr.models import ReviewCycle, Theme
from uprcities.mail import send_templated_email

USE_FIELDS = ("allows_portal", "allows_local_report", "allows_national_report", "allows_advocacy")
CONSENT_FIELDS = ("identification", "display_name", *USE_FIELDS, "allows_contact", "less_precise")
VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com")


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
    host = media_link.split("//", 1)[-1].split("/", 1)[0].lower().removeprefix("www.")
    return Kind.VIDEO if host in VIDEO_HOSTS or host.endswith(".vimeo.com") else Kind.WRITTEN


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
    organizers = list(Membership.objects.filter(city=city).values_list("user__email", flat=True))
    send_templated_email(
        "testimony_organizers", organizers or [settings.NATIONAL_TEAM_EMAIL], {"testimony": testimony, "city": city}
    )
    return testimony


def _yes_no(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) or "-"


@transaction.atomic
def change_consent(testimony: Testimony, **changes) -> list[str]:
    """Apply the person's new consent (any of CONSENT_FIELDS), record it under the current consent wording, and
    log what changed. Returns the changed field names ([] when nothing changed: nothing is logged)."""
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
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    if not changed:
        return []
    note = "; ".join(f"{name}: {_yes_no(getattr(locked, name))} → {_yes_no(changes[name])}" for name in changed)
    note += f" (consent text {locked.consent_text.version} → {current_consent_text().version})"
    for name in changed:
        setattr(locked, name, changes[name])
    locked.consent_text = current_consent_text()
    locked.consent_method = ConsentMethod.ONLINE
    locked.consent_recorded_at = timezone.now()
    locked.consent_recorded_by = None
    locked.save()
    ModerationLog.objects.create(testimony=locked, action=ModerationAction.CONSENT_CHANGED, note=note)
    testimony.refresh_from_db()
    return changed


@transaction.atomic
def withdraw_testimony(testimony: Testimony) -> bool:
    """Withdraw: no public place shows it any more, the contact details are deleted, and so is the uploaded file
    (after commit: a rolled-back withdrawal keeps it). False when it was already withdrawn (nothing more is done
    or logged)."""
    locked = Testimony.objects.select_for_update().get(pk=testimony.pk)
    if locked.status == Status.WITHDRAWN:
        return False
    locked.status = Status.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    stored_file = locked.media_file.name
    locked.media_file = ""
    locked.save(update_fields=["status", "withdrawn_at", "media_file", "updated_at"])
    if stored_file:
        storage = locked.media_file.storage
        transaction.on_commit(lambda: storage.delete(stored_file))
    ContactDetails.objects.filter(testimony=locked).delete()
    ModerationLog.objects.create(testimony=locked, action=ModerationAction.WITHDRAW)
    testimony.refresh_from_db()
    return True
