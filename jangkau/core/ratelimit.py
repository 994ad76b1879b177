"""A fixed-window rate limit per client address, kept in the database so every web process shares it."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection

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
    # One statement counts the attempt, creating the window when it is the first (an upsert, atomic on
    # PostgreSQL and SQLite alike): no lock held across round trips on every public submission.
    table = connection.ops.quote_name(RateWindow._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "
            f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            # The database's own form of the moment (SQLite keeps text), as the ORM would write it.
            [key, RateWindow._meta.get_field("expires_at").get_db_prep_value(expires_at, connection)],
        )
        (count,) = cursor.fetchone()
    if count == 1:
        # A window just opened: the time to sweep away the windows that have ended.
        RateWindow.objects.filter(expires_at__lt=now).delete()
    return count > limit
