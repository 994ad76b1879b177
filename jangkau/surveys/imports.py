"""Bulk import of paper surveys (POS step 6 on paper) from CSV or XLSX.

Columns: date,sex,age,education,occupation,u1,...,u9,suggestion,registration_number (docs/skm-import.md).
Every row is checked with the same rules as the web form (``answers.clean_answers``); the report names each
refused row by its line in the file (the header is line 1). By default nothing is imported when any row is
refused; with ``skip_invalid`` the good rows are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from jangkau.audit.services import audit_record
from jangkau.cases import services as case_services
from jangkau.cases import workflow
from jangkau.cases.models import Case, Status
from jangkau.core import clock
from jangkau.offices.models import Office

from .answers import ANSWER_FIELDS, clean_answers
from .instrument import active_instrument
from .models import Response

COLUMNS = ["date", "sex", "age", "education", "occupation", *ANSWER_FIELDS, "suggestion", "registration_number"]
BATCH = 5000
# A report lists this many refused rows at most; the count says how many there were.
REPORTED_MAX = 1000


class ImportFileError(ValueError):
    """The file cannot be read as a survey table at all (wrong type, encoding or header)."""


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    rejected_count: int = 0

    @property
    def ok(self) -> bool:
        return self.rejected_count == 0


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("Berkas CSV harus berenkode UTF-8.")) from None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error:
        # A cell longer than the csv module reads (128 KB), or NUL in the file: no survey table.
        raise ImportFileError(_("Berkas tidak terbaca. Pilih berkas lain.")) from None


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 -- openpyxl raises many kinds for a file that is not a workbook
        raise ImportFileError(_("Berkas ini bukan XLSX yang dapat dibaca.")) from None
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell(value) for value in row]
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 -- a sheet that breaks half-way (bad XML, a missing part) is unreadable
        raise ImportFileError(_("Berkas ini bukan XLSX yang dapat dibaca.")) from None
    finally:
        book.close()


def table_rows(content: bytes, filename: str) -> Iterator[list[str]]:
    """Yields the rows of a CSV or XLSX file (chosen by the name's extension) as lists of strings."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _xlsx_rows(content)
    if name.endswith(".csv"):
        return _csv_rows(content)
    raise ImportFileError(_("Berkas harus CSV atau XLSX."))


def _header(row: list[str]) -> list[str]:
    names = [cell.strip().lower() for cell in row]
    while names and not names[-1]:
        names.pop()
    missing = [column for column in COLUMNS if column not in names]
    unknown = [name for name in names if name not in COLUMNS]
    if missing or unknown or len(set(names)) != len(names):
        raise ImportFileError(
            _("Baris 1 harus berisi kolom: %(columns)s.") % {"columns": ",".join(COLUMNS)}
            + (" " + _("Tidak ada: %(missing)s.") % {"missing": ", ".join(missing)} if missing else "")
            + (" " + _("Tidak dikenal: %(unknown)s.") % {"unknown": ", ".join(unknown)} if unknown else "")
        )
    return names


def _answered_on(raw: str, today: date) -> tuple[date | None, str | None]:
    try:
        day = date.fromisoformat(raw[:10]) if len(raw) >= 10 else None
    except ValueError:
        day = None
    if day is None:
        return None, _("tulis tanggal TTTT-BB-HH.")
    if day > today:
        return None, _("tanggal di masa depan.")
    return day, None


def _reason(errors: dict[str, str]) -> str:
    return "; ".join(f"{name}: {message}" for name, message in errors.items())


@dataclass
class _Checked:
    line: int
    cleaned: dict
    answered_on: date
    case_id: int | None


def _check_rows(rows: Iterator[list[str]], office: Office, report: ImportReport) -> list[_Checked]:
    names = _header(next(rows, None) or [])
    today = case_services.office_today(office)
    numbers = dict(Case.objects.filter(office=office).values_list("registration_number", "id"))
    answered_cases = set(Response.objects.filter(office=office, case__isnull=False).values_list("case_id", flat=True))
    seen_cases: dict[int, int] = {}
    good: list[_Checked] = []
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line, common at the end of a sheet
        report.rows += 1
        data = dict(zip(names, (cell.strip() for cell in row), strict=False))
        cleaned, errors = clean_answers(data)
        day, problem = _answered_on(data.get("date", ""), today)
        if problem:
            errors = {"date": problem, **errors}
        case_id = None
        number = data.get("registration_number", "").upper()
        if number:
            case_id = numbers.get(number)
            if case_id is None:
                errors["registration_number"] = _("nomor registrasi tidak dikenal di kantor ini.")
            elif case_id in answered_cases:
                errors["registration_number"] = _("survei kasus ini sudah tercatat.")
            elif case_id in seen_cases:
                errors["registration_number"] = _("nomor yang sama sudah ada di baris %(line)s.") % {
                    "line": seen_cases[case_id]
                }
            else:
                seen_cases[case_id] = line
        if errors:
            report.rejected_count += 1
            if len(report.rejected) < REPORTED_MAX:
                report.rejected.append((line, _reason(errors)))
            continue
        good.append(_Checked(line, cleaned, day, case_id))
    return good


def skm_import(
    *, office: Office, content: bytes, filename: str, actor=None, skip_invalid: bool = False
) -> ImportReport:
    """Checks every row of the file and imports the paper surveys; returns the report.

    Raises ImportFileError when the file cannot be read as a survey table. With a refused row and without
    ``skip_invalid``, nothing is imported. Rows naming a case link to it, and a case still in its survey
    window (delivered) ends step 6. One ``survey.imported`` audit event records the import.
    """
    report = ImportReport()
    good = _check_rows(table_rows(content, filename), office, report)
    if report.rejected_count and not skip_invalid:
        return report
    instrument = active_instrument(office)
    now = clock.now()
    recorded_by = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        for start in range(0, len(good), BATCH):
            Response.objects.bulk_create(
                Response(
                    office=office,
                    instrument=instrument,
                    case_id=row.case_id,
                    mode=Response.Mode.PAPER,
                    answered_on=row.answered_on,
                    recorded_by=recorded_by,
                    created_at=now,
                    **row.cleaned,
                )
                for row in good[start : start + BATCH]
            )
        linked = [row.case_id for row in good if row.case_id]
        # The answers are the requester's own, on paper: the requester is the one who gave feedback.
        giver = recorded_by or workflow.REQUESTER
        for case in Case.objects.filter(pk__in=linked, status=Status.DELIVERED):
            response = Response.objects.get(case=case)
            case_services.case_record_feedback(
                case=case, actor=giver, survey_response=response.pk, mode=Response.Mode.PAPER
            )
        report.imported = len(good)
        audit_record(
            action="survey.imported",
            actor=recorded_by,
            actor_label=None if recorded_by else "system",
            office=office,
            changes={
                "file": filename[-200:],
                "rows": report.rows,
                "imported": report.imported,
                "rejected": report.rejected_count,
                "linked_cases": len(linked),
            },
        )
    return report
