"""Every report URL x role -> the expected status. Outsiders get 404 (never 403): no organizer sees another city's
draft, its renders or its files; the admin's review pages are the national team's only."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from accounts.roles import NATIONAL_TEAM
from national.models import NationalReport, UNSubmission
from reports import services as report_services
from reports.enums import RenderStatus
from reports.models import LocalReport, Render
from tests.conftest import with_totp
from tests.http import release
from tests.reports.factories import current_cycle, made_render, make_report

ROLES = ["anonymous", "resident", "organizer_a", "organizer_b", "national_team", "superuser"]


@pytest.fixture
def world(personas, user_factory):
    city = personas["city_a"]
    report = make_report(city, sections=1, recommendations=1)
    draft_render = made_render(report)
    failed = Render.objects.create(
        content_type=draft_render.content_type,
        object_id=report.pk,
        document="summary",
        version="x" * 64,
        format="pdf",
        status=RenderStatus.FAILED,
        error="boom",
    )
    # Boston has an accepted, published report; Pittsburgh's is a draft.
    boston = make_report(personas["city_b"], sections=1, recommendations=1)
    report_services.submit(boston, by=personas["organizer_b"])
    report_services.accept(boston, by=None)
    national_report = NationalReport.objects.create(
        cycle=current_cycle(), title="National", submitter="Alliance", acronym="USHRCA", description="A network."
    )
    sent = UNSubmission(report=national_report, sent_on=date(2026, 3, 30), version="x" * 64, filename="sent.docx")
    sent.file.save("sent.docx", ContentFile(b"the file as sent"), save=False)
    sent.save()
    personas["staff_mfa"].groups.add(Group.objects.get(name=NATIONAL_TEAM))
    superuser = with_totp(user_factory("root@example.org", staff=True, is_superuser=True))
    users = {
        "resident": personas["resident"],
        "organizer_a": personas["organizer_a"],
        "organizer_b": personas["organizer_b"],
        "national_team": personas["staff_mfa"],
        "superuser": superuser,
    }
    return {
        "city": city,
        "report": report,
        "render": draft_render,
        "failed": failed,
        "boston": boston,
        "users": users,
        "national": national_report,
        "sent": sent,
    }


def _urls(world) -> dict:
    slug, render, failed, report = world["city"].slug, world["render"].pk, world["failed"].pk, world["report"].pk
    organizer_only = [302, 404, 200, 404, 404, 404]
    organizer_post = [302, 404, 302, 404, 404, 404]
    return {
        ("GET", f"/organize/{slug}/report/"): organizer_only,
        ("POST", f"/organize/{slug}/report/"): [302, 404, 409, 404, 404, 404],  # no revision posted: stale
        ("GET", f"/organize/{slug}/report/preview/"): organizer_only,
        ("POST", f"/organize/{slug}/report/render/"): organizer_post,
        ("GET", f"/organize/{slug}/report/renders/{render}/"): organizer_only,
        ("POST", f"/organize/{slug}/report/renders/{failed}/retry/"): organizer_post,
        ("GET", f"/organize/{slug}/report/renders/{render}/download/"): organizer_only,
        # Pittsburgh has no accepted report: nothing public.
        ("GET", f"/cities/{slug}/report/"): [404] * 6,
        ("GET", f"/cities/{slug}/report/pdf/"): [404] * 6,
        # Boston's accepted report is public.
        ("GET", f"/cities/{world['boston'].city.slug}/report/"): [200] * 6,
        # The admin: the national team's staff (with two-factor) only.
        ("GET", f"/admin/reports/localreport/{report}/change/"): [302, 403, 403, 403, 200, 200],
        ("GET", f"/admin/reports/localreport/{report}/diff/?a=1&b=1"): [302, 403, 403, 403, 404, 404],  # no versions
        ("POST", f"/admin/reports/localreport/{report}/decide/"): [302, 403, 403, 403, 302, 302],
        # Sending to the UN (no date posted: refused with a message) and the archived file as sent.
        ("POST", f"/admin/national/nationalreport/{world['national'].pk}/send/"): [302, 403, 403, 403, 302, 302],
        ("GET", f"/admin/national/nationalreport/{world['national'].pk}/sent/{world['sent'].pk}/"): [
            302,
            403,
            403,
            403,
            200,
            200,
        ],
    }


URL_KEYS = [
    "edit",
    "save",
    "preview",
    "render",
    "status",
    "retry",
    "download",
    "public-draft",
    "public-pdf-draft",
    "public-accepted",
    "admin-change",
    "admin-diff",
    "admin-decide",
    "admin-send-to-un",
    "admin-sent-file",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", range(len(URL_KEYS)), ids=URL_KEYS)
def test_report_url_by_role(client, world, role, which):
    (method, url), statuses = list(_urls(world).items())[which]
    expected = dict(zip(ROLES, statuses, strict=True))[role]
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = client.post(url, {"document": "report", "format": "pdf"}) if method == "POST" else client.get(url)
    if getattr(response, "streaming", False):
        release(response)
    assert response.status_code == expected, (method, url, role, response.status_code)


def test_another_citys_render_is_not_reachable_through_my_city(client, world, personas):
    """Organizer B asks for Pittsburgh's render through Boston's URLs: 404, and the file is never sent."""
    client.force_login(personas["organizer_b"])
    boston = world["boston"].city.slug
    render = world["render"].pk
    assert client.get(f"/organize/{boston}/report/renders/{render}/").status_code == 404
    assert client.get(f"/organize/{boston}/report/renders/{render}/download/").status_code == 404
    assert client.post(f"/organize/{boston}/report/renders/{world['failed'].pk}/retry/").status_code == 404
    assert Render.objects.get(pk=world["failed"].pk).status == RenderStatus.FAILED


def test_outsiders_change_nothing(client, world, personas):
    client.force_login(personas["organizer_b"])
    slug = world["city"].slug
    client.post(f"/organize/{slug}/report/", {"revision": "0", "executive_summary": "Hijacked"})
    assert "Hijacked" not in LocalReport.objects.get(pk=world["report"].pk).executive_summary
