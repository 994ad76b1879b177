"""Writing and verifying the audit trail. Every service that changes state calls ``audit_record`` inside
its own transaction, so the change and its event commit together or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from jangkau.core import clock

from .chain import GENESIS_HASH, event_hash, normalise, payload_digest
from .context import current_source_ip
from .models import AuditEvent, ChainHead


def chain_key() -> bytes:
    """Returns the audit chain's HMAC key (``AUDIT_CHAIN_KEY``); it lives outside the database."""
    return settings.AUDIT_CHAIN_KEY.encode()


REQUESTER = "requester"
SYSTEM = "system"


def audit_record(
    *,
    action: str,
    actor=None,
    actor_label: str | None = None,
    office=None,
    case=None,
    changes: dict | None = None,
    source_ip: str | None = None,
) -> AuditEvent:
    """Appends one event to the chain and returns it. Must run inside the caller's transaction.

    ``actor`` is a staff user or None; ``actor_label`` names a non-staff actor ("requester", "system").
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the action's transaction")
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    label = actor.get_username() if actor is not None else (actor_label or SYSTEM)
    office_id = office.pk if office is not None else (case.office_id if case is not None else None)
    key = chain_key()
    payload = {"changes": normalise(changes or {}), "source_ip": source_ip or current_source_ip()}
    fields = {
        "seq": head.last_seq + 1,
        "occurred_at": clock.now(),
        "actor_id": actor.pk if actor is not None else None,
        "actor_label": label,
        "action": action,
        "office_id": office_id,
        "case_id": case.pk if case is not None else None,
        "payload_digest": payload_digest(key=key, **payload),
    }
    digest = event_hash(key=key, prev_hash=head.last_hash, **_chained(fields))
    event = AuditEvent.objects.create(prev_hash=head.last_hash, hash=digest, **fields, **payload)
    head.last_seq, head.last_hash = event.seq, digest
    head.save(update_fields=["last_seq", "last_hash"])
    return event


def _chained(fields: dict) -> dict:
    """Returns the event's fields under the names ``event_hash`` takes."""
    return {
        **{name: value for name, value in fields.items() if name != "payload_digest"},
        "payload": fields["payload_digest"],
    }


# What an erasure leaves of an event's changes: the keys whose values are codes, numbers and dates, never
# free text or contact details. Every other key keeps its name with its value replaced.
KEPT_ON_REDACTION = frozenset({
    "status", "channel", "registration_number", "step", "documents", "need_met", "mode_right",
    "accommodations_provided", "mode", "days", "survey_response", "assigned_to", "ppid_member", "office_cost",
    "starts_at", "officers", "accommodations", "outcome", "reason_given", "format", "rows", "kind", "fields",
    "reason_code",
})  # fmt: skip
REDACTED = "[dianonimkan]"
# The key of the event that records an erasure: the numbers of the events it erased.
REDACTED_EVENTS = "redacted_events"


def redacted_changes(changes: dict) -> dict:
    """Returns ``changes`` with every value outside ``KEPT_ON_REDACTION`` replaced by a marker."""
    return {name: (value if name in KEPT_ON_REDACTION else REDACTED) for name, value in changes.items()}


def audit_redact_case(*, case, action: str, actor=None, actor_label: str | None = None, changes: dict) -> AuditEvent:
    """Erases the personal data from the payloads of the case's events (free text, the requester's network
    address) and appends one event, ``action``, that names the erased events. Must run inside the caller's
    transaction. The chain still verifies: it links the payload digests, which stay.
    """
    now = clock.now()
    erased = []
    # Earlier erasure records hold only codes and the numbers the chain check needs: they stay as they are.
    events = (
        AuditEvent.objects.select_for_update()
        .filter(case=case, redacted_at__isnull=True)
        .exclude(changes__has_key=REDACTED_EVENTS)
        .order_by("seq")
    )
    for seq, event_changes in events.values_list("seq", "changes"):
        # An update, not save(): the event stays in place, only its erasable payload changes.
        AuditEvent.objects.filter(seq=seq).update(
            changes=redacted_changes(event_changes), source_ip=None, redacted_at=now
        )
        erased.append(seq)
    return audit_record(
        action=action, actor=actor, actor_label=actor_label, case=case, changes={**changes, REDACTED_EVENTS: erased}
    )


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str

    def __str__(self):
        return f"event #{self.seq}: {self.reason}"


def verify_chain(batch_size: int = 2000) -> Iterator[ChainProblem]:
    """Yields every break in the chain, oldest first: changed events, missing numbers, a cut-off tail.

    The head is read first and only events up to it are checked, so events written while the check runs
    are left for the next run instead of looking like a tampered tail.
    """
    key = chain_key()
    head = ChainHead.objects.filter(id=1).first()
    last_seq, last_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
    expected_seq, prev_hash = 1, GENESIS_HASH
    recorded_erasures = _recorded_erasures(last_seq)
    rows = (
        AuditEvent.objects.filter(seq__lte=last_seq)
        .order_by("seq")
        .values_list(
            "seq", "occurred_at", "actor_id", "actor_label", "action", "office_id", "case_id", "changes",
            "source_ip", "payload_digest", "redacted_at", "prev_hash", "hash",
        )
    )  # fmt: skip
    for row in rows.iterator(chunk_size=batch_size):
        seq, at, actor_id, label, action, office_id, case_id, changes, ip, payload, redacted_at, stored_prev, stored = (
            row
        )
        if seq != expected_seq:
            yield ChainProblem(expected_seq, f"missing (deleted?); next present event is #{seq}")
        elif stored_prev != prev_hash:
            yield ChainProblem(seq, "does not link to the previous event")
        recomputed = event_hash(
            key=key, prev_hash=stored_prev, seq=seq, occurred_at=at, actor_id=actor_id, actor_label=label,
            action=action, office_id=office_id, case_id=case_id, payload=payload,
        )  # fmt: skip
        # An erased payload no longer matches its digest; the digest itself is still chained.
        payload_intact = redacted_at is not None or payload_digest(key=key, changes=changes, source_ip=ip) == payload
        if recomputed != stored or not payload_intact:
            yield ChainProblem(seq, "content changed since it was recorded")
        elif redacted_at is not None and seq not in recorded_erasures:
            yield ChainProblem(seq, "content erased without a recorded anonymisation")
        expected_seq, prev_hash = seq + 1, stored
    if last_seq != expected_seq - 1 or last_hash != prev_hash:
        yield ChainProblem(expected_seq, f"missing (deleted?); the chain head records #{last_seq}")


def _recorded_erasures(last_seq: int) -> set[int]:
    """Returns the numbers of the events that a recorded anonymisation erased (see ``audit_redact_case``)."""
    erased: set[int] = set()
    recording = AuditEvent.objects.filter(seq__lte=last_seq, changes__has_key=REDACTED_EVENTS)
    for changes in recording.values_list("changes", flat=True).iterator():
        erased.update(changes.get(REDACTED_EVENTS) or [])
    return erased
