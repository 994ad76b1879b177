"""The IKM publication in Chromium: the head publishes a period with the keyboard alone (preview, then
publish) and withdraws one; the public list and result pages are axe-clean, work without JavaScript and do
not scroll sideways at 320 px; the back-office page's error states are axe-clean too."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from jangkau.cases.services import office_today
from jangkau.surveys.models import IkmPublication
from tests.builders import make_world
from tests.surveys.test_publication import ROWS, add_responses, publish

from .test_case_flow import sign_in
from .test_intake_flow import heading, press_button, tab_to, type_into
from .test_recap_page import tab_to as tab_to_locator

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
LIST_URL = "/kantor/bpmp-dki/ikm/"
STAFF_URL = "/staf/survei/publikasi/"


@pytest.fixture
def world(transactional_db):
    # Not frozen: the live server reads the real clock.
    return make_world()


@pytest.fixture
def period(world):
    """The last 30 days up to yesterday (office time), with three paper forms answered in it."""
    end = office_today(world.office) - timedelta(days=1)
    start = end - timedelta(days=29)
    add_responses(world.office, ROWS, end)
    return start, end


@pytest.fixture
def published(world, period):
    return publish(world, start=period[0], end=period[1])


def detail_url(publication) -> str:
    return f"{LIST_URL}{publication.pk}/"


# --- the public pages ---------------------------------------------------------------------------------------


def test_the_public_list_and_result_have_no_axe_violations(page, axe, published):
    page.goto(LIST_URL)

    expect(heading(page)).to_have_text("Indeks Kepuasan Masyarakat (IKM)")
    region = page.get_by_role("region", name="Hasil IKM per periode, periode terbaru di atas")
    expect(region.get_by_role("row")).to_have_count(2)
    expect(region).to_contain_text("82,41")
    expect(region).to_contain_text("B (Baik)")
    axe.assert_no_violations()

    region.get_by_role("link").click()

    expect(page).to_have_url(re.compile(re.escape(detail_url(published)) + "$"))
    table = page.get_by_role("region", name="Nilai rata-rata (NRR) setiap unsur, skala 1–4")
    expect(table.get_by_role("row")).to_have_count(11)  # header, nine elements, the IKM
    expect(table.get_by_role("rowheader", name="Biaya/Tarif")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Apa arti angka-angka ini?")).to_be_visible()
    axe.assert_no_violations()
    assert any(url.endswith(detail_url(published)) for url in axe.checked)


def test_the_public_pages_work_without_javascript(new_page, axe, published):
    page = new_page(java_script_enabled=False)
    page.goto("/")

    page.get_by_role("link", name="Lihat hasil survei kepuasan masyarakat (IKM)").click()
    expect(heading(page)).to_have_text("Indeks Kepuasan Masyarakat (IKM)")
    page.get_by_role("region", name="Hasil IKM per periode, periode terbaru di atas").get_by_role("link").click()

    expect(page.get_by_text("Jumlah responden sudah mencukupi.")).to_be_visible()
    axe.assert_no_violations()


@pytest.mark.parametrize("which", ["list", "detail"])
def test_the_public_pages_do_not_scroll_sideways_at_320px(new_page, axe, published, which):
    page = new_page(viewport=NARROW)
    page.goto(LIST_URL if which == "list" else detail_url(published))

    expect(heading(page)).to_have_text("Indeks Kepuasan Masyarakat (IKM)")
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    axe.assert_no_violations()


def test_the_empty_public_list_has_no_axe_violations(page, axe, world):
    page.goto(LIST_URL)

    expect(page.get_by_text("Kantor ini belum memublikasikan hasil IKM.")).to_be_visible()
    axe.assert_no_violations()


# --- the back office ----------------------------------------------------------------------------------------


def test_the_head_publishes_with_the_keyboard_alone(page, axe, world, period):
    start, end = period
    sign_in(page, world.head)
    page.goto(STAFF_URL)
    expect(heading(page)).to_have_text("Publikasi IKM")
    axe.assert_no_violations()

    # First a period that has not ended: the error summary takes the focus and links to the field.
    type_into(page, "id_period_start", start.strftime("%d/%m/%Y"))
    type_into(page, "id_period_end", (end + timedelta(days=1)).strftime("%d/%m/%Y"))
    press_button(page, "Lihat pratinjau")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Periode harus sudah berakhir")
    axe.assert_no_violations()

    tab_to(page, id="id_period_end")
    page.keyboard.press("Control+A")
    page.keyboard.type(end.strftime("%d/%m/%Y"))
    press_button(page, "Lihat pratinjau")
    expect(heading(page)).to_have_text("Pratinjau publikasi IKM")
    expect(page.get_by_role("main")).to_contain_text("82,41")
    assert not IkmPublication.objects.exists()
    axe.assert_no_violations()

    press_button(page, "Publikasikan IKM ini")
    expect(heading(page)).to_have_text("Publikasi IKM")
    expect(page.get_by_role("status")).to_contain_text("dipublikasikan")
    expect(page.get_by_role("region", name=re.compile("^Publikasi IKM, periode terbaru"))).to_contain_text(
        "Tayang di halaman publik"
    )
    axe.assert_no_violations()
    publication = IkmPublication.objects.get()
    assert (publication.period_start, publication.period_end) == (start, end)

    page.goto(LIST_URL)
    expect(page.get_by_role("region", name="Hasil IKM per periode, periode terbaru di atas")).to_contain_text("82,41")


def test_the_head_withdraws_with_the_keyboard_through_an_error(page, axe, world, published):
    sign_in(page, world.head)
    page.goto(STAFF_URL)

    tab_to_locator(page, page.get_by_role("link", name=re.compile("^Tarik publikasi IKM")))
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Tarik publikasi IKM")
    axe.assert_no_violations()

    press_button(page, "Tarik publikasi")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Tuliskan alasan penarikan")
    axe.assert_no_violations()

    type_into(page, "id_reason", "Salah memilih periode")
    press_button(page, "Tarik publikasi")
    expect(heading(page)).to_have_text("Publikasi IKM")
    expect(page.get_by_role("main")).to_contain_text("Alasan: Salah memilih periode")
    axe.assert_no_violations()

    page.goto(LIST_URL)
    expect(page.get_by_text("Kantor ini belum memublikasikan hasil IKM.")).to_be_visible()


def test_an_officer_sees_the_list_without_the_form(page, axe, world, published):
    sign_in(page, world.ult)
    page.goto(STAFF_URL)

    expect(
        page.get_by_role("navigation", name="Menu petugas").get_by_role("link", name="Publikasi IKM")
    ).to_have_attribute("aria-current", "page")
    expect(page.locator("#id_period_start")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("Tayang di halaman publik")
    axe.assert_no_violations()
