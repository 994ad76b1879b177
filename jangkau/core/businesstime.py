"""Business-time arithmetic: pure functions over an office calendar, no ORM.

A ``BusinessCalendar`` knows an office's opening hours per weekday, its time zone and which dates are
closed (national holidays, *cuti bersama*, days an administrator added). The POS standard times are
measured in office time only, so "5 minutes" opened at 15:58 on a Thursday that closes at 16:00 is due
at 07:33 on the next working day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# No office is closed for ten years; a calendar that claims so is misconfigured, not a long wait.
MAX_DAYS_SCANNED = 3660
ZERO = timedelta(0)


class CalendarError(ValueError):
    """Raised when a calendar has no working time within MAX_DAYS_SCANNED days."""


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours (weekday 0 = Monday → (opens, closes)) plus a lookup of closed dates.

    ``closed_reason(day)`` returns why ``day`` is closed (a holiday's name) or None when it is a normal
    day; a weekday missing from ``hours`` is closed (weekends).
    """

    tz: ZoneInfo
    hours: Mapping[int, tuple[time, time]]
    closed_reason: Callable[[date], str | None] = field(default=lambda day: None)

    def __post_init__(self):
        # The office time before each day, filled as days are asked for (``office_time_before``): a queue page
        # measures dozens of steps overdue by months against one calendar, and would otherwise walk the same
        # days, holidays and all, once per step. Not a field: it changes neither equality nor the hash.
        object.__setattr__(self, "_before", _OfficeTimeBefore(self))

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """Returns the aware (opens, closes) of ``day``, or None when the office is closed that day."""
        hours = self.hours.get(day.weekday())
        if hours is None or self.closed_reason(day) is not None:
            return None
        opens, closes = hours
        return datetime.combine(day, opens, self.tz), datetime.combine(day, closes, self.tz)

    def why_closed(self, day: date) -> str | None:
        """Returns the reason ``day`` has no office hours ("weekend" when it is not a working weekday)."""
        reason = self.closed_reason(day)
        if reason is not None:
            return reason
        return None if day.weekday() in self.hours else "weekend"


@dataclass(frozen=True)
class Segment:
    """Office time used on one day: from ``start`` to ``end``."""

    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class SkippedDay:
    """A day with no office time, and why."""

    day: date
    reason: str


def _walk(cal: BusinessCalendar, start: datetime) -> Iterator[Segment | SkippedDay]:
    """Yields, day by day from ``start``, the office time still ahead on each day or why it has none."""
    local = start.astimezone(cal.tz)
    day = local.date()
    for _ in range(MAX_DAYS_SCANNED):
        window = cal.window(day)
        if window is None:
            yield SkippedDay(day, cal.why_closed(day) or "closed")
        else:
            opens, closes = window
            begin = max(local, opens)
            if begin < closes:
                yield Segment(begin, closes)
        day += timedelta(days=1)
    raise CalendarError(f"no office hours within {MAX_DAYS_SCANNED} days of {start.isoformat()}")


def add_business(cal: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    """Returns the moment at which ``duration`` of office time has passed since ``start``.

    A start outside office hours counts from the next opening; a zero duration outside hours therefore
    lands on the next opening. Raises ValueError for a negative duration.
    """
    return _add_with_trace(cal, start, duration)[0]


def _add_with_trace(
    cal: BusinessCalendar, start: datetime, duration: timedelta
) -> tuple[datetime, list[Segment | SkippedDay]]:
    if duration < ZERO:
        raise ValueError("duration must not be negative")
    remaining = duration
    trace: list[Segment | SkippedDay] = []
    for item in _walk(cal, start):
        if isinstance(item, SkippedDay):
            trace.append(item)
            continue
        if remaining <= item.duration:
            end = item.start + remaining
            trace.append(Segment(item.start, end))
            return end, trace
        trace.append(item)
        remaining -= item.duration
    raise AssertionError("unreachable: _walk raises when it runs out")  # pragma: no cover


class _OfficeTimeBefore:
    """Office time from a first day up to each later day, in a growing list (prefix sums), so that the office
    time between two moments is a subtraction once their days have been seen."""

    def __init__(self, cal: BusinessCalendar):
        self.cal = cal
        self.first: date | None = None
        self.before: list[timedelta] = []  # before[i]: office time from ``first`` to the start of first + i

    def __call__(self, day: date) -> timedelta:
        if self.first is None or day < self.first:
            self.first, self.before = day, [ZERO]
        index = (day - self.first).days
        while len(self.before) <= index:
            window = self.cal.window(self.first + timedelta(days=len(self.before) - 1))
            self.before.append(self.before[-1] + (window[1] - window[0] if window else ZERO))
        return self.before[index]


def _office_time_until(cal: BusinessCalendar, moment: datetime) -> timedelta:
    """Office time from the calendar's first day seen up to ``moment``."""
    local = moment.astimezone(cal.tz)
    day = local.date()
    window = cal.window(day)
    today = min(max(local, window[0]), window[1]) - window[0] if window else ZERO
    return cal._before(day) + today


def business_between(cal: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Returns the office time between two moments (zero when ``end`` is not after ``start``)."""
    if end <= start:
        return ZERO
    # Both ends against the same first day: read ``start`` first, so the list starts at its day or earlier.
    begin = _office_time_until(cal, start)
    return _office_time_until(cal, end) - begin


def add_working_days(cal: BusinessCalendar, start: datetime, days: int) -> datetime:
    """Returns the closing moment of the ``days``-th working day after the day of ``start``.

    "Answer within 3 days" from a Monday delivery is due when the office closes on Thursday. Zero days
    means the close of ``start``'s own day when that is a working day, else of the next one.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start.astimezone(cal.tz).date()
    if days == 0:
        for _ in range(MAX_DAYS_SCANNED):
            window = cal.window(day)
            if window is not None:
                return window[1]
            day += timedelta(days=1)
        raise CalendarError("no working day ahead")
    counted = 0
    for _ in range(MAX_DAYS_SCANNED):
        day += timedelta(days=1)
        window = cal.window(day)
        if window is not None:
            counted += 1
            if counted == days:
                return window[1]
    raise CalendarError(f"no {days} working days within {MAX_DAYS_SCANNED} days")


def settle_pauses(
    cal: BusinessCalendar,
    opened: datetime,
    duration: timedelta,
    pauses: Sequence[tuple[datetime, datetime | None]],
) -> tuple[datetime | None, timedelta, int]:
    """Returns ``(moment, remaining, counted)``: after the first ``counted`` pauses, ``remaining`` office
    time is left to run from ``moment``. ``moment`` is None while the last counted pause is still open.

    ``pauses`` are (paused, resumed) pairs in time order; a pause that starts after the time ran out does
    not count.
    """
    moment, remaining = opened, duration
    for counted, (paused, resumed) in enumerate(pauses):
        used = business_between(cal, moment, paused)
        if used >= remaining:
            return moment, remaining, counted
        remaining -= used
        if resumed is None:
            return None, remaining, counted + 1
        moment = max(moment, resumed)
    return moment, remaining, len(pauses)


def due_with_pauses(
    cal: BusinessCalendar,
    opened: datetime,
    duration: timedelta,
    pauses: Sequence[tuple[datetime, datetime | None]],
) -> datetime | None:
    """Returns when ``duration`` of office time is used, not counting the paused intervals; None while the
    step is on hold (see ``settle_pauses``)."""
    moment, remaining, _counted = settle_pauses(cal, opened, duration, pauses)
    return None if moment is None else add_business(cal, moment, remaining)


@dataclass(frozen=True)
class DueExplanation:
    """How a due moment was computed: the office time used per day and the days skipped."""

    start: datetime
    duration: timedelta
    due: datetime
    trace: list[Segment | SkippedDay]


def explain_add_business(cal: BusinessCalendar, start: datetime, duration: timedelta) -> DueExplanation:
    """Returns the due moment of ``start + duration`` in office time together with its day-by-day trace."""
    due, trace = _add_with_trace(cal, start, duration)
    return DueExplanation(start=start, duration=duration, due=due, trace=trace)
