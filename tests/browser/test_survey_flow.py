"""The SKM in a real browser: a respondent answers through the private link with the keyboard alone, the
error state and the refusal of a second answer are axe-clean, and the officer's hand-over page too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from jangkau.cases import services as svc
from jangkau.cases.models import Status
from jangkau.surveys.invitations import survey_path
from jangkau.surveys.models import Invitation, Response
from tests.browser.test_case_flow import sign_in
from tests.browser.test_intake_flow import choose_radio, heading, press_button, type_into
from tests.builders import case_in, make_world


@pytest.fixture
def world(transactional_db):
    return make_world()


@pytest.fixture
def link(world):
    case = case_in(Status.SCHEDULED, world)
    svc.case_deliver(case=case, actor=world.ult, notes="Dokumen diantar")
    return survey_path(Invitation.objects.get(case=case))


def test_a_respondent_answers_with_the_keyboard_alone_and_cannot_answer_twice(page, axe, world, link):
    page.goto(link)
    expect(heading(page)).to_have_text("Survei kepuasan layanan")

    # Everything left empty first: the error summary takes the focus and names each question.
    press_button(page, "Kirim jawaban")
    expect(page).to_have_title(re.compile("^Galat: "))
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary li")).to_have_count(13)

    for n in range(1, 10):
        choose_radio(page, f"u{n}", str(1 + n % 4))
    choose_radio(page, "sex", "P")
    type_into(page, "id_age", "67")
    choose_radio(page, "education", "sd")
    choose_radio(page, "occupation", "other")
    type_into(page, "id_suggestion", "Terima kasih sudah datang ke rumah")
    press_button(page, "Kirim jawaban")

    expect(heading(page)).to_have_text("Terima kasih")
    response = Response.objects.get()
    assert (response.mode, response.u4, response.age) == ("online", 1, 67)

    page.goto(link)
    expect(page.locator("main")).to_contain_text("sudah diisi")
    assert Response.objects.count() == 1


def test_the_handover_and_the_officer_entry_are_axe_clean(page, axe, world, link):
    case = Invitation.objects.get().case
    sign_in(page, world.ult)

    page.goto(f"/staf/kasus/{case.registration_number}/survei/")
    expect(heading(page)).to_have_text("Serahkan survei kepuasan")
    expect(page.locator("#survey-link")).to_have_value(re.compile(re.escape(link) + "$"))

    page.get_by_role("link", name="Wawancara terbantu").click()
    page.get_by_role("button", name="Simpan survei").click()
    expect(page).to_have_title(re.compile("^Galat: "))


def test_the_import_page_its_error_state_and_its_report_are_axe_clean(page, axe, world, tmp_path):
    from tests.surveys.test_import import GOOD, csv_bytes

    bad = tmp_path / "skm.csv"
    bad.write_bytes(csv_bytes(GOOD, GOOD.replace(",P,", ",?,", 1)))
    sign_in(page, world.ult)

    page.goto("/staf/survei/impor/")
    expect(heading(page)).to_have_text("Impor survei kertas")
    page.get_by_role("button", name="Periksa dan impor").click()
    expect(page).to_have_title(re.compile("^Galat: "))

    page.get_by_label("Berkas survei kertas").set_input_files(bad)
    page.get_by_role("button", name="Periksa dan impor").click()
    expect(page.get_by_role("table")).to_contain_text("sex: Pilih jenis kelamin.")
    assert not Response.objects.exists()
