"""Reminders of tracking (DESIGN.md section 3), run by the periodic tick, each exactly once through the one claim
mechanism (portal.claims):

- the organizers of a city, when tracked items have had no status update for STALE_DAYS (an item stale since its
  latest update is reminded once; a new update starts it over), one email per organizer listing the items;
- an office whose reply is due in REPLY_DUE_DAYS days and has not answered, once per reply, with its link.

Both are optional emails (portal.optout): one click stops them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import Membership
from portal import optout
from portal.claims import claim_and_send, claim_many
from portal.mail import one_outbox_write, send_each
from tracking import services
from tracking.enums import ReplyDecision
from tracking.models import Reply, TrackedItem

STALE_KIND = "tracking_stale"
STALE_LABEL = _("reminders of tracked recommendations without a recent update")
REPLY_KIND = "tracking_reply_due"
REPLY_LABEL = _("reminders that a reply to a city's assessment is due")
REPLY_DUE_DAYS = 3


def stale_days() -> int:
    return getattr(settings, "TRACKING_STALE_DAYS", 90)


def send_stale_reminders(now: dt.datetime | None = None) -> int:
    """Remind each organizer of a city, once per stale item (claimed per item, its latest update and the
    organizer), in one email per organizer and city. Returns the emails written."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=stale_days())
    items = list(
        TrackedItem.objects.annotate(
            last_at=Coalesce(Max("updates__recorded_at"), "added_at"), last_pk=Max("updates__pk")
        )
        .filter(last_at__lt=cutoff)
        .select_related("city", "recommendation", "local_recommendation")
        .order_by("city_id", "pk")
    )
    if not items:
        return 0
    team: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    for city_id, email in Membership.objects.filter(city__in={i.city_id for i in items}).values_list(
        "city_id", "user__email"
    ):
        team[city_id].append((email, None))
    stopped = optout.opted_out(STALE_KIND)
    by_city: dict[int, list[TrackedItem]] = defaultdict(list)
    for item in items:
        by_city[item.city_id].append(item)
    written = 0
    for city_id, city_items in by_city.items():
        for email, language in team[city_id]:
            if email.lower() in stopped:
                continue
            keys = {
                (STALE_KIND, f"item:{item.pk}", email.lower(), f"after:{item.last_pk or 0}"): item
                for item in city_items
            }
            with transaction.atomic(), one_outbox_write():
                claimed = claim_many(sorted(keys), now)
                mine = [keys[key] for key in sorted(keys) if key in claimed]
                if not mine:
                    continue
                written += send_each(
                    "tracking_stale",
                    [(email, language)],
                    {"city": mine[0].city, "items": mine, "days": stale_days()},
                    optional=STALE_KIND,
                    about=f"tracking-stale:{city_id}",
                )
    return written


def send_reply_due_reminders(now: dt.datetime | None = None) -> int:
    """Remind each office whose reply is due within REPLY_DUE_DAYS days, once per reply."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = list(
        Reply.objects.filter(
            decision=ReplyDecision.WAITING, due_on__gte=today, due_on__lte=today + dt.timedelta(days=REPLY_DUE_DAYS)
        )
        .exclude(sent_to__in=optout.opted_out(REPLY_KIND))
        .select_related(
            "office", "update__item__city", "update__item__recommendation", "update__item__local_recommendation"
        )
    )

    def send(replies: list[Reply]) -> int:
        return sum(
            send_each(
                "tracking_reply_due",
                [(reply.sent_to, None)],
                {
                    "reply": reply,
                    "item": reply.update.item,
                    "city": reply.update.item.city,
                    "url": services.reply_url(reply),
                },
                optional=REPLY_KIND,
                about=f"tracking-reply:{reply.pk}",
            )
            for reply in replies
        )

    return claim_and_send(
        due, key=lambda r: (REPLY_KIND, f"reply:{r.pk}", r.sent_to.lower(), str(REPLY_DUE_DAYS)), send=send, now=now
    )
