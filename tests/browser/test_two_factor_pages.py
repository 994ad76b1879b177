"""The second factor in a real browser: enrolling an authenticator from the QR page's text key, the recovery
codes, the code page with its error state, and the account's security page. Every state is axe-clean, and
the pages work at 320 px without JavaScript."""

import base64
import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from .conftest import STAFF_PASSWORD
from .staff_login import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def staff(transactional_db, world):
    return world


def code_for_key_on_page(page) -> str:
    """What an app that was given the page's typed key shows now."""
    encoded = page.locator(".secret-key").inner_text().replace(" ", "")
    key = base64.b32decode(encoded + "=" * (-len(encoded) % 8))
    return f"{TOTP(key).token():06d}"


def test_a_new_officer_enrols_with_the_keyboard_alone_and_keeps_recovery_codes(page, staff, axe):
    page.goto("/staf/masuk/")
    page.get_by_label("Nama pengguna").fill(staff.ult.username)
    page.get_by_label("Kata sandi").fill(STAFF_PASSWORD)
    page.get_by_label("Kata sandi").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Pasang aplikasi autentikator")
    expect(page.get_by_role("img", name=re.compile("^Kode QR untuk aplikasi autentikator"))).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu petugas")).to_have_count(0)
    page.get_by_label("Kode 6 angka dari aplikasi").focus()
    page.keyboard.type("12")
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Kode tidak cocok")

    page.get_by_label("Kode 6 angka dari aplikasi").fill(code_for_key_on_page(page))
    page.get_by_label("Kode 6 angka dari aplikasi").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Simpan kode pemulihan Anda")
    expect(page.get_by_role("list", name="Kode pemulihan").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("link", name="Saya sudah menyimpan kode ini, lanjutkan").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")

    page.get_by_role("link", name="Keamanan akun").click()
    expect(page.get_by_role("main")).to_contain_text("Kode pemulihan tersisa")
    page.get_by_role("button", name="Buat kode pemulihan baru").click()
    expect(page.get_by_role("list", name="Kode pemulihan").get_by_role("listitem")).to_have_count(10)
    axe.assert_no_violations()


def test_the_code_page_and_its_error_state(page, staff, axe):
    sign_in(page, staff.head)  # enrols the head's authenticator and signs in once
    page.get_by_role("button", name="Keluar").click()

    page.goto("/staf/masuk/?next=/staf/kasus/")
    page.get_by_label("Nama pengguna").fill(staff.head.username)
    page.get_by_label("Kata sandi").fill(STAFF_PASSWORD)
    page.get_by_label("Kata sandi").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Masukkan kode masuk")
    page.get_by_label("Kode masuk").fill("000000x")
    page.get_by_label("Kode masuk").press("Enter")
    expect(page).to_have_title(re.compile("^Galat: "))
    expect(page.locator(".error-summary")).to_contain_text("Kode salah atau sudah dipakai")
    axe.assert_no_violations()


@pytest.mark.parametrize("path", ["/staf/masuk/aktifkan/", "/staf/keamanan/"])
def test_the_pages_fit_320_px_without_javascript(new_page, staff, path):
    page = new_page(java_script_enabled=False, viewport={"width": 320, "height": 640})
    if path == "/staf/keamanan/":
        sign_in(page, staff.admin)
    else:
        page.goto("/staf/masuk/")
        page.get_by_label("Nama pengguna").fill(staff.admin.username)
        page.get_by_label("Kata sandi").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Masuk", exact=True).click()
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
