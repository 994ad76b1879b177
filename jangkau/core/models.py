from django.db import models, transaction


class Counter(models.Model):
    """A named, gap-free counter (registration numbers per office per year, letter numbers...)."""

    key = models.CharField(max_length=120, unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}={self.value}"


def next_number(key: str) -> int:
    """Returns the next value of counter ``key``, starting at 1; safe under concurrent callers.

    Must run inside the caller's transaction so that a rolled-back action gives its number back.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside a transaction")
    counter, _ = Counter.objects.select_for_update().get_or_create(key=key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


class RateWindow(models.Model):
    """How many times one client did one thing within one fixed window of time (see ``core.ratelimit``).

    The client is stored as a keyed hash: an IP address is personal data and is only needed for counting.
    """

    key = models.CharField(max_length=160, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}={self.count}"
