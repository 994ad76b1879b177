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
    changes: dict,
    source_ip: str | None,
) -> str:
    """Returns the HMAC-SHA256, under ``key``, of the previous hash and a canonical JSON of the event's fields.

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
        "changes": changes,
        "ip": source_ip,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, (prev_hash + canonical).encode(), hashlib.sha256).hexdigest()
