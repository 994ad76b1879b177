from django.core.management.base import BaseCommand, CommandError

from jangkau.audit.models import AuditEvent
from jangkau.audit.services import verify_chain
from jangkau.core.backup import BackupError, RestoreIncomplete, archive_check, restore_archive


class Command(BaseCommand):
    help = (
        "Restores an archive made by `backup`: checks its manifest and checksums first (a corrupt or mismatched "
        "archive changes nothing), then replaces the database and the uploaded files, and verifies the audit "
        "chain. Stop the web server, the workers and the scheduler first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive (.tar.gz) written by `python manage.py backup`.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace a database that already holds tables (and move MEDIA_ROOT aside).",
        )
        parser.add_argument("--check", action="store_true", help="Only check the archive; change nothing.")
        parser.add_argument(
            "--ignore-keys",
            action="store_true",
            help="Restore even though the configured keys differ from the backup's (the encrypted data and the "
            "audit chain will not be readable).",
        )
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args, path, yes, check, ignore_keys, database, **options):
        try:
            if check:
                manifest = archive_check(path)
            else:
                report = restore_archive(path, using=database, replace=yes, ignore_keys=ignore_keys)
                manifest = report.manifest
        except RestoreIncomplete as exc:
            raise CommandError(f"restore incomplete: {exc}") from exc
        except BackupError as exc:
            raise CommandError(f"restore refused, nothing was changed: {exc}") from exc
        db = manifest["database"]
        self.stdout.write(
            f"Archive checked: made {manifest['created_at']} by Jangkau {manifest['jangkau_version']}; "
            f"{db['vendor']} database, {len(db['tables'])} tables, {db['rows']} rows; "
            f"{manifest['media']['files']} files; all {len(manifest['files'])} checksums match."
        )
        if check:
            return
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(f"Database restored: {report.tables} tables, {report.rows} rows.")
        moved = f" (the files it held were moved to {report.media_moved_to})" if report.media_moved_to else ""
        self.stdout.write(f"Files restored: {report.files} into {report.media_root}{moved}.")
        if report.count_mismatches:
            details = ", ".join(
                f"{name}: {want} expected, {got} restored" for name, (want, got) in report.count_mismatches.items()
            )
            raise CommandError(f"the restored database does not match the manifest: {details}")
        if database == "default":
            problems = list(verify_chain())
            if problems:
                raise CommandError(
                    f"restored, but the audit chain does not verify: {problems[0]} ({len(problems)} problems); "
                    "is AUDIT_CHAIN_KEY the key of the installation that made the backup?"
                )
            self.stdout.write(f"Audit chain intact: {AuditEvent.objects.count()} events.")
        if report.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.pending_migrations)} migrations are newer than the backup: run "
                    "`python manage.py migrate` before starting the server."
                )
            )
        self.stdout.write(self.style.SUCCESS("Restore complete."))
