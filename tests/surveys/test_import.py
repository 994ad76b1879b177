"""Bulk import of paper surveys: every row checked, refused rows named by line, all or nothing by default."""

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.models import Case, Status
from jangkau.surveys.imports import COLUMNS, ImportFileError, skm_import
from jangkau.surveys.models import Response
from jangkau.surveys.services import survey_record_by_officer
from tests.builders import case_in
from tests.surveys.test_answering import ANSWERS

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
GOOD = "2025-01-03,P,67,sd,other,4,3,3,4,3,4,4,3,3,Petugas ramah,"
GOOD2 = "2025-01-02,L,35,d4_s1,pns,3,3,2,4,3,3,3,2,3,,"


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def _run(path, office_code, *flags):
    out, err = StringIO(), StringIO()
    call_command("import_skm", str(path), "--office", office_code, *flags, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_is_imported_and_a_named_case_ends_its_survey_step(world, frozen, tmp_path):
    case = svc.case_deliver(case=case_in(Status.SCHEDULED, world), actor=world.ult, notes="Diantar")
    path = tmp_path / "skm.csv"
    path.write_bytes(csv_bytes(GOOD, GOOD2, GOOD + case.registration_number))

    out, err = _run(path, world.office.code)

    assert out.strip() == "Imported 3 of 3 rows; 0 refused." and err == ""
    assert Response.objects.filter(mode="paper").count() == 3
    linked = Response.objects.get(case=case)
    assert (linked.u1, linked.age, linked.suggestion) == (4, 67, "Petugas ramah")
    assert Case.objects.get(pk=case.pk).status == Status.FEEDBACK_RECEIVED
    event = AuditEvent.objects.filter(action="survey.imported").get()
    assert event.changes == {"file": "skm.csv", "rows": 3, "imported": 3, "rejected": 0, "linked_cases": 1}


def test_one_bad_row_imports_nothing_and_is_named_by_its_line(world, frozen, tmp_path):
    path = tmp_path / "skm.csv"
    path.write_bytes(csv_bytes(GOOD, GOOD.replace(",4,3,3,4,3,", ",4,3,5,4,3,", 1), GOOD2))

    with pytest.raises(CommandError, match="1 of 3 rows refused; nothing imported"):
        _run(path, world.office.code)

    assert not Response.objects.exists()
    assert not AuditEvent.objects.filter(action="survey.imported").exists()


def test_the_report_names_each_refused_row_and_why(world, frozen):
    report = skm_import(
        office=world.office,
        filename="skm.csv",
        content=csv_bytes(
            GOOD,
            "2025-02-30,P,67,sd,other,4,3,3,4,3,4,4,3,3,,",  # line 3: no such day
            "2025-01-03,X,67,sd,other,4,3,3,4,3,4,4,3,3,,",  # line 4: sex
            "2025-01-03,P,67,sd,other,4,3,3,4,3,4,4,3,3,,JB-2099-000001",  # line 5: unknown case
            "2099-01-03,P,seratus,tk,other,4,3,3,4,3,4,4,3,,,",  # line 6: future date, age, education, u9
        ),
    )

    assert (report.rows, report.imported, report.rejected_count) == (5, 0, 4)
    assert [line for line, _ in report.rejected] == [3, 4, 5, 6]
    assert report.rejected[0][1].startswith("date: ")
    assert report.rejected[1][1] == "sex: Pilih jenis kelamin."
    assert "registration_number" in report.rejected[2][1]
    assert [part.split(":")[0] for part in report.rejected[3][1].split("; ")] == ["date", "u9", "age", "education"]


def test_skip_invalid_imports_the_good_rows(world, frozen, tmp_path):
    path = tmp_path / "skm.csv"
    path.write_bytes(csv_bytes(GOOD, GOOD.replace(",P,", ",?,", 1), GOOD2))

    out, err = _run(path, world.office.code, "--skip-invalid")

    assert out.strip() == "Imported 2 of 3 rows; 1 refused."
    assert err.strip() == "baris 3: sex: Pilih jenis kelamin."
    assert Response.objects.count() == 2


def test_a_case_cannot_get_a_second_survey_by_import(world, frozen):
    case = svc.case_deliver(case=case_in(Status.SCHEDULED, world), actor=world.ult, notes="Diantar")
    survey_record_by_officer(case=case, actor=world.ult, mode="assisted", data=ANSWERS)
    other = svc.case_deliver(case=case_in(Status.SCHEDULED, world), actor=world.ult, notes="Diantar")

    report = skm_import(
        office=world.office,
        filename="skm.csv",
        content=csv_bytes(
            GOOD + case.registration_number,
            GOOD + other.registration_number,
            GOOD + other.registration_number,
        ),
    )

    assert [(line, reason.split(": ", 1)[0]) for line, reason in report.rejected] == [
        (2, "registration_number"),
        (4, "registration_number"),
    ]
    assert "baris 3" in report.rejected[1][1]
    assert Response.objects.count() == 1


def test_an_xlsx_file_with_dates_and_numbers_as_cells(world, frozen):
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    sheet.append([datetime(2025, 1, 3), "P", 67, "sd", "other", 4, 3, 3, 4, 3, 4, 4, 3, 3, None, None])
    sheet.append(["2025-01-02", "L", 35.0, "sma", "private", 1, 2, 3, 4, 1, 2, 3, 4, 1, "Antre lama", ""])
    buffer = io.BytesIO()
    book.save(buffer)

    report = skm_import(office=world.office, filename="kertas.xlsx", content=buffer.getvalue())

    assert (report.imported, report.rejected) == (2, [])
    assert sorted(Response.objects.values_list("answered_on", "age")) == [
        (datetime(2025, 1, 2).date(), 35),
        (datetime(2025, 1, 3).date(), 67),
    ]


def test_a_semicolon_separated_file_from_a_spreadsheet_in_indonesian_settings(world, frozen):
    content = (HEADER.replace(",", ";") + "\n" + GOOD.replace(",", ";") + "\n").encode("utf-8-sig")

    assert skm_import(office=world.office, filename="skm.csv", content=content).imported == 1


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("skm.txt", b"date\n", "CSV atau XLSX"),
        ("skm.csv", b"date,sex\n", "Tidak ada: age"),
        ("skm.csv", (HEADER + ",extra\n").encode(), "Tidak dikenal: extra"),
        ("skm.csv", b"\xff\xfe\x00d", "UTF-8"),
        ("skm.xlsx", b"not a workbook", "bukan XLSX"),
    ],
)
def test_a_file_that_is_not_a_survey_table_is_refused_whole(world, frozen, filename, content, message):
    with pytest.raises(ImportFileError, match=message):
        skm_import(office=world.office, filename=filename, content=content)
    assert not Response.objects.exists()


def test_more_rows_than_one_batch(world, frozen):
    report = skm_import(office=world.office, filename="skm.csv", content=csv_bytes(*([GOOD2] * 5001)))

    assert (report.imported, Response.objects.count()) == (5001, 5001)
