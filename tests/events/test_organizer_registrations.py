"""The organizer's registrations list and CSV: who may see them (outsiders get 404), and what they hold."""

from __future__ import annotations

import csv
import io

import pytest

from events.models import Registration
from tests.events.test_registration import make_event

ROLES = ["anonymous", "resident", "organizer_a", "organizer_b", "national_team"]
EXPECTED = dict(zip(ROLES, [302, 404, 200, 404, 404], strict=True))


@pytest.fixture
def world(personas):
    event = make_event(host_city=personas["city_a"], capacity=10)
    other = make_event(slug="boston-hearing", title="Boston hearing", host_city=personas["city_b"])
    Registration.objects.create(
        event=event,
        name="Ana Pérez",
        email="ana@example.org",
        organisation="Tenants United",
        city_name="Pittsburgh",
        access_needs=["asl", "captions"],
        access_note="Spanish interpretation too",
        status="confirmed",
    )
    Registration.objects.create(
        event=event,
        name='=HYPERLINK("http://evil")',
        email="bob@example.org",
        organisation="+1 Org",
        city_name="@home",
        status="pending",
        access_note="-2",
    )
    Registration.objects.create(event=other, name="Someone Else", email="else@example.org", status="confirmed")
    users = {
        "resident": personas["resident"],
        "organizer_a": personas["organizer_a"],
        "organizer_b": personas["organizer_b"],
        "national_team": personas["staff_mfa"],
    }
    return {"city": personas["city_a"], "event": event, "other": other, "users": users}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("suffix", ["registrations/", "registrations.csv"])
def test_registrations_by_role(client, world, role, suffix):
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = client.get(f"/organize/{world['city'].slug}/events/{world['event'].pk}/{suffix}")
    assert response.status_code == EXPECTED[role], role
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("suffix", ["registrations/", "registrations.csv"])
def test_an_event_of_another_city_is_404_even_under_ones_own_city(client, world, suffix):
    client.force_login(world["users"]["organizer_a"])
    assert client.get(f"/organize/{world['city'].slug}/events/{world['other'].pk}/{suffix}").status_code == 404
    assert client.get(f"/organize/{world['city'].slug}/events/999999/{suffix}").status_code == 404


def test_list_shows_registrations_with_access_needs_highlighted(client, world):
    client.force_login(world["users"]["organizer_a"])
    page = client.get(f"/organize/{world['city'].slug}/events/{world['event'].pk}/registrations/").content.decode()
    assert "Ana Pérez" in page and "ana@example.org" in page and "Tenants United" in page
    assert '<span class="badge text-bg-warning me-1">ASL interpretation</span>' in page
    assert '<span class="badge text-bg-warning me-1">Live captions</span>' in page
    assert "Spanish interpretation too" in page
    assert "1 confirmed, 0 on the waiting list, 1 not yet confirmed, 0 cancelled." in page
    assert "2 people asked for access support." in page
    assert "Someone Else" not in page


def test_csv_export(client, world):
    client.force_login(world["users"]["organizer_a"])
    response = client.get(f"/organize/{world['city'].slug}/events/{world['event'].pk}/registrations.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="registrations-housing-webinar.csv"'
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Status",
        "Name",
        "Email",
        "Organisation",
        "City",
        "Access needs",
        "Access note",
        "Registered at",
        "Confirmed at",
    ]
    assert len(rows) == 3
    assert rows[1][:7] == [
        "Confirmed",
        "Ana Pérez",
        "ana@example.org",
        "Tenants United",
        "Pittsburgh",
        "ASL interpretation; Live captions",
        "Spanish interpretation too",
    ]
    # No CSV injection: cells a spreadsheet would run as formulas start with a quote.
    assert rows[2][:7] == [
        "Waiting for email confirmation",
        '\'=HYPERLINK("http://evil")',
        "bob@example.org",
        "'+1 Org",
        "'@home",
        "",
        "'-2",
    ]
    assert "else@example.org" not in text
