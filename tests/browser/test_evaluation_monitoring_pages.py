"""The monitoring table and follow-up action (RTL) pages in a real browser: axe-clean (the monitoring form and
its error state, the RTL list, the create form and its error state, the status form), saved with the keyboard
alone, and usable at 320 px without JavaScript."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from jangkau.core import clock
from jangkau.reports.followups import followup_create
from jangkau.reports.models import FollowUpAction, MonitoringEntry

from .staff_login import sign_in as staff_sign_in

pytestmark = pytest.mark.browser

MONITORING = "/staf/evaluasi/pemantauan/?from=2025-01-01&to=2025-01-31"


@pytest.fixture
def staff(transactional_db, world):
    return world


def sign_in(page, username):
    staff_sign_in(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")


def fits_320(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_head_saves_the_monitoring_table_with_the_keyboard_alone(page, staff, axe):
    """A step marked as not running well without an action brings the error summary, which leads to the
    field; once written, one submit saves all eight rows."""
    sign_in(page, staff.head.username)
    page.goto("/staf/evaluasi/pemantauan/")
    # Date boxes take typing segment by segment in the browser's own order; fill() sets them the same way.
    page.get_by_label("Periode mulai tanggal berapa?").fill("2025-01-01")
    page.get_by_label("Sampai tanggal berapa?").fill("2025-01-31")
    page.get_by_label("Sampai tanggal berapa?").press("Enter")
    expect(page.get_by_role("heading", level=2, name="Langkah 8")).to_be_visible()
    assert page.url.endswith("from=2025-01-01&to=2025-01-31")

    # Step 2: "did not run well" chosen from its radio group with the arrow keys.
    page.locator("#id_step_2_ran_well_2").focus()  # prefilled "cannot be assessed": nothing was done
    page.keyboard.press("ArrowUp")
    expect(page.locator("#id_step_2_ran_well_1")).to_be_checked()
    page.get_by_role("button", name="Simpan tabel pemantauan").focus()
    page.keyboard.press("Enter")

    expect(page.locator(".error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile("^Galat: "))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Tindakan yang harus diambil untuk langkah 2")).to_be_focused()
    page.keyboard.type("Tambah satu petugas pada jam sibuk.")
    page.get_by_role("button", name="Simpan tabel pemantauan").focus()
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"from=2025-01-01&to=2025-01-31$"))
    assert MonitoringEntry.objects.filter(office=staff.office).count() == 8
    assert MonitoringEntry.objects.get(step_no=2).action_to_take == "Tambah satu petugas pada jam sibuk."
    axe.assert_no_violations()


def test_the_head_raises_an_action_and_the_owner_marks_it_done(page, new_page, staff, axe):
    """Create form (with its error state), the list, the status form: each axe-clean, all by keyboard."""
    due = (clock.now() + timedelta(days=30)).date()
    sign_in(page, staff.head.username)
    page.goto("/staf/tindak-lanjut/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rencana tindak lanjut")
    page.get_by_role("link", name="Buat rencana tindak lanjut").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Buat rencana tindak lanjut")

    page.get_by_role("button", name="Simpan rencana tindak lanjut").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Tuliskan judul tindak lanjut")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Apa judul tindak lanjut ini?")).to_be_focused()
    page.keyboard.type("Papan petunjuk braille")
    page.keyboard.press("Tab")
    page.keyboard.type("Pasang papan petunjuk arah dengan braille di ruang ULT.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Siapa penanggung jawabnya?")).to_be_focused()
    page.get_by_label("Siapa penanggung jawabnya?").select_option(str(staff.ult.pk))
    page.keyboard.press("Tab")
    expect(page.get_by_label("Kapan batas waktunya?")).to_be_focused()
    page.get_by_label("Kapan batas waktunya?").fill(due.isoformat())
    page.get_by_role("button", name="Simpan rencana tindak lanjut").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Papan petunjuk braille")
    action = FollowUpAction.objects.get()
    assert (action.owner, action.due_date) == (staff.ult, due)

    page = new_page()  # the owner, in a browser of their own
    sign_in(page, staff.ult.username)
    page.goto("/staf/tindak-lanjut/")
    page.get_by_role("link", name="Ubah status Papan petunjuk braille").focus()
    page.keyboard.press("Enter")
    page.get_by_role("radio", name="Selesai").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Simpan status").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_contain_text("Tuliskan apa yang sudah dilakukan.")
    page.get_by_label("Catatan").fill("Papan terpasang di pintu ULT.")
    page.get_by_role("button", name="Simpan status").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("tersimpan")
    action.refresh_from_db()
    assert (action.status, action.done_note) == ("done", "Papan terpasang di pintu ULT.")
    axe.assert_no_violations()


def test_the_pages_fit_320_px_without_javascript_and_say_overdue_in_words(new_page, staff):
    """The list (with an overdue action), the create form and its error state, and the monitoring form."""
    today = clock.now().date()
    followup_create(
        office=staff.office,
        actor=staff.head,
        title="Perbaiki formulir",
        description="Sederhanakan bahasa formulir.",
        owner=staff.ppid,
        due_date=today - timedelta(days=2),
        source_start=today - timedelta(days=40),
        source_end=today - timedelta(days=10),
    )
    page = new_page(java_script_enabled=False, viewport={"width": 320, "height": 640})
    sign_in(page, staff.head.username)
    page.goto("/staf/tindak-lanjut/")
    expect(page.get_by_role("main")).to_contain_text("Lewat batas waktu")
    fits_320(page)
    page.goto("/staf/tindak-lanjut/?tampil=semua")
    fits_320(page)
    page.goto("/staf/tindak-lanjut/baru/?from=2025-01-01&to=2025-01-31&step=3")
    fits_320(page)
    page.get_by_label("Apa judul tindak lanjut ini?").fill("Uji")
    page.get_by_role("button", name="Simpan rencana tindak lanjut").click()
    expect(page.locator(".error-summary")).to_contain_text("Tuliskan tindakan yang akan dilakukan")
    fits_320(page)
    page.goto(MONITORING)
    fits_320(page)
    page.get_by_role("button", name="Simpan tabel pemantauan").click()
    page.wait_for_url(re.compile(r"to=2025-01-31$"))
    assert MonitoringEntry.objects.filter(office=staff.office).count() == 8
