"""Writing and verifying the audit trail. Every service that changes state calls ``audit_record`` inside
its own transaction, so the change and its event commit together or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from jangkau.core import clock

from .chain import GENESIS_HASH, event_hash, normalise
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
    fields = {
        "seq": head.last_seq + 1,
        "occurred_at": clock.now(),
        "actor_id": actor.pk if actor is not None else None,
        "actor_label": label,
        "action": action,
        "office_id": office_id,
        "case_id": case.pk if case is not None else None,
        "changes": normalise(changes or {}),
        "source_ip": source_ip or current_source_ip(),
    }
    digest = event_hash(key=chain_key(), prev_hash=head.last_hash, **fields)
    event = AuditEvent.objects.create(prev_hash=head.last_hash, hash=digest, **fields)
    head.last_seq, head.last_hash = event.seq, digest
    head.save(update_fields=["last_seq", "last_hash"])
    return event


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
    rows = (
        AuditEvent.objects.filter(seq__lte=last_seq)
        .order_by("seq")
        .values_list(
            "seq", "occurred_at", "actor_id", "actor_label", "action", "office_id", "case_id", "changes",
            "source_ip", "prev_hash", "hash",
        )
    )  # fmt: skip
    for seq, at, actor_id, label, action, office_id, case_id, changes, ip, stored_prev, stored in rows.iterator(
        chunk_size=batch_size
    ):
        if seq != expected_seq:
            yield ChainProblem(expected_seq, f"missing (deleted?); next present event is #{seq}")
        elif stored_prev != prev_hash:
            yield ChainProblem(seq, "does not link to the previous event")
        recomputed = event_hash(
            key=key, prev_hash=stored_prev, seq=seq, occurred_at=at, actor_id=actor_id, actor_label=label,
            action=action, office_id=office_id, case_id=case_id, changes=changes, source_ip=ip,
        )  # fmt: skip
        if recomputed != stored:
            yield ChainProblem(seq, "content changed since it was recorded")
        expected_seq, prev_hash = seq + 1, stored
    if last_seq != expected_seq - 1 or last_hash != prev_hash:
        yield ChainProblem(expected_seq, f"missing (deleted?); the chain head records #{last_seq}")
