"""The periodic evaluation (POS step 8) of a period built with known step times (the clock is moved in the
test): each step's median, 90th percentile, share within standard and breaches in the report, the API
JSON, the XLSX read back and the PDF's text; the volumes; the breaches with their explanations; the
rejected, cancelled and unreachable requests with their reasons; the closing evaluations; the period
helpers."""

import io
import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from jangkau.accounts.tokens import api_token_issue
from jangkau.audit.models import AuditEvent
from jangkau.audit.services import verify_chain
from jangkau.cases import services as svc
from jangkau.cases.models import Case, Channel, Status, StepRecord
from jangkau.cases.queue_keys import rebuild_queue_keys
from jangkau.cases.sla_report import sla_report
from jangkau.core import clock
from jangkau.reports.evaluation import (
    PeriodError,
    PeriodKind,
    custom_period,
    evaluation_report,
    percent,
    period_between,
    period_of,
    report_json,
)
from jangkau.reports.exports import evaluation_export, evaluation_pdf, evaluation_xlsx
from jangkau.reports.followups import followup_create
from jangkau.surveys.reports import ikm_report
from tests.builders import add_failed_attempts, submit
from tests.pdf_text import pdf_text

JAKARTA = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2025, 1, 6, 8, 0, tzinfo=JAKARTA)
JAN = (date(2025, 1, 1), date(2025, 1, 31))
JAN_QUERY = {"from": "2025-01-01", "to": "2025-01-31"}

# (accepted after, result recorded after) in office minutes; the standards are 5 (step 2) and 10 (step 3).
TIMES = ((2, 3), (4, 12), (10, 20))
# The figures those times make: (done, within, median, p90, breaches, share within standard).
EXPECTED = {
    1: (3, 3, 0.0, 0.0, 0, Decimal("100.0")),
    2: (3, 2, 4.0, 10.0, 1, Decimal("66.7")),
    3: (3, 1, 12.0, 20.0, 2, Decimal("33.3")),
    4: (1, 1, 1.0, 1.0, 0, Decimal("100.0")),
}


def minutes(n: int) -> None:
    clock.advance(timedelta(minutes=n))


def _walk_to_result(world, accept_after: int, result_after: int, **overrides) -> Case:
    case = submit(world, **overrides)
    minutes(accept_after)
    case = svc.case_accept(case=case, actor=world.ult)
    case = svc.case_forward_to_ppid(case=case, actor=world.ult, ppid_member=world.ppid, note="Mohon data mutu")
    minutes(result_after)
    return svc.case_record_result(case=case, actor=world.ppid, summary="Rapor mutu 2025")


def _step(case: Case, no: int) -> StepRecord:
    return StepRecord.objects.get(case=case, step_no=no)


@pytest.fixture
def period(world):
    """January 2025: three requests accepted after 2, 4 and 10 minutes and their results recorded after 3,
    12 and 20 more; the first scheduled 1 minute later. Three breaches: step 2 of the third (explained by
    the officer), step 3 of the second (explained by PPID) and of the third (not explained). Channels,
    areas and categories vary. A request accepted on 3 February lies outside the period."""
    with clock.frozen_at(MONDAY):
        first = _walk_to_result(world, *TIMES[0])
        minutes(1)
        svc.case_schedule(
            case=first, actor=world.ult, starts_at=clock.now() + timedelta(days=1), mode="visit", place="Rumah"
        )
        second = _walk_to_result(world, *TIMES[1], vulnerabilities=["child"], area="  jakarta   PUSAT ")
        third = _walk_to_result(world, *TIMES[2], vulnerabilities=["elderly"], area="Bekasi", delivery_mode="phone")
        svc.step_explain_breach(step=_step(third, 2), actor=world.ult, explanation="Antrean loket panjang")
        svc.step_explain_breach(step=_step(second, 3), actor=world.ppid, explanation="Data menunggu unit lain")
    Case.objects.filter(pk=third.pk).update(channel=Channel.WHATSAPP)
    with clock.frozen_at(datetime(2025, 2, 3, 9, 0, tzinfo=JAKARTA)):
        late = submit(world)
        minutes(30)
        svc.case_accept(case=late, actor=world.ult)
    return {"first": first, "second": second, "third": third}


def _figures(step) -> tuple:
    return (step.done, step.within_standard, step.median_minutes, step.p90_minutes, step.breaches, step.within_percent)


# --- the report object ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_step_has_its_median_percentile_share_and_breaches(world, period):
    report = evaluation_report(world.office, *JAN)

    steps = {step.no: step for step in report.steps}
    assert [step.no for step in report.steps] == list(range(1, 9))
    for no, expected in EXPECTED.items():
        assert _figures(steps[no]) == expected, no
    for no in range(5, 9):
        assert (steps[no].done, steps[no].median_minutes, steps[no].within_percent) == (0, None, None)
    assert (steps[2].standard_minutes, steps[3].standard_minutes, steps[6].standard_minutes) == (5, 10, None)
    assert steps[6].standard_label == "1 s.d. 3 hari"
    assert steps[2].activity.startswith("Mencatat dan merekap")
    # The same figures as the SLA report (the evaluation does not compute them twice).
    assert [step.as_figures() for step in report.steps] == sla_report(world.office, *JAN)
    assert (report.breach_count, report.unexplained_breaches, report.steps_done) == (3, 1, 10)
    assert report.period.label == "Januari 2025"


@pytest.mark.django_db
def test_every_breach_is_listed_with_how_late_and_its_explanation(world, period):
    report = evaluation_report(world.office, *JAN)

    rows = [
        (b.registration_number, b.step_no, b.late_minutes, b.explanation_text, b.explained_by) for b in report.breaches
    ]
    second, third = period["second"].registration_number, period["third"].registration_number
    assert sorted(rows) == sorted(
        [
            (third, 2, 5.0, "Antrean loket panjang", "Bpmp-Dki-Ult"),
            (second, 3, 2.0, "Data menunggu unit lain", "Bpmp-Dki-Ppid"),
            (third, 3, 10.0, "belum dijelaskan", ""),
        ]
    )
    late = next(b for b in report.breaches if b.step_no == 2)
    assert (late.due_at.hour, late.due_at.tzname()) == (8, "WIB")
    assert late.done_at - late.due_at == timedelta(minutes=5)


@pytest.mark.django_db
def test_volumes_count_the_cases_submitted_in_the_period_by_each_dimension(world, period):
    report = evaluation_report(world.office, *JAN)

    def counts(key):
        return {row.code: row.count for row in report.volume(key).rows if row.count}

    assert report.cases_submitted == 3
    # A case may have several categories: 2 x disability + elderly, 1 x child, 1 x elderly.
    assert counts("vulnerability") == {"disability_physical": 1, "elderly": 2, "child": 1}
    assert report.volume("vulnerability").multiple and report.volume("vulnerability").cases == 3
    assert len(report.volume("vulnerability").rows) >= 14  # every category, zero included
    assert counts("channel") == {"web": 2, "whatsapp": 1}
    assert counts("service_type") == {"data-informasi": 3}
    assert counts("delivery_mode") == {"visit": 2, "phone": 1}
    # Areas typed differently (spaces, case) count together, most cases first.
    assert [(row.label, row.count) for row in report.volume("area").rows] == [("Jakarta Pusat", 2), ("Bekasi", 1)]


@pytest.mark.django_db
def test_nothing_of_another_office_or_another_period_counts(world, other_world, period):
    with clock.frozen_at(MONDAY + timedelta(hours=3)):
        _walk_to_result(other_world, 30, 30)

    january = evaluation_report(world.office, *JAN)
    february = evaluation_report(world.office, date(2025, 2, 1), date(2025, 2, 28))

    assert january.cases_submitted == 3 and {s.no: s.done for s in january.steps}[2] == 3
    assert february.cases_submitted == 1 and {s.no: s.done for s in february.steps}[2] == 1
    assert february.breaches[0].late_minutes == 25.0
    assert february.breaches[0].explanation_text == "belum dijelaskan"


@pytest.fixture
def exceptions(world):
    """On 6 January: a rejected request, one cancelled by the officer, one cancelled by the requester from
    the tracking page, and one whose requester was marked unreachable after three failed contacts."""
    with clock.frozen_at(MONDAY):
        rejected = svc.case_reject(
            case=submit(world), actor=world.ult, reason="Di luar layanan BPMP", referral="Disdukcapil"
        )
        cancelled = svc.case_cancel(case=submit(world), actor=world.ult, reason="Pemohon sudah mendapat data")
        own = svc.case_cancel(case=submit(world), actor="requester", reason="Saya sedang dirawat di RS")
        unreachable = _walk_to_result(world, 1, 1)
        add_failed_attempts(unreachable, world)
        minutes(5)
        unreachable = svc.case_mark_unreachable(case=unreachable, actor=world.ult)
    return {"rejected": rejected, "cancelled": cancelled, "own": own, "unreachable": unreachable}


@pytest.mark.django_db
def test_rejected_cancelled_and_unreachable_requests_are_listed_with_their_reasons(world, exceptions):
    report = evaluation_report(world.office, *JAN)

    by_number = {row.registration_number: row for row in report.exceptions}
    rejected = by_number[exceptions["rejected"].registration_number]
    assert (rejected.kind, rejected.reason, rejected.referral) == ("rejected", "Di luar layanan BPMP", "Disdukcapil")
    cancelled = by_number[exceptions["cancelled"].registration_number]
    assert (cancelled.kind, cancelled.reason) == ("cancelled", "Pemohon sudah mendapat data")
    # The requester's own words stay in the case: they may hold personal data.
    own = by_number[exceptions["own"].registration_number]
    assert own.reason == "Dibatalkan oleh pemohon sendiri." and "dirawat" not in str(report_json(report))
    unreachable = by_number[exceptions["unreachable"].registration_number]
    assert (unreachable.kind, unreachable.contact_attempts, unreachable.last_result) == (
        "unreachable",
        3,
        "Tidak dijawab",
    )
    assert unreachable.status == "Tidak dapat dihubungi"
    assert (len(report.rejected), len(report.cancelled), len(report.unreachable)) == (1, 2, 1)
    assert evaluation_report(world.office, date(2025, 2, 1), date(2025, 2, 28)).exceptions == ()


@pytest.mark.django_db
def test_the_closing_evaluations_of_the_period_are_counted(world, frozen):
    cases = [submit(world) for _ in range(4)]
    answers = [
        ("met", True, "provided", ""),
        ("met", True, "none_asked", ""),
        ("partly", False, "partly", "Juru bahasa isyarat tidak datang"),
        ("not_met", None, "not_provided", "Data belum tersedia"),
    ]
    for case, (need, mode, provided, notes) in zip(cases, answers, strict=True):
        Case.objects.filter(pk=case.pk).update(
            status=Status.CLOSED,
            closed_at=clock.now(),
            evaluation_need_met=need,
            evaluation_mode_right=mode,
            evaluation_accommodations=provided,
            evaluation=notes,
        )
    # The shortcut above skips the services, which keep each case's queue key: put the keys right.
    rebuild_queue_keys(Case.objects.filter(pk__in=[case.pk for case in cases]))

    closing = evaluation_report(world.office, *JAN).closing

    assert closing.closed == 4
    assert [(row.code, row.count) for row in closing.need_met] == [("met", 2), ("partly", 1), ("not_met", 1)]
    assert [(row.code, row.count) for row in closing.mode_right] == [("yes", 2), ("no", 1), ("", 1)]
    assert {row.code: row.count for row in closing.accommodations} == {
        "provided": 1,
        "partly": 1,
        "not_provided": 1,
        "none_asked": 1,
    }
    assert [(note.registration_number, note.need_met) for note in closing.notes] == [
        (cases[2].registration_number, "Sebagian terpenuhi"),
        (cases[3].registration_number, "Tidak terpenuhi"),
    ]


# --- the same figures through the API, the XLSX and the PDF -----------------------------------------------


@pytest.mark.django_db
def test_the_api_answers_the_same_step_figures(client, world, period):
    _token, secret = api_token_issue(user=world.head, name="evaluasi")

    response = client.get(
        "/api/v1/reports/evaluation",
        {"office": world.office.code, **JAN_QUERY},
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"], body["period"]["kind"], body["period"]["label"]) == (
        "2025-01-01",
        "2025-01-31",
        "month",
        "Januari 2025",
    )
    steps = {step["no"]: step for step in body["steps"]}
    for no, (done, within, median, p90, breaches, share) in EXPECTED.items():
        step = steps[no]
        assert (step["done"], step["within_standard"], step["median_minutes"], step["p90_minutes"]) == (
            done,
            within,
            median,
            p90,
        ), no
        assert (step["breaches"], step["within_standard_percent"]) == (breaches, float(share)), no
    assert steps[6]["within_standard_percent"] is None and steps[6]["standard_minutes"] is None
    explained = {(b["step_no"], b["late_minutes"]): (b["explanation"], b["explained"]) for b in body["breaches"]}
    assert explained == {
        (2, 5.0): ("Antrean loket panjang", True),
        (3, 2.0): ("Data menunggu unit lain", True),
        (3, 10.0): ("belum dijelaskan", False),
    }
    channels = next(group for group in body["volumes"] if group["key"] == "channel")
    assert {row["code"]: row["count"] for row in channels["rows"] if row["count"]} == {"web": 2, "whatsapp": 1}
    assert len(body["monitoring"]) == 8 and body["monitoring"][1]["ran_well"] is False
    assert "Siti Aminah" not in response.content.decode()


def _xlsx_rows(content: bytes, sheet: str) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook[sheet].iter_rows(values_only=True))


@pytest.mark.django_db
def test_the_xlsx_read_back_holds_the_same_figures_as_numbers(world, period):
    content = evaluation_xlsx(evaluation_report(world.office, *JAN))

    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [
        "Ringkasan",
        "Volume",
        "Waktu per langkah",
        "Pelanggaran",
        "Pengecualian",
        "Evaluasi kasus",
        "IKM",
        "Pemantauan SOP",
        "Tindak lanjut",
    ]
    header, *rows = _xlsx_rows(content, "Waktu per langkah")
    assert header[:2] == ("Langkah", "Kegiatan") and header[4:] == (
        "Selesai",
        "Dalam waktu standar",
        "Dalam waktu standar (%)",
        "Median (menit kerja)",
        "Persentil ke-90 (menit kerja)",
        "Pelanggaran",
    )
    by_step = {row[0]: row for row in rows}
    for no, (done, within, median, p90, breaches, share) in EXPECTED.items():
        assert by_step[no][3:] == (by_step[no][3], done, within, float(share), median, p90, breaches), no
    assert by_step[2][3] == 5 and by_step[6][3] is None  # the standard in minutes; step 6 is in days
    assert by_step[7][4:] == (0, 0, None, None, None, 0)

    _header, *breaches = _xlsx_rows(content, "Pelanggaran")
    assert sorted((row[1], row[5], row[6]) for row in breaches) == [
        (2, 5.0, "Antrean loket panjang"),
        (3, 2.0, "Data menunggu unit lain"),
        (3, 10.0, "belum dijelaskan"),
    ]
    assert isinstance(breaches[0][3], datetime)
    summary = {row[0]: row[1] for row in _xlsx_rows(content, "Ringkasan") if row[0]}
    assert (summary["Periode"], summary["Permohonan diajukan dalam periode"]) == ("Januari 2025", 3)
    assert summary["Pelanggaran waktu standar"] == 3 and summary["Pelanggaran yang belum dijelaskan"] == 1
    volume = [row for row in _xlsx_rows(content, "Volume") if row[0] == "Wilayah"]
    assert volume == [
        ("Wilayah", "Jakarta Pusat", "Jakarta Pusat", 2),
        ("Wilayah", "Bekasi", "Bekasi", 1),
        (
            "Wilayah",
            "Jumlah permohonan dalam periode",
            None,
            3,
        ),
    ]
    monitoring = _xlsx_rows(content, "Pemantauan SOP")
    assert len(monitoring) == 9 and monitoring[2][2] == "Tidak berjalan dengan baik"


@pytest.mark.django_db
def test_the_pdf_text_holds_the_figures_and_charts_without_names(world, period):
    text = pdf_text(evaluation_pdf(evaluation_report(world.office, *JAN)))

    flat = " ".join(text.split())
    assert "Evaluasi berkala layanan jemput bola" in flat and "Januari 2025" in flat
    assert "66,7%" in flat and "33,3%" in flat and "100,0%" in flat
    assert "Antrean loket panjang" in flat and "belum dijelaskan" in flat
    assert "Jakarta Pusat" in flat and "Bekasi" in flat
    assert "Pemantauan pelaksanaan POS" in flat and "Rencana tindak lanjut" in flat
    assert period["third"].registration_number in flat
    assert "Siti Aminah" not in flat


@pytest.mark.django_db
def test_each_download_writes_one_audit_event_with_its_format_and_period(world, period):
    before = AuditEvent.objects.count()

    export = evaluation_export(actor=world.ppid, office=world.office, start=JAN[0], end=JAN[1], file_format="xlsx")

    assert export.filename == "evaluasi-bpmp-dki-2025-01-01-2025-01-31.xlsx"
    assert export.content_type.endswith("spreadsheetml.sheet")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.actor, event.office) == ("evaluation.report_exported", world.ppid, world.office)
    assert event.changes == {"format": "xlsx", "from": "2025-01-01", "to": "2025-01-31", "period": "month"}
    assert list(verify_chain()) == []


@pytest.mark.django_db
def test_the_ikm_summary_is_the_survey_report_and_open_follow_ups_are_carried(world, frozen):
    with clock.frozen_at(datetime(2024, 12, 20, 9, 0, tzinfo=JAKARTA)):
        followup_create(
            office=world.office,
            actor=world.head,
            title="Tambah juru bahasa isyarat",
            description="Kontrak juru bahasa isyarat untuk kunjungan.",
            owner=world.ult,
            due_date=date(2025, 1, 15),
            source_start=date(2024, 12, 1),
            source_end=date(2024, 12, 31),
        )

    report = evaluation_report(world.office, *JAN)

    assert report.ikm.data == ikm_report(world.office, *JAN)
    assert (report.ikm.respondents, report.ikm.ikm_converted, report.ikm.weakest) == (0, None, ())
    [action] = report.followups
    assert (action.title, action.owner, action.carried_over, action.status) == (
        "Tambah juru bahasa isyarat",
        "Bpmp-Dki-Ult",
        True,
        "open",
    )
    [row] = [row for row in _xlsx_rows(evaluation_xlsx(report), "Tindak lanjut") if row[0] == action.title]
    assert row[3:6] == ("Bpmp-Dki-Ult", datetime(2025, 1, 15), "Belum dikerjakan") and row[8] == "Ya"


# --- periods ----------------------------------------------------------------------------------------------


def test_each_kind_of_period_has_its_first_and_last_day():
    assert (period_of("quarter", 2025, 4).start, period_of("quarter", 2025, 4).end) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
    )
    assert period_of("quarter", 2025, 1).end == date(2025, 3, 31)
    assert (period_of("semester", 2025, 1).start, period_of("semester", 2025, 1).end) == (
        date(2025, 1, 1),
        date(2025, 6, 30),
    )
    assert (period_of("semester", 2025, 2).start, period_of("semester", 2025, 2).end) == (
        date(2025, 7, 1),
        date(2025, 12, 31),
    )
    assert (period_of("year", 2024).start, period_of("year", 2024).end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert period_of("month", 2024, 2).end == date(2024, 2, 29)  # a leap year
    assert period_of("month", 2025, 12).end == date(2025, 12, 31)
    assert custom_period(date(2025, 1, 6), date(2025, 1, 6)).days == 1


def test_periods_are_named_and_recognised_from_their_dates():
    assert period_of("quarter", 2025, 4).label == "Triwulan IV 2025"
    assert period_of("semester", 2025, 2).label == "Semester II 2025"
    assert period_of("year", 2025).label == "Tahun 2025"
    assert period_of("month", 2025, 3).label == "Maret 2025"
    assert period_between(date(2025, 10, 1), date(2025, 12, 31)) == period_of("quarter", 2025, 4)
    assert period_between(date(2025, 1, 1), date(2025, 6, 30)) == period_of("semester", 2025, 1)
    assert period_between(date(2025, 1, 1), date(2025, 12, 31)) == period_of("year", 2025)
    assert period_between(date(2025, 2, 1), date(2025, 2, 28)).kind == PeriodKind.MONTH
    odd = period_between(date(2025, 1, 6), date(2025, 2, 14))
    assert (odd.kind, odd.label) == ("custom", "6 Januari 2025 s.d. 14 Februari 2025")


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: period_of("quarter", 2025, 5), "number"),
        (lambda: period_of("quarter", 2025, 0), "number"),
        (lambda: period_of("month", 2025, 13), "number"),
        (lambda: period_of("semester", 2025, 3), "number"),
        (lambda: period_of("month", 2025, None), "number"),
        (lambda: period_of("week", 2025, 1), "kind"),
        (lambda: period_of("custom", 2025, 1), "kind"),
        (lambda: period_of("year", 1999), "year"),
        (lambda: period_of("year", 2100), "year"),
        (lambda: period_of("year", "2025"), "year"),
        (lambda: custom_period(date(2025, 2, 1), date(2025, 1, 31)), "date_to"),
        (lambda: custom_period(None, date(2025, 1, 31)), "date_from"),
        (lambda: custom_period(date(1999, 12, 31), date(2025, 1, 31)), "date_from"),
    ],
)
def test_a_period_that_means_nothing_names_the_answer_to_correct(call, field):
    with pytest.raises(PeriodError) as error:
        call()
    assert error.value.field == field and error.value.message


def test_shares_are_rounded_half_up_to_one_decimal():
    assert percent(2, 3) == Decimal("66.7") and percent(1, 3) == Decimal("33.3")
    assert percent(1, 8) == Decimal("12.5") and percent(1, 16) == Decimal("6.3")  # 6.25 -> 6.3
    assert percent(0, 0) is None


# --- the command ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_writes_the_json_and_the_files(world, period, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    call_command("evaluation_report", "--office", world.office.code, "--from", "2025-01-01", "--to", "2025-01-31")
    body = json.loads(capsys.readouterr().out)
    assert {step["no"]: step["p90_minutes"] for step in body["steps"]}[3] == 20.0

    target = tmp_path / "evaluasi.xlsx"
    call_command(
        "evaluation_report", "--office", world.office.code, "--from", "2025-01-01", "--to", "2025-01-31",
        "--format", "xlsx", "--output", str(target),
    )  # fmt: skip
    steps = {row[0]: row for row in _xlsx_rows(target.read_bytes(), "Waktu per langkah")[1:]}
    assert steps[2][6] == 66.7
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.actor_label) == ("evaluation.report_exported", "system")
    assert event.changes["format"] == "xlsx"

    with pytest.raises(CommandError):
        call_command("evaluation_report", "--office", world.office.code, "--from", "2025-02-01", "--to", "2025-01-31")
    with pytest.raises(CommandError):
        call_command(
            "evaluation_report", "--office", world.office.code, "--from", "2025-01-01", "--to", "2025-01-31",
            "--format", "pdf",
        )  # fmt: skip


@pytest.mark.django_db
def test_the_report_reads_the_database_in_a_few_queries_whatever_the_number_of_cases(
    world, period, exceptions, django_assert_max_num_queries
):
    evaluation_report(world.office, *JAN)  # the first reading installs the office's SKM instrument
    with django_assert_max_num_queries(25) as context:
        evaluation_report(world.office, *JAN)
    few = len(context.captured_queries)
    with clock.frozen_at(MONDAY + timedelta(hours=4)):
        for _ in range(3):
            _walk_to_result(world, 20, 20)

    with django_assert_max_num_queries(few):
        evaluation_report(world.office, *JAN)
