from django.core.management.base import BaseCommand

from search.services import rebuild


class Command(BaseCommand):
    help = "Rebuild the full-text search index from every app's public selectors."

    def handle(self, *args, **options):
        counts = rebuild()
        self.stdout.write("Search index: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
