"""``manage.py ikm --office CODE --from YYYY-MM-DD --to YYYY-MM-DD [--service CODE] --format json|text``."""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from jangkau.offices.models import Office, ServiceType
from jangkau.surveys.reports import ikm_report


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Print the IKM (PermenPANRB 14/2017) of an office for a period, as JSON or as text."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="Office code, e.g. bpmp-dki.")
        parser.add_argument("--from", required=True, dest="start", help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", required=True, dest="end", help="Last day, YYYY-MM-DD (included).")
        parser.add_argument("--service", help="Only this service type's code.")
        parser.add_argument("--format", choices=("json", "text"), default="json", dest="output_format")

    def handle(self, *args, office, start, end, service, output_format, **options):
        office_obj = Office.objects.filter(code=office).first()
        if office_obj is None:
            raise CommandError(f"Unknown office code {office!r}.")
        start, end = _day(start), _day(end)
        if end < start:
            raise CommandError("--to is before --from.")
        service_type = None
        if service:
            service_type = ServiceType.objects.filter(office=office_obj, code=service).first()
            if service_type is None:
                raise CommandError(f"Office {office!r} has no service {service!r}.")
        report = ikm_report(office_obj, start, end, service_type)
        if output_format == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"IKM {report['office']} {report['from']} s.d. {report['to']}")
        for element in report["unsur"]:
            nrr = "-" if element["nrr"] is None else f"{element['nrr']:.4f}"
            self.stdout.write(f"  {element['code']:<3} {element['name']:<45} NRR {nrr}")
        converted = report["ikm_converted"]
        self.stdout.write(
            f"Responden {report['respondents']} (sampel minimum {report['sample_required']} dari "
            f"{report['population_served']} dilayani)"
        )
        self.stdout.write(
            "IKM -" if converted is None else f"IKM {converted:.2f}: {report['grade']} ({report['performance']})"
        )
