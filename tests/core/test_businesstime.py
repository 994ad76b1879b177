"""Business-time arithmetic against the worked examples of the issue and a property."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jangkau.core.businesstime import (
    BusinessCalendar,
    CalendarError,
    Segment,
    SkippedDay,
    add_business,
    add_working_days,
    business_between,
    due_with_pauses,
    explain_add_business,
)
from jangkau.offices.models import DEFAULT_HOURS

JKT = ZoneInfo("Asia/Jakarta")


def at(y, m, d, hh, mm) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=JKT)


def calendar(closed: dict | None = None) -> BusinessCalendar:
    closed = closed or {}
    return BusinessCalendar(tz=JKT, hours=DEFAULT_HOURS, closed_reason=closed.get)


# 2025-01-02 is a Thursday; 2025-01-03 a Friday; 2025-01-06 a Monday.
THURSDAY_1558 = at(2025, 1, 2, 15, 58)


def test_five_minutes_from_thursday_1558_is_due_friday_0733():
    """Two minutes remain on Thursday (closes 16:00); the other three run from Friday's 07:30 opening."""
    assert add_business(calendar(), THURSDAY_1558, timedelta(minutes=5)) == at(2025, 1, 3, 7, 33)


def test_a_friday_holiday_moves_the_due_moment_to_monday_0733():
    """When that Friday is a holiday, the weekend and the holiday are skipped."""
    cal = calendar({date(2025, 1, 3): "Libur kantor"})

    assert add_business(cal, THURSDAY_1558, timedelta(minutes=5)) == at(2025, 1, 6, 7, 33)


def test_national_holiday_and_cuti_bersama_from_the_holidays_package_are_skipped():
    """Uses the real Indonesian calendar: 2026-05-14 Ascension Day (public), 2026-05-15 cuti bersama."""
    from jangkau.offices.calendar import national_holiday

    cal = BusinessCalendar(tz=JKT, hours=DEFAULT_HOURS, closed_reason=national_holiday)
    # Wednesday 13 May 2026, 15:55, plus 10 minutes: 5 on Wednesday, then Thu 14 (holiday), Fri 15 (cuti
    # bersama), the weekend, and 5 minutes on Monday 18 May.
    due = add_business(cal, at(2026, 5, 13, 15, 55), timedelta(minutes=10))

    assert national_holiday(date(2026, 5, 14)) is not None
    assert national_holiday(date(2026, 5, 15)) is not None
    assert due == at(2026, 5, 18, 7, 35)


def test_friday_closes_later_than_other_days():
    """Friday's hours end at 16:30: five minutes from 16:20 end at 16:25 the same day."""
    assert add_business(calendar(), at(2025, 1, 3, 16, 20), timedelta(minutes=5)) == at(2025, 1, 3, 16, 25)


def test_a_start_before_opening_counts_from_the_opening():
    assert add_business(calendar(), at(2025, 1, 6, 5, 0), timedelta(minutes=5)) == at(2025, 1, 6, 7, 35)


def test_business_between_counts_office_hours_only():
    """From Thursday 15:58 to Monday 07:33, with Friday a holiday: 2 + 3 = 5 minutes."""
    cal = calendar({date(2025, 1, 3): "Libur"})

    assert business_between(cal, THURSDAY_1558, at(2025, 1, 6, 7, 33)) == timedelta(minutes=5)
    assert business_between(cal, at(2025, 1, 6, 7, 33), THURSDAY_1558) == timedelta(0)


def test_explanation_lists_each_day_used_and_skipped():
    cal = calendar({date(2025, 1, 3): "Libur kantor"})

    explanation = explain_add_business(cal, THURSDAY_1558, timedelta(minutes=5))

    assert explanation.due == at(2025, 1, 6, 7, 33)
    assert explanation.trace == [
        Segment(THURSDAY_1558, at(2025, 1, 2, 16, 0)),
        SkippedDay(date(2025, 1, 3), "Libur kantor"),
        SkippedDay(date(2025, 1, 4), "weekend"),
        SkippedDay(date(2025, 1, 5), "weekend"),
        Segment(at(2025, 1, 6, 7, 30), at(2025, 1, 6, 7, 33)),
    ]


def test_working_days_end_at_the_close_of_the_last_day():
    """Three working days from a Thursday delivery: Fri, Mon, Tue; due when Tuesday closes."""
    assert add_working_days(calendar(), THURSDAY_1558, 3) == at(2025, 1, 7, 16, 0)


def test_a_pause_extends_the_due_moment_by_the_office_time_it_took():
    """Opened Mon 08:00 with 5 minutes; paused at 08:02 until Tue 09:00: 3 minutes remain from then."""
    cal = calendar()
    pauses = [(at(2025, 1, 6, 8, 2), at(2025, 1, 7, 9, 0))]

    assert due_with_pauses(cal, at(2025, 1, 6, 8, 0), timedelta(minutes=5), pauses) == at(2025, 1, 7, 9, 3)
    assert due_with_pauses(cal, at(2025, 1, 6, 8, 0), timedelta(minutes=5), [(at(2025, 1, 6, 8, 2), None)]) is None


def test_a_calendar_without_hours_is_refused():
    with pytest.raises(CalendarError):
        add_business(BusinessCalendar(tz=JKT, hours={}), THURSDAY_1558, timedelta(minutes=5))


def test_negative_durations_are_refused():
    with pytest.raises(ValueError):
        add_business(calendar(), THURSDAY_1558, timedelta(minutes=-1))


moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(JKT))
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20))
closed_days = st.sets(st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 3, 1)), max_size=60)


@settings(max_examples=300, deadline=None)
@given(start=moments, duration=durations, closed=closed_days)
def test_business_between_inverts_add_business(start, duration, closed):
    """For any moment m and duration d: business_between(m, add_business(m, d)) == d."""
    cal = BusinessCalendar(tz=JKT, hours=DEFAULT_HOURS, closed_reason=dict.fromkeys(closed, "libur").get)

    end = add_business(cal, start, duration)

    assert business_between(cal, start, end) == duration
    assert end >= start


def reference_add(cal: BusinessCalendar, start: datetime, minutes: int) -> datetime:
    """A slow, obviously right reference: step minute by minute through office hours."""
    moment = start.replace(second=0, microsecond=0)
    if moment < start:
        moment += timedelta(minutes=1)
    left = minutes
    while True:
        window = cal.window(moment.date())
        if window and window[0] <= moment < window[1]:
            if left == 0:
                return moment
            left -= 1
            moment += timedelta(minutes=1)
            if left == 0:
                return moment
        elif window and moment < window[0]:
            moment = window[0]
        else:
            moment = datetime.combine(moment.date() + timedelta(days=1), time(0), JKT)


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2025, 12, 31), timezones=st.just(JKT)).map(
        lambda m: m.replace(second=0, microsecond=0)
    ),
    minutes=st.integers(min_value=1, max_value=3000),
    closed=closed_days,
)
def test_add_business_agrees_with_a_minute_by_minute_reference(start, minutes, closed):
    cal = BusinessCalendar(tz=JKT, hours=DEFAULT_HOURS, closed_reason=dict.fromkeys(closed, "libur").get)

    assert add_business(cal, start, timedelta(minutes=minutes)) == reference_add(cal, start, minutes)


def reference_between(cal: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Obviously right: each day's window clipped to [start, end], added up."""
    total, day = timedelta(0), start.astimezone(JKT).date()
    while day <= end.astimezone(JKT).date():
        window = cal.window(day)
        if window:
            total += max(min(window[1], end) - max(window[0], start), timedelta(0))
        day += timedelta(days=1)
    return total


@settings(max_examples=100, deadline=None)
@given(
    spans=st.lists(st.tuples(moments, moments), min_size=1, max_size=12),
    closed=closed_days,
)
def test_one_calendar_asked_many_spans_in_any_order_answers_like_the_day_by_day_sum(spans, closed):
    """business_between remembers the office time before each day it has seen (a queue page asks one calendar
    for dozens of spans): spans asked earlier or later than the ones before must still add up exactly."""
    cal = BusinessCalendar(tz=JKT, hours=DEFAULT_HOURS, closed_reason=dict.fromkeys(closed, "libur").get)

    for a, b in spans:
        start, end = min(a, b), max(a, b)
        assert business_between(cal, start, end) == reference_between(cal, start, end)
