"""The case page's actions of POS steps 3 to 5 (forward to PPID, record the result, contact attempts,
unreachable and back, schedule, reschedule, deliver) and the appointment's calendar file."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from jangkau.audit.models import AuditEvent
from jangkau.cases.models import Status
from jangkau.scheduling.models import Appointment, ContactAttempt
from tests.builders import VALID_NIK, add_failed_attempts, case_in, make_staff

pytestmark = pytest.mark.django_db

JKT = ZoneInfo("Asia/Jakarta")


def url(case, suffix=""):
    return f"/staf/kasus/{case.registration_number}/{suffix}"


def events_of(case):
    return list(AuditEvent.objects.filter(case=case).order_by("seq").values_list("action", flat=True))


def take(client, case, slug, data):
    """Posts the action's form as the page would, with the status the officer saw."""
    return client.post(url(case, f"{slug}/"), {"seen_status": case.status, **data})


SCHEDULE = {"date": "08/01/2025", "time": "10:30", "mode": "visit", "place": "Balai RW 02 Cempaka Putih"}


# --- each action through the client ---------------------------------------------------------------------------

STEPS = [
    # (status before, user, slug, answers, status after, audit action)
    (Status.READY_TO_SCHEDULE, "ult", "catat-kontak", {"channel": "phone", "result": "no_answer"},
     Status.READY_TO_SCHEDULE, "case.record_contact_attempt"),
    (Status.READY_TO_SCHEDULE, "ult", "jadwalkan", {**SCHEDULE, "notes": "Bawa cetak huruf besar"},
     Status.SCHEDULED, "case.schedule"),
    (Status.UNREACHABLE, "ult", "hubungi-lagi", {"note": "Pemohon menelepon kantor"},
     Status.READY_TO_SCHEDULE, "case.resume_contact"),
    (Status.SCHEDULED, "ult", "jadwal-ulang", {**SCHEDULE, "date": "09/01/2025", "reason": "Pemohon sakit"},
     Status.SCHEDULED, "case.reschedule"),
    (Status.SCHEDULED, "ult", "serahkan", {"notes": "Rekap data mutu diserahkan"},
     Status.DELIVERED, "case.deliver"),
    (Status.WITH_PPID, "ppid", "catat-hasil", {"summary": "Rekap data mutu SD 2024"},
     Status.READY_TO_SCHEDULE, "case.record_result"),
]  # fmt: skip


@pytest.mark.parametrize(("before", "who", "slug", "answers", "after", "event"), STEPS)
def test_each_action_moves_the_case_as_the_workflow_says(
    client, world, frozen, before, who, slug, answers, after, event
):
    """The action's form shows, its answers change the status as the workflow says, one audit event is
    written, and the case page says what happened."""
    case = case_in(before, world)
    client.force_login(getattr(world, who))
    events_before = len(events_of(case))
    page = client.get(url(case)).content.decode()
    assert f'href="{url(case, slug + "/")}"' in page
    assert client.get(url(case, f"{slug}/")).status_code == 200

    response = take(client, case, slug, answers)

    assert response.status_code == 302 and response["Location"] == url(case)
    case.refresh_from_db()
    assert case.status == after
    assert events_of(case)[events_before:] == [event]
    assert client.get(url(case)).status_code == 200


def test_forwarding_to_ppid_offers_only_the_offices_active_ppid_members(client, world, other_world, frozen):
    """The select lists this office's active PPID members; choosing one forwards the case to them."""
    case = case_in(Status.ACCEPTED, world)
    retired = make_staff(world.office, "ppid_member", "ppid-pensiun")
    retired.is_active = False
    retired.save()
    client.force_login(world.ult)

    form = client.get(url(case, "teruskan-ppid/")).content.decode()
    assert f'value="{world.ppid.pk}"' in form
    for absent in (retired, other_world.ppid, world.ult2):
        assert f'value="{absent.pk}"' not in form

    refused = take(client, case, "teruskan-ppid", {"ppid_member": other_world.ppid.pk, "note": "Mohon data"})
    assert refused.status_code == 200
    assert "Pilih anggota Tim PPID dari daftar" in refused.content.decode()

    response = take(client, case, "teruskan-ppid", {"ppid_member": world.ppid.pk, "note": "Mohon data mutu SD"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.ppid_member) == (Status.WITH_PPID, world.ppid)
    assert events_of(case)[-1] == "case.forward_to_ppid"


def test_marking_unreachable_needs_failed_attempts_first(client, world, frozen, settings):
    """Too few failed attempts: the service's reason shows and nothing changes; after enough, the case is
    marked unreachable with one audit event."""
    case = case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.ult)

    refused = take(client, case, "tidak-terhubungi", {})
    assert refused.status_code == 200
    assert "gagal dihubungi" in refused.content.decode()
    case.refresh_from_db()
    assert case.status == Status.READY_TO_SCHEDULE

    add_failed_attempts(case, world, settings.JANGKAU_UNREACHABLE_AFTER_DAYS)
    count = len(events_of(case))
    response = take(client, case, "tidak-terhubungi", {})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.UNREACHABLE
    assert events_of(case)[count:] == ["case.mark_unreachable"]


def test_the_buttons_follow_the_workflow(client, world, frozen):
    """Only the actions the workflow allows the user's role in the case's status are offered."""
    ready = case_in(Status.READY_TO_SCHEDULE, world)
    with_ppid = case_in(Status.WITH_PPID, world)

    client.force_login(world.ult)
    page = client.get(url(ready)).content.decode()
    for slug in ("catat-kontak", "jadwalkan", "tidak-terhubungi"):
        assert url(ready, slug + "/") in page
    for slug in ("serahkan", "jadwal-ulang", "catat-hasil", "hubungi-lagi"):
        assert url(ready, slug + "/") not in page
    assert url(with_ppid, "catat-hasil/") not in client.get(url(with_ppid)).content.decode()

    client.force_login(world.ppid)
    assert url(with_ppid, "catat-hasil/") in client.get(url(with_ppid)).content.decode()


# --- wrong answers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "who", "slug", "answers", "messages"),
    [
        (Status.ACCEPTED, "ult", "teruskan-ppid", {}, ["Pilih anggota Tim PPID", "Tuliskan catatan untuk Tim PPID"]),
        (Status.WITH_PPID, "ppid", "catat-hasil", {}, ["Tuliskan hasil layanan yang disiapkan"]),
        (Status.READY_TO_SCHEDULE, "ult", "catat-kontak", {}, ["Pilih saluran kontak", "Pilih hasil kontak"]),
        (
            Status.READY_TO_SCHEDULE,
            "ult",
            "jadwalkan",
            {"mode": ""},
            ["Tuliskan tanggal layanan", "Tuliskan jam layanan", "Pilih cara layanan"],
        ),
        (Status.READY_TO_SCHEDULE, "ult", "jadwalkan", {**SCHEDULE, "date": "31/02/2025"}, ["seperti 15/12/2026"]),
        (Status.READY_TO_SCHEDULE, "ult", "jadwalkan", {**SCHEDULE, "time": "jam 9"}, ["Tuliskan jam seperti 09:30"]),
        (
            Status.READY_TO_SCHEDULE,
            "ult",
            "jadwalkan",
            {**SCHEDULE, "date": "05/01/2025"},
            ["Jadwal layanan harus di masa depan"],
        ),
        (Status.SCHEDULED, "ult", "jadwal-ulang", SCHEDULE, ["Tuliskan alasan penjadwalan ulang"]),
        (Status.SCHEDULED, "ult", "serahkan", {}, ["Tuliskan layanan yang diberikan"]),
    ],
)
def test_bad_answers_come_back_beside_their_fields(client, world, frozen, status, who, slug, answers, messages):
    """The form comes back with the error summary and each message by its field; nothing changes."""
    case = case_in(status, world)
    client.force_login(getattr(world, who))
    count = len(events_of(case))

    response = take(client, case, slug, answers)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada masalah" in page and "<title>Galat: " in page
    for message in messages:
        assert message in page
        assert page.count(message) >= 2  # in the summary and beside the field
    case.refresh_from_db()
    assert case.status == status
    assert len(events_of(case)) == count


def test_an_action_the_workflow_does_not_allow_is_refused_plainly(client, world, frozen):
    case = case_in(Status.ACCEPTED, world)
    client.force_login(world.ult)

    response = take(client, case, "serahkan", {"notes": "Sudah"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert "case.deliver" not in events_of(case)


# --- the appointment and the contact attempts on the page ------------------------------------------------------


def test_the_page_shows_the_appointment_and_the_contact_attempts(client, world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.ult)
    take(client, case, "catat-kontak", {"channel": "whatsapp", "result": "message_left", "notes": "Minta sore"})
    case.refresh_from_db()
    take(client, case, "jadwalkan", SCHEDULE)

    page = client.get(url(case)).content.decode()

    for shown in ("Upaya kontak", "WhatsApp", "Pesan ditinggalkan", "Minta sore", "Balai RW 02 Cempaka Putih"):
        assert shown in page
    assert "Rabu, 8 Januari 2025 10:30" in page or "8 Januari 2025 10:30" in page
    assert url(case, "jadwal.ics") in page
    assert ContactAttempt.objects.filter(case=case).count() == 1


# --- the calendar file --------------------------------------------------------------------------------------------


def test_the_calendar_file_has_the_appointment_and_no_personal_data(client, world, frozen):
    """The ICS parses, starts at the appointment (10:30 Jakarta = 03:30 UTC), names the number and the
    service, places it where the officer typed, and holds no NIK, phone, address or name."""
    case = case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.ult)
    take(client, case, "jadwalkan", SCHEDULE)
    appointment = Appointment.objects.get(case=case)

    response = client.get(url(case, "jadwal.ics"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert start == datetime(2025, 1, 8, 10, 30, tzinfo=JKT)
    assert start.astimezone(UTC) == datetime(2025, 1, 8, 3, 30, tzinfo=UTC)
    assert case.registration_number in str(event["summary"])
    assert world.service.name in str(event["summary"])
    assert str(event["location"]) == "Balai RW 02 Cempaka Putih"
    assert str(appointment.pk) in str(event["uid"])
    for secret in (VALID_NIK, "3456", "Kenanga", "Siti", "Pengguna kursi roda"):
        assert secret not in body
    again = icalendar.Calendar.from_ical(client.get(url(case, "jadwal.ics")).content).walk("VEVENT")[0]
    assert again["uid"] == event["uid"]


def test_a_reschedule_gives_a_new_calendar_entry(client, world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.ult)
    take(client, case, "jadwalkan", SCHEDULE)
    first = icalendar.Calendar.from_ical(client.get(url(case, "jadwal.ics")).content).walk("VEVENT")[0]
    case.refresh_from_db()

    take(client, case, "jadwal-ulang", {**SCHEDULE, "date": "10/01/2025", "time": "13:00", "reason": "Hujan"})

    event = icalendar.Calendar.from_ical(client.get(url(case, "jadwal.ics")).content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2025, 1, 10, 13, 0, tzinfo=JKT)
    assert event["uid"] != first["uid"]


def test_no_calendar_file_without_an_appointment_or_for_another_office(client, world, other_world, frozen):
    waiting = case_in(Status.READY_TO_SCHEDULE, world)
    scheduled = case_in(Status.SCHEDULED, world)

    client.force_login(world.ult)
    assert client.get(url(waiting, "jadwal.ics")).status_code == 404
    assert client.get(url(scheduled, "jadwal.ics")).status_code == 200

    client.force_login(other_world.ult)
    assert client.get(url(scheduled, "jadwal.ics")).status_code == 404
