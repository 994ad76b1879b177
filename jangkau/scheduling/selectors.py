"""Reading appointments: the one that stands for a case."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Appointment


def current_of(appointments: Iterable[Appointment]) -> Appointment | None:
    """Returns the latest agreed appointment that no reschedule or cancellation superseded, or None.

    For appointments already in memory (a prefetch), so a page of cases reads no more rows."""
    current = [a for a in appointments if a.superseded_at is None]
    return max(current, key=lambda a: a.created_at) if current else None


def current_appointment(case) -> Appointment | None:
    """``current_of`` for one case, read from the database."""
    return case.appointments.filter(superseded_at__isnull=True).order_by("-created_at").first()
