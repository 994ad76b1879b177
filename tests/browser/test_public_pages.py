"""The public transparency pages in a real browser: axe-clean, no sideways scrolling at 320px, no JavaScript."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from jangkau.offices.models import ServiceCharter, ServiceStandard, ServiceType
from tests.builders import make_office

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
STANDARDS_URL = "/kantor/bpmp-dki/standar-pelayanan/"
CHARTER_URL = "/kantor/bpmp-dki/maklumat/"
PRIVACY_URL = "/privasi/"


@pytest.fixture
def office(transactional_db):
    office = make_office()
    data = ServiceType.objects.create(office=office, code="data-informasi", name="Data dan informasi mutu pendidikan")
    ServiceType.objects.create(office=office, code="konsultasi", name="Konsultasi penjaminan mutu")
    ServiceStandard.objects.create(
        service_type=data,
        requirements="Identitas pemohon (KTP, KIA, atau Kartu Keluarga); jika tidak ada, cukup menyebutkan "
        "alasannya.\nUraian data yang dibutuhkan.",
        procedure="1. Anda meminta layanan lewat saluran resmi.\n2. Petugas ULT mencatat permintaan.\n"
        "3. Petugas melayani Anda.",
        completion_time="Paling lama 5 hari kerja sejak permintaan dicatat.",
        cost="Tidak dipungut biaya (gratis), termasuk ongkos pengiriman dokumen.",
        product="Salinan data atau informasi mutu pendidikan (cetak atau berkas elektronik).",
        complaints="Lewat telepon, WhatsApp, surel, atau SP4N-LAPOR (www.lapor.go.id).",
    )
    ServiceCharter.objects.create(
        office=office,
        text="Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai Standar Pelayanan.\n"
        "Apabila kami tidak menepati janji ini, kami siap menerima sanksi.",
        signed_by_name="Moch. Saiful Somad",
        signed_by_position="Kepala BPMP Provinsi DKI Jakarta",
        signed_on=date(2024, 6, 1),
        place="Jakarta",
    )
    return office


def test_standards_page_has_no_axe_violations(page, axe, office):
    page.goto(STANDARDS_URL)

    expect(page.get_by_role("heading", level=1)).to_have_text("Standar Pelayanan")
    expect(page.get_by_role("heading", level=2, name="Konsultasi penjaminan mutu")).to_be_visible()
    expect(page.get_by_text("Standar pelayanan untuk layanan ini belum diterbitkan.")).to_be_visible()
    expect(page.locator("dt")).to_have_count(6)
    axe.assert_no_violations()
    assert axe.checked, "axe did not run on the standards page"


def test_charter_page_has_no_axe_violations(page, axe, office):
    page.goto(CHARTER_URL)

    expect(page.get_by_role("heading", level=1)).to_have_text("Maklumat Pelayanan")
    expect(page.locator(".charter__signature")).to_contain_text("Jakarta, 1 Juni 2024")
    axe.assert_no_violations()
    assert axe.checked


def test_privacy_page_has_no_axe_violations(page, axe, office):
    page.goto(PRIVACY_URL)

    expect(page.get_by_role("heading", level=1)).to_have_text("Pemberitahuan privasi")
    expect(page.get_by_role("heading", level=2, name="Hak Anda", exact=True)).to_be_visible()
    axe.assert_no_violations()
    assert axe.checked


@pytest.mark.parametrize("url", [STANDARDS_URL, CHARTER_URL, PRIVACY_URL])
def test_page_does_not_scroll_sideways_at_320px(new_page, axe, office, url):
    page = new_page(viewport=NARROW)
    page.goto(url)

    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    axe.assert_no_violations()


def test_standards_page_works_without_javascript(new_page, axe, office):
    page = new_page(java_script_enabled=False)
    page.goto(STANDARDS_URL)

    page.get_by_role("link", name="Konsultasi penjaminan mutu").click()

    expect(page).to_have_url(re.compile(re.escape(STANDARDS_URL + "#layanan-konsultasi") + "$"))
    expect(page.get_by_text("Paling lama 5 hari kerja sejak permintaan dicatat.")).to_be_visible()
    axe.assert_no_violations()


def test_home_page_links_lead_to_the_public_pages(page, office):
    page.goto("/")
    page.get_by_role("link", name="Lihat Standar Pelayanan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Standar Pelayanan")

    page.goto("/")
    page.get_by_role("link", name="Lihat Maklumat Pelayanan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maklumat Pelayanan")

    page.goto("/")
    page.get_by_role("link", name="Bagaimana kami menjaga data pribadi Anda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pemberitahuan privasi")
