"""The evaluation page in a real browser: zero axe violations with data, with an empty period and with an
error; the charts are images named for screen readers beside tables of the same numbers; a period chosen
with the keyboard alone; working without JavaScript; and at 320 px nothing but the wide tables scrolls."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_recap_page import tab_to
from tests.builders import make_world
from tests.reports.test_evaluation import period  # noqa: F401  (the fixture)

from .staff_login import sign_in as staff_sign_in

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
URL = "/staf/evaluasi/"
JANUARY = f"{URL}?kind=month&year=2025&number=1"
TITLE = "Evaluasi berkala"


@pytest.fixture
def world(transactional_db):
    """An office with its POS and a service; its staff's password is STAFF_PASSWORD."""
    return make_world()


def log_in(page, user, url=URL):
    staff_sign_in(page, user, next_url=url)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_the_report_with_data_has_no_axe_violations(page, world, period, axe):  # noqa: F811
    """Given January 2025's known step times, the page shows each step's figures in a named table region,
    the charts as images named by their titles and described by their numbers, and zero axe violations."""
    log_in(page, world.head, url=JANUARY)

    expect(page.get_by_role("heading", level=2, name="Evaluasi Januari 2025")).to_be_visible()
    steps = page.get_by_role("region", name="Waktu per langkah (menit kerja)")
    expect(steps.get_by_role("row", name=re.compile(r"^2 Mencatat"))).to_contain_text("66,7%")
    chart = page.get_by_role("img", name="Grafik median waktu per langkah dibanding waktu standar POS (menit kerja)")
    expect(chart).to_have_accessible_description(re.compile(r"Langkah 2: Median 4,0 menit, Waktu standar 5 menit"))
    channel = page.get_by_role("img", name="Grafik jumlah permohonan menurut saluran")
    expect(channel).to_have_accessible_description(re.compile(r"^Formulir web: 2; WhatsApp: 1\."))
    expect(page.get_by_role("region", name="Jumlah permohonan menurut saluran")).to_contain_text("WhatsApp")
    expect(page.get_by_role("link", name="Isi atau ubah tabel pemantauan periode ini")).to_be_visible()
    axe.assert_no_violations()
    assert any(URL in url for url in axe.checked)


def test_an_empty_period_has_no_axe_violations(page, world, axe):
    """Opened from the menu with nothing in the current quarter: zeros, no charts, and zero violations."""
    log_in(page, world.ult)

    expect(page.locator('[data-figure="cases_submitted"]')).to_have_text("0")
    expect(page.get_by_role("img")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("Tidak ada langkah yang melewati waktu standar")
    expect(page.get_by_role("link", name="Isi atau ubah tabel pemantauan periode ini")).to_have_count(0)
    axe.assert_no_violations()


def test_a_bad_period_shows_a_focused_error_summary_with_no_axe_violations(page, world, axe):
    """Quarter 5: "Ada masalah", focused, "Galat: " in the title, a link that moves focus to the number."""
    log_in(page, world.ult, url=f"{URL}?kind=quarter&year=2025&number=5")

    expect(page).to_have_title(re.compile(r"^Galat: "))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Pilih triwulan 1 sampai 4.").click()
    expect(page.get_by_label("Bulan, triwulan, atau semester ke berapa?")).to_be_focused()
    expect(page.get_by_role("link", name="Unduh XLSX")).to_have_count(0)
    axe.assert_no_violations()


def test_choose_a_period_with_the_keyboard_alone(page, world, period, axe):  # noqa: F811
    """With Tab, the arrow keys, typing and Enter the officer picks semester 1 of 2025."""
    log_in(page, world.ppid)

    tab_to(page, page.get_by_role("radio", name="Triwulan"))  # the current quarter is checked
    page.keyboard.press("ArrowDown")  # Semester
    expect(page.get_by_role("radio", name="Semester")).to_be_checked()
    year = page.get_by_label("Tahun berapa?")
    tab_to(page, year)
    page.keyboard.press("Control+A")
    page.keyboard.type("2025")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    tab_to(page, page.get_by_role("button", name="Tampilkan evaluasi"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=2, name="Evaluasi Semester I 2025")).to_be_visible()
    expect(page.locator('[data-figure="cases_submitted"]')).to_have_text("4")  # January's 3 and February's
    expect(page.get_by_role("link", name="Unduh PDF")).to_have_attribute(
        "href", "/staf/evaluasi/unduh.pdf?from=2025-01-01&to=2025-06-30"
    )
    axe.assert_no_violations()


def test_the_page_works_without_javascript(new_page, world, period, axe):  # noqa: F811
    page = new_page(java_script_enabled=False)
    log_in(page, world.ult)

    page.get_by_role("radio", name="Tanggal tertentu").check()
    page.get_by_label("Dari tanggal berapa?").fill("2025-01-06")
    page.get_by_label("Sampai tanggal berapa?").fill("2025-01-06")
    page.get_by_role("button", name="Tampilkan evaluasi").click()

    expect(page.get_by_role("heading", level=2, name="Evaluasi 6 Januari 2025 s.d. 6 Januari 2025")).to_be_visible()
    expect(page.locator('[data-figure="breaches"]')).to_have_text("3")
    axe.assert_no_violations()


def test_at_320px_the_page_never_scrolls_sideways(new_page, world, period, axe):  # noqa: F811
    """At 320 px the page and the charts fit the screen; the wide step table scrolls inside its focusable
    region, reachable with the keyboard."""
    page = new_page(viewport=NARROW)
    log_in(page, world.head, url=JANUARY)

    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    for chart in page.get_by_role("img").all():
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"]
    region = page.get_by_role("region", name="Waktu per langkah (menit kerja)")
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(el) => el.scrollLeft > 0", arg=region.element_handle())
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    axe.assert_no_violations()
