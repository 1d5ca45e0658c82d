"""The Nu HTML checker helper reports each document's errors under its own name, and nothing for valid ones."""

from tests.nu_html import nu_errors

VALID = '<!DOCTYPE html><html lang="en"><head><title>Fine</title></head><body><p>Fine</p></body></html>'
MICROSECONDS = VALID.replace("<p>Fine</p>", '<p><time datetime="2026-12-07T10:38:20.439288-05:00">7 Dec</time></p>')


def test_nu_errors_names_the_document_with_an_error_and_passes_the_valid_one():
    errors = nu_errors({"valid": VALID, "time with microseconds": MICROSECONDS})
    assert list(errors) == ["time with microseconds"]
    assert len(errors["time with microseconds"]) == 1
    assert "A fraction of a second must be one, two, or three digits." in errors["time with microseconds"][0]
