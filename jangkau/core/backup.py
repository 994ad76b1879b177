"""Backup and restore of an installation: the database and the uploaded files in one checked archive.

The archive is a gzip-compressed tar file:

    manifest.json          format, when, versions, database vendor, tables and row counts, applied
                           migrations, key fingerprints, and the size and SHA-256 of every other member
    database/db.sqlite3    SQLite: a consistent copy made with SQLite's online backup API
    database/db.pgdump     PostgreSQL: ``pg_dump --format=custom`` taken in the same snapshot as the counts
    media/...              every file under the default storage's directory (MEDIA_ROOT)

Encrypted fields stay encrypted: the archive holds ciphertext, never a key. Reading it back needs the same
``FIELD_ENCRYPTION_KEY`` and ``AUDIT_CHAIN_KEY`` (docs/backup.md); the manifest holds only fingerprints of
them, so a restore can refuse keys that would leave the data unreadable.

A restore checks everything before it changes anything: the manifest, every member's checksum, the
database file itself, the vendor, the migrations and the keys; then it refuses to replace a database that
already holds tables unless told to.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
import zlib
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

from jangkau.core import clock

FORMAT = "jangkau-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.pgdump"}
MEDIA_PREFIX = "media/"
# How long pg_restore waits for a table lock before giving up: a server still running holds locks, and a
# restore that fails at once with a clear message is better than one that hangs.
RESTORE_LOCK_TIMEOUT = "60s"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do, for an operator."""


class RestoreIncomplete(BackupError):
    """The database was restored but the files could not be put in place; the message says what to do."""


@dataclass
class RestoreReport:
    """What a restore did, for the command to print."""

    manifest: dict
    tables: int = 0
    rows: int = 0
    files: int = 0
    count_mismatches: dict = field(default_factory=dict)
    pending_migrations: list = field(default_factory=list)
    media_root: Path | None = None
    media_moved_to: Path | None = None
    warnings: list = field(default_factory=list)


# --- shared helpers ---------------------------------------------------------------------------------------


def key_fingerprint(key: str) -> str:
    """Returns a short fingerprint of ``key`` that tells whether two keys are the same without revealing it."""
    return hmac.new(key.encode(), b"jangkau-backup-key-fingerprint", hashlib.sha256).hexdigest()[:16]


def media_root() -> Path:
    """Returns the directory of the default file storage (MEDIA_ROOT). Raises BackupError when uploads are
    kept elsewhere (an object store must be backed up with its own tools)."""
    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        raise BackupError(
            f"the default file storage ({type(storage).__name__}) is not a local directory; back it up with "
            "its provider's tools"
        )
    return Path(storage.location)


def _vendor(connection) -> str:
    if connection.vendor not in DATABASE_MEMBER:
        raise BackupError(f"database vendor {connection.vendor!r} is not supported (SQLite or PostgreSQL only)")
    return connection.vendor


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_counts(cursor, vendor: str) -> dict[str, int]:
    """Returns the row count of every table (SQLite's own tables and other schemas left out), by name."""
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = ANY (current_schemas(false))")
    names = sorted(row[0] for row in cursor.fetchall())
    counts = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")  # names come from the catalogue
        counts[name] = cursor.fetchone()[0]
    return counts


def _applied_migrations(cursor, tables: dict) -> dict[str, list[str]]:
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _project_version() -> str:
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
            return tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
}


def pg_environment(settings_dict: dict) -> dict[str, str]:
    """Returns the environment that points pg_dump and pg_restore at the database of ``settings_dict``: host,
    port, user, database, password (only when the settings hold one; otherwise PGPASSWORD or ~/.pgpass as
    the caller's environment has them) and the libpq options Django passes."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for option, var in _LIBPQ_OPTIONS.items():
        value = (settings_dict.get("OPTIONS") or {}).get(option)
        if value not in (None, ""):
            env[var] = str(value)
    return env


def _run(command: list[str], env: dict) -> None:
    program = command[0]
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (Debian: apt-get install postgresql-client)")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{program} failed (exit {result.returncode}): {result.stderr.strip()}")


# --- backup -----------------------------------------------------------------------------------------------


def _sqlite_snapshot(connection, target: Path) -> dict:
    """Copies the database into ``target`` with SQLite's online backup API (one step, so the copy is one
    consistent moment even while the server writes) and returns the database part of the manifest."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        with connection.wrap_database_errors:
            connection.connection.backup(copy)
        # A self-contained file: no write-ahead log beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        cursor = copy.cursor()
        tables = table_counts(cursor, "sqlite")
        migrations = _applied_migrations(cursor, tables)
        version = sqlite3.sqlite_version
    finally:
        copy.close()
    return {"tables": tables, "migrations": migrations, "server_version": version}


def _postgresql_snapshot(connection, target: Path) -> dict:
    """Dumps the database into ``target`` (custom format) and returns the database part of the manifest.

    The counts and the migrations are read in a repeatable-read transaction whose snapshot pg_dump imports,
    so the manifest describes exactly the dump even while the server writes.
    """
    wrapper = connection.__class__({**connection.settings_dict}, alias=f"{connection.alias}-backup")
    wrapper.ensure_connection()
    try:
        raw = wrapper.connection
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = table_counts(cursor, "postgresql")
            migrations = _applied_migrations(cursor, tables)
            command = ["pg_dump", "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={target}"]
            _run(command, pg_environment(connection.settings_dict))
            cursor.execute("ROLLBACK")
        version = raw.info.parameter_status("server_version")
    finally:
        wrapper.close()
    return {"tables": tables, "migrations": migrations, "server_version": version}


def _media_files(root: Path) -> list[tuple[str, Path]]:
    """Returns (archive name, path) of every regular file under ``root``, sorted; symbolic links are left
    out (a link may point anywhere)."""
    if not root.is_dir():
        return []
    found = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(directory) / filename
            if path.is_symlink() or not path.is_file():
                continue
            found.append((MEDIA_PREFIX + path.relative_to(root).as_posix(), path))
    return found


class _HashingReader:
    """Reads a file for tarfile while hashing exactly the bytes that go into the archive."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, path: Path) -> dict:
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mtime = int(path.stat().st_mtime)
    info.mode = 0o600
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"path": name, "size": info.size, "sha256": reader.digest.hexdigest()}


def backup_create(*, output: Path, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Writes the archive of the database ``using`` and of MEDIA_ROOT to ``output`` and returns its manifest.

    The archive appears under its name only once complete, readable by its owner only. Raises BackupError.
    """
    connection = connections[using]
    vendor = _vendor(connection)
    root = media_root()
    output = Path(output).absolute()
    if output.parent.resolve().is_relative_to(root.resolve()):
        raise BackupError(f"the archive would be written inside MEDIA_ROOT ({root}), and so into itself")
    output.parent.mkdir(parents=True, exist_ok=True)
    # The database copy is staged beside the archive: the place chosen for backups has the room for it.
    with tempfile.TemporaryDirectory(prefix=".jangkau-backup-", dir=output.parent) as work:
        database_file = Path(work) / Path(DATABASE_MEMBER[vendor]).name
        snapshot = (_sqlite_snapshot if vendor == "sqlite" else _postgresql_snapshot)(connection, database_file)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": clock.now().astimezone(UTC).isoformat(timespec="seconds"),
            "jangkau_version": _project_version(),
            "django_version": django.get_version(),
            "python_version": platform.python_version(),
            "database": {
                "vendor": vendor,
                "name": Path(str(connection.settings_dict["NAME"])).name,
                "server_version": snapshot["server_version"],
                "member": DATABASE_MEMBER[vendor],
                "tables": snapshot["tables"],
                "rows": sum(snapshot["tables"].values()),
            },
            "migrations": snapshot["migrations"],
            "keys": {
                "field_encryption": [key_fingerprint(settings.FIELD_ENCRYPTION_KEY)]
                + [key_fingerprint(key) for key in settings.FIELD_ENCRYPTION_OLD_KEYS],
                "audit_chain": key_fingerprint(settings.AUDIT_CHAIN_KEY),
            },
            "media": {"root": str(root)},
            "files": [],
        }
        fd, partial = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".partial", dir=output.parent)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                manifest["files"].append(_add(tar, DATABASE_MEMBER[vendor], database_file))
                for name, path in _media_files(root):
                    manifest["files"].append(_add(tar, name, path))
                media = [entry for entry in manifest["files"] if entry["path"].startswith(MEDIA_PREFIX)]
                manifest["media"].update(files=len(media), bytes=sum(entry["size"] for entry in media))
                body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(body), int(clock.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(body))
            os.chmod(partial, 0o600)
            os.replace(partial, output)
        except BaseException as exc:
            Path(partial).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                # A full disk, or an upload deleted or truncated while it was being read.
                raise BackupError(f"writing the archive failed ({exc}); nothing was written to {output}") from exc
            raise
    return manifest


# --- checking an archive ----------------------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in name
        and (name == MANIFEST or name.startswith(("database/", MEDIA_PREFIX)))
    )


def archive_extract(path: Path, workdir: Path) -> dict:
    """Extracts the archive at ``path`` into ``workdir`` and returns its manifest once every check passed:
    a readable archive of this format, only expected members, each listed in the manifest with its size and
    SHA-256, nothing missing.

    Raises BackupError naming the first problem.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    digests: dict[str, tuple[int, str]] = {}
    manifest_body = None
    try:
        with gzip.open(path, "rb") as stream, tarfile.open(fileobj=stream, mode="r|") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isreg() or not _safe_member_name(member.name):
                    raise BackupError(f"unexpected member {member.name!r}: not a Jangkau backup")
                if member.name in digests or (member.name == MANIFEST and manifest_body is not None):
                    raise BackupError(f"member {member.name!r} appears twice")
                source = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest_body = source.read()
                    continue
                target = workdir / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with target.open("wb") as handle:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        handle.write(chunk)
                digests[member.name] = (member.size, digest.hexdigest())
            # tarfile stops at the end-of-archive marker; reading on to the end of the gzip stream makes gzip
            # check its CRC and length, which catches damage tarfile would take for the end of the archive.
            while stream.read(_CHUNK):
                pass
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BackupError(f"the archive is corrupt or not a gzip-compressed tar file ({exc})") from exc
    if manifest_body is None and not digests:
        raise BackupError("the archive holds nothing: corrupt, or not a Jangkau backup")
    if manifest_body is None:
        raise BackupError(f"{MANIFEST} is missing: corrupt, or not a Jangkau backup")
    try:
        manifest = json.loads(manifest_body)
    except ValueError as exc:
        raise BackupError(f"{MANIFEST} is not valid JSON ({exc})") from exc
    _check_manifest(manifest, digests)
    return manifest


def _check_manifest(manifest: dict, digests: dict) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} does not describe a {FORMAT} archive")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(f"archive format version {version!r} is not supported (this code reads {FORMAT_VERSION})")
    try:
        listed = {entry["path"]: (entry["size"], entry["sha256"]) for entry in manifest["files"]}
        vendor = manifest["database"]["vendor"]
        member = manifest["database"]["member"]
        tables = manifest["database"]["tables"]
    except (KeyError, TypeError) as exc:
        raise BackupError(f"{MANIFEST} is incomplete ({exc!r} missing)") from exc
    if not isinstance(tables, dict):
        raise BackupError(f"{MANIFEST} has no table counts")
    if vendor not in DATABASE_MEMBER or member != DATABASE_MEMBER[vendor]:
        raise BackupError(f"{MANIFEST} names an unknown database ({vendor!r}, {member!r})")
    if member not in listed:
        raise BackupError(f"{MANIFEST} lists no database file")
    for name in sorted(set(listed) | set(digests)):
        if name not in digests:
            raise BackupError(f"{name} is listed in the manifest but missing from the archive")
        if name not in listed:
            raise BackupError(f"{name} is in the archive but not in the manifest")
        if digests[name] != tuple(listed[name]):
            raise BackupError(f"{name} does not match its checksum in the manifest: the archive is corrupt")


def _check_database_file(manifest: dict, workdir: Path) -> None:
    """Refuses a database file that its checksum matches but that is unsound in itself (a SQLite copy made
    of a damaged database). A PostgreSQL dump is checked by pg_restore, inside its transaction."""
    if manifest["database"]["vendor"] == "sqlite":
        _check_sqlite_file(workdir / manifest["database"]["member"])


def _check_sqlite_file(path: Path) -> None:
    try:
        database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = database.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            database.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the database file in the archive cannot be read ({exc})") from exc
    if result != "ok":
        raise BackupError(f"the database file in the archive fails SQLite's integrity check: {result}")


def archive_check(path: Path) -> dict:
    """Returns the manifest of the archive at ``path`` after every check of ``archive_extract``; leaves
    nothing behind. Raises BackupError."""
    with tempfile.TemporaryDirectory(prefix="jangkau-check-") as work:
        manifest = archive_extract(Path(path), Path(work))
        _check_database_file(manifest, Path(work))
        return manifest


# --- restore ----------------------------------------------------------------------------------------------


def _check_compatible(manifest: dict, connection, *, ignore_keys: bool) -> list[str]:
    """Refuses an archive this installation cannot take; returns warnings worth printing."""
    vendor = _vendor(connection)
    archived = manifest["database"]["vendor"]
    if archived != vendor:
        raise BackupError(f"the archive holds a {archived} database but this installation uses {vendor}")
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    installed = {config.label for config in apps.get_app_configs()}
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest.get("migrations", {}).items()
        if app in installed
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            "the archive was made by newer code: migrations unknown here: "
            + ", ".join(unknown[:5])
            + (" …" if len(unknown) > 5 else "")
            + "; deploy the code the backup was made with, then restore"
        )
    warnings = []
    keys = manifest.get("keys", {})
    field_keys_here = [settings.FIELD_ENCRYPTION_KEY, *settings.FIELD_ENCRYPTION_OLD_KEYS]
    configured = {key_fingerprint(key) for key in field_keys_here}
    field_keys = keys.get("field_encryption") or []
    problems = []
    if field_keys and field_keys[0] not in configured:
        problems.append("FIELD_ENCRYPTION_KEY differs from the key the backup was made under")
    if keys.get("audit_chain") and keys["audit_chain"] != key_fingerprint(settings.AUDIT_CHAIN_KEY):
        problems.append("AUDIT_CHAIN_KEY differs from the key the backup was made under")
    if problems and not ignore_keys:
        raise BackupError(
            "; ".join(problems)
            + ": the restored personal data and audit chain would be unreadable. Configure the keys of the"
            " installation that made the backup (docs/backup.md), or pass --ignore-keys to restore anyway"
        )
    warnings.extend(problems)
    if any(fingerprint not in configured for fingerprint in field_keys[1:]):
        warnings.append(
            "the backup was made during a key rotation; an old key of that time is not configured, so values "
            "not yet re-encrypted then may not decrypt"
        )
    return warnings


def database_tables(connection) -> dict[str, int]:
    """Returns the row count of every table of the database behind a Django ``connection``."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        return table_counts(cursor, _vendor(connection))


def _restore_sqlite(source: Path, connection) -> None:
    if connection.in_atomic_block:
        raise BackupError("cannot restore inside a transaction")
    connection.ensure_connection()
    database = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        with connection.wrap_database_errors:
            # The backup API writes the target under SQLite's own locks: readers never see a half-copied
            # file, and a write-ahead log beside the target cannot end up belonging to another database.
            database.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not write the database ({exc}); is the server still running?") from exc
    finally:
        database.close()


def _restore_postgresql(source: Path, connection) -> None:
    # Django's own connection must not hold locks on the tables pg_restore drops.
    connection.close()
    env = pg_environment(connection.settings_dict)
    env["PGOPTIONS"] = (env.get("PGOPTIONS", "") + f" -c lock_timeout={RESTORE_LOCK_TIMEOUT}").strip()
    command = [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        # All or nothing: a failure half-way leaves the database as it was.
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        f"--dbname={connection.settings_dict['NAME']}",
        str(source),
    ]
    _run(command, env)


def _pending_migrations(connection) -> list[str]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied = set(loader.applied_migrations)
    return sorted(f"{app}.{name}" for app, name in loader.disk_migrations if (app, name) not in applied)


def _replace_media(staged: Path | None, root: Path) -> Path | None:
    """Puts the restored files in place of ``root``; returns where the files ``root`` held went (None when it
    held none)."""
    moved_to = None
    if root.exists() and any(root.iterdir()):
        moved_to = root.with_name(f"{root.name}.before-restore-{clock.now().strftime('%Y%m%d-%H%M%S')}")
        try:
            root.rename(moved_to)
        except OSError as exc:
            raise RestoreIncomplete(
                f"the database was restored, but {root} could not be moved aside ({exc}); move its files away "
                "and run the restore again with --yes"
            ) from exc
    if staged is not None:
        if root.is_dir():
            root.rmdir()  # empty: its files, if any, were moved aside above
        staged.rename(root)
    return moved_to


def restore_archive(
    path: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    connection=None,
    root: Path | None = None,
    replace: bool = False,
    ignore_keys: bool = False,
) -> RestoreReport:
    """Restores the archive at ``path`` into the database ``using`` (or the given Django ``connection``) and
    the directory ``root`` (default MEDIA_ROOT), and returns what was restored.

    Everything is checked first; a refused archive, a database that already holds tables without
    ``replace``, or a mismatch of vendor, migrations or keys raises BackupError with nothing changed.
    The files that ``root`` held are moved beside it (``<root>.before-restore-<time>``), not deleted.
    """
    connection = connection if connection is not None else connections[using]
    root = Path(root) if root is not None else media_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    # Staged beside the target so that putting the files in place is a rename, not a copy.
    workdir = Path(tempfile.mkdtemp(prefix=f".{root.name}.restore-", dir=root.parent))
    try:
        manifest = archive_extract(Path(path), workdir)
        warnings = _check_compatible(manifest, connection, ignore_keys=ignore_keys)
        _check_database_file(manifest, workdir)
        existing = database_tables(connection)
        if existing and not replace:
            raise BackupError(
                f"the database already holds {len(existing)} tables and {sum(existing.values())} rows; "
                "pass --yes to replace it with the archive's"
            )
        extra = sorted(set(existing) - set(manifest["database"]["tables"]))
        if extra and manifest["database"]["vendor"] == "postgresql":
            # pg_restore --clean drops only what the dump holds: these tables would stay behind, out of step
            # with the restored migration records.
            raise BackupError(
                f"the database holds {len(extra)} tables the backup does not ({', '.join(extra[:5])}"
                + (" …" if len(extra) > 5 else "")
                + "); restore into an empty database (createdb) instead"
            )
        source = workdir / manifest["database"]["member"]
        if manifest["database"]["vendor"] == "sqlite":
            _restore_sqlite(source, connection)
        else:
            _restore_postgresql(source, connection)
        restored = database_tables(connection)
        expected = manifest["database"]["tables"]
        report = RestoreReport(manifest=manifest, tables=len(restored), rows=sum(restored.values()))
        report.count_mismatches = {
            name: (expected.get(name), restored.get(name))
            for name in sorted(set(expected) | set(restored))
            if expected.get(name) != restored.get(name)
        }
        report.pending_migrations = _pending_migrations(connection)
        media = [entry for entry in manifest["files"] if entry["path"].startswith(MEDIA_PREFIX)]
        report.files = len(media)
        report.media_root = root
        report.media_moved_to = _replace_media(workdir / "media" if media else None, root)
        report.warnings = warnings
        return report
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
