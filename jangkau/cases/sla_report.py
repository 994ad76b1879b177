"""How long each POS step took against its standard time, for an office and a period (issue 6 item 7; the
periodic evaluation of POS step 8 builds on it).

A step counts in the period it was finished in (office-local days). Its time is office time between
becoming actionable and being done, less the time it was paused (waiting for the requester's data, an
unreachable requester): the same clock the deadlines run on. Steps measured in days (step 6, the survey
window) have no minute standard; their times are reported all the same.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from jangkau.core.businesstime import BusinessCalendar, business_between
from jangkau.offices.calendar import calendar_for

from .models import StepRecord

STEP_NUMBERS = range(1, 9)


@dataclass(frozen=True)
class StepFigures:
    no: int
    done: int
    within_standard: int
    median_minutes: float | None
    p90_minutes: float | None
    standard_minutes: int | None
    breaches: int


def median(values: Sequence[float]) -> float | None:
    """The middle value; for an even count, the mean of the two middle ones. None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def percentile_nearest_rank(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile: the smallest value at or below which ``share`` of the values lie (for
    the 90th of ten values, the ninth smallest). None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    return float(ordered[max(1, math.ceil(share * len(ordered))) - 1])


def worked_minutes(cal: BusinessCalendar, step: StepRecord) -> float:
    """Office minutes from actionable to done, less the office time of the step's pauses."""
    total = business_between(cal, step.opened_at, step.done_at)
    for pause in step.pauses.all():
        resumed = pause.resumed_at or step.done_at
        total -= business_between(cal, max(pause.paused_at, step.opened_at), min(resumed, step.done_at))
    return max(total, timedelta(0)).total_seconds() / 60


def step_figures(no: int, minutes: Sequence[float], breached: Sequence[bool], standard: int | None) -> StepFigures:
    """The figures of one step from its records' worked minutes and breach flags (pure)."""
    return StepFigures(
        no=no,
        done=len(minutes),
        within_standard=sum(1 for late in breached if not late),
        median_minutes=median(minutes),
        p90_minutes=percentile_nearest_rank(minutes, 0.9),
        standard_minutes=standard,
        breaches=sum(1 for late in breached if late),
    )


def _local_range(office, start: date, end: date) -> tuple[datetime, datetime]:
    tz = ZoneInfo(office.time_zone)
    return datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz)


def sla_report(office, start: date, end: date) -> list[StepFigures]:
    """Returns the eight steps' figures for the records of ``office`` finished from ``start`` to ``end``."""
    since, until = _local_range(office, start, end)
    records = (
        StepRecord.objects.filter(case__office=office, done_at__gte=since, done_at__lt=until)
        .exclude(outcome__in=["cancelled"])
        .prefetch_related("pauses")
        .order_by("step_no", "done_at")
    )
    cal = calendar_for(office)
    by_step: dict[int, list[StepRecord]] = {no: [] for no in STEP_NUMBERS}
    for record in records:
        by_step.setdefault(record.step_no, []).append(record)
    standards = dict(
        office.procedure_versions.filter(status="active").values_list("steps__no", "steps__standard_minutes")
    )
    return [
        step_figures(
            no,
            [worked_minutes(cal, record) for record in by_step[no]],
            [record.breached for record in by_step[no]],
            standards.get(no),
        )
        for no in STEP_NUMBERS
    ]
