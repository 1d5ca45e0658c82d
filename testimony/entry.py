"""Testimony entered by organizers: from paper, a public meeting or a survey (a formset or a CSV file).

Consent given on paper is recorded with consent_method PAPER and names the organizer who entered it. Entered
testimony goes through moderation like the rest (status RECEIVED). Both paths are all-or-nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cities.models import City
from testimony.enums import ConsentMethod, Identification, Kind, ModerationAction, Nature, Status
from testimony.models import USE_FIELDS, ModerationLog, Testimony
from testimony.selectors import current_consent_text
from upr.models import ReviewCycle, Theme

MAX_IMPORT_BYTES = 2 * 1024 * 1024
NATURE_ALL_CHALLENGE = "=challenge"
NATURE_ALL_POSITIVE = "=positive"

# (portal field, label, a column is required)
IMPORT_FIELDS = [
    ("body", gettext_lazy("What happened (the testimony)"), True),
    ("nature", gettext_lazy("Challenge or positive practice"), True),
    ("title", gettext_lazy("Title"), False),
    ("language", gettext_lazy("Language"), False),
    ("themes", gettext_lazy("Themes"), False),
    ("place_text", gettext_lazy("Where it happened"), False),
    ("occurred_on", gettext_lazy("When it happened (YYYY-MM-DD)"), False),
    ("identification", gettext_lazy("How to be identified"), False),
    ("display_name", gettext_lazy("Name shown"), False),
    ("allows_portal", gettext_lazy("May be shown on the portal"), False),
    ("allows_local_report", gettext_lazy("May be quoted in the local report"), False),
    ("allows_national_report", gettext_lazy("May be quoted in the national report to the UN"), False),
    ("allows_advocacy", gettext_lazy("May be used in public advocacy"), False),
    ("allows_contact", gettext_lazy("May be contacted"), False),
    ("age_confirmed", gettext_lazy("Confirmed being 18 or older"), False),
    ("guardian_consent", gettext_lazy("A parent or guardian consented"), False),
    ("less_precise", gettext_lazy("Make place and dates less precise"), False),
]
BOOLEAN_FIELDS = {*USE_FIELDS, "allows_contact", "age_confirmed", "guardian_consent", "less_precise"}
YES = {"yes", "y", "true", "1", "x", "si", "sí", "s"}
NO = {"no", "n", "false", "0", ""}


class ImportFileError(Exception):
    """The file cannot be read at all (not UTF-8, too large, no header)."""


@dataclass
class ImportResult:
    created: list[Testimony] = field(default_factory=list)
    errors: list[tuple[int, list[str]]] = field(default_factory=list)  # (line number, messages)

    @property
    def ok(self) -> bool:
        return not self.errors


def _paper_consent(by) -> dict:
    return {
        "consent_text": current_consent_text(),
        "consent_method": ConsentMethod.PAPER,
        "consent_recorded_at": timezone.now(),
        "consent_recorded_by": by,
        "entered_by": by,
        "status": Status.RECEIVED,
    }


def _create(city: City, values: dict, themes, *, by, note: str, common: dict) -> Testimony:
    testimony = Testimony(city=city, **common, **values)
    if testimony.identification == Identification.ANONYMOUS:
        testimony.display_name = ""
    testimony.save()
    if themes:
        testimony.themes.set(themes)
    ModerationLog.objects.create(testimony=testimony, actor=by, action=ModerationAction.RECEIVED, note=note)
    return testimony


@transaction.atomic
def record_paper_testimonies(city: City, entries: list[dict], *, by) -> list[Testimony]:
    """Save testimony entered from paper, a meeting or a survey: all of them, or none if one fails.

    Each entry is a PaperEntryForm's cleaned_data (a `themes` list and model field values).
    """
    common = {**_paper_consent(by), "cycle": ReviewCycle.objects.current()}
    created = []
    for entry in entries:
        values = dict(entry)
        themes = values.pop("themes", [])
        event = values.get("collected_at")
        if event is not None and event.host_city_id != city.pk:
            raise ValueError("The event is not one of this city's.")
        created.append(_create(city, values, themes, by=by, note=_("Entered from paper"), common=common))
    return created


# --- CSV import -----------------------------------------------------------------------------------------------


def read_upload(upload) -> str:
    """The uploaded file as text: UTF-8 (a BOM is dropped), at most 2 MB."""
    if upload.size > MAX_IMPORT_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB."))
    raw = upload.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")) from exc
    csv_columns(text)  # raises if there is no usable header
    return text


def csv_columns(text: str) -> list[str]:
    try:
        header = next(csv.reader(io.StringIO(text)), None)
    except csv.Error as exc:
        raise ImportFileError(_("The file is not a readable CSV file.")) from exc
    columns = [name.strip() for name in header or []]
    if not columns or not any(columns):
        raise ImportFileError(_("The first line of the file must name the columns."))
    return columns


def _normal(text: str) -> str:
    return " ".join(str(text).lower().replace("_", " ").replace("-", " ").split())


def _choice(raw: str, choices, field_label: str) -> str:
    """A choice by its value or its label, ignoring case, spaces, hyphens and underscores ("first name")."""
    wanted = _normal(raw)
    for value, label in choices:
        if wanted in (_normal(value), _normal(label)):
            return value
    raise ValueError(_("%(field)s: “%(value)s” is not one of the choices.") % {"field": field_label, "value": raw})


def _date(raw: str, field_label: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        message = _("%(field)s: “%(value)s” is not a date (YYYY-MM-DD).")
        raise ValueError(message % {"field": field_label, "value": raw}) from None


def _parse_row(cells: dict[str, str], themes_by_key: dict[str, Theme]) -> tuple[dict, list[Theme], list[str]]:
    values: dict = {}
    errors: list[str] = []
    themes: list[Theme] = []
    labels = {name: str(label) for name, label, _required in IMPORT_FIELDS}
    for name, raw in cells.items():
        raw = raw.strip()
        try:
            if name in BOOLEAN_FIELDS:
                if raw.lower() in YES:
                    values[name] = True
                elif raw.lower() in NO:
                    values[name] = False
                else:
                    message = _("%(field)s: answer yes or no, not “%(value)s”.")
                    raise ValueError(message % {"field": labels[name], "value": raw})
            elif name == "body":
                if not raw:
                    raise ValueError(_("The testimony text is empty."))
                values["body"] = raw
            elif name == "nature":
                values["nature"] = _choice(raw, Nature.choices, labels[name])
            elif name == "identification":
                values["identification"] = (
                    _choice(raw, Identification.choices, labels[name]) if raw else (Identification.ANONYMOUS)
                )
            elif name == "language":
                values["language"] = _choice(raw, settings.LANGUAGES, labels[name]) if raw else "en"
            elif name == "occurred_on":
                values["occurred_on"] = _date(raw, labels[name])
            elif name == "themes":
                for key in (part.strip().lower() for part in raw.replace(";", ",").split(",")):
                    if not key:
                        continue
                    if key not in themes_by_key:
                        raise ValueError(_("Themes: “%(value)s” is not a theme of the portal.") % {"value": key})
                    themes.append(themes_by_key[key])
            else:
                max_length = Testimony._meta.get_field(name).max_length
                if max_length and len(raw) > max_length:
                    message = _("%(field)s: longer than %(n)d characters.")
                    raise ValueError(message % {"field": labels[name], "n": max_length})
                values[name] = raw
        except ValueError as exc:
            errors.append(str(exc))
    identification = values.get("identification", Identification.ANONYMOUS)
    if identification == Identification.ANONYMOUS:
        values["display_name"] = ""
    elif not values.get("display_name"):
        errors.append(_("A name to show is needed when the person chose to be named; leave it anonymous otherwise."))
    return values, themes, errors


def import_csv(
    city: City, text: str, mapping: dict[str, str], *, by, kind: str = Kind.SURVEY, collected_at=None
) -> ImportResult:
    """Import every data row of `text`, or nothing: any bad row → nothing is saved and all bad rows are listed.

    `mapping` maps a portal field (IMPORT_FIELDS) to a column index (as text); `nature` may instead be
    NATURE_ALL_CHALLENGE or NATURE_ALL_POSITIVE. Consent is only what the file says explicitly: an unmapped consent
    column means that use is refused, and an unmapped identification means anonymous.
    """
    if "body" not in mapping or "nature" not in mapping:
        raise ValueError("body and nature must be mapped")
    if collected_at is not None and collected_at.host_city_id != city.pk:
        raise ValueError("The event is not one of this city's.")
    fixed_nature = {NATURE_ALL_CHALLENGE: Nature.CHALLENGE, NATURE_ALL_POSITIVE: Nature.POSITIVE}.get(mapping["nature"])
    columns = {name: int(index) for name, index in mapping.items() if not (name == "nature" and fixed_nature)}
    themes_by_key = {}
    for theme in Theme.objects.all():
        for key in (theme.slug, theme.name, theme.name_es):
            if key:
                themes_by_key[key.strip().lower()] = theme
    result = ImportResult()
    parsed: list[tuple[dict, list[Theme]]] = []
    reader = csv.reader(io.StringIO(text))
    try:
        next(reader)  # the header
        previous_line = reader.line_num
        for row in reader:
            line, previous_line = previous_line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            missing = [index for index in columns.values() if index >= len(row)]
            if missing:
                result.errors.append((line, [_("The row has fewer cells than the header.")]))
                continue
            values, themes, errors = _parse_row({name: row[index] for name, index in columns.items()}, themes_by_key)
            if fixed_nature:
                values["nature"] = fixed_nature
            if errors:
                result.errors.append((line, errors))
            else:
                parsed.append((values, themes))
    except csv.Error as exc:
        result.errors.append((reader.line_num, [_("The file is not a readable CSV file: %(error)s") % {"error": exc}]))
    if not parsed and not result.errors:
        result.errors.append((1, [_("The file has no rows to import.")]))
    if result.errors:
        return result
    common = {**_paper_consent(by), "cycle": ReviewCycle.objects.current(), "kind": kind, "collected_at": collected_at}
    with transaction.atomic():
        for values, themes in parsed:
            note = _("Imported from a CSV file")
            result.created.append(_create(city, values, themes, by=by, note=note, common=common))
    return result
