"""Delivery records: retries with backoff, a visible failure, one message per event and recipient."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jangkau.core import clock
from jangkau.notifications.case_events import notify_requester
from jangkau.notifications.delivery import BACKOFF_MINUTES, deliver, due_messages, sweep
from jangkau.notifications.models import Message, Status
from jangkau.notifications.selectors import deliveries

from ..builders import submit

pytestmark = pytest.mark.usefixtures("frozen")


def _whatsapp_message(world, committed):
    case = committed(submit, world, notify_channel="whatsapp")
    return case, Message.objects.get(case=case, recipient_user=None)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def test_a_gateway_failing_twice_then_succeeding_is_retried_with_backoff_and_delivers_once(
    world, live_channels, committed
):
    _smtp, gateway = live_channels
    gateway.failures = [503, 500]
    case, message = _whatsapp_message(world, committed)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.RETRYING, 1)
    assert "HTTP 503" in message.last_error
    assert message.next_attempt_at == clock.now() + timedelta(minutes=BACKOFF_MINUTES[0])
    # Not due yet: the sweep leaves it alone.
    assert committed(sweep) == 0
    clock.advance(timedelta(minutes=1))
    assert committed(sweep) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.RETRYING, 2)
    assert message.next_attempt_at == clock.now() + timedelta(minutes=BACKOFF_MINUTES[1])
    clock.advance(timedelta(minutes=4))
    assert committed(sweep) == 0
    clock.advance(timedelta(minutes=1))
    assert committed(sweep) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 3, "")

    requests = gateway.received()
    assert len(requests) == 3
    # Three tries of the same message: the same reference each time, so the gateway can drop a repeat.
    assert len({r.headers["Idempotency-Key"] for r in requests}) == 1
    assert committed(sweep) == 0
    assert deliver(message.pk) == "skipped"
    assert len(gateway.received()) == 3


def test_a_gateway_that_keeps_failing_leaves_a_visible_failed_record(world, live_channels, committed, settings):
    _smtp, gateway = live_channels
    gateway.always = 500
    case, message = _whatsapp_message(world, committed)
    for _attempt in range(settings.NOTIFY_MAX_ATTEMPTS + 2):
        clock.advance(timedelta(hours=7))
        committed(sweep)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, settings.NOTIFY_MAX_ATTEMPTS)
    assert "HTTP 500" in message.last_error
    assert len(gateway.received()) == settings.NOTIFY_MAX_ATTEMPTS
    assert list(deliveries(world.office, needs_action=True)) == [message]
    assert message.address_masked == "+62812****7890"


def test_a_refused_number_fails_at_once_without_retrying(world, live_channels, committed):
    _smtp, gateway = live_channels
    gateway.failures = [400]
    _case, message = _whatsapp_message(world, committed)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 1)
    assert len(gateway.received()) == 1


def test_without_a_gateway_the_message_fails_for_an_officer_to_call_instead(world, settings, committed):
    settings.NOTIFY_GATEWAYS = {"whatsapp": {"url": ""}, "sms": {"url": ""}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _case, message = _whatsapp_message(world, committed)
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "no whatsapp gateway" in message.last_error


def test_the_same_event_reaches_the_same_person_once(world, live_channels, committed):
    _smtp, gateway = live_channels
    case, message = _whatsapp_message(world, committed)
    # The action's follow-up written again (a retried task, a second sweep) finds the key taken.
    assert committed(notify_requester, case, "received", message.idempotency_key.rsplit(":r:", 1)[0]) is None
    assert Message.objects.filter(case=case, recipient_user=None).count() == 1
    assert len(gateway.received()) == 1


def test_a_pending_message_whose_task_was_lost_is_sent_by_the_sweep(
    world, live_channels, django_capture_on_commit_callbacks
):
    _smtp, gateway = live_channels
    # The process died between the commit and the enqueue: no after-commit work runs.
    case = submit(world, notify_channel="whatsapp")
    message = Message.objects.get(case=case, recipient_user=None)
    assert message.status == Status.PENDING and gateway.received() == []
    assert due_messages() == []  # just written: its own task may still come
    clock.advance(timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        sweep()
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(gateway.received()) == 1


def test_a_message_stuck_sending_after_a_crash_is_handed_back(world, live_channels, committed):
    _smtp, gateway = live_channels
    case = submit(world, notify_channel="whatsapp")
    message = Message.objects.get(case=case, recipient_user=None)
    Message.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_at=clock.now(), attempts=1)
    clock.advance(timedelta(minutes=11))
    committed(sweep)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)


def test_a_gateway_error_quoting_the_number_is_stored_masked(world, settings, committed, monkeypatch):
    from jangkau.notifications import channels

    def refuse(channel, outgoing):
        raise channels.DeliveryError(
            f"HTTP 400: invalid recipient {outgoing.to} (6281234567890, 081234567890)", permanent=True
        )

    monkeypatch.setattr(channels, "send", refuse)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _case, message = _whatsapp_message(world, committed)
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "1234567890" not in message.last_error
    assert message.last_error.count("+62812****7890") == 3
