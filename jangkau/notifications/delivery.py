"""Sending the written messages: claim, send, record; retry with backoff; give up visibly.

Each attempt first claims the message with one conditional UPDATE, so two workers (or a task and the
sweep) never send the same message at the same time; the send happens outside any transaction, and its
outcome is written afterwards. A worker killed mid-send leaves the message "sending": the sweep hands it
back after ``STUCK_AFTER``, and the gateway gets the same reference again to drop a repeat.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F, Q

from jangkau.core import clock

from . import channels
from .channels import DeliveryError, Outgoing
from .models import Channel, Message, Status
from .render import html_part

logger = logging.getLogger(__name__)

# Minutes to wait after the 1st, 2nd, … failed attempt; the last failure is final (settings.NOTIFY_MAX_ATTEMPTS).
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360)
STUCK_AFTER = timedelta(minutes=10)
# A pending message this old has lost its task (the process died after the commit): the sweep sends it.
ORPHANED_AFTER = timedelta(minutes=1)


def backoff(attempts: int) -> timedelta:
    """Returns the wait after the ``attempts``-th failure."""
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def _outgoing(message: Message) -> Outgoing:
    attachments = ()
    if message.channel == Channel.EMAIL and message.appointment_id:
        from jangkau.scheduling.ics import appointment_ics

        host = urlsplit(settings.JANGKAU_PUBLIC_URL).hostname or "jangkau"
        content = appointment_ics(message.appointment, host=host, for_requester=True)
        filename = f"jadwal-{message.case.registration_number}.ics"
        attachments = ((filename, content, "text/calendar"),)
    return Outgoing(
        to=message.address,
        subject=message.subject,
        text=message.body,
        html=html_part(message.subject, message.body, message.language) if message.channel == Channel.EMAIL else "",
        reference=message.idempotency_key,
        attachments=attachments,
    )


def _claim(message_id: int) -> bool:
    now = clock.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(
        Message.objects.filter(due, pk=message_id, status__in=[Status.PENDING, Status.RETRYING]).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def deliver(message_id: int) -> str:
    """Makes one attempt to send the message and returns its status afterwards ("sent", "retrying",
    "failed"), or "skipped" when it is not due or another worker holds it."""
    if not _claim(message_id):
        return "skipped"
    message = Message.objects.select_related("case", "appointment__case__office").get(pk=message_id)
    try:
        reference = channels.send(message.channel, _outgoing(message))
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, the record must say so and not be lost
        permanent = isinstance(exc, DeliveryError) and exc.permanent
        return _record_failure(message, str(exc) or type(exc).__name__, permanent)
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=clock.now(), provider_reference=(reference or "")[:200], last_error="",
        next_attempt_at=None,
    )  # fmt: skip
    return Status.SENT


def _masked_error(message: Message, error: str) -> str:
    """Returns ``error`` with the recipient's address masked: an SMTP refusal names the mailbox and a gateway
    may echo the number, and the error is shown in lists and logged."""
    if message.address:
        variants = {message.address, message.address.lstrip("+"), "0" + message.address[3:]}
        for variant in sorted(variants, key=len, reverse=True):
            if len(variant) > 4:
                error = error.replace(variant, message.address_masked or "***")
    return error


def _record_failure(message: Message, error: str, permanent: bool) -> str:
    error = _masked_error(message, error)
    final = permanent or message.attempts >= settings.NOTIFY_MAX_ATTEMPTS
    status = Status.FAILED if final else Status.RETRYING
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=status,
        last_error=error[:2000],
        next_attempt_at=None if final else clock.now() + backoff(message.attempts),
    )
    logger.warning("message %s attempt %s %s: %s", message.pk, message.attempts, status, error)
    return status


def due_messages(limit: int = 500) -> list[int]:
    """Returns the ids of messages to send now: retries whose wait is over and pending messages whose task
    was lost; hands back messages stuck "sending" by a worker that died."""
    now = clock.now()
    Message.objects.filter(status=Status.SENDING, claimed_at__lt=now - STUCK_AFTER).update(
        status=Status.RETRYING, next_attempt_at=now, last_error="interrupted while sending"
    )
    due = Q(status=Status.RETRYING, next_attempt_at__lte=now) | Q(
        status=Status.PENDING, created_at__lte=now - ORPHANED_AFTER
    )
    return list(Message.objects.filter(due).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])


def sweep() -> int:
    """Enqueues a delivery task for every due message (``due_messages``); returns how many."""
    from .tasks import deliver_message

    ids = due_messages()
    for message_id in ids:
        deliver_message.enqueue(message_id)
    return len(ids)
