"""axe-core on the portal's pages, in English and in Spanish: no serious or critical violation.

The public pages, a form showing its errors, the organizer pages of a logged-in coordinator, and the pages of the
local report (its editor with content, and the published report).
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_testimony import in_language
from tests.pages import build_world
from tests.services import AXE_JS, need_node_package

# Every public page axe checks, in both languages. Add new pages here.
PAGES = [
    "/",
    "/about-the-upr/",
    "/recommendations/",
    "/cities/",
    "/cities/pittsburgh-pa/",
    "/cities/join/",
    "/accounts/login/",
    "/accounts/signup/",
    "/events/",
    "/webinars/",
    "/webinars/local-and-global-strategies-for-advancing-the-human-right-to-housing/",
    "/events/demo-preparing-local-reports-for-the-fourth-review/",
    "/events/demo-preparing-local-reports-for-the-fourth-review/register/",
    "/testimony/",
    "/testimony/new/",
    "/cities/pittsburgh-pa/testimony/new/",
    "/resources/",
    "/resources/a-hrc-30-12/",
    "/search/?q=vivienda",
    "/search/?q=housing&kind=recommendation&theme=housing",
]

# The organizer pages axe checks for a coordinator of the demo city, in both languages.
ORGANIZER_PAGES = [
    "/organize/",
    "/organize/pittsburgh-pa/team/",
    "/organize/pittsburgh-pa/requests/",
    "/organize/pittsburgh-pa/events/",
    "/organize/pittsburgh-pa/events/new/",
    "/organize/pittsburgh-pa/testimony/",
    "/organize/pittsburgh-pa/report/",
]

LANGUAGES = ["en", "es"]
FAILING_IMPACTS = {"serious", "critical"}


def run_axe(page) -> list[dict]:
    """axe-core's violations on the loaded page (all of axe's default rules)."""
    page.add_script_tag(path=need_node_package("axe-core", AXE_JS))
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def describe(path: str, violations: list[dict]) -> str:
    lines = [f"{path}: {len(violations)} serious or critical violation(s)"]
    for violation in violations:
        lines.append(f"  {violation['id']} [{violation['impact']}] {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    - {' >> '.join(map(str, node['target']))}")
    return "\n".join(lines)


def set_language(page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])


def axe_failures(page, path: str, language: str) -> list[str]:
    """The loaded page's serious and critical violations, described (empty when there are none)."""
    assert page.locator("html").get_attribute("lang") == language, f"{path} is not in {language!r}"
    violations = [v for v in run_axe(page) if v["impact"] in FAILING_IMPACTS]
    return [describe(path, violations)] if violations else []


def check_pages(page, live_server, paths: list[str], language: str) -> None:
    failures = []
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
        assert page.url == live_server.url + path, f"{path} redirected to {page.url}"
        failures += axe_failures(page, path, language)
    assert not failures, f"axe-core, language {language!r}:\n" + "\n".join(failures)


# The portal's CSP allows only its own scripts with a nonce: let the test inject axe-core.
@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_have_no_serious_or_critical_axe_violations(live_server, page, demo_data, language):
    set_language(page, live_server, language)
    check_pages(page, live_server, PAGES, language)


@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_join_form_showing_errors_has_no_serious_or_critical_axe_violations(live_server, page, language):
    set_language(page, live_server, language)
    page.goto(live_server.url + "/cities/join/")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator("main form button[type=submit]").click()
    assert answer.value.status == 400
    expect(page.get_by_role("alert")).to_have_count(1)
    expect(page.locator("main form [aria-invalid='true']")).to_have_count(5)
    failures = axe_failures(page, "/cities/join/ (errors shown)", language)
    assert not failures, f"axe-core, language {language!r}:\n" + "\n".join(failures)


@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_organizer_pages_have_no_serious_or_critical_axe_violations(
    live_server, page, demo_data, user_factory, language
):
    """A coordinator of Pittsburgh with a teammate, an open invitation, and a new and a handled offer to help."""
    from django.utils import timezone

    from cities.enums import HelpOption, Role
    from cities.models import City, GetInvolvedRequest, Invitation, Membership

    city = City.objects.get(slug="pittsburgh-pa")
    coordinator = user_factory("coordinator@example.org", full_name="Alex Coordinator")
    teammate = user_factory("teammate@example.org", full_name="Robin Teammate")
    Membership.objects.create(user=coordinator, city=city, role=Role.COORDINATOR)
    Membership.objects.create(user=teammate, city=city, role=Role.ORGANIZER)
    Invitation.objects.create(
        city=city,
        email="invited@example.org",
        role=Role.ORGANIZER,
        invited_by=coordinator,
        expires_at=timezone.now() + dt.timedelta(days=14),
    )
    GetInvolvedRequest.objects.create(
        city=city,
        name="Sam Lee",
        email="sam@example.org",
        help_with=[HelpOption.TESTIMONY, HelpOption.EVENTS],
        message="I can help on weekends.",
    )
    GetInvolvedRequest.objects.create(
        city=city,
        name="Kim Park",
        email="kim@example.org",
        help_with=[HelpOption.INTERPRETING],
        handled_at=timezone.now(),
        handled_by=coordinator,
    )

    set_language(page, live_server, language)
    log_in(page.context, live_server, coordinator)
    # The pages show what they are meant to: axe found nothing because there was something to check.
    page.goto(live_server.url + "/organize/pittsburgh-pa/requests/")
    expect(page.locator("main article")).to_have_count(2)
    page.goto(live_server.url + "/organize/pittsburgh-pa/events/")
    expect(page.locator("main tbody tr")).to_have_count(1)
    check_pages(page, live_server, ORGANIZER_PAGES, language)


@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_event_pages_with_content_have_no_serious_or_critical_axe_violations(
    live_server, page, demo_data, user_factory, language
):
    """The event pages in the states PAGES cannot reach: a webinar with its recording player and transcript, the
    registration form showing its errors, a registrant's private pages, an organizer's edit form and registrations."""
    from cities.enums import Role
    from cities.models import City, Membership
    from events import services
    from events.models import Event

    webinar = Event.objects.get(slug="local-and-global-strategies-for-advancing-the-human-right-to-housing")
    webinar.recording_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    webinar.transcript = "Julieta Perucca: Housing is a human right."
    webinar.save()
    online = Event.objects.get(slug="demo-preparing-local-reports-for-the-fourth-review")
    pending = services.register(online, name="Sam Lee", email="sam@example.org")
    confirmed = services.confirm(
        services.register(online, name="Maya Ortiz", email="maya@example.org", access_needs=["captions", "asl"])
    )
    hosted = Event.objects.get(slug="demo-pittsburgh-community-conversation-on-housing")
    services.register(hosted, name="Kim Park", email="kim@example.org", access_needs=["step_free"], access_note="Ramp")
    coordinator = user_factory("coordinator@example.org", full_name="Alex Coordinator")
    Membership.objects.create(user=coordinator, city=City.objects.get(slug="pittsburgh-pa"), role=Role.COORDINATOR)
    # The recording's player is YouTube's page in the iframe: answered locally (no network in tests).
    page.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<title>Player</title><p>Player</p>"),
    )
    set_language(page, live_server, language)

    page.goto(f"{live_server.url}/webinars/{webinar.slug}/")
    expect(page.locator("main iframe")).to_have_count(1)
    expect(page.locator("main details")).to_have_count(1)
    failures = axe_failures(page, f"/webinars/{webinar.slug}/ (recording and transcript)", language)

    page.goto(f"{live_server.url}/events/{online.slug}/register/")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator("main form button[type=submit]").click()
    assert answer.value.status == 400
    expect(page.get_by_role("alert")).to_have_count(1)
    expect(page.locator("main form [aria-invalid='true']")).to_have_count(2)
    failures += axe_failures(page, f"/events/{online.slug}/register/ (errors shown)", language)

    check_pages(
        page,
        live_server,
        [
            f"/events/{online.slug}/register/check-your-email/",
            services.registration_url(pending),
            services.confirm_url(pending),
            services.registration_url(confirmed),
            services.cancel_url(confirmed),
        ],
        language,
    )
    # The cancel page: cancel, or delete the registration and its details (the person's own erasure link).
    buttons = page.locator("main form button[type=submit]")
    expect(buttons).to_have_count(2)
    expect(buttons.nth(0)).to_have_text(in_language(language, "Cancel my registration"))
    expect(buttons.nth(1)).to_have_text(in_language(language, "Delete my registration and my details"))

    log_in(page.context, live_server, coordinator)
    organizer_pages = [
        f"/organize/pittsburgh-pa/events/{hosted.pk}/edit/",
        f"/organize/pittsburgh-pa/events/{hosted.pk}/registrations/",
    ]
    check_pages(page, live_server, organizer_pages, language)
    expect(page.locator("main tbody tr")).to_have_count(1)

    page.goto(live_server.url + organizer_pages[0])
    page.locator("#id_title").fill("")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator("main form button[type=submit]").click()
    assert answer.value.status == 400
    expect(page.locator("main form [aria-invalid='true']")).to_have_count(1)
    failures += axe_failures(page, organizer_pages[0] + " (errors shown)", language)
    assert not failures, f"axe-core, language {language!r}:\n" + "\n".join(failures)


def jpeg_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 90, 40)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_testimony_pages_with_content_have_no_serious_or_critical_axe_violations(
    live_server, page, demo_data, user_factory, language
):
    """The testimony pages in the states PAGES cannot reach: the form showing its errors, public testimony with a
    photo and with a video link, the person's private pages, and the organizer's view of one testimony."""
    from django.core.files.base import ContentFile

    from cities.enums import Role
    from cities.models import City, Membership
    from testimony.enums import Identification, Status
    from tests.testimony.factories import make_testimony

    city = City.objects.get(slug="pittsburgh-pa")
    with_photo = make_testimony(
        city=city,
        title="The locked door",
        body="We were evicted on Penn Avenue.",
        media_file=ContentFile(jpeg_bytes(), name="upload.jpg"),
        media_caption="Our front door, padlocked",
        identification=Identification.FULL_NAME,
        display_name="Ana Ruiz",
        language=language,
        transcript="",
    )
    with_video = make_testimony(
        city=city,
        body="The shelter turned families away.",
        media_link="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        transcript="Speaker: the shelter was full every night.",
    )
    waiting = make_testimony(city=city, body="Still waiting for moderation.", status=Status.RECEIVED)
    coordinator = user_factory("coordinator@example.org", full_name="Alex Coordinator")
    Membership.objects.create(user=coordinator, city=city, role=Role.COORDINATOR)
    page.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<title>Player</title><p>Player</p>"),
    )
    set_language(page, live_server, language)

    form_path = "/cities/pittsburgh-pa/testimony/new/"
    page.goto(live_server.url + form_path)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator("main form button[type=submit]").click()
    assert answer.value.status == 400
    expect(page.get_by_role("alert")).to_have_count(1)
    # The required answers: the story, then every radio button of "challenge or practice" (2), "how to be
    # named" (4) and age (3).
    expect(page.locator("main form [aria-invalid='true']")).to_have_count(10)
    expect(page.locator("main form .invalid-feedback")).to_have_count(4)
    failures = axe_failures(page, form_path + " (errors shown)", language)

    page.goto(f"{live_server.url}/testimony/{with_photo.pk}/")
    photo = page.locator("main figure img")
    expect(photo).to_have_attribute("alt", "Our front door, padlocked")
    page.wait_for_function("() => document.querySelector('main figure img').naturalWidth === 320")
    failures += axe_failures(page, f"/testimony/{with_photo.pk}/ (photo)", language)

    page.goto(f"{live_server.url}/testimony/{with_video.pk}/")
    expect(page.locator("main iframe")).to_have_count(1)
    failures += axe_failures(page, f"/testimony/{with_video.pk}/ (video link and transcript)", language)

    check_pages(
        page,
        live_server,
        [
            f"/testimony/mine/{with_photo.private_token}/",
            f"/testimony/mine/{with_photo.private_token}/withdraw/",
            "/testimony/?city=pittsburgh-pa",
        ],
        language,
    )

    log_in(page.context, live_server, coordinator)
    organizer_paths = [
        "/organize/pittsburgh-pa/testimony/",
        f"/organize/pittsburgh-pa/testimony/{waiting.pk}/",
        f"/organize/pittsburgh-pa/testimony/{with_photo.pk}/",
    ]
    check_pages(page, live_server, organizer_paths, language)
    page.goto(live_server.url + organizer_paths[0])
    expect(page.locator("main tbody tr")).to_have_count(3)
    assert not failures, f"axe-core, language {language!r}:\n" + "\n".join(failures)


@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_report_pages_with_content_have_no_serious_or_critical_axe_violations(
    live_server, page, demo_data, user_factory, language
):
    """The local report's editor of a draft with a section, a quote, a recommendation and a cited resource, the same
    editor once the national team returned it with comments, the published page of the accepted report and the
    cited resource's page listing it."""
    from cities.enums import Role
    from cities.models import City, Membership
    from reports import services as report_services
    from reports.demo import cite_resources
    from reports.models import LocalReport, Quote, ReportRecommendation, Section
    from tests.testimony.factories import make_testimony
    from upr.models import Recommendation, ReviewCycle, Theme

    city = City.objects.get(slug="pittsburgh-pa")
    coordinator = user_factory("coordinator@example.org", full_name="Alex Coordinator")
    Membership.objects.create(user=coordinator, city=city, role=Role.COORDINATOR)
    theme = Theme.objects.get(slug="housing")
    quoted = make_testimony(
        city=city,
        body="Our landlord ignored the broken heating all winter.",
        allows_local_report=True,
        themes=[theme],
    )
    report = LocalReport.objects.create(
        city=city,
        cycle=ReviewCycle.objects.current(),
        executive_summary="Rents rose faster than wages.\n\nResidents asked for the housing code to be enforced.",
        methodology="Two listening sessions and written testimony.",
        short_summary="Rising rents and evictions; we ask for a right to counsel.",
    )
    Section.objects.create(report=report, theme=theme, challenges="Families wait months for repairs.")
    Quote.objects.create(report=report, testimony=quoted, theme=theme)
    recommendation = ReportRecommendation.objects.create(
        report=report, text="Fund a right to counsel for tenants.", theme=theme, reinforces_unfulfilled=True
    )
    recommendation.official.set([Recommendation.objects.get(cycle__number=3, paragraph="26.112")])
    cite_resources(report, [("a-hrc-46-15", "paragraph 26")])

    set_language(page, live_server, language)
    log_in(page.context, live_server, coordinator)
    editor = "/organize/pittsburgh-pa/report/"
    check_pages(page, live_server, [editor], language)
    # The section, the quote, the recommendation and the cited resource, each with the empty form after it.
    expect(page.locator("form#editor fieldset.formset-form")).to_have_count(8)

    report_services.submit(report, by=coordinator)
    report_services.return_with_comments(report, by=coordinator, comment="Say by when the right to counsel is funded.")
    page.goto(live_server.url + editor)
    expect(page.locator("form#editor")).to_have_count(1)
    expect(page.locator("main section.alert-warning")).to_contain_text("Say by when the right to counsel is funded.")
    failures = axe_failures(page, editor + " (returned with comments)", language)
    assert not failures, f"axe-core, language {language!r}:\n" + "\n".join(failures)

    report_services.submit(report, by=coordinator)
    report_services.accept(report, by=coordinator)
    check_pages(page, live_server, ["/cities/pittsburgh-pa/report/"], language)
    expect(page.locator("main article figure")).to_have_count(1)
    expect(page.locator("main article")).to_contain_text("26.112")
    expect(page.locator("main article")).to_contain_text("A/HRC/46/15")
    check_pages(page, live_server, ["/resources/a-hrc-46-15/"], language)
    expect(page.locator("#cited-by-heading + ul a")).to_have_attribute("href", "/cities/pittsburgh-pa/report/")


@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_national_dashboard_has_no_serious_or_critical_axe_violations(
    live_server, page, demo_data, user_factory, language, request
):
    """The national team's progress dashboard with reports in every state, a deadline passed (late cities, in red
    and in words) and testimony on several themes; its sort links work from the keyboard."""
    from django.contrib.auth.models import Group, Permission
    from django.utils import timezone

    from accounts.roles import NATIONAL_TEAM
    from cities.models import City
    from events.enums import EventStatus
    from events.models import Event
    from reports import services as report_services
    from tests.browser.conftest import save_screenshot
    from tests.conftest import with_totp
    from tests.reports.factories import current_cycle, make_report
    from tests.testimony.factories import make_testimony
    from upr.enums import MilestoneKind
    from upr.models import Milestone, Theme

    staff = with_totp(user_factory("national@example.org", staff=True, full_name="Nat Team"))
    # The flush after each browser test empties the group the migrations made: give it back what the page needs.
    team, _created = Group.objects.get_or_create(name=NATIONAL_TEAM)
    team.permissions.add(Permission.objects.get(content_type__app_label="reports", codename="view_localreport"))
    staff.groups.add(team)
    cycle = current_cycle()
    # The demo's deadline for local reports is ahead; this one passed 3 days ago, so cities that owe theirs are late.
    Milestone.objects.filter(cycle=cycle, kind=MilestoneKind.LOCAL_INPUT_DUE).delete()
    Milestone.objects.create(
        cycle=cycle,
        kind=MilestoneKind.LOCAL_INPUT_DUE,
        title="Local reports due",
        date=timezone.localdate() - dt.timedelta(days=3),
    )
    cities = list(City.objects.active().order_by("name")[:4])
    housing, water = Theme.objects.get(slug="housing"), Theme.objects.exclude(slug="housing").first()
    for index, city in enumerate(cities):
        report = make_report(city, sections=2, recommendations=1, seed=index)
        if index >= 1:
            report_services.submit(report, by=staff)
        if index == 2:
            report_services.accept(report, by=staff)
        if index == 3:
            report_services.return_with_comments(report, by=staff, comment="Add the figures.")
        for n in range(index + 1):
            make_testimony(city=city, body=f"Testimony {n}", themes=[housing] if n % 2 else [housing, water])
    Event.objects.filter(host_city__in=cities).update(status=EventStatus.HELD)

    set_language(page, live_server, language)
    log_in(page.context, live_server, staff)
    check_pages(page, live_server, ["/organize/national/"], language)
    expect(page.locator("main svg[role=img]")).to_have_count(2)
    expect(page.locator("main table.dashboard-cities strong.text-danger").first).to_be_visible()
    save_screenshot(page, request, f"national-dashboard-{language}")

    # Sorting is a link in each column heading: reachable and followed with the keyboard alone.
    header = page.locator("main table.dashboard-cities thead a").nth(1)
    header.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("?sort=testimony")
    expect(page.locator("main table.dashboard-cities th[aria-sort=ascending]")).to_have_count(1)
    failures = axe_failures(page, "/organize/national/?sort=testimony", language)
    assert not failures, f"axe-core, language {language!r}:\n" + "\n".join(failures)


@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_organizer_and_customised_admin_page_has_no_serious_or_critical_axe_violations(
    live_server, page, transactional_db, user_factory, language
):
    """tests/pages.py's world: every organizer page of a coordinator (testimony in each state, a report returned with
    comments and its versions, a submitted report, events with registrations and a lobby day), the national team's
    dashboard, and the admin pages the portal customised (index, the local report's review page, the national
    report's change page with its joint submitters and checks), and the admin's autocomplete fields."""
    from cities.models import City, Membership

    world = build_world(user_factory)
    set_language(page, live_server, language)

    # The page a joint submitter opens from the national team's email to confirm its name.
    check_pages(page, live_server, [f"/sign-off/{world.submitter.token}/"], language)
    log_in(page.context, live_server, world.coordinator)
    check_pages(page, live_server, world.organizer_pages(), language)

    log_in(page.context, live_server, world.staff)
    city = City.objects.get(slug="pittsburgh-pa")
    membership = Membership.objects.filter(city=city).first()
    admin_pages = [
        *world.staff_pages(),
        *world.admin_pages(),
        f"/admin/cities/city/{city.pk}/change/",
        f"/admin/cities/membership/{membership.pk}/change/",
        "/admin/cities/membership/add/",
    ]
    check_pages(page, live_server, admin_pages, language)
    # The joint submitters are on the national report's page, each field named.
    page.goto(live_server.url + f"/admin/national/nationalreport/{world.national_report.pk}/change/")
    expect(page.get_by_role("textbox", name=re.compile(in_language(language, "Organisation")))).to_have_count(3)
