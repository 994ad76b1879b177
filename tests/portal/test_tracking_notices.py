"""What the requester sees of steps 3-5 on the tracking page: the office's written notices, the legal
deadline of a public-information request, a cancelled appointment, what was delivered; and what they never
see: the officers' internal thread, the delivery notes, the cost the office bore."""

import re
from datetime import timedelta

import pytest

from jangkau.cases import services as svc
from jangkau.cases.models import RequesterNotice, Status
from jangkau.core import clock
from tests.builders import case_in, make_public_information, perform, reload
from tests.portal.test_tracking_pages import case_url, open_case

pytestmark = pytest.mark.django_db

EXTENSION_NOTICE = "Jawaban kami kirim 7 hari kerja lagi"
CANCEL_NOTICE = "Jadwal dibatalkan; kami akan menghubungi Anda lagi"


def page(client, case, action: str = "") -> str:
    response = client.get(case_url(case, action))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading: str) -> str:
    """Returns the page from the h2 ``heading`` up to the next h2 (empty when the heading is absent)."""
    match = re.search(rf"<h2[^>]*>{re.escape(heading)}</h2>(.*?)(?=<h2|$)", html, re.S)
    return match.group(1) if match else ""


def text(html: str) -> str:
    """The words of ``html`` as read aloud: inline tags vanish, block tags separate."""
    inline = re.sub(r"</?(strong|time)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline)).strip()


# --- notices ---------------------------------------------------------------------------------------------


def test_notices_show_newest_first_with_their_kind_date_and_body(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)
    perform("extend_information_deadline", case, world)
    clock.advance(timedelta(days=1, hours=2))
    perform("cancel_appointment", reload(case), world)
    open_case(client, case)

    notices = section(page(client, case), "Pemberitahuan dari kantor")

    words = text(notices)
    assert words.index("Pembatalan jadwal layanan") < words.index("Pemberitahuan perpanjangan waktu")
    assert "Selasa, 7 Januari 2025, 10.00 WIB " + CANCEL_NOTICE in words
    assert "Senin, 6 Januari 2025, 08.00 WIB " + EXTENSION_NOTICE in words
    assert notices.count("<h3>") == 2


def test_notice_dates_follow_the_office_s_time_zone(client, world, frozen):
    world.office.time_zone = "Asia/Jayapura"
    world.office.save()
    case = case_in(Status.WITH_PPID, world)
    perform("extend_information_deadline", case, world)
    open_case(client, case)

    assert "Senin, 6 Januari 2025, 10.00 WIT" in text(section(page(client, case), "Pemberitahuan dari kantor"))


def test_the_extension_notice_stands_out_until_the_request_is_answered(client, world, frozen):
    """The notice of UU 14/2008 art. 22(7) is a callout while an answer is owed; a plain notice after."""
    case = case_in(Status.SCHEDULED, world)
    perform("extend_information_deadline", case, world)
    open_case(client, case)

    assert 'class="tracking-notice callout"' in page(client, case)

    perform("deliver", reload(case), world)
    html = page(client, case)
    assert 'class="tracking-notice callout"' not in html
    assert 'class="tracking-notice"' in html and EXTENSION_NOTICE in html


def test_a_cancellation_notice_is_never_the_prominent_one(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)
    perform("cancel_appointment", case, world)
    open_case(client, case)

    html = page(client, case)

    assert CANCEL_NOTICE in html
    assert 'class="tracking-notice"' in html and 'callout"' not in section(html, "Pemberitahuan dari kantor")


def test_a_case_without_notices_has_no_notice_section(client, world, frozen):
    case = case_in(Status.WITH_PPID, world)
    open_case(client, case)

    assert "Pemberitahuan dari kantor" not in page(client, case)


def test_a_notice_does_not_name_the_officer_who_sent_it(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)
    perform("extend_information_deadline", case, world, actor=world.ppid)
    perform("cancel_appointment", reload(case), world)
    open_case(client, case)

    html = page(client, case)

    assert RequesterNotice.objects.filter(case=case).count() == 2
    for officer in (world.ult, world.ppid):
        assert officer.username not in html and officer.first_name not in html


def test_a_notice_s_markup_is_escaped(client, world, frozen):
    case = case_in(Status.WITH_PPID, world)
    make_public_information(case, world)
    svc.case_extend_information_deadline(
        case=case, actor=world.ult, days=3, reason="Data tersebar", notice="<b>Baris satu</b>\nBaris dua"
    )
    open_case(client, case)

    html = page(client, case)

    assert "&lt;b&gt;Baris satu&lt;/b&gt;<br>Baris dua" in html


# --- the legal deadline ----------------------------------------------------------------------------------


def test_a_public_information_request_shows_its_legal_deadline(client, world, frozen):
    """Received Monday 6 January: 10 working days later is Monday 20 January."""
    case = case_in(Status.WITH_PPID, world)
    make_public_information(case, world)
    open_case(client, case)

    words = text(section(page(client, case), "Batas waktu jawaban"))

    assert "Permohonan informasi publik wajib dijawab paling lambat Senin, 20 Januari 2025." in words
    assert "diperpanjang" not in words
    assert "sudah dijawab" not in words
    assert "keberatan" not in words


def test_a_deadline_passed_without_an_answer_tells_the_requester_of_the_right_to_object(client, world, frozen):
    case = case_in(Status.WITH_PPID, world)
    make_public_information(case, world)
    clock.advance(timedelta(days=15))  # past Monday 20 January
    open_case(client, case)

    words = text(section(page(client, case), "Batas waktu jawaban"))

    assert "sudah lewat tanpa jawaban" in words and "keberatan" in words


def test_an_extended_deadline_says_by_how_many_working_days(client, world, frozen):
    """Seven more working days after 20 January, skipping Isra Mi'raj (27), cuti bersama (28) and Imlek (29)."""
    case = case_in(Status.WITH_PPID, world)
    perform("extend_information_deadline", case, world)
    open_case(client, case)

    words = text(section(page(client, case), "Batas waktu jawaban"))

    assert (
        "Permohonan informasi publik wajib dijawab paling lambat Senin, 3 Februari 2025 (diperpanjang 7 hari kerja)."
        in words
    )
    assert "Kantor sudah mengirim pemberitahuan tertulis tentang perpanjangan ini." in words
    assert '<a href="#pemberitahuan">' in page(client, case)


def test_an_answered_request_says_when_it_was_answered(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)
    perform("extend_information_deadline", case, world)
    clock.advance(timedelta(days=2, hours=3))
    perform("deliver", reload(case), world)
    open_case(client, case)

    words = text(section(page(client, case), "Batas waktu jawaban"))

    assert "paling lambat Senin, 3 Februari 2025 (diperpanjang 7 hari kerja)." in words
    assert "Permohonan Anda sudah dijawab pada Rabu, 8 Januari 2025, 11.00 WIB." in words


def test_a_refusal_is_an_answer_too(client, world, frozen):
    case = case_in(Status.SUBMITTED, world)
    make_public_information(case, world)
    perform("reject", reload(case), world)
    open_case(client, case)

    words = text(section(page(client, case), "Batas waktu jawaban"))

    assert "Permohonan Anda sudah dijawab pada Senin, 6 Januari 2025, 08.00 WIB." in words


def test_a_request_withdrawn_before_its_answer_shows_no_deadline(client, world, frozen):
    case = case_in(Status.WITH_PPID, world)
    make_public_information(case, world)
    perform("cancel", reload(case), world)
    open_case(client, case)

    assert "Batas waktu jawaban" not in page(client, case)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.WITH_PPID, Status.SCHEDULED, Status.DELIVERED])
def test_other_services_show_no_legal_deadline(client, world, frozen, status):
    case = case_in(status, world)
    assert case.information_due_at is None
    open_case(client, case)

    html = page(client, case)

    assert "Batas waktu jawaban" not in html and "informasi publik" not in html


# --- a cancelled appointment -----------------------------------------------------------------------------


def test_a_cancelled_appointment_is_not_shown_as_the_current_one(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)
    open_case(client, case)
    assert "Kunjungan ke rumah atau tempat saya" in section(page(client, case), "Jadwal layanan")

    perform("cancel_appointment", case, world)
    html = page(client, case)

    schedule = section(html, "Jadwal layanan")
    assert "Jadwal pada Selasa, 7 Januari 2025, 08.00 WIB dibatalkan dan tidak berlaku lagi." in text(schedule)
    assert "Petugas akan menghubungi Anda lagi" in schedule
    # No date/time/mode table of a current appointment, and nothing to reschedule.
    assert "summary-list" not in schedule and "Cara layanan" not in schedule
    assert case_url(case, "jadwal-ulang/") not in html
    assert "Jadwal layanan Anda dibatalkan." in html
    assert "Layanan Anda sudah siap." not in html
    # The officer's reason stays inside the office; the notice is what the requester reads.
    assert "Petugas sakit" not in html and CANCEL_NOTICE in html


def test_after_a_cancelled_appointment_step_5_waits_for_the_next_one(client, world, frozen):
    """Step 5 did not end: the timeline shows step 4 running again and step 5 waiting, never "Selesai" or
    "permohonan dibatalkan" (the request itself goes on)."""
    case = case_in(Status.SCHEDULED, world)
    perform("cancel_appointment", case, world)
    open_case(client, case)

    html = page(client, case)

    steps = re.findall(r'class="timeline__item timeline__item--(\w+)"', html)
    assert steps == ["done", "done", "done", "now", "next", "next", "next", "next"]
    assert "Jadwal dibatalkan, menunggu jadwal baru" in html
    assert "Dihentikan karena permohonan dibatalkan" not in html


def test_a_new_appointment_after_a_cancelled_one_is_the_current_one(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)
    perform("cancel_appointment", case, world)
    case = reload(case)
    svc.case_schedule(case=case, actor=world.ult, starts_at=clock.now() + timedelta(days=3), mode="video_call")
    open_case(client, case)

    html = page(client, case)

    schedule = text(section(html, "Jadwal layanan"))
    assert "Kamis, 9 Januari 2025" in schedule and "Panggilan video" in schedule
    assert "dibatalkan" not in schedule
    assert "Jadwal dibatalkan, menunggu jadwal baru" not in html
    # The notice of the earlier cancellation stays on record.
    assert CANCEL_NOTICE in html


def test_a_request_withdrawn_while_scheduled_still_says_it_was_withdrawn(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)
    perform("cancel", case, world)
    open_case(client, case)

    html = page(client, case)

    assert "Dihentikan karena permohonan dibatalkan" in html
    assert "Jadwal dibatalkan, menunggu jadwal baru" not in html


# --- delivery --------------------------------------------------------------------------------------------


def delivered(world, **kwargs):
    case = case_in(Status.SCHEDULED, world)
    svc.case_deliver(
        case=case,
        actor=world.ult,
        notes=kwargs.pop("notes", "Catatan petugas: pemohon agak kesulitan membaca, dibantu tetangga"),
        **kwargs,
    )
    return reload(case)


def test_delivery_shows_what_the_requester_received_and_that_it_was_free(client, world, frozen):
    case = delivered(
        world,
        mode="courier",
        documents_handed_over="Rapor mutu SD 2025 (cetak)\nSalinan data kelulusan",
        office_cost=150_000,
        office_cost_note="Ongkos kurir JNE",
    )
    open_case(client, case)

    html = page(client, case)
    received = section(html, "Layanan yang Anda terima")

    words = text(received)
    assert "Diberikan Senin, 6 Januari 2025, 08.00 WIB" in words
    assert "Dokumen yang diserahkan Rapor mutu SD 2025 (cetak) Salinan data kelulusan" in words
    assert "Rapor mutu SD 2025 (cetak)<br>Salinan data kelulusan" in received
    assert "Layanan ini gratis, termasuk pengiriman dokumen." in words
    for internal in ("150.000", "150000", "150,000", "Ongkos kurir", "kesulitan membaca", "Rapor mutu 2025"):
        assert internal not in html, internal


def test_delivery_without_documents_still_says_it_was_free(client, world, frozen):
    case = delivered(world)
    open_case(client, case)

    words = text(section(page(client, case), "Layanan yang Anda terima"))

    assert "Dokumen yang diserahkan" not in words
    assert "Layanan ini gratis, termasuk pengiriman dokumen." in words


@pytest.mark.parametrize("status", [Status.WITH_PPID, Status.READY_TO_SCHEDULE, Status.SCHEDULED])
def test_nothing_is_said_of_delivery_before_it(client, world, frozen, status):
    case = case_in(status, world)
    open_case(client, case)

    assert "Layanan yang Anda terima" not in page(client, case)


def test_delivery_stays_on_the_page_until_the_case_closes(client, world, frozen):
    case = case_in(Status.CLOSED, world)
    open_case(client, case)

    assert "Layanan ini gratis, termasuk pengiriman dokumen." in page(client, case)


# --- the internal thread ---------------------------------------------------------------------------------

SECRET = "CATATAN-INTERNAL-7Q9 jangan sampai pemohon tahu"


@pytest.mark.parametrize(
    "status", [Status.AWAITING_INFO, Status.WITH_PPID, Status.READY_TO_SCHEDULE, Status.SCHEDULED, Status.DELIVERED]
)
def test_the_internal_thread_never_reaches_any_tracking_page(client, world, frozen, status):
    case = case_in(status, world)
    svc.case_add_note(case=case, actor=world.ppid, body=SECRET)
    svc.case_add_note(case=reload(case), actor=world.ult, body="Balasan ULT: " + SECRET)
    assert reload(case).notes.count() == 2

    lookup = client.post("/lacak/", {"nomor": case.registration_number, "kode": case.tracking_code}, follow=True)
    pages = [lookup.content.decode(), client.get("/lacak/").content.decode()]
    for action in ("", "kirim-data/", "jadwal-ulang/", "batalkan/"):
        pages.append(client.get(case_url(case, action), follow=True).content.decode())

    assert any("Permohonan " + case.registration_number in html for html in pages)
    for html in pages:
        assert "CATATAN-INTERNAL-7Q9" not in html
        assert "Balasan ULT" not in html


# --- the calendar file --------------------------------------------------------------------------------------


def test_the_requester_saves_the_appointment_to_their_calendar(client, world, frozen):
    import icalendar

    case = case_in(Status.SCHEDULED, world)
    open_case(client, case)
    assert case_url(case, "jadwal.ics") in client.get(case_url(case)).content.decode()

    response = client.get(case_url(case, "jadwal.ics"))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["summary"]) == f"Layanan {case.service_type.name} dari {world.office.name}"
    assert event.decoded("dtstart") == case.appointments.get().starts_at
    description = str(event["description"])
    assert case.registration_number in description and "gratis" in description
    # Nothing the calendar's servers should hold: no phone, no identity number, no officer's name.
    assert "+62" not in description and "3171" not in description and world.ult.first_name not in description


def test_no_calendar_file_without_an_appointment_or_for_another_browser(client, world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    scheduled = case_in(Status.SCHEDULED, world)
    open_case(client, case)

    assert client.get(case_url(case, "jadwal.ics")).status_code == 404
    assert client.get(case_url(scheduled, "jadwal.ics")).status_code == 404  # this browser was not granted it
