"""Testimony files go out only through a view that checks consent: never straight from MEDIA_URL."""

import os

import pytest
from django.core.files.base import ContentFile

from testimony.enums import Status
from testimony.models import AccessLog
from testimony.services import withdraw_testimony
from tests.http import release
from tests.testimony.factories import make_testimony

PDF = b"%PDF-1.4\n% a testimony file\n"


def _with_file(**fields):
    testimony = make_testimony(**fields)
    testimony.media_file.save("statement.pdf", ContentFile(PDF))
    return testimony


@pytest.fixture
def private(personas):
    return _with_file(city=personas["city_a"], status=Status.RECEIVED)


def test_public_file_is_served_to_anyone_and_never_cached(client, personas):
    testimony = _with_file(city=personas["city_a"])
    response = client.get(f"/testimony/{testimony.pk}/media/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    release(response)
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert f"/testimony/{testimony.pk}/media/" in client.get(f"/testimony/{testimony.pk}/").text


def test_file_is_stored_outside_the_public_media_folder(personas, settings):
    testimony = _with_file(city=personas["city_a"])
    assert testimony.media_file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not testimony.media_file.path.startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("resident", 404),
        ("organizer_b", 404),
        ("staff_mfa", 404),
        ("organizer_a", 200),
    ],
)
def test_private_file_only_for_the_citys_organizers(client, personas, private, role, status):
    if role != "anonymous":
        client.force_login(personas[role])
    response = client.get(f"/testimony/{private.pk}/media/")
    release(response)
    assert response.status_code == status
    expected_log = [(private.pk, personas["organizer_a"].pk)] if role == "organizer_a" else []
    assert list(AccessLog.objects.values_list("testimony", "user")) == expected_log


def test_withdrawn_testimonys_file_is_gone_from_public_view(client, personas):
    testimony = _with_file(city=personas["city_a"], status=Status.WITHDRAWN)
    assert client.get(f"/testimony/{testimony.pk}/media/").status_code == 404


def test_withdrawal_deletes_the_uploaded_file(personas, django_capture_on_commit_callbacks):
    testimony = _with_file(city=personas["city_a"])
    path = testimony.media_file.path
    with django_capture_on_commit_callbacks(execute=True):
        assert withdraw_testimony(testimony) is True
    testimony.refresh_from_db()
    assert testimony.media_file.name == ""
    assert not os.path.exists(path)
