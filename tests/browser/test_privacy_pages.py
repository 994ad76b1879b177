"""The data-subject request pages in Chromium: PPID finds a person by NIK and exports their data with the
keyboard alone; axe-core finds nothing on any privacy page, error states included; the new-request page
works at 320 px without JavaScript."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from jangkau.cases.models import Status
from jangkau.privacy import services as privacy
from jangkau.privacy.models import DataSubjectRequest, RequestKind
from tests.builders import VALID_NIK, case_in, make_world

from .test_case_flow import sign_in
from .test_intake_flow import choose_radio, heading, press_button, tab_to, type_into

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    # Not frozen: the live server reads the real clock.
    return make_world()


@pytest.fixture
def siti_cases(world):
    return [case_in(Status.REJECTED, world), case_in(Status.CANCELLED, world)]


def open_request(world, kind):
    return privacy.subject_request_open(
        office=world.office,
        actor=world.ppid,
        kind=kind,
        channel="walk_in",
        requester_name="Siti Aminah",
        identity_check="KTP asli",
        nik=VALID_NIK,
    )


def test_ppid_finds_a_person_and_exports_their_data_with_the_keyboard_alone(page, axe, world, siti_cases):
    """List → new request → NIK → search → the found cases → the request's questions → record → download
    the JSON: Tab, typing, the arrow keys, Space and Enter only; an empty record shows the error summary."""
    sign_in(page, world.ppid)
    page.goto("/staf/data-pribadi/")
    expect(heading(page)).to_have_text("Permintaan data pribadi")
    press_button(page, "Catat permintaan baru")
    expect(heading(page)).to_have_text("Catat permintaan data pribadi")

    type_into(page, "id_nik", VALID_NIK)
    page.keyboard.press("Enter")  # the form's first button: search
    expect(page.get_by_role("heading", name="Kasus yang ditemukan")).to_be_visible()
    main = page.get_by_role("main")
    for case in siti_cases:
        expect(main).to_contain_text(case.registration_number)
    expect(main).to_contain_text("3171********0001")

    # Recording with the request's questions unanswered: the summary takes the focus and links to them.
    press_button(page, "Catat permintaan")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile("^Galat: "))

    choose_radio(page, "kind", "access")
    tab_to(page, id="id_channel")
    page.keyboard.type("Datang")
    expect(page.locator("#id_channel")).to_have_value("walk_in")
    type_into(page, "id_requester_name", "Siti Aminah")
    type_into(page, "id_identity_check", "KTP asli dicocokkan dengan data kasus")
    press_button(page, "Catat permintaan")

    expect(heading(page)).to_have_text(re.compile(r"^Permintaan data pribadi PDP-\d{4}-0001$"))
    request = DataSubjectRequest.objects.get()
    expect(page.get_by_role("status")).to_contain_text(f"Permintaan {request.number} tercatat")

    with page.expect_download() as download:
        press_button(page, "Unduh JSON")
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert [case["registration_number"] for case in data["cases"]] == [c.registration_number for c in siti_cases]
    axe.assert_no_violations()
    assert len(axe.checked) >= 5


def test_every_privacy_page_and_its_error_state_passes_axe(page, axe, world, siti_cases):
    """The list, the new request (its search error), the request, the correction, the erasure and the
    answer pages (each with its errors), and the page other roles get."""
    correction = open_request(world, RequestKind.CORRECTION)
    erasure = open_request(world, RequestKind.ERASURE)
    access = open_request(world, RequestKind.ACCESS)
    sign_in(page, world.head)

    page.goto("/staf/data-pribadi/")
    expect(page.get_by_role("main")).to_contain_text(access.number)
    page.goto("/staf/data-pribadi/baru/")
    page.get_by_role("button", name="Cari kasus", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("Isi paling sedikit satu")

    page.goto(f"/staf/data-pribadi/{access.pk}/")
    expect(page.get_by_role("button", name="Unduh PDF")).to_be_visible()

    page.goto(f"/staf/data-pribadi/{correction.pk}/perbaiki/")
    page.get_by_label("NIK atau nomor identitas yang benar").fill("1234")
    page.get_by_role("button", name="Simpan perbaikan").click()
    expect(page.locator(".error-summary")).to_contain_text("NIK harus 16 angka.")

    page.goto(f"/staf/data-pribadi/{erasure.pk}/hapus/")
    page.get_by_role("button", name="Hapus data pribadi").click()
    expect(page.locator(".error-summary")).to_contain_text("Centang konfirmasi")

    page.goto(f"/staf/data-pribadi/{access.pk}/jawab/")
    page.get_by_role("button", name="Catat jawaban").click()
    expect(page.locator(".error-summary")).to_contain_text("Pilih jawaban")

    page.get_by_role("button", name="Keluar").click()
    sign_in(page, world.ult)
    page.goto("/staf/data-pribadi/")
    expect(heading(page)).to_have_text("Hanya untuk Tim PPID dan Kepala kantor")
    axe.assert_no_violations()
    assert len(axe.checked) >= 12


def test_the_new_request_page_works_at_320_px_without_javascript(new_page, world, siti_cases):
    page = new_page(java_script_enabled=False, viewport={"width": 320, "height": 640})
    sign_in(page, world.ppid)
    page.goto("/staf/data-pribadi/baru/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_label("NIK pemohon").fill(VALID_NIK)
    page.get_by_role("button", name="Cari kasus", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text(siti_cases[0].registration_number)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
