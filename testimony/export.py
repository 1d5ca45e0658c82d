"""CSV export of a city's testimony for its organizers, honouring consent (DESIGN.md section 5).

- withdrawn testimony is left out;
- the name column holds the chosen display name only when the person did not choose to stay anonymous;
- contact details appear only when the person allowed being contacted;
- each free-text field of PUBLIC_TEXT_FIELDS is its public version when organizers wrote one, else the original
  (a "redacted" column says whether any public version differs from what the person wrote);
- when the person asked for less precision, the place is left out and the date is reduced to the year;
- every cell that a spreadsheet would read as a formula is prefixed with a quote (CSV injection, portal.spreadsheets).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cities.models import City
from portal.spreadsheets import safe_cell
from testimony.enums import Status
from testimony.models import PUBLIC_TEXT_FIELDS, ContactDetails, Testimony

# The column of each field in PUBLIC_TEXT_FIELDS (a field added there without a column fails at import).
TEXT_COLUMNS = {
    "title": gettext_lazy("title"),
    "body": gettext_lazy("text"),
    "transcript": gettext_lazy("transcript"),
    "media_caption": gettext_lazy("caption"),
    "place_text": gettext_lazy("where it happened"),
}
assert [f.original for f in PUBLIC_TEXT_FIELDS] == list(TEXT_COLUMNS), "every public text field has a column"


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
        *TEXT_COLUMNS.values(),
        _("redacted"),
        _("themes"),
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


def _text(testimony: Testimony, text_field) -> str:
    if text_field.original == "place_text" and not testimony.place_may_be_shown:
        return ""
    return getattr(testimony, text_field.public) or getattr(testimony, text_field.original)


def _redacted(testimony: Testimony) -> bool:
    return any(
        getattr(testimony, f.public) and getattr(testimony, f.public) != getattr(testimony, f.original)
        for f in PUBLIC_TEXT_FIELDS
    )


def export_row(testimony: Testimony) -> list[str]:
    contact = _contact(testimony)
    occurred_text = testimony.shown_date(testimony.occurred_on).iso if testimony.occurred_on else ""
    row = [
        testimony.pk,
        testimony.created_at.isoformat(),
        testimony.status,
        testimony.kind,
        testimony.nature,
        testimony.language,
        *(_text(testimony, f) for f in PUBLIC_TEXT_FIELDS),
        _yes_no(_redacted(testimony)),
        "; ".join(theme.name for theme in testimony.themes.all()),
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
    return [str(safe_cell(value)) for value in row]


def export_rows(city: City, exported: list[int] | None = None) -> Iterator[list[str]]:
    """The header, then a row per testimony; each testimony's id is appended to `exported` when given."""
    yield export_columns()
    for testimony in exported_testimony(city):
        if exported is not None:
            exported.append(testimony.pk)
        yield export_row(testimony)
