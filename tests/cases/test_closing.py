"""Step 8: the closing evaluation. Its three answers are checked and stored for the periodic evaluation;
notes are required when something did not go well; an unexplained breach still blocks closing."""

from datetime import timedelta

import pytest

from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.models import Status
from jangkau.core import clock
from jangkau.core.errors import Conflict, InvalidFields
from tests.builders import case_in, perform, reload, submit

pytestmark = pytest.mark.django_db

WENT_WELL = {"need_met": "met", "mode_right": True, "accommodations_provided": "provided", "evaluation": ""}


def test_closing_stores_the_three_answers_and_the_notes_in_one_audit_event(world, frozen):
    case = case_in(Status.RECAPPED, world)

    closed = svc.case_close(
        case=case,
        actor=world.head,
        need_met="partly",
        mode_right=False,
        accommodations_provided="partly",
        evaluation="Juru bahasa isyarat datang terlambat; kunjungan berikutnya lewat panggilan video.",
    )

    closed = reload(closed)
    assert closed.status == Status.CLOSED
    assert (closed.evaluation_need_met, closed.evaluation_mode_right, closed.evaluation_accommodations) == (
        "partly",
        False,
        "partly",
    )
    assert closed.evaluation.startswith("Juru bahasa isyarat")
    assert closed.steps.get(step_no=8).done_by == world.head
    event = AuditEvent.objects.filter(case=case, action="case.close").get()
    assert event.changes["need_met"] == "partly" and event.changes["mode_right"] is False


def test_a_case_that_went_well_closes_without_notes(world, frozen):
    case = case_in(Status.RECAPPED, world)

    closed = svc.case_close(case=case, actor=world.ult, **WENT_WELL)

    assert reload(closed).status == Status.CLOSED and reload(closed).evaluation == ""


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"need_met": ""}, "need_met"),
        ({"need_met": "maybe"}, "need_met"),
        ({"mode_right": None}, "mode_right"),
        ({"accommodations_provided": "all"}, "accommodations_provided"),
        # The requester asked for a wheelchair ramp: "none asked" contradicts the request.
        ({"accommodations_provided": "none_asked"}, "accommodations_provided"),
        ({"need_met": "not_met"}, "evaluation"),
        ({"mode_right": False}, "evaluation"),
        ({"accommodations_provided": "not_provided"}, "evaluation"),
        ({"evaluation": "x" * 2001}, "evaluation"),
    ],
)
def test_a_wrong_or_missing_answer_is_named_and_changes_nothing(world, frozen, answers, field):
    case = case_in(Status.RECAPPED, world)
    events = AuditEvent.objects.count()

    with pytest.raises(InvalidFields) as refused:
        svc.case_close(case=case, actor=world.ult, **{**WENT_WELL, **answers})

    assert field in refused.value.errors
    assert reload(case).status == Status.RECAPPED and reload(case).evaluation_need_met == ""
    assert AuditEvent.objects.count() == events


def test_none_asked_is_the_answer_when_the_requester_asked_for_nothing(world, frozen):
    case = case_in(Status.RECAPPED, world, accommodations=[])

    closed = svc.case_close(case=case, actor=world.ult, **{**WENT_WELL, "accommodations_provided": "none_asked"})

    assert reload(closed).evaluation_accommodations == "none_asked"


def test_an_unexplained_breach_blocks_closing_even_with_a_complete_evaluation(world, frozen):
    case = submit(world)
    clock.advance(timedelta(hours=2))  # step 2's standard is minutes: accepting now is late
    for action in ["accept", "forward_to_ppid", "record_result", "schedule", "deliver", "record_feedback"]:
        case = perform(action, case, world)
    case = perform("recap_feedback", case, world)

    with pytest.raises(Conflict):
        svc.case_close(case=case, actor=world.ult, **WENT_WELL)

    assert reload(case).status == Status.RECAPPED and reload(case).closed_at is None
