"""Who held a case when: read from the audit trail, through the real services and as a pure function."""

from datetime import UTC, datetime, timedelta

import pytest

from jangkau.cases import services as svc
from jangkau.cases.holders import HolderEvent, case_holding_history, holding_history
from jangkau.cases.models import Channel, Status
from jangkau.core import clock
from tests.builders import case_in, intake_data

T0 = datetime(2026, 8, 3, 3, 0, tzinfo=UTC)


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_each_hand_over_ends_the_previous_period_and_the_close_ends_them_all():
    events = [
        HolderEvent(_at(0), "case.submit", None, {}),
        HolderEvent(_at(5), "case.accept", "ani", {"assigned_to": "ani"}),
        HolderEvent(_at(9), "case.forward_to_ppid", "ani", {"ppid_member": "budi", "note": "Mohon data"}),
        HolderEvent(_at(30), "case.reassign", "kepala", {"assigned_to": ["ani", "citra"], "reason": "Ani cuti"}),
        HolderEvent(_at(40), "case.add_note", "budi", {"note": 7}),
        HolderEvent(_at(90), "case.close", "citra", {}),
    ]

    history = holding_history(events)

    assert [(h.role, h.username, h.start, h.end, h.how, h.reason) for h in history] == [
        ("ult", "ani", _at(5), _at(30), "case.accept", ""),
        ("ppid", "budi", _at(9), _at(90), "case.forward_to_ppid", ""),
        ("ult", "citra", _at(30), _at(90), "case.reassign", "Ani cuti"),
    ]


def test_an_officer_who_recorded_the_request_and_accepts_it_holds_it_in_one_period():
    events = [
        HolderEvent(_at(0), "case.submit", "ani", {"channel": "phone"}),
        HolderEvent(_at(5), "case.accept", "ani", {"assigned_to": "ani"}),
    ]

    assert [(h.username, h.start, h.end, h.how) for h in holding_history(events)] == [
        ("ani", _at(0), None, "case.submit")
    ]


def test_a_requester_submission_alone_has_no_holder():
    assert holding_history([HolderEvent(_at(0), "case.submit", None, {})]) == []


@pytest.mark.django_db
def test_the_history_of_a_real_case_follows_its_audit_trail(world, frozen):
    case = case_in(Status.WITH_PPID, world)
    clock.advance(timedelta(minutes=20))
    svc.case_reassign(case=case, actor=world.head, to=world.ult2, reason="Petugas sakit")

    history = case_holding_history(case)

    assert [(h.role, h.username, h.end is None) for h in history] == [
        ("ult", world.ult.username, False),
        ("ppid", world.ppid.username, True),
        ("ult", world.ult2.username, True),
    ]
    assert history[0].end == history[2].start == clock.now()


@pytest.mark.django_db
def test_a_request_recorded_by_an_officer_is_theirs_from_the_start(world, frozen):
    case = svc.case_submit(office=world.office, data=intake_data(world), channel=Channel.PHONE, actor=world.ult2)

    assert [(h.username, h.how) for h in case_holding_history(case)] == [(world.ult2.username, "case.submit")]
