"""The one clock of Jangkau.

All code asks ``now()`` for the current moment, never ``datetime.now()`` or ``timezone.now()``, so that
tests can move time (``with frozen_at(moment): ...``) and an SLA scenario runs in milliseconds.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.utils import timezone

_state = threading.local()


def now() -> datetime:
    """Returns the current aware moment, or the moment a test has set."""
    frozen = getattr(_state, "frozen", None)
    return frozen if frozen is not None else timezone.now()


@contextlib.contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Makes ``now()`` return ``moment`` inside the block. Raises ValueError for a naive moment."""
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    previous = getattr(_state, "frozen", None)
    _state.frozen = moment
    try:
        yield
    finally:
        _state.frozen = previous


def advance(delta: timedelta) -> datetime:
    """Moves a frozen clock forward by ``delta`` and returns the new moment. Raises if not frozen."""
    frozen = getattr(_state, "frozen", None)
    if frozen is None:
        raise RuntimeError("advance() needs a frozen clock")
    _state.frozen = frozen + delta
    return _state.frozen
