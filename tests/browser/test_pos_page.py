"""The public POS page in a real browser: axe-clean, a keyboard-reachable table region, 320px, no JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.builders import make_office

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
URL = "/kantor/bpmp-dki/pos/"


@pytest.fixture
def office(transactional_db):
    return make_office()


def test_pos_page_has_no_axe_violations(page, axe, office):
    page.goto(URL)

    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    table = page.get_by_role("table", name="Langkah-langkah POS Pelayanan Jemput Bola Bagi Kelompok Rentan")
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(10)
    axe.assert_no_violations()
    assert axe.checked, "axe did not run on the POS page"


def test_table_region_is_reachable_by_keyboard(page, office):
    """Tabbing through the page reaches the scrollable table region, and it shows the focus ring."""
    page.goto(URL)
    region = page.get_by_role("region", name="Langkah-langkah POS Pelayanan Jemput Bola Bagi Kelompok Rentan")

    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('table-scroll')"):
            break
    expect(region).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_pos_page_fits_a_320_pixel_screen(new_page, axe, office):
    """At 320 CSS pixels the page does not scroll sideways; only the table region does."""
    page = new_page(viewport=NARROW)
    page.goto(URL)

    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    region = page.locator(".table-scroll")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    axe.assert_no_violations()


def test_pos_page_works_without_javascript(new_page, axe, office):
    page = new_page(java_script_enabled=False)
    page.goto(URL)

    expect(page.get_by_role("table")).to_contain_text("± 10 menit")
    expect(page.get_by_role("table")).to_contain_text("1 s.d. 3 hari")
    axe.assert_no_violations()


def test_home_page_link_leads_to_the_pos(page, office):
    page.goto("/")

    page.get_by_role("link", name="Lihat Prosedur Operasional Standar (POS) layanan ini").click()

    expect(page).to_have_url(re.compile(re.escape(URL) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prosedur Operasional Standar")


def test_table_prints_whole_without_the_scroll_wrapper_clipping_it(new_page, office):
    """In print the region does not scroll or clip: the table is no wider than its landscape page area."""
    page = new_page(viewport={"width": 1047, "height": 700})  # A4 landscape minus Chrome's default margins
    page.goto(URL)
    page.emulate_media(media="print")

    region = page.locator(".table-scroll")
    assert region.evaluate("el => getComputedStyle(el).overflowX") == "visible"
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth")


def test_the_flowchart_is_drawn_in_the_actor_columns(page, axe, office):
    """Each carrying actor's cell shows its symbol; the lines between them are drawn; axe stays clean."""
    page.goto(URL)
    table = page.get_by_role("table", name="Langkah-langkah POS Pelayanan Jemput Bola Bagi Kelompok Rentan")

    symbols = table.locator("svg.pos-flow__svg")
    expect(symbols).to_have_count(11)  # the actors of the eight steps: 1+1+2+1+2+1+1+2
    assert all(box["width"] >= 40 for box in (svg.bounding_box() for svg in symbols.all()))
    drawn = page.locator("td.pos-flow--s").first.evaluate("el => getComputedStyle(el).backgroundImage")
    assert "gradient" in drawn
    # What the symbols mean is in words for screen readers: the decision cell names where each branch goes.
    expect(table.get_by_role("row").nth(3)).to_contain_text("jika tidak, ke langkah 1")
    expect(page.get_by_role("heading", name="Arti simbol bagan alir")).to_be_visible()
    axe.assert_no_violations()


def test_the_page_links_to_the_pdf(page, office):
    page.goto(URL)

    link = page.get_by_role("link", name="Unduh POS ini dalam bentuk resmi (PDF)")
    expect(link).to_have_attribute("href", "/kantor/bpmp-dki/pos.pdf")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
