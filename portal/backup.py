"""Backups that restore: one dated tar of the database and both media folders, and a manifest to check it by.

An archive (``uprcities-backup-2026-12-02T0315Z.tar``) holds

    database.dump       ``pg_dump --format=custom`` (PostgreSQL), or database.sqlite3 (the embedded SQLite)
    media/...           MEDIA_ROOT: public uploads (speakers' photos, slides)
    private/...         PRIVATE_MEDIA_ROOT: testimony media, renders, the files sent to the UN
    manifest.json       every other member's sha256 and size, and each table's row count in the dumped snapshot

The archive holds testimony under consent and people's contact details, so it is written readable by its owner
only, and a restore checks every byte against the manifest before it changes anything and again afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
# The archive folder of each storage root; restore writes each back to the root the settings name today.
ROOTS = ("media", "private")
ARCHIVE_NAME = re.compile(r"^uprcities-backup-\d{4}-\d{2}-\d{2}T\d{4}Z\.tar$")
CHUNK = 1024 * 1024

# Connection settings libpq understands, from a Django database's OPTIONS, and the variable each goes through to
# pg_dump and pg_restore (variables, not arguments: a password on a command line is visible to every local user).
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}
LIBPQ_SETTINGS = {
    "dbname": "PGDATABASE",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "host": "PGHOST",
    "port": "PGPORT",
}


class BackupError(Exception):
    """A backup that cannot be made, or an archive that must not be restored; the message says why."""


@dataclass(frozen=True)
class Restored:
    archive: Path
    created_at: str
    tables: int
    rows: int
    files: int


def archive_name(now: dt.datetime) -> str:
    return f"uprcities-backup-{now.astimezone(dt.UTC):%Y-%m-%dT%H%MZ}.tar"


def default_database() -> dict:
    return connections["default"].settings_dict


def _vendor(database: dict) -> str:
    engine = database["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")


# --- Backup --------------------------------------------------------------------------------------------------


def create_backup(
    folder: Path,
    *,
    keep: int | None = None,
    now: dt.datetime | None = None,
    database: dict | None = None,
    media_root: Path | None = None,
    private_root: Path | None = None,
) -> Path:
    """Write one archive of the database and both media folders into `folder`, then prune to the newest `keep`.

    Steps: the database is copied from a single snapshot (pg_dump of an exported snapshot, whose row counts go in
    the manifest; or SQLite's online backup), then the media folders are read (so a file uploaded meanwhile is at
    worst an extra file no row points to); the archive is written under a temporary name, readable by its owner
    only, and renamed when complete, so a half-written archive never looks like a backup and is never pruned to
    make room for one. Returns the archive's path.
    """
    database = database or default_database()
    vendor = _vendor(database)
    roots = {
        "media": Path(media_root or settings.MEDIA_ROOT),
        "private": Path(private_root or settings.PRIVATE_MEDIA_ROOT),
    }
    if keep is not None and keep < 1:
        raise BackupError("--keep must be at least 1: the archive just written is always kept.")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    moment = now or dt.datetime.now(dt.UTC)
    final = folder / archive_name(moment)
    if final.exists():
        raise BackupError(f"{final.name} already exists in {folder}; wait a minute or remove it.")
    partial = final.with_name(final.name + ".partial")

    with tempfile.TemporaryDirectory(dir=folder, prefix=".uprcities-backup-") as work:
        work_dir = Path(work)
        if vendor == "postgresql":
            db_member, db_file = PG_DUMP, work_dir / PG_DUMP
            tables = _dump_postgresql(database, db_file)
        else:
            db_member, db_file = SQLITE_COPY, work_dir / SQLITE_COPY
            tables = _copy_sqlite(database, db_file)

        files: dict[str, dict] = {}
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    files[db_member] = _add_file(tar, db_member, db_file)
                    for prefix, root in roots.items():
                        for path in _files_under(root):
                            member = f"{prefix}/{path.relative_to(root).as_posix()}"
                            files[member] = _add_file(tar, member, path)
                    manifest = {
                        "format": FORMAT,
                        "created_at": moment.astimezone(dt.UTC).isoformat(timespec="seconds"),
                        "database": {"vendor": vendor, "file": db_member, "tables": tables},
                        "files": files,
                    }
                    data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mode, info.mtime = len(data), 0o600, int(moment.timestamp())
                    tar.addfile(info, io.BytesIO(data))
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    if keep is not None:
        prune(folder, keep)
    return final


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives in `folder` (their names sort by date); returns the deleted.

    Only complete archives named by `create_backup` are considered: anything else in the folder is left alone.
    """
    archives = sorted(p for p in Path(folder).iterdir() if ARCHIVE_NAME.match(p.name) and p.is_file())
    doomed = archives[:-keep] if keep < len(archives) else []
    for path in doomed:
        path.unlink()
    return doomed


def _files_under(root: Path) -> list[Path]:
    if not root.exists():
        return []
    # Symbolic links are not followed: the storages never make them, and one could point outside the folder.
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


class _HashingReader:
    def __init__(self, file) -> None:
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, member: str, path: Path) -> dict:
    """Add `path` as `member`, hashing the very bytes written (a second read could see a different file)."""
    with path.open("rb") as file:
        stat = os.fstat(file.fileno())
        info = tarfile.TarInfo(member)
        info.size, info.mode, info.mtime = stat.st_size, stat.st_mode & 0o777, int(stat.st_mtime)
        reader = _HashingReader(file)
        tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": stat.st_size}


def libpq_params(database: dict) -> dict:
    params = {
        "dbname": database.get("NAME") or "",
        "user": database.get("USER") or "",
        "password": database.get("PASSWORD") or "",
        "host": database.get("HOST") or "",
        "port": str(database.get("PORT") or ""),
    }
    params.update({key: str(value) for key, value in (database.get("OPTIONS") or {}).items() if key in LIBPQ_OPTIONS})
    return {key: value for key, value in params.items() if value}


def _libpq_environ(database: dict) -> dict:
    names = LIBPQ_SETTINGS | LIBPQ_OPTIONS
    # The rest of the environment stays, as it does for the portal's own connection (libpq reads PG* too).
    environ = dict(os.environ)
    environ.update({names[key]: value for key, value in libpq_params(database).items()})
    return environ


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client, the server's version or newer).")
    return path


def _run(command: list[str], database: dict) -> None:
    done = subprocess.run(command, env=_libpq_environ(database), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip() or done.returncode}")


def _pg_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY c.relname"
    )
    return [row[0] for row in cursor.fetchall()]


def _pg_counts(cursor) -> dict[str, int]:
    from psycopg import sql

    counts = {}
    for table in _pg_tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


@contextmanager
def _pg_connection(database: dict, **options) -> Iterator:
    import psycopg

    with psycopg.connect(**libpq_params(database), **options) as connection:
        yield connection


def _dump_postgresql(database: dict, target: Path) -> dict[str, int]:
    """pg_dump from a snapshot this function holds open, and the row counts of that same snapshot."""
    import psycopg

    pg_dump = _tool("pg_dump")
    with _pg_connection(database) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _pg_counts(cursor)
            # The snapshot lives as long as this transaction: pg_dump must start while it is open.
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-password", "--file", str(target)], database
            )
        connection.rollback()
    return counts


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(row[0] for row in rows)


def _sqlite_counts(connection: sqlite3.Connection) -> dict[str, int]:
    quoted = {table: '"' + table.replace('"', '""') + '"' for table in _sqlite_tables(connection)}
    return {table: connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for table, name in quoted.items()}  # noqa: S608


def _copy_sqlite(database: dict, target: Path) -> dict[str, int]:
    """SQLite's online backup: a consistent copy even while the portal writes; its counts come from the copy."""
    source = sqlite3.connect(database["NAME"])
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        return _sqlite_counts(copy)
    finally:
        copy.close()
        source.close()


# --- Restore -------------------------------------------------------------------------------------------------


def _check_member(member: tarfile.TarInfo) -> None:
    path = PurePosixPath(member.name)
    allowed = member.name in {MANIFEST, PG_DUMP, SQLITE_COPY} or (len(path.parts) > 1 and path.parts[0] in ROOTS)
    if not member.isfile() or path.is_absolute() or ".." in path.parts or not allowed:
        raise BackupError(f"The archive holds {member.name!r}, which no backup writes; it is not restored.")


def verify_archive(archive: Path) -> dict:
    """The manifest, once every member is a file a backup writes and its bytes match the manifest's hash."""
    seen: dict[str, dict] = {}
    manifest, manifest_seen = None, False
    try:
        with tarfile.open(archive, mode="r:") as tar:
            for member in tar:
                _check_member(member)
                if member.name in seen or (member.name == MANIFEST and manifest_seen):
                    raise BackupError(f"The archive holds {member.name} twice.")
                file = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest_seen = True
                    try:
                        manifest = json.loads(file.read())
                    except ValueError:
                        manifest = None  # refused below, as any manifest this version cannot read
                    continue
                digest = hashlib.sha256()
                while chunk := file.read(CHUNK):
                    digest.update(chunk)
                seen[member.name] = {"sha256": digest.hexdigest(), "size": member.size}
    except (tarfile.TarError, OSError, ValueError) as error:
        raise BackupError(f"{archive} is not a readable backup archive: {error}") from error
    readable = (
        isinstance(manifest, dict)
        and manifest.get("format") == FORMAT
        and isinstance(manifest.get("files"), dict)
        and isinstance(manifest.get("database"), dict)
        and manifest["database"].get("file") in {PG_DUMP, SQLITE_COPY} & set(manifest["files"])
        and isinstance(manifest["database"].get("tables"), dict)
    )
    if not readable:
        raise BackupError(f"{archive} has no manifest this version of the portal reads.")
    _compare(manifest["files"], seen, "in the archive")
    return manifest


def _compare(expected: dict[str, dict], found: dict[str, dict], where: str) -> None:
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    changed = sorted(name for name in set(expected) & set(found) if expected[name]["sha256"] != found[name]["sha256"])
    problems = [f"missing {where}: {', '.join(missing)}"] if missing else []
    problems += [f"not in the manifest: {', '.join(extra)}"] if extra else []
    problems += [f"not the bytes the manifest names: {', '.join(changed)}"] if changed else []
    if problems:
        raise BackupError("The archive does not match its manifest; " + "; ".join(problems) + ".")


def _database_tables(database: dict, vendor: str) -> dict[str, int]:
    if vendor == "postgresql":
        with _pg_connection(database, autocommit=True) as connection, connection.cursor() as cursor:
            return _pg_counts(cursor)
    if not Path(database["NAME"]).exists():
        return {}
    connection = sqlite3.connect(database["NAME"])
    try:
        return _sqlite_counts(connection)
    finally:
        connection.close()


def _folder_files(root: Path) -> dict[str, dict]:
    found = {}
    for path in _files_under(root):
        digest = hashlib.sha256()
        with path.open("rb") as file:
            while chunk := file.read(CHUNK):
                digest.update(chunk)
        found[path.relative_to(root).as_posix()] = {"sha256": digest.hexdigest(), "size": path.stat().st_size}
    return found


def _empty_folder(root: Path) -> None:
    """Remove what is inside `root`, not `root` itself (in Docker it is a volume's mount point)."""
    for child in root.iterdir() if root.exists() else []:
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def restore_backup(
    archive: Path,
    *,
    force: bool = False,
    database: dict | None = None,
    media_root: Path | None = None,
    private_root: Path | None = None,
) -> Restored:
    """Bring the database and both media folders back from `archive`.

    Steps: every member is checked against the manifest (nothing changes if one differs); the target database
    must have no tables and the media folders no files, unless `force` (then the folders are emptied and
    pg_restore's --clean replaces what the archive holds); the database is restored in one transaction
    (pg_restore --no-owner --clean --if-exists, or SQLite's backup API onto the database file); the files are
    written back; then every table's row count and every file's hash are checked against the manifest again.
    """
    archive = Path(archive)
    database = database or default_database()
    vendor = _vendor(database)
    roots = {
        "media": Path(media_root or settings.MEDIA_ROOT),
        "private": Path(private_root or settings.PRIVATE_MEDIA_ROOT),
    }
    manifest = verify_archive(archive)
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(f"The archive holds a {manifest['database']['vendor']} database; this portal uses {vendor}.")

    if not force:
        tables = _database_tables(database, vendor)
        if tables:
            raise BackupError(
                f"The database {database['NAME']} is not empty ({len(tables)} tables). Restore into a new, empty "
                "database, or pass --force to replace what is there."
            )
        for prefix, root in roots.items():
            if _files_under(root):
                raise BackupError(
                    f"{root} ({prefix}) already holds files. Restore into empty folders, or pass --force to replace "
                    "them."
                )

    with tarfile.open(archive, mode="r:") as tar, tempfile.TemporaryDirectory(prefix="uprcities-restore-") as work:
        members = [member for member in tar.getmembers() if member.name != MANIFEST]
        for member in members:
            _check_member(member)
        db_member = next(member for member in members if member.name == manifest["database"]["file"])
        db_file = Path(work) / PurePosixPath(db_member.name).name
        _extract(tar, db_member, db_file, manifest["files"][db_member.name]["sha256"])
        if vendor == "postgresql":
            _run(
                [
                    _tool("pg_restore"),
                    # The archive may come from another server: objects belong to whoever restores them, and
                    # grants to roles of the old server are not replayed.
                    "--no-owner",
                    "--no-privileges",
                    "--clean",
                    "--if-exists",
                    # All or nothing: a restore that fails halfway leaves the database as it was.
                    "--single-transaction",
                    "--exit-on-error",
                    "--no-password",
                    "--dbname",
                    libpq_params(database)["dbname"],
                    str(db_file),
                ],
                database,
            )
        else:
            _restore_sqlite(db_file, Path(database["NAME"]))

        for root in roots.values():
            if force:
                _empty_folder(root)
            root.mkdir(parents=True, exist_ok=True)
        for member in members:
            prefix, _, relative = member.name.partition("/")
            if prefix in roots:
                _extract(tar, member, roots[prefix].joinpath(*PurePosixPath(relative).parts), None)

    restored_tables = _database_tables(database, vendor)
    wrong = sorted(
        table for table, rows in manifest["database"]["tables"].items() if restored_tables.get(table) != rows
    )
    if wrong:
        raise BackupError(f"After the restore these tables do not hold the archived row counts: {', '.join(wrong)}.")
    found = {f"{prefix}/{name}": entry for prefix, root in roots.items() for name, entry in _folder_files(root).items()}
    expected = {name: entry for name, entry in manifest["files"].items() if name != manifest["database"]["file"]}
    _compare(expected, found, "after the restore")
    return Restored(
        archive=archive,
        created_at=manifest["created_at"],
        tables=len(manifest["database"]["tables"]),
        rows=sum(manifest["database"]["tables"].values()),
        files=len(expected),
    )


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, sha256: str | None) -> None:
    """Write `member` to `target` (its folders made as needed); with `sha256`, refuse bytes that differ from it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = tar.extractfile(member)
    digest = hashlib.sha256()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, member.mode & 0o777 or 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    # The archive was checked before; checking the copy used closes the gap between that check and this read.
    if sha256 is not None and digest.hexdigest() != sha256:
        raise BackupError(f"{member.name} changed in the archive while it was being restored.")


def _restore_sqlite(copy: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(copy)
    destination = sqlite3.connect(target)
    try:
        # The backup API replaces the whole database, page by page, in one transaction.
        source.backup(destination)
    finally:
        destination.close()
        source.close()
