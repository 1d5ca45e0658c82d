from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from upr.importer import ImportRefused
from upr.uhri import import_recommendation_file


class Command(BaseCommand):
    help = (
        "Import official UPR recommendations from the portal's CSV or the UN Universal Human Rights Index export "
        "(.xlsx or CSV); all or nothing per file, re-import is a no-op."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, files: list[Path], **options):
        for path in files:
            try:
                result, skipped = import_recommendation_file(path.read_bytes())
            except OSError as exc:
                raise CommandError(f"{path}: cannot be read: {exc}") from exc
            except ImportRefused as exc:
                raise CommandError(f"{path} was refused, nothing was imported:\n  " + "\n  ".join(exc.errors)) from exc
            self.stdout.write(
                f"{path.name}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged"
            )
            if skipped.other_mechanisms or skipped.other_countries:
                self.stdout.write(
                    f"  skipped: {skipped.other_mechanisms} of other mechanisms, "
                    f"{skipped.other_countries} of other countries"
                )
            if result.unmapped_labels:
                labels = ", ".join(sorted(result.unmapped_labels))
                self.stdout.write(f"  labels with no portal theme: {labels}")
