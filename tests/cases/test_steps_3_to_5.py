"""Steps 3 to 5 beyond the transition table: the internal thread, PPID's result files, the legal deadline of
public-information requests, appointments with their team, cancelling one, and the delivery record."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.documents import document_store_draft
from jangkau.cases.models import Case, CaseDocument, CaseNote, RequesterNotice, Status, StepOutcome
from jangkau.cases.sla import explain_information_due, information_answered_at
from jangkau.core import clock
from jangkau.core.errors import Conflict, InvalidFields, InvalidInput
from jangkau.offices.services import calendar_day_set
from jangkau.scheduling.models import Appointment
from tests.builders import case_in, make_public_information, public_info_service, submit

JAKARTA = ZoneInfo("Asia/Jakarta")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _reload(case):
    return Case.objects.get(pk=case.pk)


# --- the internal thread ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_note_is_kept_encrypted_and_the_audit_names_it_without_its_words(world, frozen):
    case = case_in(Status.WITH_PPID, world)

    note = svc.case_add_note(case=case, actor=world.ppid, body="Ibu Siti meminta data sekolah anaknya di SD 01")

    assert list(case.notes.values_list("body", flat=True)) == ["Ibu Siti meminta data sekolah anaknya di SD 01"]
    event = AuditEvent.objects.last()
    assert (event.action, event.actor, event.changes) == (
        "case.add_note",
        world.ppid,
        {"status": ["with_ppid"] * 2, "note": note.pk},
    )
    assert "Ibu Siti" not in str(event.changes)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM cases_casenote WHERE id = %s", [note.pk])
        assert "Ibu Siti" not in cursor.fetchone()[0]


@pytest.mark.django_db
def test_anyone_of_the_office_may_write_in_the_thread_whoever_holds_the_case(world, frozen):
    case = case_in(Status.WITH_PPID, world)

    for author in (world.ult, world.ult2, world.ppid, world.head):
        svc.case_add_note(case=case, actor=author, body=f"Catatan dari {author.username}")

    assert CaseNote.objects.filter(case=case).count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["", "   ", "x" * 4001, "bel\x07"])
def test_an_empty_or_bad_note_is_refused_and_nothing_is_written(world, frozen, body):
    case = case_in(Status.ACCEPTED, world)
    events = AuditEvent.objects.count()

    with pytest.raises(InvalidFields) as refused:
        svc.case_add_note(case=case, actor=world.ult, body=body)

    assert list(refused.value.errors) == ["body"]
    assert (CaseNote.objects.count(), AuditEvent.objects.count()) == (0, events)


# --- PPID's result files --------------------------------------------------------------------------------


def _xlsx() -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["sekolah", "nilai"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_the_result_keeps_its_documents_and_data_files(world, frozen):
    case = case_in(Status.WITH_PPID, world)
    files = [
        document_store_draft(kind=CaseDocument.Kind.RESULT, field="files", filename="rapor.pdf", content=PDF),
        document_store_draft(kind=CaseDocument.Kind.RESULT, field="files", filename="nilai.xlsx", content=_xlsx()),
        document_store_draft(
            kind=CaseDocument.Kind.RESULT, field="files", filename="nilai.csv", content=b"sekolah;nilai\nSD 01;88\n"
        ),
    ]

    svc.case_record_result(
        case=case, actor=world.ppid, summary="Rapor mutu", document_tokens=[f.draft_token for f in files]
    )

    stored = case.documents.order_by("filename")
    assert [(d.filename, d.kind, d.content_type) for d in stored] == [
        ("nilai.csv", "result", "text/csv"),
        ("nilai.xlsx", "result", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("rapor.pdf", "result", "application/pdf"),
    ]
    assert AuditEvent.objects.last().changes["documents"] == 3


@pytest.mark.django_db
def test_a_requester_upload_cannot_pass_for_a_data_file(world, frozen):
    """Data files are for PPID's results only; a supporting document stays PDF/JPG/PNG."""
    with pytest.raises(InvalidFields) as refused:
        document_store_draft(kind=CaseDocument.Kind.SUPPORTING, field="file", filename="a.csv", content=b"a,b\n1,2\n")
    assert refused.value.errors == {"file": "Berkas harus PDF, JPG, atau PNG."}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 not really a zip", b"\x00\x01\x02 binary", b"just words without any separator"],
)
def test_a_disguised_data_file_is_refused(world, frozen, content):
    with pytest.raises(InvalidFields) as refused:
        document_store_draft(kind=CaseDocument.Kind.RESULT, field="files", filename="data.xlsx", content=content)
    assert "XLSX" in refused.value.errors["files"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["proof", "unknown"])
def test_a_result_naming_a_file_it_cannot_attach_is_refused_and_changes_nothing(world, frozen, kind):
    """A proof of delivery is not a result file, and an unknown or expired token is no file at all: recording
    the result without it would claim a file the case does not hold."""
    case = case_in(Status.WITH_PPID, world)
    proof = document_store_draft(kind=CaseDocument.Kind.DELIVERY_PROOF, field="proof", filename="p.pdf", content=PDF)
    token = proof.draft_token if kind == "proof" else "no-such-token"

    with pytest.raises(InvalidFields) as refused:
        svc.case_record_result(case=case, actor=world.ppid, summary="Rapor", document_tokens=[token])

    assert list(refused.value.errors) == ["document_tokens"]
    assert (_reload(case).status, case.documents.count()) == (Status.WITH_PPID, 0)


# --- the legal deadline of public-information requests ------------------------------------------------------


@pytest.mark.django_db
def test_a_public_information_request_gets_its_legal_deadline_at_submission(world):
    # Received Monday 3 August 2026 10:00. Ten working days, not counting that day nor Independence Day
    # (Monday 17 August): Tuesday 18 August, due when the office closes.
    with clock.frozen_at(datetime(2026, 8, 3, 10, 0, tzinfo=JAKARTA)):
        case = submit(world, service_type=public_info_service(world))
        other = submit(world)

    assert case.information_due_at == datetime(2026, 8, 18, 16, 0, tzinfo=JAKARTA)
    assert other.information_due_at is None
    assert "10 hari kerja" in explain_information_due(case)[0]


@pytest.mark.django_db
def test_the_extension_moves_the_deadline_once_and_sends_the_written_notice(world):
    with clock.frozen_at(datetime(2026, 8, 3, 10, 0, tzinfo=JAKARTA)):
        case = submit(world, service_type=public_info_service(world))
        case = svc.case_accept(case=case, actor=world.ult)
        case = svc.case_extend_information_deadline(
            case=case, actor=world.ult, days=7, reason="Data di tiga unit", notice="Jawaban paling lambat 28 Agustus"
        )

        # Seven more working days after 18 August, skipping the Prophet's Birthday (Tuesday 25 August):
        # Friday 28 August, when the office closes at 16:30 on Fridays.
        assert case.information_due_at == datetime(2026, 8, 28, 16, 30, tzinfo=JAKARTA)
        notice = RequesterNotice.objects.get(case=case)
        assert (notice.kind, notice.body, notice.sent_by) == (
            "information_extension",
            "Jawaban paling lambat 28 Agustus",
            world.ult,
        )
        assert AuditEvent.objects.last().changes["days"] == 7

        with pytest.raises(Conflict) as again:
            svc.case_extend_information_deadline(case=case, actor=world.ult, days=1, reason="Lagi", notice="Lagi")
    assert again.value.code == "already_extended"
    assert RequesterNotice.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "reason", "notice", "fields"),
    [(0, "a", "b", ["days"]), (8, "a", "b", ["days"]), (3, "", "b", ["reason"]), (3, "a", " ", ["notice"])],
)
def test_a_bad_extension_is_refused_per_field_and_changes_nothing(world, frozen, days, reason, notice, fields):
    case = case_in(Status.ACCEPTED, world)
    make_public_information(case, world)
    before = _reload(case).information_due_at

    with pytest.raises(InvalidFields) as refused:
        svc.case_extend_information_deadline(case=case, actor=world.ult, days=days, reason=reason, notice=notice)

    assert list(refused.value.errors) == fields
    assert _reload(case).information_due_at == before
    assert RequesterNotice.objects.count() == 0


@pytest.mark.django_db
def test_no_extension_for_other_services_or_after_the_deadline(world, frozen):
    ordinary = case_in(Status.ACCEPTED, world)
    with pytest.raises(Conflict) as refused:
        svc.case_extend_information_deadline(case=ordinary, actor=world.ult, days=3, reason="a", notice="b")
    assert refused.value.code == "not_public_information"

    late = case_in(Status.ACCEPTED, world)
    make_public_information(late, world)
    clock.advance(timedelta(days=30))
    with pytest.raises(Conflict) as refused:
        svc.case_extend_information_deadline(case=late, actor=world.ult, days=3, reason="a", notice="b")
    assert refused.value.code == "deadline_passed"


@pytest.mark.django_db
def test_a_day_closed_later_moves_the_legal_deadline_of_an_unanswered_request(world):
    with clock.frozen_at(datetime(2026, 8, 3, 10, 0, tzinfo=JAKARTA)):
        case = submit(world, service_type=public_info_service(world))
        calendar_day_set(office=world.office, actor=world.admin, day=date(2026, 8, 10), kind="closed", reason="Banjir")
        answered = case_in(Status.SCHEDULED, world, service_type=public_info_service(world))
        answered = svc.case_deliver(case=answered, actor=world.ult, notes="Salinan diserahkan")
        answered_due = _reload(answered).information_due_at
        calendar_day_set(office=world.office, actor=world.admin, day=date(2026, 8, 11), kind="closed", reason="Banjir")

    # Two closed days: Tuesday 18 August becomes Thursday 20 August. An answered request keeps its deadline.
    assert _reload(case).information_due_at == datetime(2026, 8, 20, 16, 0, tzinfo=JAKARTA)
    assert _reload(answered).information_due_at == answered_due


# --- step 4: contact days, appointments, cancelling -------------------------------------------------------


@pytest.mark.django_db
def test_three_failed_tries_on_one_day_do_not_make_a_requester_unreachable(world):
    with clock.frozen_at(datetime(2026, 3, 2, 9, 0, tzinfo=JAKARTA)):
        case = case_in(Status.READY_TO_SCHEDULE, world)
        for _ in range(3):
            svc.case_record_contact_attempt(case=case, actor=world.ult, channel="phone", result="no_answer")
        with pytest.raises(InvalidInput, match="1 hari kerja"):
            svc.case_mark_unreachable(case=case, actor=world.ult)
    # Saturday does not count; Tuesday and Wednesday do.
    for day in (7, 3, 4):
        with clock.frozen_at(datetime(2026, 3, day, 9, 0, tzinfo=JAKARTA)):
            svc.case_record_contact_attempt(case=case, actor=world.ult, channel="whatsapp", result="no_answer")
    with clock.frozen_at(datetime(2026, 3, 4, 10, 0, tzinfo=JAKARTA)):
        assert svc.failed_contact_days(case) == 3
        assert svc.case_mark_unreachable(case=case, actor=world.ult).status == Status.UNREACHABLE


@pytest.mark.django_db
def test_an_appointment_records_its_team_and_the_accommodations_to_prepare(world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)

    svc.case_schedule(
        case=case,
        actor=world.ult,
        starts_at=clock.now() + timedelta(days=1),
        mode="visit",
        place="Rumah pemohon",
        officers=[world.ult, world.ppid],
        accommodations=["wheelchair", "sign_language"],
    )

    appointment = Appointment.objects.get(case=case)
    assert set(appointment.officers.all()) == {world.ult, world.ppid}
    assert appointment.accommodations == ["wheelchair", "sign_language"]
    assert AuditEvent.objects.last().changes["officers"] == [world.ult.username, world.ppid.username]


@pytest.mark.django_db
def test_by_default_the_scheduler_goes_and_prepares_what_the_requester_asked_for(world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)

    svc.case_schedule(case=case, actor=world.ult, starts_at=clock.now() + timedelta(days=1), mode="visit")

    appointment = Appointment.objects.get(case=case)
    assert list(appointment.officers.all()) == [world.ult]
    assert appointment.accommodations == ["wheelchair"]  # intake_data asks for wheelchair access


@pytest.mark.django_db
def test_a_rescheduled_appointment_keeps_its_team(world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    svc.case_schedule(
        case=case, actor=world.ult, starts_at=clock.now() + timedelta(days=1), mode="visit", officers=[world.ult2]
    )

    svc.case_reschedule(
        case=case, actor=world.ult, starts_at=clock.now() + timedelta(days=2), mode="phone", reason="Pemohon sakit"
    )

    current = Appointment.objects.get(case=case, superseded_at__isnull=True)
    assert list(current.officers.all()) == [world.ult2]


@pytest.mark.django_db
def test_a_team_from_another_office_or_an_unknown_accommodation_is_refused(world, other_world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    later = clock.now() + timedelta(days=1)

    with pytest.raises(InvalidFields) as refused:
        svc.case_schedule(case=case, actor=world.ult, starts_at=later, mode="visit", officers=[other_world.ult])
    assert list(refused.value.errors) == ["officers"]
    with pytest.raises(InvalidFields) as refused:
        svc.case_schedule(case=case, actor=world.ult, starts_at=later, mode="visit", officers=[world.head])
    assert list(refused.value.errors) == ["officers"]
    with pytest.raises(InvalidFields) as refused:
        svc.case_schedule(case=case, actor=world.ult, starts_at=later, mode="visit", accommodations=["jetpack"])
    assert list(refused.value.errors) == ["accommodations"]
    with pytest.raises(InvalidFields) as refused:
        svc.case_schedule(case=case, actor=world.ult, starts_at=later, mode="teleport")
    assert list(refused.value.errors) == ["mode"]
    assert (_reload(case).status, Appointment.objects.count()) == (Status.READY_TO_SCHEDULE, 0)


@pytest.mark.django_db
def test_cancelling_the_appointment_goes_back_to_contact_and_tells_the_requester(world, frozen):
    case = case_in(Status.SCHEDULED, world)

    case = svc.case_cancel_appointment(
        case=case, actor=world.ult, reason="Kendaraan dinas rusak", notice="Jadwal besok batal; kami menelepon lagi"
    )

    assert case.status == Status.READY_TO_SCHEDULE
    appointment = Appointment.objects.get(case=case)
    assert (appointment.superseded_at is not None, appointment.cancellation_reason) == (True, "Kendaraan dinas rusak")
    steps = list(case.steps.filter(step_no__in=[4, 5]).order_by("opened_at", "id"))
    assert [(s.step_no, s.outcome, s.done_at is None) for s in steps] == [
        (4, "done", False),
        (5, StepOutcome.CANCELLED, False),
        (4, "", True),
    ]
    assert RequesterNotice.objects.get(case=case).kind == "appointment_cancelled"


@pytest.mark.django_db
def test_cancelling_needs_a_reason_and_a_notice(world, frozen):
    case = case_in(Status.SCHEDULED, world)

    with pytest.raises(InvalidFields) as refused:
        svc.case_cancel_appointment(case=case, actor=world.ult, reason="", notice="")

    assert sorted(refused.value.errors) == ["notice", "reason"]
    assert _reload(case).status == Status.SCHEDULED


# --- step 5: delivery -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_delivery_records_what_how_the_documents_the_office_cost_and_the_proof(world, frozen):
    case = case_in(Status.SCHEDULED, world)
    proof = document_store_draft(
        kind=CaseDocument.Kind.DELIVERY_PROOF, field="proof", filename="tanda-terima.pdf", content=PDF
    )

    case = svc.case_deliver(
        case=case,
        actor=world.ult,
        notes="Rapor mutu dijelaskan di rumah pemohon",
        mode="visit",
        documents_handed_over="Rapor mutu 2025 (cetak huruf besar)",
        office_cost=45000,
        office_cost_note="Ojek daring pulang-pergi",
        proof_token=proof.draft_token,
    )

    case = _reload(case)
    assert case.status == Status.DELIVERED
    assert (case.documents_handed_over, case.office_cost, case.delivered_at) == (
        "Rapor mutu 2025 (cetak huruf besar)",
        45000,
        clock.now(),
    )
    assert list(case.documents.values_list("kind", "filename")) == [("delivery_proof", "tanda-terima.pdf")]
    assert AuditEvent.objects.last().changes["office_cost"] == 45000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"notes": ""}, "notes"),
        ({"mode": "drone"}, "mode"),
        ({"office_cost": -1}, "office_cost"),
        ({"office_cost": 100_000_001}, "office_cost"),
        ({"proof_token": "no-such-token"}, "proof_token"),
    ],
)
def test_a_bad_delivery_record_is_refused_and_changes_nothing(world, frozen, kwargs, field):
    case = case_in(Status.SCHEDULED, world)

    with pytest.raises(InvalidFields) as refused:
        svc.case_deliver(case=case, actor=world.ult, **{"notes": "Diantar", **kwargs})

    assert field in refused.value.errors
    assert _reload(case).status == Status.SCHEDULED


@pytest.mark.django_db
def test_delivering_answers_the_public_information_request(world, frozen):
    case = case_in(Status.SCHEDULED, world)
    make_public_information(case, world)
    assert information_answered_at(_reload(case)) is None

    case = svc.case_deliver(case=case, actor=world.ult, notes="Salinan dokumen diserahkan")

    assert information_answered_at(_reload(case)) == clock.now()
