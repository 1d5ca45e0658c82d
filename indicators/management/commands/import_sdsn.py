"""Load (or reload) the SDSN 2019 US Cities figures for every portal city, or for the cities named."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cities.models import City
from indicators.importer import import_sdsn


class Command(BaseCommand):
    help = "Import the SDSN 2019 US Cities indicators and each matched city's metro-area figures (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("cities", nargs="*", help="City slugs (default: every city)")

    def handle(self, *args, **options):
        cities = None
        if options["cities"]:
            cities = list(City.objects.filter(slug__in=options["cities"]))
            missing = set(options["cities"]) - {city.slug for city in cities}
            if missing:
                raise CommandError("No such city: " + ", ".join(sorted(missing)))
        self.stdout.write(import_sdsn(cities).summary())
