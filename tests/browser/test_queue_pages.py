"""The queue pages in a real browser: axe-clean in every view, with rows, empty and with search results; no
sideways page scrolling at 320 px (the table scrolls inside its own labelled region); a case link reached from
the search box with the keyboard alone; a long queue paged on with the keyboard."""

import pytest
from playwright.sync_api import expect

from jangkau.cases.models import Status
from tests.builders import case_in, make_world, submit

from .staff_login import sign_in as staff_sign_in

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
URL = "/staf/kasus/"
VIEWS = ["", "?tampilan=saya", "?tampilan=ppid", "?tampilan=terjadwal"]


@pytest.fixture
def world(transactional_db):
    """An office with its POS and a service; its staff's password is STAFF_PASSWORD."""
    return make_world()


@pytest.fixture
def cases(world):
    """A case in each kind of queue position: new, urgent, waiting for the requester, with PPID, scheduled."""
    return {
        "new": submit(world, full_name="Siti Aminah"),
        "urgent": submit(
            world, full_name="Budi Santoso", urgent=True, urgent_reason="Pendaftaran sekolah", accommodations=[]
        ),
        "waiting": case_in(Status.AWAITING_INFO, world, full_name="Citra Lestari"),
        "ppid": case_in(Status.WITH_PPID, world, full_name="Dedi Kurniawan"),
        "scheduled": case_in(Status.SCHEDULED, world, full_name="Eka Putri", vulnerabilities=["disability_deaf"]),
    }


def log_in(page, user):
    staff_sign_in(page, user, next_url=URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrean kasus")


def test_every_view_with_cases_has_no_axe_violations(page, world, cases, axe):
    """Each work view, with its rows, passes axe-core; the current view's tab is marked."""
    log_in(page, world.ult)

    expect(page.get_by_role("table")).to_contain_text(cases["new"].registration_number)
    for view, name in zip(VIEWS, ["Semua", "Pekerjaan saya", "Menunggu Tim PPID", "Terjadwal"], strict=True):
        page.goto(URL + view)
        tabs = page.get_by_role("navigation", name="Tampilan antrean")
        expect(tabs.get_by_role("link", name=name, exact=True)).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("table")).to_contain_text(cases["scheduled"].registration_number)
    axe.assert_no_violations()
    assert len(axe.checked) >= 5


def test_the_urgent_case_leads_and_each_row_says_why(page, world, cases):
    log_in(page, world.ult)

    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(5)
    first = rows.nth(0)
    expect(first.get_by_role("rowheader")).to_contain_text(cases["urgent"].registration_number)
    expect(first).to_contain_text("Mendesak: didahulukan dari kasus biasa")
    expect(page.get_by_role("row", name=cases["waiting"].registration_number)).to_contain_text(
        "Tanpa batas waktu berjalan (menunggu pemohon melengkapi data)"
    )


def test_empty_views_have_no_axe_violations(page, world, axe):
    """With no case at all, every view shows its sentence instead of a table, axe-clean."""
    log_in(page, world.ppid)

    for view in VIEWS:
        page.goto(URL + view)
        expect(page.get_by_role("table")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("Belum ada kasus dengan jadwal layanan yang disepakati.")
    axe.assert_no_violations()


def test_search_results_and_no_results_have_no_axe_violations(page, world, cases, axe):
    log_in(page, world.ult)

    page.get_by_label("Kasus apa yang Anda cari?").fill("0812-3456-7890")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("5 kasus cocok dengan “0812-3456-7890”.")
    page.get_by_label("Kasus apa yang Anda cari?").fill("tidak ada orangnya")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("Tidak ada kasus yang cocok dengan “tidak ada orangnya”")
    axe.assert_no_violations()


def test_at_320_pixels_only_the_table_region_scrolls(new_page, world, cases):
    """At 320 CSS pixels the page does not scroll sideways; the wide table scrolls inside its region."""
    page = new_page(viewport=NARROW, java_script_enabled=False)
    log_in(page, world.ult)

    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    region = page.get_by_role("region", name="Semua kasus yang sedang berjalan, dalam urutan antrean")
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth")
    page.goto(URL + "?q=Siti")
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def test_a_case_link_is_reached_from_the_search_box_with_the_keyboard(page, world, cases, axe):
    """Type a name in the search box, press Enter, then Tab: the clear-search link, the table region and the
    found case's link follow each other."""
    log_in(page, world.ult)
    wanted = cases["ppid"]

    page.get_by_label("Kasus apa yang Anda cari?").focus()
    page.keyboard.type("kurniawan")
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_contain_text("1 kasus cocok dengan “kurniawan”.")

    search = page.get_by_label("Kasus apa yang Anda cari?")
    search.focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Cari", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hapus pencarian")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("region")).to_be_focused()
    page.keyboard.press("Tab")
    link = page.get_by_role("link", name=wanted.registration_number)
    expect(link).to_be_focused()
    expect(link).to_have_attribute("href", f"/staf/kasus/{wanted.registration_number}/")
    axe.assert_no_violations()


def test_a_long_queue_pages_on_with_the_keyboard_and_stays_axe_clean(page, world, axe):
    """Twenty-eight cases: the pager below the table says where the officer is, and its "next page" link is
    reached and followed with the keyboard alone; the second page goes on from position 26."""
    for index in range(28):
        submit(world, full_name=f"Warga {index:02d}")
    log_in(page, world.ult)

    pager = page.get_by_role("navigation", name="Halaman antrean")
    expect(pager).to_contain_text("Halaman 1 dari 2")
    next_link = pager.get_by_role("link", name="Halaman berikutnya")
    next_link.focus()
    expect(next_link).to_be_focused()
    page.keyboard.press("Enter")

    expect(pager).to_contain_text("Halaman 2 dari 2")
    expect(page.locator("td.queue-table__position").first).to_have_text("26")
    expect(pager.get_by_role("link", name="Halaman sebelumnya")).to_be_visible()
    axe.assert_no_violations()
    assert len(axe.checked) >= 2
