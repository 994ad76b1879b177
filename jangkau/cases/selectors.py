"""Reading cases: queries that pages, the API and reports share."""

from __future__ import annotations

import functools
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

from django.db.models import Case as DbCase  # noqa: E402
from django.db.models import F, Prefetch, Q, Value, When  # noqa: E402
from django.utils.translation import gettext  # noqa: E402

from jangkau.core import clock  # noqa: E402
from jangkau.core.crypto import search_hash  # noqa: E402
from jangkau.core.nik import normalise_nik  # noqa: E402
from jangkau.offices.calendar import calendar_for  # noqa: E402

from .intake import normalise_phone  # noqa: E402
from .models import Status  # noqa: E402
from .queue import ENDED_STATUSES, Group, Placed, QueueRow, place_rows  # noqa: E402
from .queue_keys import current_step  # noqa: E402
from .vocabulary import Accommodation, Vulnerability  # noqa: E402

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

    @property
    def step_label(self) -> str:
        """ "Langkah 3: …" for the open step, empty without one (said here, once, not per template tag)."""
        if self.step is None:
            return ""
        return gettext("Langkah %(no)s: %(activity)s") % {"no": self.step.step_no, "activity": self.step.activity}

    @property
    def status_label(self) -> str:
        return str(_choice_labels(Status).get(self.case.status, self.case.status))


def _labels(codes, choices) -> list[str]:
    # A retired or unknown code still shows, as itself, rather than vanishing from the officer's view.
    labels = _choice_labels(choices)
    return [str(labels.get(code, code)) for code in codes or []]


@functools.cache
def _choice_labels(choices) -> dict:
    # Built once: the queue asks for every row's labels, and rebuilding the enum's values each time showed.
    # The labels stay lazy, so each is translated in the language of the request that shows it.
    return {choice.value: choice.label for choice in choices}


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


# The queue order of ``cases.queue`` (groups, then deadline, urgency, submission, pk) on the stored queue keys
# (``cases.queue_keys``); the index ``case_queue_order`` serves it. Within groups 1 and 2 the urgency is the
# same for every row, and groups 3 and 4 store no deadline, so one ORDER BY reads all of them.
QUEUE_ORDER = ("queue_group", "queue_due_at", "-urgent", "submitted_at", "id")


def _queue_order_with_ended() -> list:
    # Ended cases (group 4, search results only) go newest first and ignore urgency: their sort keys are
    # constant (NULL, False) for the open groups, and the open groups' keys are equal among ended rows.
    ended = Q(queue_group=Group.ENDED)
    return [
        "queue_group",
        "queue_due_at",
        DbCase(When(ended, then=Value(False)), default=F("urgent")).desc(),
        DbCase(When(ended, then=F("submitted_at"))).desc(nulls_last=True),
        "submitted_at",
        DbCase(When(ended, then=F("id"))).desc(nulls_last=True),
        "id",
    ]


def _row(case: Case, step: StepRecord | None) -> QueueRow:
    return QueueRow(
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


class QueueEntries:
    """The cases of a work view in queue order, read a page at a time: ``entries[40:60]`` loads those 20 rows
    (and the one above them, for a tied deadline) with their open steps in two queries, whatever the size of
    the queue; ``count()`` counts in the database. Django's Paginator and ninja's pagination both take it.
    Iterating it reads every row (small offices, tests)."""

    def __init__(self, cases, office):
        self._cases = cases
        self._office = office
        self._count: int | None = None
        self._calendar = None

    @property
    def calendar(self):
        """The office calendar the entries are measured against, read once (pages show more deadlines)."""
        if self._calendar is None:
            self._calendar = calendar_for(self._office)
        return self._calendar

    def without(self, *fields: str) -> QueueEntries:
        """Returns the same entries, not loading ``fields`` (a page that does not show the personal data need
        not read and decrypt it for every row)."""
        entries = QueueEntries(self._cases.defer(*fields), self._office)
        entries._calendar = self._calendar
        return entries

    def count(self) -> int:
        if self._count is None:
            self._count = self._cases.count()
        return self._count

    def count_up_to(self, cap: int) -> int | None:
        """Returns how many entries there are, or None when there are more than ``cap``: counting 100,000 open
        cases on every page view costs more than the rest of the page."""
        if self._count is not None:
            return self._count if self._count <= cap else None
        found = self._cases[: cap + 1].count()
        return found if found <= cap else None

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if isinstance(index, int):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop = index.start or 0, index.stop
        if index.step not in (None, 1) or start < 0 or (stop is not None and stop < 0):
            raise ValueError("the queue is read in forward pages")
        first = max(start - 1, 0)
        cases = self._cases.select_related("service_type").prefetch_related(
            Prefetch(
                "steps",
                queryset=StepRecord.objects.filter(done_at__isnull=True).order_by("step_no", "opened_at", "id"),
                to_attr="open_steps",
            )
        )
        loaded = list(cases[first:stop] if stop is not None else cases[first:])
        pairs = [(case, None if case.status in ENDED_STATUSES else current_step(case.open_steps)) for case in loaded]
        previous = _row(*pairs.pop(0)) if start > 0 and pairs else None
        placed = place_rows(
            [_row(*pair) for pair in pairs],
            clock.now(),
            calendar=self.calendar,
            start=start + 1,
            previous=previous,
        )
        return [QueueEntry(case, step, placed=spot) for (case, step), spot in zip(pairs, placed, strict=True)]


def queue_entries(office, *, view: str = "all", user=None, query: str = "", status: str | None = None) -> QueueEntries:
    """Returns the office's cases for a work view in queue order (``cases.queue``), with reasons and SLA states,
    as ``QueueEntries`` (read a page at a time).

    Views: "all" the open cases; "mine" those whose open work is ``user``'s (they hold the case, it waits
    for them as its PPID member, or they are responsible for its open step); "ppid" those with Tim PPID;
    "scheduled" those with an agreed appointment; "ppid_inbox" those forwarded to ``user`` that Tim PPID still
    has. ``query`` narrows the view to matching cases (``case_search_filter``); in the "all" view it also
    finds cases that have ended. ``status`` narrows it to one status.
    Raises ValueError for an unknown view, or for "mine" or "ppid_inbox" without a user.
    """
    if view not in QUEUE_VIEWS:
        raise ValueError(f"unknown queue view: {view}")
    if view in ("mine", "ppid_inbox") and user is None:
        raise ValueError(f"the {view!r} view needs the user")
    query = (query or "").strip()
    cases = Case.objects.filter(office=office)
    with_ended = view == "all" and bool(query)
    if not with_ended:
        # The open cases, said through the stored group (the same set as status__in=OPEN) so that the
        # queue index serves both the filter and the order.
        cases = cases.filter(queue_group__lt=Group.ENDED)
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
    if status is not None:
        cases = cases.filter(status=status)
    return QueueEntries(cases.order_by(*(_queue_order_with_ended() if with_ended else QUEUE_ORDER)), office)
