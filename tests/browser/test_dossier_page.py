"""The case dossier in a real browser: the case page's links and the question of purpose are axe-clean
(errors included), reached and used with the keyboard alone, work without JavaScript and fit 320 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.builders import case_in, make_world

from .staff_login import sign_in as staff_sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    return make_world()


@pytest.fixture
def case(world):
    return case_in("closed", world)


def log_in(page, user, url):
    staff_sign_in(page, user, next_url=url)


def tab_to(page, locator, limit=200):
    handle = locator.element_handle()
    for _ in range(limit):
        if page.evaluate("(el) => document.activeElement === el", handle):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {locator}")


def test_both_dossiers_with_the_keyboard_alone(page, world, case, axe):
    """From the case page: the masked PDF downloads at once; the unmasked one asks why, refuses an empty
    answer with a focused error summary, and downloads once a purpose is given."""
    log_in(page, world.head, f"/staf/kasus/{case.registration_number}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(case.registration_number)

    masked = page.get_by_role("link", name="Unduh berkas kasus (PDF)")
    tab_to(page, masked)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == f"berkas-kasus-{case.registration_number}.pdf"

    tab_to(page, page.get_by_role("link", name=re.compile("^Berkas kasus tanpa samaran")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Unduh berkas kasus tanpa samaran")

    button = page.get_by_role("button", name="Unduh berkas tanpa samaran (PDF)")
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile("^Galat: "))
    expect(page.locator(".error-summary")).to_be_focused()

    field = page.get_by_label("Untuk apa Anda memerlukan berkas kasus tanpa samaran?")
    tab_to(page, field)
    page.keyboard.type("Pemeriksaan Inspektorat")
    tab_to(page, button)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == f"berkas-kasus-{case.registration_number}-lengkap.pdf"
    axe.assert_no_violations()


def test_the_question_works_without_javascript_at_320_px(new_page, world, case, axe):
    page = new_page(java_script_enabled=False, viewport={"width": 320, "height": 640})
    url = f"/staf/kasus/{case.registration_number}/berkas-tanpa-samaran/"
    log_in(page, world.ult, url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Unduh berkas kasus tanpa samaran")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page.get_by_role("button", name="Unduh berkas tanpa samaran (PDF)").click()
    expect(page.get_by_role("heading", name="Ada masalah")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe.assert_no_violations()
