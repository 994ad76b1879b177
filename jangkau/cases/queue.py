"""The officers' queue: its order, the reason for each position and each case's SLA state. Pure functions over
small rows and an office calendar; no ORM (``selectors.queue_entries`` loads the rows).

The order (SPEC.md "Queue": nearest deadline first, then submission time; the urgent flag moves a case up)
puts every case in one of four groups, shown in this order:

1. **Urgent, with a running deadline**: nearest deadline first.
2. **Not urgent, with a running deadline**: nearest deadline first.
   In groups 1 and 2 an equal deadline goes by submission time, earliest first. A deadline already passed
   is the nearest of all, so late cases lead their group.
3. **No running deadline**: the case waits for the requester (missing data asked for, requester
   unreachable, a step the requester takes such as the survey) or its step's clock is stopped. Urgent ones
   first, then by submission time, earliest first. The urgent flag does not lift these above group 2: the
   officer cannot act on them now, and they would hide the work that can be done.
4. **Ended** (rejected, cancelled, closed; they appear only in search results): newest submission first.

Equal rows are finally ordered by ``pk``, so the order is total and stable.

A deadline "runs" when the case's open step is an officer's step with a known due moment and the case does
not wait for the requester (status "awaiting_info" or "unreachable"; a step whose time ran out before the
pause keeps its due moment, but the case still waits).

The SLA state is measured in **office working time** (the office calendar's hours, skipping weekends and
holidays), as the POS standard times are: "Sisa 1 jam 5 menit waktu kerja" or "Terlambat 20 menit waktu
kerja". The due moment itself is shown as a date and clock time in the office's time zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from django.utils import formats
from django.utils.translation import gettext as _

from jangkau.core.businesstime import BusinessCalendar, business_between

from .models import Status

# Statuses in which the case waits for the requester, whatever its step's clock says.
WAITING_STATUSES = frozenset({Status.AWAITING_INFO, Status.UNREACHABLE})
ENDED_STATUSES = frozenset({Status.CLOSED, Status.REJECTED, Status.CANCELLED})

MOMENT_FORMAT = "j M Y H:i"


class Group(IntEnum):
    """The queue's groups, in the order shown (see the module docstring)."""

    URGENT = 1
    DEADLINE = 2
    WAITING = 3
    ENDED = 4


@dataclass(frozen=True)
class QueueRow:
    """What the queue needs to know of one case and its open step."""

    pk: int
    urgent: bool
    submitted_at: datetime
    status: str
    # The open step: its POS number, its due moment (None while its clock stands still), whether an
    # officer (not the requester) takes it, and when it became (or becomes) actionable.
    step_no: int | None = None
    due_at: datetime | None = None
    officer_step: bool = True
    opened_at: datetime | None = None
    urgent_reason: str = ""


@dataclass(frozen=True)
class SlaState:
    """Where the open step stands against its deadline.

    ``kind``: "on_time" (``amount`` of office time left), "late" (``amount`` of office time over),
    "not_started" (actionable from a later moment, e.g. the appointment), "waiting" (no running deadline) or
    "ended". ``label`` says it in words.
    """

    kind: str
    label: str
    amount: timedelta | None = None


@dataclass(frozen=True)
class Placed:
    """A row in its place: 1-based ``position``, its ``group``, why it stands there, and its SLA state."""

    row: QueueRow
    position: int
    group: Group
    reason: str
    sla: SlaState


def queue_group(*, status: str, urgent: bool, officer_step: bool, due_at: datetime | None) -> Group:
    """Returns the group of a case in ``status`` whose open step is (or is not) an officer's, due at ``due_at``.
    ``cases.queue_keys`` stores it on the case so that the database can order the queue."""
    if status in ENDED_STATUSES:
        return Group.ENDED
    if not (officer_step and due_at is not None and status not in WAITING_STATUSES):
        return Group.WAITING
    return Group.URGENT if urgent else Group.DEADLINE


def group_of(row: QueueRow) -> Group:
    return queue_group(status=row.status, urgent=row.urgent, officer_step=row.officer_step, due_at=row.due_at)


def sort_key(row: QueueRow) -> tuple:
    """Returns the key that puts rows in queue order (see the module docstring)."""
    group = group_of(row)
    if group in (Group.URGENT, Group.DEADLINE):
        return (group, row.due_at.timestamp(), row.submitted_at.timestamp(), row.pk)
    if group == Group.WAITING:
        return (group, not row.urgent, row.submitted_at.timestamp(), row.pk)
    return (group, -row.submitted_at.timestamp(), -row.pk)


def order_queue(rows: Iterable[QueueRow], now: datetime, *, calendar: BusinessCalendar) -> list[Placed]:
    """Returns the rows in queue order, each with its position, the reason for it and its SLA state."""
    return place_rows(sorted(rows, key=sort_key), now, calendar=calendar)


def place_rows(
    rows: Iterable[QueueRow],
    now: datetime,
    *,
    calendar: BusinessCalendar,
    start: int = 1,
    previous: QueueRow | None = None,
) -> list[Placed]:
    """Returns rows already in queue order (one page of it: the database sorts) placed from position
    ``start``; ``previous`` is the row just above the page, whose deadline may tie with the first row's."""
    placed: list[Placed] = []
    for position, row in enumerate(rows, start=start):
        group = group_of(row)
        tied = previous is not None and group_of(previous) == group and _tied(previous, row, group)
        placed.append(
            Placed(
                row=row,
                position=position,
                group=group,
                reason=reason_for(row, group, now, calendar=calendar, tied=tied),
                sla=sla_state(row, now, calendar=calendar),
            )
        )
        previous = row
    return placed


def _tied(previous: QueueRow, row: QueueRow, group: Group) -> bool:
    # Rows that the group's first criterion cannot tell apart: the next one (submission time) decides.
    if group in (Group.URGENT, Group.DEADLINE):
        return previous.due_at == row.due_at
    return False


def _moment(value: datetime, calendar: BusinessCalendar) -> str:
    return formats.date_format(value.astimezone(calendar.tz), MOMENT_FORMAT)


def _waiting_for(row: QueueRow) -> str:
    if row.status == Status.AWAITING_INFO:
        return _("menunggu pemohon melengkapi data")
    if row.status == Status.UNREACHABLE:
        return _("pemohon belum dapat dihubungi")
    if row.step_no is not None and not row.officer_step:
        return _("menunggu pemohon")
    return _("jam langkah ini berhenti")


def reason_for(row: QueueRow, group: Group, now: datetime, *, calendar: BusinessCalendar, tied: bool = False) -> str:
    """Returns, in plain words, why the row stands where it does. ``tied``: its deadline equals the one of
    the row above, so the submission time decided."""
    submitted = _moment(row.submitted_at, calendar)
    if group == Group.ENDED:
        return _("Tidak dalam antrean: kasus sudah berakhir (%(status)s).") % {"status": Status(row.status).label}
    if group == Group.WAITING:
        if row.urgent:
            return _(
                "Mendesak, tetapi tanpa batas waktu berjalan (%(why)s) — di antara kasus yang menunggu, yang "
                "mendesak lebih dulu, lalu menurut waktu pengajuan: %(submitted)s."
            ) % {"why": _waiting_for(row), "submitted": submitted}
        return _("Tanpa batas waktu berjalan (%(why)s) — diurutkan menurut waktu pengajuan: %(submitted)s.") % {
            "why": _waiting_for(row),
            "submitted": submitted,
        }
    due = _moment(row.due_at, calendar)
    if group == Group.URGENT:
        parts = [
            _(
                "Mendesak: didahulukan dari kasus biasa; di antara kasus mendesak, batas waktu terdekat lebih "
                "dulu (batas waktu %(due)s)."
            )
            % {"due": due}
        ]
        if row.urgent_reason:
            parts.append(_("Alasan mendesak: %(reason)s.") % {"reason": row.urgent_reason})
    else:
        parts = [_("Batas waktu terdekat: %(due)s.") % {"due": due}]
    if row.opened_at is not None and row.opened_at > now:
        # Step 5 becomes actionable at the appointment, agreed ahead of time.
        parts.append(_("Langkah ini dapat dikerjakan mulai %(opens)s.") % {"opens": _moment(row.opened_at, calendar)})
    if tied:
        parts.append(
            _(
                "Batas waktunya sama dengan kasus di atasnya, jadi yang diajukan lebih dulu didahulukan "
                "(diajukan %(submitted)s)."
            )
            % {"submitted": submitted}
        )
    return " ".join(parts)


def duration_words(amount: timedelta) -> str:
    """Returns an amount of office time in words: "2 jam 5 menit", "45 menit", "kurang dari 1 menit"."""
    minutes = int(amount.total_seconds() // 60)
    if minutes < 1:
        return _("kurang dari 1 menit")
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)s menit") % {"minutes": minutes}
    if not minutes:
        return _("%(hours)s jam") % {"hours": hours}
    return _("%(hours)s jam %(minutes)s menit") % {"hours": hours, "minutes": minutes}


def sla_state(row: QueueRow, now: datetime, *, calendar: BusinessCalendar) -> SlaState:
    """Returns the open step's state against its deadline at ``now``, counted in office working time."""
    group = group_of(row)
    if group == Group.ENDED:
        return SlaState("ended", _("Kasus sudah berakhir"))
    if group == Group.WAITING:
        if row.due_at is not None and not row.officer_step:
            return SlaState(
                "waiting",
                _("Menunggu pemohon sampai %(due)s") % {"due": _moment(row.due_at, calendar)},
            )
        return SlaState("waiting", _("Jam berhenti: %(why)s") % {"why": _waiting_for(row)})
    if now > row.due_at:
        late = business_between(calendar, row.due_at, now)
        return SlaState(
            "late",
            _("Terlambat %(amount)s waktu kerja (batas %(due)s)")
            % {"amount": duration_words(late), "due": _moment(row.due_at, calendar)},
            late,
        )
    if row.opened_at is not None and row.opened_at > now:
        return SlaState(
            "not_started",
            _("Belum dimulai: dapat dikerjakan mulai %(opens)s") % {"opens": _moment(row.opened_at, calendar)},
            business_between(calendar, now, row.due_at),
        )
    left = business_between(calendar, now, row.due_at)
    return SlaState(
        "on_time",
        _("Sisa %(amount)s waktu kerja (batas %(due)s)")
        % {"amount": duration_words(left), "due": _moment(row.due_at, calendar)},
        left,
    )
