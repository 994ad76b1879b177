"""Error pages are pages too: plain words, the site's frame, zero axe violations."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_404_page(page, transactional_db, axe):
    response = page.goto("/tidak-ada-halaman-ini/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    axe.assert_no_violations()


def test_the_500_page(page, transactional_db, axe, settings):
    settings.ROOT_URLCONF = "tests.browser.error_urls"

    response = page.goto("/uji/gagal/")

    assert response.status == 500
    expect(page.get_by_role("heading", level=1)).to_have_text("Maaf, ada masalah pada layanan")
    axe.assert_no_violations()


def test_the_expired_form_page(new_page, transactional_db, axe):
    """A sign-in form posted without its CSRF cookie explains what to do, not "CSRF verification failed"."""
    page = new_page(java_script_enabled=False)
    page.goto("/staf/masuk/")
    page.context.clear_cookies()
    page.get_by_label("Nama pengguna").fill("ult")
    page.get_by_label("Kata sandi").fill("apa-saja-123")
    page.get_by_role("button", name="Masuk", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Formulir sudah kedaluwarsa")
    axe.assert_no_violations()
