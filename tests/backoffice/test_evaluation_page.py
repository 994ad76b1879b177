"""The evaluation page (/staf/evaluasi/) and its downloads: every staff role of the office reads it, the
current quarter by default, a month/quarter/semester/year or any dates chosen with a GET form, a period
that means nothing answered with the error summary, the office's own data only, one audit event per
download, and links to the monitoring table and the follow-up actions."""

import io
import re

import pytest
from openpyxl import load_workbook

from jangkau.accounts.models import Role, User
from jangkau.audit.models import AuditEvent
from tests.pdf_text import pdf_text
from tests.reports.test_evaluation import period  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

URL = "/staf/evaluasi/"
XLSX_URL = "/staf/evaluasi/unduh.xlsx"
PDF_URL = "/staf/evaluasi/unduh.pdf"
JANUARY = {"kind": "month", "year": "2025", "number": "1"}


def cell(page: str, step: int, name: str) -> str:
    row = re.search(rf'<tr data-step="{step}">(.*?)</tr>', page, re.S).group(1)
    return re.sub(r"<[^>]+>", "", re.search(rf'data-value="{name}">(.*?)</td>', row, re.S).group(1)).strip()


@pytest.mark.parametrize("role", [Role.ULT_OFFICER, Role.PPID_MEMBER, Role.HEAD, Role.ADMIN])
def test_every_staff_role_of_the_office_reads_the_evaluation(client, world, period, role):  # noqa: F811
    client.force_login(world.actor_for(role))

    response = client.get(URL, JANUARY)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Evaluasi berkala</h1>" in page and "Evaluasi Januari 2025" in page
    assert (cell(page, 2, "median"), cell(page, 2, "p90"), cell(page, 2, "within")) == ("4,0", "10,0", "66,7% (2/3)")
    assert (cell(page, 3, "done"), cell(page, 3, "breaches"), cell(page, 3, "within")) == ("3", "2", "33,3% (1/3)")
    assert "Antrean loket panjang" in page and "belum dijelaskan" in page
    assert "Siti Aminah" not in page
    # Only the head (the evaluator) fills in the monitoring table and raises follow-up actions.
    query = "from=2025-01-01&amp;to=2025-01-31"
    assert (f'href="/staf/evaluasi/pemantauan/?{query}"' in page) == (role == Role.HEAD)
    assert (f'href="/staf/tindak-lanjut/baru/?{query}"' in page) == (role == Role.HEAD)
    assert f'href="{XLSX_URL}?{query}">Unduh XLSX</a>' in page
    assert f'href="{PDF_URL}?{query}">Unduh PDF</a>' in page


def test_the_charts_are_named_images_beside_tables_of_the_same_numbers(client, world, period):  # noqa: F811
    client.force_login(world.head)

    page = client.get(URL, JANUARY).content.decode()

    assert page.count('role="img"') == 6  # five volumes and the steps
    assert '<title id="chart-channel-title">Grafik jumlah permohonan menurut saluran</title>' in page
    assert re.search(r'<desc id="chart-channel-desc">Formulir web: 2; WhatsApp: 1\.', page)
    assert re.search(r'<desc id="chart-steps-desc">Langkah 1: Median 0,0 menit, Waktu standar 5 menit; Langkah 2: '
                     r"Median 4,0 menit, Waktu standar 5 menit;", page)  # fmt: skip
    assert '<table class="pos-table pos-table--narrow evaluation-table" data-volume="channel">' in page


def test_without_a_period_the_page_shows_the_current_quarter(client, world, frozen):
    client.force_login(world.ult)

    page = client.get(URL).content.decode()

    assert "Evaluasi Triwulan I 2025" in page
    assert 'name="year" value="2025"' in page and 'name="number" value="1"' in page
    assert 'value="quarter" class="intake-choices" id="id_kind_1" checked' in page or re.search(
        r'<input[^>]*value="quarter"[^>]*checked', page
    )
    assert "Tidak ada langkah yang melewati waktu standar dalam periode ini." in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "quarter", "year": "2025", "number": "5"}, "Pilih triwulan 1 sampai 4."),
        ({"kind": "month", "year": "20x5", "number": "1"}, "Tulis tahun dengan empat angka, misalnya 2025."),
        ({"kind": "year", "year": ""}, "Isi tahun, misalnya 2025."),
        ({"kind": "custom", "from": "2025-02-01", "to": "2025-01-01"}, "Tanggal akhir harus sama dengan atau sesudah"),
        ({"kind": "custom", "from": "2025-02-01"}, "Isi tanggal akhir periode."),
        ({"kind": "fortnight", "year": "2025"}, "Pilih bulan, triwulan, semester, tahun, atau tanggal tertentu."),
    ],
)
def test_a_period_that_means_nothing_is_answered_with_the_error_summary(client, world, query, message):
    client.force_login(world.ult)

    response = client.get(URL, query)

    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Galat: Evaluasi berkala" in page
    assert 'class="error-summary" tabindex="-1" autofocus' in page and "Ada masalah" in page
    assert message in page
    assert "Unduh XLSX" not in page and 'role="img"' not in page


def test_dates_alone_choose_those_dates_and_a_whole_quarter_is_named(client, world):
    client.force_login(world.ult)

    quarter = client.get(URL, {"from": "2025-10-01", "to": "2025-12-31"}).content.decode()
    odd = client.get(URL, {"from": "2025-01-06", "to": "2025-02-14"}).content.decode()

    assert "Evaluasi Triwulan IV 2025" in quarter
    assert "Evaluasi 6 Januari 2025 s.d. 14 Februari 2025" in odd
    assert re.search(r'<input[^>]*value="custom"[^>]*checked', odd)


def test_the_downloads_hold_the_period_and_are_audited_once_each(client, world, period):  # noqa: F811
    client.force_login(world.ult)

    xlsx = client.get(XLSX_URL, {"from": "2025-01-01", "to": "2025-01-31"})
    pdf = client.get(PDF_URL, JANUARY)

    assert xlsx.status_code == 200 and xlsx["Cache-Control"] == "no-store"
    assert 'filename="evaluasi-bpmp-dki-2025-01-01-2025-01-31.xlsx"' in xlsx["Content-Disposition"]
    steps = load_workbook(io.BytesIO(xlsx.content))["Waktu per langkah"]
    assert [cell.value for cell in steps[3]][4:] == [3, 2, 66.7, 4.0, 10.0, 1]
    assert pdf.status_code == 200 and "Januari 2025" in pdf_text(pdf.content)
    events = AuditEvent.objects.filter(action="evaluation.report_exported").order_by("seq")
    assert [(e.actor, e.changes) for e in events] == [
        (world.ult, {"format": "xlsx", "from": "2025-01-01", "to": "2025-01-31", "period": "month"}),
        (world.ult, {"format": "pdf", "from": "2025-01-01", "to": "2025-01-31", "period": "month"}),
    ]


def test_a_bad_period_downloads_nothing(client, world):
    client.force_login(world.ult)

    response = client.get(XLSX_URL, {"kind": "quarter", "year": "2025", "number": "9"})

    assert response.status_code == 400 and "Ada masalah" in response.content.decode()
    assert not AuditEvent.objects.filter(action="evaluation.report_exported").exists()


def test_another_office_sees_only_its_own_figures(client, world, other_world, period):  # noqa: F811
    client.force_login(other_world.head)

    page = client.get(URL, JANUARY).content.decode()
    xlsx = client.get(XLSX_URL, JANUARY)

    assert '<dd data-figure="cases_submitted">0</dd>' in page
    assert period["third"].registration_number not in page
    summary = {
        row[0]: row[1] for row in load_workbook(io.BytesIO(xlsx.content))["Ringkasan"].iter_rows(values_only=True)
    }
    assert summary["Kantor"] == other_world.office.name and summary["Permohonan diajukan dalam periode"] == 0


def test_a_user_without_an_office_gets_404_and_a_visitor_is_sent_to_sign_in(client, world):
    assert client.get(URL).status_code == 302
    assert client.get(PDF_URL).status_code == 302

    client.force_login(User.objects.create_user(username="root", password="x", is_superuser=True))

    assert client.get(URL).status_code == 404
    assert client.get(XLSX_URL).status_code == 404
