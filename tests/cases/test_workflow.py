"""The transition table, walked pair by pair through the real services."""

import pytest

from jangkau.accounts.models import Role
from jangkau.audit.models import AuditEvent
from jangkau.cases.models import Case, Status
from jangkau.cases.workflow import TRANSITIONS, allowed_actions, check_transition
from jangkau.core.errors import PermissionDenied, TransitionNotAllowed
from tests.builders import case_in, perform, submit

PAIRS = [(status, action) for status in Status.values for action in TRANSITIONS]


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "action"), PAIRS)
def test_every_status_action_pair_follows_the_table(world, frozen, status, action):
    """Allowed moves succeed and land on the table's target; all others raise and change nothing."""
    case = case_in(status, world)
    transition = TRANSITIONS[action]
    events_before = AuditEvent.objects.count()

    if status in transition.sources:
        result = perform(action, case, world)
        assert result.status == (transition.target or status)
        assert AuditEvent.objects.count() == events_before + 1
        assert AuditEvent.objects.last().action == f"case.{action}"
    else:
        with pytest.raises(TransitionNotAllowed):
            perform(action, case, world)
        assert Case.objects.get(pk=case.pk).status == status
        assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_roles_outside_the_table_are_refused(action):
    """For each action, every role the table does not name gets PermissionDenied."""
    transition = TRANSITIONS[action]
    status = next(iter(transition.sources))
    for role in [*Role.values, "requester", "system"]:
        if role in transition.roles:
            assert check_transition(action, status, role) is transition
        else:
            with pytest.raises(PermissionDenied):
                check_transition(action, status, role)


def test_allowed_actions_lists_what_a_role_can_do():
    assert allowed_actions(Status.SUBMITTED, Role.ULT_OFFICER) == [
        "request_info", "reject", "accept", "add_note", "extend_information_deadline", "cancel"
    ]  # fmt: skip
    assert allowed_actions(Status.CLOSED, Role.ULT_OFFICER) == []


@pytest.mark.django_db
def test_an_officer_of_another_office_is_refused(world, other_world, frozen):
    """A ULT officer of another office cannot act on the case, and nothing changes."""
    case = submit(world)

    with pytest.raises(PermissionDenied):
        perform("accept", case, world, actor=other_world.ult)

    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


@pytest.mark.django_db
def test_a_ppid_member_cannot_accept_a_request(world, frozen):
    case = submit(world)

    with pytest.raises(PermissionDenied):
        perform("accept", case, world, actor=world.ppid)
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


@pytest.mark.django_db
def test_registration_numbers_count_per_office_and_local_year(world, other_world):
    """New Year's Day 00:30 in Jakarta is still 31 December in UTC: the number belongs to the new year."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from jangkau.core import clock

    with clock.frozen_at(datetime(2025, 12, 31, 23, 0, tzinfo=ZoneInfo("Asia/Jakarta"))):
        first = submit(world)
    with clock.frozen_at(datetime(2026, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Jakarta"))):
        second, third = submit(world), submit(world)
        elsewhere = submit(other_world)

    assert first.registration_number == "JB-2025-000001"
    assert (second.registration_number, third.registration_number) == ("JB-2026-000001", "JB-2026-000002")
    # Each office has its own sequence; two offices may both have a JB-2026-000001.
    assert (elsewhere.office, elsewhere.registration_number) == (other_world.office, "JB-2026-000001")
    assert len({first.tracking_code, second.tracking_code, third.tracking_code}) == 3


@pytest.mark.django_db
def test_the_office_chooses_its_registration_prefix(world, frozen):
    world.office.registration_prefix = "ULTDKI"
    world.office.save()

    assert submit(world).registration_number == "ULTDKI-2025-000001"


@pytest.mark.django_db
def test_resubmitting_with_the_same_key_returns_the_first_case(world, frozen):
    from jangkau.cases import services as svc
    from tests.builders import intake_data

    first = svc.case_submit(office=world.office, data=intake_data(world), idempotency_key="form-123")
    again = svc.case_submit(office=world.office, data=intake_data(world), idempotency_key="form-123")

    assert again.pk == first.pk
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_other_data_is_refused(world, frozen):
    """A reused key must not hand the first requester's case (and tracking code) to someone else."""
    from jangkau.cases import services as svc
    from jangkau.core.errors import Conflict
    from tests.builders import intake_data

    svc.case_submit(office=world.office, data=intake_data(world), idempotency_key="chat-42")

    with pytest.raises(Conflict) as refused:
        svc.case_submit(office=world.office, data=intake_data(world, full_name="Orang Lain"), idempotency_key="chat-42")
    assert refused.value.code == "idempotency_key_reused"
    assert Case.objects.count() == 1
