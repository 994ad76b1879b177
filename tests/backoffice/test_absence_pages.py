"""The absence pages: the head records an absence and gets the letter; others are refused or see only
their own letters; another office's letters are not found."""

from io import BytesIO

import pytest
from PIL import Image

from jangkau.cases.models import Status
from jangkau.scheduling.models import Absence, AssignmentLetter
from tests.builders import case_in
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db

NEW = "/staf/ketidakhadiran/baru/"
LIST = "/staf/ketidakhadiran/"


def form_data(world, **overrides):
    data = {
        "officer": world.ult.pk,
        "kind": Absence.Kind.SICK,
        "starts_on": "07/01/2025",
        "ends_on": "2025-01-09",
        "delegate": world.ult2.pk,
        "reason": "Sakit, surat dokter terlampir",
    }
    data.update(overrides)
    return data


@pytest.fixture
def letter(world, frozen, client):
    client.force_login(world.head)
    case_in(Status.ACCEPTED, world)
    client.post(NEW, form_data(world), follow=True)
    return AssignmentLetter.objects.get()


def test_the_head_records_an_absence_and_the_cases_move(client, world, frozen):
    """A valid form records the absence, moves the case and shows the letter in the list."""
    # Given an open case held by the officer
    case = case_in(Status.ACCEPTED, world)
    client.force_login(world.head)
    # When the head sends the form
    response = client.post(NEW, form_data(world), follow=True)
    # Then the list shows the new letter with its number and the moved case
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == LIST
    assert "001/ULT/ST/2025" in page
    assert case.registration_number in page
    case.refresh_from_db()
    assert case.assigned_to == world.ult2
    assert Absence.objects.get().kind == Absence.Kind.SICK


def test_errors_come_back_in_the_summary_and_nothing_is_recorded(client, world, frozen):
    """Missing and wrong answers are listed in the error summary, beside their fields."""
    client.force_login(world.head)
    response = client.post(
        NEW, form_data(world, delegate=world.ult.pk, starts_on="09/01/2025", ends_on="07/01/2025", reason="")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada masalah" in page and "Galat: " in page
    assert "Tuliskan alasan penugasan" in page
    # The service's own checks come back too once the form's own are met
    response = client.post(NEW, form_data(world, delegate=world.ult.pk, starts_on="09/01/2025", ends_on="07/01/2025"))
    page = response.content.decode()
    assert "Pengganti harus petugas lain" in page
    assert "Tanggal selesai harus sama dengan atau sesudah tanggal mulai" in page
    assert 'href="#id_delegate"' in page
    assert not Absence.objects.exists()


def test_choices_hold_only_the_offices_ult_officers(client, world, other_world):
    """Another office's officer is not offered and is refused when forged."""
    client.force_login(world.head)
    page = client.get(NEW).content.decode()
    assert world.ult2.username.title() in page
    assert other_world.ult.username.title() not in page
    assert world.ppid.username.title() not in page
    response = client.post(NEW, form_data(world, delegate=other_world.ult.pk))
    assert "Pilih petugas pengganti dari daftar" in response.content.decode()
    assert not Absence.objects.exists()


@pytest.mark.parametrize("who", ["ult", "ppid", "admin"])
def test_only_the_head_may_record_or_upload(client, world, letter, who):
    """Other staff get a 403 page explaining who records absences; nothing is recorded."""
    client.force_login(getattr(world, who))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data(world)).status_code == 403
    assert client.get(f"/staf/surat-penugasan/{letter.pk}/unggah/").status_code == 403
    assert Absence.objects.count() == 1


def test_the_nav_link_is_for_heads(client, world):
    client.force_login(world.head)
    assert f'href="{LIST}"' in client.get("/staf/").content.decode()
    client.force_login(world.ult)
    assert f'href="{LIST}"' not in client.get("/staf/").content.decode()


def test_the_letter_pdf_downloads_for_the_people_it_concerns(client, world, other_world, letter):
    """The head and both officers download it; a colleague it does not concern and another office cannot."""
    for user in (world.head, world.ult, world.ult2):
        client.force_login(user)
        response = client.get(f"/staf/surat-penugasan/{letter.pk}.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "001-ULT-ST-2025" in response["Content-Disposition"]
        assert letter.number in pdf_text(response.content)
    client.force_login(world.ppid)
    assert client.get(f"/staf/surat-penugasan/{letter.pk}.pdf").status_code == 404
    assert letter.number not in client.get(LIST).content.decode()
    client.force_login(other_world.head)
    assert client.get(f"/staf/surat-penugasan/{letter.pk}.pdf").status_code == 404
    assert client.get(f"/staf/surat-penugasan/{letter.pk}/unggah/").status_code == 404


def test_the_signed_scan_upload(client, world, letter):
    """A real image is accepted and the list says so; a disguised file comes back as a field error."""
    url = f"/staf/surat-penugasan/{letter.pk}/unggah/"
    fake = BytesIO(b"\x89PNG\r\n\x1a\nnope")
    fake.name = "ttd.png"
    response = client.post(url, {"signed_scan": fake})
    assert "Berkas harus PDF, JPG, atau PNG." in response.content.decode()
    letter.refresh_from_db()
    assert letter.signed_at is None

    image = BytesIO()
    Image.new("RGB", (4, 4), "white").save(image, format="JPEG")
    image.seek(0)
    image.name = "ttd.jpg"
    response = client.post(url, {"signed_scan": image}, follow=True)
    assert "Pindaian diunggah" in response.content.decode()
    letter.refresh_from_db()
    assert letter.signed_scan_type == "image/jpeg"
