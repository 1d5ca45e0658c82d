"""National reports for tests."""

from __future__ import annotations

import datetime as dt

from national.enums import SubmissionType
from national.models import NationalReport
from tests.reports.factories import current_cycle


def make_national_report(*, submission_type: str = SubmissionType.INDIVIDUAL, **fields) -> NationalReport:
    """A national report of the current cycle with a submitter, acronym, description and period covered set
    (the first-page checks pass); `fields` override any of them."""
    fields.setdefault("cycle", current_cycle())
    fields.setdefault("title", "Human rights in US cities")
    fields.setdefault("submitter", "US Human Rights Cities Alliance")
    fields.setdefault("acronym", "USHRCA")
    fields.setdefault("description", "A network of local coalitions.")
    fields.setdefault("period_start", dt.date(2020, 11, 9))
    fields.setdefault("period_end", dt.date(2025, 4, 1))
    return NationalReport.objects.create(submission_type=submission_type, **fields)
