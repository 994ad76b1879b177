"""The SOP monitoring table (PermenPANRB 35/2012) of a period: prefilled from the step figures until the
evaluator saves a row, which then wins for exactly that office and period."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jangkau.audit.models import AuditEvent
from jangkau.audit.services import verify_chain
from jangkau.cases import services as svc
from jangkau.cases.sla_report import StepFigures, sla_report
from jangkau.core import clock
from jangkau.core.errors import InvalidFields, PermissionDenied
from jangkau.reports.models import MonitoringEntry
from jangkau.reports.monitoring import MonitoringInput, monitoring_save, monitoring_save_all, monitoring_table, prefill
from tests.builders import submit

JAKARTA = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2025, 1, 6, 8, 0, tzinfo=JAKARTA)
DAY = MONDAY.date()


def figures(no, done, within, breaches):
    return StepFigures(no, done, within, 3.0 if done else None, 4.0 if done else None, 5, breaches)


def test_a_step_with_nothing_late_ran_well():
    ran_well, notes = prefill(figures(2, 14, 14, 0))
    assert ran_well is True
    assert notes == "14 dari 14 selesai dalam waktu standar."


def test_a_step_with_a_breach_did_not_run_well_and_the_notes_count_the_late_ones():
    ran_well, notes = prefill(figures(2, 14, 12, 2))
    assert ran_well is False
    assert notes == "12 dari 14 selesai dalam waktu standar; 2 terlambat."


def test_a_step_with_nothing_done_cannot_be_assessed():
    ran_well, notes = prefill(figures(3, 0, 0, 0))
    assert ran_well is None
    assert "Tidak ada kegiatan" in notes


@pytest.fixture
def period(world):
    """Three requests accepted after 2, 4 and 10 office minutes (standard 5): step 2 done 3 times, 1 late."""
    with clock.frozen_at(MONDAY):
        for minutes in (2, 4, 10):
            case = submit(world)
            clock.advance(timedelta(minutes=minutes))
            svc.case_accept(case=case, actor=world.ult)


@pytest.mark.django_db
def test_the_table_is_prefilled_from_the_period_figures_with_the_pos_activities(world, period, frozen):
    rows = monitoring_table(world.office, DAY, DAY, sla_report(world.office, DAY, DAY))

    assert [row.no for row in rows] == list(range(1, 9))
    assert all(row.prefilled and row.assessor == "" and row.action_to_take == "" for row in rows)
    activities = dict(world.office.procedure_versions.get(status="active").steps.values_list("no", "activity"))
    assert [row.activity for row in rows] == [activities[no] for no in range(1, 9)]
    assert (rows[0].ran_well, rows[0].notes) == (True, "3 dari 3 selesai dalam waktu standar.")
    assert (rows[1].ran_well, rows[1].notes) == (False, "2 dari 3 selesai dalam waktu standar; 1 terlambat.")
    assert all(row.ran_well is None for row in rows[2:])


@pytest.mark.django_db
def test_a_saved_row_wins_for_that_period_only(world, period, frozen):
    monitoring_save(
        office=world.office,
        start=DAY,
        end=DAY,
        step_no=2,
        ran_well=True,
        notes="Keterlambatan karena gangguan jaringan, sudah diatasi.",
        action_to_take="",
        actor=world.head,
    )

    rows = monitoring_table(world.office, DAY, DAY, sla_report(world.office, DAY, DAY))
    assert (rows[1].prefilled, rows[1].ran_well, rows[1].assessor) == (False, True, str(world.head))
    assert rows[1].notes == "Keterlambatan karena gangguan jaringan, sudah diatasi."
    assert rows[1].assessed_at == clock.now()
    assert rows[0].prefilled
    # The same step of a longer period (which contains this day) is still prefilled.
    week = monitoring_table(world.office, DAY, DAY + timedelta(days=6), sla_report(world.office, DAY, DAY))
    assert week[1].prefilled and week[1].ran_well is False


@pytest.mark.django_db
def test_another_office_does_not_see_the_saved_row(world, other_world, frozen):
    monitoring_save(
        office=world.office,
        start=DAY,
        end=DAY,
        step_no=1,
        ran_well=False,
        notes="",
        action_to_take="Latih",
        actor=world.head,
    )
    rows = monitoring_table(other_world.office, DAY, DAY, [])
    assert rows[0].prefilled and rows[0].ran_well is None


@pytest.mark.django_db
def test_saving_the_whole_table_is_one_audit_event_and_replaces_earlier_rows(world, frozen):
    entries = [MonitoringInput(step_no=no, ran_well=True, notes=f"catatan {no}") for no in range(1, 9)]
    monitoring_save_all(office=world.office, start=DAY, end=DAY, entries=entries, actor=world.head)
    before = AuditEvent.objects.count()

    entries[3] = MonitoringInput(step_no=4, ran_well=False, notes="Kontak lambat", action_to_take="Tambah petugas")
    monitoring_save_all(office=world.office, start=DAY, end=DAY, entries=entries, actor=world.head)

    assert MonitoringEntry.objects.filter(office=world.office).count() == 8
    assert MonitoringEntry.objects.get(step_no=4).action_to_take == "Tambah petugas"
    events = list(AuditEvent.objects.order_by("seq"))[before:]
    assert [event.action for event in events] == ["evaluation.monitoring_saved"]
    assert events[0].changes["period"] == [DAY.isoformat(), DAY.isoformat()]
    assert [step["no"] for step in events[0].changes["steps"]] == list(range(1, 9))
    assert list(verify_chain()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["ult", "ult2", "ppid", "admin"])
def test_only_the_head_fills_in_the_table(world, frozen, role):
    with pytest.raises(PermissionDenied):
        monitoring_save(
            office=world.office,
            start=DAY,
            end=DAY,
            step_no=1,
            ran_well=True,
            notes="",
            action_to_take="",
            actor=getattr(world, role),
        )
    assert not MonitoringEntry.objects.exists()


@pytest.mark.django_db
def test_the_head_of_another_office_cannot_fill_it_in(world, other_world, frozen):
    with pytest.raises(PermissionDenied):
        monitoring_save(
            office=world.office,
            start=DAY,
            end=DAY,
            step_no=1,
            ran_well=True,
            notes="",
            action_to_take="",
            actor=other_world.head,
        )


@pytest.mark.django_db
def test_wrong_input_saves_nothing(world, frozen):
    before = AuditEvent.objects.count()
    entries = [
        MonitoringInput(step_no=1, ran_well=True, notes="baik"),
        MonitoringInput(step_no=2, ran_well=False, notes="lambat", action_to_take=""),
    ]
    with pytest.raises(InvalidFields) as error:
        monitoring_save_all(office=world.office, start=DAY, end=DAY, entries=entries, actor=world.head)
    assert set(error.value.errors) == {"step_2_action_to_take"}

    with pytest.raises(InvalidFields) as error:
        monitoring_save_all(office=world.office, start=DAY, end=date(2025, 1, 1), entries=entries[:1], actor=world.head)
    assert set(error.value.errors) == {"end"}

    with pytest.raises(InvalidFields) as error:
        monitoring_save(
            office=world.office,
            start=DAY,
            end=DAY,
            step_no=9,
            ran_well=True,
            notes="",
            action_to_take="",
            actor=world.head,
        )
    assert set(error.value.errors) == {"steps"}
    assert not MonitoringEntry.objects.exists()
    assert AuditEvent.objects.count() == before
