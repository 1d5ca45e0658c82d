"""Load the real review data, the real human rights cities and webinars, and (in demo mode) demo logins.

Idempotent: running it twice leaves the same rows.
"""

from __future__ import annotations

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.enrolment import issue_enrolment_link, needs_second_proof
from accounts.roles import NATIONAL_TEAM
from cities.enums import Role
from cities.loaders import load_cities, load_seed_page_details
from cities.models import City, Membership
from events.demo import load_upcoming_demo_events, load_webinars
from indicators.importer import import_sdsn
from indicators.loaders import load_portal_indicators
from reports.demo import load_demo_report
from resources.demo import load_resources
from search.services import rebuild as rebuild_search_index
from tracking.demo import load_demo_tracking
from upr.enums import DEFAULT_REMINDER_OFFSETS, Audience, MilestoneKind
from upr.loaders import US, load_review_data
from upr.models import Milestone, ReviewCycle

DEMO_ORGANIZER = "organizer@demo.uprcities.localhost"
DEMO_NATIONAL = "national@demo.uprcities.localhost"
DEMO_CITY_SLUG = "pittsburgh-pa"


class Command(BaseCommand):
    help = "Load demo content (real UN data, cities and webinars) and, with DEMO_MODE=1, demo logins."

    @transaction.atomic
    def handle(self, *args, **options):
        counts = load_review_data()
        counts["cities"] = load_cities()
        load_seed_page_details()
        counts["network indicators"] = load_portal_indicators()
        counts["SDSN metro-area figures"] = import_sdsn().created
        counts["webinars"] = load_webinars()
        counts["upcoming demo events"] = load_upcoming_demo_events()
        counts["resources"] = load_resources()
        counts["planning milestones"] = self._planning_milestones()
        counts["demo tracked recommendations"] = load_demo_tracking()
        counts["search documents"] = sum(rebuild_search_index().values())
        self.stdout.write("Loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        # Said plainly: a link pointing at another port than the one served is the first thing that breaks.
        self.stdout.write(f"Links in emails and calendar (.ics) files point at SITE_URL: {settings.SITE_URL}")
        if not settings.DEMO_MODE:
            self.stdout.write("DEMO_MODE is off: no demo logins were created.")
            return
        organizer_pw = self._demo_user(DEMO_ORGANIZER, "Demo Organizer", staff=False)
        national_pw = self._demo_user(DEMO_NATIONAL, "Demo National Team", staff=True)
        city = City.objects.get(slug=DEMO_CITY_SLUG)
        Membership.objects.update_or_create(
            user=get_user_model().objects.get(email=DEMO_ORGANIZER),
            city=city,
            defaults={"role": Role.COORDINATOR, "approved_at": timezone.now()},
        )
        # The demo organizer finds a draft local report (its text marked as demo) citing real resources.
        report = load_demo_report(city)
        self.stdout.write(self.style.SUCCESS("\nDemo logins (demo mode only; new passwords on every run):"))
        self.stdout.write(f"  organizer of {city}: {DEMO_ORGANIZER} / {organizer_pw}")
        self.stdout.write(f"  national team:      {DEMO_NATIONAL} / {national_pw}")
        if report is not None:
            cited = report.citations.count()
            self.stdout.write(f"  {city}'s draft local report cites {cited} resources of the library.")
        national = get_user_model().objects.get(email=DEMO_NATIONAL)
        if needs_second_proof(national):
            # Staff need a second proof besides the password to set up two-factor (accounts.enrolment).
            self.stdout.write(
                "  The national team account sets up two-factor authentication on its first visit to /admin/:\n"
                "  log in as it, then open this single-use enrolment link in the same browser:\n"
                f"  {issue_enrolment_link(national)}"
            )

    def _planning_milestones(self) -> int:
        """The 2026 review has no confirmed UN date; the demo shows the network's own planning deadlines."""
        cycle = ReviewCycle.objects.get(country=US, number=4)
        planned = [
            (
                MilestoneKind.LOCAL_INPUT_DUE,
                "2027-02-15",
                "Local reports due to the national team (demo planning date)",
                "Entrega de los informes locales al equipo nacional (fecha de planificación de demostración)",
                Audience.EVERYONE,
            ),
            (
                MilestoneKind.NATIONAL_REPORT_DUE,
                "2027-03-31",
                "National stakeholder report ready for submission (demo planning date)",
                "Informe nacional de las partes interesadas listo para su presentación (fecha de planificación de "
                "demostración)",
                Audience.NATIONAL_TEAM,
            ),
        ]
        for kind, date, title, title_es, audience in planned:
            Milestone.objects.update_or_create(
                cycle=cycle,
                kind=kind,
                date=date,
                defaults={
                    "title": title,
                    "title_es": title_es,
                    "audience": audience,
                    "source": "demo data",
                    "reminder_offsets": list(DEFAULT_REMINDER_OFFSETS),
                },
            )
        return len(planned)

    def _demo_user(self, email: str, name: str, *, staff: bool) -> str:
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.update_or_create(
            email=email, defaults={"full_name": name, "is_staff": staff}
        )
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if staff:
            user.groups.add(Group.objects.get(name=NATIONAL_TEAM))
        return password
