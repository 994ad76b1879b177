"""Follow-up actions (RTL): raised by the evaluator, owned by an officer of the office, tracked until done and
carried into every later period's report until then (shown done in the period it was done, not after)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from jangkau.audit.models import AuditEvent
from jangkau.audit.services import verify_chain
from jangkau.core import clock
from jangkau.core.errors import Conflict, InvalidFields, PermissionDenied
from jangkau.reports.followups import (
    allowed_statuses,
    followup_create,
    followup_update_status,
    followups_for_office,
    followups_for_period,
)
from jangkau.reports.models import FollowUpAction

JAKARTA = ZoneInfo("Asia/Jakarta")
JAN = (date(2025, 1, 1), date(2025, 1, 31))
FEB = (date(2025, 2, 1), date(2025, 2, 28))
MAR = (date(2025, 3, 1), date(2025, 3, 31))


def at(day: date, hour: int = 9):
    return clock.frozen_at(datetime(day.year, day.month, day.day, hour, 0, tzinfo=JAKARTA))


def raise_action(world, *, period=JAN, title="Pasang papan petunjuk", due=date(2025, 2, 14), owner=None, **extra):
    return followup_create(
        office=world.office,
        actor=world.head,
        title=title,
        description="Papan petunjuk arah ke ruang ULT dengan huruf besar dan braille.",
        owner=owner or world.ult,
        due_date=due,
        source_start=period[0] if period else None,
        source_end=period[1] if period else None,
        **extra,
    )


def ids(actions):
    return [action.pk for action in actions]


@pytest.mark.django_db
def test_an_action_is_carried_into_each_next_period_until_done_and_shown_done_there_not_after(world):
    with at(date(2025, 2, 3)):
        action = raise_action(world, step_no=4)

    with at(date(2025, 2, 10)):
        jan = followups_for_period(world.office, *JAN)
        feb = followups_for_period(world.office, *FEB)
    assert ids(jan) == [action.pk] and jan[0].carried_over is False
    assert ids(feb) == [action.pk] and feb[0].carried_over is True and not feb[0].closed_in_period

    with at(date(2025, 3, 5)):
        followup_update_status(action=action, actor=world.ult, status="in_progress", note="Sudah dipesan")
    with at(date(2025, 3, 20)):
        followup_update_status(action=action, actor=world.ult, status="done", note="Papan terpasang 20 Maret.")
        mar = followups_for_period(world.office, *MAR)
        assert followups_for_period(world.office, date(2025, 4, 1), date(2025, 4, 30)) == []
    assert ids(mar) == [action.pk]
    assert mar[0].carried_over and mar[0].closed_in_period and mar[0].status == "done"
    assert mar[0].done_note == "Papan terpasang 20 Maret."
    assert mar[0].progress_note == "Sudah dipesan"


@pytest.mark.django_db
def test_overdue_is_judged_at_the_end_of_a_past_period_and_today_in_a_running_one(world):
    with at(date(2025, 1, 20)):
        late = raise_action(world, title="Terlambat", due=date(2025, 2, 10))
        on_time = raise_action(world, title="Tepat", due=date(2025, 2, 20))
    with at(date(2025, 2, 15)):
        # February is still running: only the one due on the 10th is overdue today.
        feb = {action.title: action.overdue for action in followups_for_period(world.office, *FEB)}
        assert feb == {"Terlambat": True, "Tepat": False}
        assert {a.title: a.overdue for a in followups_for_office(world.office)} == feb
    with at(date(2025, 2, 18)):
        followup_update_status(action=on_time, actor=world.head, status="done", note="Selesai")
    with at(date(2025, 4, 1)):
        feb = {action.title: action.overdue for action in followups_for_period(world.office, *FEB)}
        assert feb == {"Terlambat": True, "Tepat": False}
        assert [a.title for a in followups_for_office(world.office, unfinished_only=True)] == [late.title]


@pytest.mark.django_db
def test_an_ad_hoc_action_counts_on_the_day_it_was_raised(world):
    with at(date(2025, 2, 3)):
        action = raise_action(world, period=None, due=date(2025, 2, 28))
    with at(date(2025, 3, 3)):
        assert followups_for_period(world.office, *JAN) == []
        assert [a.carried_over for a in followups_for_period(world.office, *FEB)] == [False]
        assert [a.carried_over for a in followups_for_period(world.office, *MAR)] == [True]
    assert action.source_period_start is None


@pytest.mark.django_db
def test_a_later_period_action_is_not_in_an_earlier_report_and_other_offices_are_apart(world, other_world):
    with at(date(2025, 3, 3)):
        raise_action(world, period=FEB, due=date(2025, 3, 31))
        followup_create(
            office=other_world.office,
            actor=other_world.head,
            title="Kantor lain",
            description="x",
            owner=other_world.ult,
            due_date=date(2025, 3, 31),
            source_start=JAN[0],
            source_end=JAN[1],
        )
        assert followups_for_period(world.office, *JAN) == []
        assert [a.title for a in followups_for_period(other_world.office, *JAN)] == ["Kantor lain"]


@pytest.mark.django_db
def test_creating_and_changing_status_write_one_audit_event_each(world):
    with at(date(2025, 2, 3)):
        before = AuditEvent.objects.count()
        action = raise_action(world)
        followup_update_status(action=action, actor=world.ult, status="done", note="Sudah dipasang.")
    events = list(AuditEvent.objects.order_by("seq"))[before:]
    assert [e.action for e in events] == ["evaluation.followup_created", "evaluation.followup_status_changed"]
    assert events[0].changes["owner"] == world.ult.username and events[0].changes["due_date"] == "2025-02-14"
    assert events[1].changes == {"followup": action.pk, "from": "open", "to": "done", "note": "Sudah dipasang."}
    action.refresh_from_db()
    assert action.done_at == datetime(2025, 2, 3, 9, 0, tzinfo=JAKARTA)
    assert list(verify_chain()) == []


@pytest.mark.django_db
def test_wrong_input_is_refused_with_every_message_and_changes_nothing(world, other_world):
    with at(date(2025, 2, 3)):
        before = AuditEvent.objects.count()
        with pytest.raises(InvalidFields) as error:
            followup_create(
                office=world.office,
                actor=world.head,
                title="  ",
                description="",
                owner=other_world.ult,
                due_date=date(2024, 12, 31),
                source_start=JAN[0],
                source_end=JAN[1],
                step_no=9,
            )
        assert set(error.value.errors) == {"title", "description", "owner", "due_date", "step_no"}
        with pytest.raises(InvalidFields) as error:
            raise_action(world, period=(JAN[0], None))
        assert set(error.value.errors) == {"source_end"}
        with pytest.raises(InvalidFields) as error:
            raise_action(world, period=None, due=date(2025, 2, 2))
        assert set(error.value.errors) == {"due_date"}
        with pytest.raises(InvalidFields) as error:
            raise_action(world, due=None)
        assert set(error.value.errors) == {"due_date"}
        assert not FollowUpAction.objects.exists()

        action = raise_action(world)
        after_create = AuditEvent.objects.count()
        for status, note, key in (
            ("done", "", "note"),
            ("cancelled", " ", "note"),
            ("open", "", "status"),
            ("x", "", "status"),
        ):
            with pytest.raises(InvalidFields) as error:
                followup_update_status(action=action, actor=world.head, status=status, note=note)
            assert key in error.value.errors
    action.refresh_from_db()
    assert (action.status, action.done_at, action.updated_at) == ("open", None, action.created_at)
    assert AuditEvent.objects.count() == after_create == before + 1


@pytest.mark.django_db
def test_who_may_do_what(world, other_world):
    with at(date(2025, 2, 3)):
        for actor in (world.ult, world.ppid, world.admin, other_world.head):
            with pytest.raises(PermissionDenied):
                followup_create(
                    office=world.office,
                    actor=actor,
                    title="t",
                    description="d",
                    owner=world.ult,
                    due_date=date(2025, 3, 1),
                )
        action = raise_action(world, owner=world.ppid)
        # Not the owner: refused.
        with pytest.raises(PermissionDenied):
            followup_update_status(action=action, actor=world.ult, status="in_progress", note="")
        # The owner may not cancel; the head may.
        assert "cancelled" not in allowed_statuses(world.ppid, action)
        with pytest.raises(PermissionDenied):
            followup_update_status(action=action, actor=world.ppid, status="cancelled", note="Tidak perlu")
        action = followup_update_status(action=action, actor=world.head, status="cancelled", note="Tidak perlu lagi")
        # Closed is final.
        with pytest.raises(Conflict):
            followup_update_status(action=action, actor=world.head, status="open", note="")
        assert allowed_statuses(world.head, action) == []
