"""``manage.py evaluation_report --office CODE --from YYYY-MM-DD --to YYYY-MM-DD --format json|xlsx|pdf
[--output FILE]``: the periodic evaluation (POS step 8), the same report as the back office and the API.

JSON goes to standard output unless ``--output`` names a file; the XLSX and PDF need ``--output`` and are
recorded in the audit trail as ``evaluation.report_exported`` (actor "system"), like every other download.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jangkau.offices.models import Office
from jangkau.reports.evaluation import PeriodError, custom_period, evaluation_report, report_json
from jangkau.reports.exports import EXPORT_FORMATS, evaluation_export


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Write the periodic evaluation of an office for a period as JSON, XLSX or PDF."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="Office code, e.g. bpmp-dki.")
        parser.add_argument("--from", required=True, dest="start", help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", required=True, dest="end", help="Last day, YYYY-MM-DD (included).")
        parser.add_argument("--format", choices=("json", *EXPORT_FORMATS), default="json", dest="output_format")
        parser.add_argument("--output", help="File to write (required for xlsx and pdf).")

    def handle(self, *args, office, start, end, output_format, output, **options):
        office_obj = Office.objects.filter(code=office).first()
        if office_obj is None:
            raise CommandError(f"Unknown office code {office!r}.")
        try:
            period = custom_period(_day(start), _day(end))
        except PeriodError as error:
            raise CommandError(error.message) from None
        if output_format == "json":
            report = evaluation_report(office_obj, period.start, period.end)
            text = json.dumps(report_json(report), ensure_ascii=False, indent=2)
            if output:
                Path(output).write_text(text + "\n", encoding="utf-8")
            else:
                self.stdout.write(text)
            return
        if not output:
            raise CommandError(f"--format {output_format} needs --output FILE.")
        export = evaluation_export(
            actor=None, office=office_obj, start=period.start, end=period.end, file_format=output_format
        )
        Path(output).write_bytes(export.content)
        self.stdout.write(f"{output}: {len(export.content)} bytes")
