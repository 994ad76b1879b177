"""Which cases the retention period has run out for (``manage.py apply_retention``).

A case is due when it ended longer ago than its office's ``retention_years`` and is not anonymised yet. A
case ends three ways, all terminal statuses (``workflow.TERMINAL``): closed after step 8's evaluation,
rejected at step 2, or cancelled at the requester's wish. The services set ``closed_at`` on all three
(``case_close``, ``case_reject``, ``case_cancel``), so ``closed_at`` is the end moment. A terminal case
without one (written before the field was set on every ending) counts from the last moment one of its step
records was done: the ending action finishes the open steps (a rejection finishes step 2 as rejected, a
cancellation every open step as cancelled), so that is when it ended. An open case (including one waiting
as "unreachable", which can still come back) never ends its retention: its data is still in use.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Max, QuerySet
from django.db.models.functions import Coalesce

from jangkau.cases.models import Case
from jangkau.cases.workflow import TERMINAL
from jangkau.offices.models import Office


def years_before(moment: datetime, years: int) -> datetime:
    """Returns the same wall-clock moment ``years`` calendar years earlier (29 February becomes the 28th)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def retention_cutoff(office: Office, now: datetime) -> datetime:
    """Returns the moment before which a case of ``office`` must have ended to be anonymised: ``now`` less
    the office's retention years, counted in the office's own calendar."""
    return years_before(now.astimezone(ZoneInfo(office.time_zone)), office.retention_years)


def cases_due(office: Office, now: datetime) -> QuerySet[Case]:
    """Returns the cases of ``office`` whose retention has run out at ``now`` and which still hold personal
    data, oldest ending first, each annotated with ``ended_at``."""
    return (
        Case.objects.filter(office=office, status__in=TERMINAL, anonymised_at__isnull=True)
        .annotate(ended_at=Coalesce("closed_at", Max("steps__done_at")))
        .filter(ended_at__lt=retention_cutoff(office, now))
        .order_by("ended_at", "pk")
    )
