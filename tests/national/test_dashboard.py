"""The national team's progress dashboard (/organize/national/) and its CSV export.

A small known world, with the clock frozen 5 days after the local reports' deadline:

- Pittsburgh (participating): a draft report; 3 testimonies collected (housing; housing and water; water, waiting
  for moderation) and one withdrawn (not counted); 2 events held, 1 scheduled (not counted). Late by 5 days.
- Boston (participating): an accepted report with a housing section; 1 testimony without a theme; housing among its
  priorities.
- Chicago (report submitted as a status of the city, but no report in this cycle): not started, late.
- Austin (exploring, not in the directory) that started a report anyway: a draft; it is on the dashboard.
- Denver (exploring, nothing started): not on the dashboard.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.roles import NATIONAL_TEAM
from cities.enums import CityStatus
from cities.models import City
from events.enums import EventKind, EventStatus
from events.models import Event
from national import dashboard
from reports import services as report_services
from reports.enums import ReportStatus
from testimony.enums import Status
from tests.conftest import with_totp
from tests.reports.factories import complete, current_cycle, make_report, themes
from tests.testimony.factories import make_testimony
from upr.enums import MilestoneKind
from upr.models import Milestone

URL = "/organize/national/"
CSV_URL = "/organize/national/progress.csv"
TODAY = dt.date(2026, 3, 20)
DEADLINE = dt.date(2026, 3, 15)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    now = dt.datetime(2026, 3, 20, 15, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


def _event(city, n: int, status=EventStatus.HELD) -> Event:
    start = dt.datetime(2026, 1, 10 + n, 18, 0, tzinfo=dt.UTC)
    return Event.objects.create(
        kind=EventKind.COMMUNITY_CONVERSATION,
        title=f"Conversation {city.slug} {n}",
        slug=f"conversation-{city.slug}-{n}",
        description="A listening session.",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        status=status,
        host_city=city,
        place="Library",
    )


@pytest.fixture
def national_team(personas):
    staff = personas["staff_mfa"]
    staff.groups.add(Group.objects.get(name=NATIONAL_TEAM))
    return staff


@pytest.fixture
def world(personas, city_factory):
    cycle = current_cycle()
    Milestone.objects.create(cycle=cycle, kind=MilestoneKind.LOCAL_INPUT_DUE, title="Local reports due", date=DEADLINE)
    # An earlier deadline of the same kind, passed long ago, must not be the one counted.
    Milestone.objects.create(
        cycle=cycle, kind=MilestoneKind.LOCAL_INPUT_DUE, title="Early drafts", date=dt.date(2025, 12, 1)
    )
    housing, water = themes(2)
    pittsburgh, boston = personas["city_a"], personas["city_b"]
    chicago = city_factory("Chicago", "IL", status=CityStatus.REPORT_SUBMITTED)
    austin = city_factory("Austin", "TX", status=CityStatus.EXPLORING)
    city_factory("Denver", "CO", status=CityStatus.EXPLORING)
    boston.priorities.set([housing])

    make_report(pittsburgh, sections=0, recommendations=0)
    make_testimony(city=pittsburgh, themes=[housing])
    make_testimony(city=pittsburgh, themes=[housing, water])
    make_testimony(city=pittsburgh, themes=[water], status=Status.RECEIVED, allows_portal=False)
    make_testimony(city=pittsburgh, themes=[housing], status=Status.WITHDRAWN)
    _event(pittsburgh, 1)
    _event(pittsburgh, 2)
    _event(pittsburgh, 3, status=EventStatus.SCHEDULED)

    boston_report = make_report(boston, sections=1)
    report_services.submit(boston_report, by=personas["organizer_b"])
    report_services.accept(boston_report, by=None)
    make_testimony(city=boston)

    make_report(austin, sections=0, recommendations=0)
    return {
        "pittsburgh": pittsburgh,
        "boston": boston,
        "chicago": chicago,
        "austin": austin,
        "housing": housing,
        "water": water,
    }


# --------------------------------------------------------------------------------------------------------------
# Who may open it
# --------------------------------------------------------------------------------------------------------------

ROLES = ["anonymous", "resident", "organizer_a", "staff_no_mfa", "staff_mfa_outside_team", "national_team"]
EXPECTED = {
    "anonymous": 302,  # to the login page
    "resident": 403,
    "organizer_a": 403,
    "staff_no_mfa": 302,  # to set up two-factor authentication
    "staff_mfa_outside_team": 403,  # staff without the national team's permission on local reports
    "national_team": 200,
}


@pytest.mark.parametrize("url", [URL, CSV_URL])
@pytest.mark.parametrize("role", ROLES)
def test_dashboard_url_by_role(client, personas, user_factory, url, role):
    users = {
        "resident": personas["resident"],
        "organizer_a": personas["organizer_a"],
        "staff_no_mfa": personas["staff_no_mfa"],
        "staff_mfa_outside_team": with_totp(user_factory("other-staff@example.org", staff=True)),
        "national_team": personas["staff_mfa"],
    }
    personas["staff_mfa"].groups.add(Group.objects.get(name=NATIONAL_TEAM))
    personas["staff_no_mfa"].groups.add(Group.objects.get(name=NATIONAL_TEAM))
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(url)
    assert response.status_code == EXPECTED[role], (url, role)
    if role == "anonymous":
        assert response["Location"] == f"/accounts/login/?next={url}"
    if role == "staff_no_mfa":
        assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_superuser_with_mfa_sees_the_dashboard(client, personas, user_factory):
    client.force_login(with_totp(user_factory("root@example.org", staff=True, is_superuser=True)))
    assert client.get(URL).status_code == 200


def test_dashboard_refuses_post(client, national_team):
    client.force_login(national_team)
    assert client.post(URL).status_code == 405


def test_dashboard_is_not_cached(client, national_team):
    client.force_login(national_team)
    for url in (URL, CSV_URL):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_admin_keeps_its_own_rule(client, personas):
    """The admin and the dashboard share accounts.access: the admin's own texts are kept."""
    client.force_login(personas["organizer_a"])
    assert client.get("/admin/").status_code == 403
    client.force_login(personas["staff_no_mfa"])
    response = client.get("/admin/", follow=True)
    assert "Set up two-factor authentication before using the admin" in response.text


# --------------------------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------------------------


def test_progress_figures_of_a_known_world(world):
    progress = dashboard.national_progress()
    assert progress.today == TODAY
    assert progress.deadline.date == DEADLINE
    assert progress.deadline_days_left == -5
    rows = [(row.city.name, row.testimony, row.events, row.status, row.days_left, row.late) for row in progress.cities]
    assert rows == [
        ("Austin", 0, 0, ReportStatus.DRAFT, -5, True),
        ("Boston", 1, 0, ReportStatus.ACCEPTED, None, False),
        ("Chicago", 0, 0, dashboard.NOT_STARTED, -5, True),
        ("Pittsburgh", 3, 2, ReportStatus.DRAFT, -5, True),
    ]
    assert (progress.testimony_total, progress.events_total, progress.late_count) == (4, 2, 3)
    assert [(s.status, s.count) for s in progress.statuses] == [
        (dashboard.NOT_STARTED, 1),
        (ReportStatus.DRAFT, 2),
        (ReportStatus.RETURNED, 0),
        (ReportStatus.SUBMITTED, 0),
        (ReportStatus.ACCEPTED, 1),
    ]
    totals = [(t.theme.slug if t.theme else None, t.testimony, t.reports, t.priorities) for t in progress.themes]
    # Boston's accepted report has a section on the first theme (housing); Boston names housing a priority.
    assert totals == [
        (world["housing"].slug, 2, 1, 1),
        (world["water"].slug, 2, 0, 0),
        (None, 1, 0, 0),
    ]


def test_days_left_before_the_deadline_and_the_next_deadline_chosen(world):
    progress = dashboard.national_progress(today=dt.date(2026, 3, 1))
    assert progress.deadline.date == DEADLINE
    assert [row.days_left for row in progress.cities] == [14, None, 14, 14]
    assert progress.late_count == 0
    with translation.override("en"):
        assert [row.deadline_text for row in progress.cities] == [
            "14 days left",
            "Report submitted",
            "14 days left",
            "14 days left",
        ]
        assert progress.deadline_text == "14 days left"
    on_the_day = dashboard.national_progress(today=DEADLINE)
    with translation.override("en"):
        assert on_the_day.cities[0].deadline_text == "Due today"


def test_returned_report_still_owes_the_deadline(world, personas):
    report = world["pittsburgh"].local_reports.get()
    complete(report)
    report_services.submit(report, by=personas["organizer_a"])
    row = next(r for r in dashboard.national_progress().cities if r.city == world["pittsburgh"])
    assert (row.status, row.days_left) == (ReportStatus.SUBMITTED, None)
    report_services.return_with_comments(report, by=None, comment="Add the figures.")
    row = next(r for r in dashboard.national_progress().cities if r.city == world["pittsburgh"])
    assert (row.status, row.days_left, row.late) == (ReportStatus.RETURNED, -5, True)


def test_no_deadline_set(personas):
    current_cycle()
    progress = dashboard.national_progress()
    assert progress.deadline is None
    with translation.override("en"):
        assert [(row.city.name, row.days_left, row.deadline_text) for row in progress.cities] == [
            ("Boston", None, "No deadline set"),
            ("Pittsburgh", None, "No deadline set"),
        ]


def test_page_shows_the_figures(client, world, national_team):
    client.force_login(national_team)
    with translation.override("en"):
        response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = response.text
    assert [row.city.name for row in response.context["rows"]] == ["Austin", "Boston", "Chicago", "Pittsburgh"]
    # Late is said in words, not only in colour.
    assert text.count('<strong class="text-danger">Late by 5 days</strong>') == 3
    assert 'href="/cities/pittsburgh-pa/"' in text
    assert "Local reports due:" in text and "passed 5 days ago" in text
    body = re.sub(r"\s+", " ", text)
    assert '<p class="mb-1">Testimony collected</p><p class="stat mb-0">4</p>' in body
    assert '<p class="mb-1">Events held</p><p class="stat mb-0">2</p>' in body
    assert '<p class="mb-1">Cities late with their report</p><p class="stat mb-0">3</p>' in body


def test_page_of_an_empty_portal(client, user_factory):
    """No review cycle, no city, no theme: the page still opens and says so."""
    client.force_login(with_totp(user_factory("root@example.org", staff=True, is_superuser=True)))
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["progress"].cycle is None
    assert "No city is taking part yet." in response.text
    assert "No deadline for local reports is set in this review cycle" in response.text
    assert _csv(client.get(CSV_URL, HTTP_ACCEPT_LANGUAGE="en"))[1:] == []


def test_page_in_spanish(client, world, national_team):
    client.force_login(national_team)
    client.cookies["django_language"] = "es"
    response = client.get(URL)
    assert response.status_code == 200
    assert '<html lang="es">' in response.text
    assert dashboard.status_chart(response.context["progress"]) in response.text


# --------------------------------------------------------------------------------------------------------------
# Sorting without JavaScript
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Austin", "Boston", "Chicago", "Pittsburgh"]),
        ("-city", ["Pittsburgh", "Chicago", "Boston", "Austin"]),
        ("testimony", ["Austin", "Chicago", "Boston", "Pittsburgh"]),
        ("-testimony", ["Pittsburgh", "Boston", "Austin", "Chicago"]),
        ("-events", ["Pittsburgh", "Austin", "Boston", "Chicago"]),
        ("status", ["Chicago", "Austin", "Pittsburgh", "Boston"]),
        ("-status", ["Boston", "Austin", "Pittsburgh", "Chicago"]),
        # The submitted report has no deadline left: last, whichever way.
        ("deadline", ["Austin", "Chicago", "Pittsburgh", "Boston"]),
        ("-deadline", ["Austin", "Chicago", "Pittsburgh", "Boston"]),
        ("nonsense", ["Austin", "Boston", "Chicago", "Pittsburgh"]),
    ],
)
def test_sort_by_query_string(client, world, national_team, sort, expected):
    client.force_login(national_team)
    response = client.get(URL, {"sort": sort})
    assert [row.city.name for row in response.context["rows"]] == expected


def test_sort_headers_link_and_say_the_order(client, world, national_team):
    client.force_login(national_team)
    response = client.get(URL, {"sort": "testimony"}, HTTP_ACCEPT_LANGUAGE="en")
    columns = {c["key"]: c for c in response.context["columns"]}
    assert columns["testimony"]["aria_sort"] == "ascending"
    assert columns["testimony"]["href"] == "?sort=-testimony"
    assert columns["city"]["aria_sort"] == "" and columns["city"]["href"] == "?sort=city"
    assert 'aria-sort="ascending"' in response.text
    assert response.context["csv_url"] == "/organize/national/progress.csv?sort=testimony"


# --------------------------------------------------------------------------------------------------------------
# Constant queries
# --------------------------------------------------------------------------------------------------------------


def _busy_city(city_factory, i: int, housing):
    city = city_factory(f"Town {i:02d}", "OH")
    city.priorities.set([housing])
    make_testimony(city=city, themes=[housing])
    _event(city, 1)
    if i % 2:
        make_report(city, sections=1, recommendations=0)
    return city


@pytest.mark.parametrize("url", [URL, CSV_URL + "?sort=-deadline"])
def test_query_count_is_constant(client, personas, city_factory, national_team, url):
    cycle = current_cycle()
    Milestone.objects.create(cycle=cycle, kind=MilestoneKind.LOCAL_INPUT_DUE, title="Due", date=DEADLINE)
    (housing,) = themes(1)
    for i in range(1):  # with the personas' two cities: 3
        _busy_city(city_factory, i, housing)
    client.force_login(national_team)
    client.get(url)  # the first request warms what a process keeps (content types, permissions cache)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(1, 58):
        _busy_city(city_factory, i, housing)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(few) == len(many), [q["sql"] for q in many.captured_queries]
    assert len(many) == 15
    if url == URL:
        assert len(response.context["rows"]) == 60


# --------------------------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")
    return list(csv.reader(io.StringIO(raw[1:])))


def test_csv_has_the_tables_columns(client, world, national_team):
    client.force_login(national_team)
    response = client.get(CSV_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="upr-cities-progress-2026-03-20.csv"'
    assert _csv(response) == [
        [
            "city",
            "state",
            "testimony collected",
            "events held",
            "report status",
            "deadline",
            "days to the deadline",
            "late",
        ],
        ["Austin", "TX", "0", "0", "Draft", "2026-03-15", "-5", "yes"],
        ["Boston", "MA", "1", "0", "Accepted", "", "", "no"],
        ["Chicago", "IL", "0", "0", "Not started", "2026-03-15", "-5", "yes"],
        ["Pittsburgh", "PA", "3", "2", "Draft", "2026-03-15", "-5", "yes"],
    ]


def test_csv_follows_the_sort(client, world, national_team):
    client.force_login(national_team)
    rows = _csv(client.get(CSV_URL, {"sort": "-testimony"}))
    assert [row[0] for row in rows[1:]] == ["Pittsburgh", "Boston", "Austin", "Chicago"]


def test_csv_guards_against_formulas(client, world, national_team):
    evil = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"]
    for n, name in enumerate(evil):
        City.objects.create(name=name, state="ZZ", slug=f"evil-{n}", status=CityStatus.PARTICIPATING)
    client.force_login(national_team)
    names = [row[0] for row in _csv(client.get(CSV_URL))[1:]]
    assert sorted(name for name in names if name.startswith("'")) == sorted("'" + name for name in evil)
    assert not any(name[0] in "=+-@" for name in names)


def test_csv_in_spanish(client, world, national_team):
    client.force_login(national_team)
    client.cookies["django_language"] = "es"
    rows = _csv(client.get(CSV_URL))
    assert len(rows) == 5


# --------------------------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------------------------


def test_status_chart_is_an_accessible_svg(world):
    with translation.override("en"):
        svg = str(dashboard.status_chart(dashboard.national_progress()))
    assert svg.startswith('<svg class="bar-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 286" role="img"')
    assert 'aria-labelledby="chart-status-title" aria-describedby="chart-status-desc"' in svg
    assert '<title id="chart-status-title">Local reports by status</title>' in svg
    assert (
        '<desc id="chart-status-desc">Not started: 1; Draft: 2; Returned with comments: 0; '
        "Submitted, waiting for the national team: 0; Accepted: 1</desc>"
    ) in svg
    labels = re.findall(r'<text class="label"[^>]*>([^<]*)</text>', svg)
    values = re.findall(r'<text class="value"[^>]*>([^<]*)</text>', svg)
    assert labels == [
        "Not started",
        "Draft",
        "Returned with comments",
        "Submitted, waiting for the national team",
        "Accepted",
    ]
    assert values == ["1", "2", "0", "0", "1"]
    widths = [float(w) for w in re.findall(r'<rect class="bar"[^>]* width="([^"]+)"', svg)]
    assert widths == [204.0, 408.0, 0.0, 0.0, 204.0]
    assert "style=" not in svg  # the CSP allows no inline styles


def test_theme_chart_leaves_out_empty_themes_and_escapes_labels(world):
    world["water"].name = 'Water & "sanitation" <script>'
    world["water"].save()
    with translation.override("en"):
        svg = str(dashboard.theme_chart(dashboard.national_progress()))
    assert '<title id="chart-themes-title">Testimony collected by theme</title>' in svg
    labels = re.findall(r'<text class="label"[^>]*>([^<]*)</text>', svg)
    assert labels == [world["housing"].name, "Water &amp; &quot;sanitation&quot; &lt;script&gt;"]
    assert "<script>" not in svg


def test_long_labels_widen_the_chart_instead_of_being_cut():
    svg = str(dashboard.bar_chart("Long", [("x" * 60, 3)], id_prefix="long"))
    assert 'viewBox="0 0 556 70"' in svg  # 2 x 8 padding + 60 characters x 9


def test_chart_without_data():
    svg = str(dashboard.bar_chart("Nothing", [], id_prefix="empty"))
    assert '<desc id="empty-desc">No data yet.</desc>' in svg
    assert "<rect" not in svg


def test_navigation_links_for_staff_only(client, personas, national_team):
    client.force_login(personas["organizer_a"])
    assert URL not in client.get("/organize/").text
    client.force_login(national_team)
    page = client.get("/organize/").text
    assert page.count(f'href="{URL}"') == 2  # the main navigation and the organizer home
