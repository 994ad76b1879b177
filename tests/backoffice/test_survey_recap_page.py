"""The survey recap page (POS step 7) and its downloads: the current quarter by default, one service when
chosen, errors for a period that means nothing, the office's own data only, one audit event per download."""

import io
import re

import pytest
from openpyxl import load_workbook

from jangkau.accounts.models import Role, User
from jangkau.audit.models import AuditEvent
from jangkau.offices.models import ServiceType
from jangkau.surveys.imports import skm_import
from jangkau.surveys.services import survey_record_by_officer
from tests.builders import public_info_service
from tests.pdf_text import pdf_text
from tests.surveys.test_import import csv_bytes
from tests.surveys.test_reports import _answers, _delivered

pytestmark = pytest.mark.django_db

URL = "/staf/survei/rekap/"
XLSX_URL = "/staf/survei/rekap/unduh.xlsx"
PDF_URL = "/staf/survei/rekap/unduh.pdf"
JANUARY = {"date_from": "2025-01-01", "date_to": "2025-01-31"}


@pytest.fixture
def answers(world, other_world, frozen):
    """January 2025: two answers through the office's usual service (one assisted), one through its public
    information service, one paper form typed in without a case; another office's answer."""
    survey_record_by_officer(
        case=_delivered(world), actor=world.ult, mode="paper", data={**_answers([4] * 9), "suggestion": "Cepat"}
    )
    survey_record_by_officer(
        case=_delivered(world), actor=world.ult, mode="assisted", data={**_answers([3] * 9), "suggestion": ""}
    )
    public = _delivered(world, service_type=public_info_service(world))
    survey_record_by_officer(
        case=public, actor=world.ult, mode="paper", data={**_answers([1] * 9), "suggestion": "Informasi lambat"}
    )
    skm_import(
        office=world.office,
        filename="skm.csv",
        content=csv_bytes("2025-01-02,L,25,d4_s1,private,2,2,2,2,2,2,2,2,2,Kertas tanpa kasus,"),
    )
    survey_record_by_officer(
        case=_delivered(other_world),
        actor=other_world.ult,
        mode="paper",
        data={**_answers([4] * 9), "suggestion": "Saran kantor lain"},
    )


def figure(page: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', page).group(1)


def recap_events():
    return AuditEvent.objects.filter(action="survey.recap_export")


# --- who may see it ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ULT_OFFICER, Role.PPID_MEMBER, Role.HEAD, Role.ADMIN])
def test_every_staff_role_of_the_office_sees_the_recap_and_its_menu_link(client, world, answers, role):
    client.force_login(world.actor_for(role))

    response = client.get(URL, JANUARY)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Rekap survei kepuasan masyarakat</h1>" in page
    assert figure(page, "respondents") == "4"
    assert f'<a href="{URL}" aria-current="page">Rekap survei</a>' in page


def test_a_user_without_an_office_gets_404_and_a_visitor_is_sent_to_sign_in(client, world):
    assert client.get(URL).status_code == 302
    assert client.get(PDF_URL).status_code == 302

    client.force_login(User.objects.create_user(username="root", password="x", is_superuser=True))

    assert client.get(URL).status_code == 404
    assert client.get(XLSX_URL).status_code == 404


# --- the page ---------------------------------------------------------------------------------------------


def test_without_a_period_the_page_shows_the_current_quarter(client, world, answers):
    """Opened from the menu (6 January 2025, office time), the period is 1 January to 31 March 2025, filled
    in the form and carried by both download links."""
    client.force_login(world.ult)

    page = client.get(URL).content.decode()

    assert 'name="date_from" value="2025-01-01"' in page and 'name="date_to" value="2025-03-31"' in page
    assert "Hasil 1 Januari 2025 s.d. 31 Maret 2025" in page
    assert f'href="{XLSX_URL}?date_from=2025-01-01&amp;date_to=2025-03-31">Unduh XLSX</a>' in page
    assert f'href="{PDF_URL}?date_from=2025-01-01&amp;date_to=2025-03-31">Unduh PDF</a>' in page
    assert figure(page, "respondents") == "4"


def test_the_page_shows_the_figures_chart_table_profile_weakest_and_suggestions(client, world, answers):
    """Given four answers, the page has the figures, an SVG chart named for screen readers followed by the
    same numbers in a labelled table, the profile (assisted flagged), the weakest three and the suggestions,
    newest first."""
    client.force_login(world.head)

    page = client.get(URL, JANUARY).content.decode()

    # U1..U9: 4, 3, 1, 2 -> NRR 2.5 each, IKM 2.5, converted 62.50, D.
    assert (figure(page, "ikm"), figure(page, "ikm_converted"), figure(page, "grade")) == ("2,5000", "62,50", "D")
    assert figure(page, "performance") == "Tidak Baik"
    assert (figure(page, "population_served"), figure(page, "sample_required")) == ("3", "3")
    assert figure(page, "sample_sufficient") == "tercapai"
    assert '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 420 308" width="100%" role="img"' in page
    assert '<title id="ikm-chart-title">Grafik NRR per unsur (skala 1–4)</title>' in page
    assert '<div class="table-scroll" role="region" aria-labelledby="unsur-caption" tabindex="0">' in page
    assert page.count('<td data-value="nrr">2,5000</td>') == 9
    assert page.count('<td data-value="nrr_weighted">0,2778</td>') == 9
    # All tied: the weakest three go by code.
    assert re.findall(r'data-weakest="(U\d)"', page) == ["U1", "U2", "U3"]
    sex = re.search(r'data-profile="sex">(.*?)</table>', page, re.S).group(1)
    assert re.search(r'data-category="L">.*?<td>1</td>\s*<td>25,0%</td>', sex, re.S)
    assert re.search(r'data-category="P">.*?<td>3</td>\s*<td>75,0%</td>', sex, re.S)
    age = re.search(r'data-profile="age">(.*?)</table>', page, re.S).group(1)
    assert re.search(r'data-category="20–29">.*?<td>1</td>', age, re.S)
    assert re.search(r'data-category="60\+">.*?<td>3</td>', age, re.S)
    mode = re.search(r'data-profile="mode">(.*?)</table>', page, re.S).group(1)
    assert re.search(r"Wawancara terbantu<br><span class=\"hint\">Kurang bebas[^<]*</span></th>\s*<td>1</td>", mode)
    assert "3 saran, terbaru lebih dulu." in page
    assert page.index("Cepat") < page.index("Kertas tanpa kasus")  # 6 January before 2 January
    assert "Saran kantor lain" not in page


def test_a_service_narrows_the_recap_and_the_links_carry_it(client, world, answers):
    """Choosing the public information service keeps its one answer; the paper form without a case and the
    other service's answers are left out."""
    client.force_login(world.ult)

    page = client.get(URL, {**JANUARY, "service_type": "informasi-publik"}).content.decode()

    assert figure(page, "respondents") == "1" and figure(page, "ikm_converted") == "25,00"
    assert "Informasi lambat" in page and "Cepat" not in page and "Kertas tanpa kasus" not in page
    assert '<option value="informasi-publik" selected>' in page
    assert f'href="{XLSX_URL}?date_from=2025-01-01&amp;date_to=2025-01-31&amp;service_type=informasi-publik"' in page


def test_a_period_without_answers_says_so_without_a_chart(client, world, answers):
    client.force_login(world.ult)

    page = client.get(URL, {"date_from": "2024-07-01", "date_to": "2024-09-30"}).content.decode()

    assert "Belum ada jawaban survei pada periode ini" in page
    assert figure(page, "respondents") == "0" and figure(page, "ikm") == "—"
    assert "<svg" not in page and "data-weakest" not in page
    assert "Tidak ada saran tertulis pada periode ini." in page


def test_another_office_is_never_shown_even_with_its_service_code(client, world, other_world, answers):
    """Another office's answers are never counted; its own service code is no choice here."""
    ServiceType.objects.create(office=other_world.office, code="layanan-lain", name="Layanan kantor lain")
    client.force_login(world.head)

    mine = client.get(URL, JANUARY).content.decode()
    theirs = client.get(URL, {**JANUARY, "service_type": "layanan-lain"})

    assert figure(mine, "respondents") == "4" and "Saran kantor lain" not in mine
    assert theirs.status_code == 400 and "Pilih jenis layanan dari daftar." in theirs.content.decode()
    assert "Layanan kantor lain" not in theirs.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "2025-02-01", "date_to": "2025-01-31"}, "date_to", "sesudah tanggal awal"),
        ({"date_from": "2025-13-45", "date_to": "2025-01-31"}, "date_from", "Tanggal awal tidak dikenali."),
        ({"date_from": "2025-01-01", "date_to": "besok"}, "date_to", "Tanggal akhir tidak dikenali."),
        ({"date_from": "", "date_to": "2025-01-31"}, "date_from", "Isi tanggal awal periode."),
        ({"date_from": "1900-01-01", "date_to": "2025-01-31"}, "date_from", "harus antara tahun 2000 dan 2099"),
    ],
)
def test_a_bad_period_shows_the_errors_and_computes_nothing(client, world, answers, params, field, message):
    """Given a period that means nothing, the page answers 400 with "Ada masalah", a link to the field, the
    message beside it, and no figures, chart or download link."""
    client.force_login(world.ult)

    response = client.get(URL, params)

    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Galat:" in page and "Ada masalah" in page
    assert f'href="#id_{field}"' in page and f'id="id_{field}-error"' in page and message in page
    assert "data-figure" not in page and "<svg" not in page and "Unduh XLSX" not in page


@pytest.mark.parametrize("url", [XLSX_URL, PDF_URL])
def test_a_bad_period_downloads_nothing_and_audits_nothing(client, world, answers, url):
    client.force_login(world.head)

    response = client.get(url, {"date_from": "2025-02-01", "date_to": "2025-01-01"})

    assert response.status_code == 400 and "Content-Disposition" not in response
    assert "Ada masalah" in response.content.decode()
    assert not recap_events().exists()


# --- downloads --------------------------------------------------------------------------------------------


def test_each_download_writes_one_audit_event(client, world, answers):
    """An XLSX and a PDF download: two events naming who, the format, the period and the service."""
    client.force_login(world.ppid)

    xlsx = client.get(XLSX_URL, {**JANUARY, "service_type": "informasi-publik"})
    pdf = client.get(PDF_URL, JANUARY)

    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert xlsx["Content-Disposition"] == 'attachment; filename="rekap-skm-bpmp-dki-2025-01-01-2025-01-31.xlsx"'
    assert pdf["Content-Type"] == "application/pdf" and pdf["Cache-Control"] == "no-store"
    assert pdf["Content-Disposition"] == 'attachment; filename="rekap-skm-bpmp-dki-2025-01-01-2025-01-31.pdf"'
    events = list(recap_events().order_by("seq"))
    assert [(event.actor_id, event.office_id) for event in events] == [(world.ppid.pk, world.office.pk)] * 2
    assert [event.changes for event in events] == [
        {"format": "xlsx", "from": "2025-01-01", "to": "2025-01-31", "service": "informasi-publik"},
        {"format": "pdf", "from": "2025-01-01", "to": "2025-01-31", "service": ""},
    ]


def test_the_xlsx_holds_the_profile_weakest_and_suggestions(client, world, answers):
    client.force_login(world.head)

    workbook = load_workbook(io.BytesIO(client.get(XLSX_URL, JANUARY).content))

    assert workbook.sheetnames == ["Ringkasan", "Unsur", "Terlemah", "Profil", "Saran"]
    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(values_only=True) if row[0]}
    assert summary["Kantor"] == "BPMP Provinsi DKI Jakarta" and summary["Jenis layanan"] == "Semua jenis layanan"
    assert summary["Periode"] == "1 Januari 2025 s.d. 31 Januari 2025"
    assert [row[1] for row in workbook["Terlemah"].iter_rows(min_row=2, values_only=True)] == ["U1", "U2", "U3"]
    profile = list(workbook["Profil"].iter_rows(values_only=True))
    assert ("Perempuan", 3, 75.0, None) in profile
    assert ("Wawancara terbantu", 1, 25.0, "Kurang bebas: dijawab di hadapan petugas") in profile
    suggestions = [row[2] for row in workbook["Saran"].iter_rows(min_row=2, values_only=True)]
    assert suggestions == ["Informasi lambat", "Cepat", "Kertas tanpa kasus"]


def test_the_pdf_names_the_office_period_and_service(client, world, answers):
    client.force_login(world.head)

    text = pdf_text(client.get(PDF_URL, {**JANUARY, "service_type": "informasi-publik"}).content)

    assert "BPMP Provinsi DKI Jakarta" in text and "1 Januari 2025 s.d. 31 Januari 2025" in text
    assert "Jenis layanan\nPermohonan informasi publik\n" in text
    assert "IKM konversi (25–100)\n25,00\n" in text and "Informasi lambat" in text and "Cepat" not in text
