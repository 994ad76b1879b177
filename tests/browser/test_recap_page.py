"""The recap page in a real browser: axe-clean with results, without results and with errors; filtered
and downloaded with the keyboard alone; working without JavaScript; at 320 px only the table scrolls."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.builders import make_world, perform, submit

from .staff_login import sign_in as staff_sign_in

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
URL = "/staf/rekap/"


@pytest.fixture
def world(transactional_db):
    """An office with its POS and a service; its ULT officer's password is STAFF_PASSWORD."""
    return make_world()


@pytest.fixture
def cases(world):
    """Two requests of the office: one still new, one accepted by the ULT officer."""
    new = submit(world, full_name="Siti Aminah")
    accepted = perform("accept", submit(world, full_name="Wati Lestari", vulnerabilities=["disability_blind"]), world)
    return {"new": new, "accepted": accepted}


def log_in(page, user, url=URL):
    staff_sign_in(page, user, next_url=url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Rekap permohonan")


def tab_to(page, locator, limit=80):
    """Presses Tab until ``locator`` has focus; fails when it is not reached within ``limit`` presses."""
    handle = locator.element_handle()
    for _ in range(limit):
        if page.evaluate("(el) => document.activeElement === el", handle):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {locator}")


def table_region(page):
    return page.get_by_role("region", name=re.compile(r"^Rekap permohonan, periode Semua"))


def test_the_page_with_results_has_no_axe_violations(page, world, cases, axe):
    """Given two requests, the recap lists both in a named table region, with zero axe violations."""
    log_in(page, world.head)

    region = table_region(page)
    expect(region).to_be_visible()
    expect(region.get_by_role("row")).to_have_count(3)
    expect(region).to_contain_text(cases["new"].registration_number)
    expect(region).to_contain_text("3171********0001")
    expect(page.get_by_role("navigation").get_by_role("link", name="Rekap", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    axe.assert_no_violations()
    assert any(url.endswith(URL) for url in axe.checked)


def test_a_filter_without_results_has_no_axe_violations(page, world, cases, axe):
    """Given no rejected request, filtering on "Ditolak" says that nothing matches, axe-clean."""
    log_in(page, world.ult)

    page.get_by_label("Status apa?").select_option(label="Ditolak")
    page.get_by_role("button", name="Tampilkan rekap").click()

    expect(page).to_have_url(re.compile(r"status=rejected"))
    expect(page.get_by_role("main")).to_contain_text("0 permohonan sesuai saringan.")
    expect(page.get_by_role("table")).to_have_count(0)
    axe.assert_no_violations()


def test_bad_filters_show_a_focused_error_summary_with_no_axe_violations(page, world, cases, axe):
    """Given an address with a date that is not a date and an unknown status, the page shows "Ada masalah",
    focused, "Galat: " in the title, links that move focus to the fields, no table, zero violations."""
    log_in(page, world.ult, url=f"{URL}?date_from=2025-13-45&status=lost")

    expect(page).to_have_title(re.compile(r"^Galat: "))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    summary.get_by_role("link", name="Pilih status dari daftar.").click()
    expect(page.get_by_label("Status apa?")).to_be_focused()
    expect(page.get_by_role("link", name="Unduh XLSX")).to_have_count(0)
    expect(page.get_by_role("table")).to_have_count(0)
    axe.assert_no_violations()


def test_filter_and_download_with_the_keyboard_alone(page, world, cases, axe):
    """With Tab, typing and Enter the officer picks a status, shows the recap and downloads the XLSX, which
    holds just the accepted request."""
    log_in(page, world.ult)

    status = page.get_by_label("Status apa?")
    tab_to(page, status)
    page.keyboard.type("Diterima")
    expect(status).to_have_value("accepted")
    tab_to(page, page.get_by_role("button", name="Tampilkan rekap"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"status=accepted"))
    expect(page.get_by_role("main")).to_contain_text("1 permohonan sesuai saringan.")
    download_link = page.get_by_role("link", name="Unduh XLSX")
    tab_to(page, download_link)
    with page.expect_download() as info:
        page.keyboard.press("Enter")

    download = info.value
    assert re.fullmatch(r"rekap-bpmp-dki-\d{4}-\d{2}-\d{2}\.xlsx", download.suggested_filename)
    with open(download.path(), "rb") as handle:
        rows = list(load_workbook(io.BytesIO(handle.read()))["Rekap"].iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [cases["accepted"].registration_number]


def test_filtering_works_without_javascript(new_page, world, cases, axe):
    """With scripts off, choosing a vulnerability category and sending the form narrows the table."""
    page = new_page(java_script_enabled=False)
    log_in(page, world.ult)

    page.get_by_label("Kelompok rentan mana?").select_option("disability_blind")
    page.get_by_role("button", name="Tampilkan rekap").click()

    region = table_region(page)
    expect(region).to_contain_text(cases["accepted"].registration_number)
    expect(region).not_to_contain_text(cases["new"].registration_number)
    expect(page.get_by_role("link", name="Unduh PDF")).to_have_attribute(
        "href", "/staf/rekap/unduh.pdf?vulnerability=disability_blind"
    )


def test_at_320px_only_the_table_region_scrolls(new_page, world, cases, axe):
    """At 320 px the page never scrolls sideways; the wide table scrolls inside its focusable region."""
    page = new_page(viewport=NARROW)
    log_in(page, world.ult)

    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    region = table_region(page)
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth")
    tab_to(page, region)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(el) => el.scrollLeft > 0", arg=region.element_handle())
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
