"""Reading cases: queries that pages, the API and reports share."""

from __future__ import annotations

import hmac

from .models import Case, StepRecord


def breaches_for_office(office, *, unexplained_only: bool = False) -> list[StepRecord]:
    """Returns the office's overrun officer steps, newest first, for the supervisor's view."""
    steps = StepRecord.objects.filter(case__office=office, breached=True, is_officer_step=True)
    if unexplained_only:
        steps = steps.filter(breach_explanation="")
    return list(steps.select_related("case", "responsible", "done_by").order_by("-done_at"))


def normalise_code(raw: str) -> str:
    """Returns a tracking code or registration number as stored: upper case, without the spaces people type
    (and, for tracking codes, without the dashes used to group them)."""
    return "".join((raw or "").split()).upper()


def grouped_code(code: str, size: int = 4) -> str:
    """Returns a tracking code in groups for reading out and copying from paper: K7QM4XPA2R -> K7QM-4XPA-2R.
    ``normalise_code`` takes the dashes out again."""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def case_for_requester(registration_number: str, tracking_code: str) -> Case | None:
    """Returns the case that the registration number and tracking code open together, None otherwise.

    Numbers run per office, so one number may name cases of several offices; the code tells them apart.
    Codes are compared in constant time so that the answer's timing reveals nothing about them.
    """
    number = normalise_code(registration_number)
    code = normalise_code(tracking_code).replace("-", "")
    if not number or not code:
        return None
    candidates = (
        Case.objects.select_related("office", "service_type")
        .prefetch_related("steps", "appointments")
        .filter(registration_number=number)
    )
    for case in candidates:
        if hmac.compare_digest(case.tracking_code.encode(), code.encode()):
            return case
    return None
