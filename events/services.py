"""Registrations for events, their emails, reminders and change notices. Each function says every step it owns.

Seats are counted under a lock on the event row (`select_for_update`), so two people confirming at the same moment
never both take the last seat. Every reminder and notice is claimed in ReminderLog in the transaction that writes
its email to the outbox (portal.mail), so each goes exactly once, whatever the worker's or the broker's
downtime or how many ticks run at once: a claim is never left without its email.

The registration form needs no session and is open to anyone, so it must not become a way to mail someone: the
emails before confirmation greet generically and hold none of the text typed into the form, and an address's
registration email goes again at most once every RESEND_EVERY however often the form is posted (the outbox's
per-address limit caps the rest).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from events.enums import (
    ACTIVE_REGISTRATION_STATUSES,
    EVENT_REMINDER_HOURS,
    AccessNeed,
    EventStatus,
    RegistrationStatus,
)
from events.models import Event, Registration
from events.selectors import event_over_reason, registration_closed_reason, seats_left
from events.zones import zone_name
from portal import claims
from portal.mail import send_templated_email, sent_lately
from portal.tasks import delay_or_run


class RegistrationError(Exception):
    """A registration that cannot be made or changed; the message is for the person who tried."""


# --- Links ------------------------------------------------------------------------------------------------


def confirm_url(registration: Registration) -> str:
    return reverse("registrations:confirm", args=[registration.token])


def cancel_url(registration: Registration) -> str:
    return reverse("registrations:cancel", args=[registration.token])


def registration_url(registration: Registration) -> str:
    return reverse("registrations:detail", args=[registration.token])


def event_url(event: Event) -> str:
    """The public event page (owned by the events pages; this app only links to it)."""
    try:
        return reverse("events:detail", kwargs={"slug": event.slug})
    except NoReverseMatch:
        return f"/events/{event.slug}/"


def _ics_attachment(event: Event) -> tuple[str, str, str]:
    from events.calendar import event_ics  # the calendar module is owned by the event pages

    content = event_ics(event)
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    return (f"{event.slug}.ics", text, "text/calendar")


# A second registration with the same address re-sends the registration's email, at most this often: the owner of
# the address who lost it gets it again, and someone posting the form in a loop does not.
RESEND_EVERY = dt.timedelta(minutes=10)


def _mail_about(registration: Registration) -> str:
    return f"registration:{registration.pk}"


def _mail_context(registration: Registration, **extra) -> dict:
    """What every registration email knows: the event, the registration and its private links."""
    return {
        "event": registration.event,
        "registration": registration,
        "event_url": event_url(registration.event),
        "registration_url": registration_url(registration),
        "cancel_url": cancel_url(registration),
        # Only a confirmed registrant ever sees the online join link.
        "show_join_link": registration.status == RegistrationStatus.CONFIRMED and bool(registration.event.online_url),
        **extra,
    }


# --- Registering --------------------------------------------------------------------------------------------


def register(
    event: Event,
    *,
    name: str,
    email: str,
    organisation: str = "",
    city_name: str = "",
    access_needs: list[str] | None = None,
    access_note: str = "",
    language: str = "en",
) -> Registration:
    """Register someone (double opt-in). Steps:

    1. refuse (RegistrationError) when the event is cancelled, held or over, or outside its registration window
       (a full event still takes registrations: confirming them puts them on the waiting list);
    2. when the address (any case) already has an active registration for the event (also under a race: the
       database's unique constraint is the final word), resend that registration's email (unless one went in the
       last RESEND_EVERY) and return it;
    3. store a PENDING registration, keeping only known access needs;
    4. email the confirmation link (after commit). Nothing holds a seat until the person confirms.
    """
    email = email.strip()
    reason = registration_closed_reason(event)
    if reason:
        raise RegistrationError(reason)
    active = Registration.objects.filter(event=event, email__iexact=email, status__in=ACTIVE_REGISTRATION_STATUSES)
    existing = active.select_related("event").first()
    if existing is not None:
        # Saying "already registered" on the page would tell anyone who typed the address that this person signed
        # up: the page answers as for a new registration, and only the address's owner gets their links again.
        _resend(existing)
        return existing
    known = set(AccessNeed.values)
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                name=name,
                email=email,
                organisation=organisation,
                city_name=city_name,
                access_needs=[need for need in dict.fromkeys(access_needs or []) if need in known],
                access_note=access_note,
                language=language,
                status=RegistrationStatus.PENDING,
            )
    except IntegrityError:  # the same address registered at the same moment: that registration stands
        return active.select_related("event").get()
    _send_confirmation_request(registration)
    return registration


def _send_confirmation_request(registration: Registration) -> None:
    send_templated_email(
        "event_registration_confirm",
        [registration.email],
        _mail_context(registration, confirm_url=confirm_url(registration)),
        language=registration.language,
        about=_mail_about(registration),
    )


def _send_waitlisted(registration: Registration) -> None:
    send_templated_email(
        "event_registration_waitlisted",
        [registration.email],
        _mail_context(registration),
        language=registration.language,
        about=_mail_about(registration),
    )


def _resend(registration: Registration) -> None:
    """The email that fits where the registration stands (confirm link, or the registered/waitlisted email),
    unless one about this registration went in the last RESEND_EVERY (checked under a lock on the registration,
    so posts at the same moment send one)."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        if sent_lately(_mail_about(registration), within=RESEND_EVERY):
            return
        {
            RegistrationStatus.PENDING: _send_confirmation_request,
            RegistrationStatus.CONFIRMED: _send_confirmed,
            RegistrationStatus.WAITLISTED: _send_waitlisted,
        }[RegistrationStatus(registration.status)](registration)


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _send_confirmed(registration: Registration) -> None:
    """The "you're registered" email: join link, place, the .ics and the cancel link."""
    send_templated_email(
        "event_registration_confirmed",
        [registration.email],
        _mail_context(registration),
        language=registration.language,
        attachments=[_ics_attachment(registration.event)],
        about=_mail_about(registration),
    )


def confirm(registration: Registration) -> Registration:
    """Confirm the address (the POST behind the emailed link). Steps:

    1. lock the event row, then re-read the registration (so concurrent confirmations count seats one at a time);
    2. anything but PENDING is left as it is and nothing is sent (confirming twice is harmless);
    3. refuse (RegistrationError) when the event was cancelled or is over meanwhile;
    4. a free seat (or no limit) → CONFIRMED and the "you're registered" email (join link, place, .ics, cancel
       link); no free seat → WAITLISTED and an email saying so (with the cancel link).
    """
    with transaction.atomic():
        event = _locked(registration.event)
        registration = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        registration.event = event
        if registration.status != RegistrationStatus.PENDING:
            return registration
        over = event_over_reason(event, timezone.now())
        if over:
            raise RegistrationError(over)
        registration.confirmed_at = timezone.now()
        if seats_left(event) != 0:
            registration.status = RegistrationStatus.CONFIRMED
            registration.save(update_fields=["status", "confirmed_at"])
            _send_confirmed(registration)
        else:
            registration.status = RegistrationStatus.WAITLISTED
            registration.save(update_fields=["status", "confirmed_at"])
            _send_waitlisted(registration)
    return registration


def cancel(registration: Registration) -> Registration:
    """Cancel a registration (the POST behind the emailed cancel link). Steps:

    1. lock the event row, then re-read the registration; an already cancelled one is left as it is;
    2. mark it CANCELLED (which frees the address to register again);
    3. if it held a seat and the event is still ahead, promote the oldest WAITLISTED registrations (locked) to
       CONFIRMED while seats are free, each with the full "you're registered" email (join link, .ics).
    """
    with transaction.atomic():
        event = _locked(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.event = event
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        held_seat = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        if held_seat and event.ends_at >= timezone.now() and event.status != EventStatus.CANCELLED:
            _promote_waitlist(event)
    return registration


def _promote_waitlist(event: Event) -> list[Registration]:
    """Inside the caller's transaction, with the event row locked: fill free seats from the waiting list."""
    promoted = []
    free = seats_left(event)
    waiting = Registration.objects.select_for_update().filter(event=event, status=RegistrationStatus.WAITLISTED)
    waiting = waiting.order_by("created_at", "pk")
    for candidate in waiting if free is None else waiting[:free]:
        candidate.event = event
        candidate.status = RegistrationStatus.CONFIRMED
        candidate.save(update_fields=["status"])
        _send_confirmed(candidate)
        promoted.append(candidate)
    return promoted


# --- Reminders and notices -------------------------------------------------------------------------------


def reminder_subject_key(event: Event) -> str:
    """The reminders of one event *at one start time*: postponing the event plans a new set."""
    return f"event:{event.pk}:start:{event.starts_at.astimezone(dt.UTC):%Y%m%dT%H%MZ}"


def due_reminder_offset(event: Event, now: dt.datetime) -> int | None:
    """The one reminder offset (hours) to send now: the latest whose time has come (earlier missed ones are
    skipped), none once the event has started."""
    if event.starts_at <= now:
        return None
    due = [hours for hours in EVENT_REMINDER_HOURS if event.starts_at - dt.timedelta(hours=hours) <= now]
    return min(due) if due else None


def _reminder_claim(registration: Registration, *, key: str, offset: str) -> claims.ClaimKey:
    return ("event_reminder", key, registration.email, offset)


def send_due_event_reminders(now: dt.datetime | None = None) -> int:
    """The periodic job (every tick). Steps:

    1. one indexed query: events not cancelled nor held, starting after `now` and within the longest offset;
    2. per event, the offset due now (the latest whose time has come; a missed earlier one is skipped);
    3. per confirmed registrant not yet logged for that event, start time and offset: claim in ReminderLog, and
       only the claimer sends the reminder (with the join link). Returns how many reminders were sent.
    """
    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=max(EVENT_REMINDER_HOURS))
    events = Event.objects.filter(starts_at__gt=now, starts_at__lte=horizon).exclude(
        status__in=[EventStatus.CANCELLED, EventStatus.HELD]
    )
    sent = 0
    for event in events:
        hours = due_reminder_offset(event, now)
        if hours is None:
            continue
        key, offset = reminder_subject_key(event), f"{hours}h"
        already = claims.claimed_recipients("event_reminder", key, offset)
        registrations = [
            registration
            for registration in Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
            if registration.email.lower() not in already
        ]

        def send(claimed: list[Registration], event=event, hours=hours) -> int:
            for registration in claimed:
                registration.event = event
                send_templated_email(
                    "event_reminder",
                    [registration.email],
                    _mail_context(registration, hours=hours),
                    language=registration.language,
                )
            return len(claimed)

        sent += claims.claim_and_send(
            registrations,
            key=partial(_reminder_claim, key=key, offset=offset),
            send=send,
            now=now,
        )
    return sent


_CHANGE_FIELDS = ["starts_at", "ends_at", "time_zone", "place", "online_url", "status"]


def _as_datetime(value):
    if isinstance(value, str):
        return parse_datetime(value) or value
    return value


def _change_rows(event: Event, changes: dict) -> list[dict]:
    """Rows for the email: label, old, new, and how to show them (times in the event's zone in the template)."""
    rows = []
    for field in _CHANGE_FIELDS:
        if field not in changes:
            continue
        old, new = changes[field]
        row = {"field": field, "label": Event._meta.get_field(field).verbose_name, "old": old, "new": new}  # type: ignore[union-attr]
        if field in ("starts_at", "ends_at"):
            row.update(old=_as_datetime(old), new=_as_datetime(new), is_datetime=True)
        elif field == "time_zone":
            row.update(old=zone_name(old) if old else old, new=zone_name(new) if new else new)
        elif field == "status":
            row.update(
                old=EventStatus(old).label if old in EventStatus.values else old,
                new=EventStatus(new).label if new in EventStatus.values else new,
            )
        rows.append(row)
    return rows


def notify_change(event: Event, changes: dict[str, tuple]) -> int:
    """Tell registrants that the event changed (the event pages call this after commit, once the sequence went
    up). Steps:

    1. keep only the changes registrants care about (start, end, zone, place, join link, status); none → nothing;
    2. for every PENDING, CONFIRMED or WAITLISTED registrant, claim ReminderLog ("event_change", revision
       `seq:<sequence>`) so each revision is announced once per person;
    3. send what changed (old → new, times in the event's zone), or that the event is cancelled; confirmed
       registrants also get the updated .ics (same UID, new SEQUENCE) and the new join link — the others never see
       the join link. Returns how many notices were sent.
    """
    event = Event.objects.get(pk=event.pk)
    rows = _change_rows(event, changes)
    if not rows:
        return 0
    cancelled = event.status == EventStatus.CANCELLED
    key, offset = f"event:{event.pk}", f"seq:{event.sequence}"
    attachments = [_ics_attachment(event)]

    def send(claimed: list[Registration]) -> int:
        for registration in claimed:
            registration.event = event
            confirmed = registration.status == RegistrationStatus.CONFIRMED
            send_templated_email(
                "event_cancelled" if cancelled else "event_changed",
                [registration.email],
                _mail_context(registration, changes=rows),
                language=registration.language,
                attachments=attachments if confirmed else None,
            )
        return len(claimed)

    return claims.claim_and_send(
        Registration.objects.filter(event=event, status__in=ACTIVE_REGISTRATION_STATUSES),
        key=lambda r: ("event_change", key, r.email, offset),
        send=send,
    )


def notify_recording_ready(event: Event) -> int:
    """Tell confirmed registrants the recording is online. Steps:

    1. nothing while neither a recording link, slides nor a transcript is published;
    2. per confirmed registrant, claim ReminderLog ("recording_ready", once per event and person);
    3. the claimer sends the email with the link to the event page. Returns how many were sent.
    """
    if not (event.recording_url or event.slides or event.transcript):
        return 0

    def send(claimed: list[Registration]) -> int:
        for registration in claimed:
            registration.event = event
            send_templated_email(
                "event_recording_ready",
                [registration.email],
                _mail_context(registration),
                language=registration.language,
            )
        return len(claimed)

    return claims.claim_and_send(
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED),
        key=lambda r: ("recording_ready", f"event:{event.pk}", r.email, "recording"),
        send=send,
    )


# --- Changes to a published event -------------------------------------------------------------------------

# Changing any of these tells registrants (notify_change) and bumps the iCalendar SEQUENCE.
NOTIFY_FIELDS = ["starts_at", "ends_at", "time_zone", "place", "online_url", "status"]
RECORDING_FIELDS = ["recording_url", "slides", "transcript"]


def event_snapshot(event: Event) -> dict:
    """The fields whose change matters to registrants, as they are before an edit (files by stored name)."""
    snapshot = {name: getattr(event, name) for name in NOTIFY_FIELDS + RECORDING_FIELDS}
    snapshot["slides"] = event.slides.name
    return snapshot


def _is_set(value) -> bool:
    return bool(value.name) if hasattr(value, "name") else bool(value)


def _as_json(value):
    """A changed value as the task's JSON arguments carry it (datetimes as ISO text)."""
    return value.isoformat() if isinstance(value, dt.datetime) else value


def changes_from_json(changes: dict[str, list]) -> dict[str, tuple]:
    """The changes as save_event found them, from the task's JSON arguments (times back to datetimes)."""
    return {name: tuple(_as_datetime(value) for value in pair) for name, pair in changes.items()}


def save_event(event: Event, save: Callable[[], object]) -> dict[str, tuple]:
    """Save a new event or an edit of one, from the organizer page or the admin alike. Steps:

    1. read the event as stored before the edit (a fresh row: a bound form has already changed its instance);
    2. call `save` (the form's or the admin's) in one transaction with what follows;
    3. if the schedule, place, join link or status changed, bump `sequence` (RFC 5545) and after commit hand
       `events.notify_change` to a worker, which tells every registrant once;
    4. if a held event just got its recording, slides or transcript, after commit hand `events.notify_recording_ready`
       to a worker (once per event and person).
    A broker that cannot take a notice runs it in this process instead (portal.tasks.delay_or_run): the notices are
    written to the outbox either way. Returns the changes that registrants are told about.
    """
    from events.tasks import notify_change_task, notify_recording_ready_task

    with transaction.atomic():
        stored = Event.objects.filter(pk=event.pk).first() if event.pk else None
        before = event_snapshot(stored) if stored is not None else None
        save()
        if before is None:
            return {}
        changes = {
            name: (before[name], getattr(event, name)) for name in NOTIFY_FIELDS if before[name] != getattr(event, name)
        }
        if changes:
            Event.objects.filter(pk=event.pk).update(sequence=F("sequence") + 1)
            event.refresh_from_db(fields=["sequence"])
            arguments = {name: [_as_json(old), _as_json(new)] for name, (old, new) in changes.items()}
            transaction.on_commit(lambda: delay_or_run(notify_change_task, event_id=event.pk, changes=arguments))
        published = [name for name in RECORDING_FIELDS if not _is_set(before[name]) and _is_set(getattr(event, name))]
        if published and event.status == EventStatus.HELD:
            transaction.on_commit(lambda: delay_or_run(notify_recording_ready_task, event_id=event.pk))
    return changes
