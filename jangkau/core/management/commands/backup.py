from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jangkau.core import clock
from jangkau.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Writes one archive (.tar.gz) of the database and the uploaded files, with a manifest of checksums. "
        "Safe while the server runs. Restoring it needs the same FIELD_ENCRYPTION_KEY and AUDIT_CHAIN_KEY "
        "(docs/backup.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Archive to write, or a directory to write it into (default: JANGKAU_VAR_DIR/backups/).",
        )
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args, output, database, **options):
        name = f"jangkau-{timezone.localtime(clock.now()).strftime('%Y%m%d-%H%M%S')}.tar.gz"
        path = Path(output) if output else Path(settings.VAR_DIR) / "backups"
        if output is None or path.is_dir() or str(output).endswith("/"):
            path = path / name
        try:
            manifest = backup_create(output=path, using=database)
        except BackupError as exc:
            raise CommandError(f"backup failed: {exc}") from exc
        db = manifest["database"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {path} ({path.stat().st_size} bytes): {db['vendor']} database, "
                f"{len(db['tables'])} tables, {db['rows']} rows; {manifest['media']['files']} files "
                f"({manifest['media']['bytes']} bytes) from {manifest['media']['root']}."
            )
        )
