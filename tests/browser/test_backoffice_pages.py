"""Staff sign-in and dashboard in a real browser: axe-clean, keyboard only, error summary, no JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import STAFF_PASSWORD
from .staff_login import current_code, sign_in

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


def enter_password(page, password, username="ult"):
    page.goto("/staf/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()


def test_login_page_has_no_axe_violations(page, axe):
    """The sign-in page passes axe-core (WCAG 2.2 AA, best practices, AAA contrast)."""
    page.goto("/staf/masuk/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk ke halaman petugas")
    axe.assert_no_violations()
    assert axe.checked


def test_officer_logs_in_with_the_keyboard_alone(page, staff_user, axe, live_server):
    """Tab, type and Enter are enough to sign in (password, then the authenticator's code) and reach the
    dashboard; axe checks each state on the way."""
    code = current_code("ult")
    page.goto("/staf/masuk/")

    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Nama pengguna")).to_be_focused()
    page.keyboard.type("ult")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Kata sandi")).to_be_focused()
    page.keyboard.type(STAFF_PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Masukkan kode masuk")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Kode masuk")).to_be_focused()
    page.keyboard.type(code)
    page.keyboard.press("Enter")

    # The browser keeps the skip link's fragment across the form's redirect.
    expect(page).to_have_url(re.compile(r"/staf/#konten$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")
    axe.assert_no_violations()
    assert [url.removeprefix(live_server.url) for url in axe.checked] == [
        "/staf/masuk/",
        "/staf/masuk/#konten",
        "/staf/masuk/kode/?next=%2Fstaf%2F",
        "/staf/masuk/kode/?next=%2Fstaf%2F#konten",
        "/staf/#konten",
    ]


def test_dashboard_shows_role_and_office_and_has_no_axe_violations(page, staff_user, axe):
    """After signing in the dashboard names the officer's role and office, with zero violations."""
    sign_in(page, "ult")

    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Petugas ULT")
    expect(main).to_contain_text("BPMP Provinsi DKI Jakarta")
    expect(page.get_by_role("banner")).to_contain_text("BPMP Provinsi DKI Jakarta")
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    axe.assert_no_violations()
    assert any(url.endswith("/staf/") for url in axe.checked)


def test_wrong_password_shows_a_focused_error_summary_linking_to_the_field(page, staff_user):
    """A wrong password brings back "Ada masalah", focused, with a link that moves focus to the field."""
    page.goto("/staf/masuk/")
    page.get_by_label("Nama pengguna").fill("ult")
    page.get_by_label("Kata sandi").fill("salah-sekali-123")
    page.get_by_label("Kata sandi").press("Enter")

    expect(page).to_have_title(re.compile(r"^Galat: "))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading", name="Ada masalah")).to_be_visible()
    link = summary.get_by_role("link")
    expect(link).to_have_attribute("href", "#id_username")
    expect(link).to_contain_text("Nama pengguna atau kata sandi salah")

    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Nama pengguna")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/staf/masuk/"))


def test_empty_form_marks_each_field_and_describes_its_error(page, transactional_db):
    """Submitting nothing shows one summary link per field and the same words beside each field."""
    page.goto("/staf/masuk/")
    page.get_by_role("button", name="Masuk", exact=True).click()

    expect(page).to_have_title(re.compile(r"^Galat: "))
    links = page.locator(".error-summary a")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_have_attribute("href", "#id_username")
    expect(links.nth(1)).to_have_attribute("href", "#id_password")
    username = page.locator("#id_username")
    expect(username).to_have_attribute("aria-invalid", "true")
    expect(username).to_have_attribute("aria-describedby", "id_username-error")
    expect(page.locator("#id_username-error")).to_have_text("Galat: Masukkan nama pengguna Anda")
    expect(page.locator("#id_password")).to_have_attribute("aria-invalid", "true")


@pytest.mark.parametrize("path", ["/staf/masuk/", "/staf/"])
def test_staff_pages_fit_a_320_pixel_screen(new_page, staff_user, path):
    """At 320 CSS pixels the sign-in page and the dashboard do not scroll sideways."""
    page = new_page(viewport=NARROW)
    sign_in(page, "ult")
    page.goto(path)

    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def test_logging_in_and_out_works_without_javascript(new_page, staff_user):
    """With JavaScript off an officer signs in, sees the dashboard and signs out (logout is a POST form)."""
    page = new_page(java_script_enabled=False)

    sign_in(page, "ult")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")

    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/staf/")
    expect(page).to_have_url(re.compile(r"/staf/masuk/\?next=/staf/$"))


def test_the_lockout_page_has_no_axe_violations(page, staff_user, axe):
    """After five failures the lockout page explains what happened, in an accessible page."""
    for _ in range(6):
        enter_password(page, "salah-sekali-123")

    expect(page.get_by_role("heading", level=1)).to_have_text("Akun dikunci sementara")
    axe.assert_no_violations()
