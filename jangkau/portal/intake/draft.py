"""The answers of an intake not yet sent, kept in the browser's session (one draft per office).

Nothing is written to the case tables until the requester sends the check page, so an abandoned form
leaves nothing behind but an uploaded draft document, which ``documents_purge_drafts`` removes. Sessions
live in the database, and the answers hold a NIK, an address and disability details: they are stored
encrypted like the case's own fields (``SEALED``), never in clear.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime

from jangkau.core import clock, crypto

DRAFTS_KEY = "intake_drafts"
SUBMITTED_KEY = "intake_submitted"
# Enough to recognise a resubmission from the back button; a shared phone should not keep more.
MAX_SUBMITTED = 10


# The key under which a draft keeps its answers encrypted in the session.
SEALED = "answers_sealed"


def get(request, office) -> dict | None:
    """Returns this session's draft for ``office``, None when no intake was started (or when its answers
    no longer decrypt, after a key rotation: the form starts again)."""
    stored = request.session.get(DRAFTS_KEY, {}).get(office.code)
    if stored is None:
        return None
    draft = {key: value for key, value in stored.items() if key != SEALED}
    try:
        draft["answers"] = json.loads(crypto.decrypt(stored[SEALED])) if stored.get(SEALED) else {}
    except (crypto.DecryptionError, ValueError):
        return None
    return draft


def start(request, office) -> dict:
    """Starts a fresh draft for ``office`` with a new idempotency key and the start time; returns it."""
    draft = {
        "key": secrets.token_urlsafe(24),
        "started_at": clock.now().isoformat(),
        "answers": {},
        "answered": [],
        "has_companion": "",
        "documents": [],
    }
    save(request, office, draft)
    return draft


def save(request, office, draft: dict) -> None:
    drafts = request.session.get(DRAFTS_KEY, {})
    sealed = {key: value for key, value in draft.items() if key != "answers"}
    sealed[SEALED] = crypto.encrypt(json.dumps(draft.get("answers", {})))
    drafts[office.code] = sealed
    request.session[DRAFTS_KEY] = drafts
    request.session.modified = True


def clear(request, office) -> None:
    drafts = request.session.get(DRAFTS_KEY, {})
    drafts.pop(office.code, None)
    request.session[DRAFTS_KEY] = drafts
    request.session.modified = True


def started_at(draft: dict) -> datetime | None:
    try:
        return datetime.fromisoformat(draft["started_at"])
    except (KeyError, TypeError, ValueError):
        return None


def remember_submission(request, key: str, case) -> None:
    """Remembers that ``key`` created ``case``, so sending the same form again leads to that case."""
    submitted = {k: v for k, v in request.session.get(SUBMITTED_KEY, {}).items() if k != key}
    submitted[key] = case.pk
    request.session[SUBMITTED_KEY] = dict(list(submitted.items())[-MAX_SUBMITTED:])


def submitted_case_pk(request, key: str) -> int | None:
    """Returns the case this session already created with ``key``, None when the key was not used."""
    if not key:
        return None
    return request.session.get(SUBMITTED_KEY, {}).get(key)
