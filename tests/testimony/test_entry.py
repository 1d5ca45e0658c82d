"""Organizer entry: the paper formset (all or nothing) and the CSV import (mapping, bad rows, nothing half-done)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from events.models import Event
from testimony import entry
from testimony.enums import ConsentMethod, Identification, Kind, ModerationAction, Nature, Status
from testimony.models import ModerationLog
from testimony.models import Testimony as Story
from upr.models import Theme


@pytest.fixture
def city(personas):
    return personas["city_a"]


@pytest.fixture
def organizer(personas):
    return personas["organizer_a"]


@pytest.fixture
def theme(db):
    return Theme.objects.create(slug="housing", name="Housing", name_es="Vivienda")


def _event(city, title="Community hearing"):
    start = timezone.now() - dt.timedelta(days=3)
    return Event.objects.create(
        kind="public_hearing",
        title=title,
        slug=title.lower().replace(" ", "-"),
        description="d",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        host_city=city,
    )


def _formset_data(forms, total=3):
    data = {
        "entry-TOTAL_FORMS": str(total),
        "entry-INITIAL_FORMS": "0",
        "entry-MIN_NUM_FORMS": "1",
        "entry-MAX_NUM_FORMS": "50",
    }
    for i in range(total):
        data[f"entry-{i}-kind"] = "written"
        data[f"entry-{i}-language"] = "en"
        data[f"entry-{i}-identification"] = "anonymous"
    for i, values in enumerate(forms):
        for key, value in values.items():
            data[f"entry-{i}-{key}"] = value
    return data


GOOD = {
    "kind": "meeting_notes",
    "body": "The bus stopped running to our street.",
    "nature": "challenge",
    "identification": "first_name",
    "display_name": "Ana",
    "allows_portal": "on",
    "allows_local_report": "on",
    "age_confirmed": "on",
}


# --- paper formset -----------------------------------------------------------------------------------------


def test_formset_saves_several_with_paper_consent(client, city, organizer, theme):
    event = _event(city)
    client.force_login(organizer)
    second = {
        "body": "The clinic opened late hours.",
        "nature": "positive",
        "themes": [theme.pk],
        "collected_at": event.pk,
    }
    response = client.post(f"/organize/{city.slug}/testimony/enter/", _formset_data([GOOD, second]))
    assert response.status_code == 302
    assert response["Location"] == f"/organize/{city.slug}/testimony/"
    first, other = Story.objects.order_by("pk")
    assert Story.objects.count() == 2  # the third, empty form is ignored
    assert (first.kind, first.identification, first.display_name) == (Kind.MEETING_NOTES, "first_name", "Ana")
    assert (first.allows_portal, first.allows_local_report, first.allows_national_report) == (True, True, False)
    assert (first.allows_advocacy, first.allows_contact, first.age_confirmed) == (False, False, True)
    for testimony in (first, other):
        assert testimony.city == city
        assert testimony.status == Status.RECEIVED
        assert testimony.consent_method == ConsentMethod.PAPER
        assert testimony.consent_recorded_by == organizer
        assert testimony.entered_by == organizer
        assert testimony.consent_text.version == "2026-1"
    assert (other.identification, other.display_name, other.nature) == (Identification.ANONYMOUS, "", Nature.POSITIVE)
    assert list(other.themes.all()) == [theme]
    assert other.collected_at_id == event.pk
    assert list(ModerationLog.objects.values_list("testimony", "actor", "action")) == [
        (first.pk, organizer.pk, ModerationAction.RECEIVED),
        (other.pk, organizer.pk, ModerationAction.RECEIVED),
    ]


def test_formset_one_bad_form_saves_nothing_and_keeps_input(client, city, organizer):
    client.force_login(organizer)
    bad = {"body": "Named but no name given", "nature": "challenge", "identification": "full_name"}
    response = client.post(f"/organize/{city.slug}/testimony/enter/", _formset_data([GOOD, bad]))
    assert response.status_code == 400
    assert Story.objects.count() == 0
    assert ModerationLog.objects.count() == 0
    formset = response.context["formset"]
    assert formset.forms[0].errors == {}
    assert list(formset.forms[1].errors) == ["display_name"]
    page = response.content.decode()
    assert "The bus stopped running to our street." in page
    assert "Named but no name given" in page


def test_formset_refuses_another_citys_event(client, city, organizer, personas):
    other_event = _event(personas["city_b"], "Boston hearing")
    client.force_login(organizer)
    response = client.post(
        f"/organize/{city.slug}/testimony/enter/", _formset_data([{**GOOD, "collected_at": other_event.pk}])
    )
    assert response.status_code == 400
    assert list(response.context["formset"].forms[0].errors) == ["collected_at"]
    assert Story.objects.count() == 0


def test_formset_needs_at_least_one(client, city, organizer):
    client.force_login(organizer)
    response = client.post(f"/organize/{city.slug}/testimony/enter/", _formset_data([]))
    assert response.status_code == 400
    assert Story.objects.count() == 0


def test_anonymous_choice_drops_a_display_name(client, city, organizer):
    client.force_login(organizer)
    data = _formset_data([{**GOOD, "identification": "anonymous", "display_name": "Ana"}])
    assert client.post(f"/organize/{city.slug}/testimony/enter/", data).status_code == 302
    assert Story.objects.get().shown_name == ""


# --- CSV import: services -----------------------------------------------------------------------------------

CSV = (
    "Story,Type,Name,Named as,Portal,UN report,Adult,Topics,Date\n"
    "The rent doubled,challenge,Luis,first name,yes,no,yes,housing,2026-03-01\n"
    '"Two lines,\nwith a comma",positive,,anonymous,no,yes,y,,\n'
)
MAPPING = {
    "body": "0",
    "nature": "1",
    "display_name": "2",
    "identification": "3",
    "allows_portal": "4",
    "allows_national_report": "5",
    "age_confirmed": "6",
    "themes": "7",
    "occurred_on": "8",
}


def test_import_maps_columns(city, organizer, theme):
    result = entry.import_csv(city, CSV, MAPPING, by=organizer)
    assert result.ok and result.errors == []
    rent, lines = Story.objects.order_by("pk")
    assert (rent.body, rent.nature, rent.identification, rent.display_name) == (
        "The rent doubled",
        Nature.CHALLENGE,
        Identification.FIRST_NAME,
        "Luis",
    )
    assert (rent.allows_portal, rent.allows_national_report, rent.age_confirmed) == (True, False, True)
    assert (rent.allows_local_report, rent.allows_advocacy, rent.allows_contact) == (False, False, False)
    assert rent.occurred_on == dt.date(2026, 3, 1)
    assert list(rent.themes.all()) == [theme]
    assert (lines.body, lines.identification, lines.allows_national_report) == (
        "Two lines,\nwith a comma",
        Identification.ANONYMOUS,
        True,
    )
    for testimony in (rent, lines):
        assert (testimony.kind, testimony.status, testimony.consent_method) == (
            Kind.SURVEY,
            Status.RECEIVED,
            ConsentMethod.PAPER,
        )
        assert (testimony.consent_recorded_by, testimony.entered_by) == (organizer, organizer)


def test_import_without_consent_columns_refuses_every_use_and_stays_anonymous(city, organizer):
    text = "answer,name\nThe park is well kept,Maria\n"
    result = entry.import_csv(
        city, text, {"body": "0", "nature": entry.NATURE_ALL_POSITIVE, "display_name": "1"}, by=organizer
    )
    assert result.ok
    testimony = Story.objects.get()
    assert testimony.nature == Nature.POSITIVE
    assert (testimony.identification, testimony.display_name, testimony.shown_name) == ("anonymous", "", "")
    assert not any(
        [
            testimony.allows_portal,
            testimony.allows_local_report,
            testimony.allows_national_report,
            testimony.allows_advocacy,
            testimony.allows_contact,
            testimony.age_confirmed,
        ]
    )


def test_import_lists_bad_rows_with_line_numbers_and_imports_nothing(city, organizer, theme):
    text = (
        "Story,Type,Name,Named as,Portal,UN report,Adult,Topics,Date\n"
        "Fine row,challenge,,anonymous,yes,no,yes,housing,\n"  # line 2
        '"Multi\nline",challenge,,anonymous,maybe,no,yes,,\n'  # lines 3-4: bad yes/no
        ",challenge,,anonymous,yes,no,yes,,\n"  # line 5: no text
        "Named,challenge,,full name,yes,no,yes,,\n"  # line 6: named without a name
        "Bad date,neither,,anonymous,yes,no,yes,sports,31/02/2026\n"  # line 7: nature, theme, date
    )
    result = entry.import_csv(city, text, MAPPING, by=organizer)
    assert not result.ok
    assert [line for line, _messages in result.errors] == [3, 5, 6, 7]
    assert len(result.errors[3][1]) == 3
    assert "maybe" in result.errors[0][1][0]
    assert Story.objects.count() == 0
    assert ModerationLog.objects.count() == 0


def test_import_is_one_transaction(city, organizer, monkeypatch):
    """A failure while saving (after validation) leaves nothing half-imported."""
    real_create = entry._create
    calls = []

    def failing_create(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(entry, "_create", failing_create)
    text = "t\nfirst\nsecond\n"
    with pytest.raises(RuntimeError):
        entry.import_csv(city, text, {"body": "0", "nature": entry.NATURE_ALL_CHALLENGE}, by=organizer)
    assert Story.objects.count() == 0


def test_read_upload_checks_encoding_and_size():
    assert entry.read_upload(SimpleUploadedFile("a.csv", "\ufefftext,b\nx,y\n".encode())) == "text,b\nx,y\n"
    with pytest.raises(entry.ImportFileError):
        entry.read_upload(SimpleUploadedFile("a.csv", "texto,ñ\n".encode("latin-1")))
    with pytest.raises(entry.ImportFileError):
        entry.read_upload(SimpleUploadedFile("a.csv", b"a" * (entry.MAX_IMPORT_BYTES + 1)))
    with pytest.raises(entry.ImportFileError):
        entry.read_upload(SimpleUploadedFile("a.csv", b"\n\n"))
    assert entry.csv_columns("Story, Type ,Name\n1,2,3\n") == ["Story", "Type", "Name"]


# --- CSV import: the three steps ------------------------------------------------------------------------------


def _mapping_post(mapping, **extra):
    data = {"step": "map", "kind": "survey", "collected_at": ""}
    for name, _label, _required in entry.IMPORT_FIELDS:
        data[name] = mapping.get(name, "")
    data.update(extra)
    return data


def test_import_pages_upload_map_import(client, city, organizer, theme):
    event = _event(city)
    client.force_login(organizer)
    url = f"/organize/{city.slug}/testimony/import/"
    response = client.post(url, {"step": "upload", "file": SimpleUploadedFile("s.csv", CSV.encode())})
    assert response.status_code == 200
    assert response.context["columns"] == [
        "Story",
        "Type",
        "Name",
        "Named as",
        "Portal",
        "UN report",
        "Adult",
        "Topics",
        "Date",
    ]
    assert client.session[f"{'testimony_import'}"]["text"] == CSV
    assert Story.objects.count() == 0
    response = client.post(url, _mapping_post(MAPPING, kind="meeting_notes", collected_at=event.pk))
    assert response.status_code == 302
    assert response["Location"] == f"/organize/{city.slug}/testimony/"
    assert list(Story.objects.values_list("kind", "collected_at", "city")) == [
        (Kind.MEETING_NOTES, event.pk, city.pk),
        (Kind.MEETING_NOTES, event.pk, city.pk),
    ]
    assert "testimony_import" not in client.session


def test_import_page_shows_bad_rows_and_keeps_the_file(client, city, organizer):
    client.force_login(organizer)
    url = f"/organize/{city.slug}/testimony/import/"
    text = "Story,Type\nfine,challenge\nbad,sideways\n"
    client.post(url, {"step": "upload", "file": SimpleUploadedFile("s.csv", text.encode())})
    response = client.post(url, _mapping_post({"body": "0", "nature": "1"}))
    assert response.status_code == 400
    assert [line for line, _messages in response.context["errors"]] == [3]
    assert "Nothing was imported" in response.content.decode()
    assert Story.objects.count() == 0
    # Corrected mapping (every row a challenge) imports both from the kept file.
    response = client.post(url, _mapping_post({"body": "0", "nature": entry.NATURE_ALL_CHALLENGE}))
    assert response.status_code == 302
    assert Story.objects.count() == 2


def test_import_page_requires_body_and_nature_mapping(client, city, organizer):
    client.force_login(organizer)
    url = f"/organize/{city.slug}/testimony/import/"
    client.post(url, {"step": "upload", "file": SimpleUploadedFile("s.csv", b"a,b\n1,2\n")})
    response = client.post(url, _mapping_post({}))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"body", "nature"}
    assert Story.objects.count() == 0


def test_import_page_refuses_non_utf8(client, city, organizer):
    client.force_login(organizer)
    url = f"/organize/{city.slug}/testimony/import/"
    response = client.post(url, {"step": "upload", "file": SimpleUploadedFile("s.csv", "a,ñ\n".encode("latin-1"))})
    assert response.status_code == 400
    assert "testimony_import" not in client.session


def test_stored_file_is_per_city(client, personas):
    """A file uploaded under one city is never imported into another, even by an organizer of both."""
    from cities.models import Membership

    organizer = personas["organizer_a"]
    Membership.objects.create(user=organizer, city=personas["city_b"], role="organizer")
    client.force_login(organizer)
    client.post(
        f"/organize/{personas['city_a'].slug}/testimony/import/",
        {"step": "upload", "file": SimpleUploadedFile("s.csv", b"a\nx\n")},
    )
    response = client.post(
        f"/organize/{personas['city_b'].slug}/testimony/import/",
        _mapping_post({"body": "0", "nature": entry.NATURE_ALL_CHALLENGE}),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/organize/{personas['city_b'].slug}/testimony/import/"
    assert Story.objects.count() == 0
