"""Bring the database and the media folders back from an archive written by `manage.py backup`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore DATABASE_URL, MEDIA_ROOT and PRIVATE_MEDIA_ROOT from a backup archive, checking it against its "
        "manifest before and after. Refuses a database with tables or folders with files unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="replace an existing database's contents and the folders' files"
        )

    def handle(self, *args, archive: Path, force: bool = False, **options):
        # pg_restore and SQLite's backup API work on their own connections; ours must not hold the old database.
        connections.close_all()
        try:
            restored = restore_backup(archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {restored.archive.name} (made {restored.created_at}): {restored.tables} tables, "
            f"{restored.rows} rows, {restored.files} files, all matching the manifest"
        )
