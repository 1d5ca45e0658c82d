"""Every page of the portal a checker should look at, over one realistic world.

`build_world()` loads the demo data (`make run`'s) and adds what an organizer's and the national team's pages show
when they are in use: testimony in every state (one with a wider consent waiting), a local report returned with
comments (its versions table), a second city's submitted report, a lobby day with a delegate, registrations, and
a joint national report with its sign-off links. The page lists below are what the Nu HTML checker
(tests/portal/test_html_validity.py) and axe-core (tests/browser/test_accessibility.py) both walk: a page added to
the portal is added here once.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module

CITY = "pittsburgh-pa"
SUBMITTED_CITY = "seattle-wa"

# Public pages that need no object of the world.
PUBLIC_PAGES = [
    "/",
    "/about-the-upr/",
    "/recommendations/",
    "/recommendations/?cycle=2",
    "/recommendations/3/26.93/",
    "/cities/",
    "/cities/?state=PA",
    f"/cities/{CITY}/",
    "/cities/join/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/events/",
    "/webinars/",
    "/webinars/local-and-global-strategies-for-advancing-the-human-right-to-housing/",
    "/events/demo-preparing-local-reports-for-the-fourth-review/",
    "/events/demo-preparing-local-reports-for-the-fourth-review/register/",
    "/events/demo-preparing-local-reports-for-the-fourth-review/register/check-your-email/",
    "/testimony/",
    f"/testimony/?city={CITY}",
    "/testimony/new/",
    f"/cities/{CITY}/testimony/new/",
    f"/cities/{CITY}/testimony/thanks/",
    f"/cities/{SUBMITTED_CITY}/report/",
    "/scorecard/",
    "/scorecard/?theme=housing&status=regressed",
    f"/cities/{CITY}/scorecard/",
    f"/cities/{CITY}/scorecard/?level=city",
    f"/scorecard/follow/?city={CITY}",
    "/scorecard/follow/check-your-email/",
    f"/cities/{CITY}/profile/",
    "/cities/eugene-or/profile/",
    f"/cities/compare/?cities={CITY},newark-nj,eugene-or",
    "/resources/",
    "/resources/?kind=un_document&language=es",
    "/resources/a-hrc-30-12/",
    "/search/",
    "/search/?q=vivienda",
    "/search/?q=housing&kind=recommendation&theme=housing",
    '/search/?q="death+penalty"+-Cuba&page=2',
    "/search/?q=woman",
    "/open-data/",
    "/api/v1/docs/",
]


@dataclass
class World:
    coordinator: object
    staff: object
    received: object
    approved: object
    widening: object
    report: object
    submitted_report: object
    pending_report: object
    hosted_event: object
    lobby_day: object
    registration: object
    national_report: object
    submitter: object
    offer: object
    invitation: object
    tracked_item: object = None
    reply: object = None

    def public_pages(self) -> list[str]:
        from django.conf import settings
        from django.urls import reverse

        from cities import services as cities
        from events import services as events
        from portal import optout
        from tracking import services as tracking

        stop_kind = next(iter(optout.optional_emails)).kind
        return [
            *PUBLIC_PAGES,
            "/cities/join/thanks/",
            cities.offer_url(self.offer).removeprefix(settings.SITE_URL),
            cities.invitation_url(self.invitation).removeprefix(settings.SITE_URL),
            reverse("email_stop", kwargs={"token": optout.make_token("kim@example.org", stop_kind)}),
            f"/testimony/{self.approved.pk}/",
            f"/testimony/mine/{self.approved.private_token}/",
            f"/testimony/mine/{self.approved.private_token}/withdraw/",
            f"/events/{self.hosted_event.slug}/",
            events.registration_url(self.registration),
            events.cancel_url(self.registration),
            f"/sign-off/{self.submitter.token}/",
            tracking.reply_url(self.reply).removeprefix(settings.SITE_URL),
        ]

    def organizer_pages(self) -> list[str]:
        """The pages of a coordinator of Pittsburgh (who also organizes Seattle, whose report is submitted)."""
        return [
            "/organize/",
            f"/organize/{CITY}/team/",
            f"/organize/{CITY}/requests/",
            f"/organize/{CITY}/testimony/",
            f"/organize/{CITY}/testimony/?status=received",
            f"/organize/{CITY}/testimony/enter/",
            f"/organize/{CITY}/testimony/import/",
            f"/organize/{CITY}/testimony/{self.received.pk}/",
            f"/organize/{CITY}/testimony/{self.approved.pk}/",
            f"/organize/{CITY}/testimony/{self.widening.pk}/",
            f"/organize/{CITY}/events/",
            f"/organize/{CITY}/events/new/",
            f"/organize/{CITY}/events/{self.hosted_event.pk}/edit/",
            f"/organize/{CITY}/events/{self.hosted_event.pk}/registrations/",
            f"/organize/{CITY}/events/{self.lobby_day.pk}/delegates/",
            f"/organize/{CITY}/report/",
            f"/organize/{CITY}/report/preview/",
            f"/organize/{SUBMITTED_CITY}/report/",
            f"/organize/{SUBMITTED_CITY}/report/preview/",
            f"/organize/{CITY}/tracking/",
            f"/organize/{CITY}/tracking/choose/",
            f"/organize/{CITY}/tracking/choose/?theme=housing",
            f"/organize/{CITY}/tracking/offices/",
            f"/organize/{CITY}/tracking/import/",
            f"/organize/{CITY}/tracking/brief/",
            f"/organize/{CITY}/tracking/items/{self.tracked_item.pk}/",
            f"/organize/{SUBMITTED_CITY}/tracking/local/",
            f"/organize/{CITY}/profile/",
            f"/organize/{CITY}/profile/figure/",
            f"/organize/{CITY}/profile/fact/",
            f"/organize/{CITY}/profile/eviction-filings/history/",
            "/resources/suggest/",
        ]

    def staff_pages(self) -> list[str]:
        """The national team's pages outside the admin."""
        return ["/organize/national/", "/organize/national/?sort=testimony"]

    def admin_pages(self) -> list[str]:
        """The admin pages the portal customised: its index, the local report's review page (returned, accepted, and
        waiting for a decision with its diff between versions), the national report's
        change page and its sign-off page."""
        return [
            "/admin/",
            f"/admin/reports/localreport/{self.report.pk}/change/",
            f"/admin/reports/localreport/{self.submitted_report.pk}/change/",
            f"/admin/reports/localreport/{self.pending_report.pk}/change/",
            f"/admin/reports/localreport/{self.pending_report.pk}/diff/?a=1&b=2",
            f"/admin/national/nationalreport/{self.national_report.pk}/change/",
        ]


def build_world(user_factory) -> World:
    """The demo data and a city in use (see the module's docstring). Needs a database (`db` or `transactional_db`)."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.roles import NATIONAL_TEAM
    from cities.enums import HelpOption, Role
    from cities.models import City, GetInvolvedRequest, Invitation, Membership
    from events import services as events
    from events.enums import EventKind
    from events.models import Delegate, Event
    from indicators.models import Indicator
    from indicators.services import record_value
    from national.enums import SubmissionType
    from national.models import JointSubmitter, NationalReport
    from reports import services as local_reports
    from reports.demo import cite_resources
    from reports.models import Quote, ReportRecommendation
    from testimony import services as testimony
    from testimony.enums import Identification, Status
    from testimony.models import ConsentText, ContactDetails
    from tests.conftest import with_totp
    from tests.events import make_event
    from tests.reports.factories import make_report
    from tests.testimony.factories import make_testimony
    from upr.models import Recommendation, ReviewCycle, Theme

    # A transactional test's flush empties what the migrations wrote: the first consent wording comes back first.
    if not ConsentText.objects.exists():
        import_module("testimony.migrations.0002_consent_text_and_permissions").add_first_consent_text(apps, None)
    call_command("load_demo", stdout=io.StringIO())

    city = City.objects.get(slug=CITY)
    other = City.objects.get(slug=SUBMITTED_CITY)
    housing = Theme.objects.get(slug="housing")
    coordinator = user_factory("coordinator@example.org", full_name="Alex Coordinator")
    teammate = user_factory("teammate@example.org", full_name="Robin Teammate")
    Membership.objects.create(user=coordinator, city=city, role=Role.COORDINATOR)
    Membership.objects.create(user=coordinator, city=other, role=Role.COORDINATOR)
    Membership.objects.create(user=teammate, city=city, role=Role.ORGANIZER)
    invitation = Invitation.objects.create(
        city=city,
        email="invited@example.org",
        role=Role.ORGANIZER,
        invited_by=coordinator,
        expires_at=timezone.now() + dt.timedelta(days=14),
    )
    offer = GetInvolvedRequest.objects.create(
        city=city, name="Sam Lee", email="sam@example.org", help_with=[HelpOption.TESTIMONY], message="Weekends."
    )

    received = make_testimony(
        city=city,
        title="Heating off since November",
        body="Our landlord on Penn Avenue ignored the broken heating all winter. Call me at 412-555-0100.",
        status=Status.RECEIVED,
        place_text="Penn Avenue, Pittsburgh",
        themes=[housing],
    )
    ContactDetails.objects.create(
        testimony=received,
        name="Maria Lopez",
        email="maria@example.org",
        phone="412-555-0100",
        retain_until=timezone.localdate() + dt.timedelta(days=365),
    )
    approved = make_testimony(
        city=city,
        body="The shelter turned families away every night in January.",
        identification=Identification.FIRST_NAME,
        display_name="Rosa",
        allows_local_report=True,
        allows_national_report=True,
        themes=[housing],
    )
    widening = make_testimony(city=city, body="The clinic closed on weekends.", themes=[housing])
    testimony.change_consent(widening, allows_local_report=True)

    # Local eviction figures over three years: the profile's line, reading and source.
    eviction = Indicator.objects.get(slug="eviction-filings")
    for year, value in [(2021, "7.4"), (2022, "6.8"), (2023, "6.1")]:
        record_value(eviction, city, year=year, value=Decimal(value), source_url="https://evictionlab.org/")

    report = make_report(city, sections=2, recommendations=1, quotes=[approved])
    ReportRecommendation.objects.filter(report=report).first().official.set(
        [Recommendation.objects.get(cycle__number=3, paragraph="26.112")]
    )
    cite_resources(report, [("a-hrc-46-15", "paragraph 26"), ("notes-on-compiling-your-upr-reports", "")])
    local_reports.submit(report, by=coordinator)
    local_reports.return_with_comments(report, by=coordinator, comment="Say by when the right to counsel is funded.")
    # Seattle's published report cites real resources: its page lists them, and the resource's page says so.
    submitted_report = make_report(other, sections=1, recommendations=1, seed=2)
    cite_resources(submitted_report, [("a-hrc-30-12", "paragraph 176"), ("a-hrc-46-15", "")])
    local_reports.submit(submitted_report, by=coordinator)
    local_reports.accept(submitted_report, by=coordinator)
    # Atlanta's second version waits for the national team's decision (the review page's form, and a diff).
    pending_report = make_report(City.objects.get(slug="atlanta-ga"), sections=1, recommendations=1, seed=3)
    local_reports.submit(pending_report, by=coordinator)
    local_reports.return_with_comments(pending_report, by=coordinator, comment="Add the figures.")
    pending_report.refresh_from_db()
    pending_report.executive_summary += "\n\nThe council funded two inspectors in 2025."
    pending_report.save(update_fields=["executive_summary"])
    local_reports.submit(pending_report, by=coordinator)
    assert Quote.objects.filter(report=report).exists()

    hosted_event = Event.objects.get(slug="demo-pittsburgh-community-conversation-on-housing")
    registration = events.confirm(
        events.register(hosted_event, name="Kim Park", email="kim@example.org", access_needs=["step_free"])
    )
    events.register(hosted_event, name="Sam Lee", email="sam@example.org", organisation="Tenants United")
    lobby_day = make_event(kind=EventKind.LOBBY_DAY, title="Lobby day in Harrisburg", host_city=city)
    Delegate.objects.create(
        event=lobby_day, city=city, name="Jo Rivera", email="jo@example.org", needs_travel_support=True
    )

    national_report = NationalReport.objects.create(
        cycle=ReviewCycle.objects.current(),
        title="Human rights in US cities",
        submitter="US Human Rights Cities Alliance",
        acronym="USHRCA",
        description="A network of local coalitions.",
        contact_email="national@example.org",
        submission_type=SubmissionType.JOINT,
        period_start=dt.date(2020, 11, 9),
        period_end=dt.date(2025, 4, 1),
    )
    submitter = JointSubmitter.objects.create(
        report=national_report,
        name="Pittsburgh Human Rights Coalition",
        acronym="PHRC",
        contact_email="phrc@example.org",
    )
    JointSubmitter.objects.create(
        report=national_report, name="Boston Human Rights Alliance", acronym="BHRA", position=1
    )

    tracked_item, reply = _tracking_in_use(city, coordinator, housing)

    staff = with_totp(user_factory("national@example.org", staff=True, full_name="Nat Team"))
    staff.is_superuser = True
    staff.save()
    # The national team group as the migrations made it (a flush empties it).
    team, _created = Group.objects.get_or_create(name=NATIONAL_TEAM)
    team.permissions.add(*Permission.objects.filter(content_type__app_label__in=["reports", "national"]))
    staff.groups.add(team)
    return World(
        coordinator=coordinator,
        staff=staff,
        received=received,
        approved=approved,
        widening=widening,
        report=report,
        submitted_report=submitted_report,
        pending_report=pending_report,
        hosted_event=hosted_event,
        lobby_day=lobby_day,
        registration=registration,
        national_report=national_report,
        submitter=submitter,
        offer=offer,
        invitation=invitation,
        tracked_item=tracked_item,
        reply=reply,
    )


def _tracking_in_use(city, coordinator, housing):
    """Pittsburgh tracks two official recommendations: one assessed twice (a correction) with every kind of evidence
    and an answer waiting for the organizers, the other asked to reply (the office's private page)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from testimony.enums import Identification
    from tests.testimony.factories import make_testimony
    from tracking import services as tracking
    from tracking.enums import EvidenceKind, Level
    from tracking.models import Office
    from upr.models import Recommendation

    office = tracking.save_office(
        Office(
            city=city,
            name="Housing Authority of the City of Pittsburgh",
            level=Level.CITY,
            contact_email="ha@example.org",
        ),
        by=coordinator,
    )
    # Two the demo data does not track yet.
    recs = Recommendation.objects.filter(themes__slug="health", cycle__number=3).exclude(tracked_items__city=city)
    recs = recs.order_by("sort_key")[:2]
    first, second = tracking.track_recommendations(city, recs, by=coordinator, level=Level.CITY)
    for item in (first, second):
        tracking.change_item(item, level=Level.CITY, office=office, by=coordinator)
    voice = make_testimony(
        city=city,
        body="We waited two years for a voucher and were evicted first.",
        identification=Identification.PSEUDONYM,
        display_name="Lena",
        allows_advocacy=True,
        themes=[housing],
    )
    today = timezone.localdate()
    earlier = tracking.record_update(
        first, status="implemented", what_changed="Right to counsel passed.", observed_on=today, by=coordinator
    )
    update = tracking.record_update(
        first,
        status="partly_implemented",
        what_changed="Right to counsel passed, but funded for one year only.",
        observed_on=today,
        by=coordinator,
        corrects=earlier,
        evidence=[
            tracking.EvidenceInput(EvidenceKind.LINK, title="Council bill 2020-1234", url="https://example.org/bill"),
            tracking.EvidenceInput(
                EvidenceKind.DOCUMENT,
                title="Budget page",
                document=ContentFile(b"%PDF-1.4", name="b.pdf"),
                is_public=True,
            ),
            tracking.EvidenceInput(EvidenceKind.TESTIMONY, testimony=voice, excerpt="were evicted first"),
        ],
    )
    answered = tracking.request_reply(update, by=coordinator, days=14)
    tracking.answer_reply(answered, answer="Funding for a second year is in the draft budget.", name="A. Director")
    waiting_update = tracking.record_update(
        second, status="regressed", what_changed="The shelter closed.", observed_on=today, by=coordinator
    )
    return first, tracking.request_reply(waiting_update, by=coordinator, days=14)
