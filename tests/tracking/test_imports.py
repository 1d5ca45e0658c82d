"""CSV export and the all-or-nothing import: errors by row and column, a preview, nothing stored on any error."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tracking.factories import make_tracked
from tracking.models import StatusUpdate


@pytest.fixture
def setup(client, personas):
    city = personas["city_a"]
    items = make_tracked(city, count=3, updates_each=1, evidence=False)
    client.force_login(personas["organizer_a"])
    return client, city, items


def _exported(client, city) -> list[dict]:
    response = client.get(f"/organize/{city.slug}/tracking/export.csv")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _file(rows: list[dict], columns=None) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("tracking.csv", out.getvalue().encode("utf-8-sig"), content_type="text/csv")


def test_export_import_preview_then_confirm(setup):
    client, city, items = setup
    rows = _exported(client, city)
    assert [row["recommendation"] for row in rows] == ["26.1", "26.2", "26.3"]
    assert [row["status"] for row in rows] == ["not_started", "in_progress", "partly_implemented"]
    rows[1].update(status="implemented", observed_on="2026-06-01", what_changed="Ordinance in force.")
    preview = client.post(f"/organize/{city.slug}/tracking/import/", {"file": _file(rows)})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Preview: 1 item will change" in page
    assert StatusUpdate.objects.count() == 3  # nothing recorded before the confirmation
    token = preview.context["file_token"]
    done = client.post(f"/organize/{city.slug}/tracking/import/", {"confirm": "1", "file_token": token})
    assert done.status_code == 302
    latest = StatusUpdate.objects.filter(item=items[1]).order_by("-pk").first()
    assert (latest.status, latest.what_changed) == ("implemented", "Ordinance in force.")
    assert StatusUpdate.objects.count() == 4


@pytest.mark.parametrize(
    ("change", "row", "column", "message"),
    [
        ({"status": "implemnted"}, 3, "status", "is not a status"),
        ({"observed_on": "2999-01-01"}, 3, "observed_on", "cannot be in the future"),
        ({"observed_on": "31/05/2026"}, 3, "observed_on", "is not a date"),
        ({"item": "", "recommendation": "26.999"}, 3, "recommendation", "tracks no recommendation"),
        ({"item": "999999"}, 3, "item", "is not one of your city"),
        ({"status": "regressed", "what_changed": ""}, 3, "what_changed", "Say what changed"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(setup, change, row, column, message):
    client, city, _items = setup
    rows = _exported(client, city)
    rows[0].update(status="implemented", observed_on="2026-06-01", what_changed="A good change.")
    rows[1].update(change)
    response = client.post(f"/organize/{city.slug}/tracking/import/", {"file": _file(rows)})
    assert response.status_code == 400
    errors = [(e.row, e.column) for e in response.context["errors"]]
    assert (row, column) in errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert StatusUpdate.objects.count() == 3


def test_a_wrong_column_is_named(setup):
    client, city, _items = setup
    rows = _exported(client, city)
    renamed = [{("state" if key == "status" else key): value for key, value in row.items()} for row in rows]
    response = client.post(f"/organize/{city.slug}/tracking/import/", {"file": _file(renamed)})
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["errors"]] == [(1, "state")]
    assert StatusUpdate.objects.count() == 3


def test_a_forged_confirmation_is_refused(setup):
    client, city, _items = setup
    response = client.post(f"/organize/{city.slug}/tracking/import/", {"confirm": "1", "file_token": "forged"})
    assert response.status_code == 302
    assert StatusUpdate.objects.count() == 3


def test_another_citys_organizer_cannot_export_or_import(client, personas, setup):
    _client, city, _items = setup
    client.force_login(personas["organizer_b"])
    assert client.get(f"/organize/{city.slug}/tracking/export.csv").status_code == 404
    assert client.get(f"/organize/{city.slug}/tracking/import/").status_code == 404
