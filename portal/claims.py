"""The one claim mechanism for work that must happen exactly once: a reminder, a notice, a digest.

A claim is a ReminderLog row: (kind, subject, recipient, offset) is unique, so whatever the number of ticks running
at once, the worker's downtime or a retry, exactly one caller inserts it, and only that caller does the work. The
claim and what the work writes (its outbox email) commit together: a rolled-back batch has claimed nothing and sent
nothing, and a claim never stands for an email that was not written.

- `claim_many(keys)`: one `INSERT ... ON CONFLICT DO NOTHING RETURNING` per CLAIM_BATCH keys on PostgreSQL and
  SQLite (an insert that meets another transaction's uncommitted row waits for it, then skips the row if it
  committed or takes it if it rolled back), a savepoint per row elsewhere. Returns the keys this call claimed.
- `claim_and_send(items, key=..., send=...)`: the usual loop: sorted (two ticks take their row locks in the same
  order and cannot deadlock), CLAIM_BATCH at a time, each batch in one transaction whose emails are written at once
  (portal.mail.one_outbox_write); `send` gets the items this call claimed.
- `claimed_recipients(...)`: who already has a claim, so a tick with nothing new to do only reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from portal.mail import one_outbox_write
from portal.models import ReminderLog

ClaimKey = tuple[str, str, str, str]  # (kind, subject_key, recipient, offset): ReminderLog's unique key
# Claims per statement and per transaction: bounds the locks a concurrent tick waits on, and the statement size.
CLAIM_BATCH = 500


def _normal(key: ClaimKey) -> ClaimKey:
    kind, subject_key, recipient, offset = key
    return kind, subject_key, recipient.lower(), offset


def claim(key: ClaimKey) -> bool:
    """Claim one key; True only for the one caller that recorded it first (then it must do the work)."""
    kind, subject_key, recipient, offset = _normal(key)
    try:
        with transaction.atomic():
            ReminderLog.objects.create(kind=kind, subject_key=subject_key, recipient=recipient, offset=offset)
    except IntegrityError:
        return False
    return True


def claim_many(keys: Sequence[ClaimKey], now: dt.datetime | None = None) -> set[ClaimKey]:
    """Claim `keys` (recipients compared lower-case) and return the ones this call claimed, as given. Call inside
    the transaction that writes the work's emails, with the keys sorted."""
    if not keys:
        return set()
    given = {_normal(key): key for key in keys}
    if connection.vendor not in ("postgresql", "sqlite"):
        return {given[key] for key in given if claim(key)}
    quote = connection.ops.quote_name
    names = ["kind", "subject_key", "recipient", "offset", "claimed_at"]
    columns = [quote(name) for name in names]  # ReminderLog's columns are named as its fields
    claimed_at = connection.ops.adapt_datetimefield_value(now or timezone.now())
    normal = list(given)
    inserted: set[ClaimKey] = set()
    with connection.cursor() as cursor:
        # One statement per CLAIM_BATCH rows keeps under the databases' limits on parameters per statement.
        for start in range(0, len(normal), CLAIM_BATCH):
            chunk = normal[start : start + CLAIM_BATCH]
            params: list = [value for key in chunk for value in (*key, claimed_at)]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
            sql = (
                f"INSERT INTO {quote(ReminderLog._meta.db_table)} ({', '.join(columns)}) VALUES {values} "  # noqa: S608
                f"ON CONFLICT DO NOTHING RETURNING {', '.join(columns[:4])}"
            )
            cursor.execute(sql, params)
            inserted.update((kind, subject_key, recipient, offset) for kind, subject_key, recipient, offset in cursor)
    return {given[key] for key in inserted}


def claim_and_send[T](
    items: Iterable[T],
    *,
    key: Callable[[T], ClaimKey],
    send: Callable[[list[T]], int],
    now: dt.datetime | None = None,
) -> int:
    """Claim each item's key and `send` the claimed ones, CLAIM_BATCH at a time, each batch's claims and emails in
    one transaction. Returns the sum of what `send` returned (emails sent)."""
    ordered = sorted(items, key=key)
    sent = 0
    for start in range(0, len(ordered), CLAIM_BATCH):
        batch = ordered[start : start + CLAIM_BATCH]
        with transaction.atomic(), one_outbox_write():
            claimed = claim_many([key(item) for item in batch], now)
            mine = [item for item in batch if key(item) in claimed]
            if mine:
                sent += send(mine)
    return sent


def claimed_recipients(kind: str, subject_key: str, offset: str) -> set[str]:
    """The (lower-case) recipients that already have this claim."""
    rows = ReminderLog.objects.filter(kind=kind, subject_key=subject_key, offset=offset)
    return set(rows.values_list("recipient", flat=True))
