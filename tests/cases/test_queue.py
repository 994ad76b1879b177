"""The queue order of SPEC.md "Queue", the reason shown for each position and the SLA state: worked examples
and a property against a plain reference implementation of the rule in ``jangkau.cases.queue``."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from jangkau.cases.models import Status
from jangkau.cases.queue import Group, QueueRow, duration_words, order_queue, sla_state
from jangkau.core.businesstime import BusinessCalendar
from jangkau.offices.models import DEFAULT_HOURS

JKT = ZoneInfo("Asia/Jakarta")
CAL = BusinessCalendar(tz=JKT, hours=DEFAULT_HOURS)
# Monday 6 January 2025, 09:00, inside office hours.
NOW = datetime(2025, 1, 6, 9, 0, tzinfo=JKT)


def at(day, hh, mm=0) -> datetime:
    return datetime(2025, 1, day, hh, mm, tzinfo=JKT)


def row(pk, *, due=None, submitted=None, urgent=False, status=Status.SUBMITTED, step_no=2, **extra) -> QueueRow:
    return QueueRow(
        pk=pk,
        urgent=urgent,
        submitted_at=submitted or at(6, 8, 0),
        status=status,
        step_no=step_no,
        due_at=due,
        opened_at=extra.pop("opened", None),
        **extra,
    )


def order(*rows):
    return order_queue(rows, NOW, calendar=CAL)


def pks(placed) -> list[int]:
    return [p.row.pk for p in placed]


# --- order and reasons -------------------------------------------------------------------------------------


def test_the_nearest_deadline_comes_first_whatever_the_submission_order():
    """Given three cases submitted in one order with deadlines in another, the queue follows the deadlines."""
    placed = order(
        row(1, due=at(6, 10), submitted=at(6, 7)),
        row(2, due=at(6, 9, 30), submitted=at(6, 8)),
        row(3, due=at(7, 8), submitted=at(6, 6)),
    )

    assert pks(placed) == [2, 1, 3]
    assert [p.position for p in placed] == [1, 2, 3]
    assert placed[0].reason == "Batas waktu terdekat: 6 Jan 2025 09:30."
    assert placed[2].reason == "Batas waktu terdekat: 7 Jan 2025 08:00."


def test_an_equal_deadline_goes_by_submission_time_and_the_reason_says_so():
    """Given two cases due at the same moment, the one submitted first leads; the second's reason names the tie."""
    placed = order(
        row(1, due=at(6, 10), submitted=at(6, 8, 30)),
        row(2, due=at(6, 10), submitted=at(6, 8, 10)),
    )

    assert pks(placed) == [2, 1]
    assert "sama dengan kasus di atasnya" not in placed[0].reason
    assert placed[1].reason == (
        "Batas waktu terdekat: 6 Jan 2025 10:00. Batas waktunya sama dengan kasus di atasnya, jadi yang "
        "diajukan lebih dulu didahulukan (diajukan 6 Jan 2025 08:30)."
    )


def test_the_urgent_flag_moves_a_case_above_every_non_urgent_one():
    """Given an urgent case due tomorrow and an ordinary one already late, the urgent one leads."""
    placed = order(
        row(1, due=at(6, 8, 30)),
        row(2, due=at(7, 12), urgent=True, urgent_reason="Pendaftaran sekolah tanggal 8"),
    )

    assert pks(placed) == [2, 1]
    assert placed[0].group == Group.URGENT
    assert placed[0].reason == (
        "Mendesak: didahulukan dari kasus biasa; di antara kasus mendesak, batas waktu terdekat lebih dulu "
        "(batas waktu 7 Jan 2025 12:00). Alasan mendesak: Pendaftaran sekolah tanggal 8."
    )
    assert placed[1].reason.startswith("Batas waktu terdekat: 6 Jan 2025 08:30.")


def test_urgent_cases_are_ordered_among_themselves_by_deadline_then_submission():
    placed = order(
        row(1, due=at(7, 12), urgent=True, submitted=at(6, 7)),
        row(2, due=at(6, 12), urgent=True, submitted=at(6, 8)),
        row(3, due=at(6, 12), urgent=True, submitted=at(6, 7, 30)),
        row(4, due=at(6, 9, 30)),
    )

    assert pks(placed) == [3, 2, 1, 4]
    assert "sama dengan kasus di atasnya" in placed[1].reason
    assert all(p.reason.startswith("Mendesak:") for p in placed[:3])


def test_cases_waiting_for_the_requester_come_after_running_deadlines_by_submission_time():
    """A paused step (missing data asked for) has no running deadline: it goes after every case that has one,
    even one submitted later, and its reason says why and that submission time orders it."""
    placed = order(
        row(1, status=Status.AWAITING_INFO, submitted=at(3, 8)),
        row(2, due=at(8, 12), submitted=at(6, 8)),
        row(3, status=Status.UNREACHABLE, step_no=4, submitted=at(2, 8)),
    )

    assert pks(placed) == [2, 3, 1]
    assert placed[1].reason == (
        "Tanpa batas waktu berjalan (pemohon belum dapat dihubungi) — diurutkan menurut waktu pengajuan: "
        "2 Jan 2025 08:00."
    )
    assert placed[2].reason == (
        "Tanpa batas waktu berjalan (menunggu pemohon melengkapi data) — diurutkan menurut waktu pengajuan: "
        "3 Jan 2025 08:00."
    )
    assert placed[2].sla.kind == "waiting"
    assert placed[2].sla.label == "Jam berhenti: menunggu pemohon melengkapi data"


def test_a_waiting_case_keeps_waiting_even_when_its_time_ran_out_before_the_pause():
    """Step 2 ran out, then the officer asked for data: the due moment stays on record, the case still waits."""
    placed = order(row(1, status=Status.AWAITING_INFO, due=at(6, 8, 5)), row(2, due=at(9, 12)))

    assert pks(placed) == [2, 1]
    assert placed[1].group == Group.WAITING


def test_an_urgent_waiting_case_leads_the_waiting_ones_but_not_the_running_ones():
    placed = order(
        row(1, status=Status.AWAITING_INFO, submitted=at(2, 8)),
        row(2, status=Status.AWAITING_INFO, submitted=at(3, 8), urgent=True),
        row(3, due=at(9, 12)),
    )

    assert pks(placed) == [3, 2, 1]
    assert placed[1].reason.startswith("Mendesak, tetapi tanpa batas waktu berjalan (menunggu pemohon melengkapi data)")


def test_a_step_the_requester_takes_has_no_running_deadline_for_the_officer():
    """The survey (step 6) is the requester's: the case waits, and the SLA state says until when."""
    survey = row(1, status=Status.DELIVERED, step_no=6, officer_step=False, due=at(9, 16))
    placed = order(survey, row(2, due=at(10, 12)))

    assert pks(placed) == [2, 1]
    assert "(menunggu pemohon)" in placed[1].reason
    assert placed[1].sla.label == "Menunggu pemohon sampai 9 Jan 2025 16:00"


def test_ended_cases_found_by_search_come_last_newest_first():
    placed = order(
        row(1, status=Status.CLOSED, submitted=at(2, 8), step_no=None),
        row(2, status=Status.REJECTED, submitted=at(3, 8), step_no=None),
        row(3, status=Status.AWAITING_INFO),
    )

    assert pks(placed) == [3, 2, 1]
    assert placed[1].reason == "Tidak dalam antrean: kasus sudah berakhir (Ditolak)."
    assert placed[1].sla.kind == "ended"


def test_a_scheduled_step_says_when_it_can_be_worked():
    """Step 5 opens at the appointment; before it the state is "not started" and the reason names the time."""
    placed = order(row(1, status=Status.SCHEDULED, step_no=5, opened=at(7, 10), due=at(7, 10, 10)))

    assert placed[0].reason == (
        "Batas waktu terdekat: 7 Jan 2025 10:10. Langkah ini dapat dikerjakan mulai 7 Jan 2025 10:00."
    )
    assert placed[0].sla.kind == "not_started"
    assert placed[0].sla.label == "Belum dimulai: dapat dikerjakan mulai 7 Jan 2025 10:00"


# --- SLA state in office working time ------------------------------------------------------------------------


def test_time_left_is_counted_in_office_time():
    """From Monday 09:00 to Tuesday 08:00 is 7 h (Mon 09:00–16:00) + 30 min (Tue 07:30–08:00) of office time."""
    state = sla_state(row(1, due=at(7, 8)), NOW, calendar=CAL)

    assert state.kind == "on_time"
    assert state.amount == timedelta(hours=7, minutes=30)
    assert state.label == "Sisa 7 jam 30 menit waktu kerja (batas 7 Jan 2025 08:00)"


def test_lateness_is_counted_in_office_time_not_over_the_weekend():
    """Due Friday 3 January 16:20; on Monday at 09:00 it is 10 min (Fri) + 90 min (Mon 07:30–09:00) late."""
    state = sla_state(row(1, due=at(3, 16, 20)), NOW, calendar=CAL)

    assert state.kind == "late"
    assert state.amount == timedelta(minutes=100)
    assert state.label == "Terlambat 1 jam 40 menit waktu kerja (batas 3 Jan 2025 16:20)"


def test_a_step_past_due_outside_office_hours_is_late_by_less_than_a_minute():
    """Due at closing time; read an hour later the office time over is zero, but the step is late."""
    state = sla_state(row(1, due=at(6, 16)), at(6, 17), calendar=CAL)

    assert (state.kind, state.amount) == ("late", timedelta(0))
    assert state.label.startswith("Terlambat kurang dari 1 menit waktu kerja")


def test_durations_in_words():
    assert duration_words(timedelta(seconds=59)) == "kurang dari 1 menit"
    assert duration_words(timedelta(minutes=45)) == "45 menit"
    assert duration_words(timedelta(hours=2)) == "2 jam"
    assert duration_words(timedelta(hours=2, minutes=5)) == "2 jam 5 menit"


# --- property: the order equals a plain reference implementation of the documented rule ------------------------

WAITING = {Status.AWAITING_INFO, Status.UNREACHABLE}
ENDED = {Status.CLOSED, Status.REJECTED, Status.CANCELLED}
STATUSES = [Status.SUBMITTED, Status.ACCEPTED, Status.SCHEDULED, Status.DELIVERED, *WAITING, *ENDED]


def reference_order(rows: list[QueueRow]) -> list[QueueRow]:
    """The rule written out the slow way: four lists, each sorted by its own criteria, one after another."""
    ended = [r for r in rows if r.status in ENDED]
    live = [r for r in rows if r.status not in ENDED]

    def runs(r):
        return r.officer_step and r.due_at is not None and r.status not in WAITING

    urgent = [r for r in live if runs(r) and r.urgent]
    ordinary = [r for r in live if runs(r) and not r.urgent]
    waiting_urgent = [r for r in live if not runs(r) and r.urgent]
    waiting_other = [r for r in live if not runs(r) and not r.urgent]

    def by_deadline(r):
        return (r.due_at, r.submitted_at, r.pk)

    def by_submission(r):
        return (r.submitted_at, r.pk)

    return (
        sorted(urgent, key=by_deadline)
        + sorted(ordinary, key=by_deadline)
        + sorted(waiting_urgent, key=by_submission)
        + sorted(waiting_other, key=by_submission)
        + sorted(ended, key=by_submission, reverse=True)
    )


# Half-hour steps over a few days, so equal deadlines and submission times happen often.
slots = st.integers(min_value=0, max_value=60).map(lambda n: at(2, 7, 30) + timedelta(minutes=30 * n))
rows_strategy = st.lists(
    st.tuples(
        st.booleans(),
        slots,
        st.one_of(st.none(), slots),
        st.sampled_from(STATUSES),
        st.booleans(),
    ),
    max_size=25,
).map(
    lambda items: [
        QueueRow(
            pk=pk,
            urgent=urgent,
            submitted_at=submitted,
            status=status,
            step_no=None if status in ENDED else 3,
            due_at=due,
            officer_step=officer,
        )
        for pk, (urgent, submitted, due, status, officer) in enumerate(items, start=1)
    ]
)


@settings(max_examples=300, deadline=None)
@given(rows=rows_strategy, now=slots)
def test_order_agrees_with_the_reference_and_each_reason_names_its_rule(rows, now):
    placed = order_queue(list(reversed(rows)), now, calendar=CAL)

    assert pks(placed) == [r.pk for r in reference_order(rows)]
    assert [p.position for p in placed] == list(range(1, len(rows) + 1))
    for previous, current in zip(placed, placed[1:], strict=False):
        assert previous.group <= current.group
    for p in placed:
        expected_start = {
            Group.URGENT: "Mendesak: ",
            Group.DEADLINE: "Batas waktu terdekat: ",
            Group.WAITING: "Mendesak, tetapi tanpa batas waktu berjalan" if p.row.urgent else "Tanpa batas waktu",
            Group.ENDED: "Tidak dalam antrean",
        }[p.group]
        assert p.reason.startswith(expected_start)
        if p.group in (Group.URGENT, Group.DEADLINE):
            assert p.sla.kind == ("late" if now > p.row.due_at else "on_time")
            assert p.sla.amount >= timedelta(0)
