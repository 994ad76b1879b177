"""The notification pages in a real browser: the inbox, the delivery records with a failed message (marked
handled with the keyboard alone, through its error state), the case page's messages, and the message
templates with a preview. Every state is axe-clean; every page works at 320 px without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from jangkau.notifications.models import Message, MessageTemplate, Status

from ..backoffice.test_notification_pages import outgoing
from ..builders import submit
from .staff_login import sign_in as staff_sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def staff(transactional_db, world):
    return world


@pytest.fixture
def failed(staff) -> Message:
    """A new request (so each ULT officer has a notification) whose SMS to the requester failed."""
    return outgoing(staff, case=submit(staff))


def sign_in(page, username):
    staff_sign_in(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")


def fits_320(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_an_officer_marks_a_failed_message_handled_with_the_keyboard_alone(page, staff, failed, axe):
    """From the menu's count to the list, the handled form, its error summary, and back to the list."""
    sign_in(page, staff.ult.username)
    page.get_by_role("link", name="Pesan gagal (1 perlu tindakan)").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pesan keluar")
    expect(page.get_by_role("main")).to_contain_text("Gerbang SMS menjawab 503")

    page.get_by_role("link", name=re.compile("^Sudah ditangani")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tandai pesan sudah ditangani")
    page.get_by_role("button", name="Simpan: sudah ditangani").focus()
    page.keyboard.press("Enter")

    expect(page.locator(".error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile("^Galat: "))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Bagaimana pemohon dikabari?")).to_be_focused()
    page.keyboard.type("Pemohon ditelepon dan sudah tahu permohonannya diterima.")
    page.get_by_role("button", name="Simpan: sudah ditangani").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("tercatat sudah ditangani")
    expect(page.get_by_role("main")).to_contain_text("Tidak ada pesan gagal yang perlu ditangani.")
    expect(page.get_by_role("link", name="Pesan gagal", exact=True)).to_be_visible()
    failed.refresh_from_db()
    assert (failed.handled_by, failed.status) == (staff.ult, Status.FAILED)
    axe.assert_no_violations()


def test_the_inbox_and_sending_again(page, staff, failed, axe):
    sign_in(page, staff.ult.username)
    page.get_by_role("link", name="Pemberitahuan (1 belum dibaca)").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Belum dibaca:")
    page.get_by_role("button", name=re.compile("^Tandai sudah dibaca")).click()
    expect(page.get_by_role("status")).to_contain_text("ditandai sudah dibaca")
    expect(page.get_by_role("link", name="Pemberitahuan", exact=True)).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name=f"Buka kasus {failed.case.registration_number}").click()

    # The case page lists the message and leads to the delivery records of this case.
    expect(page.get_by_role("table", name=re.compile("Pesan otomatis kepada pemohon"))).to_contain_text(
        "Gagal terkirim"
    )
    page.get_by_role("link", name=re.compile("^Tangani")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pesan keluar")
    page.get_by_role("button", name=re.compile("^Kirim ulang")).click()
    expect(page.get_by_role("status")).to_contain_text("dikirim ulang")
    failed.refresh_from_db()
    assert failed.status == Status.PENDING
    axe.assert_no_violations()


# Chromium puts a space before the visually hidden (absolutely positioned) part of the link's name.
EDIT_RECEIVED_EN = re.compile(r"^Ubah ?: Permohonan diterima sistem, English$")


def test_an_administrator_previews_saves_and_resets_a_message_text(page, staff, axe):
    sign_in(page, staff.admin.username)
    page.goto("/staf/pemberitahuan/templat/")
    page.get_by_role("link", name=EDIT_RECEIVED_EN).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Permohonan diterima sistem")
    page.get_by_label("Judul pesan").fill("Request {{ nomor_registrasi }} received")
    page.get_by_role("button", name="Pratinjau").click()

    expect(page.get_by_role("heading", name="Pratinjau")).to_be_focused()
    expect(page.locator('[lang="en"].case-message')).to_contain_text("Request JB-2026-000123 received")
    assert not MessageTemplate.objects.exists()

    page.get_by_label("Isi pesan").fill("Code: {{ kode }}")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Tempat isian tidak dikenal: kode")
    assert not MessageTemplate.objects.exists()

    page.get_by_label("Isi pesan").fill("Code: {{ kode_lacak }}")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("tersimpan")
    assert MessageTemplate.objects.get().subject == "Request {{ nomor_registrasi }} received"

    page.get_by_role("link", name=EDIT_RECEIVED_EN).click()
    page.get_by_role("button", name="Kembalikan ke teks bawaan").click()
    expect(page.get_by_role("status")).to_contain_text("kembali memakai teks bawaan")
    assert not MessageTemplate.objects.exists()
    axe.assert_no_violations()


def test_the_pages_fit_320_px_without_javascript(new_page, staff, failed):
    page = new_page(java_script_enabled=False, viewport={"width": 320, "height": 640})
    sign_in(page, staff.head.username)
    page.goto("/staf/pesan/")
    expect(page.get_by_role("main")).to_contain_text("Gerbang SMS menjawab 503")
    fits_320(page)
    page.goto(f"/staf/pesan/{failed.pk}/tangani/")
    fits_320(page)
    page.get_by_role("button", name="Simpan: sudah ditangani").click()
    expect(page.locator(".error-summary")).to_contain_text("Tuliskan bagaimana pemohon dikabari.")
    fits_320(page)
    page.goto(f"/staf/kasus/{failed.case.registration_number}/")
    fits_320(page)
    page.goto("/staf/pemberitahuan/")
    fits_320(page)

    page = new_page(java_script_enabled=False, viewport={"width": 320, "height": 640})
    sign_in(page, staff.ult.username)
    page.goto("/staf/pemberitahuan/")
    expect(page.get_by_role("main")).to_contain_text("Belum dibaca:")
    fits_320(page)
    page.get_by_role("button", name="Tandai semua sudah dibaca").click()
    expect(page.get_by_role("status")).to_contain_text("ditandai sudah dibaca")
    fits_320(page)

    page = new_page(java_script_enabled=False, viewport={"width": 320, "height": 640})
    sign_in(page, staff.admin.username)
    page.goto("/staf/pemberitahuan/templat/")
    fits_320(page)
    page.goto("/staf/pemberitahuan/templat/scheduled/id/")
    fits_320(page)
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.get_by_role("main")).to_contain_text("Selasa, 7 Januari 2025 pukul 10.00 WIB")
    fits_320(page)
