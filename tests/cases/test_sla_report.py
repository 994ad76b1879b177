"""Time spent in each POS step against its standard, for a period built with known step times (the clock is
moved in the test): median, nearest-rank 90th percentile, share within standard and breaches, from the
service and through the API."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jangkau.accounts.tokens import api_token_issue
from jangkau.cases import services as svc
from jangkau.cases.sla_report import median, percentile_nearest_rank, sla_report
from jangkau.core import clock
from tests.builders import submit

JAKARTA = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2025, 1, 6, 8, 0, tzinfo=JAKARTA)


def test_median_and_nearest_rank_percentile_on_worked_examples():
    assert median([10, 2, 4]) == 4
    assert median([1, 2, 3, 10]) == 2.5
    assert percentile_nearest_rank([2, 4, 10], 0.9) == 10  # ceil(2.7) = the 3rd smallest
    assert percentile_nearest_rank(list(range(1, 11)), 0.9) == 9  # the 9th of ten
    assert median([]) is None and percentile_nearest_rank([], 0.9) is None


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=200))
def test_the_percentile_has_at_least_its_share_at_or_below_it(values):
    p90 = percentile_nearest_rank(values, 0.9)
    assert p90 in values
    assert sum(1 for v in values if v <= p90) >= 0.9 * len(values)
    assert sum(1 for v in values if v < p90) < 0.9 * len(values)


def _accept_after(world, minutes: int):
    case = submit(world)
    clock.advance(timedelta(minutes=minutes))
    return svc.case_accept(case=case, actor=world.ult)


@pytest.fixture
def period(world):
    """Three requests accepted after 2, 4 and 10 office minutes (standard 5), and one whose accepting waited
    an hour for the requester's data: 2 minutes before asking, 1 after the answer, so 3 minutes worked."""
    with clock.frozen_at(MONDAY):
        for minutes in (2, 4, 10):
            _accept_after(world, minutes)
        case = submit(world)
        clock.advance(timedelta(minutes=2))
        svc.case_request_info(case=case, actor=world.ult, missing="Foto KTP")
        clock.advance(timedelta(minutes=60))
        svc.case_provide_info(case=case, actor="requester")
        clock.advance(timedelta(minutes=1))
        svc.case_accept(case=case, actor=world.ult)
    # Outside the period: accepted the day after.
    with clock.frozen_at(MONDAY + timedelta(days=1)):
        _accept_after(world, 30)


@pytest.mark.django_db
def test_each_step_has_its_median_percentile_share_and_breaches(world, period):
    steps = {step.no: step for step in sla_report(world.office, MONDAY.date(), MONDAY.date())}

    step2 = steps[2]
    assert (step2.done, step2.within_standard, step2.breaches, step2.standard_minutes) == (4, 3, 1, 5)
    assert (step2.median_minutes, step2.p90_minutes) == (3.5, 10.0)  # 2, 3, 4, 10
    assert (steps[1].done, steps[1].median_minutes) == (4, 0.0)  # submitted at once
    assert [steps[no].done for no in range(3, 9)] == [0] * 6
    assert steps[3].median_minutes is None


@pytest.mark.django_db
def test_the_api_answers_the_same_figures(client, world, period):
    _token, secret = api_token_issue(user=world.head, name="laporan")

    response = client.get(
        "/api/v1/reports/sla",
        {"office": world.office.code, "from": "2025-01-06", "to": "2025-01-06"},
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert response.status_code == 200
    step2 = response.json()["steps"][1]
    assert step2 == {
        "no": 2, "done": 4, "within_standard": 3, "median_minutes": 3.5, "p90_minutes": 10.0,
        "standard_minutes": 5, "breaches": 1,
    }  # fmt: skip
    two_days = client.get(
        "/api/v1/reports/sla",
        {"office": world.office.code, "from": "2025-01-06", "to": "2025-01-07"},
        headers={"Authorization": f"Bearer {secret}"},
    ).json()
    assert two_days["steps"][1]["done"] == 5 and two_days["steps"][1]["breaches"] == 2


@pytest.mark.django_db
def test_the_api_refuses_another_office_and_strangers(client, world, other_world, period):
    _token, secret = api_token_issue(user=world.ult, name="laporan")
    query = {"office": other_world.office.code, "from": "2025-01-06", "to": "2025-01-06"}

    assert client.get("/api/v1/reports/sla", query, headers={"Authorization": f"Bearer {secret}"}).status_code == 403
    assert client.get("/api/v1/reports/sla", query).status_code == 401
