"""Valid Testimony rows for tests: public by default (approved, shown on the portal, given by an adult)."""

from __future__ import annotations

from django.utils import timezone

from cities.enums import CityStatus
from cities.models import City
from testimony.enums import Identification, Nature, Status
from testimony.models import PUBLIC_TEXT_FIELDS, Testimony
from testimony.selectors import current_consent_text


def default_city() -> City:
    city, _ = City.objects.get_or_create(
        slug="pittsburgh-pa", defaults={"name": "Pittsburgh", "state": "PA", "status": CityStatus.PARTICIPATING}
    )
    return city


def make_testimony(**fields) -> Testimony:
    themes = fields.pop("themes", [])
    fields.setdefault("city", default_city())
    fields.setdefault("body", "What happened, in the person's words.")
    fields.setdefault("nature", Nature.CHALLENGE)
    fields.setdefault("status", Status.APPROVED)
    fields.setdefault("allows_portal", True)
    fields.setdefault("age_confirmed", True)
    fields.setdefault("identification", Identification.ANONYMOUS)
    if fields["identification"] == Identification.ANONYMOUS:
        fields.setdefault("display_name", "")
    else:
        fields.setdefault("display_name", "Ana")
    if fields["status"] == Status.APPROVED:
        fields.setdefault("approved_at", timezone.now())
        # Approved means an organizer reviewed the public versions; unless a test gives its own, they kept each
        # field as written (never the title as sent: public pages show a title only when organizers wrote one).
        fields.setdefault("public_reviewed_at", fields["approved_at"])
        for text_field in PUBLIC_TEXT_FIELDS:
            if text_field.original != "title":
                fields.setdefault(text_field.public, fields.get(text_field.original, ""))
    if fields["status"] == Status.WITHDRAWN:
        fields.setdefault("withdrawn_at", timezone.now())
    fields.setdefault("consent_text", current_consent_text())
    fields.setdefault("consent_recorded_at", timezone.now())
    testimony = Testimony(**fields)
    testimony.full_clean()
    testimony.save()
    if themes:
        testimony.themes.set(themes)
    return testimony
