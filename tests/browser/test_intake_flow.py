"""The web intake in Chromium: completed with the keyboard alone, without JavaScript, at 320 px, and every
page state (error states included) checked by axe-core through the harness."""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from jangkau.cases.models import Case, Channel
from tests.builders import VALID_NIK, make_world

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
BASE = "/kantor/bpmp-dki/ajukan/"


@pytest.fixture
def world(transactional_db):
    return make_world()


@pytest.fixture
def power_of_attorney(tmp_path):
    path = tmp_path / "surat-kuasa.png"
    Image.new("RGB", (16, 16), "white").save(path, "PNG")
    return path


def focused(page) -> dict:
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return {id: el.id, tag: el.tagName.toLowerCase(), type: el.type || '', value: el.value || '',"
        " text: (el.textContent || '').trim()}; }"
    )


def tab_to(page, *, id=None, text=None, limit=80) -> None:
    """Presses Tab until the element with ``id`` (or whose text is ``text``) has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if (id is not None and element["id"] == id) or (text is not None and element["text"] == text):
            return
    raise AssertionError(f"Tab never reached {id or text!r}")


def type_into(page, field_id: str, value: str) -> None:
    tab_to(page, id=field_id)
    page.keyboard.type(value)


def choose_radio(page, name: str, value: str) -> None:
    """Tabs into a radio group and moves with the arrow keys to ``value``; Space makes sure it is chosen."""
    tab_to(page, id=f"id_{name}_0")
    for _ in range(12):
        if focused(page)["value"] == value:
            break
        page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == value
    page.keyboard.press("Space")
    expect(page.locator(f'input[name="{name}"][value="{value}"]')).to_be_checked()


def tick(page, field_id: str) -> None:
    tab_to(page, id=field_id)
    page.keyboard.press("Space")
    expect(page.locator(f"#{field_id}")).to_be_checked()


def press_button(page, text: str) -> None:
    tab_to(page, text=text)
    page.keyboard.press("Enter")


def heading(page):
    return page.get_by_role("heading", level=1)


def intake_with_keyboard(page, power_of_attorney=None) -> None:
    """Sends a request from the home page with Tab, Space, Enter, the arrow keys and typing only, through an
    error on the way (announced by the summary, which takes the focus), with a companion and their power of
    attorney when a file is given; ends on the confirmation."""
    # Playwright intercepts file choosers only once a listener exists, and turns that on in the background:
    # listening from the start keeps the key press that opens the chooser from racing it.
    page.on("filechooser", lambda chooser: None)
    page.goto("/")
    press_button(page, "Ajukan permohonan")
    expect(heading(page)).to_have_text("Ajukan permohonan layanan jemput bola")
    press_button(page, "Mulai")

    expect(heading(page)).to_have_text("Nama pemohon")
    press_button(page, "Lanjutkan")
    expect(page).to_have_title(re.compile("^Galat: "))
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Tulis nama lengkap.")
    type_into(page, "id_full_name", "Siti Aminah")
    press_button(page, "Lanjutkan")

    expect(heading(page)).to_have_text("Dokumen identitas")
    expect(page.locator("#id_nik")).to_be_hidden()
    choose_radio(page, "id_type", "ktp")
    expect(page.locator("#id_nik")).to_be_visible()
    type_into(page, "id_nik", VALID_NIK)
    press_button(page, "Lanjutkan")

    expect(heading(page)).to_have_text("Cara menghubungi pemohon")
    type_into(page, "id_phone", "0812 3456 7890")
    choose_radio(page, "notify_channel", "sms")
    expect(page.locator('input[name="language"][value="id"]')).to_be_checked()
    press_button(page, "Lanjutkan")

    expect(heading(page)).to_have_text("Keadaan pemohon")
    tick(page, "id_vulnerabilities_0")
    tick(page, "id_vulnerabilities_6")
    press_button(page, "Lanjutkan")

    expect(heading(page)).to_have_text("Layanan yang dibutuhkan")
    choose_radio(page, "service_type", "data-informasi")
    type_into(page, "id_need", "Data mutu sekolah anak saya")
    press_button(page, "Lanjutkan")

    expect(heading(page)).to_have_text("Cara layanan")
    choose_radio(page, "delivery_mode", "visit")
    press_button(page, "Lanjutkan")

    expect(heading(page)).to_have_text("Alamat pemohon")
    type_into(page, "id_address", "Jl. Kenanga No. 5, RT 3/RW 2")
    press_button(page, "Lanjutkan")

    expect(heading(page)).to_have_text("Bantuan saat dilayani")
    tick(page, "id_accommodations_5")
    press_button(page, "Lanjutkan")

    expect(heading(page)).to_have_text("Pendamping")
    if power_of_attorney is None:
        choose_radio(page, "has_companion", "tidak")
    else:
        choose_radio(page, "has_companion", "ya")
        type_into(page, "id_companion_name", "Rahmat")
        type_into(page, "id_companion_relation", "Anak")
        tab_to(page, id="id_power_of_attorney")
        with page.expect_file_chooser() as chooser:
            page.keyboard.press("Enter")
        chooser.value.set_files(power_of_attorney)
    press_button(page, "Lanjutkan")

    expect(heading(page)).to_have_text("Persetujuan")
    tick(page, "id_consent")
    press_button(page, "Lanjutkan")

    expect(heading(page)).to_have_text("Periksa jawaban Anda")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Siti Aminah")
    if power_of_attorney is not None:
        expect(main).to_contain_text("Surat kuasa: surat-kuasa.png")
    press_button(page, "Kirim permohonan")


def test_the_whole_intake_with_the_keyboard_alone(page, axe, world, power_of_attorney):
    """From the home page to the confirmation with Tab, Space, Enter, the arrow keys and typing only;
    an error on the way is announced by the summary, which takes the focus."""
    intake_with_keyboard(page, power_of_attorney)

    expect(heading(page)).to_have_text("Permohonan terkirim")
    case = Case.objects.get()
    assert case.channel == Channel.WEB
    assert (case.notify_channel, case.language) == ("sms", "id")
    assert case.documents.count() == 1
    expect(page.locator(".panel__number")).to_have_text(case.registration_number)
    axe.assert_no_violations()
    assert len(axe.checked) >= 13


def complete(page, *, upload=None) -> None:
    """Answers every question with valid answers (pointer and fill: for the tests that are not about the
    keyboard), ending on the check page."""
    page.goto(BASE)
    page.get_by_role("button", name="Mulai").click()
    page.get_by_label("Siapa nama lengkap").fill("Siti <b>Aminah</b>")
    page.get_by_role("button", name="Lanjutkan").click()
    page.get_by_label("Tidak punya dokumen identitas", exact=True).check()
    page.get_by_label("Mengapa pemohon tidak punya dokumen identitas?").fill("Hilang karena banjir tahun lalu.")
    page.get_by_role("button", name="Lanjutkan").click()
    page.get_by_label("Apa alamat surel").fill("siti@contoh.id")
    page.get_by_label("Surel", exact=True).check()
    page.get_by_role("button", name="Lanjutkan").click()
    page.get_by_label("Lanjut usia (60 tahun ke atas)").check()
    page.get_by_label("Penyandang disabilitas sensorik netra (tunanetra)").check()
    page.get_by_role("button", name="Lanjutkan").click()
    page.get_by_label("Data dan informasi mutu", exact=True).check()
    page.get_by_label("Apa keperluan pemohon?").fill("Rapor mutu sekolah\ndalam huruf besar")
    page.get_by_role("button", name="Lanjutkan").click()
    page.get_by_label("Dokumen dikirim lewat kurir atau pos").check()
    page.get_by_role("button", name="Lanjutkan").click()
    page.get_by_label("Di mana alamat pemohon?").fill("Jl. Melati No. 9\nRT 1 RW 4")
    page.get_by_label("Di kelurahan, kecamatan, dan kota mana?").fill("Cempaka Putih, Jakarta Pusat")
    page.get_by_role("button", name="Lanjutkan").click()
    page.get_by_label("Dokumen cetak huruf besar").check()
    page.get_by_label("Dokumen braille", exact=True).check()
    page.get_by_role("button", name="Lanjutkan").click()
    if upload:
        page.get_by_label("Ya", exact=True).check()
        page.get_by_label("Siapa nama pendamping?").fill("Rahmat Hidayat")
        page.get_by_label("Apa hubungan pendamping dengan pemohon?").fill("Anak kandung")
        page.get_by_label("Surat kuasa dari pemohon").set_input_files(upload)
    else:
        page.get_by_label("Tidak", exact=True).check()
    page.get_by_role("button", name="Lanjutkan").click()
    page.get_by_label("Saya setuju").check()
    page.get_by_role("button", name="Lanjutkan").click()
    expect(heading(page)).to_have_text("Periksa jawaban Anda")


def test_the_whole_intake_works_without_javascript(new_page, axe, world, power_of_attorney):
    """With scripts off the follow-up questions still appear under their answer, the upload goes with the
    form, and the case, the confirmation and the receipt are all there."""
    page = new_page(java_script_enabled=False)
    page.goto(BASE)
    page.get_by_role("button", name="Mulai").click()
    page.get_by_role("button", name="Lanjutkan").click()
    page.get_by_label("Siapa nama lengkap").fill("Siti")
    page.get_by_role("button", name="Lanjutkan").click()
    expect(page.get_by_label("Berapa nomor dokumen itu?")).to_be_hidden()
    page.get_by_label("Paspor", exact=True).check()
    expect(page.get_by_label("Berapa nomor dokumen itu?")).to_be_visible()

    complete(page, upload=power_of_attorney)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Siti <b>Aminah</b>")
    expect(main).to_contain_text("Hilang karena banjir tahun lalu.")
    page.get_by_role("button", name="Kirim permohonan").click()

    expect(heading(page)).to_have_text("Permohonan terkirim")
    expect(page.get_by_role("main")).to_contain_text("lewat surel ke s***@contoh.id.")
    case = Case.objects.get()
    assert case.requester_name == "Siti <b>Aminah</b>"
    assert case.id_document_type == "none"
    receipt = page.get_by_role("link", name="Unduh tanda terima (PDF)").get_attribute("href")
    response = page.request.get(receipt)
    assert response.status == 200
    assert response.body().startswith(b"%PDF-")
    axe.assert_no_violations()


def test_error_states_have_no_axe_violations(new_page, axe, world, tmp_path):
    """Wrong answers on the grouped pages and a refused upload: each error state is axe-clean."""
    page = new_page(java_script_enabled=False)
    page.goto(BASE)
    page.get_by_role("button", name="Mulai").click()
    page.goto(BASE + "identitas/")
    page.get_by_label("KTP (Kartu Tanda Penduduk)").check()
    page.get_by_label("Berapa NIK pemohon?").fill("1234")
    page.get_by_role("button", name="Lanjutkan").click()
    expect(page.locator("#id_nik-error")).to_contain_text("NIK harus 16 angka.")

    page.goto(BASE + "kontak/")
    page.get_by_role("button", name="Lanjutkan").click()
    expect(page.locator(".error-summary")).to_be_visible()

    page.goto(BASE + "kelompok/")
    page.get_by_role("button", name="Lanjutkan").click()
    expect(page.locator("#id_vulnerabilities-error")).to_be_visible()

    fake = tmp_path / "kuasa.pdf"
    fake.write_text("bukan pdf")
    page.goto(BASE + "pendamping/")
    page.get_by_label("Ya", exact=True).check()
    page.get_by_label("Surat kuasa dari pemohon").set_input_files(fake)
    page.get_by_role("button", name="Lanjutkan").click()
    expect(page.locator(".error-summary")).to_contain_text("Berkas harus PDF, JPG, atau PNG.")
    expect(page.locator(".error-summary")).to_contain_text("Tulis nama pendamping.")

    page.goto(BASE + "persetujuan/")
    page.get_by_role("button", name="Lanjutkan").click()
    expect(page.locator("#id_consent-error")).to_be_visible()
    axe.assert_no_violations()
    assert len(axe.checked) >= 10


def test_check_page_error_state_has_no_axe_violations(page, axe, world):
    """A service withdrawn while the form was filled: the check page's error summary links to the question."""
    complete(page)
    world.service.is_active = False
    world.service.save()

    page.reload()

    expect(page).to_have_title(re.compile("^Galat: "))
    link = page.locator(".error-summary a")
    expect(link).to_have_text("Jenis layanan ini tidak tersedia di kantor ini.")
    axe.assert_no_violations()


@pytest.mark.parametrize("upload", [False, True], ids=["no-companion", "companion"])
def test_the_longest_pages_do_not_scroll_sideways_at_320px(new_page, axe, world, power_of_attorney, tmp_path, upload):
    """At 320 px (a small phone, or 400 % zoom) the start page, the long lists, the check page and the
    confirmation fit the width; screenshots are kept in the test's temporary folder."""
    page = new_page(viewport=NARROW)

    def fits(name):
        page.screenshot(path=tmp_path / f"{name}.png", full_page=True)
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], (name, width)

    page.goto(BASE)
    fits("start")
    complete(page, upload=power_of_attorney if upload else None)
    fits("check")
    for slug in ("identitas", "kelompok", "pendamping", "akomodasi", "persetujuan"):
        page.goto(f"{BASE}{slug}/?kembali=periksa")
        fits(slug)
    page.goto(BASE + "periksa/")
    page.get_by_role("button", name="Kirim permohonan").click()
    expect(heading(page)).to_have_text("Permohonan terkirim")
    fits("done")
    axe.assert_no_violations()


def test_receipt_link_is_refused_to_another_browser(new_page, world):
    """The confirmation and the receipt belong to the browser that sent the request."""
    page = new_page()
    complete(page)
    page.get_by_role("button", name="Kirim permohonan").click()
    done_url = page.url
    receipt = page.get_by_role("link", name="Unduh tanda terima (PDF)").get_attribute("href")

    other = new_page()
    assert other.request.get(receipt).status == 404
    assert other.goto(done_url).status == 404


def test_every_question_left_unanswered_shows_an_axe_clean_error_state(new_page, axe, world):
    """Each page sent empty: the required ones come back with "Galat: " in the title and the error summary
    focused, at 320 px, and every one of those pages passes axe."""
    from jangkau.portal.intake.pages import PAGES

    page = new_page(viewport=NARROW)
    page.goto(BASE)
    page.get_by_role("button", name="Mulai").click()
    refused = []
    for intake_page in PAGES:
        page.goto(f"{BASE}{intake_page.slug}/")
        page.get_by_role("button", name="Lanjutkan").click()
        if page.title().startswith("Galat: "):
            refused.append(intake_page.slug)
            expect(page.locator(".error-summary")).to_be_focused()
            width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert width[0] <= width[1], (intake_page.slug, width)

    # Only the accommodations are optional; the companion question asks "yes or no".
    assert refused == [p.slug for p in PAGES if p.slug != "akomodasi"]
    axe.assert_no_violations()
