"""portal.spreadsheets: every CSV the portal hands out is UTF-8 with a byte order mark and formula-safe."""

import csv
import io
from decimal import Decimal

from portal.spreadsheets import csv_response, safe_cell


def test_safe_cell_quotes_what_a_spreadsheet_would_run_and_keeps_numbers():
    values = ["-2", "\tx", "\rx", "=1+1", "+1", "@me", "ok", None, 3, -5, 1.5, Decimal("2.50"), True]
    assert [safe_cell(v) for v in values] == [
        "'-2",
        "'\tx",
        "'\rx",
        "'=1+1",
        "'+1",
        "'@me",
        "ok",
        "",
        3,
        -5,
        1.5,
        Decimal("2.50"),
        "True",
    ]


def test_csv_response_is_utf8_with_a_bom_private_and_guarded():
    response = csv_response("people.csv", [["name", "days"], ["=cmd()", -3], ["Peña", 4]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="people.csv"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["name", "days"], ["'=cmd()", "-3"], ["Peña", "4"]]


def test_a_public_csv_may_be_cached():
    assert "Cache-Control" not in csv_response("open.csv", [["a"]], private=False)
