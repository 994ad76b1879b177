"""The case page, its step-2 action forms and the personal-data view in a real browser: axe-clean in every
state visited (errors included), usable with the keyboard alone, without JavaScript and at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.models import Status
from jangkau.cases.workflow import REQUESTER
from tests.builders import case_in, submit

from .staff_login import sign_in as staff_sign_in

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


@pytest.fixture
def db_world(transactional_db, world):
    # Not frozen: the live server reads the real clock, so cases are made at the same real moment.
    return world


def sign_in(page, username):
    staff_sign_in(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")


def case_url(case, suffix=""):
    return f"/staf/kasus/{case.registration_number}/{suffix}"


def tab_to(page, locator, limit=60):
    """Presses Tab until ``locator`` has focus: proves it is reachable by keyboard, in page order."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {locator}")


def no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_case_page_is_axe_clean_in_several_statuses(page, db_world, axe):
    """New, waiting for data (with a message), accepted, rejected and with PPID: zero violations, with the
    deadline computation opened too."""
    waiting = case_in(Status.AWAITING_INFO, db_world)
    svc.case_send_missing_data(case=waiting, actor=REQUESTER, text="Ini foto KTP saya")
    cases = [
        submit(db_world, urgent=True, urgent_reason="Pendaftaran sekolah besok"),
        case_in(Status.AWAITING_INFO, db_world),
        waiting,
        case_in(Status.ACCEPTED, db_world),
        case_in(Status.REJECTED, db_world),
        case_in(Status.WITH_PPID, db_world),
    ]
    sign_in(page, db_world.ult.username)

    for case in cases:
        page.goto(case_url(case))
        expect(page.get_by_role("heading", level=1)).to_have_text(case.registration_number)
        case.refresh_from_db()
        expect(page.get_by_role("main")).to_contain_text(case.get_status_display())
        summary = page.locator("details summary")
        if summary.count():
            summary.first.click()
            expect(page.locator("details").first).to_have_attribute("open", "")
            axe.check(page)

    axe.assert_no_violations()
    assert sum("/staf/kasus/" in url for url in axe.checked) >= len(cases)


@pytest.mark.parametrize("slug", ["terima", "minta-data", "tolak"])
def test_each_action_form_and_its_error_state_are_axe_clean(page, db_world, axe, slug):
    case = submit(db_world)
    sign_in(page, db_world.ult.username)

    page.goto(case_url(case, f"{slug}/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if slug != "terima":
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_title(re.compile(r"^Galat: "))
        expect(page.locator(".error-summary")).to_be_focused()

    axe.assert_no_violations()
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_the_personal_data_view_asks_why_logs_and_is_axe_clean(page, db_world, axe):
    """An empty purpose gives the error summary; a purpose opens the data, logged with who and why."""
    case = case_in(Status.AWAITING_INFO, db_world)
    svc.case_send_missing_data(case=case, actor=REQUESTER, text="Ini foto KTP saya")
    sign_in(page, db_world.ult.username)
    page.goto(case_url(case))

    page.get_by_role("button", name="Buka data pribadi").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Tuliskan keperluan membuka data pribadi")
    page.get_by_label("Untuk apa Anda membuka data pribadi pemohon?").fill("Menelepon untuk jadwal")
    page.get_by_role("button", name="Buka data pribadi").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Data pribadi pemohon")
    main = page.get_by_role("main")
    expect(main).to_contain_text("3171015203850001")
    expect(main).to_contain_text("Ini foto KTP saya")
    expect(main).to_contain_text("Menelepon untuk jadwal")
    axe.assert_no_violations()
    event = AuditEvent.objects.filter(case=case).order_by("-seq").first()
    assert (event.action, event.actor) == ("case.personal_data_viewed", db_world.ult)


def test_an_officer_opens_a_case_from_its_url_and_accepts_it_with_the_keyboard(page, db_world, axe):
    case = submit(db_world)
    sign_in(page, db_world.ult.username)

    page.goto(case_url(case))
    tab_to(page, page.get_by_role("link", name="Terima permohonan"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Terima permohonan")
    tab_to(page, page.get_by_role("button", name="Ya, terima permohonan"))
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(re.escape(case_url(case)) + "$"))
    expect(page.get_by_role("status")).to_contain_text("diterima")
    expect(page.get_by_role("main")).to_contain_text("Diterima")
    expect(page.get_by_role("link", name="Terima permohonan")).to_have_count(0)
    axe.assert_no_violations()
    case.refresh_from_db()
    assert (case.status, case.assigned_to) == (Status.ACCEPTED, db_world.ult)


def test_a_late_second_officer_sees_the_refusal_on_the_case_page(new_page, db_world, axe):
    """Two officers open the reject form; one rejects, the other's attempt comes back as a clear alert."""
    case = submit(db_world)
    first, second = new_page(), new_page()
    sign_in(first, db_world.ult.username)
    sign_in(second, db_world.ult2.username)
    first.goto(case_url(case, "terima/"))
    second.goto(case_url(case, "tolak/"))

    first.get_by_role("button", name="Ya, terima permohonan").click()
    expect(first.get_by_role("status")).to_contain_text("diterima")
    second.get_by_label("Mengapa permohonan ini ditolak?").fill("Bukan layanan kami")
    second.get_by_label("Ke instansi mana pemohon sebaiknya pergi?").fill("Disdukcapil")
    second.get_by_role("button", name="Tolak permohonan").click()

    expect(second.get_by_role("alert")).to_contain_text("Kasus ini sudah diproses petugas lain")
    axe.assert_no_violations()
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


def test_the_pages_work_without_javascript_at_320_px(new_page, db_world):
    """Without JavaScript on a 320 px screen: the case page, a request for data, and the personal data."""
    case = submit(db_world, companion_name="Budi Santoso", companion_relation="Anak kandung")
    page = new_page(java_script_enabled=False, viewport=NARROW)
    sign_in(page, db_world.ult.username)

    page.goto(case_url(case))
    expect(page.get_by_role("heading", level=1)).to_have_text(case.registration_number)
    no_horizontal_scroll(page)
    page.get_by_role("link", name="Minta data yang kurang").click()
    no_horizontal_scroll(page)
    page.get_by_role("button", name="Kirim permintaan data").click()
    expect(page.locator(".error-summary")).to_be_visible()
    no_horizontal_scroll(page)
    page.get_by_label("Data apa yang kurang?").fill("Foto KTP pemohon")
    page.get_by_role("button", name="Kirim permintaan data").click()

    expect(page.get_by_role("status")).to_contain_text("Permintaan data")
    expect(page.get_by_role("main")).to_contain_text("Menunggu kelengkapan data")
    expect(page.get_by_role("main")).to_contain_text("Dijeda, menunggu pemohon")
    no_horizontal_scroll(page)
    page.get_by_label("Untuk apa Anda membuka data pribadi pemohon?").fill("Menelepon pemohon")
    page.get_by_role("button", name="Buka data pribadi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data pribadi pemohon")
    no_horizontal_scroll(page)
    case.refresh_from_db()
    assert case.status == Status.AWAITING_INFO
