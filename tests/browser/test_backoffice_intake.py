"""The officers' intake page in a real browser: axe-clean when empty, with errors and on the confirmation;
completed with the keyboard alone; working without JavaScript; no sideways scrolling at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from jangkau.cases.models import Case, Channel
from tests.builders import VALID_NIK, make_world

from .staff_login import sign_in as staff_sign_in

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
URL = "/staf/permohonan/baru/"


@pytest.fixture
def world(transactional_db):
    """An office with its POS and a service; its ULT officer's password is STAFF_PASSWORD."""
    return make_world()


def log_in(page, user):
    staff_sign_in(page, user, next_url=URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Catat permohonan dari saluran lain")


def channel_radio(page, name):
    return page.get_by_role("group", name="Lewat saluran apa permohonan ini diterima?").get_by_role("radio", name=name)


def notify_radio(page, name):
    group = page.get_by_role("group", name="Bagaimana pemohon ingin dikabari tentang permohonan ini?")
    return group.get_by_role("radio", name=name)


def fill_form(page, *, channel="Telepon"):
    """Answers every required question with the mouse-free Playwright helpers (no JavaScript needed)."""
    channel_radio(page, channel).check()
    page.get_by_label("Siapa nama lengkap pemohon?").fill("Siti Aminah")
    page.get_by_role("radio", name="KTP (Kartu Tanda Penduduk)").check()
    page.get_by_label("NIK", exact=True).fill(VALID_NIK)
    page.get_by_label("Nomor telepon atau WhatsApp").fill("0812 3456 7890")
    notify_radio(page, "WhatsApp").check()
    page.get_by_label("Alamat pemohon").fill("Jl. Kenanga No. 5, Cempaka Putih")
    page.get_by_role("checkbox", name="Lanjut usia (60 tahun ke atas)").check()
    page.get_by_role("radio", name="Data dan informasi mutu").check()
    page.get_by_label("Apa yang dibutuhkan pemohon?").fill("Data mutu sekolah cucu saya")
    page.get_by_role("radio", name="Kunjungan ke rumah atau tempat saya").check()
    page.get_by_role("checkbox", name="Pemohon sudah diberi tahu pemberitahuan privasi dan menyetujuinya").check()


def expect_confirmation(page, channel_label):
    expect(page.get_by_role("heading", level=1)).to_have_text("Permohonan tercatat")
    case = Case.objects.get()
    expect(page).to_have_url(re.compile(rf"/staf/permohonan/{case.registration_number}/terkirim/$"))
    code = case.tracking_code
    expect(page.locator(".intake-done__code")).to_have_text(f"{code[:4]}-{code[4:8]}-{code[8:]}")
    expect(page.get_by_role("main")).to_contain_text(channel_label)
    expect(page.get_by_role("main")).to_contain_text("Anda sekarang memegang kasus ini")
    return case


def tab_to(page, locator, limit=80):
    """Presses Tab until ``locator`` has focus; fails when it is not reached within ``limit`` presses."""
    handle = locator.element_handle()
    for _ in range(limit):
        if page.evaluate("(el) => document.activeElement === el", handle):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {locator}")


def test_the_empty_form_has_no_axe_violations(page, world, axe):
    """The form as first shown passes axe-core; every channel but the web form and the API is offered."""
    log_in(page, world.ult)

    radios = page.get_by_role("group", name="Lewat saluran apa permohonan ini diterima?").get_by_role("radio")
    expect(radios).to_have_count(7)
    expect(page.get_by_role("radio", name="Formulir web")).to_have_count(0)
    axe.assert_no_violations()
    assert any(url.endswith(URL) for url in axe.checked)


def test_the_menu_leads_to_the_form(page, world, axe):
    """From the dashboard the officer reaches the form through the menu, marked as the current page."""
    staff_sign_in(page, world.ult)

    page.get_by_role("navigation").get_by_role("link", name="Catat permohonan").click()

    expect(page).to_have_url(re.compile(rf"{URL}$"))
    expect(page.get_by_role("navigation").get_by_role("link", name="Catat permohonan")).to_have_attribute(
        "aria-current", "page"
    )


def test_errors_show_a_focused_summary_linking_to_each_field_with_no_axe_violations(page, world, axe):
    """Sending the empty form brings back "Ada masalah", focused, "Galat: " in the title, links that move
    focus to the fields, the same words beside them, and zero axe violations; nothing is created."""
    log_in(page, world.ult)

    page.get_by_role("button", name="Catat permohonan").click()

    expect(page).to_have_title(re.compile(r"^Galat: "))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link").first).to_have_attribute("href", "#id_channel_0")
    expect(page.locator("#id_channel-error")).to_contain_text("Pilih saluran tempat permohonan ini diterima.")
    expect(page.locator("#id_need")).to_have_attribute("aria-invalid", "true")
    summary.get_by_role("link", name="Tulis nama lengkap.").click()
    expect(page.get_by_label("Siapa nama lengkap pemohon?")).to_be_focused()
    axe.assert_no_violations()
    assert Case.objects.count() == 0


def test_a_completed_form_leads_to_an_accessible_confirmation(page, world, axe):
    """A completed form records the case with the chosen channel and shows the number and grouped code;
    the confirmation passes axe-core."""
    log_in(page, world.ult)
    fill_form(page, channel="SP4N-LAPOR")

    page.get_by_role("button", name="Catat permohonan").click()

    case = expect_confirmation(page, "SP4N-LAPOR")
    assert case.channel == Channel.LAPOR
    assert case.assigned_to == world.ult
    axe.assert_no_violations()


def test_the_form_is_completed_with_the_keyboard_alone(page, world, axe):
    """Tab, arrow keys, Space, typing and Enter are enough to answer every question and send the form."""
    log_in(page, world.ult)
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.keyboard.press("Tab")
    expect(page.locator("#id_channel_0")).to_be_focused()  # WhatsApp, the first channel
    page.keyboard.press("ArrowDown")  # arrows move and select within a radio group
    expect(channel_radio(page, "Telepon")).to_be_checked()
    tab_to(page, page.get_by_label("Siapa nama lengkap pemohon?"))
    page.keyboard.type("Siti Aminah")
    page.keyboard.press("Tab")
    expect(page.locator("#id_id_type_0")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="KTP (Kartu Tanda Penduduk)")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_label("NIK", exact=True)).to_be_focused()
    page.keyboard.type(VALID_NIK)
    tab_to(page, page.get_by_label("Nomor telepon atau WhatsApp"))
    page.keyboard.type("0812 3456 7890")
    tab_to(page, notify_radio(page, "WhatsApp"))
    page.keyboard.press("ArrowDown")  # to SMS
    expect(notify_radio(page, "SMS")).to_be_checked()
    tab_to(page, page.get_by_label("Alamat pemohon"))
    page.keyboard.type("Jl. Kenanga No. 5")
    tab_to(page, page.get_by_role("checkbox", name="Lanjut usia (60 tahun ke atas)"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("radio", name="Data dan informasi mutu"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Apa yang dibutuhkan pemohon?"))
    page.keyboard.type("Data mutu sekolah")
    page.keyboard.press("Tab")
    expect(page.locator("#id_delivery_mode_0")).to_be_focused()
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("checkbox", name="Pemohon sudah diberi tahu"))
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Catat permohonan")).to_be_focused()
    page.keyboard.press("Enter")

    case = expect_confirmation(page, "Telepon")
    assert case.channel == Channel.PHONE
    assert (case.notify_channel, case.language) == ("sms", "id")
    assert case.vulnerabilities == ["elderly"]
    axe.assert_no_violations()


def test_the_form_works_without_javascript(new_page, world):
    """With JavaScript off an officer sees the errors, corrects them and records the request."""
    page = new_page(java_script_enabled=False)
    log_in(page, world.ult)
    fill_form(page, channel="Surat")
    page.get_by_label("NIK", exact=True).fill("123")

    page.get_by_role("button", name="Catat permohonan").click()
    expect(page.locator("#id_nik-error")).to_contain_text("NIK harus 16 angka.")
    expect(channel_radio(page, "Surat")).to_be_checked()
    page.get_by_label("NIK", exact=True).fill(VALID_NIK)
    page.get_by_role("button", name="Catat permohonan").click()

    case = expect_confirmation(page, "Surat")
    assert case.channel == Channel.LETTER


def test_the_pages_fit_a_320_pixel_screen(new_page, world):
    """At 320 CSS pixels the form, its error state and the confirmation do not scroll sideways."""
    page = new_page(viewport=NARROW)
    log_in(page, world.ult)
    widths = {"form": page.evaluate("document.documentElement.scrollWidth")}
    page.get_by_role("button", name="Catat permohonan").click()
    expect(page.locator(".error-summary")).to_be_visible()
    widths["errors"] = page.evaluate("document.documentElement.scrollWidth")
    fill_form(page, channel="Media sosial")
    page.get_by_role("button", name="Catat permohonan").click()
    expect_confirmation(page, "Media sosial")
    widths["confirmation"] = page.evaluate("document.documentElement.scrollWidth")

    assert max(widths.values()) <= NARROW["width"], widths
