"""The periodic evaluation as files: an XLSX workbook (numbers stay numbers) and an A4 PDF with the SVG
charts, both built from one :class:`~jangkau.reports.evaluation.EvaluationReport`. Each download goes
through :func:`evaluation_export`, which writes one audit event ``evaluation.report_exported`` (who, which
format, which period), as the recap's downloads do.

No requester is named in either file: cases appear by registration number only.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import dateformat
from django.utils.translation import gettext as _

from jangkau.audit.services import audit_record
from jangkau.cases.recap import EXPORT_TYPES, RecapExport
from jangkau.core.pdf import html_to_pdf

from .evaluation import EMPTY, EvaluationReport, evaluation_report, report_charts
from .monitoring import assessment_label

EXPORT_FORMATS = ("xlsx", "pdf")


def _naive(moment: datetime | None) -> datetime | None:
    # Excel has no time zones: the times are the office's, as the summary sheet says.
    return moment.replace(tzinfo=None) if moment is not None else None


def _one_decimal(value) -> float | None:
    return round(float(value), 1) if value is not None else None


def _yes_no(value: bool | None) -> str:
    return {True: _("Ya"), False: _("Tidak")}.get(value, EMPTY)


def _sheet(workbook, title: str, headings: list[str], rows: list[list], widths: dict[str, int], formats=None):
    from openpyxl.styles import Alignment, Font

    sheet = workbook.create_sheet(title)
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in rows:
        sheet.append(row)
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    for column, number_format in (formats or {}).items():
        for cell in sheet[column][1:]:
            if isinstance(cell.value, (int, float, datetime, date)):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    return sheet


def _as_text(sheet) -> None:
    # Text stays text: an explanation typed as "=HYPERLINK(...)" must never become a formula.
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def evaluation_xlsx(report: EvaluationReport) -> bytes:
    """Returns the report as an XLSX workbook with the sheets "Ringkasan", "Volume", "Waktu per langkah",
    "Pelanggaran", "Pengecualian", "Evaluasi kasus", "IKM", "Pemantauan SOP" and "Tindak lanjut". Counts,
    minutes and percentages are numbers; times are the office's."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.properties.creator = "Jangkau"
    workbook.properties.title = _("Evaluasi berkala layanan jemput bola")
    bold = Font(bold=True)
    period = report.period

    summary = workbook.active
    summary.title = _("Ringkasan")
    summary.append([_("Evaluasi berkala layanan jemput bola (POS langkah 8)")])
    summary["A1"].font = Font(bold=True, size=13)
    summary_rows = [
        (_("Kantor"), report.office.name),
        (_("Periode"), period.label),
        (_("Tanggal"), period.dates_text),
        (_("Dari"), period.start),
        (_("Sampai"), period.end),
        (_("Dibuat pada"), dateformat.format(report.generated_at, "j F Y, H.i T")),
        (_("Zona waktu"), report.office.time_zone),
        (None, None),
        (_("Permohonan diajukan dalam periode"), report.cases_submitted),
        (_("Langkah selesai dalam periode"), report.steps_done),
        (_("Pelanggaran waktu standar"), report.breach_count),
        (_("Pelanggaran yang belum dijelaskan"), report.unexplained_breaches),
        (_("Ditolak"), len(report.rejected)),
        (_("Dibatalkan"), len(report.cancelled)),
        (_("Tidak dapat dihubungi"), len(report.unreachable)),
        (_("Kasus ditutup"), report.closing.closed),
        (_("IKM konversi"), report.ikm.ikm_converted),
        (_("Mutu pelayanan"), report.ikm.grade or EMPTY),
        (None, None),
        (
            _("Catatan"),
            _(
                "Volume dihitung dari permohonan yang diajukan dalam periode; waktu langkah dari langkah yang "
                "selesai dalam periode."
            ),
        ),
        (
            _("Data pribadi"),
            _("Laporan ini tidak memuat nama atau nomor identitas pemohon; kasus disebut dengan nomor registrasinya."),
        ),
    ]
    for label, value in summary_rows:
        summary.append([label, value])
        cell = summary.cell(row=summary.max_row, column=2)
        cell.alignment = Alignment(horizontal="left", wrap_text=True)
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(value, float):
            cell.number_format = "0.00"
    summary.column_dimensions["A"].width = 38
    summary.column_dimensions["B"].width = 70

    volume = workbook.create_sheet(_("Volume"))
    volume.append([_("Kelompok"), _("Kategori"), _("Kode"), _("Jumlah permohonan")])
    for cell in volume[1]:
        cell.font = bold
    for group in report.volumes:
        for row in group.rows:
            volume.append([group.title, row.label, row.code, row.count])
        volume.append([group.title, _("Jumlah permohonan dalam periode"), None, group.cases])
        volume.cell(row=volume.max_row, column=2).font = bold
    volume.append([])
    volume.append([_("Satu permohonan dapat termasuk lebih dari satu kelompok rentan.")])
    volume.column_dimensions["A"].width = 20
    volume.column_dimensions["B"].width = 52
    volume.column_dimensions["C"].width = 24
    volume.column_dimensions["D"].width = 18

    _sheet(
        workbook,
        _("Waktu per langkah"),
        [
            _("Langkah"),
            _("Kegiatan"),
            _("Waktu standar (tertulis)"),
            _("Waktu standar (menit)"),
            _("Selesai"),
            _("Dalam waktu standar"),
            _("Dalam waktu standar (%)"),
            _("Median (menit kerja)"),
            _("Persentil ke-90 (menit kerja)"),
            _("Pelanggaran"),
        ],
        [
            [
                step.no,
                step.activity,
                step.standard_label,
                step.standard_minutes,
                step.done,
                step.within_standard,
                _one_decimal(step.within_percent),
                step.median_minutes,
                step.p90_minutes,
                step.breaches,
            ]
            for step in report.steps
        ],
        {"B": 60, "C": 16, "D": 14, "E": 10, "F": 14, "G": 14, "H": 14, "I": 16, "J": 12},
        {"G": "0.0", "H": "0.0", "I": "0.0"},
    )

    _sheet(
        workbook,
        _("Pelanggaran"),
        [
            _("No. registrasi"),
            _("Langkah"),
            _("Kegiatan"),
            _("Batas waktu"),
            _("Selesai"),
            _("Terlambat (menit kerja)"),
            _("Penjelasan"),
            _("Dijelaskan oleh"),
            _("Dijelaskan pada"),
        ],
        [
            [
                row.registration_number,
                row.step_no,
                row.activity,
                _naive(row.due_at),
                _naive(row.done_at),
                round(row.late_minutes, 1),
                row.explanation_text,
                row.explained_by or EMPTY,
                _naive(row.explained_at),
            ]
            for row in report.breaches
        ],
        {"A": 18, "C": 40, "D": 17, "E": 17, "F": 14, "G": 50, "H": 20, "I": 17},
        {"D": "yyyy-mm-dd hh:mm", "E": "yyyy-mm-dd hh:mm", "F": "0.0", "I": "yyyy-mm-dd hh:mm"},
    )

    _sheet(
        workbook,
        _("Pengecualian"),
        [
            _("Jenis"),
            _("No. registrasi"),
            _("Waktu"),
            _("Status sekarang"),
            _("Alasan"),
            _("Rujukan"),
            _("Upaya menghubungi"),
            _("Hasil upaya terakhir"),
        ],
        [
            [
                row.kind_label,
                row.registration_number,
                _naive(row.at),
                row.status,
                row.reason,
                row.referral or EMPTY,
                row.contact_attempts if row.kind == "unreachable" else None,
                row.last_result if row.kind == "unreachable" else EMPTY,
            ]
            for row in report.exceptions
        ],
        {"A": 20, "B": 18, "C": 17, "D": 22, "E": 44, "F": 30, "G": 12, "H": 20},
        {"C": "yyyy-mm-dd hh:mm"},
    )

    closing = workbook.create_sheet(_("Evaluasi kasus"))
    closing.append([_("Evaluasi penutupan kasus yang ditutup dalam periode"), None])
    closing["A1"].font = bold
    closing.append([_("Kasus ditutup"), report.closing.closed])
    for title, rows in (
        (_("Kebutuhan pemohon terpenuhi?"), report.closing.need_met),
        (_("Cara layanan tepat?"), report.closing.mode_right),
        (_("Akomodasi yang diminta disediakan?"), report.closing.accommodations),
    ):
        closing.append([])
        closing.append([title, _("Jumlah kasus")])
        for cell in closing[closing.max_row]:
            cell.font = bold
        for row in rows:
            closing.append([row.label, row.count])
    closing.append([])
    closing.append([_("No. registrasi"), _("Kebutuhan"), _("Cara tepat"), _("Akomodasi"), _("Catatan evaluasi")])
    for cell in closing[closing.max_row]:
        cell.font = bold
    for note in report.closing.notes:
        closing.append([note.registration_number, note.need_met, note.mode_right, note.accommodations, note.notes])
    closing.column_dimensions["A"].width = 40
    closing.column_dimensions["B"].width = 20
    closing.column_dimensions["E"].width = 60

    ikm = workbook.create_sheet(_("IKM"))
    ikm.append([_("Indeks Kepuasan Masyarakat (IKM)"), None])
    ikm["A1"].font = bold
    for label, value in (
        (_("Responden"), report.ikm.respondents),
        (_("Jumlah orang dilayani (N)"), report.ikm.population_served),
        (_("Sampel minimum (Krejcie–Morgan)"), report.ikm.sample_required),
        (_("Sampel tercapai"), _yes_no(report.ikm.sample_sufficient)),
        (_("IKM konversi (25–100)"), report.ikm.ikm_converted),
        (_("Mutu pelayanan"), report.ikm.grade or EMPTY),
        (_("Kinerja unit pelayanan"), report.ikm.performance or EMPTY),
    ):
        ikm.append([label, value])
        if isinstance(value, float):
            ikm.cell(row=ikm.max_row, column=2).number_format = "0.00"
    ikm.append([])
    ikm.append([_("Tiga unsur terlemah"), _("Kode"), _("NRR")])
    for cell in ikm[ikm.max_row]:
        cell.font = bold
    for element in report.ikm.weakest:
        ikm.append([element.name, element.code, element.nrr])
        ikm.cell(row=ikm.max_row, column=3).number_format = "0.0000"
    ikm.column_dimensions["A"].width = 40
    ikm.column_dimensions["B"].width = 14

    _sheet(
        workbook,
        _("Pemantauan SOP"),
        [
            _("No."),
            _("Kegiatan"),
            _("Penilaian"),
            _("Berjalan baik"),
            _("Catatan hasil penilaian"),
            _("Tindakan yang harus diambil"),
            _("Yang menilai"),
            _("Dinilai pada"),
            _("Isian otomatis"),
        ],
        [
            [
                row.no,
                row.activity,
                assessment_label(row.ran_well),
                _yes_no(row.ran_well),
                row.notes,
                row.action_to_take or EMPTY,
                row.assessor or EMPTY,
                _naive(row.assessed_at),
                _yes_no(row.prefilled),
            ]
            for row in report.monitoring
        ],
        {"B": 50, "C": 24, "D": 12, "E": 44, "F": 44, "G": 20, "H": 17, "I": 12},
        {"H": "yyyy-mm-dd hh:mm"},
    )

    _sheet(
        workbook,
        _("Tindak lanjut"),
        [
            _("Judul"),
            _("Tindakan"),
            _("Langkah POS"),
            _("Penanggung jawab"),
            _("Batas waktu"),
            _("Status"),
            _("Selesai pada"),
            _("Yang sudah dilakukan"),
            _("Dari periode sebelumnya"),
            _("Terlambat"),
        ],
        [
            [
                row.title,
                row.description,
                row.step_no,
                row.owner or EMPTY,
                row.due_date,
                row.status_label,
                _naive(row.done_at),
                row.done_note or EMPTY,
                _yes_no(row.carried_over),
                _yes_no(row.overdue),
            ]
            for row in report.followups
        ],
        {"A": 30, "B": 44, "D": 20, "E": 12, "F": 18, "G": 17, "H": 40, "I": 14, "J": 10},
        {"E": "yyyy-mm-dd", "G": "yyyy-mm-dd hh:mm"},
    )

    for sheet in workbook.worksheets:
        _as_text(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def evaluation_html(report: EvaluationReport) -> str:
    charts = report_charts(report)
    closing = report.closing
    return render_to_string(
        "backoffice/evaluation/report_pdf.html",
        {
            "report": report,
            "charts": charts,
            "volume_parts": [(group, charts[group.key]) for group in report.volumes],
            "closing_parts": [
                (_("Kebutuhan pemohon terpenuhi?"), closing.need_met),
                (_("Cara layanan tepat?"), closing.mode_right),
                (_("Akomodasi yang diminta disediakan?"), closing.accommodations),
            ],
        },
    )


def evaluation_pdf(report: EvaluationReport) -> bytes:
    """Returns the report as an A4 PDF, the charts drawn from inline SVG beside their tables."""
    return html_to_pdf(evaluation_html(report))


def evaluation_export(*, actor, office, start: date, end: date, file_format: str) -> RecapExport:
    """Builds the evaluation file (``file_format`` "xlsx" or "pdf") of ``office`` for ``start``..``end`` and
    records the download in the audit trail as ``evaluation.report_exported`` (who, format, period); the back
    office, the API and the command all hand it out as is."""
    report = evaluation_report(office, start, end)
    build = {"xlsx": evaluation_xlsx, "pdf": evaluation_pdf}[file_format]
    content = build(report)
    with transaction.atomic():
        audit_record(
            action="evaluation.report_exported",
            actor=actor,
            office=office,
            changes={
                "format": file_format,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "period": report.period.kind,
            },
        )
    filename = f"evaluasi-{office.code}-{start.isoformat()}-{end.isoformat()}.{file_format}"
    return RecapExport(content, EXPORT_TYPES[file_format], filename)
