"""Reading cases: queries that pages, the API and reports share."""

from __future__ import annotations

from .models import StepRecord


def breaches_for_office(office, *, unexplained_only: bool = False) -> list[StepRecord]:
    """Returns the office's overrun officer steps, newest first, for the supervisor's view."""
    steps = StepRecord.objects.filter(case__office=office, breached=True, is_officer_step=True)
    if unexplained_only:
        steps = steps.filter(breach_explanation="")
    return list(steps.select_related("case", "responsible", "done_by").order_by("-done_at"))
