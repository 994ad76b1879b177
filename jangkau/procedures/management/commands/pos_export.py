"""``manage.py pos_export --office CODE --format json|text``: prints an office's active POS."""

from __future__ import annotations

import json
import textwrap
from itertools import zip_longest

from django.core.management.base import BaseCommand, CommandError

from jangkau.core.errors import DomainError
from jangkau.offices.models import Office
from jangkau.procedures.models import Actor
from jangkau.procedures.selectors import active_procedure, procedure_as_dict

# (heading, width) of the text table; the widths keep a row readable in a 120-column terminal.
COLUMNS = (("No", 3), ("Kegiatan", 44), ("Pelaksana", 22), ("Waktu", 13), ("Output", 30))

LIST_HEADINGS = (
    ("legal_basis", "Dasar Hukum"),
    ("qualifications", "Kualifikasi Pelaksana"),
    ("related_procedures", "Keterkaitan"),
    ("equipment", "Peralatan/Perlengkapan"),
    ("warnings", "Peringatan"),
    ("recording", "Pencatatan dan Pendataan"),
)


class Command(BaseCommand):
    help = "Print the active POS (procedure) of an office as JSON or as a readable table."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="Office code, e.g. bpmp-dki.")
        parser.add_argument("--format", choices=("json", "text"), default="json", dest="output_format")

    def handle(self, *args, office, output_format, **options):
        try:
            office_obj = Office.objects.get(code=office)
        except Office.DoesNotExist:
            raise CommandError(f"Unknown office code {office!r}.") from None
        try:
            version = active_procedure(office_obj)
        except DomainError as error:
            raise CommandError(f"Office {office!r} has no active POS version: {error.message}") from None
        data = procedure_as_dict(version)
        if output_format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_text(data))


def render_text(data: dict) -> str:
    """Returns the POS as plain text: identity section, lists, then the step table and its remarks."""
    approver = data["approver"]
    lines = [
        f"{data['title']} (versi {data['version']}, {data['status']})",
        f"Nomor POS        : {data['number']}",
        f"Tanggal Pembuatan: {data['made_on'] or '-'}",
        f"Tanggal Revisi   : {data['revised_on'] or '-'}",
        f"Tanggal Efektif  : {data['effective_date']}",
        f"Disahkan Oleh    : {approver['position']} {approver['name']} (NIP {approver['nip']})",
    ]
    for key, heading in LIST_HEADINGS:
        lines += ["", f"{heading}:"] + [f"  {n}. {item}" for n, item in enumerate(data[key], start=1)]
    lines += ["", _row([heading for heading, _ in COLUMNS]), "-+-".join("-" * width for _, width in COLUMNS)]
    remarks = []
    for step in data["steps"]:
        actors = ", ".join(str(Actor(code).label) for code in step["actors"])
        lines.append(_row([str(step["no"]), step["activity"], actors, step["standard_label"], step["output"]]))
        if step["remarks"]:
            remarks.append(f"  {step['no']}. {step['remarks']}")
    if remarks:
        lines += ["", "Keterangan:"] + remarks
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    wrapped = [textwrap.wrap(cell, width) or [""] for cell, (_, width) in zip(cells, COLUMNS, strict=True)]
    out = []
    for parts in zip_longest(*wrapped, fillvalue=""):
        out.append(" | ".join(part.ljust(width) for part, (_, width) in zip(parts, COLUMNS, strict=True)).rstrip())
    return "\n".join(out)
