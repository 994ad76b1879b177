"""The database orders and pages the queue on the stored queue keys (``cases.queue_keys``): the order it gives
must be exactly the order of the rule in ``cases.queue`` (``order_queue``, sorted in Python), page by page,
with ended cases in search results, on SQLite and PostgreSQL."""

import random
from datetime import timedelta

import pytest

from jangkau.cases.models import Case, Status
from jangkau.cases.queue import Group, order_queue
from jangkau.cases.queue_keys import rebuild_queue_keys
from jangkau.cases.selectors import _row, queue_entries
from jangkau.core import clock
from jangkau.offices.calendar import calendar_for
from tests.builders import case_in, submit

pytestmark = pytest.mark.django_db

STATUSES = [
    Status.SUBMITTED,
    Status.AWAITING_INFO,
    Status.ACCEPTED,
    Status.WITH_PPID,
    Status.UNREACHABLE,
    Status.SCHEDULED,
    Status.DELIVERED,
    Status.CLOSED,
    Status.REJECTED,
    Status.CANCELLED,
]


@pytest.fixture
def mixed_queue(world, frozen):
    """Cases in every group, urgent and not, many submitted in the same minute so that deadlines tie and
    the submission time and then the pk must decide."""
    rng = random.Random(9)
    for index in range(60):
        status = rng.choice(STATUSES)
        urgent = rng.random() < 0.3
        extra = {"urgent": True, "urgent_reason": "Segera"} if urgent else {}
        extra["full_name"] = f"Warga {index:02d}"
        if status == Status.SUBMITTED:
            submit(world, **extra)
        else:
            case_in(status, world, **extra)
        if rng.random() < 0.5:
            clock.advance(timedelta(minutes=rng.choice([1, 3, 7])))
    return world


def python_order(world, cases) -> list[int]:
    rows = []
    for case in cases.prefetch_related("steps"):
        open_steps = sorted(
            (s for s in case.steps.all() if s.done_at is None), key=lambda s: (s.step_no, s.opened_at, s.id)
        )
        ended = case.status in (Status.CLOSED, Status.REJECTED, Status.CANCELLED)
        rows.append(_row(case, None if ended or not open_steps else open_steps[-1]))
    return [p.row.pk for p in order_queue(rows, clock.now(), calendar=calendar_for(world.office))]


def test_the_stored_keys_give_the_order_of_the_rule(mixed_queue):
    world = mixed_queue
    open_cases = Case.objects.filter(office=world.office).exclude(
        status__in=[Status.CLOSED, Status.REJECTED, Status.CANCELLED]
    )
    groups = set(open_cases.values_list("queue_group", flat=True))

    assert groups == {Group.URGENT, Group.DEADLINE, Group.WAITING}
    assert [e.case.pk for e in queue_entries(world.office)] == python_order(world, open_cases)


def test_a_search_lists_ended_cases_last_newest_first_as_the_rule_does(mixed_queue):
    world = mixed_queue
    found = queue_entries(world.office, query="Warga")

    assert Case.objects.filter(queue_group=Group.ENDED).count() > 2
    assert [e.case.pk for e in found] == python_order(world, Case.objects.filter(office=world.office))


def test_pages_join_into_the_whole_queue_with_running_positions(mixed_queue):
    world = mixed_queue
    entries = queue_entries(world.office)
    whole = list(entries)
    tied = [i for i, e in enumerate(whole) if "sama dengan kasus di atasnya" in e.placed.reason]
    assert tied, "the fixture should give tied deadlines"
    for size in range(2, 10):
        pages = [entries[start : start + size] for start in range(0, entries.count(), size)]

        assert [e.case.pk for page in pages for e in page] == [e.case.pk for e in whole]
        assert [e.placed.position for page in pages for e in page] == list(range(1, len(whole) + 1))
        # A page's first row knows the row above it: a tied deadline is explained the same way on any page.
        assert [e.placed.reason for page in pages for e in page] == [e.placed.reason for e in whole]


def test_rebuilding_puts_a_scrambled_key_right(mixed_queue):
    world = mixed_queue
    Case.objects.filter(office=world.office).update(queue_group=Group.WAITING, queue_due_at=None)

    changed = rebuild_queue_keys(Case.objects.filter(office=world.office))

    assert changed > 0
    assert rebuild_queue_keys(Case.objects.filter(office=world.office)) == 0
    open_cases = Case.objects.filter(office=world.office, queue_group__lt=Group.ENDED)
    assert [e.case.pk for e in queue_entries(world.office)] == python_order(world, open_cases)
