"""Concurrency on PostgreSQL: real threads, each with its own connection, released together by a barrier.

1. One intake sent many times at once with the same ``Idempotency-Key`` creates one case; every sender of
   that data gets that case back (service and HTTP API); senders of other data under the key get a 409.
2. Many staff acting on one step at once: exactly one wins, the others get a 409 domain error, and the audit
   trail holds one event for the action. Officers acting on a case while its failed messages are retried
   (writers that audit the case without locking it) neither deadlock nor fail.
3. Registration numbers stay unique and gap-free under parallel intake, in one office and in two at once,
   and while officers act on other cases of the same office (no deadlock, no database error leaking).

Each scenario repeats several runs. The default sizes keep the module near a minute on a busy two-core
machine (an intake costs ~0.15 s of CPU here, and every audited action in the system serialises on the audit
chain head); the environment scales them up:

- ``JANGKAU_CONCURRENCY_RUNS`` (default 5): runs of scenarios 1 and 2;
- ``JANGKAU_CONCURRENCY_NUMBERING_RUNS`` (default 3) and ``JANGKAU_CONCURRENCY_INTAKES`` (default 2, intakes
  per thread): scenario 3. ``RUNS=5 NUMBERING_RUNS=5 INTAKES=25`` gives 8 x 25 = 200 cases a run.
- ``JANGKAU_CONCURRENCY_REPORT=<path>``: append each scenario's figures there as Markdown table rows.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from jangkau.accounts.models import Role
from jangkau.audit.models import AuditEvent
from jangkau.audit.services import verify_chain
from jangkau.cases import services as svc
from jangkau.cases import workflow
from jangkau.cases.models import Case, Channel, Status, StepRecord
from jangkau.core import clock
from jangkau.core.errors import Conflict, DomainError
from jangkau.core.models import Counter
from jangkau.notifications.models import Channel as MessageChannel
from jangkau.notifications.models import Message
from jangkau.notifications.models import Status as MessageStatus
from jangkau.notifications.services import message_retry
from jangkau.scheduling.models import Appointment

from ..builders import intake_data, make_staff, perform, reload, submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers need a server database with row locks: PostgreSQL pass "
        "(SQLite serialises every write transaction, so these races cannot happen there)",
    ),
]

JKT = ZoneInfo("Asia/Jakarta")
# The conftest's ``frozen`` moment: a Monday morning inside office hours. Every thread freezes its own clock
# (the clock is thread-local) at it, so all cases fall in one numbering year.
MOMENT = datetime(2025, 1, 6, 8, 0, tzinfo=JKT)
RUNS = int(os.environ.get("JANGKAU_CONCURRENCY_RUNS", "5"))
NUMBERING_RUNS = int(os.environ.get("JANGKAU_CONCURRENCY_NUMBERING_RUNS", "3"))
INTAKES = int(os.environ.get("JANGKAU_CONCURRENCY_INTAKES", "2"))
SENDERS = 16
CONTENDERS = 8
WRITERS = 8


# --- the harness -----------------------------------------------------------------------------------------


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None
    trace: str = ""


def together(calls: list[Callable[[], object]], timeout: float = 300) -> list[Outcome]:
    """Runs each call in its own thread, all released at once by a barrier, and returns their outcomes.

    Each thread opens its database connection before the barrier (so the calls race, not the connecting)
    and closes it at the end.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            translation.activate("id")
            connection.ensure_connection()
            with clock.frozen_at(MOMENT):
                barrier.wait(timeout=60)
                outcomes[index].value = call()
        except BaseException as exc:  # noqa: BLE001 - every failure is reported by the test
            outcomes[index].error, outcomes[index].trace = exc, traceback.format_exc()
        finally:
            translation.deactivate()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (a lock never released?)"
    return outcomes


def is_conflict(outcome: Outcome) -> bool:
    """A 409 domain error: TransitionNotAllowed, Conflict. What an API client is told as "409 Conflict"."""
    return isinstance(outcome.error, DomainError) and outcome.error.status == 409


def assert_no_failures(outcomes: list[Outcome], *, conflicts_allowed: bool = True) -> None:
    """Fails with the tracebacks of the errors a caller should never see (database errors, deadlocks...)."""
    traces = [o.trace for o in outcomes if o.error is not None and not (conflicts_allowed and is_conflict(o))]
    if traces:
        pytest.fail(f"{len(traces)} of {len(outcomes)} threads failed:\n" + "\n".join(traces), pytrace=False)


@dataclass
class Figures:
    scenario: str
    threads: int
    runs: int = 0
    cases: int = 0
    successes: int = 0
    conflicts: int = 0
    errors: int = 0
    started: float = 0.0

    def __post_init__(self):
        self.started = time.monotonic()

    def report(self) -> None:
        row = (
            f"| {self.scenario} | {self.threads} | {self.runs} | {self.cases} | {self.successes} | "
            f"{self.conflicts} | {self.errors} | {time.monotonic() - self.started:.1f} |"
        )
        print(row)  # noqa: T201 - seen with -s; the report file keeps it otherwise
        path = os.environ.get("JANGKAU_CONCURRENCY_REPORT")
        if path:
            with open(path, "a", encoding="utf-8") as out:
                out.write(row + "\n")


def assert_gap_free(office, expected: int) -> None:
    """Asserts the office's registration numbers of the year are exactly 1..``expected``, each once, and its
    counter handed out no number that no case kept."""
    numbers = list(Case.objects.filter(office=office).values_list("registration_number", flat=True))
    prefix = f"{office.registration_prefix}-{MOMENT.year}-"
    assert all(n.startswith(prefix) for n in numbers), numbers[:5]
    seq = sorted(int(n.removeprefix(prefix)) for n in numbers)
    duplicates = [n for n, count in Tally(seq).items() if count > 1]
    assert not duplicates, f"duplicate registration numbers: {duplicates}"
    assert seq == list(range(1, expected + 1)), f"gaps or extras: {sorted(set(range(1, expected + 1)) ^ set(seq))}"
    assert Counter.objects.get(key=f"case:{office.pk}:{MOMENT.year}").value == expected


def assert_chain_intact() -> None:
    """The audit chain verifies and its sequence has no gap: no two writers chained onto the same event."""
    assert list(verify_chain()) == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def staff(world, role: str, count: int, tag: str) -> list:
    """Returns ``count`` active staff of ``role`` in the world's office, making the ones the world lacks."""
    existing = {Role.ULT_OFFICER: [world.ult, world.ult2], Role.HEAD: [world.head]}.get(role, [])
    extra = [make_staff(world.office, role, f"{tag}-{role}-{n}") for n in range(count - len(existing))]
    return [*existing, *extra][:count]


# --- 1. one intake, many senders, one idempotency key ----------------------------------------------------


def _intake_post(body: dict, key: str) -> tuple[int, dict]:
    response = Client().post(
        "/api/v1/requests", body, content_type="application/json", headers={"Idempotency-Key": key}
    )
    return response.status_code, response.json()


def test_one_intake_sent_at_once_with_one_idempotency_key_creates_one_case(world, frozen, settings):
    office = world.office

    # Through the service: every sender gets the same case; one of them created it.
    figures = Figures("1a. same key, same data (service)", SENDERS)
    for run in range(RUNS):
        key, data = f"same-{run}", intake_data(world)
        outcomes = together(
            [
                lambda key=key, data=data: svc.case_submit_once(
                    office=office, data=data, channel=Channel.API, idempotency_key=key
                )
                for _ in range(SENDERS)
            ]
        )
        assert_no_failures(outcomes, conflicts_allowed=False)
        case = Case.objects.get(office=office, idempotency_key=key)
        assert {(o.value[0].pk, o.value[0].registration_number, o.value[0].tracking_code) for o in outcomes} == {
            (case.pk, case.registration_number, case.tracking_code)
        }
        assert sorted(created for _case, created in (o.value for o in outcomes)) == [False] * (SENDERS - 1) + [True]
        assert AuditEvent.objects.filter(case=case, action="case.submit").count() == 1
        assert list(case.steps.order_by("step_no").values_list("step_no", flat=True)) == [1, 2]
        figures.runs, figures.cases = figures.runs + 1, figures.cases + 1
        figures.successes += 1
        figures.conflicts += SENDERS - 1  # here: replays answered with the first case, not errors
    figures.report()
    total = RUNS

    # Two different bodies under one key: one case; the other body's senders are refused, never handed it.
    figures = Figures("1b. same key, two different bodies (service)", SENDERS)
    for run in range(RUNS):
        key = f"two-bodies-{run}"
        bodies = [intake_data(world), intake_data(world, full_name="Budi Santoso")]
        outcomes = together(
            [
                lambda key=key, body=bodies[n % 2]: svc.case_submit_once(
                    office=office, data=body, channel=Channel.API, idempotency_key=key
                )
                for n in range(SENDERS)
            ]
        )
        assert_no_failures(outcomes)
        case = Case.objects.get(office=office, idempotency_key=key)
        answered = [o for o in outcomes if o.error is None]
        refused = [o for o in outcomes if o.error is not None]
        assert len(answered) == len(refused) == SENDERS // 2
        assert {o.value[0].pk for o in answered} == {case.pk}
        assert {(type(o.error), o.error.code) for o in refused} == {(Conflict, "idempotency_key_reused")}
        figures.runs, figures.cases = figures.runs + 1, figures.cases + 1
        figures.successes += sum(1 for o in answered if o.value[1])
        figures.conflicts += len(refused)
    figures.report()
    total += RUNS

    # Through HTTP: one 201, every other sender a 200 with the same receipt.
    from tests.api.test_public import intake_body

    # High enough never to answer 429, while still counting (the rate-limit window has its own race).
    settings.INTAKE_RATE_LIMIT = 100_000
    figures = Figures("1c. same key, same data (HTTP API, Idempotency-Key)", SENDERS)
    body = intake_body()
    for run in range(RUNS):
        key = f"http-{run}"
        outcomes = together([lambda key=key: _intake_post(body, key) for _ in range(SENDERS)])
        assert_no_failures(outcomes, conflicts_allowed=False)
        statuses = Tally(status for status, _json in (o.value for o in outcomes))
        assert statuses == {201: 1, 200: SENDERS - 1}, [o.value for o in outcomes if o.value[0] not in (200, 201)]
        case = Case.objects.get(office=office, idempotency_key=key)
        receipts = {
            (json["registration_number"], json["tracking_code"]) for _status, json in (o.value for o in outcomes)
        }
        assert receipts == {(case.registration_number, case.tracking_code)}
        figures.runs, figures.cases = figures.runs + 1, figures.cases + 1
        figures.successes += statuses[201]
        figures.conflicts += statuses[200]
    figures.report()
    total += RUNS

    assert_gap_free(office, total)
    assert_chain_intact()


# --- 2. many staff, one step -----------------------------------------------------------------------------


class StepRace:
    """Races ``calls`` on one case and checks exactly one won and the others got a 409; keeps the figures."""

    def __init__(self, name: str, audited: set[str]):
        self.name, self.audited = name, audited
        self.figures = Figures(f"2. one step: {name}", CONTENDERS)

    def __call__(self, case: Case, calls: list[Callable[[], Case]]) -> Case:
        steps_before = case.steps.count()
        outcomes = together(calls)
        assert_no_failures(outcomes)
        winners = [o for o in outcomes if o.error is None]
        assert len(winners) == 1, f"{self.name}: {len(winners)} successes"
        events = AuditEvent.objects.filter(case=case, action__in=self.audited)
        assert events.count() == 1, f"{self.name}: {events.count()} audit events"
        case = reload(case)
        assert case.status == winners[0].value.status
        # The step moved once: at most one record opened, never two open records at once.
        assert case.steps.count() - steps_before <= 1
        open_steps = list(case.steps.filter(done_at__isnull=True).values_list("step_no", flat=True))
        assert len(open_steps) <= 1, open_steps
        self.figures.runs, self.figures.cases = self.figures.runs + 1, self.figures.cases + 1
        self.figures.successes += 1
        self.figures.conflicts += len(outcomes) - 1
        return case


def test_many_staff_acting_on_one_step_at_once_see_exactly_one_success(world, frozen):
    ults = staff(world, Role.ULT_OFFICER, CONTENDERS, "race")
    heads = staff(world, Role.HEAD, CONTENDERS - 2, "race")
    later = MOMENT + timedelta(days=2, hours=2)
    races = {
        name: StepRace(name, audited)
        for name, audited in [
            ("accept (8 ULT officers take the new request)", {"case.accept"}),
            ("schedule (the holder from 8 tabs)", {"case.schedule"}),
            ("close (holder, PPID, 6 heads)", {"case.close"}),
            ("accept or request_info (4 + 4 ULT officers)", {"case.accept", "case.request_info"}),
            ("cancel (the requester + 7 ULT officers)", {"case.cancel"}),
        ]
    }
    accept, schedule, close, decide, cancel = races.values()

    for _run in range(RUNS):
        # One case walked through the steps, racing each contested one.
        case = submit(world)
        case = accept(case, [lambda o=o, c=case: svc.case_accept(case=c, actor=o) for o in ults])
        holder = case.assigned_to
        assert AuditEvent.objects.get(case=case, action="case.accept").actor_id == holder.pk
        for action in ("forward_to_ppid", "record_result"):
            case = perform(action, case, world, actor=holder if action == "forward_to_ppid" else None)
        case = schedule(
            case,
            [
                lambda c=case, h=holder: svc.case_schedule(
                    case=c, actor=h, starts_at=later, mode="visit", place="Rumah"
                )
                for _ in range(CONTENDERS)
            ],
        )
        assert Appointment.objects.filter(case=case).count() == 1
        for action in ("deliver", "record_feedback", "recap_feedback"):
            case = perform(action, case, world, actor=holder if action != "record_feedback" else None)
        closers = [holder, world.ppid, *heads]
        case = close(
            case,
            [
                lambda a=a, c=case: svc.case_close(
                    case=c, actor=a, need_met="met", mode_right=True, accommodations_provided="provided"
                )
                for a in closers
            ],
        )
        assert case.status == Status.CLOSED

        # Step 2's two outcomes at once, then the requester and the officers withdrawing at once.
        other = submit(world)
        other = decide(
            other,
            [
                (
                    lambda o=o, c=other, ask=n % 2: (
                        svc.case_request_info(case=c, actor=o, missing="Foto KTP")
                        if ask
                        else svc.case_accept(case=c, actor=o)
                    )
                )
                for n, o in enumerate(ults)
            ],
        )
        assert other.status in (Status.ACCEPTED, Status.AWAITING_INFO)
        withdrawers = [workflow.REQUESTER, *ults[1:]]
        other = cancel(
            other,
            [lambda a=a, c=other: svc.case_cancel(case=c, actor=a, reason="Sudah tidak perlu") for a in withdrawers],
        )
        assert other.status == Status.CANCELLED

    for race in races.values():
        race.figures.report()
    assert_chain_intact()


def test_officers_acting_on_a_case_while_its_failed_messages_are_retried_neither_deadlock_nor_fail(world, frozen):
    """Writers that audit a case without locking it (retrying its failed messages; exporting its dossier is
    alike) take the audit chain head, then insert an event pointing at the case, which needs a key-share
    lock on the case row. An officer's action holds the case row and then waits for the chain head. Before
    the fix (FOR NO KEY UPDATE on the case in ``_act``) the two deadlocked."""
    half = CONTENDERS // 2
    officers = staff(world, Role.ULT_OFFICER, half, "notes")
    per_thread = 3
    figures = Figures(
        f"2b. notes on a case + retries of its messages ({half} + {half} threads x {per_thread})", CONTENDERS
    )
    for run in range(RUNS):
        case = submit(world)
        failed = Message.objects.bulk_create(
            Message(
                office=world.office,
                case=case,
                event="received",
                idempotency_key=f"retry-{run}-{n}",
                channel=MessageChannel.SMS,
                address="+6281234567890",
                address_masked="+62812****7890",
                subject="Permohonan diterima",
                body=f"Pesan {n}",
                created_at=MOMENT,
                status=MessageStatus.FAILED,
            )
            for n in range(half * per_thread)
        )
        batches = [failed[n::half] for n in range(half)]
        calls = [
            lambda o=o, c=case: [
                svc.case_add_note(case=c, actor=o, body="Sudah ditelepon?").pk for _ in range(per_thread)
            ]
            for o in officers
        ]
        calls += [
            lambda o=o, batch=batch: [message_retry(message=m, actor=o).status for m in batch]
            for o, batch in zip(officers, batches, strict=True)
        ]
        outcomes = together(calls)
        assert_no_failures(outcomes, conflicts_allowed=False)
        assert case.notes.count() == half * per_thread
        assert set(Message.objects.filter(pk__in=[m.pk for m in failed]).values_list("status", flat=True)) == {
            MessageStatus.PENDING
        }
        events = Tally(AuditEvent.objects.filter(case=case).values_list("action", flat=True))
        assert (events["case.add_note"], events["message.retry"]) == (half * per_thread, half * per_thread)
        figures.runs, figures.cases = figures.runs + 1, figures.cases + 1
        figures.successes += 2 * half * per_thread
    figures.report()
    assert_chain_intact()


# --- 3. registration numbers under parallel intake -------------------------------------------------------


def _intake_burst(world, tag: str, count: int) -> Callable[[], list[str]]:
    """Returns a call that submits ``count`` intakes with keys of their own and returns their numbers."""
    data = intake_data(world)

    def burst() -> list[str]:
        return [
            svc.case_submit(office=world.office, data=data, channel=Channel.API, idempotency_key=f"{tag}-{n}")
            .registration_number
            for n in range(count)
        ]  # fmt: skip

    return burst


def test_parallel_intake_keeps_registration_numbers_unique_and_gap_free(world, other_world, frozen):
    kept = {world.office.pk: 0, other_world.office.pk: 0}

    # One office, WRITERS threads.
    figures = Figures(f"3a. numbering, one office ({WRITERS} threads x {INTAKES})", WRITERS)
    for run in range(NUMBERING_RUNS):
        outcomes = together([_intake_burst(world, f"one{run}w{n}", INTAKES) for n in range(WRITERS)])
        assert_no_failures(outcomes, conflicts_allowed=False)
        numbers = [number for o in outcomes for number in o.value]
        assert len(set(numbers)) == len(numbers) == WRITERS * INTAKES
        kept[world.office.pk] += len(numbers)
        assert_gap_free(world.office, kept[world.office.pk])
        figures.runs, figures.cases, figures.successes = (
            figures.runs + 1,
            figures.cases + len(numbers),
            figures.successes + len(numbers),
        )
    figures.report()

    # Two offices at once, half the threads each: each office's numbers run from its own counter.
    half = WRITERS // 2
    figures = Figures(f"3b. numbering, two offices ({half} + {half} threads x {INTAKES})", WRITERS)
    for run in range(NUMBERING_RUNS):
        outcomes = together(
            [_intake_burst(w, f"two{run}w{n}", INTAKES) for w in (world, other_world) for n in range(half)]
        )
        assert_no_failures(outcomes, conflicts_allowed=False)
        for w in (world, other_world):
            kept[w.office.pk] += half * INTAKES
            assert_gap_free(w.office, kept[w.office.pk])
        figures.runs, figures.cases, figures.successes = (
            figures.runs + 1,
            figures.cases + WRITERS * INTAKES,
            figures.successes + WRITERS * INTAKES,
        )
    figures.report()

    # Intake while officers accept other cases of the same office. An intake locks the office row; an
    # officer's action holds the audit chain head while it inserts rows pointing at the office. Before the
    # fix (FOR NO KEY UPDATE on the office in case_submit) the two deadlocked here.
    officers = staff(world, Role.ULT_OFFICER, half, "mixed")
    figures = Figures(f"3c. intake + accept, one office ({half} + {half} threads x {INTAKES})", WRITERS)
    for run in range(NUMBERING_RUNS):
        queues = [[submit(world) for _ in range(INTAKES)] for _ in officers]
        kept[world.office.pk] += half * INTAKES
        calls = [_intake_burst(world, f"mixed{run}w{n}", INTAKES) for n in range(half)]
        calls += [
            lambda o=o, q=q: [svc.case_accept(case=c, actor=o).status for c in q]
            for o, q in zip(officers, queues, strict=True)
        ]
        outcomes = together(calls)
        assert_no_failures(outcomes, conflicts_allowed=False)
        kept[world.office.pk] += half * INTAKES
        assert_gap_free(world.office, kept[world.office.pk])
        accepted = [c.pk for q in queues for c in q]
        assert Case.objects.filter(pk__in=accepted, status=Status.ACCEPTED).count() == len(accepted)
        assert StepRecord.objects.filter(case__in=accepted, step_no=3).count() == len(accepted)
        figures.runs, figures.cases = figures.runs + 1, figures.cases + 2 * half * INTAKES
        figures.successes += 2 * half * INTAKES
    figures.report()

    assert_chain_intact()
