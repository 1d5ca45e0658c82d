from django.core.management.base import BaseCommand

from upr.clusters import compute_clusters


class Command(BaseCommand):
    help = (
        "Group similar recommendations again (the same ask from many states and reviews), keeping the clusters "
        "and labels the national team set in the admin."
    )

    def handle(self, *args, **options):
        result = compute_clusters()
        self.stdout.write(
            f"{result.clusters} clusters hold {result.clustered} recommendations "
            f"({result.created} new, {result.removed} removed)"
        )
