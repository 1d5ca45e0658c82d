"""Backups that restore (portal.backup, `manage.py backup` and `manage.py restore`): a populated PostgreSQL
instance with real private and public files comes back row for row and byte for byte in an empty database and empty
folders; an archive that differs from its manifest, or holds a path no backup writes, restores nothing; a database
or folders already in use are refused without --force; old archives are pruned."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import sqlite3
import stat
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from portal.backup import BackupError, Restored, create_backup, libpq_params, prune, restore_backup
from tests.services import need

NOW = dt.datetime(2026, 12, 2, 3, 15, 42, tzinfo=dt.UTC)


def on_postgresql() -> bool:
    return connections["default"].vendor == "postgresql"


def file_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def archive_members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {member.name: tar.extractfile(member).read() for member in tar.getmembers()}


def write_archive(archive: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(archive, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


# --- PostgreSQL: the whole instance ---------------------------------------------------------------------------


def pg_rows(database: dict) -> tuple[dict[str, list[tuple]], dict[str, int]]:
    """Every table's rows in a total order (all columns), and every sequence's position."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(**libpq_params(database), autocommit=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            )
        ]
        rows = {}
        for table in tables:
            cursor = connection.execute(sql.SQL("SELECT * FROM {} LIMIT 0").format(sql.Identifier(table)))
            order = sql.SQL(", ").join(sql.SQL(str(i + 1)) for i in range(len(cursor.description)))
            rows[table] = connection.execute(
                sql.SQL("SELECT * FROM {} ORDER BY {}").format(sql.Identifier(table), order)
            ).fetchall()
        sequences = dict(
            connection.execute(
                "SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences WHERE schemaname = current_schema()"
            ).fetchall()
        )
    return rows, sequences


@pytest.fixture
def consent_wording(transactional_db):
    """The first consent wording, as testimony migration 0002 writes it: the flush after each transactional test
    empties the rows migrations created, and testimony needs one."""
    from importlib import import_module

    from django.apps import apps

    import_module("testimony.migrations.0002_consent_text_and_permissions").add_first_consent_text(apps, None)


@pytest.fixture
def empty_database(transactional_db):
    """A second, empty PostgreSQL database beside the test database, dropped afterwards."""
    need("PostgreSQL", on_postgresql(), "set DATABASE_URL=postgres://... for the backup tests")
    import psycopg
    from psycopg import sql

    source = connections["default"].settings_dict
    target = {**source, "NAME": f"{source['NAME']}_restore"}
    admin = libpq_params({**source, "NAME": "postgres"})
    name = sql.Identifier(target["NAME"])
    with psycopg.connect(**admin, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
    yield target
    with psycopg.connect(**admin, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def populate(personas, tmp_path):
    """Organizers, cities, a testimony with its recording (private), a rendered PDF (private), a speaker's photo
    (public)."""
    from events.models import Speaker
    from reports.enums import RenderFormat, RenderStatus
    from reports.rendering import request_render
    from tests.reports.factories import make_report
    from tests.testimony.factories import make_testimony

    testimony = make_testimony(
        city=personas["city_a"], media_file=ContentFile(b"ID3\x04\x00 a voice, in the person's words", name="memo.mp3")
    )
    report = make_report(personas["city_a"], sections=1, paragraphs_per_section=1, words_per_paragraph=30)
    render = request_render(report, "report", RenderFormat.PDF)  # Celery is eager: rendered after commit
    render.refresh_from_db()
    assert render.status == RenderStatus.DONE
    speaker = Speaker.objects.create(name="Ana Ruiz", photo=ContentFile(b"\x89PNG\r\n\x1a\n a photo", name="ana.png"))
    return testimony, render, speaker


@pytest.mark.slow
def test_backup_restored_into_an_empty_database_gives_back_every_row_and_file(
    personas, consent_wording, empty_database, tmp_path
):
    testimony, render, speaker = populate(personas, tmp_path)
    source = connections["default"].settings_dict
    rows_before, sequences_before = pg_rows(source)
    media_before = file_hashes(Path(settings.MEDIA_ROOT))
    private_before = file_hashes(Path(settings.PRIVATE_MEDIA_ROOT))
    assert sorted(media_before) == [speaker.photo.name]
    assert sorted(private_before) == sorted([testimony.media_file.name, render.file.name])

    archive = create_backup(tmp_path / "backups", now=NOW)

    assert archive == tmp_path / "backups" / "uprcities-backup-2026-12-02T0315Z.tar"
    assert sorted(p.name for p in archive.parent.iterdir()) == [archive.name]  # no partial file, no work folder
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    members = archive_members(archive)
    manifest = json.loads(members["manifest.json"])
    assert manifest["created_at"] == "2026-12-02T03:15:42+00:00"
    assert manifest["database"]["vendor"] == "postgresql"
    assert manifest["database"]["tables"] == {table: len(rows) for table, rows in rows_before.items()}
    assert manifest["database"]["tables"]["testimony_testimony"] == 1
    assert manifest["database"]["tables"]["reports_render"] == 1
    expected = {f"media/{name}": digest for name, digest in media_before.items()}
    expected |= {f"private/{name}": digest for name, digest in private_before.items()}
    assert {name: entry["sha256"] for name, entry in manifest["files"].items() if name != "database.dump"} == expected
    assert sorted(members) == sorted(["database.dump", "manifest.json", *expected])
    assert members["database.dump"].startswith(b"PGDMP")
    assert manifest["files"]["database.dump"]["sha256"] == hashlib.sha256(members["database.dump"]).hexdigest()

    restored = restore_backup(
        archive, database=empty_database, media_root=tmp_path / "new-media", private_root=tmp_path / "new-private"
    )

    assert restored == Restored(
        archive=archive,
        created_at="2026-12-02T03:15:42+00:00",
        tables=len(rows_before),
        rows=sum(len(rows) for rows in rows_before.values()),
        files=3,
    )
    rows_after, sequences_after = pg_rows(empty_database)
    assert sorted(rows_after) == sorted(rows_before)
    for table, rows in rows_before.items():
        assert rows_after[table] == rows, table
    # The next id handed out after a restore is the one the old database would have handed out.
    assert sequences_after == sequences_before
    assert file_hashes(tmp_path / "new-media") == media_before
    assert file_hashes(tmp_path / "new-private") == private_before

    # Restored again over itself: refused as it is, then replaced with --force, to the same rows and files.
    roots = {"media_root": tmp_path / "new-media", "private_root": tmp_path / "new-private"}
    with pytest.raises(BackupError):
        restore_backup(archive, database=empty_database, **roots)
    restore_backup(archive, database=empty_database, force=True, **roots)
    assert pg_rows(empty_database) == (rows_before, sequences_before)
    assert file_hashes(tmp_path / "new-private") == private_before


def test_restore_refuses_a_database_that_has_tables(consent_wording, tmp_path, settings):
    need("PostgreSQL", on_postgresql(), "set DATABASE_URL=postgres://... for the backup tests")
    from tests.testimony.factories import make_testimony

    make_testimony(body="Still here after the refused restore.")
    archive = create_backup(tmp_path / "backups", now=NOW)
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "empty-private"

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive))

    database = connections["default"].settings_dict["NAME"]
    tables = len(json.loads(archive_members(archive)["manifest.json"])["database"]["tables"])
    assert str(refused.value) == (
        f"The database {database} is not empty ({tables} tables). Restore into a new, empty database, or pass "
        "--force to replace what is there."
    )
    from testimony.models import Testimony

    assert list(Testimony.objects.values_list("body", flat=True)) == ["Still here after the refused restore."]
    assert not (tmp_path / "empty-media").exists()
    assert not (tmp_path / "empty-private").exists()


def test_backup_command_writes_to_backup_dir_and_keeps_the_newest(transactional_db, tmp_path, settings):
    need("PostgreSQL", on_postgresql(), "set DATABASE_URL=postgres://... for the backup tests")
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_DIR.mkdir()
    old = ["uprcities-backup-2025-01-01T0315Z.tar", "uprcities-backup-2025-01-02T0315Z.tar"]
    for name in [*old, "notes.txt"]:
        (settings.BACKUP_DIR / name).write_bytes(b"")
    out = io.StringIO()

    call_command("backup", "--keep", "2", stdout=out)

    written = sorted(p.name for p in settings.BACKUP_DIR.iterdir())
    assert len(written) == 3
    assert written[:2] == ["notes.txt", "uprcities-backup-2025-01-02T0315Z.tar"]
    new = settings.BACKUP_DIR / written[2]
    assert new.name.startswith(f"uprcities-backup-{dt.datetime.now(dt.UTC):%Y-%m-%d}T")
    assert out.getvalue() == f"Wrote {new} ({new.stat().st_size} bytes)\n"


def test_backup_command_refuses_keep_zero(tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("backup", "--to", str(tmp_path), "--keep", "0")

    assert str(refused.value) == "Error: argument --keep: invalid positive value: '0'"
    assert list(tmp_path.iterdir()) == []


# --- SQLite (the embedded default), and archives that must not be restored ------------------------------------


def sqlite_database(path: Path, rows: list[tuple[int, str]] | None = None) -> dict:
    if rows is not None:
        connection = sqlite3.connect(path)
        connection.execute('CREATE TABLE "city" (id INTEGER PRIMARY KEY, name TEXT NOT NULL)')
        connection.execute('CREATE TABLE "empty one" (id INTEGER PRIMARY KEY)')
        connection.executemany("INSERT INTO city VALUES (?, ?)", rows)
        connection.commit()
        connection.close()
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def sqlite_rows(path: Path) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT * FROM city ORDER BY id").fetchall()
    finally:
        connection.close()


@pytest.fixture
def sqlite_backup(tmp_path):
    """An archive of a small SQLite database, a public and a private file."""
    database = sqlite_database(tmp_path / "source.sqlite3", [(1, "Pittsburgh"), (2, "Boston")])
    (tmp_path / "media" / "speakers").mkdir(parents=True)
    (tmp_path / "media" / "speakers" / "ana.png").write_bytes(b"\x89PNG a photo")
    (tmp_path / "private" / "testimony").mkdir(parents=True)
    (tmp_path / "private" / "testimony" / "memo.mp3").write_bytes(b"ID3 the person's words")
    archive = create_backup(
        tmp_path / "backups",
        now=NOW,
        database=database,
        media_root=tmp_path / "media",
        private_root=tmp_path / "private",
    )
    return archive


def restore_to(tmp_path, archive, **options):
    return restore_backup(
        archive,
        database=sqlite_database(tmp_path / "restored.sqlite3"),
        media_root=tmp_path / "restored-media",
        private_root=tmp_path / "restored-private",
        **options,
    )


def test_sqlite_backup_restores_rows_and_files(tmp_path, sqlite_backup):
    manifest = json.loads(archive_members(sqlite_backup)["manifest.json"])
    assert manifest["database"] == {
        "vendor": "sqlite",
        "file": "database.sqlite3",
        "tables": {"city": 2, "empty one": 0},
    }
    assert sorted(manifest["files"]) == ["database.sqlite3", "media/speakers/ana.png", "private/testimony/memo.mp3"]

    restored = restore_to(tmp_path, sqlite_backup)

    assert restored == Restored(
        archive=sqlite_backup, created_at="2026-12-02T03:15:42+00:00", tables=2, rows=2, files=2
    )
    assert sqlite_rows(tmp_path / "restored.sqlite3") == [(1, "Pittsburgh"), (2, "Boston")]
    assert file_hashes(tmp_path / "restored-media") == file_hashes(tmp_path / "media")
    assert file_hashes(tmp_path / "restored-private") == file_hashes(tmp_path / "private")


def test_restore_refuses_an_archive_whose_file_differs_from_its_manifest(tmp_path, sqlite_backup):
    members = archive_members(sqlite_backup)
    members["private/testimony/memo.mp3"] = b"ID3 words someone else put there"
    write_archive(sqlite_backup, members)

    with pytest.raises(BackupError) as refused:
        restore_to(tmp_path, sqlite_backup)

    assert str(refused.value) == (
        "The archive does not match its manifest; not the bytes the manifest names: private/testimony/memo.mp3."
    )
    assert not (tmp_path / "restored.sqlite3").exists()
    assert not (tmp_path / "restored-media").exists()
    assert not (tmp_path / "restored-private").exists()


def test_restore_refuses_an_archive_missing_a_file_of_its_manifest(tmp_path, sqlite_backup):
    members = archive_members(sqlite_backup)
    del members["media/speakers/ana.png"]
    write_archive(sqlite_backup, members)

    with pytest.raises(BackupError) as refused:
        restore_to(tmp_path, sqlite_backup)

    assert str(refused.value) == (
        "The archive does not match its manifest; missing in the archive: media/speakers/ana.png."
    )
    assert not (tmp_path / "restored.sqlite3").exists()


@pytest.mark.parametrize(
    "manifest", [b"not json", b"[]", b'{"format": 2}', b'{"format": 1, "files": {}, "database": {"file": "x"}}']
)
def test_restore_refuses_an_archive_without_a_readable_manifest(tmp_path, sqlite_backup, manifest):
    members = archive_members(sqlite_backup)
    members["manifest.json"] = manifest
    write_archive(sqlite_backup, members)

    with pytest.raises(BackupError) as refused:
        restore_to(tmp_path, sqlite_backup)

    assert str(refused.value) == f"{sqlite_backup} has no manifest this version of the portal reads."
    assert not (tmp_path / "restored.sqlite3").exists()


@pytest.mark.parametrize("name", ["../outside.txt", "/etc/outside.txt", "settings.py", "private/../../outside.txt"])
def test_restore_refuses_a_path_no_backup_writes(tmp_path, sqlite_backup, name):
    members = archive_members(sqlite_backup)
    members[name] = b"not ours"
    write_archive(sqlite_backup, members)

    with pytest.raises(BackupError) as refused:
        restore_to(tmp_path, sqlite_backup)

    assert str(refused.value) == f"The archive holds {name!r}, which no backup writes; it is not restored."
    assert not (tmp_path / "outside.txt").exists()
    assert not (tmp_path / "restored-private").exists()


def test_restore_refuses_folders_that_hold_files_unless_forced(tmp_path, sqlite_backup):
    (tmp_path / "restored-private" / "renders").mkdir(parents=True)
    (tmp_path / "restored-private" / "renders" / "newer.pdf").write_bytes(b"%PDF a newer render")

    with pytest.raises(BackupError) as refused:
        restore_to(tmp_path, sqlite_backup)

    assert str(refused.value) == (
        f"{tmp_path / 'restored-private'} (private) already holds files. Restore into empty folders, or pass "
        "--force to replace them."
    )
    assert not (tmp_path / "restored.sqlite3").exists()

    restore_to(tmp_path, sqlite_backup, force=True)

    assert file_hashes(tmp_path / "restored-private") == file_hashes(tmp_path / "private")


def test_restore_refuses_a_database_with_tables_unless_forced(tmp_path, sqlite_backup):
    sqlite_database(tmp_path / "restored.sqlite3", [(7, "Eugene")])

    with pytest.raises(BackupError) as refused:
        restore_to(tmp_path, sqlite_backup)

    assert str(refused.value) == (
        f"The database {tmp_path / 'restored.sqlite3'} is not empty (2 tables). Restore into a new, empty database, "
        "or pass --force to replace what is there."
    )
    assert sqlite_rows(tmp_path / "restored.sqlite3") == [(7, "Eugene")]

    restore_to(tmp_path, sqlite_backup, force=True)

    assert sqlite_rows(tmp_path / "restored.sqlite3") == [(1, "Pittsburgh"), (2, "Boston")]


def test_backup_refuses_a_second_archive_in_the_same_minute(tmp_path, sqlite_backup):
    with pytest.raises(BackupError) as refused:
        create_backup(
            sqlite_backup.parent,
            now=NOW + dt.timedelta(seconds=10),
            database=sqlite_database(tmp_path / "source.sqlite3"),
            media_root=tmp_path / "media",
            private_root=tmp_path / "private",
        )

    assert str(refused.value) == (
        f"uprcities-backup-2026-12-02T0315Z.tar already exists in {sqlite_backup.parent}; wait a minute or remove it."
    )


def test_prune_keeps_the_newest_archives_and_nothing_else_is_touched(tmp_path):
    names = [
        "uprcities-backup-2026-11-30T0315Z.tar",
        "uprcities-backup-2026-12-01T0315Z.tar",
        "uprcities-backup-2026-12-02T0315Z.tar",
        "uprcities-backup-2026-12-02T0316Z.tar.partial",
        "uprcities-backup-2020-01-01T0000Z.tar.gpg",
        "database.dump",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"")

    deleted = prune(tmp_path, 2)

    assert deleted == [tmp_path / "uprcities-backup-2026-11-30T0315Z.tar"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[1:])
