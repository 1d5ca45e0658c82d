"""The anonymous page cache: what it stores, and that a committed change to public data shows at once."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cities.enums import Role
from cities.models import City, GetInvolvedRequest, Membership
from events import services as events
from events.models import Registration, Speaker
from portal.cache import GENERATION_KEY, public_generation
from reports import content, rendering
from reports import services as report_services
from reports.enums import Decision, RenderFormat, RenderStatus, ReportStatus
from reports.models import ReportVersion
from testimony import moderation
from testimony.enums import Identification, Status
from testimony.models import ModerationLog
from testimony.models import Testimony as Story
from testimony.services import change_consent, withdraw_testimony
from tests.events import make_event
from tests.reports.factories import make_report
from tests.testimony.factories import make_testimony
from upr.models import Milestone, Recommendation, ReviewCycle, Theme


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


def test_anonymous_public_page_is_rendered_once(client, city_factory, page_cache):
    city_factory("Erie", "PA")
    first = client.get("/cities/")
    # Never committed (the test's transaction is rolled back), so the cached page stays current.
    City.objects.create(name="Later", state="OH", slug="later-oh", status="participating")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/cities/")
    assert len(queries) == 0
    assert second.content == first.content
    assert "Later" not in second.text
    # Another query string is another page.
    assert "Later" in client.get("/cities/?state=OH").text


def test_pages_are_cached_per_language(client, city_factory, page_cache):
    city_factory("Erie", "PA")
    english = client.get("/cities/")
    client.cookies["django_language"] = "es"
    spanish = client.get("/cities/")
    assert '<html lang="en">' in english.text
    assert '<html lang="es">' in spanish.text


def test_signed_in_people_get_a_page_as_current_as_the_last_committed_change(client, personas, page_cache, on_commit):
    """Signed-in people get the stored public copy with their own menu (tests/portal/test_page_cache_signed_in.py),
    so what they see follows the same rule as anonymous visitors: every committed change, at once."""
    client.force_login(personas["resident"])
    client.get("/cities/")
    with on_commit():
        City.objects.create(name="Later", state="OH", slug="later-oh", status="participating")
    assert "Later" in client.get("/cities/").text


def test_a_page_with_a_message_is_neither_served_from_nor_stored_in_the_cache(client, personas, page_cache):
    client.get("/cities/")  # cached without message
    response = client.post(
        "/cities/pittsburgh-pa/get-involved/",
        {"name": "Ana", "email": "ana@example.org", "help_with": ["events"]},
        follow=True,
    )
    assert "Thank you!" in response.text
    response = client.get("/cities/")
    assert list(get_messages(response.wsgi_request)) == []


@pytest.mark.parametrize("path", ["/", "/cities/", "/cities/pittsburgh-pa/", "/cities/join/"])
def test_public_pages_carry_no_csrf_token_and_set_no_cookie(client, personas, page_cache, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" not in response.text
    assert not response.cookies


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/cities/pittsburgh-pa/get-involved/", {"name": "Ana", "email": "ana@example.org", "help_with": ["events"]}),
        (
            "/cities/join/",
            {
                "state": "PA",
                "place": "5188843",
                "coalition_name": "Erie HR",
                "contact_name": "Dana",
                "contact_email": "dana@example.org",
                "why": "Housing.",
            },
        ),
    ],
)
def test_anonymous_public_forms_work_without_a_token(client, personas, path, data):
    client.handler.enforce_csrf_checks = True
    assert client.post(path, data).status_code == 302


def test_language_switch_works_without_a_token(client, db):
    client.handler.enforce_csrf_checks = True
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "es"


# --- a committed change to public data shows at once ------------------------------------------------------------


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what the block leaves for after commit, as a committed transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def pages_showing(testimony) -> list[str]:
    return ["/testimony/", "/cities/pittsburgh-pa/", f"/testimony/{testimony.pk}/"]


def cached(client, paths) -> list[str]:
    """Each page twice as an anonymous visitor; the second visit must come from the cache (no query at all)."""
    first = [client.get(path) for path in paths]
    with CaptureQueriesContext(connection) as queries:
        again = [client.get(path) for path in paths]
    assert len(queries) == 0
    assert [r.content for r in again] == [r.content for r in first]
    return [r.text for r in first]


TAKEN_OFF = {
    "withdrawn": lambda testimony, by: withdraw_testimony(testimony),
    "rejected": lambda testimony, by: moderation.reject(testimony, by=by, reason="It names a neighbour."),
    "rejected_in_bulk": lambda testimony, by: moderation.bulk_reject(
        Story.objects.filter(pk=testimony.pk), by=by, reason="It names a neighbour."
    ),
    "portal_consent_taken_back": lambda testimony, by: change_consent(testimony, allows_portal=False),
}


@pytest.mark.parametrize("take_off", TAKEN_OFF.values(), ids=TAKEN_OFF.keys())
def test_testimony_taken_off_the_portal_leaves_cached_pages_at_once(client, personas, page_cache, on_commit, take_off):
    testimony = make_testimony(city=personas["city_a"], public_body="The rent doubled in one year.")
    pages = pages_showing(testimony)
    assert ["The rent doubled in one year." in text for text in cached(client, pages)] == [True, True, True]
    with on_commit():
        take_off(testimony, personas["organizer_a"])
    responses = [client.get(path) for path in pages]
    assert [r.status_code for r in responses] == [200, 200, 404]
    assert ["The rent doubled" in r.text for r in responses] == [False, False, False]
    assert "No testimony has been shared publicly yet." in responses[1].text


def test_a_narrowed_name_leaves_cached_pages_at_once(client, personas, page_cache, on_commit):
    testimony = make_testimony(
        city=personas["city_a"],
        public_body="The rent doubled in one year.",
        identification=Identification.PSEUDONYM,
        display_name="La Vecina",
    )
    pages = pages_showing(testimony)
    assert ["La Vecina" in text for text in cached(client, pages)] == [True, True, True]
    with on_commit():
        change_consent(testimony, identification=Identification.ANONYMOUS, display_name="")
    texts = [client.get(path).text for path in pages]
    assert ["La Vecina" in text for text in texts] == [False, False, False]
    assert ["Anonymous" in text for text in texts] == [True, True, True]


def test_a_redacted_public_version_replaces_the_cached_one_at_once(client, personas, page_cache, on_commit):
    testimony = make_testimony(city=personas["city_a"], public_body="Our landlord Mr Ortega doubled the rent.")
    pages = pages_showing(testimony)
    assert ["Mr Ortega" in text for text in cached(client, pages)] == [True, True, True]
    with on_commit():
        moderation.save_public_version(
            testimony, by=personas["organizer_a"], public_body="Our landlord doubled the rent."
        )
    texts = [client.get(path).text for path in pages]
    assert ["Mr Ortega" in text for text in texts] == [False, False, False]
    assert ["Our landlord doubled the rent." in text for text in texts] == [True, True, True]


def test_testimony_approved_in_bulk_shows_on_cached_pages_at_once(client, personas, page_cache, on_commit):
    testimony = make_testimony(
        city=personas["city_a"],
        status=Status.RECEIVED,
        public_body="The bus stopped coming.",
        public_reviewed_at=timezone.now(),
    )
    lists = pages_showing(testimony)[:2]
    assert ["The bus stopped coming." in text for text in cached(client, lists)] == [False, False]
    with on_commit():
        assert moderation.bulk_approve(Story.objects.filter(pk=testimony.pk), by=personas["organizer_a"]) == 1
    texts = [client.get(path).text for path in pages_showing(testimony)]
    assert ["The bus stopped coming." in text for text in texts] == [True, True, True]


def test_a_rolled_back_withdrawal_keeps_the_cached_pages(
    client, personas, page_cache, django_capture_on_commit_callbacks
):
    testimony = make_testimony(city=personas["city_a"], public_body="The rent doubled in one year.")
    pages = pages_showing(testimony)
    before = cached(client, pages)
    generation = public_generation()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        withdraw_testimony(testimony)
        raise RuntimeError("the request failed after the withdrawal")
    assert callbacks == []
    assert public_generation() == generation
    testimony.refresh_from_db()
    assert testimony.status == Status.APPROVED
    with CaptureQueriesContext(connection) as queries:
        assert [client.get(path).text for path in pages] == before
    assert len(queries) == 0


@pytest.mark.django_db(transaction=True)
def test_the_generation_changes_after_commit_and_never_on_rollback():
    generation = public_generation()
    with transaction.atomic():
        City.objects.create(name="Erie", state="PA", slug="erie-pa", status="participating")
        assert public_generation() == generation  # not before the change is visible to other requests
    committed = public_generation()
    assert committed != generation
    with pytest.raises(RuntimeError), transaction.atomic():
        City.objects.create(name="Reading", state="PA", slug="reading-pa", status="participating")
        raise RuntimeError
    assert public_generation() == committed


def test_seats_left_change_at_once_after_a_confirmation(client, db, page_cache, on_commit, mailoutbox):
    event = make_event(capacity=2)
    path = f"/events/{event.slug}/"
    assert "2 seats left." in cached(client, [path])[0]
    with on_commit():
        registration = events.register(event, name="Ana", email="ana@example.org")
    assert "2 seats left." in client.get(path).text  # a pending registration holds no seat
    with on_commit():
        events.confirm(registration)
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
    text = client.get(path).text
    assert "1 seat left." in text and "2 seats left." not in text


def test_seats_left_change_at_once_on_the_webinar_address_too(client, db, page_cache, on_commit, mailoutbox):
    event = make_event(capacity=5, kind="webinar")
    path = f"/webinars/{event.slug}/"
    assert "5 seats left." in cached(client, [path])[0]
    registration = Registration.objects.create(event=event, name="Ana", email="ana@example.org")
    with on_commit():
        events.confirm(registration)
    assert "4 seats left." in client.get(path).text


def test_a_cancelled_registration_frees_its_seat_on_the_cached_page_at_once(
    client, db, page_cache, on_commit, mailoutbox
):
    event = make_event(capacity=1)
    registration = Registration.objects.create(event=event, name="Ana", email="ana@example.org", status="confirmed")
    path = f"/events/{event.slug}/"
    assert "Every seat is taken." in cached(client, [path])[0]
    with on_commit():
        events.cancel(registration)
    text = client.get(path).text
    assert "1 seat left." in text and "Every seat is taken." not in text


def test_a_registration_leaves_every_other_cached_page_as_it_is(client, personas, page_cache, on_commit, mailoutbox):
    event, other = make_event(capacity=3), make_event(capacity=3, title="Another event")
    others = ["/", "/cities/", "/events/", f"/events/{other.slug}/", "/cities/pittsburgh-pa/"]
    before = cached(client, [f"/events/{event.slug}/", *others])
    generation = public_generation()
    with on_commit():
        registration = events.register(event, name="Ana", email="ana@example.org")
    with on_commit():
        events.confirm(registration)
    assert public_generation() == generation
    with CaptureQueriesContext(connection) as queries:
        again = [client.get(path).text for path in others]
    assert (len(queries), again) == (0, before[1:])
    assert "2 seats left." in client.get(f"/events/{event.slug}/").text


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_confirmation_keeps_the_event_page(client, page_cache):
    event = make_event(capacity=3)
    path = f"/events/{event.slug}/"
    first = client.get(path).text
    with pytest.raises(RuntimeError), transaction.atomic():
        Registration.objects.create(event=event, name="Ana", email="ana@example.org", status="confirmed")
        raise RuntimeError
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).text == first
    assert len(queries) == 0


def test_an_accepted_local_report_shows_on_the_cached_city_page_at_once(client, personas, page_cache, on_commit):
    city = personas["city_a"]
    report = make_report(city, sections=1, status=ReportStatus.SUBMITTED)
    ReportVersion.objects.create(report=report, number=1, content=content.snapshot(report), decision=Decision.PENDING)
    assert "Read the local report" not in cached(client, [city.get_absolute_url()])[0]
    with on_commit():
        report_services.accept(report, by=personas["staff_mfa"])
    assert "Read the local report" in client.get(city.get_absolute_url()).text


def _recommendation():
    cycle = ReviewCycle.objects.create(number=9)
    return Recommendation.objects.create(
        cycle=cycle, document="A/HRC/0/1", paragraph="1.1", text="Do.", recommending_states="X"
    )


PUBLIC_CHANGES = {
    "city_saved": lambda p: City.objects.filter(pk=p["city_a"].pk).get().save(),
    "city_priority_added": lambda p: p["city_a"].priorities.add(Theme.objects.create(slug="water", name="Water")),
    "theme_created": lambda p: Theme.objects.create(slug="health", name="Health"),
    "milestone_created": lambda p: Milestone.objects.create(
        cycle=ReviewCycle.objects.create(number=8), kind="review", title="Review", date=dt.date(2030, 1, 1)
    ),
    "recommendation_imported": lambda p: _recommendation().themes.add(Theme.objects.create(slug="work", name="Work")),
    "event_deleted": lambda p: make_event().delete(),
    "speaker_created": lambda p: Speaker.objects.create(name="Ejim Dike"),
    "testimony_theme_set": lambda p: make_testimony().themes.set([Theme.objects.create(slug="food", name="Food")]),
}


@pytest.mark.parametrize("change", PUBLIC_CHANGES.values(), ids=PUBLIC_CHANGES.keys())
def test_a_change_to_public_data_draws_a_new_generation(personas, on_commit, change):
    generation = public_generation()
    with on_commit():
        change(personas)
    assert public_generation() != generation


PRIVATE_CHANGES = {
    "membership": lambda p: Membership.objects.create(user=p["resident"], city=p["city_b"], role=Role.ORGANIZER),
    "offer_to_help": lambda p: GetInvolvedRequest.objects.create(city=p["city_a"], name="Ana", email="ana@example.org"),
    "moderation_log": lambda p: ModerationLog.objects.create(
        testimony=Story.objects.get(), action="approve", actor=p["organizer_a"]
    ),
}


@pytest.mark.parametrize("change", PRIVATE_CHANGES.values(), ids=PRIVATE_CHANGES.keys())
def test_a_change_no_public_page_reads_keeps_the_generation(personas, on_commit, change):
    make_testimony(city=personas["city_a"])
    generation = public_generation()
    with on_commit():
        change(personas)
    assert public_generation() == generation


@pytest.mark.parametrize("path", ["/", "/testimony/", "/cities/pittsburgh-pa/"])
def test_a_cacheable_request_reads_the_generation_once(client, personas, page_cache, path):
    """Once per request, in the same cache call as the stored page (get_many: one round trip to Redis)."""
    with (
        mock.patch.object(cache, "get", wraps=cache.get) as get,
        mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many,
    ):
        client.get(path)  # rendered and stored
        client.get(path)  # from the cache
    reads = [c.args[0] for c in get.call_args_list] + [k for c in get_many.call_args_list for k in c.args[0]]
    assert reads.count(GENERATION_KEY) == 2
    # The generation, the page, and for a page with a scope of its own (a city's page) that scope's generation.
    scoped = [f"{GENERATION_KEY}:city:pittsburgh-pa"] if path.startswith("/cities/") else []
    assert len(get_many.call_args_list) == 2
    for call in get_many.call_args_list:
        assert call.args[0][0] == GENERATION_KEY and call.args[0][1].startswith("page:") and call.args[0][2:] == scoped


def test_the_public_report_pdf_is_never_kept_by_shared_caches(client, personas):
    city = personas["city_a"]
    report = make_report(city, sections=1, status=ReportStatus.SUBMITTED)
    version = ReportVersion.objects.create(
        report=report, number=1, content=content.snapshot(report), decision=Decision.PENDING
    )
    report_services.accept(report, by=None)
    render = rendering.request_render(version, "public", RenderFormat.PDF)
    render.file.save("report.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    render.status = RenderStatus.DONE
    render.save()
    response = client.get(reverse("reports:public_pdf", args=[city.slug]))
    assert response.status_code == 200
    response.close()
    assert response["Cache-Control"] == "private, no-store"


def test_a_testimony_received_online_stales_only_its_city_page(client, personas, page_cache, on_commit):
    """A testimony waiting for moderation is on no public page: only its city's page counts it. Other cached pages
    stay (before, every submission emptied the whole cache); approving it then reaches every page at once."""
    from tests.testimony.test_submit import GOOD, URL

    others = ["/", "/cities/", "/testimony/", "/cities/boston-ma/"]
    for path in [*others, "/cities/pittsburgh-pa/"]:
        client.get(path)
    generation = public_generation()
    with on_commit():
        assert client.post(URL, GOOD).status_code == 302
    assert public_generation() == generation
    with CaptureQueriesContext(connection) as queries:
        for path in others:
            client.get(path)
    assert len(queries) == 0
    city_page = client.get("/cities/pittsburgh-pa/")  # rendered again (a cached answer has no context)
    assert ("testimony_collected", 1) in [(fact.key, value) for fact, value in city_page.context["progress"]]
    testimony = Story.objects.get()
    with on_commit():
        moderation.save_public_version(
            testimony, by=personas["organizer_a"], public_body="The bus to the clinic stopped."
        )
        moderation.approve(testimony, by=personas["organizer_a"])
    assert public_generation() != generation
    assert "The bus to the clinic stopped." in client.get("/testimony/").text
