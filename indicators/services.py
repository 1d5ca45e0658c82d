"""Writes: every value goes through record_value, which keeps the history."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from indicators.enums import Geography, Origin
from indicators.models import Indicator, IndicatorValue


@transaction.atomic
def record_value(
    indicator: Indicator,
    city,
    *,
    year: int,
    period: str = "",
    source_url: str = "",
    document=None,
    value: Decimal | None = None,
    fact: bool | None = None,
    fact_date=None,
    source_name: str = "",
    note: str = "",
    entered_by=None,
    origin: str = Origin.ORGANIZER,
    geography: str = Geography.CITY,
    metro_name: str = "",
) -> IndicatorValue:
    """Record a city's value of `indicator` for `year`, after checking it (type, year, source: ValidationError with
    the messages a form shows). The value in force for that year, if any, is kept as history (replaced_at set) and
    the new one takes its place; nothing is overwritten. Public pages showing it go stale through the model's
    signals (apps.py)."""
    new = IndicatorValue(
        indicator=indicator,
        city=city,
        year=year,
        period=period,
        value=value,
        fact=fact,
        fact_date=fact_date,
        source_name=source_name,
        source_url=source_url,
        document=document or "",
        note=note,
        entered_by=entered_by if entered_by is not None and entered_by.is_authenticated else None,
        origin=origin,
        geography=geography,
        metro_name=metro_name,
    )
    new.full_clean(validate_constraints=False)
    # The row lock makes two people correcting the same figure at once queue, not collide on the unique constraint.
    old = IndicatorValue.objects.current().select_for_update().filter(indicator=indicator, city=city, year=year).first()
    if old is not None:
        old.replaced_at = timezone.now()
        old.save(update_fields=["replaced_at"])
    new.save()
    return new
