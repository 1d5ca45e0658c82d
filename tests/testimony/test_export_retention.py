"""The organizers' CSV export honours consent; the retention job deletes contact details past their date."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from testimony.enums import Identification, ModerationAction, Status
from testimony.export import export_columns
from testimony.models import ContactDetails, ModerationLog
from testimony.retention import delete_expired_contact_details
from tests.testimony.test_moderation import make_testimony


def _export(client, city):
    response = client.get(f"/organize/{city.slug}/testimony/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="testimony-{city.slug}-')
    assert response.content.startswith("\ufeff".encode())  # UTF-8 with a byte order mark, for spreadsheets
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    return {row["id"]: row for row in rows}, list(csv.reader(io.StringIO(text)))[0]


@pytest.mark.parametrize("allows_contact", [True, False])
@pytest.mark.parametrize(
    ("identification", "display_name", "expected_name"),
    [
        (Identification.FULL_NAME, "Ana Pérez", "Ana Pérez"),
        (Identification.FIRST_NAME, "Ana", "Ana"),
        (Identification.PSEUDONYM, "Blue", "Blue"),
        (Identification.ANONYMOUS, "", ""),
    ],
)
def test_export_honours_names_and_contact(
    client, personas, identification, display_name, expected_name, allows_contact
):
    city = personas["city_a"]
    testimony = make_testimony(
        city, identification=identification, display_name=display_name, allows_contact=allows_contact
    )
    ContactDetails.objects.create(
        testimony=testimony, name="Ana Real", email="ana@example.org", phone="555-0100", retain_until="2030-01-01"
    )
    client.force_login(personas["organizer_a"])
    rows, header = _export(client, city)
    assert header == export_columns()
    row = rows[str(testimony.pk)]
    assert row["name"] == expected_name
    assert row["identification"] == identification
    expected_contact = ("Ana Real", "ana@example.org", "555-0100") if allows_contact else ("", "", "")
    assert (row["contact name"], row["contact email"], row["contact phone"]) == expected_contact
    assert row["may be contacted"] == ("yes" if allows_contact else "no")


def test_export_consent_columns_text_and_exclusions(client, personas):
    city = personas["city_a"]
    redacted = make_testimony(
        city,
        public_body="The landlord cut the heat.",
        allows_portal=True,
        allows_local_report=False,
        allows_national_report=True,
        allows_advocacy=False,
        place_text="12 Elm St",
        occurred_on=dt.date(2026, 2, 3),
        less_precise=True,
    )
    precise = make_testimony(city, place_text="City Hall", occurred_on=dt.date(2026, 2, 3))
    withdrawn = make_testimony(city, status=Status.WITHDRAWN, withdrawn_at=timezone.now())
    other_city = make_testimony(personas["city_b"])
    client.force_login(personas["organizer_a"])
    rows, _header = _export(client, city)
    assert set(rows) == {str(redacted.pk), str(precise.pk)}
    assert str(withdrawn.pk) not in rows and str(other_city.pk) not in rows
    row = rows[str(redacted.pk)]
    assert (row["text"], row["redacted"]) == ("The landlord cut the heat.", "yes")
    assert "Elm St" not in "".join(row.values())
    assert (row["where it happened"], row["when it happened"]) == ("", "2026")
    assert [row[c] for c in ["shown on the portal", "local report", "national report", "advocacy"]] == [
        "yes",
        "no",
        "yes",
        "no",
    ]
    assert (row["18 or older"], row["consent text version"], row["consent method"]) == ("yes", "2026-1", "online")
    row = rows[str(precise.pk)]
    assert (row["redacted"], row["where it happened"], row["when it happened"]) == ("no", "City Hall", "2026-02-03")


def test_export_guards_against_csv_injection(client, personas):
    city = personas["city_a"]
    testimony = make_testimony(
        city, title='=HYPERLINK("http://evil")', body="+1 cmd", identification="pseudonym", display_name="@me"
    )
    client.force_login(personas["organizer_a"])
    rows, _header = _export(client, city)
    row = rows[str(testimony.pk)]
    assert (row["title"], row["text"], row["name"]) == ('\'=HYPERLINK("http://evil")', "'+1 cmd", "'@me")


def test_export_query_count_is_constant(client, personas):
    city = personas["city_a"]
    client.force_login(personas["organizer_a"])

    def count_for(n):
        for _i in range(n):
            testimony = make_testimony(city, allows_contact=True)
            ContactDetails.objects.create(testimony=testimony, email="a@example.org", retain_until="2030-01-01")
        with CaptureQueriesContext(connection) as queries:
            _export(client, city)
        return len(queries)

    assert count_for(2) == count_for(20)


# --- retention --------------------------------------------------------------------------------------------


def test_retention_deletes_only_what_is_past_its_date_and_logs(personas):
    city = personas["city_a"]
    today = dt.date(2027, 6, 1)
    past, due_today, future = make_testimony(city), make_testimony(city), make_testimony(city)
    ContactDetails.objects.create(testimony=past, email="p@example.org", retain_until=dt.date(2027, 5, 31))
    ContactDetails.objects.create(testimony=due_today, email="t@example.org", retain_until=today)
    ContactDetails.objects.create(testimony=future, email="f@example.org", retain_until=dt.date(2027, 6, 2))
    assert delete_expired_contact_details(today=today) == 1
    assert sorted(ContactDetails.objects.values_list("testimony", flat=True)) == sorted([due_today.pk, future.pk])
    assert list(ModerationLog.objects.values_list("testimony", "actor", "action")) == [
        (past.pk, None, ModerationAction.CONTACT_DELETED)
    ]
    past.refresh_from_db()  # the testimony itself stays
    # Idempotent: a second run deletes and logs nothing.
    assert delete_expired_contact_details(today=today) == 0
    assert ModerationLog.objects.count() == 1
    assert delete_expired_contact_details(today=dt.date(2027, 6, 3)) == 2
    assert ContactDetails.objects.count() == 0
    assert ModerationLog.objects.filter(action=ModerationAction.CONTACT_DELETED).count() == 3


def test_retention_is_one_query_when_nothing_is_due(personas):
    testimony = make_testimony(personas["city_a"])
    ContactDetails.objects.create(testimony=testimony, email="f@example.org", retain_until=dt.date(2030, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        assert delete_expired_contact_details(today=dt.date(2027, 1, 1)) == 0
    assert len(queries) == 1


def test_retention_job_is_registered():
    from portal.registry import periodic_jobs

    assert dict(periodic_jobs.items())["testimony_contact_retention"] is delete_expired_contact_details
