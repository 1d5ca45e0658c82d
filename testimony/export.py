"""CSV export of a city's testimony for its organizers, honouring consent (DESIGN.md section 5).

- withdrawn testimony is left out;
- the name column holds the chosen display name only when the person did not choose to stay anonymous;
- contact details appear only when the person allowed being contacted;
- the text is the redacted public version when organizers wrote one (a "redacted" column says which);
- when the person asked for less precision, the place is left out and the date is reduced to the year;
- every cell that a spreadsheet would read as a formula is prefixed with a quote (CSV injection).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cities.models import City
from testimony.enums import Status
from testimony.models import ContactDetails, Testimony

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def export_columns() -> list[str]:
    return [
        _("id"),
        _("received at"),
        _("status"),
        _("kind"),
        _("nature"),
        _("language"),
        _("title"),
        _("text"),
        _("redacted"),
        _("themes"),
        _("where it happened"),
        _("when it happened"),
        _("collected at event"),
        _("identification"),
        _("name"),
        _("shown on the portal"),
        _("local report"),
        _("national report"),
        _("advocacy"),
        _("may be contacted"),
        _("18 or older"),
        _("guardian consent"),
        _("less precise"),
        _("consent text version"),
        _("consent method"),
        _("consent recorded at"),
        _("contact name"),
        _("contact email"),
        _("contact phone"),
    ]


def exported_testimony(city: City) -> QuerySet[Testimony]:
    return (
        Testimony.objects.filter(city=city)
        .exclude(status=Status.WITHDRAWN)
        .select_related("consent_text", "collected_at", "contact")
        .prefetch_related("themes")
        .order_by("created_at", "pk")
    )


def _contact(testimony: Testimony) -> ContactDetails | None:
    if not testimony.allows_contact:
        return None
    try:
        return testimony.contact
    except ContactDetails.DoesNotExist:
        return None


def export_row(testimony: Testimony) -> list[str]:
    contact = _contact(testimony)
    occurred = testimony.occurred_on
    if occurred and testimony.less_precise:
        occurred_text = str(occurred.year)
    else:
        occurred_text = occurred.isoformat() if occurred else ""
    row = [
        testimony.pk,
        testimony.created_at.isoformat(),
        testimony.status,
        testimony.kind,
        testimony.nature,
        testimony.language,
        testimony.title,
        testimony.public_text,
        _yes_no(bool(testimony.public_body)),
        "; ".join(theme.name for theme in testimony.themes.all()),
        "" if testimony.less_precise else testimony.place_text,
        occurred_text,
        testimony.collected_at.title if testimony.collected_at else "",
        testimony.identification,
        testimony.shown_name,
        _yes_no(testimony.allows_portal),
        _yes_no(testimony.allows_local_report),
        _yes_no(testimony.allows_national_report),
        _yes_no(testimony.allows_advocacy),
        _yes_no(testimony.allows_contact),
        _yes_no(testimony.age_confirmed),
        _yes_no(testimony.guardian_consent),
        _yes_no(testimony.less_precise),
        testimony.consent_text.version,
        testimony.consent_method,
        testimony.consent_recorded_at.isoformat(),
        contact.name if contact else "",
        contact.email if contact else "",
        contact.phone if contact else "",
    ]
    return [safe_cell(value) for value in row]


def export_rows(city: City) -> Iterator[list[str]]:
    yield export_columns()
    for testimony in exported_testimony(city):
        yield export_row(testimony)


def write_csv(rows: Iterable[list[str]], out) -> None:
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(row)
