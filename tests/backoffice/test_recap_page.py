"""The recap page and its downloads: filters on screen, field errors for values that mean nothing, and
XLSX and PDF files holding exactly the filtered rows with identifiers masked, each download audited."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from jangkau.accounts.models import Role, User
from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.models import Channel
from jangkau.core import clock
from tests.builders import VALID_NIK, intake_data, perform, submit
from tests.pdf_text import pdf_objects, pdf_text

pytestmark = pytest.mark.django_db

URL = "/staf/rekap/"
XLSX_URL = "/staf/rekap/unduh.xlsx"
PDF_URL = "/staf/rekap/unduh.pdf"
FULL_PHONE_DIGITS = "81234567890"  # of "0812-3456-7890", stored as +6281234567890


@pytest.fixture
def cases(world, other_world, frozen):
    """Three cases of the office (one accepted, one recorded by phone) and one of another office."""
    web = submit(world)
    clock.advance(timedelta(minutes=5))
    by_phone = svc.case_submit(
        office=world.office, data=intake_data(world, full_name="Budi Santoso"), channel=Channel.PHONE, actor=world.ult2
    )
    clock.advance(timedelta(minutes=5))
    accepted = perform("accept", submit(world, full_name="Wati Lestari", vulnerabilities=["disability_blind"]), world)
    elsewhere = submit(other_world, full_name="Orang Lain")
    return {"web": web, "by_phone": by_phone, "accepted": accepted, "elsewhere": elsewhere}


def all_cells(workbook) -> list:
    return [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def recap_events():
    return AuditEvent.objects.filter(action="recap.export")


# --- who may see it ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ULT_OFFICER, Role.PPID_MEMBER, Role.HEAD, Role.ADMIN])
def test_every_staff_role_of_the_office_sees_the_recap(client, world, cases, role):
    """Given a staff member of any role, when they open the recap, then their office's cases are listed."""
    client.force_login(world.actor_for(role))

    page = client.get(URL).content.decode()

    assert "<h1>Rekap permohonan</h1>" in page
    for name in ("web", "by_phone", "accepted"):
        assert cases[name].registration_number in page
    assert "Orang Lain" not in page
    assert "3 permohonan sesuai saringan." in page


def test_a_user_without_an_office_gets_404_and_a_visitor_is_sent_to_sign_in(client, world):
    """Given no office there are no cases to recap: 404. Signed out: the sign-in page."""
    assert client.get(URL).status_code == 302
    assert client.get(XLSX_URL).status_code == 302

    client.force_login(User.objects.create_user(username="root", password="x", is_superuser=True))

    assert client.get(URL).status_code == 404
    assert client.get(PDF_URL).status_code == 404


# --- the page ---------------------------------------------------------------------------------------------


def test_the_page_masks_identifiers_and_has_a_labelled_table(client, world, cases):
    """The table has a caption with the count and sits in a labelled focusable region; no full NIK or phone."""
    client.force_login(world.head)

    page = client.get(URL).content.decode()

    assert '<div class="table-scroll" role="region" aria-labelledby="recap-caption" tabindex="0">' in page
    assert '<caption id="recap-caption">' in page and "periode Semua: 3 permohonan" in page
    assert "3171********0001" in page and "+62812****7890" in page
    assert VALID_NIK not in page and FULL_PHONE_DIGITS not in page
    assert f'href="/staf/kasus/{cases["web"].registration_number}/"' in page
    assert '<legend class="label">Periode pengajuan</legend>' in page
    assert 'type="date" name="date_from"' in page
    assert "Diajukan sejak tanggal berapa? (opsional)" in page


def test_filters_narrow_the_table_and_the_download_links_carry_them(client, world, cases):
    """Given filters for phone requests and an officer, then only that case is listed and both download
    links carry the same filters."""
    client.force_login(world.head)

    page = client.get(URL, {"channel": "phone", "officer": world.ult2.pk, "status": ""}).content.decode()

    assert cases["by_phone"].registration_number in page
    assert cases["web"].registration_number not in page
    assert cases["accepted"].registration_number not in page
    assert "1 permohonan sesuai saringan." in page
    query = f"channel=phone&amp;officer={world.ult2.pk}"
    assert f'href="{XLSX_URL}?{query}">Unduh XLSX</a>' in page
    assert f'href="{PDF_URL}?{query}">Unduh PDF</a>' in page
    assert '<option value="phone" selected>' in page


def test_a_date_typed_day_first_is_understood(client, world, cases):
    """Where a browser has no date picker, officers type 06/01/2025: it is read as 6 January 2025 and the
    download links carry it as 2025-01-06."""
    client.force_login(world.head)

    page = client.get(URL, {"date_from": "06/01/2025", "date_to": "06/01/2025"}).content.decode()

    assert "3 permohonan sesuai saringan." in page
    assert f'href="{XLSX_URL}?date_from=2025-01-06&amp;date_to=2025-01-06"' in page
    assert client.get(URL, {"date_from": "07/01/2025"}).content.decode().count("0 permohonan sesuai saringan.") == 1


def test_no_matching_case_says_so_without_a_table(client, world, cases):
    """A filter that matches nothing says so in words, with no empty table."""
    client.force_login(world.ult)

    page = client.get(URL, {"vulnerability": "child"}).content.decode()

    assert "0 permohonan sesuai saringan." in page
    assert "Tidak ada permohonan yang sesuai saringan." in page
    assert "<table" not in page


def test_the_page_shows_at_most_the_screen_limit_and_the_files_hold_all(client, world, cases, monkeypatch):
    """Given more matching cases than the page shows, the page says so and the XLSX still holds them all."""
    monkeypatch.setattr("jangkau.backoffice.recap_views.SCREEN_LIMIT", 2)
    client.force_login(world.head)

    page = client.get(URL).content.decode()

    assert "3 permohonan sesuai saringan." in page
    assert "Tabel di bawah menampilkan 2 permohonan pertama; unduhan berisi semuanya." in page
    assert cases["accepted"].registration_number not in page
    sheet = load_workbook(io.BytesIO(client.get(XLSX_URL).content))["Rekap"]
    assert sheet.max_row == 4


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "2025-13-45"}, "date_from", "Tanggal awal tidak dikenali."),
        ({"date_to": "kemarin"}, "date_to", "Tanggal akhir tidak dikenali."),
        ({"date_from": "2025-02-01", "date_to": "2025-01-01"}, "date_to", "sesudah tanggal awal"),
        ({"date_from": "1900-01-01"}, "date_from", "harus antara tahun 2000 dan 2099"),
        ({"status": "lost"}, "status", "Pilih status dari daftar."),
        ({"vulnerability": "tall"}, "vulnerability", "Pilih kelompok rentan dari daftar."),
        ({"channel": "pigeon"}, "channel", "Pilih saluran dari daftar."),
        ({"service_type": "unknown"}, "service_type", "Pilih jenis layanan dari daftar."),
        ({"officer": "abc"}, "officer", "Pilih petugas dari daftar."),
    ],
)
def test_bad_filters_are_answered_with_the_error_summary_and_no_results(client, world, cases, params, field, message):
    """Given a value that is not a date or not a known code, then the page shows "Ada masalah" with a link
    to the field, the message beside it, no table and no download link."""
    client.force_login(world.ult)

    response = client.get(URL, params)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Galat:" in page and "Ada masalah" in page
    assert f'href="#id_{field}"' in page
    assert message in page
    assert f'id="id_{field}-error"' in page
    assert "<table" not in page and "Unduh XLSX" not in page


def test_another_office_officer_or_service_is_refused(client, world, other_world, cases):
    """An officer of another office is not a choice here, even by its number."""
    client.force_login(world.head)

    page = client.get(URL, {"officer": other_world.ult.pk}).content.decode()

    assert "Pilih petugas dari daftar." in page
    assert "Orang Lain" not in page


@pytest.mark.parametrize("url", [XLSX_URL, PDF_URL])
def test_bad_filters_export_nothing(client, world, cases, url):
    """Given a bad filter, a download answers 400 with the page and its errors; nothing is audited."""
    client.force_login(world.head)

    response = client.get(url, {"date_from": "31.01.2025"})

    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert "Ada masalah" in response.content.decode()
    assert not recap_events().exists()


# --- XLSX -------------------------------------------------------------------------------------------------


def test_the_xlsx_holds_exactly_the_filtered_rows_masked(client, world, cases):
    """Given a filter on the blind requester's category, when the XLSX is downloaded, then it opens with
    openpyxl, has one header row and that case alone, masked, and no full NIK or phone in any cell."""
    client.force_login(world.head)

    response = client.get(XLSX_URL, {"vulnerability": "disability_blind"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="rekap-bpmp-dki-2025-01-06.xlsx"'
    assert response["Cache-Control"] == "no-store"
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Rekap", "Keterangan"]
    rows = list(workbook["Rekap"].iter_rows(values_only=True))
    assert rows[0][:3] == ("No. registrasi", "Diajukan pada (WIB)", "Nama pemohon")
    assert [row[0] for row in rows[1:]] == [cases["accepted"].registration_number]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Nama pemohon"] == "Wati Lestari"
    assert row["NIK / nomor identitas"] == "3171********0001"
    assert row["Telepon"] == "+62812****7890"
    assert row["Kelompok rentan"] == "Penyandang disabilitas sensorik netra (tunanetra)"
    assert row["Status"] == "Diterima"
    assert row["Petugas"] == "Bpmp-Dki-Ult"
    assert row["Langkah saat ini"] == 3
    assert row["Diajukan pada (WIB)"] == cases["accepted"].submitted_at.astimezone(clock.now().tzinfo).replace(
        tzinfo=None
    )
    cells = [str(value) for value in all_cells(workbook) if value is not None]
    assert not any(VALID_NIK in value or FULL_PHONE_DIGITS in value for value in cells)
    assert workbook["Rekap"].column_dimensions["C"].width > 10


def test_the_xlsx_names_the_office_the_filters_and_the_export_time(client, world, cases):
    """The second sheet says where, when and with which filters the recap was made."""
    client.force_login(world.head)

    response = client.get(XLSX_URL, {"channel": "phone", "date_from": "2025-01-01"})

    sheet = load_workbook(io.BytesIO(response.content))["Keterangan"]
    about = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert about["Kantor"] == "BPMP Provinsi DKI Jakarta"
    assert about["Diekspor pada"] == "6 Januari 2025, 08.10 WIB"
    assert about["Jumlah permohonan"] == 1
    assert about["Saluran"] == "Telepon"
    assert about["Periode pengajuan"] == "sejak 1 Januari 2025"
    assert about["Status"] == "Semua"


def test_a_name_typed_as_a_formula_stays_text_in_the_xlsx(client, world, frozen):
    """Given a requester whose name starts with "=", the cell holds text, never a formula."""
    submit(world, full_name="=HYPERLINK(1)")
    client.force_login(world.head)

    workbook = load_workbook(io.BytesIO(client.get(XLSX_URL).content))

    cell = workbook["Rekap"]["C2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


def test_an_export_writes_one_audit_event_without_personal_data(client, world, cases):
    """One download, one event: who, the format, the filters as codes and dates, and the row count."""
    client.force_login(world.ult)

    client.get(XLSX_URL, {"status": "submitted", "date_to": "2025-01-31", "officer": ""})

    [event] = recap_events()
    assert event.actor_id == world.ult.pk and event.office_id == world.office.pk
    assert event.changes == {
        "format": "xlsx",
        "filters": {"date_to": "2025-01-31", "status": "submitted"},
        "rows": 2,
    }
    assert VALID_NIK not in str(event.changes) and "Siti" not in str(event.changes)


# --- PDF --------------------------------------------------------------------------------------------------


def test_the_pdf_holds_the_filtered_registration_numbers_masked(client, world, cases):
    """Given a filter on submitted cases, the PDF is a PDF whose text holds those cases' numbers and masked
    NIK, the office and the filters, and neither the accepted case nor any full NIK."""
    client.force_login(world.head)

    response = client.get(PDF_URL, {"status": "submitted"})

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="rekap-bpmp-dki-2025-01-06.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert cases["web"].registration_number in text
    assert cases["by_phone"].registration_number in text
    assert cases["accepted"].registration_number not in text
    assert "Orang Lain" not in text  # the other office's case (numbers run per office, so not by number)
    assert "3171********0001" in text and "+62812****7890" in text
    assert VALID_NIK not in text and FULL_PHONE_DIGITS not in text
    assert "BPMP Provinsi DKI Jakarta" in text
    assert "Diajukan" in text and "2 permohonan" in text
    [event] = recap_events()
    assert event.changes == {"format": "pdf", "filters": {"status": "submitted"}, "rows": 2}


def test_the_pdf_is_landscape_a4(client, world, cases):
    """Every page is A4 turned sideways (842 x 595 points), wide enough for the table."""
    client.force_login(world.head)

    content = client.get(PDF_URL).content

    pages = [head for head, _data in pdf_objects(content).values() if b"/Type /Page/" in head]
    assert pages and all(b"/MediaBox [0 0 841.889764 595.275591]" in head for head in pages)
