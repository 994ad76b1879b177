"""The public transparency pages (Standar Pelayanan, Maklumat Pelayanan, privacy notice), through Django's
test client, and the admin that edits their content."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from jangkau.offices.models import ServiceCharter, ServiceStandard, ServiceType
from tests.builders import make_office

COMPONENTS = (
    "Persyaratan",
    "Sistem, mekanisme, dan prosedur",
    "Jangka waktu penyelesaian",
    "Biaya/tarif",
    "Produk layanan",
    "Penanganan pengaduan, saran, dan masukan",
)
NOT_PUBLISHED = "Standar pelayanan untuk layanan ini belum diterbitkan."


def make_standard(service: ServiceType, **overrides) -> ServiceStandard:
    values = {
        "requirements": "Fotokopi KTP atau alasan tidak memiliki identitas",
        "procedure": "Petugas mencatat, menghubungi, lalu melayani",
        "completion_time": "Paling lama 5 hari kerja",
        "cost": "Tidak dipungut biaya (gratis), termasuk ongkos pengiriman dokumen",
        "product": "Salinan data mutu pendidikan",
        "complaints": "Lewat SP4N-LAPOR atau telepon kantor",
    }
    values.update(overrides)
    return ServiceStandard.objects.create(service_type=service, **values)


def make_charter(office, **overrides) -> ServiceCharter:
    values = {
        "text": "Kami sanggup melayani sesuai Standar Pelayanan.\nKami siap menerima sanksi jika tidak menepatinya.",
        "signed_by_name": "Moch. Saiful Somad",
        "signed_by_position": "Kepala BPMP Provinsi DKI Jakarta",
        "signed_on": date(2024, 6, 1),
        "place": "Jakarta",
    }
    values.update(overrides)
    return ServiceCharter.objects.create(office=office, **values)


@pytest.fixture
def office(db):
    return make_office()


@pytest.fixture
def services(office):
    data = ServiceType.objects.create(office=office, code="data-informasi", name="Data dan informasi mutu")
    consult = ServiceType.objects.create(office=office, code="konsultasi", name="Konsultasi penjaminan mutu")
    return data, consult


def get(client, name, **kwargs):
    return client.get(reverse(f"portal:{name}", kwargs=kwargs), HTTP_ACCEPT_LANGUAGE="id")


# Standar Pelayanan


def test_standards_page_shows_the_six_components_of_each_service(client, office, services):
    data, consult = services
    make_standard(data)
    make_standard(consult, product="Catatan hasil konsultasi")

    response = get(client, "service_standards", office_code=office.code)
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert '<h2 id="layanan-data-informasi">Data dan informasi mutu</h2>' in html
    assert '<h2 id="layanan-konsultasi">Konsultasi penjaminan mutu</h2>' in html
    assert html.count('<dl class="summary-list">') == 2
    for component in COMPONENTS:
        assert html.count(f"<dt>{component}</dt>") == 2
    for words in ("Paling lama 5 hari kerja", "Salinan data mutu pendidikan", "Catatan hasil konsultasi", "gratis"):
        assert words in html
    assert NOT_PUBLISHED not in html


def test_a_service_without_a_standard_says_it_is_not_published(client, office, services):
    data, consult = services
    make_standard(data)

    html = get(client, "service_standards", office_code=office.code).content.decode()

    assert html.count(NOT_PUBLISHED) == 1
    assert html.index("Konsultasi penjaminan mutu</h2>") < html.index(NOT_PUBLISHED)
    assert html.count('<dl class="summary-list">') == 1


def test_standards_page_lists_only_active_services_of_that_office(client, office, services):
    data, consult = services
    consult.is_active = False
    consult.save()
    other = make_office("bbpmp-jatim", "BBPMP Provinsi Jawa Timur")
    make_standard(ServiceType.objects.create(office=other, code="lain", name="Layanan kantor lain"))

    html = get(client, "service_standards", office_code=office.code).content.decode()

    assert "Data dan informasi mutu" in html
    assert "Konsultasi penjaminan mutu" not in html
    assert "Layanan kantor lain" not in html


def test_standard_text_is_escaped(client, office, services):
    make_standard(services[0], requirements="<script>alert(1)</script>")

    html = get(client, "service_standards", office_code=office.code).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_cost_defaults_to_free(office, services):
    standard = ServiceStandard.objects.create(
        service_type=services[0], requirements="-", procedure="-", completion_time="-", product="-", complaints="-"
    )

    assert standard.cost == "Gratis"


@pytest.mark.parametrize("page", ["service_standards", "charter"])
def test_unknown_office_is_404(client, db, page):
    assert get(client, page, office_code="tidak-ada").status_code == 404


@pytest.mark.parametrize("page", ["service_standards", "charter"])
def test_inactive_office_is_404(client, office, page):
    make_charter(office)
    office.is_active = False
    office.save()

    assert get(client, page, office_code=office.code).status_code == 404


# Maklumat Pelayanan


def test_charter_page_shows_the_promise_place_date_and_signer(client, office):
    make_charter(office)

    response = get(client, "charter", office_code=office.code)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Maklumat Pelayanan</h1>" in html
    assert "<p>Kami sanggup melayani sesuai Standar Pelayanan.<br>Kami siap menerima sanksi" in html
    assert "Jakarta, 1 Juni 2024" in html
    assert "Kepala BPMP Provinsi DKI Jakarta" in html
    assert "<strong>Moch. Saiful Somad</strong>" in html


def test_office_without_a_charter_is_404(client, office):
    assert get(client, "charter", office_code=office.code).status_code == 404


# Privacy notice


def test_privacy_page_covers_what_uu_27_2022_requires(client, office):
    response = client.get(reverse("portal:privacy"), HTTP_ACCEPT_LANGUAGE="id")
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    for heading in (
        "Siapa yang mengolah data Anda",
        "Data apa yang kami minta",
        "Untuk apa data Anda dipakai",
        "Siapa yang melihat data Anda",
        "Berapa lama data Anda disimpan",
        "Hak Anda",
        "Cara menggunakan hak Anda",
        "Jika terjadi kebocoran data",
    ):
        assert f">{heading}</h2>" in html
    for words in (
        "Undang-Undang Nomor 27 Tahun 2022",
        "NIK",
        "disabilitas",
        "data pribadi yang bersifat spesifik",
        "tugas kantor sebagai penyelenggara pelayanan publik",
        "persetujuan Anda secara tegas",
        "sistem mencatat siapa yang membukanya",
        "dianonimkan",
        "meminta salinannya",
        "diperbaiki",
        "dihapus",
        "dibatasi",
        "menarik kembali persetujuan",
        "3 × 24 jam",
        "BPMP Provinsi DKI Jakarta",
    ):
        assert words in html, words


# Home page links


def test_home_links_to_the_public_pages(client, office, services):
    make_charter(office)

    html = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="id").content.decode()

    assert f'<a href="{reverse("portal:service_standards", kwargs={"office_code": office.code})}">' in html
    assert f'<a href="{reverse("portal:charter", kwargs={"office_code": office.code})}">' in html
    assert f'<a href="{reverse("portal:privacy")}">' in html


def test_home_has_no_charter_link_without_a_charter(client, office, services):
    html = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="id").content.decode()

    assert "/maklumat/" not in html
    assert reverse("portal:privacy") in html


# Admin


@pytest.fixture
def office_admin(world):
    admin = world.admin
    admin.is_staff = True
    admin.save()
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="offices"))
    return admin


def test_office_admin_sees_and_picks_only_their_office_services(client, world, other_world, office_admin):
    own = make_standard(world.service, product="Produk kantor sendiri")
    foreign = make_standard(other_world.service, product="Produk kantor lain")
    other_world.service.name = "Layanan kantor lain"
    other_world.service.save()
    client.force_login(office_admin)

    listing = client.get("/admin/offices/servicestandard/").content.decode()
    add_form = client.get("/admin/offices/servicestandard/add/").content.decode()

    assert f"/admin/offices/servicestandard/{own.pk}/change/" in listing
    assert f"/admin/offices/servicestandard/{foreign.pk}/change/" not in listing
    assert client.get(f"/admin/offices/servicestandard/{foreign.pk}/change/").status_code == 302
    assert f'value="{world.service.pk}"' in add_form
    assert f'value="{other_world.service.pk}"' not in add_form


def test_office_admin_edits_the_charter_of_their_office_only(client, world, other_world, office_admin):
    own = make_charter(world.office)
    foreign = make_charter(other_world.office)
    client.force_login(office_admin)

    listing = client.get("/admin/offices/servicecharter/").content.decode()

    assert f"/admin/offices/servicecharter/{own.pk}/change/" in listing
    assert f"/admin/offices/servicecharter/{foreign.pk}/change/" not in listing
    assert client.get(f"/admin/offices/servicecharter/{own.pk}/change/").status_code == 200
