"""Who held a case when (SPEC "Absent officer → another officer": "the case history shows who held it when").

Read from the audit trail, which already records every change of holder: the officer who recorded a
request from another channel, the officer who accepted it, each reassignment (by the head, or by an
absence), and each hand-over to a PPID member. Nothing is stored twice, so the history cannot disagree
with the trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

ULT = "ult"
PPID = "ppid"
# Actions that end a case: nobody holds it afterwards.
ENDING_ACTIONS = frozenset({"case.close", "case.reject", "case.cancel"})


@dataclass(frozen=True)
class HolderEvent:
    """The part of an audit event the history needs."""

    occurred_at: datetime
    action: str
    actor: str | None  # username, None for the requester or the system
    changes: dict


@dataclass
class Holding:
    role: str  # ULT or PPID
    username: str
    start: datetime
    how: str  # the audit action that gave them the case: case.submit, case.accept, case.reassign, ...
    end: datetime | None = None
    reason: str = ""


def _new_ult_holder(event: HolderEvent) -> tuple[str | None, str]:
    """Returns (username, reason) of the ULT officer ``event`` makes holder, (None, "") when it does not."""
    if event.action == "case.submit":
        # Recorded by an officer from another channel: that officer holds it. A requester's own has no actor.
        return event.actor, ""
    assigned = event.changes.get("assigned_to")
    if event.action == "case.accept" and isinstance(assigned, str):
        return assigned, ""
    if event.action == "case.reassign" and isinstance(assigned, list) and len(assigned) == 2:
        return assigned[1], event.changes.get("reason", "")
    return None, ""


def holding_history(events: Iterable[HolderEvent]) -> list[Holding]:
    """Returns the periods each officer held the case, in the order they began; the current ones end None.

    ``events`` are the case's audit events in chain order.
    """
    history: list[Holding] = []
    current: dict[str, Holding] = {}

    def hand_to(role: str, username: str, event: HolderEvent, reason: str = "") -> None:
        held = current.get(role)
        if held is not None and held.username == username:
            return  # accepted a case the officer already held (they recorded it): one unbroken period
        if held is not None:
            held.end = event.occurred_at
        current[role] = Holding(role, username, event.occurred_at, event.action, reason=reason)
        history.append(current[role])

    for event in events:
        username, reason = _new_ult_holder(event)
        if username:
            hand_to(ULT, username, event, reason)
        ppid = event.changes.get("ppid_member")
        if event.action == "case.forward_to_ppid" and isinstance(ppid, str):
            hand_to(PPID, ppid, event)
        if event.action in ENDING_ACTIONS:
            for held in current.values():
                held.end = event.occurred_at
            current.clear()
    return history


def case_holding_history(case) -> list[Holding]:
    """Returns ``holding_history`` of ``case`` read from its audit events."""
    from jangkau.audit.models import AuditEvent

    events = (
        AuditEvent.objects.filter(case=case)
        .select_related("actor")
        .order_by("seq")
        .only("occurred_at", "action", "changes", "actor__username")
    )
    return holding_history(
        HolderEvent(e.occurred_at, e.action, e.actor.get_username() if e.actor else None, e.changes) for e in events
    )
