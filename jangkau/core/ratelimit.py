"""A fixed-window rate limit per client address, kept in the database so every web process shares it."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F

from . import clock
from .crypto import search_hash
from .models import RateWindow


def _key(scope: str, client: str | None, period_seconds: int) -> str:
    window = int(clock.now().timestamp()) // period_seconds
    return f"{scope}:{window}:{search_hash(client or '-', purpose='rate-limit')}"


def rate_limit_reached(*, scope: str, client: str | None, limit: int, period_seconds: int = 3600) -> bool:
    """Returns True when ``client`` already made ``limit`` attempts at ``scope`` in the current window,
    without counting one (to refuse before trying, when only failures are counted)."""
    if limit <= 0:
        return False
    count = RateWindow.objects.filter(key=_key(scope, client, period_seconds)).values_list("count", flat=True).first()
    return (count or 0) >= limit


def rate_limit_exceeded(*, scope: str, client: str | None, limit: int, period_seconds: int = 3600) -> bool:
    """Counts one attempt of ``client`` at ``scope`` and returns True when it goes over ``limit`` within the
    current window of ``period_seconds``. A ``limit`` of 0 or less turns the limit off.

    Clients without a known address share one bucket, so a missing address cannot be used to dodge the limit.
    """
    if limit <= 0:
        return False
    now = clock.now()
    key = _key(scope, client, period_seconds)
    expires_at = now + timedelta(seconds=period_seconds)
    with transaction.atomic():
        RateWindow.objects.filter(expires_at__lt=now).delete()
        if not RateWindow.objects.filter(key=key).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateWindow.objects.create(key=key, count=1, expires_at=expires_at)
            except IntegrityError:
                # Another request created the window first: count on it.
                RateWindow.objects.filter(key=key).update(count=F("count") + 1)
        count = RateWindow.objects.values_list("count", flat=True).get(key=key)
    return count > limit
