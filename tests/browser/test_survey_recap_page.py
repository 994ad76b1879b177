"""The survey recap in a real browser: axe-clean with results and with errors, the chart an image named for
screen readers beside a table of the same numbers, filtered and downloaded with the keyboard alone, working
without JavaScript, and at 320 px only the wide table scrolls."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from jangkau.cases.services import office_today
from jangkau.surveys.imports import skm_import
from jangkau.surveys.services import survey_record_by_officer
from tests.browser.test_recap_page import tab_to
from tests.builders import make_world, public_info_service
from tests.surveys.test_import import csv_bytes
from tests.surveys.test_reports import _answers, _delivered

from .staff_login import sign_in as staff_sign_in

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
URL = "/staf/survei/rekap/"
TITLE = "Rekap survei kepuasan masyarakat"


@pytest.fixture
def world(transactional_db):
    """An office with its POS and a service; its staff's password is STAFF_PASSWORD."""
    return make_world()


@pytest.fixture
def answers(world):
    """Today (real clock, so in the current quarter): two answers through the usual service, one through
    the public information service, one paper form typed in."""
    survey_record_by_officer(case=_delivered(world), actor=world.ult, mode="paper", data=_answers([4] * 9))
    survey_record_by_officer(case=_delivered(world), actor=world.ult, mode="assisted", data=_answers([3] * 9))
    public = _delivered(world, service_type=public_info_service(world))
    survey_record_by_officer(
        case=public, actor=world.ult, mode="paper", data={**_answers([2] * 9), "suggestion": "Informasi lambat"}
    )
    today = office_today(world.office).isoformat()
    skm_import(
        office=world.office,
        filename="skm.csv",
        content=csv_bytes(f"{today},L,25,d4_s1,private,1,2,3,4,3,2,1,2,3,Kertas tanpa kasus,"),
    )


def log_in(page, user, url=URL):
    staff_sign_in(page, user, next_url=url)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def elements_region(page):
    return page.get_by_role("region", name="NRR per unsur dan IKM (skala 1–4)")


def test_the_recap_with_answers_has_no_axe_violations(page, world, answers, axe):
    """Given four answers this quarter, the recap shows the figures, the chart as an image named by its
    title and description, the same numbers in a labelled table, and zero axe violations."""
    log_in(page, world.ppid)

    main = page.get_by_role("main")
    expect(main.locator('[data-figure="respondents"]')).to_have_text("4")
    chart = page.get_by_role("img", name="Grafik NRR per unsur (skala 1–4)", exact=True)
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_description(re.compile(r"^U1: 2,5000; U2: 2,7500; U3: 3,0000;"))
    region = elements_region(page)
    expect(region.get_by_role("row")).to_have_count(11)  # heading, nine elements, the IKM
    expect(region.get_by_role("row", name=re.compile(r"^U3 Waktu Penyelesaian"))).to_contain_text("3,0000")
    expect(page.get_by_role("list").filter(has_text="NRR").get_by_role("listitem")).to_have_count(3)
    expect(page.get_by_role("navigation").get_by_role("link", name="Rekap survei")).to_have_attribute(
        "aria-current", "page"
    )
    expect(main).to_contain_text("Kurang bebas: dijawab di hadapan petugas.")
    axe.assert_no_violations()
    assert any(URL in url for url in axe.checked)


def test_a_bad_period_shows_a_focused_error_summary_with_no_axe_violations(page, world, answers, axe):
    """Given an end before the start, the page says "Ada masalah", focused, with "Galat: " in the title, a
    link that moves focus to the end date, and no figures or chart; zero violations."""
    log_in(page, world.ult, url=f"{URL}?date_from=2025-02-01&date_to=2025-01-01")

    expect(page).to_have_title(re.compile(r"^Galat: "))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Tanggal akhir harus sama dengan atau sesudah tanggal awal.").click()
    expect(page.get_by_label("Sampai tanggal berapa?")).to_be_focused()
    expect(page.get_by_role("img")).to_have_count(0)
    expect(page.get_by_role("link", name="Unduh XLSX")).to_have_count(0)
    axe.assert_no_violations()


def test_choose_a_service_and_download_with_the_keyboard_alone(page, world, answers, axe):
    """With Tab, typing and Enter the officer narrows the recap to public information requests and
    downloads the XLSX, which holds that service's one respondent."""
    log_in(page, world.ult)

    service = page.get_by_label("Jenis layanan apa?")
    tab_to(page, service)
    page.keyboard.type("Permohonan")
    expect(service).to_have_value("informasi-publik")
    tab_to(page, page.get_by_role("button", name="Tampilkan rekap"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"service_type=informasi-publik"))
    expect(page.locator('[data-figure="respondents"]')).to_have_text("1")
    link = page.get_by_role("link", name="Unduh XLSX")
    tab_to(page, link, limit=120)
    with page.expect_download() as info:
        page.keyboard.press("Enter")

    download = info.value
    assert re.fullmatch(r"rekap-skm-bpmp-dki-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.xlsx", download.suggested_filename)
    with open(download.path(), "rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(values_only=True) if row[0]}
    assert summary["Responden"] == 1 and summary["Jenis layanan"] == "Permohonan informasi publik"
    axe.assert_no_violations()


def test_the_recap_works_without_javascript(new_page, world, answers, axe):
    """With scripts off, typing a period and choosing a service in the form and sending it shows the recap
    of that service, with download links carrying the same choices."""
    page = new_page(java_script_enabled=False)
    log_in(page, world.ult)
    today = page.get_by_label("Dari tanggal berapa?").input_value()

    page.get_by_label("Jenis layanan apa?").select_option("informasi-publik")
    page.get_by_role("button", name="Tampilkan rekap").click()

    expect(page.locator('[data-figure="respondents"]')).to_have_text("1")
    expect(page.get_by_role("main")).to_contain_text("Informasi lambat")
    expect(page.get_by_role("main")).not_to_contain_text("Kertas tanpa kasus")
    expect(page.get_by_role("link", name="Unduh PDF")).to_have_attribute(
        "href",
        re.compile(rf"^/staf/survei/rekap/unduh\.pdf\?date_from={today}&date_to=[\d-]+&service_type=informasi-publik$"),
    )
    axe.assert_no_violations()


def test_at_320px_the_page_never_scrolls_sideways(new_page, world, answers, axe):
    """At 320 px the page and the chart fit the screen; the wide element table scrolls inside its focusable
    region; the profile's small tables need no scrolling."""
    page = new_page(viewport=NARROW)
    log_in(page, world.ult)

    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    chart = page.get_by_role("img", name="Grafik NRR per unsur (skala 1–4)", exact=True).bounding_box()
    assert chart["x"] >= 0 and chart["x"] + chart["width"] <= NARROW["width"]
    region = elements_region(page)
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth")
    tab_to(page, region, limit=120)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(el) => el.scrollLeft > 0", arg=region.element_handle())
    sex = page.get_by_role("region", name="Jenis kelamin")
    assert sex.evaluate("(el) => el.scrollWidth <= el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    axe.assert_no_violations()
