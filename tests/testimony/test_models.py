"""testimony.models: the consent field lists every form, the import and the export read, and the consent wording
as it is read (wording_blocks): paragraphs and bullet points, never the line breaks the stored text was wrapped
with."""

from __future__ import annotations

import pytest
from django.db import models

from testimony.enums import Use
from testimony.models import CONSENT_FIELDS, USE_FIELDS, WordingBlock, wording_blocks
from testimony.models import Testimony as Story  # "Test..." names are collected by pytest
from testimony.selectors import current_consent_text


def test_every_use_has_its_field_and_every_allows_field_is_listed():
    assert USE_FIELDS == ("allows_portal", "allows_local_report", "allows_national_report", "allows_advocacy")
    assert [Story._meta.get_field(name).__class__ for name in USE_FIELDS] == [models.BooleanField] * len(Use)
    allows = {f.name for f in Story._meta.get_fields() if f.name.startswith("allows_")}
    assert allows == {*USE_FIELDS, "allows_contact"}


def test_consent_fields_are_model_fields():
    assert [Story._meta.get_field(name).name for name in CONSENT_FIELDS] == list(CONSENT_FIELDS)


def test_wording_blocks_join_wrapped_lines_into_paragraphs_and_items():
    wording = (
        "Your testimony is yours. You decide how you are named\nand where your words may be used.\n\n"
        "- Shown on this portal: your words\n  appear on the city's page.\n"
        "* Quoted in the local report.\n\n"
        "You can withdraw\r\nat any time."
    )
    assert wording_blocks(wording) == [
        WordingBlock(text="Your testimony is yours. You decide how you are named and where your words may be used."),
        WordingBlock(
            items=("Shown on this portal: your words appear on the city's page.", "Quoted in the local report.")
        ),
        WordingBlock(text="You can withdraw at any time."),
    ]


def test_wording_blocks_a_paragraph_leading_into_a_list_in_one_chunk():
    assert wording_blocks("Each use:\n- portal\n- report\n\n\n") == [
        WordingBlock(text="Each use:"),
        WordingBlock(items=("portal", "report")),
    ]


def test_wording_blocks_of_nothing_is_nothing():
    assert wording_blocks("") == []
    assert wording_blocks(" \n\n \n") == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_first_consent_version_reads_as_two_paragraphs_around_four_uses(db, language):
    consent = current_consent_text()
    blocks = consent.blocks(language)
    assert [len(block.items) for block in blocks] == [0, 4, 0]
    words = consent.wording(language).split()
    # Every word stored is shown, in order: only the line breaks went.
    assert " ".join(part for block in blocks for part in (block.text, *block.items) if part).split() == [
        word for word in words if word != "-"
    ]
    assert all("\n" not in part for block in blocks for part in (block.text, *block.items))


def test_the_first_consent_version_in_english_exactly(db):
    blocks = current_consent_text().blocks("en")
    assert blocks[0].text == (
        "Your testimony is yours. You decide how you are named and where your words may be used. Each use below "
        "is a separate choice; you can say yes to some and no to others."
    )
    assert blocks[1].items[2] == (
        "Quoted in the national report sent to the UN: the national team may quote you in the civil-society report "
        "sent to the United Nations. Once it has been sent, it cannot be recalled."
    )
    assert current_consent_text().blocks("es-mx")[0].text.startswith("Su testimonio es suyo. Usted decide")
