"""The SLA watch: every minute, warn about officer steps at 80 % of their standard time and escalate the
ones past it. Each step is handled in its own short transaction under its row lock and marked, so running
the watch again, or two watches at once, sends nothing twice."""

from __future__ import annotations

from django.db import transaction

from jangkau.cases.models import StepRecord
from jangkau.core import clock

from .case_events import alert_step_breach, alert_step_warning

BATCH = 500


def _open_officer_steps():
    return StepRecord.objects.filter(done_at__isnull=True, is_officer_step=True)


def _each_locked(pks, still_due):
    for pk in pks:
        with transaction.atomic():
            step = (
                still_due(StepRecord.objects.select_for_update(skip_locked=True, of=("self",)))
                .select_related("case__office", "case__service_type", "case__assigned_to", "responsible")
                .filter(pk=pk)
                .first()
            )
            if step is not None:
                yield step


def sla_watch() -> dict:
    """Sends the due warnings and breach alerts; returns how many steps of each it handled."""
    now = clock.now()
    breaches = 0
    late = _open_officer_steps().filter(breach_alerted_at__isnull=True, due_at__lt=now)
    for step in _each_locked(list(late.values_list("pk", flat=True)[:BATCH]), lambda qs: qs.filter(
        done_at__isnull=True, breach_alerted_at__isnull=True, due_at__lt=now
    )):  # fmt: skip
        alert_step_breach(step)
        # Past the due moment the warning has nothing left to warn about.
        if step.warned_at is None:
            step.warned_at = now
            step.save(update_fields=["warned_at"])
        breaches += 1
    warnings = 0
    near = _open_officer_steps().filter(warned_at__isnull=True, warn_at__lte=now)
    for step in _each_locked(list(near.values_list("pk", flat=True)[:BATCH]), lambda qs: qs.filter(
        done_at__isnull=True, warned_at__isnull=True, warn_at__lte=now
    )):  # fmt: skip
        alert_step_warning(step)
        warnings += 1
    return {"warnings": warnings, "breaches": breaches}
