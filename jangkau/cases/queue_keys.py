"""The queue keys stored on each case (``Case.queue_group``, ``Case.queue_due_at``), so that the database can
order and page the officers' queue (``selectors.QUEUE_ORDER``) instead of the application sorting every open
case of the office on each request.

The group and the running deadline come from ``queue.queue_group``, the same rule the queue's reasons and
SLA states use, so the stored order cannot drift from the explained one. They change only when the case's
status, urgency or open step changes: ``services`` calls ``refresh_queue_key`` at the end of every action and
intake, and ``rebuild_queue_keys`` serves the bulk paths (a calendar change recomputing every open step,
generated data, the migration that introduced the keys).
"""

from __future__ import annotations

from datetime import datetime

from .queue import ENDED_STATUSES, Group, queue_group

# How many cases ``rebuild_queue_keys`` reads and writes at a time: bounded memory for any office size.
BATCH = 2000


def key_of(*, status: str, urgent: bool, step) -> tuple[int, datetime | None]:
    """Returns ``(queue_group, queue_due_at)`` for a case whose current open step is ``step`` (None if none)."""
    if status in ENDED_STATUSES:
        step = None
    officer_step = step.is_officer_step if step is not None else True
    due_at = step.due_at if step is not None else None
    group = queue_group(status=status, urgent=urgent, officer_step=officer_step, due_at=due_at)
    return int(group), due_at if group in (Group.URGENT, Group.DEADLINE) else None


def current_step(open_steps):
    """Returns the current one of a case's open steps, given in (step_no, opened_at, id) order: normally one is
    open at a time; should there be more, the latest POS step is the current one."""
    return open_steps[-1] if open_steps else None


def _open_steps(step_model, case_ids):
    return step_model.objects.filter(case_id__in=case_ids, done_at__isnull=True).order_by(
        "case_id", "step_no", "opened_at", "id"
    )


def refresh_queue_key(case, *, open_step=None) -> None:
    """Stores ``case``'s queue key from its status, urgency and open step (one read, and one write if it
    changed). Call it inside the transaction that changed them; ``open_step``, when the caller knows it is
    the only one (intake just opened it), spares the read."""
    from .models import StepRecord

    step = open_step or current_step(list(_open_steps(StepRecord, [case.pk])))
    group, due_at = key_of(status=case.status, urgent=case.urgent, step=step)
    if (group, due_at) != (case.queue_group, case.queue_due_at):
        case.queue_group, case.queue_due_at = group, due_at
        type(case).objects.filter(pk=case.pk).update(queue_group=group, queue_due_at=due_at)


def rebuild_queue_keys(cases) -> int:
    """Recomputes the queue key of every case in the queryset ``cases``, in batches; returns how many changed.

    Works on historical models too (the migration that added the keys calls it)."""
    model = cases.model
    step_model = model._meta.get_field("steps").related_model
    changed = 0
    ids = list(cases.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = model.objects.filter(pk__in=ids[start : start + BATCH]).only(
            "pk", "status", "urgent", "queue_group", "queue_due_at"
        )
        steps: dict[int, list] = {}
        for step in _open_steps(step_model, ids[start : start + BATCH]).only(
            "case_id", "step_no", "opened_at", "due_at", "is_officer_step"
        ):
            steps.setdefault(step.case_id, []).append(step)
        stale = []
        for case in batch:
            key = key_of(status=case.status, urgent=case.urgent, step=current_step(steps.get(case.pk)))
            if key != (case.queue_group, case.queue_due_at):
                case.queue_group, case.queue_due_at = key
                stale.append(case)
        model.objects.bulk_update(stale, ["queue_group", "queue_due_at"], batch_size=500)
        changed += len(stale)
    return changed
