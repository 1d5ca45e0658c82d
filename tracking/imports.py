"""The organizers' bulk work: export the city's tracked items as CSV, change statuses in a spreadsheet, import the
same file back (DESIGN.md section 4, flow 6).

The import is all or nothing: every row is checked first, each error names its row (as the spreadsheet numbers
it, the header being row 1) and its column; with any error nothing is stored. Without errors the organizer sees a
preview of what will change, and confirming it records one status update per changed row in one transaction. A
row changes its item when its status, date observed or "what changed" differs from the item's latest update;
the other rows are left as they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cities.models import City
from tracking import services
from tracking.enums import TrackingStatus
from tracking.models import TrackedItem
from tracking.selectors import ShownItem, city_items

COLUMNS = ["item", "recommendation", "review", "text", "level", "office", "status", "observed_on", "what_changed"]
# What an import reads (with "item", or "review" and "recommendation", to say which item a row is about); the other
# columns are there for the person reading the file and are ignored.
REQUIRED = ["status", "observed_on", "what_changed"]
MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
SALT = "tracking.import"


def export_rows(items: list[ShownItem]) -> Iterator[list]:
    yield COLUMNS
    for entry in items:
        item = entry.item
        official = item.recommendation
        cycle = official.cycle if official else item.local_recommendation.report.cycle
        latest = entry.latest.update if entry.latest else None
        yield [
            item.pk,
            official.paragraph if official else "local",
            cycle.number,
            item.text,
            item.level,
            item.office.name if item.office else "",
            latest.status if latest else "",
            latest.observed_on.isoformat() if latest else "",
            latest.what_changed if latest else "",
        ]


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass(frozen=True)
class Change:
    item: TrackedItem
    before: str  # the current status ("" when none)
    status: str
    observed_on: dt.date
    what_changed: str
    row: int


def read_csv(data: bytes) -> list[dict[str, str]] | RowError:
    if len(data) > MAX_BYTES:
        return RowError(0, "", _("The file is larger than 1 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return RowError(0, "", _("The file is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”."))
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        return RowError(
            1,
            unknown[0],
            _("Unknown column “%(column)s”: the columns are %(columns)s.")
            % {"column": unknown[0], "columns": ", ".join(COLUMNS)},
        )
    missing = [name for name in REQUIRED if name not in header]
    if "item" not in header and not {"review", "recommendation"} <= set(header):
        missing.insert(0, "item")
    if missing:
        return RowError(1, missing[0], _("The column “%(column)s” is missing.") % {"column": missing[0]})
    rows = list(reader)
    if len(rows) > MAX_ROWS:
        return RowError(0, "", _("At most %(max)d rows can be imported at once.") % {"max": MAX_ROWS})
    return rows


def check_import(city: City, data: bytes, *, today: dt.date | None = None) -> tuple[list[Change], list[RowError]]:
    """Every change the file asks for, and every error (row and column); nothing is stored."""
    today = today or timezone.localdate()
    rows = read_csv(data)
    if isinstance(rows, RowError):
        return [], [rows]
    current = {entry.item.pk: entry for entry in city_items(city, public=False)}
    # Rows without an item number are found by review and paragraph (a file not made by the export).
    by_paragraph = {
        (str(entry.item.recommendation.cycle.number), entry.item.recommendation.paragraph): entry
        for entry in current.values()
        if entry.item.recommendation is not None
    }
    changes: list[Change] = []
    errors: list[RowError] = []
    seen: set[int] = set()
    for number, row in enumerate(rows, start=2):
        value = {key: (row.get(key) or "").strip() for key in COLUMNS}
        if value["item"]:
            entry = current.get(int(value["item"])) if value["item"].isdigit() else None
            if entry is None:
                message = _("“%(value)s” is not one of your city's tracked items.") % {"value": value["item"]}
                errors.append(RowError(number, "item", message))
                continue
        else:
            entry = by_paragraph.get((value["review"], value["recommendation"]))
            if entry is None:
                message = _("Your city tracks no recommendation “%(paragraph)s” of review “%(review)s”.") % {
                    "paragraph": value["recommendation"],
                    "review": value["review"],
                }
                errors.append(RowError(number, "recommendation", message))
                continue
        if entry.item.pk in seen:
            errors.append(RowError(number, "item", _("This item is already on an earlier row.")))
            continue
        seen.add(entry.item.pk)
        if entry.item.recommendation and value["recommendation"] not in ("", entry.item.recommendation.paragraph):
            errors.append(
                RowError(
                    number,
                    "recommendation",
                    _("Item %(item)s is recommendation %(paragraph)s, not “%(value)s”.")
                    % {
                        "item": entry.item.pk,
                        "paragraph": entry.item.recommendation.paragraph,
                        "value": value["recommendation"],
                    },
                )
            )
        status = value["status"]
        if status not in TrackingStatus.values:
            errors.append(
                RowError(
                    number,
                    "status",
                    _("“%(value)s” is not a status: use one of %(statuses)s.")
                    % {"value": status, "statuses": ", ".join(TrackingStatus.values)},
                )
            )
        try:
            observed_on = dt.date.fromisoformat(value["observed_on"])
        except ValueError:
            errors.append(
                RowError(
                    number,
                    "observed_on",
                    _("“%(value)s” is not a date like 2026-05-31.") % {"value": value["observed_on"]},
                )
            )
            continue
        if observed_on > today:
            errors.append(RowError(number, "observed_on", _("The date observed cannot be in the future.")))
        latest = entry.latest.update if entry.latest else None
        unchanged = latest is not None and (latest.status, latest.observed_on, latest.what_changed) == (
            status,
            observed_on,
            value["what_changed"],
        )
        if unchanged:
            continue
        if not value["what_changed"]:
            errors.append(RowError(number, "what_changed", _("Say what changed.")))
        changes.append(
            Change(entry.item, latest.status if latest else "", status, observed_on, value["what_changed"], number)
        )
    return (changes if not errors else []), errors


def sign_file(data: bytes) -> str:
    """The checked file, signed, for the preview's confirmation (so what is confirmed is what was previewed)."""
    return signing.dumps(data.decode("utf-8-sig"), salt=SALT, compress=True)


def unsign_file(token: str) -> bytes | None:
    try:
        return signing.loads(token, salt=SALT, max_age=dt.timedelta(hours=1)).encode()
    except signing.BadSignature:
        return None


@transaction.atomic
def apply_import(city: City, data: bytes, *, by) -> int:
    """Check the file again (it may have become wrong since the preview) and record every change, or nothing:
    raises services.TrackingError naming the first error. Returns how many updates were recorded."""
    changes, errors = check_import(city, data)
    if errors:
        first = errors[0]
        raise services.TrackingError(
            _("Row %(row)d, column “%(column)s”: %(message)s")
            % {"row": first.row, "column": first.column, "message": first.message}
        )
    for change in changes:
        services.record_update(
            change.item,
            status=change.status,
            what_changed=change.what_changed,
            observed_on=change.observed_on,
            by=by,
        )
    return len(changes)
