"""The case workflow as an explicit transition table.

Each action names the statuses it may start from, the status it leads to, and the roles that may take
it. Services consult ``check_transition`` before changing anything; tests walk every (status, action)
pair of the table. Steps are the POS activities: which step an action finishes and which it opens lives
in ``STEP_EFFECTS`` beside the table, so the two are read together.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from jangkau.accounts.models import Role
from jangkau.core.errors import PermissionDenied, TransitionNotAllowed

from .models import Status, StepOutcome

# Non-staff actors, beside the staff roles of accounts.Role.
REQUESTER = "requester"
SYSTEM = "system"

ULT, PPID, HEAD, ADMIN = Role.ULT_OFFICER, Role.PPID_MEMBER, Role.HEAD, Role.ADMIN

# Statuses from which the requester may still withdraw: anything before the service is delivered.
CANCELLABLE = frozenset(
    {
        Status.SUBMITTED,
        Status.AWAITING_INFO,
        Status.ACCEPTED,
        Status.WITH_PPID,
        Status.READY_TO_SCHEDULE,
        Status.UNREACHABLE,
        Status.SCHEDULED,
    }
)
# Actions any officer of the office may take whoever holds the case: recording the requester's withdrawal,
# and the head's reassignment.
# and the internal thread, where anyone of the office may write.
ANY_OFFICER_ACTIONS = frozenset({"cancel", "reassign", "add_note"})
TERMINAL = frozenset({Status.CLOSED, Status.REJECTED, Status.CANCELLED})
OPEN = frozenset(Status) - TERMINAL


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    # None keeps the current status (reschedule, reassign, contact attempts).
    target: str | None
    roles: frozenset[str]


def _t(sources, target, *roles) -> Transition:
    return Transition(frozenset(sources), target, frozenset(roles))


TRANSITIONS: dict[str, Transition] = {
    # Step 2: record, check completeness, accept or reject.
    "request_info": _t({Status.SUBMITTED}, Status.AWAITING_INFO, ULT),
    "provide_info": _t({Status.AWAITING_INFO}, Status.SUBMITTED, REQUESTER, ULT),
    "reject": _t({Status.SUBMITTED, Status.AWAITING_INFO}, Status.REJECTED, ULT),
    "accept": _t({Status.SUBMITTED}, Status.ACCEPTED, ULT),
    # Step 3: coordinate with PPID, which prepares the result.
    "forward_to_ppid": _t({Status.ACCEPTED}, Status.WITH_PPID, ULT),
    "record_result": _t({Status.WITH_PPID}, Status.READY_TO_SCHEDULE, PPID),
    # The internal thread between ULT and PPID (the requester never sees it), open while the case is.
    "add_note": _t(OPEN, None, ULT, PPID, HEAD),
    # UU 14/2008: the legal deadline of a public-information request, extended once with a written notice,
    # any time before the answer is delivered.
    "extend_information_deadline": _t(CANCELLABLE, None, ULT, PPID),
    # Step 4: contact the requester in queue order and agree a schedule.
    "record_contact_attempt": _t({Status.READY_TO_SCHEDULE}, None, ULT),
    "mark_unreachable": _t({Status.READY_TO_SCHEDULE}, Status.UNREACHABLE, ULT),
    "resume_contact": _t({Status.UNREACHABLE}, Status.READY_TO_SCHEDULE, ULT),
    "schedule": _t({Status.READY_TO_SCHEDULE}, Status.SCHEDULED, ULT),
    "reschedule": _t({Status.SCHEDULED}, None, ULT),
    # The requester asks to move the appointment; an officer agrees a new one with "reschedule".
    "request_reschedule": _t({Status.SCHEDULED}, None, REQUESTER),
    # The appointment is called off without a new one: back to contacting the requester.
    "cancel_appointment": _t({Status.SCHEDULED}, Status.READY_TO_SCHEDULE, ULT),
    # Step 5: deliver and hand over the survey.
    "deliver": _t({Status.SCHEDULED}, Status.DELIVERED, ULT, PPID),
    # Step 6: the requester's feedback, or the end of the survey window without one.
    "record_feedback": _t({Status.DELIVERED}, Status.FEEDBACK_RECEIVED, REQUESTER, ULT),
    "expire_feedback": _t({Status.DELIVERED}, Status.FEEDBACK_RECEIVED, SYSTEM, ULT),
    # Step 7: recap the survey.
    "recap_feedback": _t({Status.FEEDBACK_RECEIVED}, Status.RECAPPED, ULT),
    # Step 8: evaluate and close.
    "close": _t({Status.RECAPPED}, Status.CLOSED, ULT, PPID, HEAD),
    # Exceptional paths.
    "cancel": _t(CANCELLABLE, Status.CANCELLED, REQUESTER, ULT),
    "reassign": _t(OPEN, None, HEAD, ADMIN),
}


@dataclass(frozen=True)
class StepEffect:
    """Which POS step an action finishes (with what outcome), and which it opens next."""

    finishes: int | None = None
    opens: int | None = None
    outcome: str = StepOutcome.DONE


STEP_EFFECTS: dict[str, StepEffect] = {
    "accept": StepEffect(finishes=2, opens=3),
    "reject": StepEffect(finishes=2, outcome=StepOutcome.REJECTED),
    "record_result": StepEffect(finishes=3, opens=4),
    "schedule": StepEffect(finishes=4, opens=5),
    "cancel_appointment": StepEffect(finishes=5, opens=4, outcome=StepOutcome.CANCELLED),
    "deliver": StepEffect(finishes=5, opens=6),
    "record_feedback": StepEffect(finishes=6, opens=7),
    "expire_feedback": StepEffect(finishes=6, opens=7, outcome=StepOutcome.EXPIRED),
    "recap_feedback": StepEffect(finishes=7, opens=8),
    "close": StepEffect(finishes=8),
}


# The usual way from a fresh submission to each status: the actions in order. The demo walks it to show a
# case in every status, and the tests use it to put cases where a test needs them.
_TO_RECAPPED = [
    "accept", "forward_to_ppid", "record_result", "schedule", "deliver", "record_feedback", "recap_feedback",
]  # fmt: skip
PATH_TO_STATUS: dict[str, list[str]] = {
    Status.SUBMITTED: [],
    Status.AWAITING_INFO: ["request_info"],
    Status.REJECTED: ["reject"],
    Status.CANCELLED: ["cancel"],
    Status.ACCEPTED: _TO_RECAPPED[:1],
    Status.WITH_PPID: _TO_RECAPPED[:2],
    Status.READY_TO_SCHEDULE: _TO_RECAPPED[:3],
    Status.UNREACHABLE: [*_TO_RECAPPED[:3], "mark_unreachable"],
    Status.SCHEDULED: _TO_RECAPPED[:4],
    Status.DELIVERED: _TO_RECAPPED[:5],
    Status.FEEDBACK_RECEIVED: _TO_RECAPPED[:6],
    Status.RECAPPED: _TO_RECAPPED,
    Status.CLOSED: [*_TO_RECAPPED, "close"],
}


def allowed_actions(status: str, role: str) -> list[str]:
    """Returns the actions ``role`` may take on a case in ``status``, in table order."""
    return [name for name, t in TRANSITIONS.items() if status in t.sources and role in t.roles]


def _applies(action: str, case) -> bool:
    # The legal deadline exists only for public-information requests, and the law allows one extension.
    if action == "extend_information_deadline":
        return case.information_due_at is not None and not case.information_extension_days
    return True


def actions_for_case(case, role: str) -> list[str]:
    """Returns ``allowed_actions`` less those that do not apply to this case (extending the legal deadline
    of a request that has none, or a second time)."""
    return [name for name in allowed_actions(case.status, role) if _applies(name, case)]


def check_transition(action: str, status: str, role: str) -> Transition:
    """Returns the transition of ``action`` from ``status`` for ``role``.

    Raises TransitionNotAllowed when the table has no such move from ``status``, and PermissionDenied when
    it has one but not for ``role``.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionNotAllowed(_("Tindakan tidak dikenal: %(action)s.") % {"action": action})
    if status not in transition.sources:
        raise TransitionNotAllowed(
            _("Tindakan “%(action)s” tidak dapat dilakukan pada kasus berstatus “%(status)s”.")
            % {"action": action, "status": Status(status).label}
        )
    if role not in transition.roles:
        raise PermissionDenied(_("Peran Anda tidak berwenang melakukan “%(action)s”.") % {"action": action})
    return transition
