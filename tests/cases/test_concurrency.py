"""Two officers can never take the same case: row locks on PostgreSQL (the production database)."""

import threading

import pytest
from django.db import connection, connections

from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.models import Case, Status
from jangkau.core.errors import DomainError
from tests.builders import make_world, submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent connections with row locks: runs in CI's PostgreSQL pass",
    ),
]


def race(*calls):
    """Runs each call in its own thread and connection, released together; returns results or errors."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_officers_accepting_at_once_one_wins():
    world = make_world()
    case = submit(world)

    outcomes = race(
        lambda: svc.case_accept(case=case, actor=world.ult),
        lambda: svc.case_accept(case=case, actor=world.ult2),
    )

    winners = [o for o in outcomes if isinstance(o, Case)]
    losers = [o for o in outcomes if isinstance(o, DomainError)]
    assert (len(winners), len(losers)) == (1, 1), outcomes
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert case.assigned_to == winners[0].assigned_to
    assert case.steps.filter(step_no=3).count() == 1
    # The loser is told plainly why, and the trail holds the winner's action only.
    assert "Diterima" in losers[0].message or "dipegang" in losers[0].message, losers[0].message
    assert AuditEvent.objects.filter(case=case, action="case.accept").count() == 1


def test_concurrent_submissions_get_distinct_gap_free_numbers():
    world = make_world()

    outcomes = race(*[lambda: submit(world) for _ in range(6)])

    numbers = sorted(o.registration_number for o in outcomes)
    year = numbers[0].split("-")[1]
    assert numbers == [f"JB-{year}-{n:06d}" for n in range(1, 7)]
