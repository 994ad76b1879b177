"""Handing over the survey on the back office: the link and QR code, the paper form PDF, and officers'
entry of a paper form or an assisted interview."""

import pytest

from jangkau.cases import services as svc
from jangkau.cases.models import Status
from jangkau.surveys.models import Invitation, Response
from tests.builders import case_in
from tests.pdf_text import pdf_text
from tests.surveys.test_answering import ANSWERS

pytestmark = pytest.mark.django_db


def _delivered(world):
    return svc.case_deliver(case=case_in(Status.SCHEDULED, world), actor=world.ult, notes="Diantar")


def test_the_handover_shows_the_private_link_and_its_qr_code(client, world, frozen):
    case = _delivered(world)
    client.force_login(world.ult)

    page = client.get(f"/staf/kasus/{case.registration_number}/survei/")

    body = page.content.decode()
    token = Invitation.objects.get(case=case).token
    assert page.status_code == 200
    assert f"http://testserver/survei/{token}/" in body
    assert 'src="data:image/svg+xml' in body and 'alt="Kode QR berisi tautan survei"' in body


def test_no_handover_before_delivery_nor_for_another_office(client, world, other_world, frozen):
    waiting = case_in(Status.SCHEDULED, world)
    delivered = _delivered(world)

    client.force_login(world.ult)
    assert client.get(f"/staf/kasus/{waiting.registration_number}/survei/").status_code == 404
    client.force_login(other_world.ult)
    assert client.get(f"/staf/kasus/{delivered.registration_number}/survei/").status_code == 404


def test_the_paper_form_lists_the_nine_questions_and_the_case_number(client, world, frozen):
    case = _delivered(world)
    client.force_login(world.ult)

    response = client.get(f"/staf/kasus/{case.registration_number}/survei/formulir.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert case.registration_number in text
    assert "kewajaran biaya/tarif" in text and "Dikelola dengan baik" in text
    assert "Pendidikan terakhir" in text


@pytest.mark.parametrize(("slug", "mode"), [("kertas", "paper"), ("wawancara", "assisted")])
def test_an_officer_records_a_paper_form_or_an_assisted_interview(client, world, frozen, slug, mode):
    case = _delivered(world)
    client.force_login(world.ult)
    url = f"/staf/kasus/{case.registration_number}/survei/{slug}/"

    assert client.get(url).status_code == 200
    response = client.post(url, {**ANSWERS, "answered_on": "2025-01-03"})

    assert response.status_code == 302
    stored = Response.objects.get(case=case)
    assert (stored.mode, stored.recorded_by, str(stored.answered_on)) == (mode, world.ult, "2025-01-03")
    again = client.get(url, follow=True)
    assert "sudah tercatat" in again.content.decode()


def test_an_incomplete_entry_comes_back_with_errors_and_records_nothing(client, world, frozen):
    case = _delivered(world)
    client.force_login(world.ult)

    page = client.post(
        f"/staf/kasus/{case.registration_number}/survei/kertas/",
        {**ANSWERS, "u9": "5", "sex": "", "answered_on": "2025-01-03"},
    )

    assert page.status_code == 200
    assert page.content.decode().count('class="error-message"') == 2
    assert not Response.objects.exists()


def test_the_case_page_leads_to_the_handover_once_delivered(client, world, frozen):
    case = _delivered(world)
    client.force_login(world.ult)

    page = client.get(f"/staf/kasus/{case.registration_number}/").content.decode()

    assert f'href="/staf/kasus/{case.registration_number}/survei/"' in page


# --- the import page ----------------------------------------------------------------------------------------


def _csv(*lines):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.surveys.test_import import csv_bytes

    return SimpleUploadedFile("skm.csv", csv_bytes(*lines), content_type="text/csv")


def test_an_officer_imports_paper_surveys_from_the_page(client, world, frozen):
    from tests.surveys.test_import import GOOD, GOOD2

    client.force_login(world.ult)

    page = client.post("/staf/survei/impor/", {"file": _csv(GOOD, GOOD2)})

    assert page.status_code == 200
    assert "2 dari 2 baris diimpor." in page.content.decode()
    assert Response.objects.filter(recorded_by=world.ult).count() == 2


def test_the_page_lists_refused_rows_and_imports_nothing(client, world, frozen):
    from tests.surveys.test_import import GOOD

    client.force_login(world.head)

    page = client.post("/staf/survei/impor/", {"file": _csv(GOOD, GOOD.replace(",P,", ",?,", 1))})

    body = page.content.decode()
    assert "1 dari 2 baris ditolak, jadi tidak ada yang diimpor." in body
    assert "<td>3</td><td>sex: Pilih jenis kelamin.</td>" in body
    assert not Response.objects.exists()


def test_the_import_page_refuses_a_wrong_file_and_other_roles(client, world, frozen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.ult)
    wrong = client.post("/staf/survei/impor/", {"file": SimpleUploadedFile("a.txt", b"x")})
    assert wrong.status_code == 400 and "Berkas harus CSV atau XLSX." in wrong.content.decode()

    client.force_login(world.ppid)
    assert client.get("/staf/survei/impor/").status_code == 404
