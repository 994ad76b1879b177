"""The answers of an intake not yet sent, kept in the browser's session (one draft per office).

Nothing is written to the database until the requester sends the check page, so an abandoned form leaves
nothing behind but an uploaded draft document, which ``documents_purge_drafts`` removes.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from jangkau.core import clock

DRAFTS_KEY = "intake_drafts"
SUBMITTED_KEY = "intake_submitted"
# Enough to recognise a resubmission from the back button; a shared phone should not keep more.
MAX_SUBMITTED = 10


def get(request, office) -> dict | None:
    """Returns this session's draft for ``office``, None when no intake was started."""
    return request.session.get(DRAFTS_KEY, {}).get(office.code)


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
    drafts[office.code] = draft
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
