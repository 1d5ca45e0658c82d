"""Write one dated archive of the database and the public and private media (see portal.backup)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, create_backup


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Back up the database (a single snapshot) and MEDIA_ROOT and PRIVATE_MEDIA_ROOT into one dated archive "
        "with a manifest of hashes and row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, help="the folder for the archive (default: the BACKUP_DIR setting)")
        parser.add_argument(
            "--keep", type=positive, metavar="N", help="then delete all but the newest N archives in that folder"
        )

    def handle(self, *args, to: Path | None = None, keep: int | None = None, **options):
        folder = to or Path(settings.BACKUP_DIR)
        try:
            archive = create_backup(folder, keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Wrote {archive} ({archive.stat().st_size} bytes)")
