"""A file made before a change is never handed out: a render whose content version is no longer that of its
document as it would be printed now (a quote's consent narrowed or withdrawn, a new name, a redaction, an edit) is
superseded at the moment anyone lists or asks for it, on every download URL and for every role; the pages say so
and offer a fresh file."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import NATIONAL_TEAM
from national.compile import compile_report
from reports import rendering
from reports import services as report_services
from reports.enums import RenderStatus
from reports.models import LocalReport, Render
from testimony import moderation, services
from testimony.enums import Identification
from tests.conftest import with_totp
from tests.http import release
from tests.national.factories import make_national_report
from tests.reports.factories import make_report
from tests.testimony.factories import make_testimony

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "organizer_a", "organizer_b", "national_team", "superuser"]
WORDS = "The landlord never fixed the heating."


@pytest.fixture
def world(personas, user_factory, django_capture_on_commit_callbacks):
    city = personas["city_a"]
    quoted = make_testimony(
        city=city,
        body=WORDS,
        public_body=WORDS,
        allows_local_report=True,
        allows_national_report=True,
        identification=Identification.FULL_NAME,
        display_name="Rosalind Okafor",
    )
    report = make_report(city, sections=1, recommendations=1, quotes=[quoted])
    version = report_services.submit(report, by=None)
    report_services.accept(report, by=None)
    national_report = make_national_report()
    compile_report(national_report)
    with django_capture_on_commit_callbacks(execute=True):
        renders = {
            "version pdf": rendering.request_render(version, "report", "pdf"),
            "version docx": rendering.request_render(version, "report", "docx"),
            "public pdf": rendering.request_render(version, "public", "pdf"),
            "national pdf": rendering.request_render(national_report, "report", "pdf"),
            "national docx": rendering.request_render(national_report, "report", "docx"),
        }
    for render in renders.values():
        render.refresh_from_db()
        assert render.status == RenderStatus.DONE, render.error
    personas["staff_mfa"].groups.add(Group.objects.get(name=NATIONAL_TEAM))
    users = {
        "resident": personas["resident"],
        "organizer_a": personas["organizer_a"],
        "organizer_b": personas["organizer_b"],
        "national_team": personas["staff_mfa"],
        "superuser": with_totp(user_factory("root@example.org", staff=True, is_superuser=True)),
    }
    return {
        "city": city,
        "quoted": quoted,
        "report": report,
        "version": version,
        "national": national_report,
        "renders": renders,
        "users": users,
        "staff": personas["staff_mfa"],
    }


def _withdrawn(world):
    services.withdraw_testimony(world["quoted"])


def _anonymous(world):
    services.change_consent(world["quoted"], identification=Identification.ANONYMOUS, display_name="")


def _redacted(world):
    moderation.save_public_version(world["quoted"], by=world["staff"], public_body="The heating was broken.")


CHANGES = {"withdrawn": _withdrawn, "anonymous": _anonymous, "redacted": _redacted}

ORGANIZER_URL = [302, 404, 404, 404, 404, 404]  # anonymous: to the login page
ADMIN_URL = [302, 403, 403, 403, 404, 404]  # outside the admin: refused; the national team: no such file now


def _download_urls(world) -> dict[str, tuple[str, list[int]]]:
    slug, renders = world["city"].slug, world["renders"]
    local_admin = reverse("admin:reports_localreport_render", args=[world["report"].pk])
    national_admin = reverse("admin:national_nationalreport_render", args=[world["national"].pk])
    urls = {}
    for key in ("version pdf", "version docx", "public pdf"):
        pk = renders[key].pk
        urls[f"organizer {key}"] = (f"/organize/{slug}/report/renders/{pk}/download/", ORGANIZER_URL)
    for key in ("version pdf", "version docx"):
        urls[f"admin {key}"] = (f"{local_admin}?render={renders[key].pk}", ADMIN_URL)
    for key in ("national pdf", "national docx"):
        urls[f"admin {key}"] = (f"{national_admin}?render={renders[key].pk}", ADMIN_URL)
    return urls


def _get(client, url: str):
    response = client.get(url)
    if getattr(response, "streaming", False):
        release(response)
    return response


@pytest.mark.parametrize("change", CHANGES)
def test_render_after_change_is_handed_out_to_nobody(world, change, client):
    CHANGES[change](world)
    urls = _download_urls(world)

    answered = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world["users"][role])
        for name, (url, _expected) in urls.items():
            answered[(role, name)] = _get(client, url).status_code
        # The public PDF is never the old file: a fresh one is being made, and the page says so.
        public = _get(client, f"/cities/{world['city'].slug}/report/pdf/")
        answered[(role, "public report pdf")] = public.status_code
        assert public["Content-Type"].startswith("text/html")

    expected = {
        (role, name): dict(zip(ROLES, statuses, strict=True))[role]
        for role in ROLES
        for name, (_url, statuses) in urls.items()
    }
    expected |= {(role, "public report pdf"): 202 for role in ROLES}
    assert answered == expected
    for render in world["renders"].values():
        row = Render.objects.filter(pk=render.pk).first()
        # Superseded, its file gone; or erased with the words when the person withdrew.
        assert row is None or (row.status, row.file.name) == (RenderStatus.SUPERSEDED, ""), (change, row)


@pytest.mark.parametrize("change", ["anonymous", "redacted"])
def test_listings_after_change_say_superseded_and_offer_a_fresh_file(world, change, client, superuser_client):
    CHANGES[change](world)
    renders = world["renders"]

    local_page = superuser_client.get(reverse("admin:reports_localreport_change", args=[world["report"].pk]))
    national_page = superuser_client.get(reverse("admin:national_nationalreport_change", args=[world["national"].pk]))
    client.force_login(world["users"]["organizer_a"])
    editor = client.get(reverse("reports:edit", args=[world["city"].slug])).content.decode()
    status = client.get(reverse("reports:render_status", args=[world["city"].slug, renders["version pdf"].pk]))

    superseded = "Superseded: made before a change to the text or to a quoted person's consent, name or public version"
    for page in (local_page, national_page):
        html = page.content.decode()
        assert html.count(superseded) == 2
        assert "?render=" not in html  # no download link to any file listed
    assert national_page.context["renders"][0].status == RenderStatus.SUPERSEDED
    fresh = "superseded: this file was made before a change to the text or to a quoted person's consent"
    assert editor.count(fresh) == 2 and "Make a fresh PDF" in editor and "Make a fresh Word file" in editor
    assert "/download/" not in editor
    html = status.content.decode()
    assert fresh in html and "Make a fresh PDF" in html and "hx-trigger" not in html


def test_superseded_render_of_content_back_as_it_was_is_made_again(
    db, city_factory, django_capture_on_commit_callbacks
):
    report = make_report(city_factory(), sections=1, recommendations=1)
    with django_capture_on_commit_callbacks(execute=True):
        old = rendering.request_render(report, "report", "pdf")
    section = report.sections.first()
    original = section.challenges
    section.challenges += "\n\nA paragraph added and taken out again."
    section.save()
    [old] = rendering.check_current([Render.objects.get(pk=old.pk)])
    assert old.status == RenderStatus.SUPERSEDED
    section.challenges = original
    section.save()

    with django_capture_on_commit_callbacks(execute=True):
        again = rendering.request_render(report, "report", "pdf")

    again.refresh_from_db()
    assert (again.pk, again.status) == (old.pk, RenderStatus.DONE)
    assert again.file.name


def test_checking_renders_builds_each_document_once_whatever_the_number_of_rows(db, city_factory):
    counts = []
    for index, rows in enumerate((2, 12)):
        report = make_report(city_factory(f"Town {index}", "OH"), sections=1, recommendations=1)
        content_type = ContentType.objects.get_for_model(LocalReport)
        stale = [
            Render(
                content_type=content_type,
                object_id=report.pk,
                document="report",
                version=f"{n:064d}",
                format="pdf",
                status=RenderStatus.DONE,
                file=f"renders/pdf/old-{index}-{n}.pdf",
            )
            for n in range(rows)
        ]
        Render.objects.bulk_create(stale)
        with CaptureQueriesContext(connection) as queries:
            checked = rendering.check_current(Render.objects.filter(object_id=report.pk, content_type=content_type))
        counts.append(len(queries))
        assert [r.status for r in checked] == [RenderStatus.SUPERSEDED] * rows
    assert counts[0] == counts[1], counts
