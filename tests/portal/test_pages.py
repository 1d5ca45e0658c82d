import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cities.models import City, Membership
from events.models import Event, EventSpeaker, Speaker
from upr.enums import Audience, MilestoneKind
from upr.models import Milestone, Recommendation, ReviewCycle, Theme


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def _counts():
    return {
        m.__name__: m.objects.count()
        for m in (Theme, ReviewCycle, Milestone, Recommendation, City, Event, Speaker, EventSpeaker, Membership)
    }


def test_load_demo_loads_real_data_and_is_idempotent(demo, settings):
    first = _counts()
    assert first == {
        "Theme": 19,
        "ReviewCycle": 4,
        "Milestone": 14,
        "Recommendation": 575,
        "City": 11,
        "Event": 5,  # the three webinars of the project page and two upcoming demo events
        "Speaker": 12,
        "EventSpeaker": 12,
        "Membership": 0,
    }
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == first


def test_load_demo_creates_demo_logins_only_in_demo_mode(demo, settings, django_user_model):
    assert django_user_model.objects.count() == 0
    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=io.StringIO())
    assert sorted(django_user_model.objects.values_list("email", "is_staff")) == [
        ("national@demo.uprcities.localhost", True),
        ("organizer@demo.uprcities.localhost", False),
    ]
    assert "organizer@demo.uprcities.localhost / " in out.getvalue()
    assert Membership.objects.get().city.slug == "pittsburgh-pa"


def test_load_demo_gives_the_demo_organizer_a_draft_citing_real_resources(demo, settings):
    from reports.enums import ReportStatus
    from reports.models import LocalReport

    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=io.StringIO())  # idempotent: one draft, each resource cited once

    report = LocalReport.objects.get()
    assert (report.city.slug, report.status) == ("pittsburgh-pa", ReportStatus.DRAFT)
    assert report.executive_summary.startswith("Demo data, invented for the demonstration: ")
    assert [(c.resource.un_symbol, c.resource.slug, c.note) for c in report.citations.select_related("resource")] == [
        ("A/HRC/46/15", "a-hrc-46-15", "paragraph 26, the recommendations of the 2020 review"),
        ("", "local-government-and-human-rights-high-commissioner-report", ""),
        ("", "notes-on-compiling-your-upr-reports", ""),
    ]
    assert "Pittsburgh, PA's draft local report cites 3 resources of the library." in out.getvalue()


def test_home_shows_cycle_countdown_and_counts_from_the_database(client, demo):
    today = timezone.localdate()
    cycle = ReviewCycle.objects.get(number=4)
    Milestone.objects.filter(date__gte=today).delete()
    Milestone.objects.create(
        cycle=cycle, kind=MilestoneKind.LOCAL_INPUT_DUE, title="Local reports due", date=today + dt.timedelta(days=12)
    )
    Milestone.objects.create(
        cycle=cycle,
        kind=MilestoneKind.LOBBY_DAYS,
        title="Private planning",
        date=today + dt.timedelta(days=3),
        audience=Audience.NATIONAL_TEAM,
    )

    response = client.get("/")

    assert response.context["cycle"] == cycle
    assert response.context["next_milestone"].title == "Local reports due"
    assert "12 days left" in response.text
    assert "Private planning" not in response.text
    assert [(str(label), n) for label, n in response.context["stats"]] == [
        ("participating cities", 6),
        ("testimonies shared publicly", 0),
        ("events held", 3),
        ("UN recommendations to the US tracked", 575),
    ]
    assert "Bring Human Rights Home" in response.text


def test_home_without_upcoming_milestone_says_so(client, demo):
    Milestone.objects.filter(date__gte=timezone.localdate()).delete()
    response = client.get("/")
    assert "No upcoming milestone has been announced yet." in response.text


def test_about_lists_us_cycles_with_dates(client, demo):
    response = client.get("/about-the-upr/")
    assert [c.number for c in response.context["cycles"]] == [1, 2, 3, 4]
    assert "A/HRC/46/15" in response.text
    assert "Review of the United States in the UPR Working Group (36th session)" in response.text
    assert "demo planning date" in response.text  # the public local deadline
    assert "National stakeholder report ready" not in response.text  # national-team only


def test_pages_in_spanish(client, demo):
    client.cookies["django_language"] = "es"
    response = client.get("/")
    assert '<html lang="es">' in response.text
    assert "Traer los derechos humanos a casa" in response.text


def test_404_page_uses_the_portal_layout(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Skip to main content" in response.text


def test_healthz_healthy(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_healthz_names_a_failing_broker(client, db, settings, monkeypatch):
    from uprcities.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("failing: ")
    assert response.json()["database"] == "ok"


def test_healthz_names_a_failing_database(client, db, monkeypatch):
    from uprcities import views

    def broken():
        raise ConnectionError("database down")

    monkeypatch.setattr(views, "_check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "database": "failing: ConnectionError",
        "cache": response.json()["cache"],
        "broker": response.json()["broker"],
        "status": "failing",
    }


def _recommendations(n: int, cycle: ReviewCycle, theme: Theme):
    for i in range(1, n + 1):
        rec = Recommendation.objects.create(
            cycle=cycle,
            document="A/HRC/46/15",
            paragraph=f"26.{i}",
            text=f"Recommendation {i}",
            recommending_states="Chile",
            response="supported",
        )
        rec.themes.add(theme)


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # The count, the filter form's choices (reviews, themes, affected persons, goals), the page of
        # recommendations and its themes, affected persons and goals.
        ("/recommendations/", 9),
        ("/recommendations/?theme=housing&response=supported", 10),  # + the theme lookup of the filter form
    ],
)
def test_recommendation_list_queries_do_not_grow_with_items(client, db, path, queries):
    cycle = ReviewCycle.objects.create(number=3)
    theme = Theme.objects.create(slug="housing", name="Housing", name_es="Vivienda")
    _recommendations(3, cycle, theme)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    _recommendations(60, ReviewCycle.objects.create(number=2), theme)
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    assert len(many) == len(few) == queries
    assert response.context["page"].paginator.count == 63


def test_recommendation_filters(client, demo):
    response = client.get(
        f"/recommendations/?cycle={ReviewCycle.objects.get(number=3).pk}&theme=housing&response=supported"
    )
    page = response.context["page"]
    assert (
        page.paginator.count
        == Recommendation.objects.filter(cycle__number=3, themes__slug="housing", response="supported").count()
        > 0
    )
    assert all(r.response == "supported" and r.cycle.number == 3 for r in page)


def test_recommendation_bad_filter_is_explained_not_an_error(client, demo):
    response = client.get("/recommendations/?theme=nope")
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
