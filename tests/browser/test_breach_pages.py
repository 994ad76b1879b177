"""The breach pages in a real browser: axe-clean, and an officer explains a late step with the keyboard."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from jangkau.cases import services as svc
from jangkau.core import clock
from tests.builders import submit

from .staff_login import sign_in as staff_sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def late_case(transactional_db, world, frozen):
    case = submit(world)
    clock.advance(timedelta(minutes=20))
    return svc.case_accept(case=case, actor=world.ult)


def sign_in(page, username):
    staff_sign_in(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")


def test_an_officer_explains_a_late_step_with_the_keyboard_alone(page, world, late_case, axe):
    """Dashboard → breach list → explanation form, by keyboard; an empty answer brings the error summary."""
    sign_in(page, world.ult.username)
    page.get_by_role("link", name="Lihat pelanggaran waktu").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pelanggaran waktu")
    page.get_by_role("link", name=re.compile("Jelaskan keterlambatan")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jelaskan keterlambatan")

    page.get_by_role("button", name="Simpan penjelasan").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Mengapa langkah ini melewati waktu standar?")).to_be_focused()
    page.keyboard.type("Loket penuh pagi itu")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Penjelasan keterlambatan tersimpan.")
    expect(page.get_by_role("main")).to_contain_text("Loket penuh pagi itu")
    axe.assert_no_violations()
    assert len(axe.checked) >= 5


def test_the_head_sees_the_breach_list_without_javascript(new_page, world, late_case):
    page = new_page(java_script_enabled=False, viewport={"width": 320, "height": 640})
    sign_in(page, world.head.username)
    page.goto("/staf/pelanggaran-waktu/")

    expect(page.get_by_role("main")).to_contain_text(late_case.registration_number)
    expect(page.get_by_role("main")).to_contain_text("Belum dijelaskan")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
