"""A figure as people read it, on pages and in chart titles alike."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format


def figure(value) -> str:
    """12.215000 -> "12.215"; 3020210.000000 -> "3,020,210" (grouped and localised, no trailing zeros)."""
    if value is None or value == "":
        return ""
    number = Decimal(value).normalize()
    if number.as_tuple().exponent > 0:
        number = number.quantize(Decimal(1))
    return number_format(number, force_grouping=True)
