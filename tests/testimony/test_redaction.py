"""Suggested redactions (testimony.redaction): what looks like a name, an email address, a phone number or a street
address in a testimony's original, and how the moderation page offers them."""

from __future__ import annotations

import datetime as dt

import pytest

from testimony.enums import Status
from testimony.models import ContactDetails
from testimony.redaction import (
    ADDRESS,
    EMAIL,
    NAME,
    PHONE,
    FieldSuggestion,
    Suggestion,
    highlight,
    placeholder,
    redactions_for,
    suggest_redactions,
)
from tests.testimony.factories import make_testimony


def found(text: str, names=()) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in suggest_redactions(text, names=names)]


@pytest.mark.parametrize(
    "text",
    [
        "Write to maria.gonzalez+housing@example.org today.",
        "Escriba a vivienda@ayuntamiento.example.gov.",
    ],
)
def test_an_email_address_is_suggested(text):
    [(kind, value)] = found(text)
    assert kind == EMAIL
    assert value in text and value.count("@") == 1 and not value.endswith(".")


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Call me at (412) 555-0123.", "(412) 555-0123"),
        ("Call me at 412-555-0123 or later.", "412-555-0123"),
        ("Llame al 412.555.0123.", "412.555.0123"),
        ("My cell is +1 412 555 0123", "+1 412 555 0123"),
        ("My cell is 4125550123", "4125550123"),
        ("From abroad: +44 20 7946 0958.", "+44 20 7946 0958"),
        ("Her number is 555-0123.", "555-0123"),
    ],
)
def test_a_phone_number_is_suggested(text, phone):
    assert found(text) == [(PHONE, phone)]


@pytest.mark.parametrize(
    "text",
    [
        "In 2019-2020 the rent went up 40%.",
        "We paid $1,200 on 03/15/2021 at 10:30.",
        "Zip code 15213-1234 is ours.",
        "Section 8 vouchers, 26.112 of the UPR.",
    ],
)
def test_dates_amounts_and_numbers_are_not_phone_numbers(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("They evicted us from 5500 Penn Avenue, Apt 4B in March.", "5500 Penn Avenue, Apt 4B"),
        ("We lived at 12 N. Main St. for years.", "12 N. Main St"),
        ("Send it to 300 W 125th Street.", "300 W 125th Street"),
        ("Vivíamos en la calle Penn 123 con mis hijos.", "calle Penn 123"),
        ("En la Avenida Juárez nº 45 no hay luz.", "Avenida Juárez nº 45"),
        ("Write to P.O. Box 4410.", "P.O. Box 4410"),
    ],
)
def test_a_street_address_is_suggested(text, address):
    assert found(text) == [(ADDRESS, address)]


def test_a_street_without_a_number_is_no_address():
    assert found("We marched down Penn Avenue to the calle Penn.") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My name is Ana Ruiz and I live here.", "Ana Ruiz"),
        ("Me llamo María González Ruiz.", "María González Ruiz"),
        ("Mi nombre es José de la Cruz.", "José de la Cruz"),
        ("Officer Daniels pushed him.", "Daniels"),
        ("La Sra. López nos ayudó.", "López"),
        ("My neighbor Rosa Díaz called the city.", "Rosa Díaz"),
        ("Mi hija Lucía no pudo ir a la escuela.", "Lucía"),
        ("Our landlord, Mr. O'Neil, never answered.", "O'Neil"),
    ],
)
def test_what_looks_like_a_name_is_suggested(text, name):
    assert found(text) == [(NAME, name)]


def test_the_names_the_person_gave_are_found_in_any_case_and_accents():
    text = "maria told Gonzalez and MARÍA GONZÁLEZ came back; Marianne did not."
    assert found(text, names=["María González"]) == [
        (NAME, "maria"),
        (NAME, "Gonzalez"),
        (NAME, "MARÍA GONZÁLEZ"),
    ]


def test_words_that_are_no_name_after_an_introducer_are_left_alone():
    assert found("I am called The Housing Group sometimes.") == []
    assert found("My friend and I went.") == []


def test_overlapping_suggestions_keep_the_most_specific():
    # The address holds a capitalised word and the email a known name: each is suggested once, as what it is.
    text = "Ana (ana@example.org) lives at 5 Ana Street."
    assert found(text, names=["Ana"]) == [(NAME, "Ana"), (EMAIL, "ana@example.org"), (ADDRESS, "5 Ana Street")]


def test_suggestions_come_with_their_place_in_the_text():
    text = "Call Rosa at 412-555-0123."
    assert suggest_redactions(text, names=["Rosa"]) == [
        Suggestion(NAME, 5, 9, "Rosa"),
        Suggestion(PHONE, 13, 25, "412-555-0123"),
    ]


def test_placeholders_are_in_the_testimony_language():
    assert [placeholder(kind, "en") for kind in (NAME, EMAIL, PHONE, ADDRESS)] == [
        "[name]",
        "[email]",
        "[phone]",
        "[address]",
    ]
    assert [placeholder(kind, "es") for kind in (NAME, EMAIL, PHONE, ADDRESS)] == [
        "[nombre]",
        "[correo]",
        "[teléfono]",
        "[dirección]",
    ]


def test_highlight_escapes_the_text_and_marks_each_suggestion():
    text = "Rosa <b>said</b>:\n\ncall 412-555-0123\nnow"
    html = highlight(text, suggest_redactions(text, names=["Rosa"]), id_prefix="s-body")
    assert html == (
        '<p><mark class="redaction-suggestion" id="s-body-1" data-kind="name">Rosa</mark> &lt;b&gt;said&lt;/b&gt;:</p>'
        '<p>call <mark class="redaction-suggestion" id="s-body-2" data-kind="phone">412-555-0123</mark><br>now</p>'
    )


def test_redactions_for_per_field_with_the_contact_name(db):
    testimony = make_testimony(
        status=Status.RECEIVED,
        language="es",
        title="Rosa y yo",
        body="Rosa llamó al 412-555-0123. Rosa volvió a llamar.",
        place_text="calle Penn 123",
    )
    ContactDetails.objects.create(testimony=testimony, name="Rosa Díaz", retain_until=dt.date(2030, 1, 1))
    fields = {field.original: field for field in redactions_for(testimony, names=["Rosa Díaz"])}
    assert fields["title"].suggestions == (FieldSuggestion(NAME, "Rosa", "[nombre]", "suggestion-title-1"),)
    # One suggestion per distinct text, anchored at its first mark; each occurrence is marked.
    assert fields["body"].suggestions == (
        FieldSuggestion(NAME, "Rosa", "[nombre]", "suggestion-body-1"),
        FieldSuggestion(PHONE, "412-555-0123", "[teléfono]", "suggestion-body-2"),
    )
    assert 'id="suggestion-body-3" data-kind="name">Rosa</mark>' in fields["body"].highlighted
    assert fields["place_text"].suggestions == (
        FieldSuggestion(ADDRESS, "calle Penn 123", "[dirección]", "suggestion-place-text-1"),
    )
    assert fields["transcript"].suggestions == ()
    assert fields["place_text"].public == "public_place_text"
