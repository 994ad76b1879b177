"""``manage.py import_skm FILE --office CODE [--skip-invalid]``: paper surveys from CSV or XLSX."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jangkau.offices.models import Office
from jangkau.surveys.imports import COLUMNS, ImportFileError, skm_import


class Command(BaseCommand):
    help = "Import paper SKM forms from a CSV or XLSX file with the columns " + ",".join(COLUMNS) + "."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file; line 1 names the columns.")
        parser.add_argument("--office", required=True, help="Office code, e.g. bpmp-dki.")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Import the good rows even when some are refused."
        )

    def handle(self, *args, file, office, skip_invalid, **options):
        office_obj = Office.objects.filter(code=office).first()
        if office_obj is None:
            raise CommandError(f"Unknown office code {office!r}.")
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            report = skm_import(office=office_obj, content=content, filename=path.name, skip_invalid=skip_invalid)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        for line, reason in report.rejected:
            self.stderr.write(f"baris {line}: {reason}")
        if report.rejected_count > len(report.rejected):
            self.stderr.write(f"... dan {report.rejected_count - len(report.rejected)} baris lain ditolak")
        if report.rejected_count and not skip_invalid:
            raise CommandError(
                f"{report.rejected_count} of {report.rows} rows refused; nothing imported. "
                "Correct them, or use --skip-invalid to import the good rows."
            )
        self.stdout.write(f"Imported {report.imported} of {report.rows} rows; {report.rejected_count} refused.")
