"""Tracking in a real browser: the lookup, the case page in several statuses and each action page pass
axe-core (error states included); the lookup works with the keyboard alone and without JavaScript; nothing
scrolls sideways at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from jangkau.cases import services as svc
from jangkau.cases.models import Case, RequesterMessage, Status
from tests.builders import case_in, perform, reload

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def make_case(transactional_db, world):
    """Returns a function that walks a new case of ``world`` into a status through the real services."""
    return lambda status: case_in(status, world)


def look_up(page, case, code=None):
    page.goto(f"/lacak/?nomor={case.registration_number}")
    page.get_by_label("Apa kode lacak Anda?").fill(code or case.tracking_code)
    page.get_by_role("button", name="Lihat permohonan").click()


def open_case(page, case):
    look_up(page, case)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Permohonan {case.registration_number}")


def tab_to(page, locator, limit=40):
    """Presses Tab until ``locator`` has focus; fails when it is not reached within ``limit`` presses."""
    handle = locator.element_handle()
    for _ in range(limit):
        if page.evaluate("(el) => document.activeElement === el", handle):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {locator}")


def test_the_lookup_and_its_error_states_have_no_axe_violations(page, axe, make_case):
    """Empty fields, then a wrong code: the error summary takes focus and names the problem once."""
    case = make_case(Status.SUBMITTED)
    page.goto("/lacak/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lacak permohonan")

    page.get_by_role("button", name="Lihat permohonan").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary li")).to_have_count(2)
    expect(page).to_have_title(re.compile("^Galat: "))

    look_up(page, case, code="ABCD-EFGH-JK")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary li")).to_have_text(
        ["Nomor registrasi atau kode lacak tidak cocok. Periksa keduanya lalu coba lagi."]
    )
    expect(page.get_by_label("Apa kode lacak Anda?")).to_have_attribute("aria-invalid", "true")
    axe.assert_no_violations()
    assert len(axe.checked) >= 3


def test_the_lookup_works_with_the_keyboard_alone(page, axe, make_case):
    """From the top of the page: Tab to each field, type, Enter; then the case page, and leaving it."""
    case = make_case(Status.SUBMITTED)
    page.goto("/lacak/")

    tab_to(page, page.get_by_label("Apa nomor registrasi permohonan Anda?"))
    page.keyboard.type(case.registration_number.lower())
    page.keyboard.press("Tab")
    expect(page.get_by_label("Apa kode lacak Anda?")).to_be_focused()
    code = case.tracking_code
    page.keyboard.type(f"{code[:4]}-{code[4:8]}-{code[8:]}")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Permohonan {case.registration_number}")
    tab_to(page, page.get_by_role("button", name="Keluar"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lacak permohonan")
    expect(page.get_by_role("alert")).to_contain_text("Anda sudah keluar dari permohonan ini di perangkat ini.")
    axe.assert_no_violations()


@pytest.mark.parametrize(
    "status",
    [Status.SUBMITTED, Status.AWAITING_INFO, Status.SCHEDULED, Status.DELIVERED, Status.REJECTED, Status.CANCELLED],
)
def test_the_case_page_has_no_axe_violations(page, axe, make_case, status):
    case = make_case(status)

    open_case(page, case)

    expect(page.locator(".timeline li")).to_have_count(8)
    expect(page.get_by_role("main")).to_contain_text(case.get_status_display())
    axe.assert_no_violations()
    assert axe.checked


def test_sending_missing_data_with_a_file_and_its_error_states(page, axe, make_case, tmp_path):
    case = make_case(Status.AWAITING_INFO)
    open_case(page, case)
    page.get_by_role("link", name="Kirim data yang diminta").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirim data yang diminta")
    expect(page.get_by_role("main")).to_contain_text("Foto KTP")

    bad = tmp_path / "surat.pdf"
    bad.write_bytes(b"bukan pdf")
    page.get_by_label("Lampirkan berkas (opsional)").set_input_files(str(bad))
    page.get_by_role("button", name="Kirim data").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary li")).to_have_count(2)

    good = tmp_path / "ktp.pdf"
    good.write_bytes(PDF)
    page.get_by_label("Apa data yang diminta petugas?").fill("Foto KTP terlampir")
    page.get_by_label("Lampirkan berkas (opsional)").set_input_files(str(good))
    page.get_by_role("button", name="Kirim data").click()

    expect(page.get_by_role("alert")).to_contain_text("Data Anda sudah terkirim")
    expect(page.get_by_role("main")).to_contain_text("Diajukan")
    assert Case.objects.get(pk=case.pk).documents.count() == 1
    axe.assert_no_violations()


def test_asking_for_another_appointment_and_its_error_state(page, axe, make_case):
    case = make_case(Status.SCHEDULED)
    open_case(page, case)
    page.get_by_role("link", name="Minta jadwal ulang").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Minta jadwal ulang")

    page.get_by_role("button", name="Kirim permintaan").click()
    expect(page.locator(".error-summary")).to_contain_text("Tuliskan mengapa jadwal perlu diubah.")

    page.get_by_label("Mengapa jadwal perlu diubah?").fill("Saya harus kontrol ke rumah sakit")
    page.get_by_label("Kapan Anda dapat dilayani? (opsional)").fill("Kamis pagi")
    page.get_by_role("button", name="Kirim permintaan").click()

    expect(page.get_by_role("alert")).to_contain_text("Permintaan jadwal ulang Anda sudah terkirim")
    assert RequesterMessage.objects.get(case=case).preferred_times == "Kamis pagi"
    axe.assert_no_violations()


def test_cancelling_and_its_error_state(page, axe, make_case):
    case = make_case(Status.WITH_PPID)
    open_case(page, case)
    page.get_by_role("link", name="Batalkan permohonan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Batalkan permohonan")

    page.get_by_role("button", name="Batalkan permohonan").click()
    expect(page.locator(".error-summary")).to_contain_text("Tuliskan alasan pembatalan.")

    page.get_by_label("Mengapa Anda membatalkan permohonan?").fill("Sudah tidak perlu")
    page.get_by_role("button", name="Batalkan permohonan").click()

    expect(page.get_by_role("alert")).to_contain_text("Permohonan Anda sudah dibatalkan.")
    expect(page.get_by_role("link", name="Batalkan permohonan")).to_have_count(0)
    assert Case.objects.get(pk=case.pk).status == Status.CANCELLED
    axe.assert_no_violations()


def test_tracking_works_without_javascript(new_page, axe, make_case):
    """Lookup, a wrong code, the case page and an action, all with scripts off."""
    case = make_case(Status.AWAITING_INFO)
    page = new_page(java_script_enabled=False)

    look_up(page, case, code="ABCDEFGHJK")
    expect(page.locator(".error-summary")).to_be_visible()
    page.get_by_label("Apa kode lacak Anda?").fill(case.tracking_code)
    page.get_by_role("button", name="Lihat permohonan").click()
    page.get_by_role("link", name="Kirim data yang diminta").click()
    page.get_by_label("Apa data yang diminta petugas?").fill("Foto KTP saya titipkan di kelurahan")
    page.get_by_role("button", name="Kirim data").click()

    expect(page.get_by_role("alert")).to_contain_text("Data Anda sudah terkirim")
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED
    axe.assert_no_violations()


def test_no_page_scrolls_sideways_at_320px(new_page, axe, make_case):
    case = make_case(Status.SCHEDULED)
    page = new_page(viewport=NARROW)

    def fits():
        return page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]

    page.goto("/lacak/")
    page.get_by_role("button", name="Lihat permohonan").click()
    assert fits(), "lookup with errors"
    open_case(page, case)
    assert fits(), "case page"
    page.get_by_role("link", name="Minta jadwal ulang").click()
    page.get_by_role("button", name="Kirim permintaan").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert fits(), "reschedule page with errors"
    page.goto(f"/lacak/{case.registration_number}/batalkan/")
    assert fits(), "cancel page"
    awaiting = make_case(Status.AWAITING_INFO)
    open_case(page, awaiting)
    page.get_by_role("link", name="Kirim data yang diminta").click()
    page.get_by_role("button", name="Kirim data").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert fits(), "missing data page with errors"
    axe.assert_no_violations()


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_notices_a_legal_deadline_and_a_cancelled_appointment(new_page, axe, make_case, world):
    """A public-information request whose deadline was extended, then whose appointment the office called
    off: both notices (newest first, the legal one standing out), the deadline, no current appointment; at
    320 px nothing scrolls sideways, and the link to the notices works from the keyboard."""
    case = make_case(Status.SCHEDULED)
    perform("extend_information_deadline", case, world)
    perform("cancel_appointment", reload(case), world)
    page = new_page(viewport=NARROW)

    open_case(page, case)

    main = page.get_by_role("main")
    expect(main).to_contain_text("Jadwal layanan Anda dibatalkan.")
    expect(main).to_contain_text("Permohonan informasi publik wajib dijawab paling lambat")
    expect(main).to_contain_text("(diperpanjang 7 hari kerja)")
    expect(page.get_by_role("heading", name="Pemberitahuan dari kantor", level=2)).to_be_visible()
    expect(page.get_by_role("heading", level=3)).to_have_text(
        ["Pembatalan jadwal layanan", "Pemberitahuan perpanjangan waktu"]
    )
    expect(page.locator(".tracking-notice.callout")).to_contain_text("Jawaban kami kirim 7 hari kerja lagi")
    expect(main).to_contain_text("dibatalkan dan tidak berlaku lagi")
    expect(page.get_by_role("link", name="Minta jadwal ulang")).to_have_count(0)
    expect(main).not_to_contain_text("Petugas sakit")
    assert fits(page), "case page with notices"

    tab_to(page, page.get_by_role("link", name="pemberitahuan tertulis"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#pemberitahuan$"))
    axe.assert_no_violations()
    assert axe.checked


def test_a_delivered_public_information_request_without_javascript(new_page, axe, make_case, world):
    """What was handed over, that it was free, when the request was answered; never the office's cost."""
    case = make_case(Status.SCHEDULED)
    perform("extend_information_deadline", case, world)
    svc.case_deliver(
        case=reload(case),
        actor=world.ult,
        notes="Diserahkan di rumah",
        documents_handed_over="Rapor mutu SD 2025 (cetak)",
        office_cost=75_000,
    )
    page = new_page(viewport=NARROW, java_script_enabled=False)

    open_case(page, case)

    main = page.get_by_role("main")
    expect(main).to_contain_text("Rapor mutu SD 2025 (cetak)")
    expect(main).to_contain_text("Layanan ini gratis, termasuk pengiriman dokumen.")
    expect(main).to_contain_text("Permohonan Anda sudah dijawab pada")
    expect(main).not_to_contain_text("75.000")
    expect(page.locator(".tracking-notice.callout")).to_have_count(0)
    assert fits(page), "delivered case page"
    axe.assert_no_violations()
    assert axe.checked
