"""Recording the national report as sent to the UN: the exact Word file is archived (never superseded, kept when a
quoted person later withdraws) for the national team only, and every quoted testimony is marked as sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.roles import NATIONAL_TEAM
from national.compile import compile_report
from national.models import UNSubmission
from reports import rendering
from reports import services as report_services
from reports.enums import RenderStatus
from reports.models import Render
from testimony import services
from testimony.enums import Identification
from testimony.models import Testimony as Story  # "Test..." names are collected by pytest
from tests.conftest import with_totp
from tests.http import release
from tests.national.factories import make_national_report
from tests.national.test_national_quotes import _docx_text
from tests.reports.factories import make_report
from tests.testimony.factories import make_testimony

pytestmark = pytest.mark.django_db

WORDS = "The clinic turned us away twice."


@pytest.fixture
def world(personas):
    city = personas["city_a"]
    quoted = make_testimony(
        city=city,
        body=WORDS,
        public_body=WORDS,
        allows_local_report=True,
        allows_national_report=True,
        identification=Identification.PSEUDONYM,
        display_name="Blue Heron",
    )
    local_only = make_testimony(
        city=city, body="Only for the city.", public_body="Only for the city.", allows_local_report=True
    )
    report = make_report(city, sections=1, recommendations=1, quotes=[quoted, local_only])
    report_services.submit(report, by=None)
    report_services.accept(report, by=None)
    national_report = make_national_report()
    compile_report(national_report)
    personas["staff_mfa"].groups.add(Group.objects.get(name=NATIONAL_TEAM))
    return {"report": national_report, "quoted": quoted, "local_only": local_only, "staff": personas["staff_mfa"]}


def _word_file(report, capture):
    with capture(execute=True):
        render = rendering.request_render(report, "report", "docx")
    render.refresh_from_db()
    assert render.status == RenderStatus.DONE, render.error
    return render


def _send(client, report, sent_on="2026-03-30"):
    return client.post(
        reverse("admin:national_nationalreport_send", args=[report.pk]), {"sent_on": sent_on}, follow=True
    )


def _download(client, report, submission):
    response = client.get(reverse("admin:national_nationalreport_sent_file", args=[report.pk, submission.pk]))
    data = b"".join(response.streaming_content) if getattr(response, "streaming", False) else b""
    release(response)
    return response, data


def test_record_sent_to_un_archives_the_word_file_and_marks_the_quoted_testimony(
    world, client, django_capture_on_commit_callbacks
):
    report, staff = world["report"], world["staff"]
    render = _word_file(report, django_capture_on_commit_callbacks)
    with render.file.open("rb") as handle:
        sent_bytes = handle.read()
    client.force_login(staff)

    page = _send(client, report).content.decode()

    submission = UNSubmission.objects.get()
    assert (submission.report, submission.sent_on, submission.recorded_by) == (report, dt.date(2026, 3, 30), staff)
    assert (submission.filename, submission.version) == (render.filename, render.version)
    with submission.file.open("rb") as handle:
        assert handle.read() == sent_bytes
    assert list(submission.quoted.all()) == [world["quoted"]]
    sent = dict(Story.objects.values_list("pk", "sent_to_un_at"))
    assert sent[world["quoted"].pk] is not None and sent[world["local_only"].pk] is None
    assert (
        f"Recorded as sent to the UN; {render.filename} is archived and 1 quoted testimony is marked as sent." in page
    )
    listed = page[page.index('id="sent-to-un"') :]
    assert render.filename in listed and "March 30, 2026" in listed and staff.email in listed


def test_record_sent_to_un_without_a_current_word_file_is_refused(world, client, django_capture_on_commit_callbacks):
    report = world["report"]
    _word_file(report, django_capture_on_commit_callbacks)
    services.change_consent(world["quoted"], identification=Identification.ANONYMOUS, display_name="")  # text changed
    client.force_login(world["staff"])

    page = _send(client, report).content.decode()

    assert "Make the Word file of the report as it reads now first" in page
    assert UNSubmission.objects.count() == 0
    assert Story.objects.filter(sent_to_un_at__isnull=False).count() == 0


def test_record_sent_to_un_in_the_future_is_refused(world, client, django_capture_on_commit_callbacks):
    _word_file(world["report"], django_capture_on_commit_callbacks)
    client.force_login(world["staff"])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page = _send(client, world["report"], sent_on=tomorrow).content.decode()
    assert "The date it was sent cannot be in the future." in page
    assert UNSubmission.objects.count() == 0


def test_archived_file_is_kept_when_a_quoted_person_withdraws(world, client, django_capture_on_commit_callbacks):
    report = world["report"]
    render = _word_file(report, django_capture_on_commit_callbacks)
    client.force_login(world["staff"])
    _send(client, report)
    submission = UNSubmission.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_testimony(world["quoted"])
    # The render of the old text is not handed out any more; what was sent stays, for the national team.
    listed = rendering.check_current(Render.objects.for_object(report))
    assert [r.status for r in listed if r.pk == render.pk] in ([], [RenderStatus.SUPERSEDED])
    response, data = _download(client, report, UNSubmission.objects.get(pk=submission.pk))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{submission.filename}"'
    assert response["Cache-Control"] == "private, no-store, max-age=0, no-cache, must-revalidate"
    assert WORDS in _docx_text(data) and "Blue Heron" in _docx_text(data)


@pytest.mark.parametrize(
    ("role", "status"),
    # Outside the admin: refused; staff without the national report's view permission: no such file (404).
    [("organizer_a", 403), ("resident", 403), ("staff_outside_team", 404), ("national_team", 200)],
)
def test_archived_file_is_for_the_national_team_only(
    world, client, personas, user_factory, role, status, django_capture_on_commit_callbacks
):
    _word_file(world["report"], django_capture_on_commit_callbacks)
    client.force_login(world["staff"])
    _send(client, world["report"])
    users = {
        "organizer_a": personas["organizer_a"],
        "resident": personas["resident"],
        "staff_outside_team": with_totp(user_factory("other-staff@example.org", staff=True)),
        "national_team": world["staff"],
    }
    client.force_login(users[role])
    response, data = _download(client, world["report"], UNSubmission.objects.get())
    assert response.status_code == status
    assert bool(data) == (status == 200)
