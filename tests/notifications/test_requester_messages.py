"""A case driven through every step, with real SMTP and a real HTTP gateway: each event's message arrives
once, on the requester's channel, in their language, with the right facts."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import transaction

from jangkau.cases import services as svc
from jangkau.core import clock
from jangkau.notifications.models import Message, Status
from jangkau.notifications.reminders import send_reminders
from jangkau.surveys.invitations import survey_path

from ..builders import perform, reload, submit

JKT = ZoneInfo("Asia/Jakarta")
PUBLIC = "https://jangkau.example"

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs an action and then its after-commit work (the delivery tasks), as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def _ics(message) -> icalendar.Calendar | None:
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            return icalendar.Calendar.from_ical(part.get_content())
    return None


def _walk_to_delivery(case, world, committed):
    """Takes an accepted case through PPID, scheduling, the reminder, a reschedule and delivery."""
    committed(perform, "forward_to_ppid", case, world)
    committed(perform, "record_result", case, world, world.ppid)
    # Monday 08:00 now: the visit is agreed for Wednesday 10:00 office time.
    committed(
        svc.case_schedule, case=case, actor=world.ult, starts_at=datetime(2025, 1, 8, 10, 0, tzinfo=JKT), mode="visit",
        place="Rumah pemohon, Jl. Kenanga 5",
    )  # fmt: skip
    clock.advance(timedelta(hours=23, minutes=30))  # Tuesday 07:30: the day before
    committed(send_reminders)
    committed(send_reminders)  # the scheduler runs every minute: still one reminder
    committed(
        svc.case_reschedule, case=case, actor=world.ult, starts_at=datetime(2025, 1, 9, 13, 0, tzinfo=JKT),
        mode="video_call", reason="Petugas juru bahasa isyarat berhalangan",
    )  # fmt: skip
    clock.advance(timedelta(days=2, hours=5, minutes=35))  # Thursday 13:05
    committed(svc.case_deliver, case=case, actor=world.ult, notes="Dokumen data mutu diserahkan")


def test_an_english_email_requester_gets_every_message_once_with_its_facts(world, live_channels, committed):
    smtp, gateway = live_channels
    world.ppid.email = "ppid@bpmp.example"
    world.ppid.save()
    case = committed(submit, world, notify_channel="email", email="siti.aminah@example.org", phone="", language="en")
    committed(svc.case_request_info, case=case, actor=world.ult, missing="A photo of the family card")
    committed(svc.case_send_missing_data, case=case, text="Sent by post today")
    committed(perform, "accept", case, world)
    _walk_to_delivery(case, world, committed)
    step6 = case.steps.get(step_no=6, done_at__isnull=True)
    clock.advance(step6.warn_at - clock.now())  # 80 % of the survey window
    committed(send_reminders)
    committed(send_reminders)
    for action in ("record_feedback", "recap_feedback", "close"):
        committed(perform, action, reload(case), world)

    mails = smtp.to("siti.aminah@example.org")
    number = case.registration_number
    subjects = [m["Subject"] for m in mails]
    assert len(mails) == 9, subjects
    received, info, accepted, scheduled, reminder, rescheduled, delivered, survey_reminder, closed = mails
    # Every message names the request, in English, and is plain text with an accessible HTML twin.
    for mail in mails:
        assert number in mail["Subject"]
        assert "Permohonan" not in mail["Subject"], "the requester chose English"
        html = _html(mail)
        assert '<html lang="en">' in html and "<h1" in html
        assert number in _text(mail)
    assert "has been received" in received["Subject"]
    assert case.tracking_code in _text(received)
    tracking_link = f"{PUBLIC}/lacak/?nomor={number}"
    assert tracking_link in _text(received)
    assert f'href="{tracking_link}"' in _html(received)
    assert "free" in _text(received)
    assert "A photo of the family card" in _text(info)
    assert "will serve" in accepted["Subject"]
    # The schedule carries the calendar file with the agreed moment; the reminder and the new time too.
    calendar = _ics(scheduled)
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("dtstart") == datetime(2025, 1, 8, 3, 0, tzinfo=ZoneInfo("UTC"))
    assert "Wednesday, 8 January 2025" in _text(scheduled)
    assert "Rumah pemohon, Jl. Kenanga 5" in _text(scheduled)
    assert "tomorrow" in _text(reminder).lower() and "Wednesday, 8 January 2025" in _text(reminder)
    assert "Thursday, 9 January 2025 at 13:00 WIB" in _text(rescheduled)
    assert next(iter(_ics(rescheduled).walk("VEVENT"))).decoded("dtstart") == datetime(
        2025, 1, 9, 6, 0, tzinfo=ZoneInfo("UTC")
    )
    survey_link = PUBLIC + survey_path(reload(case).survey_invitation)
    assert survey_link in _text(delivered)
    assert survey_link in _text(survey_reminder)
    assert "closed" in _text(closed)
    # Nothing went to the gateways, and every record says sent, once.
    assert gateway.received() == []
    records = Message.objects.filter(case=case, recipient_user=None)
    assert records.count() == 9
    assert set(records.values_list("status", "attempts")) == {(Status.SENT, 1)}
    # The PPID member heard of the forwarded case by e-mail too, in the office's language.
    (forwarded,) = smtp.to("ppid@bpmp.example")
    assert f"Kasus {number} diteruskan kepada Anda" == forwarded["Subject"]


def test_a_whatsapp_requester_gets_cloud_api_messages_in_indonesian(world, live_channels, committed):
    smtp, gateway = live_channels
    case = committed(submit, world, notify_channel="whatsapp", language="id")
    committed(perform, "reject", case, world)

    sent = gateway.received("/v21.0/123456/messages")
    assert [r.payload["to"] for r in sent] == ["6281234567890", "6281234567890"]
    received, rejected = (r.payload for r in sent)
    assert received["messaging_product"] == "whatsapp" and received["type"] == "text"
    assert case.tracking_code in received["text"]["body"]
    assert f"Nomor registrasi: {case.registration_number}" in received["text"]["body"]
    assert "Alasan: Di luar layanan" in rejected["text"]["body"]
    assert "Anda dapat menghubungi: Disdukcapil" in rejected["text"]["body"]
    assert all(r.headers["Authorization"] == "Bearer wa-token" for r in sent)
    # The gateway's message id is kept as the provider's reference.
    requester_messages = Message.objects.filter(case=case, recipient_user=None)
    assert set(requester_messages.values_list("provider_reference", flat=True)) == {
        "wamid.1",
        "wamid.2",
    }
    assert smtp.messages == []


def test_an_sms_requester_gets_the_cancellation_and_the_legal_extension(world, live_channels, committed):
    _smtp, gateway = live_channels
    case = committed(submit, world, notify_channel="sms")
    committed(perform, "accept", case, world)
    committed(perform, "extend_information_deadline", case, world)
    for action in ("forward_to_ppid", "record_result", "schedule", "cancel_appointment"):
        committed(perform, action, reload(case), world)

    bodies = [r.payload["text"] for r in gateway.received("/sms")]
    assert len(bodies) == 5
    assert all(r.payload["channel"] == "sms" and r.payload["to"] == "+6281234567890" for r in gateway.received())
    assert "Jawaban kami kirim 7 hari kerja lagi" in bodies[2]
    assert "Tenggat baru:" in bodies[2]
    assert "Jadwal dibatalkan; kami akan menghubungi Anda lagi" in bodies[4]
    # Each request names its message, so a gateway can drop a resend after a crash.
    references = [r.payload["reference"] for r in gateway.received()]
    assert len(set(references)) == 5
    assert [r.headers["Idempotency-Key"] for r in gateway.received()] == references


def test_a_requester_who_asked_not_to_be_messaged_gets_nothing(world, live_channels, committed):
    smtp, gateway = live_channels
    case = committed(submit, world, notify_channel="none", email="x@example.org")
    committed(perform, "accept", case, world)
    assert smtp.messages == [] and gateway.received() == []
    assert not Message.objects.filter(case=case, recipient_user=None).exists()


def test_an_action_that_rolls_back_sends_nothing(world, live_channels, committed):
    smtp, _gateway = live_channels
    case = committed(submit, world, notify_channel="email", email="siti@example.org")
    assert len(smtp.messages) == 1

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        committed(_accept_then_fail, case, world, Boom)
    assert len(smtp.messages) == 1
    assert not Message.objects.filter(case=case, event="accepted").exists()


def _accept_then_fail(case, world, error):
    with transaction.atomic():
        perform("accept", case, world)
        raise error


@pytest.mark.django_db(transaction=True)
def test_messages_go_only_after_the_commit(live_channels):
    from ..builders import make_world

    smtp, _gateway = live_channels
    world = make_world()
    with clock.frozen_at(datetime(2025, 1, 6, 8, 0, tzinfo=JKT)):
        with transaction.atomic():
            case = submit(world, notify_channel="email", email="siti@example.org")
            assert smtp.messages == [], "nothing may leave before the action commits"
        assert [m["Subject"] for m in smtp.messages] == [f"Permohonan {case.registration_number} sudah kami terima"]
