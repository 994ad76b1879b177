"""The absence pages in a real browser: axe-clean (the form, its error state and the list), and the head
records an absence with the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from jangkau.cases.models import Status
from tests.builders import case_in

from .staff_login import sign_in as staff_sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def open_case(transactional_db, world, frozen):
    return case_in(Status.ACCEPTED, world)


def sign_in(page, username):
    staff_sign_in(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")


def test_the_head_records_an_absence_with_the_keyboard_alone(page, world, open_case, axe):
    """Nav → list → form; an empty form brings the error summary; answered by keyboard, the case moves."""
    sign_in(page, world.head.username)
    page.get_by_role("link", name="Ketidakhadiran", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ketidakhadiran dan surat penugasan")
    page.get_by_role("link", name="Catat ketidakhadiran").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Catat ketidakhadiran petugas")

    # Sent empty: the error summary takes focus and links to the first question.
    page.get_by_role("button", name="Catat dan buat surat penugasan").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile("^Galat: "))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Petugas ULT mana yang tidak hadir?")).to_be_focused()

    page.keyboard.press("ArrowDown")  # the first officer: world.ult
    page.keyboard.press("Tab")
    expect(page.get_by_role("radio", name="Cuti")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mulai tanggal berapa?")).to_be_focused()
    page.keyboard.type("07/01/2025")
    page.keyboard.press("Tab")
    page.keyboard.type("10/01/2025")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Siapa yang menggantikan?")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # the second officer: world.ult2
    page.keyboard.press("Tab")
    page.keyboard.type("Cuti tahunan")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Catat dan buat surat penugasan")).to_be_focused()
    page.keyboard.press("Enter")

    # The live server runs on the real clock, so the letter's year is today's.
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Surat penugasan 001/ULT/ST/\d{4} dibuat"))
    expect(page.get_by_role("main")).to_contain_text(open_case.registration_number)
    open_case.refresh_from_db()
    assert open_case.assigned_to == world.ult2
    axe.assert_no_violations()
    assert len(axe.checked) >= 5


def test_the_form_works_at_320_px_without_javascript(new_page, world, open_case):
    """The form and its error state fit a 320 px screen with scripts off."""
    page = new_page(java_script_enabled=False, viewport={"width": 320, "height": 640})
    sign_in(page, world.head.username)
    page.goto("/staf/ketidakhadiran/baru/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_label("Apa alasan penugasan ini?").fill("Dinas luar")
    page.get_by_role("button", name="Catat dan buat surat penugasan").click()
    expect(page.locator(".error-summary")).to_contain_text("Pilih petugas yang tidak hadir")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
