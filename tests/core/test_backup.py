"""Backup and restore (issue 8 item 8): an installation with cases at several steps, uploads, a survey, a
signed letter and the audit trail is backed up, restored into a fresh database, and compared table by table
and file by file; the restored audit chain verifies and the encrypted data reads back with the same keys.
A corrupt or mismatched archive is refused and changes nothing; a database with tables is replaced only
when told to.

Runs on the configured database: SQLite (the test database may live in memory; the fresh one is a file)
or PostgreSQL (the fresh database is created for the test and dropped after it).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, connections

from jangkau.audit.models import AuditEvent
from jangkau.audit.services import verify_chain
from jangkau.cases import services as svc
from jangkau.cases.documents import document_bytes, document_store_draft
from jangkau.cases.models import Case, CaseDocument
from jangkau.core.backup import (
    DATABASE_MEMBER,
    MANIFEST,
    BackupError,
    archive_check,
    backup_create,
    restore_archive,
    table_counts,
)
from jangkau.scheduling.absences import absence_record, letter_attach_signed_scan
from jangkau.scheduling.models import Absence, AssignmentLetter
from jangkau.surveys.models import Response
from jangkau.surveys.services import survey_record_by_officer
from tests.builders import VALID_NIK, case_in, intake_data, perform

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "Jl. Kenanga No. 5, Cempaka Putih"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSV = b"sekolah;nilai\nSD Negeri 1;87\nSD Negeri 2;91\n"
SURVEY = {**{f"u{n}": 4 for n in range(1, 10)}, "sex": "P", "age": 67, "education": "sma", "occupation": "other"}
MEDIA_FILES = {
    "hasil/2025/rapor-mutu.pdf": PDF,
    "surat/001-ULT-ST-2025.bin": bytes(range(256)) * 40,
    "lampiran/catatan.txt": b"catatan petugas\n",
}


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def populate(world) -> dict:
    """Cases at several steps through the real services, with uploads of every kind, a survey response, an
    assignment letter with its signed scan, files in the project's storage and the audit events of it all."""
    poa = document_store_draft(kind=CaseDocument.Kind.POWER_OF_ATTORNEY, field="f", filename="kuasa.pdf", content=PDF)
    with_upload = svc.case_submit(office=world.office, data=intake_data(world), document_tokens=[poa.draft_token])
    for status in ("awaiting_info", "rejected", "cancelled", "with_ppid", "scheduled"):
        case_in(status, world)
    served = case_in("with_ppid", world)
    result = document_store_draft(kind=CaseDocument.Kind.RESULT, field="f", filename="rapor.csv", content=CSV)
    svc.case_record_result(
        case=served, actor=world.ppid, summary="Rapor mutu 2025", document_tokens=[result.draft_token]
    )
    served = perform("schedule", Case.objects.get(pk=served.pk), world)
    proof = document_store_draft(kind=CaseDocument.Kind.DELIVERY_PROOF, field="f", filename="tanda.pdf", content=PDF)
    svc.case_deliver(case=served, actor=world.ult, notes="Diserahkan", proof_token=proof.draft_token)
    survey_record_by_officer(case=served, actor=world.ult, mode="paper", data=SURVEY)
    served = perform("recap_feedback", Case.objects.get(pk=served.pk), world)
    served = perform("close", served, world)
    _absence, letter = absence_record(
        office=world.office,
        officer=world.ult,
        kind=Absence.Kind.SICK,
        starts_on=served.submitted_at.date(),
        ends_on=served.submitted_at.date(),
        delegate=world.ult2,
        reason="Sakit",
        actor=world.head,
    )
    letter_attach_signed_scan(letter=letter, filename="ttd.pdf", content=PDF, actor=world.head)
    for name, content in MEDIA_FILES.items():
        default_storage.save(name, ContentFile(content))
    assert CaseDocument.objects.filter(case__isnull=False).count() == 3
    assert Response.objects.count() == 1
    assert AssignmentLetter.objects.filter(signed_at__isnull=False).count() == 1
    assert AuditEvent.objects.count() > 20
    return {"case": with_upload, "served": served}


def table_checksums(conn) -> dict[str, tuple[int, str]]:
    """Returns (rows, SHA-256 of every row in primary-key order) of every table behind ``conn``."""
    conn.ensure_connection()
    result = {}
    with conn.cursor() as cursor:
        for table in table_counts(cursor, conn.vendor):
            keys = conn.introspection.get_primary_key_columns(cursor, table) or []
            order = ", ".join(conn.ops.quote_name(key) for key in keys) or "1"
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)} ORDER BY {order}")
            rows = [repr(row) for row in cursor.fetchall()]
            if not keys:
                rows.sort()
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return result


def file_checksums(root: Path) -> dict[str, str]:
    root = Path(root)
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def fresh_database(tmp_path):
    """A Django connection to an empty database of the configured vendor, not the test database."""
    default = connections["default"]
    settings_dict = {**default.settings_dict}
    created = None
    if default.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        created = f"{default.settings_dict['NAME']}_restored"[:63]
        with default.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {default.ops.quote_name(created)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {default.ops.quote_name(created)}")
        settings_dict["NAME"] = created
    fresh = default.__class__(settings_dict, alias="default")
    yield fresh
    fresh.close()
    if created:
        with default.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {default.ops.quote_name(created)} WITH (FORCE)")


@contextlib.contextmanager
def as_default(conn):
    """Points the ORM's default database at ``conn`` for the block (to run the real verifier on it)."""
    original = connections["default"]
    connections["default"] = conn
    try:
        yield
    finally:
        connections["default"] = original


def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_files_and_chain(
    world, frozen, media, fresh_database, tmp_path
):
    made = populate(world)
    before = table_checksums(connection)
    files_before = file_checksums(media)
    events = AuditEvent.objects.count()
    archive = tmp_path / "out" / "jangkau.tar.gz"

    output = io.StringIO()
    call_command("backup", "--output", str(archive), stdout=output)

    assert "Backup written to" in output.getvalue()
    assert archive.stat().st_mode & 0o777 == 0o600
    manifest = archive_check(archive)
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["tables"] == {name: rows for name, (rows, _) in before.items()}
    assert manifest["migrations"]["cases"] and manifest["django_version"].startswith("5.2")
    assert {entry["path"]: entry["sha256"] for entry in manifest["files"] if entry["path"].startswith("media/")} == {
        f"media/{name}": digest for name, digest in files_before.items()
    }
    if connection.vendor == "sqlite":
        # Encrypted personal data stays encrypted in the archive: the plain values are nowhere in the file.
        with tarfile.open(archive) as tar:
            database = tar.extractfile(manifest["database"]["member"]).read()
        assert VALID_NIK.encode() not in database and ADDRESS.encode() not in database
        assert b"Siti Aminah" in database  # the name is not an encrypted field: the check can see plain text

    restored_media = tmp_path / "restored-media"
    report = restore_archive(archive, connection=fresh_database, root=restored_media)

    after = table_checksums(fresh_database)
    assert after == before
    assert (report.tables, report.rows, report.count_mismatches) == (
        len(before),
        sum(r for r, _ in before.values()),
        {},
    )
    assert file_checksums(restored_media) == files_before and report.files == len(MEDIA_FILES)
    with as_default(fresh_database):
        assert list(verify_chain()) == []
        assert AuditEvent.objects.count() == events
        # Readable with the same keys: the encrypted fields and the encrypted uploads decrypt.
        case = Case.objects.get(pk=made["case"].pk)
        assert (case.address, case.id_document_number) == (ADDRESS, VALID_NIK)
        for document in CaseDocument.objects.filter(case__isnull=False):
            assert hashlib.sha256(document_bytes(document)).hexdigest() == document.sha256
    with fresh_database.cursor() as cursor:
        cursor.execute("SELECT address FROM cases_case WHERE id = %s", [made["case"].pk])
        assert cursor.fetchone()[0] != ADDRESS
    figures = {
        "vendor": connection.vendor,
        "tables": len(after),
        "nonempty_tables": sum(1 for rows, _ in after.values() if rows),
        "rows": sum(rows for rows, _ in after.values()),
        "files": len(files_before),
        "audit_events": events,
        "archive_bytes": archive.stat().st_size,
    }
    print("BACKUP-FIGURES", json.dumps(figures))


def rewrite(archive: Path, target: Path, *, members=None, manifest=None, rename=None) -> Path:
    """Copies ``archive`` to ``target`` with ``members(name, bytes) -> bytes | None`` (None drops it),
    ``manifest(dict)`` and ``rename`` ({old: new} member names) applied."""
    rename = rename or {}
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name == MANIFEST and manifest is not None:
                data = json.loads(content)
                manifest(data)
                content = json.dumps(data).encode()
            elif members is not None:
                content = members(member.name, content)
                if content is None:
                    continue
            info = tarfile.TarInfo(rename.get(member.name, member.name))
            info.size = len(content)
            out.addfile(info, io.BytesIO(content))
    return target


def flip_a_byte(archive: Path, target: Path) -> Path:
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def _tamper_media(name, content):
    return content + b"!" if name.endswith("catatan.txt") else content


def _drop_media(name, content):
    return None if name.endswith("rapor-mutu.pdf") else content


def _tamper_database(name, content):
    if not name.startswith("database/"):
        return content
    # Same length, other bytes, in the middle of the file.
    middle = len(content) // 2
    return content[:middle] + bytes(b ^ 0x55 for b in content[middle : middle + 64]) + content[middle + 64 :]


def _newer_migration(data):
    data["migrations"]["cases"].append("9999_from_the_future")


OTHER_VENDOR = {"sqlite": "postgresql", "postgresql": "sqlite"}


def _other_vendor(data):
    """A consistent archive of the other vendor: its database member renamed, the manifest to match."""
    vendor = OTHER_VENDOR[data["database"]["vendor"]]
    old, new = data["database"]["member"], DATABASE_MEMBER[vendor]
    data["database"].update(vendor=vendor, member=new)
    for entry in data["files"]:
        if entry["path"] == old:
            entry["path"] = new


def test_a_corrupt_or_mismatched_archive_is_refused_and_changes_nothing(world, frozen, media, tmp_path):
    populate(world)
    archive = tmp_path / "good.tar.gz"
    backup_create(output=archive)
    # Changes after the backup, which a refused restore must leave in place.
    submit_extra = case_in("submitted", world)
    default_storage.save("setelah-backup.txt", ContentFile(b"baru"))
    before, files_before = table_checksums(connection), file_checksums(media)

    bad = {
        "a flipped byte": (flip_a_byte(archive, tmp_path / "flipped.tar.gz"), "corrupt"),
        "not an archive": (tmp_path / "text.tar.gz", "corrupt"),
        "a changed file": (
            rewrite(archive, tmp_path / "t1.tar.gz", members=_tamper_media),
            "catatan.txt does not match its checksum",
        ),
        "a changed database": (rewrite(archive, tmp_path / "t2.tar.gz", members=_tamper_database), "checksum"),
        "a missing file": (rewrite(archive, tmp_path / "t3.tar.gz", members=_drop_media), "missing"),
        "no manifest": (
            rewrite(archive, tmp_path / "t4.tar.gz", members=lambda n, c: None if n == MANIFEST else c),
            "manifest.json is missing",
        ),
        "newer code": (rewrite(archive, tmp_path / "t5.tar.gz", manifest=_newer_migration), "newer code"),
        "another vendor": (
            rewrite(
                archive,
                tmp_path / "t6.tar.gz",
                manifest=_other_vendor,
                rename={DATABASE_MEMBER[connection.vendor]: DATABASE_MEMBER[OTHER_VENDOR[connection.vendor]]},
            ),
            "but this installation uses",
        ),
    }
    (tmp_path / "text.tar.gz").write_bytes(gzip.compress(b"just text, no tar"))
    for label, (path, reason) in bad.items():
        with pytest.raises(BackupError, match=reason):
            restore_archive(path, replace=True)
        with pytest.raises(CommandError, match="refused, nothing was changed"):
            call_command("restore", str(path), "--yes", stdout=io.StringIO())
        assert table_checksums(connection) == before, label
        assert file_checksums(media) == files_before, label
    assert not [p for p in media.parent.iterdir() if p.name.startswith(".media.restore-")]
    assert Case.objects.filter(pk=submit_extra.pk).exists()


def test_other_keys_are_refused_unless_ignored(world, frozen, media, tmp_path, settings, fresh_database):
    populate(world)
    archive = tmp_path / "keys.tar.gz"
    backup_create(output=archive)
    settings.AUDIT_CHAIN_KEY = "another-installation"
    with pytest.raises(BackupError, match="AUDIT_CHAIN_KEY differs"):
        restore_archive(archive, connection=fresh_database, root=tmp_path / "m")
    assert table_counts(fresh_database.cursor(), fresh_database.vendor) == {}
    report = restore_archive(archive, connection=fresh_database, root=tmp_path / "m", ignore_keys=True)
    assert report.warnings == ["AUDIT_CHAIN_KEY differs from the key the backup was made under"]


def test_restore_into_a_database_with_tables_needs_yes_then_brings_everything_back(world, frozen, media, tmp_path):
    made = populate(world)
    archive = tmp_path / "live.tar.gz"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    before, files_before = table_checksums(connection), file_checksums(media)
    # After the backup: a case changed, another added, an event's payload altered (the chain broken), a file
    # changed, one added.
    Case.objects.filter(pk=made["case"].pk).update(requester_name="Diubah")
    case_in("submitted", world)
    AuditEvent.objects.filter(seq=3).update(actor_label="orang lain")
    assert list(verify_chain())
    (media / "lampiran" / "catatan.txt").write_bytes(b"diubah")
    default_storage.save("setelah-backup.txt", ContentFile(b"baru"))
    changed = table_checksums(connection)

    with pytest.raises(CommandError, match="already holds .* pass --yes"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert table_checksums(connection) == changed

    check = io.StringIO()
    call_command("restore", str(archive), "--check", stdout=check)
    assert "checksums match" in check.getvalue()

    output = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=output)

    assert table_checksums(connection) == before
    assert file_checksums(media) == files_before
    text = output.getvalue()
    assert f"Audit chain intact: {AuditEvent.objects.count()} events." in text and "Restore complete." in text
    aside = [p for p in media.parent.iterdir() if p.name.startswith("media.before-restore-")]
    assert len(aside) == 1 and (aside[0] / "setelah-backup.txt").read_bytes() == b"baru"


def test_tables_the_backup_lacks_are_dropped_on_sqlite_and_refused_on_postgresql(
    world, frozen, media, tmp_path, fresh_database
):
    """A database migrated by newer code holds tables the backup does not: SQLite's copy replaces the whole
    file; pg_restore would leave them behind, so PostgreSQL refuses and changes nothing."""
    populate(world)
    archive = tmp_path / "older.tar.gz"
    backup_create(output=archive)
    with fresh_database.cursor() as cursor:
        cursor.execute("CREATE TABLE newer_feature (id integer PRIMARY KEY)")
    if fresh_database.vendor == "postgresql":
        with pytest.raises(BackupError, match=r"tables the backup does not \(newer_feature\)"):
            restore_archive(archive, connection=fresh_database, root=tmp_path / "m", replace=True)
        assert list(table_counts(fresh_database.cursor(), "postgresql")) == ["newer_feature"]
    else:
        restore_archive(archive, connection=fresh_database, root=tmp_path / "m", replace=True)
        assert table_checksums(fresh_database) == table_checksums(connection)
