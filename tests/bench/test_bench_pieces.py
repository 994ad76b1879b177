"""The benchmark's own pieces must be right before its figures mean anything: the minute-by-minute reference
agrees with ``add_business`` (so the ratio compares two correct answers), and the percentiles are
nearest-rank."""

from datetime import datetime, timedelta

import pytest

from bench.business_time import TZ, calendar, reference_add, workload
from bench.stats import percentile, summary
from jangkau.core.businesstime import add_business


def test_the_reference_and_add_business_agree_on_every_due_moment():
    cal = calendar()
    jobs = workload(300, seed=3)

    assert [reference_add(cal, s, d) for s, d in jobs] == [add_business(cal, s, d) for s, d in jobs]


def test_the_reference_skips_nights_weekends_and_holidays():
    cal = calendar()
    # Friday 16:25, office closes 16:30: five minutes today, ten on Monday (8 Dec 2026 is no holiday).
    start = datetime(2026, 12, 4, 16, 25, tzinfo=TZ)

    assert reference_add(cal, start, timedelta(minutes=15)) == datetime(2026, 12, 7, 7, 40, tzinfo=TZ)
    # 24 Dec 2026 (cuti bersama) and 25 Dec (Christmas) are closed: five minutes on Wednesday the 23rd, the
    # other five on Monday the 28th.
    assert reference_add(cal, datetime(2026, 12, 23, 15, 55, tzinfo=TZ), timedelta(minutes=10)) == datetime(
        2026, 12, 28, 7, 35, tzinfo=TZ
    )


def test_percentiles_are_nearest_rank():
    values = [0.001 * n for n in range(1, 101)]

    assert percentile(values, 0.95) == pytest.approx(0.095)
    assert percentile([0.3, 0.1, 0.2], 0.5) == 0.2
    assert summary([]) == {"p50_ms": None, "p95_ms": None}
    with pytest.raises(ValueError):
        percentile([], 0.5)
