"""The consent field lists on testimony.models are the one list every form, the import and the export read."""

from django.db import models

from testimony.enums import Use
from testimony.models import CONSENT_FIELDS, USE_FIELDS
from testimony.models import Testimony as Story  # "Test..." names are collected by pytest


def test_every_use_has_its_field_and_every_allows_field_is_listed():
    assert USE_FIELDS == ("allows_portal", "allows_local_report", "allows_national_report", "allows_advocacy")
    assert [Story._meta.get_field(name).__class__ for name in USE_FIELDS] == [models.BooleanField] * len(Use)
    allows = {f.name for f in Story._meta.get_fields() if f.name.startswith("allows_")}
    assert allows == {*USE_FIELDS, "allows_contact"}


def test_consent_fields_are_model_fields():
    assert [Story._meta.get_field(name).name for name in CONSENT_FIELDS] == list(CONSENT_FIELDS)
