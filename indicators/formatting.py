"""A figure as people read it, on pages and in chart titles alike."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format


def figure(value) -> str:
    """A figure rounded as people read it, grouped and localised, without trailing zeros: one decimal from 10 up
    (27.1693 -> "27.2"), two from 1 (4.65), three significant digits below 1 (0.441073 -> "0.441");
    3020210.000000 -> "3,020,210". The exact figure stays in the CSV files."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    magnitude = abs(number)
    if magnitude >= 10:
        places = 1
    elif magnitude >= 1:
        places = 2
    elif magnitude > 0:
        places = 2 - magnitude.adjusted()  # three significant digits
    else:
        places = 0
    number = number.quantize(Decimal(1).scaleb(-places)).normalize()
    if number.as_tuple().exponent > 0:
        number = number.quantize(Decimal(1))
    return number_format(number, force_grouping=True)
