"""Print (and with --send, email) a two-factor enrolment link for a staff account.

The first national-team account (made with `createsuperuser`) has no colleague to create a code for it; whoever
runs this command on the server already holds more than a password, so the link it prints is a fair second proof.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import enrolment


class Command(BaseCommand):
    help = "Print a single-use link with which a staff account sets up its first two-factor authenticator."

    def add_arguments(self, parser):
        parser.add_argument("email", help="the staff account's email address")
        parser.add_argument("--send", action="store_true", help="email the link to that address instead of printing it")

    def handle(self, *args, email: str, send: bool, **options):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account with the address {email}.")
        if not enrolment.needs_second_proof(user):
            raise CommandError(f"{user.email} is not a staff account without two-factor authentication.")
        if send:
            enrolment.send_enrolment_link(user)
            self.stdout.write(f"Emailed an enrolment link to {user.email}.")
            return
        url = enrolment.issue_enrolment_link(user)
        self.stdout.write(
            f"Log in as {user.email}, then open this link in the same browser (once, within "
            f"{settings.STAFF_ENROLMENT_HOURS} hours):\n{url}"
        )
