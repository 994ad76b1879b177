"""The SLA watch: a warning at 80 % of a step's standard time, an escalation past 100 %, each once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jangkau.core import clock
from jangkau.notifications.models import Channel, Message
from jangkau.notifications.selectors import inbox
from jangkau.notifications.watch import sla_watch

from ..builders import perform, submit

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def emails(world):
    for user, address in ((world.ult, "ult@bpmp.example"), (world.head, "kepala@bpmp.example")):
        user.email = address
        user.save()


def _step_mails(smtp, address):
    return [m["Subject"] for m in smtp.to(address) if "langkah" in m["Subject"]]


def _events(user, event):
    return list(inbox(user).filter(event=event))


def test_warning_at_80_percent_and_escalation_past_the_standard_each_sent_once(world, live_channels, committed, emails):
    smtp, _gateway = live_channels
    case = committed(submit, world, notify_channel="none")
    committed(perform, "accept", case, world)  # the ULT officer holds the case; step 3 (10 min) opens at 08:00
    step = case.steps.get(step_no=3, done_at__isnull=True)
    assert step.warn_at == clock.now() + timedelta(minutes=8)

    clock.advance(timedelta(minutes=7, seconds=59))
    assert committed(sla_watch) == {"warnings": 0, "breaches": 0}
    clock.advance(timedelta(seconds=1))
    assert committed(sla_watch) == {"warnings": 1, "breaches": 0}
    for _round in range(3):  # the scheduler runs it every minute
        assert committed(sla_watch) == {"warnings": 0, "breaches": 0}
    (warning,) = _events(world.ult, "step_warning")
    assert "Langkah 3" in warning.body and case.registration_number in warning.body
    assert "80 %" in warning.body and "pukul 08.10 WIB" in warning.body
    # Only the officer answering for the step is warned; the head is not yet involved.
    assert _events(world.head, "step_warning") == [] and _events(world.ult2, "step_warning") == []
    assert _step_mails(smtp, "ult@bpmp.example") == [warning.subject]

    clock.advance(timedelta(minutes=2))  # 08:10: due, not yet over
    assert committed(sla_watch) == {"warnings": 0, "breaches": 0}
    clock.advance(timedelta(seconds=1))
    assert committed(sla_watch) == {"warnings": 0, "breaches": 1}
    for _round in range(3):
        assert committed(sla_watch) == {"warnings": 0, "breaches": 0}
    (to_officer,) = _events(world.ult, "step_breach")
    (to_head,) = _events(world.head, "step_breach")
    assert "Penanggung jawab: Bpmp-Dki-Ult" in to_head.body
    assert "Penjelasan keterlambatan wajib ditulis" in to_officer.body
    assert _step_mails(smtp, "kepala@bpmp.example") == [to_head.subject]
    assert _step_mails(smtp, "ult@bpmp.example") == [warning.subject, to_officer.subject]
    step.refresh_from_db()
    assert step.warned_at is not None and step.breach_alerted_at is not None


def test_a_step_finished_late_between_two_rounds_still_reaches_the_head(world, live_channels, committed):
    case = committed(submit, world, notify_channel="none")
    clock.advance(timedelta(minutes=6))  # step 2 (5 min) overran before any round of the watch
    committed(perform, "accept", case, world)
    (alert,) = _events(world.head, "step_breach")
    assert "Langkah 2" in alert.body
    assert committed(sla_watch)["breaches"] == 0
    assert len(_events(world.head, "step_breach")) == 1


def test_an_unheld_new_request_warns_every_ult_officer_and_a_paused_step_warns_nobody(world, live_channels, committed):
    case = committed(submit, world, notify_channel="none")
    clock.advance(timedelta(minutes=4))
    committed(sla_watch)
    assert len(_events(world.ult, "step_warning")) == 1 and len(_events(world.ult2, "step_warning")) == 1

    other = committed(submit, world, notify_channel="none")
    committed(perform, "request_info", other, world)  # waiting for the requester: the clock stands still
    clock.advance(timedelta(hours=3))
    committed(sla_watch)
    assert not Message.objects.filter(case=other, event__in=["step_warning", "step_breach"]).exists()
    assert Message.objects.filter(case=case, event="step_breach", channel=Channel.IN_APP).count() == 3
