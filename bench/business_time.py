"""Business-time arithmetic of ``make bench``: due moments per second from ``core.businesstime.add_business``,
beside a plain minute-by-minute reference that walks the clock one minute at a time and counts the minutes in
office hours. Both get the same starts (spread over a year, in and out of hours, on holidays) and the POS's
standard times (5 minutes to three working days), and must agree on every due moment they compute.

    python bench/business_time.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

import holidays  # noqa: E402

from jangkau.core.businesstime import BusinessCalendar, add_business  # noqa: E402
from jangkau.offices.models import DEFAULT_HOURS  # noqa: E402

TZ = ZoneInfo("Asia/Jakarta")
# The POS's standard times in minutes, and three working days of 8.5 hours.
DURATIONS = [5, 10, 15, 30, 60, 120, 240, 3 * 510]
MINUTE = timedelta(minutes=1)


def calendar() -> BusinessCalendar:
    national = holidays.country_holidays("ID", categories=("public", "government"), years=range(2025, 2029))
    return BusinessCalendar(tz=TZ, hours=DEFAULT_HOURS, closed_reason=national.get)


def reference_add(cal: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    """Walks minute by minute from ``start`` (whole minutes, as the POS's standard times are) and returns the
    moment ``duration`` of office time has passed."""
    moment = start.astimezone(cal.tz)
    needed = int(duration / MINUTE)
    windows: dict[date, tuple[datetime, datetime] | None] = {}
    while True:
        day = moment.date()
        if day not in windows:
            windows[day] = cal.window(day)
        window = windows[day]
        if window is not None and window[0] <= moment < window[1]:
            if needed == 0:
                return moment
            needed -= 1
            if needed == 0:
                return moment + MINUTE
        elif needed == 0 and window is not None and moment < window[0]:
            return window[0]
        moment += MINUTE


def workload(count: int, seed: int = 7) -> list[tuple[datetime, timedelta]]:
    rng = random.Random(seed)
    first = datetime(2026, 1, 1, tzinfo=TZ)
    return [
        (first + timedelta(minutes=rng.randrange(365 * 24 * 60)), timedelta(minutes=rng.choice(DURATIONS)))
        for _ in range(count)
    ]


def rate(function, cal, jobs, seconds: float) -> tuple[float, list[datetime]]:
    """Returns due moments per second over ``seconds`` (cycling through ``jobs``) and the first pass's results."""
    results = [function(cal, start, duration) for start, duration in jobs]
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for start, duration in jobs:
            function(cal, start, duration)
        done += len(jobs)
    return done / (time.perf_counter() - started), results


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args(argv)
    cal = calendar()
    jobs = workload(200)
    ours, ours_results = rate(add_business, cal, jobs, args.seconds)
    reference, reference_results = rate(reference_add, cal, jobs, args.seconds)
    mismatches = sum(a != b for a, b in zip(ours_results, reference_results, strict=True))
    if mismatches:
        raise SystemExit(f"add_business and the reference disagree on {mismatches} of {len(jobs)} due moments")
    return {
        "per_second": round(ours),
        "reference_per_second": round(reference, 1),
        "ratio": round(ours / reference, 1),
        "checked_equal": len(reference_results),
    }


if __name__ == "__main__":
    print(json.dumps(main()))
