"""The hash chain of the audit trail: pure functions, shared by the writer and the verifier."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

GENESIS_HASH = "0" * 64


def normalise(value):
    """Returns ``value`` as plain JSON data (dates and other objects as strings), as the database keeps it."""
    return json.loads(json.dumps(value, default=str))


def _canonical(body: dict) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def payload_digest(*, key: bytes, changes: dict, source_ip: str | None) -> str:
    """Returns the HMAC-SHA256, under ``key``, of the parts of an event that may hold personal data: what
    changed and where from.

    The chain links these digests, not the payload itself, so that anonymisation (retention, an erasure
    request under UU 27/2022) can erase a payload and the chain still proves that nothing else changed.
    """
    return hmac.new(key, _canonical({"changes": changes, "ip": source_ip}).encode(), hashlib.sha256).hexdigest()


def event_hash(
    *,
    key: bytes,
    prev_hash: str,
    seq: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    office_id: int | None,
    case_id: int | None,
    payload: str,
) -> str:
    """Returns the HMAC-SHA256, under ``key``, of the previous hash and a canonical JSON of the event's fields
    (``payload`` is the ``payload_digest`` of its changes and source address).

    Keyed, so that someone who can write to the database but does not hold the key cannot rewrite an event
    and recompute the hashes after it.
    """
    body = {
        "seq": seq,
        "at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_label": actor_label,
        "action": action,
        "office": office_id,
        "case": case_id,
        "payload": payload,
    }
    return hmac.new(key, (prev_hash + _canonical(body)).encode(), hashlib.sha256).hexdigest()
