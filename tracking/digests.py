"""Residents follow a city's scorecard or one official recommendation by email (DESIGN.md section 3).

Following is double opt-in: the address gets a link and nothing else until it is confirmed. A confirmed follower
gets at most one digest a day listing the status updates recorded since they followed that they have not been sent
yet; each (update, address) is claimed once in ReminderLog (portal.claims), so a change is in exactly one digest
whatever the ticks, retries or workers. The digest is an optional email (portal.optout): one click stops it
(RFC 8058). Digests carry statuses and what organizers wrote, never testimony or anyone's name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import City
from portal import optout
from portal.claims import claim_many
from portal.mail import one_outbox_write, send_each, send_templated_email
from portal.models import ReminderLog
from tracking.models import Follower, StatusUpdate
from upr.models import Recommendation

DIGEST_KIND = "tracking_digest"
DIGEST_LABEL = _("digests of what changed on the scorecards you follow")
DIGEST_EVERY = dt.timedelta(days=1)
# Updates older than this are never sent: a digest is news, and the scan stays small.
DIGEST_WINDOW = dt.timedelta(days=14)
# An address that never confirmed is forgotten after this.
UNCONFIRMED_DAYS = 7


def confirm_url(follower: Follower) -> str:
    return reverse("tracking:follow_confirm", kwargs={"token": follower.token})


def follow(
    email: str, *, city: City | None = None, recommendation: Recommendation | None = None, language: str
) -> None:
    """Ask to follow: store the unconfirmed follower (or reuse the earlier request) and email the confirmation link
    (after commit). Asking again for what is already followed sends nothing and says nothing different, so the
    form does not tell anyone who follows what."""
    email = email.strip().lower()
    with transaction.atomic():
        follower = Follower.objects.filter(email=email, city=city, recommendation=recommendation).first()
        if follower is not None and follower.confirmed_at is not None:
            return
        if follower is None:
            try:
                with transaction.atomic():
                    follower = Follower.objects.create(
                        email=email, city=city, recommendation=recommendation, language=language
                    )
            except IntegrityError:  # the same request twice at once: the first one sends
                return
        send_templated_email(
            "tracking_follow_confirm",
            [email],
            {"follower": follower, "city": city, "recommendation": recommendation, "url": confirm_url(follower)},
            language=language,
            about=f"tracking-follow:{follower.pk}",
        )


@transaction.atomic
def confirm(follower: Follower) -> Follower:
    """Confirm the address: from now on its digests list the updates recorded after this moment. Confirming again
    changes nothing. Following anew undoes an earlier one-click stop of tracking digests for this address."""
    follower = Follower.objects.select_for_update().get(pk=follower.pk)
    if follower.confirmed_at is None:
        follower.confirmed_at = timezone.now()
        follower.save(update_fields=["confirmed_at"])
        optout.resume(follower.email, DIGEST_KIND)
    return follower


def _key(update_id: int, email: str) -> tuple[str, str, str, str]:
    return (DIGEST_KIND, f"update:{update_id}", email.lower(), "")


def send_digests(now: dt.datetime | None = None) -> int:
    """The periodic job: for each confirmed follower not sent a digest in the last day, claim the updates it has
    not been sent (recorded after it confirmed, within DIGEST_WINDOW, on what it follows) and send one digest of
    the ones this call claimed. Returns how many digests were written. Also forgets addresses never confirmed."""
    now = now or timezone.now()
    Follower.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - dt.timedelta(days=UNCONFIRMED_DAYS)
    ).delete()
    followers = list(
        Follower.objects.confirmed()
        .exclude(last_digest_at__gt=now - DIGEST_EVERY)
        .exclude(email__in=optout.opted_out(DIGEST_KIND))
        .select_related("city", "recommendation")
        .order_by("email", "pk")
    )
    if not followers:
        return 0
    city_ids = {f.city_id for f in followers if f.city_id}
    rec_ids = {f.recommendation_id for f in followers if f.recommendation_id}
    updates = list(
        StatusUpdate.objects.filter(recorded_at__gt=now - DIGEST_WINDOW, recorded_at__lte=now)
        .filter(Q(item__city_id__in=city_ids) | Q(item__recommendation_id__in=rec_ids))
        .select_related("item__city", "item__recommendation", "item__local_recommendation")
        .order_by("pk")
    )
    by_city: dict[int, list[StatusUpdate]] = defaultdict(list)
    by_rec: dict[int, list[StatusUpdate]] = defaultdict(list)
    for update in updates:
        by_city[update.item.city_id].append(update)
        if update.item.recommendation_id:
            by_rec[update.item.recommendation_id].append(update)
    emails = {f.email.lower() for f in followers}
    sent_keys = set(
        ReminderLog.objects.filter(
            kind=DIGEST_KIND, recipient__in=emails, subject_key__in=[f"update:{u.pk}" for u in updates]
        ).values_list("kind", "subject_key", "recipient", "offset")
    )
    written = 0
    for follower in followers:
        followed = by_city[follower.city_id] if follower.city_id else by_rec[follower.recommendation_id]
        due = [
            u for u in followed if u.recorded_at > follower.confirmed_at and _key(u.pk, follower.email) not in sent_keys
        ]
        if not due:
            continue
        with transaction.atomic(), one_outbox_write():
            claimed = claim_many(sorted(_key(u.pk, follower.email) for u in due), now)
            mine = [u for u in due if _key(u.pk, follower.email) in claimed]
            if not mine:
                continue
            send_each(
                "tracking_digest",
                [(follower.email, follower.language)],
                {
                    "follower": follower,
                    "updates": mine,
                    "city": follower.city,
                    "recommendation": follower.recommendation,
                },
                optional=DIGEST_KIND,
                about=f"tracking-digest:{follower.pk}",
            )
            Follower.objects.filter(pk=follower.pk).update(last_digest_at=now)
            written += 1
    return written
