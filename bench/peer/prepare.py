"""Fill the peer's new, empty database. Runs in the peer venv: `python -m bench.peer.prepare TICKETS`.

Migrates, then creates the public queue, the staff user and TICKETS open tickets, each with the opening
follow-up that helpdesk's own form writes, so the list shows what a real helpdesk of that size would.
"""

import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from bench.peer import boot

boot.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from helpdesk.models import FollowUp, Queue, Ticket  # noqa: E402

from bench.peer.common import QUEUE_SLUG, STAFF_PASSWORD, STAFF_USERNAME, emit  # noqa: E402

BATCH = 5_000
# Tickets are spread over the past year, as a helpdesk in use for a year would have them.
SPREAD = timedelta(days=365)
SUBJECTS = ["Cannot sign in", "Letter not received", "Wrong address on record", "Payment not shown", "Form error"]


def migrate() -> None:
    call_command("migrate", verbosity=0, interactive=False)


def make_queue() -> Queue:
    return Queue.objects.create(title="Bench", slug=QUEUE_SLUG, allow_public_submission=True)


def make_staff() -> None:
    # helpdesk's post_save signal gives the user its UserSettings, which the ticket list reads.
    get_user_model().objects.create_superuser(STAFF_USERNAME, "bench@example.org", STAFF_PASSWORD)


@contextmanager
def given_timestamps() -> Iterator[None]:
    """Let bulk_create keep the created/modified we set: auto_now(_add) would stamp every ticket with one moment."""
    fields = [Ticket._meta.get_field("created"), Ticket._meta.get_field("modified")]
    saved = [(field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def new_ticket(n: int, queue: Queue, now, rng: random.Random) -> Ticket:
    created = now - SPREAD * rng.random()
    subject = SUBJECTS[n % len(SUBJECTS)]
    return Ticket(
        title=f"{subject} ({n})",
        queue=queue,
        created=created,
        modified=created,
        submitter_email=f"citizen{n}@example.org",
        status=Ticket.OPEN_STATUS,
        description=f"{subject}. Reported by citizen {n}; please look into it.",
        priority=rng.randint(1, 5),
    )


def opening_followup(ticket: Ticket) -> FollowUp:
    # The public form saves this with every ticket; the list's "last follow-up" column is computed from it.
    return FollowUp(
        ticket=ticket, title="Ticket Opened Via Web", date=ticket.created, public=True, comment=ticket.description
    )


def make_tickets(queue: Queue, count: int) -> None:
    rng = random.Random(2026)
    now = timezone.now()
    with given_timestamps(), transaction.atomic():
        for start in range(0, count, BATCH):
            batch = [new_ticket(n, queue, now, rng) for n in range(start, min(count, start + BATCH))]
            tickets = Ticket.objects.bulk_create(batch)
            FollowUp.objects.bulk_create([opening_followup(ticket) for ticket in tickets])


def vacuum_analyze() -> None:
    # A helpdesk in use has had its tables vacuumed and analysed by autovacuum; right after a bulk load they
    # have not, and the planner would be guessing.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def timed(step) -> float:
    started = time.perf_counter()
    step()
    return round(time.perf_counter() - started, 3)


def main(count: int) -> None:
    migrate_s = timed(migrate)
    queue = make_queue()
    make_staff()
    data_s = timed(lambda: make_tickets(queue, count))
    analyze_s = timed(vacuum_analyze)
    emit({"tickets": count, "queue": queue.pk, "migrate_s": migrate_s, "data_s": data_s, "analyze_s": analyze_s})


if __name__ == "__main__":
    main(int(sys.argv[1]))
