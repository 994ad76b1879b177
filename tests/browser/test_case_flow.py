"""A request from the portal to the delivered service in Chromium: a requester submits it through the web
intake, then officers take it through POS steps 2 to 5 with the keyboard alone, as three sessions (ULT
officer, PPID member, ULT officer again), talking in the case's internal thread, passing result files,
scheduling a team and finding the appointment on the day's schedule; axe-core checks every page state,
error states included."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from playwright.sync_api import expect

from jangkau.audit.models import AuditEvent
from jangkau.cases.models import Case, CaseDocument, CaseNote, Channel, Status
from jangkau.scheduling.models import Appointment, ContactAttempt
from tests.builders import case_in, make_world, perform

from .conftest import STAFF_PASSWORD
from .staff_login import current_code
from .test_intake_flow import (
    choose_radio,
    focused,
    heading,
    intake_with_keyboard,
    press_button,
    tab_to,
    tick,
    type_into,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    # Not frozen: the live server reads the real clock.
    return make_world()


def sign_in(page, user) -> None:
    """Signs in with the keyboard: the address is typed, the fields are reached with Tab."""
    current_code(user.username)  # the authenticator is enrolled before the password is typed
    page.goto("/staf/masuk/")
    type_into(page, "id_username", user.username)
    type_into(page, "id_password", STAFF_PASSWORD)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Masukkan kode masuk")
    type_into(page, "id_code", current_code(user.username))
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Dasbor")


def sign_out(page) -> None:
    press_button(page, "Keluar")
    expect(page).not_to_have_url(re.compile(r"/staf/kasus/"))


def open_case(page, case) -> None:
    page.goto(f"/staf/kasus/{case.registration_number}/")
    expect(heading(page)).to_have_text(case.registration_number)


def follow(page, text: str) -> None:
    """Tabs to the action's link reading ``text``, presses Enter, and waits for its page (headed alike)."""
    tab_to(page, text=text)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(text)


def choose(page, name: str, value: str) -> None:
    """Tabs into a radio group (which takes the focus on its checked radio, if any) and moves with the
    arrow keys to ``value``; Space makes sure it is chosen."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if focused(page)["id"].startswith(f"id_{name}_"):
            break
    else:
        raise AssertionError(f"Tab never reached the {name!r} radios")
    for _ in range(12):
        if focused(page)["value"] == value:
            break
        page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == value
    page.keyboard.press("Space")
    expect(page.locator(f"input[name={name}][value={value}]")).to_be_checked()


def status_of(case) -> str:
    case.refresh_from_db()
    return case.status


def replace_text(page, field_id: str, value: str) -> None:
    """Tabs to a field that already holds a value, selects it all with the keyboard and types over it."""
    tab_to(page, id=field_id)
    page.keyboard.press("Control+A")
    page.keyboard.type(value)


def choose_files(page, field_id: str, paths) -> None:
    """Tabs to the file field and opens the chooser with Enter, as a keyboard user would; the chosen files
    are handed to the chooser (the native dialog is the operating system's, outside the page)."""
    tab_to(page, id=field_id)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    chooser.value.set_files(paths)


@pytest.fixture
def result_files(tmp_path):
    pdf = tmp_path / "rekap-mutu.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    csv = tmp_path / "nilai-sekolah.csv"
    csv.write_text("sekolah;nilai\nSD Negeri 01;82\n", encoding="utf-8")
    return [pdf, csv]


def test_a_portal_request_is_taken_to_delivery_with_the_keyboard_alone(new_page, axe, world, result_files):
    """Given a request sent through the portal with the keyboard; when the ULT officer accepts and forwards it
    with a note, the PPID member finds it in their inbox, writes in the internal thread and records the result
    with two files, and the ULT officer reads the thread, records a contact attempt, schedules with a team and
    accommodations, finds the appointment on the day's schedule and delivers with the documents handed over
    and the office's cost, each with Tab, Space, Enter, the arrow keys and typing only; then the case is
    delivered with all of it recorded, each step wrote its audit event, the calendar file has the appointment,
    and no page state had an axe violation."""
    # Given: the requester's web intake, with the keyboard alone too.
    requester = new_page()
    intake_with_keyboard(requester)
    expect(heading(requester)).to_have_text("Permohonan terkirim")
    case = Case.objects.get()
    assert (case.channel, case.status) == (Channel.WEB, Status.SUBMITTED)

    page = new_page()
    # Playwright intercepts file choosers only once a listener exists (see the intake flow test).
    page.on("filechooser", lambda chooser: None)

    # Step 2: the ULT officer accepts.
    sign_in(page, world.ult)
    open_case(page, case)
    follow(page, "Terima permohonan")
    press_button(page, "Ya, terima permohonan")
    expect(page.locator(".callout--success")).to_contain_text("diterima")
    assert status_of(case) == Status.ACCEPTED

    # Step 3: the ULT officer forwards to PPID; an empty form first gives the error state.
    follow(page, "Teruskan ke Tim PPID")
    press_button(page, "Teruskan ke Tim PPID")
    expect(page).to_have_title(re.compile(r"^Galat: "))
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Pilih anggota Tim PPID")
    expect(page.locator(".error-summary")).to_contain_text("Tuliskan catatan untuk Tim PPID")
    tab_to(page, id="id_ppid_member")
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == str(world.ppid.pk)
    type_into(page, "id_note", "Mohon rekap data mutu sekolah dalam cetak huruf besar")
    press_button(page, "Teruskan ke Tim PPID")
    expect(heading(page)).to_have_text(case.registration_number)
    assert status_of(case) == Status.WITH_PPID
    sign_out(page)

    # Step 3: the PPID member finds the case in their inbox (their queue's first view), with the note.
    sign_in(page, world.ppid)
    tab_to(page, text="Antrean")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Antrean kasus")
    inbox = page.get_by_role("table")
    expect(inbox).to_contain_text(case.registration_number)
    expect(inbox).to_contain_text("Mohon rekap data mutu sekolah dalam cetak huruf besar")
    tab_to(page, text=case.registration_number)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(case.registration_number)

    # They ask in the internal thread, an empty message first (its error state), then the words.
    press_button(page, "Kirim catatan")
    expect(page).to_have_title(re.compile(r"^Galat: "))
    expect(page.locator(".error-summary")).to_contain_text("Tuliskan isi catatan")
    type_into(page, "id_body", "Data 2024 sudah ada; data 2023 menyusul Jumat.")
    press_button(page, "Kirim catatan")
    expect(heading(page)).to_have_text(case.registration_number)
    expect(page).to_have_url(re.compile(r"#catatan$"))
    thread = page.locator("#catatan ~ ol.case-thread")
    expect(thread).to_contain_text("Data 2024 sudah ada; data 2023 menyusul Jumat.")

    # ... and record the prepared result with a document and a data file.
    follow(page, "Catat hasil layanan")
    type_into(page, "id_summary", "Rekap data mutu SD 2024, cetak huruf besar dan braille")
    choose_files(page, "id_files", result_files)
    press_button(page, "Simpan hasil layanan")
    expect(heading(page)).to_have_text(case.registration_number)
    expect(page.get_by_role("main")).to_contain_text("Rekap data mutu SD 2024")
    expect(page.get_by_role("link", name="Unduh nilai-sekolah.csv")).to_be_visible()
    assert status_of(case) == Status.READY_TO_SCHEDULE
    assert sorted(case.documents.filter(kind=CaseDocument.Kind.RESULT).values_list("filename", flat=True)) == [
        "nilai-sekolah.csv",
        "rekap-mutu.pdf",
    ]
    sign_out(page)

    # Step 4: the ULT officer reads the thread, records a contact attempt, then schedules (in the future of
    # the real clock) with a PPID member on the team and a sign-language interpreter to prepare.
    sign_in(page, world.ult)
    open_case(page, case)
    expect(page.locator("#catatan ~ ol.case-thread")).to_contain_text("data 2023 menyusul Jumat")
    follow(page, "Catat upaya kontak")
    choose_radio(page, "channel", "whatsapp")
    choose_radio(page, "result", "reached")
    type_into(page, "id_notes", "Pemohon setuju dikunjungi")
    press_button(page, "Simpan upaya kontak")
    expect(heading(page)).to_have_text(case.registration_number)
    expect(page.get_by_role("main")).to_contain_text("Pemohon setuju dikunjungi")
    assert ContactAttempt.objects.filter(case=case, channel="whatsapp", result="reached").count() == 1

    jakarta = ZoneInfo(case.office.time_zone)
    day = (datetime.now(jakarta) + timedelta(days=3)).date()
    follow(page, "Jadwalkan layanan")
    type_into(page, "id_date", day.strftime("%d/%m/%Y"))
    type_into(page, "id_time", "10:30")
    choose(page, "mode", "visit")
    type_into(page, "id_place", "Balai RW 04 Cempaka Putih")
    expect(page.locator(f"input[name=officers][value='{world.ult.pk}']")).to_be_checked()
    tick(page, page.locator(f"input[name=officers][value='{world.ppid.pk}']").get_attribute("id"))
    expect(page.locator("input[name=accommodations][value=wheelchair]")).to_be_checked()  # the requester's
    tick(page, page.locator("input[name=accommodations][value=sign_language]").get_attribute("id"))
    press_button(page, "Simpan jadwal")
    expect(heading(page)).to_have_text(case.registration_number)
    expect(page.get_by_role("main")).to_contain_text("Balai RW 04 Cempaka Putih")
    expect(page.get_by_role("main")).to_contain_text("Juru bahasa isyarat")
    assert status_of(case) == Status.SCHEDULED
    appointment = Appointment.objects.get(case=case)
    assert appointment.starts_at == datetime.combine(day, datetime.min.time().replace(hour=10, minute=30), jakarta)
    assert set(appointment.officers.all()) == {world.ult, world.ppid}
    assert set(appointment.accommodations) == {"wheelchair", "sign_language"}

    # The day's schedule, reached from the navigation: the date typed over today's, the row found.
    tab_to(page, text="Jadwal")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Jadwal layanan")
    replace_text(page, "id_tanggal", day.strftime("%d/%m/%Y"))
    press_button(page, "Tampilkan jadwal")
    row = page.get_by_role("row").filter(has_text=case.registration_number)
    expect(row).to_contain_text("10:30")
    expect(row).to_contain_text("Balai RW 04 Cempaka Putih")
    expect(row).to_contain_text("Juru bahasa isyarat")
    expect(row).to_contain_text(str(world.ppid))
    tab_to(page, text=case.registration_number)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(case.registration_number)

    # The calendar file linked from the appointment section.
    ics = page.request.get(f"/staf/kasus/{case.registration_number}/jadwal.ics")
    assert ics.ok and ics.headers["content-type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(ics.body()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == appointment.starts_at
    assert "Jl. Melati" not in ics.text()

    # Step 5: the ULT officer delivers: what, the documents handed over, and the courier the office paid.
    follow(page, "Catat layanan diberikan")
    type_into(page, "id_notes", "Rekap diserahkan dalam cetak huruf besar dan braille")
    type_into(page, "id_documents_handed_over", "1 rekap data mutu SD (cetak huruf besar), 1 salinan braille")
    replace_text(page, "id_office_cost", "25.000")
    type_into(page, "id_office_cost_note", "Transportasi petugas")
    press_button(page, "Simpan, layanan sudah diberikan")
    expect(heading(page)).to_have_text(case.registration_number)
    expect(page.get_by_role("main")).to_contain_text("Rp25.000")
    assert status_of(case) == Status.DELIVERED
    assert (case.office_cost, case.office_cost_note) == (25000, "Transportasi petugas")
    assert case.documents_handed_over == "1 rekap data mutu SD (cetak huruf besar), 1 salinan braille"
    assert CaseNote.objects.filter(case=case, author=world.ppid).count() == 1

    actions = list(AuditEvent.objects.filter(case=case).order_by("seq").values_list("action", flat=True))
    expected = [
        "accept",
        "forward_to_ppid",
        "add_note",
        "record_result",
        "record_contact_attempt",
        "schedule",
        "deliver",
    ]
    assert [a for a in actions if a.removeprefix("case.") in expected] == [f"case.{a}" for a in expected]
    axe.assert_no_violations()
    assert sum("/staf/kasus/" in url for url in axe.checked) >= 16
    assert any("/staf/jadwal/" in url for url in axe.checked)


@pytest.mark.parametrize(
    ("status", "who", "slug"),
    [
        (Status.ACCEPTED, "ult", "teruskan-ppid"),
        (Status.WITH_PPID, "ppid", "catat-hasil"),
        (Status.READY_TO_SCHEDULE, "ult", "catat-kontak"),
        (Status.READY_TO_SCHEDULE, "ult", "jadwalkan"),
        (Status.READY_TO_SCHEDULE, "ult", "tidak-terhubungi"),
        (Status.UNREACHABLE, "ult", "hubungi-lagi"),
        (Status.SCHEDULED, "ult", "jadwal-ulang"),
        (Status.SCHEDULED, "ult", "serahkan"),
        (Status.RECAPPED, "head", "tutup"),
    ],
)
def test_each_step_form_and_its_error_state_are_axe_clean_at_320px(new_page, axe, world, status, who, slug):
    """Given a case where the action is allowed; when its form is sent empty at 320 px; then the error
    summary takes the focus, nothing changes, nothing scrolls sideways, and axe finds nothing (the form
    with only an optional question is checked as shown)."""
    case = case_in(status, world)
    page = new_page(viewport={"width": 320, "height": 640})
    sign_in(page, getattr(world, who))

    page.goto(f"/staf/kasus/{case.registration_number}/{slug}/")
    expect(heading(page)).to_be_visible()
    if slug != "hubungi-lagi":  # its only question is optional: an empty form is a valid answer
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_title(re.compile(r"^Galat: "))
        expect(page.locator(".error-summary")).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe.assert_no_violations()
    assert status_of(case) == status


def test_the_case_page_with_an_appointment_and_contact_attempts_is_axe_clean_at_320px(new_page, axe, world):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    perform("record_contact_attempt", case, world)
    perform("schedule", case, world)
    page = new_page(viewport={"width": 320, "height": 640})
    sign_in(page, world.ult)

    open_case(page, case)

    main = page.get_by_role("main")
    expect(main).to_contain_text("Jadwal layanan")
    expect(main).to_contain_text("Upaya kontak")
    expect(page.get_by_role("link", name=re.compile("Unduh jadwal"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe.assert_no_violations()
