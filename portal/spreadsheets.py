"""CSV files people open in a spreadsheet: UTF-8 with a byte order mark (so Excel reads accents), and no cell a
spreadsheet would run as a formula (CSV injection: a cell starting with = + - @, a tab or a carriage return)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str | int | float | Decimal:
    """A cell as written: numbers stay numbers (a negative number is not a formula); text that a spreadsheet would
    run as a formula is prefixed with a quote; None is empty."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, rows: Iterable[Sequence], *, private: bool = True) -> HttpResponse:
    """A CSV download of `rows` (the header first), every cell through safe_cell. `private` files (anything about
    people, anything behind a login) are never stored by a browser or a proxy."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return response
