"""Reading cases: queries that pages, the API and reports share."""

from __future__ import annotations

import hmac

from .models import Case, StepRecord


def breaches_for_office(office, *, unexplained_only: bool = False) -> list[StepRecord]:
    """Returns the office's overrun officer steps, newest first, for the supervisor's view."""
    steps = StepRecord.objects.filter(case__office=office, breached=True, is_officer_step=True)
    if unexplained_only:
        steps = steps.filter(breach_explanation="")
    return list(steps.select_related("case", "responsible", "done_by").order_by("-done_at"))


def normalise_code(raw: str) -> str:
    """Returns a tracking code or registration number as stored: upper case, without the spaces people type
    (and, for tracking codes, without the dashes used to group them)."""
    return "".join((raw or "").split()).upper()


def grouped_code(code: str, size: int = 4) -> str:
    """Returns a tracking code in groups for reading out and copying from paper: K7QM4XPA2R -> K7QM-4XPA-2R.
    ``normalise_code`` takes the dashes out again."""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def case_for_requester(registration_number: str, tracking_code: str) -> Case | None:
    """Returns the case that the registration number and tracking code open together, None otherwise.

    Numbers run per office, so one number may name cases of several offices; the code tells them apart.
    Codes are compared in constant time so that the answer's timing reveals nothing about them.
    """
    number = normalise_code(registration_number)
    code = normalise_code(tracking_code).replace("-", "")
    if not number or not code:
        return None
    candidates = (
        Case.objects.select_related("office", "service_type")
        .prefetch_related("steps", "appointments")
        .filter(registration_number=number)
    )
    for case in candidates:
        if hmac.compare_digest(case.tracking_code.encode(), code.encode()):
            return case
    return None


# --- the officers' queue and search (backoffice "Antrean") ------------------------------------------------

import contextlib  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from django.db.models import Prefetch, Q  # noqa: E402

from jangkau.core import clock  # noqa: E402
from jangkau.core.crypto import search_hash  # noqa: E402
from jangkau.core.nik import normalise_nik  # noqa: E402
from jangkau.offices.calendar import calendar_for  # noqa: E402

from .intake import normalise_phone  # noqa: E402
from .models import Status  # noqa: E402
from .queue import ENDED_STATUSES, Placed, QueueRow, order_queue  # noqa: E402
from .vocabulary import Accommodation, Vulnerability  # noqa: E402
from .workflow import OPEN  # noqa: E402

# The work views of the queue. "all" is the office's open cases; the others narrow it.
QUEUE_VIEWS = ("all", "mine", "ppid", "scheduled", "ppid_inbox")


@dataclass(frozen=True)
class QueueEntry:
    """One line of the queue: the case (service type loaded), its open step (or None), its place."""

    case: Case
    step: StepRecord | None
    placed: Placed

    @property
    def vulnerability_labels(self) -> list[str]:
        return _labels(self.case.vulnerabilities, Vulnerability)

    @property
    def accommodation_labels(self) -> list[str]:
        return _labels(self.case.accommodations, Accommodation)


def _labels(codes, choices) -> list[str]:
    # A retired or unknown code still shows, as itself, rather than vanishing from the officer's view.
    return [str(choices(code).label) if code in choices.values else str(code) for code in codes or []]


def case_search_filter(query: str) -> Q:
    """Returns the condition matching what an officer typed: part of a registration number or of a name,
    a phone number however it is written (0812-3456-7890, +62 812…), or a whole NIK (through its keyed hash:
    NIKs are encrypted and cannot be searched otherwise)."""
    # U+0000 is in no name or number, and PostgreSQL refuses it in a query: it counts as a space.
    text = " ".join((query or "").replace("\x00", " ").split())
    condition = Q(requester_name__icontains=text)
    number = normalise_code(text)
    if number:
        condition |= Q(registration_number__icontains=number)
    with contextlib.suppress(ValueError):
        condition |= Q(phone=normalise_phone(text))
    nik = normalise_nik(text)
    if len(nik) == 16 and nik.isdigit():
        condition |= Q(nik_hash=search_hash(nik, purpose="nik"))
    return condition


def _open_step(case: Case) -> StepRecord | None:
    # Normally one step is open at a time; should there be more, the latest POS step is the current one.
    steps = case.open_steps
    return steps[-1] if steps else None


def queue_entries(office, *, view: str = "all", user=None, query: str = "") -> list[QueueEntry]:
    """Returns the office's cases for a work view, in queue order (``cases.queue``), with reasons and SLA
    states, in a fixed number of queries whatever the number of cases.

    Views: "all" the open cases; "mine" those whose open work is ``user``'s (they hold the case, it waits
    for them as its PPID member, or they are responsible for its open step); "ppid" those with Tim PPID;
    "scheduled" those with an agreed appointment; "ppid_inbox" those forwarded to ``user`` that Tim PPID still
    has. ``query`` narrows the view to matching cases
    (``case_search_filter``); in the "all" view it also finds cases that have ended.
    Raises ValueError for an unknown view, or for "mine" or "ppid_inbox" without a user.
    """
    if view not in QUEUE_VIEWS:
        raise ValueError(f"unknown queue view: {view}")
    if view in ("mine", "ppid_inbox") and user is None:
        raise ValueError(f"the {view!r} view needs the user")
    query = (query or "").strip()
    cases = Case.objects.filter(office=office)
    if not (view == "all" and query):
        cases = cases.filter(status__in=OPEN)
    if view == "mine":
        responsible = StepRecord.objects.filter(done_at__isnull=True, responsible=user).values("case_id")
        cases = cases.filter(Q(assigned_to=user) | Q(ppid_member=user, status=Status.WITH_PPID) | Q(pk__in=responsible))
    elif view == "ppid":
        cases = cases.filter(status=Status.WITH_PPID)
    elif view == "scheduled":
        cases = cases.filter(status=Status.SCHEDULED)
    elif view == "ppid_inbox":
        cases = cases.filter(status=Status.WITH_PPID, ppid_member=user)
    if query:
        cases = cases.filter(case_search_filter(query))
    cases = cases.select_related("service_type").prefetch_related(
        Prefetch(
            "steps",
            queryset=StepRecord.objects.filter(done_at__isnull=True).order_by("step_no", "opened_at", "id"),
            to_attr="open_steps",
        )
    )
    by_pk: dict[int, tuple[Case, StepRecord | None]] = {}
    rows = []
    for case in cases:
        step = None if case.status in ENDED_STATUSES else _open_step(case)
        by_pk[case.pk] = (case, step)
        rows.append(
            QueueRow(
                pk=case.pk,
                urgent=case.urgent,
                submitted_at=case.submitted_at,
                status=case.status,
                step_no=step.step_no if step else None,
                due_at=step.due_at if step else None,
                officer_step=step.is_officer_step if step else True,
                opened_at=step.opened_at if step else None,
                urgent_reason=case.urgent_reason,
            )
        )
    if not rows:
        return []
    placed = order_queue(rows, clock.now(), calendar=calendar_for(office))
    return [QueueEntry(*by_pk[p.row.pk], placed=p) for p in placed]
