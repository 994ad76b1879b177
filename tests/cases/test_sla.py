"""Standard times measured per step: due moments, breaches, explanations, calendar changes."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jangkau.cases import services as svc
from jangkau.cases.models import Case, Status, StepRecord
from jangkau.cases.selectors import breaches_for_office
from jangkau.cases.sla import explain_due
from jangkau.core import clock
from jangkau.core.errors import Conflict, InvalidInput, PermissionDenied
from jangkau.offices.models import CalendarOverride
from jangkau.offices.services import calendar_day_remove, calendar_day_set
from tests.builders import case_in, perform, submit

# A closing evaluation that went well (step 8).
CLOSING = {"need_met": "met", "mode_right": True, "accommodations_provided": "provided", "evaluation": "Baik"}

JKT = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def at(y, m, d, hh, mm):
    return datetime(y, m, d, hh, mm, tzinfo=JKT)


def open_step(case, no) -> StepRecord:
    return case.steps.get(step_no=no, done_at__isnull=True)


def test_submission_records_step_1_done_and_opens_step_2_with_its_standard_time(world):
    """Submitted Thursday 15:58: step 2 (5 minutes) is due Friday 07:33."""
    with clock.frozen_at(at(2025, 1, 2, 15, 58)):
        case = submit(world)

    step1 = case.steps.get(step_no=1)
    assert step1.done_at == at(2025, 1, 2, 15, 58) and not step1.is_officer_step
    step2 = open_step(case, 2)
    assert (step2.standard_minutes, step2.due_at) == (5, at(2025, 1, 3, 7, 33))


def test_a_holiday_added_after_the_step_opened_moves_its_due_moment(world):
    """Making that Friday a holiday moves the open step to Monday 07:33; removing it moves it back."""
    with clock.frozen_at(at(2025, 1, 2, 15, 58)):
        case = submit(world)
        calendar_day_set(
            office=world.office, actor=world.admin, day=date(2025, 1, 3), kind="closed", reason="Libur daerah"
        )
        assert open_step(case, 2).due_at == at(2025, 1, 6, 7, 33)

        calendar_day_remove(office=world.office, actor=world.admin, day=date(2025, 1, 3))
        assert open_step(case, 2).due_at == at(2025, 1, 3, 7, 33)


def test_only_an_administrator_of_the_office_changes_its_calendar(world, other_world):
    with pytest.raises(PermissionDenied):
        calendar_day_set(office=world.office, actor=world.ult, day=date(2025, 1, 3), kind="closed", reason="x")
    with pytest.raises(PermissionDenied):
        calendar_day_set(office=world.office, actor=other_world.admin, day=date(2025, 1, 3), kind="closed", reason="x")
    with pytest.raises(InvalidInput):
        calendar_day_set(office=world.office, actor=world.admin, day=date(2025, 1, 3), kind="closed", reason=" ")
    assert not CalendarOverride.objects.exists()


def test_a_cancelled_national_holiday_becomes_a_working_day(world):
    """1 May 2025 (Thursday) is Labour Day; opened Wednesday 15:58, 5 minutes are due Friday 07:33 —
    unless the office opens on 1 May, when they are due that Thursday at 07:33."""
    with clock.frozen_at(at(2025, 4, 30, 15, 58)):
        case = submit(world)
        assert open_step(case, 2).due_at == at(2025, 5, 2, 7, 33)

        calendar_day_set(
            office=world.office, actor=world.admin, day=date(2025, 5, 1), kind="open", reason="Piket layanan"
        )
        assert open_step(case, 2).due_at == at(2025, 5, 1, 7, 33)


def test_waiting_for_the_requester_pauses_the_step_clock(world, frozen):
    """Step 2 opened Mon 08:00; asked for data at 08:02; answered Tue 09:00: 3 minutes remain."""
    case = submit(world)
    clock.advance(timedelta(minutes=2))
    svc.case_request_info(case=case, actor=world.ult, missing="Foto KTP")
    assert open_step(case, 2).due_at is None

    with clock.frozen_at(at(2025, 1, 7, 9, 0)):
        svc.case_provide_info(case=case, actor="requester")

    assert open_step(case, 2).due_at == at(2025, 1, 7, 9, 3)
    assert any("Dijeda" in line for line in explain_due(open_step(case, 2)))


def test_a_step_done_late_is_a_breach_that_blocks_closing_until_explained(world, frozen):
    """Accepting 20 minutes after submission overruns step 2's 5 minutes: the case cannot close until
    the officer who did it explains, and the supervisor sees the breach."""
    case = submit(world)
    clock.advance(timedelta(minutes=20))
    case = svc.case_accept(case=case, actor=world.ult)
    step2 = case.steps.get(step_no=2)
    assert step2.breached and step2.needs_explanation

    for action in ["forward_to_ppid", "record_result", "schedule", "deliver", "record_feedback", "recap_feedback"]:
        case = perform(action, case, world)
    with pytest.raises(Conflict) as refused:
        svc.case_close(case=case, actor=world.ult, **CLOSING)
    assert refused.value.code == "breach_unexplained"
    assert case.__class__.objects.get(pk=case.pk).status == Status.RECAPPED
    assert [s.pk for s in breaches_for_office(world.office)] == [step2.pk]

    with pytest.raises(PermissionDenied):
        svc.step_explain_breach(step=step2, actor=world.ult2, explanation="Bukan saya")
    svc.step_explain_breach(step=step2, actor=world.ult, explanation="Antrean loket sedang penuh")
    case = svc.case_close(case=case, actor=world.ult, **CLOSING, late_explanation="Rapat")

    assert case.status == Status.CLOSED
    assert breaches_for_office(world.office, unexplained_only=True) == []


def test_a_step_done_in_time_is_not_a_breach(world, frozen):
    case = submit(world)
    clock.advance(timedelta(minutes=4))
    case = svc.case_accept(case=case, actor=world.ult)

    assert not case.steps.get(step_no=2).breached


def test_the_requester_survey_window_follows_the_service_standard(world, frozen):
    """Step 6 runs in working days from the SP (3 here): delivered Monday, due when Thursday closes."""
    case = case_in(Status.SCHEDULED, world)
    case = svc.case_deliver(case=case, actor=world.ult, notes="Diantar")

    step6 = open_step(case, 6)
    assert (step6.standard_days, step6.due_at) == (3, at(2025, 1, 9, 16, 0))
    with pytest.raises(InvalidInput):
        svc.case_expire_feedback(case=case, actor=world.ult)


def test_step_5_becomes_actionable_at_the_appointment(world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    starts = at(2025, 1, 8, 10, 0)
    case = svc.case_schedule(case=case, actor=world.ult, starts_at=starts, mode="visit")

    step5 = open_step(case, 5)
    assert (step5.opened_at, step5.due_at) == (starts, at(2025, 1, 8, 10, 10))

    svc.case_reschedule(
        case=case, actor=world.ult, starts_at=at(2025, 1, 9, 13, 0), mode="video_call", reason="Pemohon ke rumah sakit"
    )
    assert open_step(case, 5).due_at == at(2025, 1, 9, 13, 10)
    assert case.appointments.filter(superseded_at__isnull=True).count() == 1


def test_a_new_pos_version_does_not_change_running_cases(world, frozen):
    """Cases pin the POS version they started under; their step records keep the copied standard time."""
    from jangkau.procedures.loader import DEFAULT_POS_FILE, load_procedure_file
    from jangkau.procedures.services import procedure_install

    case = submit(world)
    data = load_procedure_file(DEFAULT_POS_FILE)
    data["steps"][2]["standard_minutes"] = 60
    new = procedure_install(office=world.office, data=data)
    case = svc.case_accept(case=case, actor=world.ult)

    assert case.procedure_id != new.pk
    assert open_step(case, 3).standard_minutes == 10
    assert submit(world).procedure_id == new.pk


def test_a_step_overdue_when_paused_stays_a_breach_when_rejected(world, frozen):
    """Step 2 two hours late, then "missing data", then rejected: the overrun is still recorded."""
    case = submit(world)
    clock.advance(timedelta(hours=2))
    svc.case_request_info(case=case, actor=world.ult, missing="Foto KTP")
    assert open_step(case, 2).due_at == at(2025, 1, 6, 8, 5)

    case = svc.case_reject(case=case, actor=world.ult, reason="Di luar layanan", referral="Disdukcapil")

    assert case.steps.get(step_no=2).breached


def test_cancelling_an_unreachable_case_keeps_an_overrun_of_step_4(world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    clock.advance(timedelta(hours=3))
    perform("mark_unreachable", case, world)

    case = svc.case_cancel(case=case, actor="requester", reason="Pindah kota")

    step4 = case.steps.get(step_no=4)
    assert (step4.outcome, step4.breached) == ("cancelled", True)


def test_rescheduling_a_missed_appointment_keeps_the_breach_and_opens_a_new_record(world, frozen):
    case = case_in(Status.SCHEDULED, world)  # appointment tomorrow 08:00
    clock.advance(timedelta(days=3))

    case = svc.case_reschedule(
        case=case, actor=world.ult, starts_at=clock.now() + timedelta(days=1), mode="phone", reason="Tidak hadir"
    )

    records = list(case.steps.filter(step_no=5).order_by("id"))
    assert [(r.outcome, r.breached, r.done_at is None) for r in records] == [
        ("rescheduled", True, False),
        ("", False, True),
    ]


def test_delivering_before_the_appointment_counts_from_the_delivery(world, frozen):
    case = case_in(Status.SCHEDULED, world)

    case = svc.case_deliver(case=case, actor=world.ult, notes="Pemohon datang lebih awal")

    step5 = case.steps.get(step_no=5)
    assert step5.opened_at == step5.done_at and not step5.breached


def test_a_colleague_cannot_work_a_case_someone_else_holds_until_it_is_reassigned(world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    tomorrow = clock.now() + timedelta(days=1)

    with pytest.raises(PermissionDenied):
        svc.case_schedule(case=case, actor=world.ult2, starts_at=tomorrow, mode="phone")

    svc.case_reassign(case=case, actor=world.head, to=world.ult2, reason="Cuti")
    case = svc.case_schedule(case=case, actor=world.ult2, starts_at=tomorrow, mode="phone")
    assert case.status == Status.SCHEDULED


def test_unexplained_overruns_follow_a_reassigned_case(world, frozen):
    """The late officer went on leave: the new holder explains the overrun and can close the case."""
    case = submit(world)
    clock.advance(timedelta(minutes=30))
    case = svc.case_accept(case=case, actor=world.ult)
    case = svc.case_reassign(case=case, actor=world.head, to=world.ult2, reason="Cuti panjang")

    step2 = case.steps.get(step_no=2)
    svc.step_explain_breach(step=step2, actor=world.ult2, explanation="Petugas sebelumnya sakit mendadak")

    step2.refresh_from_db()
    assert step2.explained_by == world.ult2


def test_opening_a_day_without_office_hours_is_refused(world):
    """Saturday 4 January 2025 has no hours: an "open" override would change nothing, so it is refused."""
    with pytest.raises(InvalidInput, match="jam layanan"):
        calendar_day_set(office=world.office, actor=world.admin, day=date(2025, 1, 4), kind="open", reason="Piket")
    assert not CalendarOverride.objects.exists()


@pytest.mark.parametrize(("sp_days", "expected"), [(1, 1), (2, 2), (3, 3), (5, 3), (0, 1)])
def test_the_survey_window_is_the_service_standard_within_the_pos_range(world, sp_days, expected):
    """Step 6 takes the SP's window, but never outside the POS's "1 s.d. 3 hari"."""
    from jangkau.cases.services import standard_days

    step6 = world.office.procedure_versions.get(status="active").steps.get(no=6)
    world.service.survey_window_days = sp_days

    assert standard_days(step6, world.service) == expected
    assert standard_days(world.office.procedure_versions.get(status="active").steps.get(no=2), world.service) is None


def test_a_reassignment_moves_only_the_previous_holder_s_steps(world, frozen):
    """Steps someone else answers for (here, set to the PPID member) stay theirs when the case changes hands."""
    case = svc.case_accept(case=submit(world), actor=world.ult)
    step3 = case.steps.get(step_no=3)
    step3.responsible = world.ppid
    step3.save(update_fields=["responsible"])

    svc.case_reassign(case=case, actor=world.head, to=world.ult2, reason="Cuti")

    step3.refresh_from_db()
    assert step3.responsible == world.ppid
    assert Case.objects.get(pk=case.pk).assigned_to == world.ult2
