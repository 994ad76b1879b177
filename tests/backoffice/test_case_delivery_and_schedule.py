"""The case page's steps 4 and 5 beyond the plain forms: the appointment's officers and accommodations (on
the page and in the calendar file), cancelling an appointment with a notice, the delivery record (mode,
documents handed over, the office's cost, the proof), who held the case when, and the contact days."""

import io

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jangkau.cases import services as svc
from jangkau.cases.models import CaseDocument, RequesterNotice, Status
from jangkau.scheduling.models import Appointment
from tests.backoffice.test_case_steps import events_of, take, url
from tests.builders import add_failed_attempts, case_in, make_staff

pytestmark = pytest.mark.django_db

SCHEDULE = {"date": "08/01/2025", "time": "10:30", "mode": "visit", "place": "Balai RW 02 Cempaka Putih"}


def section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    end = page.find("<h2", start)
    return page[start : end if end != -1 else len(page)]


def checked_values(page: str, name: str) -> set[str]:
    """Returns the values of the checked checkboxes named ``name`` in a rendered form."""
    import re

    return set(re.findall(rf'<input type="checkbox" name="{name}" value="([^"]+)"[^>]*checked', page))


def png_upload(name="tanda-terima.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- the appointment's team ---------------------------------------------------------------------------------


def test_the_schedule_form_ticks_the_user_and_the_requesters_accommodations(client, world, frozen):
    """The officers offered are the office's active ULT officers and PPID members; the user and what the
    requester asked for (a wheelchair) are ticked when the form opens."""
    case = case_in(Status.READY_TO_SCHEDULE, world)
    retired = make_staff(world.office, "ult_officer", "ult-pensiun")
    retired.is_active = False
    retired.save()
    client.force_login(world.ult)

    page = client.get(url(case, "jadwalkan/")).content.decode()

    assert checked_values(page, "officers") == {str(world.ult.pk)}
    assert checked_values(page, "accommodations") == {"wheelchair"}
    for offered in (world.ult, world.ult2, world.ppid):
        assert f'name="officers" value="{offered.pk}"' in page
    for absent in (retired, world.head, world.admin):
        assert f'name="officers" value="{absent.pk}"' not in page
    assert "(Tim PPID)" in page


def test_scheduling_records_the_team_and_the_page_and_calendar_show_them(client, world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    world.ppid.first_name, world.ppid.last_name = "Dewi", "Lestari"
    world.ppid.save()
    client.force_login(world.ult)

    response = take(
        client,
        case,
        "jadwalkan",
        {**SCHEDULE, "officers": [world.ult.pk, world.ppid.pk], "accommodations": ["sign_language", "large_print"]},
    )

    assert response.status_code == 302
    appointment = Appointment.objects.get(case=case)
    assert set(appointment.officers.all()) == {world.ult, world.ppid}
    assert appointment.accommodations == ["sign_language", "large_print"]
    page = client.get(url(case)).content.decode()
    schedule = section(page, "jadwal")
    for shown in (
        "Dewi Lestari",
        "Juru bahasa isyarat",
        "Dokumen cetak huruf besar",
        "/staf/jadwal/?tanggal=2025-01-08",
    ):
        assert shown in schedule
    event = icalendar.Calendar.from_ical(client.get(url(case, "jadwal.ics")).content).walk("VEVENT")[0]
    description = str(event["description"])
    assert "Dewi Lestari" in description and "Juru bahasa isyarat" in description
    assert "Kunjungan" in description


def test_an_officer_of_another_office_cannot_be_put_on_the_team(client, world, other_world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.ult)

    response = take(client, case, "jadwalkan", {**SCHEDULE, "officers": [other_world.ult.pk]})

    assert response.status_code == 200
    assert response.content.decode().count("Pilih petugas dari daftar") >= 2
    case.refresh_from_db()
    assert case.status == Status.READY_TO_SCHEDULE and not Appointment.objects.exists()


def test_the_reschedule_form_starts_from_the_current_team_and_keeps_it(client, world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.ult)
    take(client, case, "jadwalkan", {**SCHEDULE, "officers": [world.ppid.pk], "accommodations": ["braille"]})
    case.refresh_from_db()

    form = client.get(url(case, "jadwal-ulang/")).content.decode()
    assert checked_values(form, "officers") == {str(world.ppid.pk)}
    assert checked_values(form, "accommodations") == {"braille"}

    take(
        client,
        case,
        "jadwal-ulang",
        {**SCHEDULE, "date": "09/01/2025", "reason": "Pemohon sakit", "accommodations": ["braille"]},
    )

    current = Appointment.objects.get(case=case, superseded_at__isnull=True)
    assert list(current.officers.all()) == [world.ppid]
    assert current.accommodations == ["braille"]


def test_a_colleague_cannot_schedule_a_case_someone_else_holds(client, world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)  # held by world.ult
    client.force_login(world.ult2)

    response = take(client, case, "jadwalkan", SCHEDULE)

    assert response.status_code == 302
    assert "dipegang" in client.get(url(case)).content.decode()
    assert not Appointment.objects.exists()


# --- cancelling the appointment -------------------------------------------------------------------------------


def test_cancelling_the_appointment_returns_to_contact_and_tells_the_requester(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)
    client.force_login(world.ult)
    page = client.get(url(case)).content.decode()
    assert f'class="button button--secondary" href="{url(case, "batalkan-jadwal/")}"' in page
    form = client.get(url(case, "batalkan-jadwal/")).content.decode()
    assert "Jadwal sekarang" in form and "Selasa, 7 Januari 2025 08:00" in form  # the appointment called off
    count = len(events_of(case))

    response = take(
        client,
        case,
        "batalkan-jadwal",
        {"reason": "Petugas sakit", "notice": "Jadwal Rabu dibatalkan; kami akan menelepon Anda untuk jadwal baru."},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.READY_TO_SCHEDULE
    assert events_of(case)[count:] == ["case.cancel_appointment"]
    appointment = Appointment.objects.get(case=case)
    assert appointment.superseded_at is not None and appointment.cancellation_reason == "Petugas sakit"
    notice = RequesterNotice.objects.get(case=case)
    assert notice.kind == RequesterNotice.Kind.APPOINTMENT_CANCELLED
    page = client.get(url(case)).content.decode()
    assert "Belum ada jadwal layanan." in page
    notices = section(page, "pemberitahuan")
    assert "Pembatalan jadwal layanan" in notices and "kami akan menelepon Anda" in notices
    assert url(case, "jadwalkan/") in page


@pytest.mark.parametrize(
    ("answers", "messages"),
    [
        ({"reason": "Petugas sakit"}, ["Tuliskan pemberitahuan untuk pemohon"]),
        ({}, ["Tuliskan alasan pembatalan jadwal", "Tuliskan pemberitahuan untuk pemohon"]),
    ],
)
def test_cancelling_without_a_notice_comes_back_with_the_error(client, world, frozen, answers, messages):
    case = case_in(Status.SCHEDULED, world)
    client.force_login(world.ult)

    response = take(client, case, "batalkan-jadwal", answers)

    page = response.content.decode()
    assert response.status_code == 200 and "<title>Galat: " in page
    for message in messages:
        assert page.count(message) >= 2
    case.refresh_from_db()
    assert case.status == Status.SCHEDULED and not RequesterNotice.objects.exists()


# --- the delivery record --------------------------------------------------------------------------------------


def test_the_delivery_form_starts_from_the_agreed_mode_and_no_cost(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)  # agreed: a visit
    client.force_login(world.ult)

    page = client.get(url(case, "serahkan/")).content.decode()

    assert '<input type="radio" name="mode" value="visit" class="intake-choices" id="id_mode_0" checked>' in page
    assert 'name="office_cost" value="0"' in page
    assert "pemohon tidak pernah dikenai biaya" in page
    assert 'enctype="multipart/form-data"' in page


def test_delivery_records_how_what_the_documents_the_cost_and_the_proof(client, world, frozen):
    """The mode, the documents handed over, the cost written "Rp 25.000", its note and a PNG proof are kept;
    the page shows them; the proof opens through the logged personal-data view, not the result link."""
    case = case_in(Status.SCHEDULED, world)
    client.force_login(world.ult)
    count = len(events_of(case))

    response = take(
        client,
        case,
        "serahkan",
        {
            "mode": "courier",
            "notes": "Rekap data mutu diantar kurir",
            "documents_handed_over": "1 rekap data mutu SD, cetak huruf besar",
            "office_cost": "Rp 25.000",
            "office_cost_note": "Kurir ke Cempaka Putih",
            "proof": png_upload(),
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.DELIVERED
    assert events_of(case)[count:] == ["case.deliver"]
    assert (case.delivery_mode, case.office_cost, case.office_cost_note) == ("courier", 25000, "Kurir ke Cempaka Putih")
    assert case.documents_handed_over == "1 rekap data mutu SD, cetak huruf besar"
    proof = case.documents.get(kind=CaseDocument.Kind.DELIVERY_PROOF)
    assert proof.filename == "tanda-terima.png"

    page = client.get(url(case)).content.decode()
    delivery = section(page, "penyerahan")
    for shown in (
        "Dokumen dikirim lewat kurir atau pos",
        "Rekap data mutu diantar kurir",
        "1 rekap data mutu SD, cetak huruf besar",
        "Rp25.000",
        "Kurir ke Cempaka Putih",
        "Pemohon tidak dikenai biaya.",
        "tanda-terima.png",
        "Data pribadi",
    ):
        assert shown in delivery, shown
    assert client.get(url(case, f"hasil/{proof.pk}/")).status_code == 404
    download = client.post(url(case, "data-pribadi/"), {"purpose": "Memeriksa tanda terima", "document": proof.pk})
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert events_of(case)[-1] == "case.personal_data_viewed"


def test_delivery_without_a_cost_records_zero_and_the_agreed_mode(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)
    client.force_login(world.ult)

    take(client, case, "serahkan", {"notes": "Diserahkan langsung", "office_cost": ""})

    case.refresh_from_db()
    assert (case.status, case.office_cost, case.delivery_mode) == (Status.DELIVERED, 0, "visit")
    assert "Tidak ada biaya" in section(client.get(url(case)).content.decode(), "penyerahan")


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"office_cost": "-5000"}, "Biaya tidak boleh kurang dari 0"),
        ({"office_cost": "dua puluh ribu"}, "Tuliskan biaya sebagai angka rupiah"),
        ({"office_cost": "1000000000"}, "Biaya terlalu besar"),
        ({"proof": SimpleUploadedFile("bukti.pdf", b"bukan pdf")}, "bukti.pdf: Berkas harus PDF, JPG, atau PNG."),
        ({"mode": "helikopter"}, "Pilih cara layanan"),
    ],
)
def test_a_bad_delivery_answer_comes_back_and_nothing_is_recorded(client, world, frozen, answers, message):
    case = case_in(Status.SCHEDULED, world)
    client.force_login(world.ult)
    count = len(events_of(case))

    response = take(client, case, "serahkan", {"notes": "Diserahkan", **answers})

    page = response.content.decode()
    assert response.status_code == 200 and "<title>Galat: " in page
    assert page.count(message) >= 2
    case.refresh_from_db()
    assert case.status == Status.SCHEDULED and case.delivered_at is None
    assert not CaseDocument.objects.exists()
    assert len(events_of(case)) == count


def test_a_colleague_cannot_deliver_a_case_someone_else_holds(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)
    client.force_login(world.ult2)

    response = take(client, case, "serahkan", {"notes": "Diserahkan", "proof": png_upload()})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.SCHEDULED and not CaseDocument.objects.exists()


def test_another_offices_staff_get_not_found_for_every_new_action(client, world, other_world, frozen):
    scheduled = case_in(Status.SCHEDULED, world)
    client.force_login(other_world.ult)

    for slug in ("batalkan-jadwal", "serahkan", "jadwal-ulang", "catatan", "perpanjang-tenggat"):
        assert client.get(url(scheduled, f"{slug}/")).status_code == 404
        assert take(client, scheduled, slug, {"reason": "x", "notice": "y", "notes": "z"}).status_code == 404
    scheduled.refresh_from_db()
    assert scheduled.status == Status.SCHEDULED


# --- who held the case when, notices, contact days ------------------------------------------------------------


def test_the_page_shows_who_held_the_case_when(client, world, frozen):
    """The ULT officer from acceptance and the PPID member from forwarding; after the head's reassignment the
    first officer's period ends, with the reason, and the new one holds it "sekarang"."""
    case = case_in(Status.WITH_PPID, world)
    world.ult.first_name, world.ult.last_name = "Sari", "Wulandari"
    world.ult.save()
    svc.case_reassign(case=case, actor=world.head, to=world.ult2, reason="Petugas cuti sakit")
    client.force_login(world.head)

    holders = section(client.get(url(case)).content.decode(), "pemegang")

    rows = holders.split("<tr>")[2:]
    assert len(rows) == 3
    assert "Petugas ULT" in rows[0] and "Sari Wulandari" in rows[0] and "Menerima permohonan" in rows[0]
    assert "sekarang" not in rows[0]
    assert "Tim PPID" in rows[1] and str(world.ppid) in rows[1] and "sekarang" in rows[1]
    assert str(world.ult2) in rows[2] and "Dialihkan kepadanya" in rows[2] and "Alasan: Petugas cuti sakit" in rows[2]
    assert "sekarang" in rows[2]


def test_the_contact_section_counts_the_failed_days(client, world, frozen, settings):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.ult)

    assert "gagal dihubungi pada 0 dari 3 hari kerja" in client.get(url(case)).content.decode()

    add_failed_attempts(case, world, 2)
    settings.JANGKAU_UNREACHABLE_AFTER_DAYS = 4
    contact = section(client.get(url(case)).content.decode(), "kontak")
    assert "gagal dihubungi pada 2 dari 4 hari kerja berbeda" in contact
