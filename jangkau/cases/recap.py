"""The recap of requests (POS step 2's output, "rekap permintaan layanan"): which of an office's cases a
filter selects, the rows shown on screen and exported, and the XLSX and PDF files.

Rows never carry a full identifier: the NIK (or other identity number) and the phone number are masked
before they leave this module, so no page or file built from them can leak one.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from jangkau.audit.services import audit_record
from jangkau.core import clock
from jangkau.core.masking import mask_identifier, mask_phone
from jangkau.core.pdf import html_to_pdf

from .models import Case, Channel, Status, StepRecord
from .vocabulary import IdType, Vulnerability, label_of

EMPTY = "—"


@dataclass(frozen=True)
class RecapFilters:
    """What the recap is narrowed to; an empty value means "all".

    The period is a pair of calendar dates in the office's time zone, both included. ``service_type`` is the
    service's code in the office's catalogue and ``officer`` the primary key of the staff member holding
    the case. Nothing here is personal data of a requester, so the filters may be written to the audit trail.
    """

    date_from: date | None = None
    date_to: date | None = None
    vulnerability: str = ""
    channel: str = ""
    service_type: str = ""
    status: str = ""
    officer: int | None = None

    def as_params(self) -> dict[str, str]:
        """Returns the filters that are set, as query-string values (dates as YYYY-MM-DD)."""
        params = {}
        for name, value in asdict(self).items():
            if value in (None, ""):
                continue
            params[name] = value.isoformat() if isinstance(value, date) else str(value)
        return params

    def as_query(self) -> str:
        return urlencode(self.as_params())


# --- selecting --------------------------------------------------------------------------------------------


def period_bounds(office, date_from: date | None, date_to: date | None) -> tuple[datetime | None, datetime | None]:
    """Returns the moments [start, end) that the dates cover in the office's time zone: from the start of
    ``date_from`` to the start of the day after ``date_to``."""
    tz = ZoneInfo(office.time_zone)
    start = datetime.combine(date_from, time.min, tzinfo=tz) if date_from else None
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz) if date_to and date_to < date.max else None
    return start, end


def recap_cases(office, filters: RecapFilters) -> QuerySet[Case]:
    """Returns the office's cases that ``filters`` select, oldest submission first.

    The service, the holder and the office come in the same query, and the current step (the lowest open
    step) is a subquery, so building the rows makes no query per case.
    """
    current_step = (
        StepRecord.objects.filter(case=OuterRef("pk"), done_at__isnull=True).order_by("step_no").values("step_no")[:1]
    )
    cases = (
        Case.objects.filter(office=office)
        .select_related("office", "service_type", "assigned_to")
        .annotate(current_step=Subquery(current_step))
        .order_by("submitted_at", "pk")
    )
    start, end = period_bounds(office, filters.date_from, filters.date_to)
    if start is not None:
        cases = cases.filter(submitted_at__gte=start)
    if end is not None:
        cases = cases.filter(submitted_at__lt=end)
    if filters.vulnerability:
        cases = cases.filter(_has_vulnerability(filters.vulnerability))
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    if filters.service_type:
        cases = cases.filter(service_type__code=filters.service_type)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.officer is not None:
        cases = cases.filter(assigned_to_id=filters.officer)
    return cases


def _has_vulnerability(code: str) -> Q:
    if connection.features.supports_json_field_contains:
        return Q(vulnerabilities__contains=[code])
    # SQLite has no JSON containment: match the quoted code in the stored list. Codes are a closed
    # vocabulary of letters and underscores, and the quotes keep one code from matching inside another.
    return Q(vulnerabilities__icontains=f'"{code}"')


# --- rows -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecapRow:
    """One case as the recap shows it: labels instead of codes, identifiers masked, times in office time."""

    registration_number: str
    submitted_at: datetime
    requester_name: str
    id_type: str
    id_number: str
    phone: str
    vulnerabilities: tuple[str, ...]
    channel: str
    service: str
    status: str
    officer: str
    current_step: int | None

    @property
    def vulnerabilities_text(self) -> str:
        return "; ".join(self.vulnerabilities)

    @property
    def current_step_text(self) -> str:
        if self.current_step is None:
            return EMPTY
        return _("Langkah %(no)s") % {"no": self.current_step}


def recap_rows(cases) -> list[RecapRow]:
    """Returns the rows of ``cases`` (from :func:`recap_cases`), labelled in the active language."""
    vulnerabilities = dict(Vulnerability.choices)
    channels = dict(Channel.choices)
    statuses = dict(Status.choices)
    id_types = dict(IdType.choices)
    rows = []
    for case in cases:
        tz = ZoneInfo(case.office.time_zone)
        has_number = case.id_document_type != IdType.NONE and case.id_document_number
        rows.append(
            RecapRow(
                registration_number=case.registration_number,
                submitted_at=timezone.localtime(case.submitted_at, tz),
                requester_name=case.requester_name,
                id_type=str(id_types.get(case.id_document_type, case.id_document_type)),
                id_number=mask_identifier(case.id_document_number) if has_number else EMPTY,
                phone=mask_phone(case.phone) if case.phone else EMPTY,
                vulnerabilities=tuple(str(vulnerabilities.get(code, code)) for code in case.vulnerabilities or []),
                channel=str(channels.get(case.channel, case.channel)),
                service=case.service_type.display_name,
                status=str(statuses.get(case.status, case.status)),
                officer=str(case.assigned_to) if case.assigned_to_id else EMPTY,
                current_step=getattr(case, "current_step", None),
            )
        )
    return rows


# --- describing the filters (export headers) --------------------------------------------------------------


def describe_filters(office, filters: RecapFilters) -> list[tuple[str, str]]:
    """Returns (label, value) pairs naming every filter, "Semua" for those not set, for the files' headers."""
    everything = _("Semua")
    service = officer = everything
    if filters.service_type:
        found = office.service_types.filter(code=filters.service_type).first()
        service = found.display_name if found else filters.service_type
    if filters.officer is not None:
        found = office.staff.filter(pk=filters.officer).first()
        officer = str(found) if found else str(filters.officer)
    return [
        (_("Periode pengajuan"), describe_period(filters)),
        (_("Kelompok rentan"), label_of(Vulnerability, filters.vulnerability) or everything),
        (_("Saluran"), label_of(Channel, filters.channel) or everything),
        (_("Jenis layanan"), service),
        (_("Status"), label_of(Status, filters.status) or everything),
        (_("Petugas"), officer),
    ]


def describe_period(filters: RecapFilters) -> str:
    """Returns the period in words: "1 Januari 2025 s.d. 31 Januari 2025", "sejak ...", "sampai ...", "Semua"."""
    start = dateformat.format(filters.date_from, "j F Y") if filters.date_from else ""
    end = dateformat.format(filters.date_to, "j F Y") if filters.date_to else ""
    if start and end:
        return _("%(start)s s.d. %(end)s") % {"start": start, "end": end}
    if start:
        return _("sejak %(start)s") % {"start": start}
    if end:
        return _("sampai %(end)s") % {"end": end}
    return _("Semua")


# --- files ------------------------------------------------------------------------------------------------


COLUMNS = (
    # (heading, width in characters)
    (lambda: _("No. registrasi"), 18),
    (lambda: _("Diajukan pada"), 17),
    (lambda: _("Nama pemohon"), 28),
    (lambda: _("Dokumen identitas"), 22),
    (lambda: _("NIK / nomor identitas"), 21),
    (lambda: _("Telepon"), 17),
    (lambda: _("Kelompok rentan"), 40),
    (lambda: _("Saluran"), 16),
    (lambda: _("Jenis layanan"), 30),
    (lambda: _("Status"), 24),
    (lambda: _("Petugas"), 22),
    (lambda: _("Langkah saat ini"), 15),
)


def column_headings() -> list[str]:
    return [heading() for heading, _width in COLUMNS]


def _cells(row: RecapRow) -> list:
    return [
        row.registration_number,
        row.submitted_at.replace(tzinfo=None),  # Excel has no time zones: the header names the office's
        row.requester_name,
        row.id_type,
        row.id_number,
        row.phone,
        row.vulnerabilities_text or EMPTY,
        row.channel,
        row.service,
        row.status,
        row.officer,
        row.current_step if row.current_step is not None else EMPTY,
    ]


def _local_now(office) -> datetime:
    return timezone.localtime(clock.now(), ZoneInfo(office.time_zone))


def recap_xlsx(rows: list[RecapRow], filters: RecapFilters, *, office, exported_at: datetime | None = None) -> bytes:
    """Returns the recap as an XLSX workbook: the sheet "Rekap" with a header row and one row per case, and
    the sheet "Keterangan" naming the office, the export time and the filters."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    exported_at = exported_at or _local_now(office)
    workbook = Workbook()
    workbook.properties.creator = "Jangkau"
    workbook.properties.title = _("Rekap permohonan")
    sheet = workbook.active
    sheet.title = _("Rekap")
    bold = Font(bold=True)
    headings = column_headings()
    headings[1] = f"{headings[1]} ({exported_at.tzname()})"
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in rows:
        sheet.append(_cells(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # Text stays text: a name typed as "=HYPERLINK(...)" must never become a formula.
                cell.data_type = "s"
        sheet.cell(row=sheet.max_row, column=2).number_format = "yyyy-mm-dd hh:mm"
    for index, (_heading, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"

    about = workbook.create_sheet(_("Keterangan"))
    about.append([_("Rekap permohonan layanan jemput bola")])
    about["A1"].font = Font(bold=True, size=13)
    about.append([_("Kantor"), office.name])
    about.append([_("Diekspor pada"), dateformat.format(exported_at, "j F Y, H.i T")])
    about.append([_("Jumlah permohonan"), len(rows)])
    about.append([])
    about.append([_("Saringan")])
    about.cell(row=about.max_row, column=1).font = bold
    for label, value in describe_filters(office, filters):
        about.append([label, value])
    for row in about.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 50

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def recap_html(rows: list[RecapRow], filters: RecapFilters, *, office, exported_at: datetime | None = None) -> str:
    exported_at = exported_at or _local_now(office)
    headings = column_headings()
    headings[1] = f"{headings[1]} ({exported_at.tzname()})"
    return render_to_string(
        "backoffice/recap/recap_pdf.html",
        {
            "rows": rows,
            "office": office,
            "filters": describe_filters(office, filters),
            "exported_at": exported_at,
            "headings": headings,
        },
    )


def recap_pdf(rows: list[RecapRow], filters: RecapFilters, *, office, exported_at: datetime | None = None) -> bytes:
    """Returns the recap as a landscape A4 PDF: the office, the filters, the export time and the table."""
    return html_to_pdf(recap_html(rows, filters, office=office, exported_at=exported_at))


# --- recording the export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecapExport:
    content: bytes
    content_type: str
    filename: str


EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def recap_export(*, actor, office, filters: RecapFilters, file_format: str) -> RecapExport:
    """Builds the recap file (``file_format`` "xlsx" or "pdf") of the office's cases under ``filters`` and
    records the export in the audit trail; the back office and the API both hand it out as is."""
    rows = recap_rows(recap_cases(office, filters))
    build = {"xlsx": recap_xlsx, "pdf": recap_pdf}[file_format]
    content = build(rows, filters, office=office)
    recap_export_record(actor=actor, office=office, file_format=file_format, filters=filters, rows=len(rows))
    day = clock.now().astimezone(ZoneInfo(office.time_zone)).date().isoformat()
    return RecapExport(content, EXPORT_TYPES[file_format], f"rekap-{office.code}-{day}.{file_format}")


def recap_export_record(*, actor, office, file_format: str, filters: RecapFilters, rows: int) -> None:
    """Writes the audit event of one export: who, which format, which filters (codes and dates only), how
    many rows."""
    with transaction.atomic():
        audit_record(
            action="recap.export",
            actor=actor,
            office=office,
            changes={"format": file_format, "filters": filters.as_params(), "rows": rows},
        )
