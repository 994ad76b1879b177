"""The officers' intake page: a ULT officer records a request received by another channel on the
requester's behalf; the case records the channel and the officer, and nothing is half-made on bad input."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jangkau.audit.models import AuditEvent
from jangkau.cases.models import Case, CaseDocument, Channel
from jangkau.offices.models import ServiceType
from tests.builders import VALID_NIK

pytestmark = pytest.mark.django_db

URL = "/staf/permohonan/baru/"
KEY = "kunci-uji-0123456789abcdef"


def form_data(world, **overrides) -> dict:
    """A complete POST of the form, as a browser sends it (field names are the API's)."""
    data = {
        "idempotency_key": KEY,
        "channel": "whatsapp",
        "full_name": "Siti Aminah",
        "id_type": "ktp",
        "nik": VALID_NIK,
        "phone": "0812-3456-7890",
        "email": "",
        "notify_channel": "whatsapp",
        "language": "id",
        "address": "Jl. Kenanga No. 5, Cempaka Putih",
        "area": "Jakarta Pusat",
        "vulnerabilities": ["disability_physical", "elderly"],
        "disability_details": "Pengguna kursi roda",
        "service_type": world.service.code,
        "need": "Data mutu sekolah anak saya untuk pendaftaran",
        "delivery_mode": "visit",
        "accommodations": ["wheelchair"],
        "companion_name": "",
        "companion_relation": "",
        "urgent_reason": "",
        "consent": "on",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def ult_client(client, world):
    client.force_login(world.ult)
    return client


def test_the_form_offers_every_other_channel_but_not_web_or_api(ult_client):
    """The channel question lists WhatsApp, phone, e-mail, letter, walk-in, social media and SP4N-LAPOR only,
    and the page carries a fresh hidden idempotency key."""
    response = ult_client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    channels = re.findall(r'name="channel" value="([a-z_]+)"', html)
    assert channels == ["whatsapp", "phone", "email", "letter", "walk_in", "social_media", "lapor"]
    assert 'value="web"' not in html and 'value="api"' not in html
    keys = re.findall(r'name="idempotency_key" value="([A-Za-z0-9_-]+)"', html)
    assert len(keys) == 1 and len(keys[0]) >= 20
    assert keys[0] not in ult_client.get(URL).content.decode()
    assert "Pemohon sudah diberi tahu pemberitahuan privasi dan menyetujuinya" in html
    assert 'enctype="multipart/form-data"' in html and "novalidate" in html


def test_the_dashboard_and_the_menu_link_to_the_form_for_ult_officers_only(client, world):
    """A ULT officer finds the form from the dashboard and the menu; a PPID member does not see the link."""
    client.force_login(world.ult)
    assert client.get("/staf/").content.decode().count(f'href="{URL}"') == 2

    client.force_login(world.ppid)
    assert f'href="{URL}"' not in client.get("/staf/").content.decode()


def test_an_officer_records_a_request_with_the_chosen_channel_and_holds_it(ult_client, world, frozen):
    """A complete form makes one case with the chosen channel, held by the officer, whose submission the
    audit trail attributes to the officer; the browser is sent to the confirmation page."""
    response = ult_client.post(URL, form_data(world, channel="lapor"))

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staf/permohonan/{case.registration_number}/terkirim/"
    assert case.channel == Channel.LAPOR
    assert case.assigned_to == world.ult
    assert case.requester_name == "Siti Aminah"
    assert case.phone == "+6281234567890"
    assert case.vulnerabilities == ["disability_physical", "elderly"]
    assert case.accommodations == ["wheelchair"]
    assert case.idempotency_key == KEY
    event = AuditEvent.objects.get(case=case, action="case.submit")
    assert event.actor == world.ult
    assert event.changes["channel"] == "lapor"


def test_the_confirmation_shows_the_number_the_grouped_code_and_the_holder(ult_client, world):
    """The confirmation names the registration number, the tracking code in groups of four for reading
    out, the channel, and that the officer now holds the case."""
    ult_client.post(URL, form_data(world, channel="walk_in"))
    case = Case.objects.get()

    response = ult_client.get(f"/staf/permohonan/{case.registration_number}/terkirim/")

    html = response.content.decode()
    code = case.tracking_code
    assert response.status_code == 200
    assert case.registration_number in html
    assert f"{code[:4]}-{code[4:8]}-{code[8:]}" in html
    assert "Datang langsung" in html
    assert "Anda sekarang memegang kasus ini" in html


def test_a_power_of_attorney_is_attached_to_the_case(ult_client, world):
    """A PNG power of attorney given with the form ends up attached to the new case."""
    upload = SimpleUploadedFile("kuasa.png", png_bytes(), content_type="image/png")

    ult_client.post(
        URL, {**form_data(world, companion_name="Budi", companion_relation="anak"), "power_of_attorney": upload}
    )

    document = CaseDocument.objects.get()
    assert document.case == Case.objects.get()
    assert document.kind == CaseDocument.Kind.POWER_OF_ATTORNEY
    assert document.draft_token is None


BAD_INPUT = [
    ({"full_name": "  "}, "full_name", "Tulis nama lengkap."),
    ({"nik": "3171015203"}, "nik", "NIK harus 16 angka."),
    ({"nik": "9971015203850001"}, "nik", "kode provinsi"),
    ({"id_type": "none", "nik": ""}, "no_id_reason", "Tulis mengapa tidak ada dokumen identitas"),
    ({"id_type": "passport", "nik": ""}, "id_number", "Tulis nomor dokumen identitas."),
    ({"id_type": ""}, "id_type", "Pilih dokumen identitas"),
    ({"phone": "", "email": ""}, "phone", "paling sedikit salah satu"),
    ({"phone": "12"}, "phone", "Nomor telepon"),
    ({"email": "bukan-surel"}, "email", "Alamat surel tidak valid"),
    ({"vulnerabilities": None}, "vulnerabilities", "Pilih paling sedikit satu"),
    ({"vulnerabilities": ["alien"]}, "vulnerabilities", "Pilihan tidak dikenal"),
    ({"service_type": "tidak-ada"}, "service_type", "tidak tersedia di kantor ini"),
    ({"need": ""}, "need", "Ceritakan layanan"),
    ({"delivery_mode": ""}, "delivery_mode", "Pilih cara layanan"),
    ({"address": ""}, "address", "Tulis alamat"),
    ({"companion_name": "Budi"}, "companion_relation", "Tulis hubungan pendamping"),
    ({"urgent": "on"}, "urgent_reason", "mengapa permohonan ini mendesak"),
    ({"consent": None}, "consent", "Centang persetujuan"),
    ({"full_name": "x" * 201}, "full_name", "terlalu panjang"),
    ({"full_name": "Siti\x07Aminah"}, "full_name", "karakter kendali"),
    ({"channel": ""}, "channel", "Pilih saluran"),
]


@pytest.mark.parametrize(
    ("overrides", "field", "message"), BAD_INPUT, ids=[case[1] + "-" + str(i) for i, case in enumerate(BAD_INPUT)]
)
def test_bad_input_comes_back_with_the_field_error_and_creates_nothing(ult_client, world, overrides, field, message):
    """Each kind of bad input re-renders the form with the error summary linking to the field and the same
    words beside it; no case, no audit event."""
    events = AuditEvent.objects.count()

    response = ult_client.post(URL, form_data(world, **overrides))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Galat:" in html and "Ada masalah" in html
    assert re.search(rf'href="#id_{field}(_0)?"', html)
    assert f'id="id_{field}-error"' in html
    error = re.search(rf'id="id_{field}-error">(.*?)</p>', html, re.S).group(1)
    assert message in error
    assert Case.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_the_answers_and_the_key_survive_an_error(ult_client, world):
    """After an error the officer's answers are still in the form and the idempotency key is unchanged."""
    response = ult_client.post(URL, form_data(world, need=""))

    html = response.content.decode()
    assert 'value="Siti Aminah"' in html
    assert re.search(r'value="whatsapp"[^>]*checked', html)
    assert f'name="idempotency_key" value="{KEY}"' in html


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 but no end", "Berkas harus PDF, JPG, atau PNG."),
        (b"MZ\x90\x00 an executable", "Berkas harus PDF, JPG, atau PNG."),
        (b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF", "lebih dari 5 MB"),
    ],
    ids=["broken-pdf", "executable", "too-large"],
)
def test_a_bad_upload_is_refused_beside_its_field(ult_client, world, content, message):
    """A file that is not really a PDF, JPEG or PNG, or is over 5 MB, is refused beside the upload field;
    no case and no stored document."""
    upload = SimpleUploadedFile("kuasa.pdf", content, content_type="application/pdf")

    response = ult_client.post(URL, {**form_data(world), "power_of_attorney": upload})

    html = response.content.decode()
    assert 'href="#id_power_of_attorney"' in html
    assert message in re.search(r'id="id_power_of_attorney-error">(.*?)</p>', html, re.S).group(1)
    assert Case.objects.count() == 0
    assert CaseDocument.objects.count() == 0


def test_an_upload_kept_through_an_error_is_attached_on_the_next_submission(ult_client, world):
    """A good file sent with a form that has another error is kept (named on the page) and attached when
    the corrected form is sent without choosing the file again."""
    upload = SimpleUploadedFile("kuasa.png", png_bytes(), content_type="image/png")
    response = ult_client.post(URL, {**form_data(world, need=""), "power_of_attorney": upload})
    html = response.content.decode()
    token = re.search(r'name="document_token" value="([^"]+)"', html).group(1)
    assert "kuasa.png" in html

    ult_client.post(URL, form_data(world, document_token=token))

    assert CaseDocument.objects.get().case == Case.objects.get()


def test_resubmitting_the_same_form_returns_the_first_case(ult_client, world):
    """The same form sent twice (double click, back and send again) makes one case; both answers lead to
    its confirmation."""
    first = ult_client.post(URL, form_data(world))
    second = ult_client.post(URL, form_data(world))

    case = Case.objects.get()
    assert first["Location"] == second["Location"] == f"/staf/permohonan/{case.registration_number}/terkirim/"
    assert AuditEvent.objects.filter(action="case.submit").count() == 1
    assert "tidak dicatat dua kali" in ult_client.get(second["Location"]).content.decode()


def test_the_same_key_with_other_answers_is_not_mistaken_for_the_first_request(ult_client, world):
    """Back, edit and send again with the old key: nothing is created and the officer is told; a second
    send (now with a fresh key) records the edited request as a new case."""
    ult_client.post(URL, form_data(world))

    response = ult_client.post(URL, form_data(world, full_name="Budi Santoso"))

    html = response.content.decode()
    assert Case.objects.count() == 1
    assert "sudah pernah dikirim dengan isian lain" in html
    new_key = re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)
    assert new_key != KEY
    ult_client.post(URL, form_data(world, full_name="Budi Santoso", idempotency_key=new_key))
    assert sorted(Case.objects.values_list("requester_name", flat=True)) == ["Budi Santoso", "Siti Aminah"]


@pytest.mark.parametrize("channel", ["web", "api", "fax"])
def test_a_forged_channel_is_refused(ult_client, world, channel):
    """A POST naming the web form, the API or an unknown channel is refused beside the channel question."""
    response = ult_client.post(URL, form_data(world, channel=channel))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Pilih saluran tempat permohonan ini diterima." in html
    assert 'href="#id_channel_0"' in html
    assert Case.objects.count() == 0


@pytest.mark.parametrize("role", ["ppid", "head", "admin"])
def test_other_roles_cannot_record_requests(client, world, role):
    """A PPID member, the head and an administrator get a 403 page saying who may record; a POST creates
    nothing."""
    client.force_login(getattr(world, role))

    page = client.get(URL)
    posted = client.post(URL, form_data(world))

    assert page.status_code == posted.status_code == 403
    assert "Hanya Petugas ULT" in page.content.decode()
    assert Case.objects.count() == 0


def test_a_user_without_an_office_cannot_record_requests(client, world, django_user_model):
    """An installation administrator without an office gets the 403 page."""
    user = django_user_model.objects.create_user(username="root", password="x", role="ult_officer")
    client.force_login(user)

    response = client.get(URL)

    assert response.status_code == 403
    assert "tidak terhubung dengan kantor" in response.content.decode()


def test_signed_out_users_are_sent_to_the_sign_in_page(client, world):
    """The form and the confirmation need a signed-in officer."""
    assert client.get(URL)["Location"] == f"/staf/masuk/?next={URL}"
    assert client.get("/staf/permohonan/JB-2025-000001/terkirim/")["Location"].startswith("/staf/masuk/")


def test_another_offices_confirmation_page_is_not_found(client, world, other_world):
    """An officer of another office gets 404 for the confirmation of a case that is not theirs."""
    client.force_login(world.ult)
    client.post(URL, form_data(world))
    case = Case.objects.get()

    client.force_login(other_world.ult)
    response = client.get(f"/staf/permohonan/{case.registration_number}/terkirim/")

    assert response.status_code == 404
    assert case.tracking_code not in response.content.decode()


def test_only_the_offices_active_services_are_offered(ult_client, world, other_world):
    """The service question lists the office's active catalogue, not retired services or other offices'."""
    ServiceType.objects.create(office=world.office, code="lama", name="Layanan lama", is_active=False)
    ServiceType.objects.create(office=other_world.office, code="khusus-jatim", name="Layanan khusus Jatim")

    html = ult_client.get(URL).content.decode()

    services = re.findall(r'name="service_type" value="([^"]+)"', html)
    assert services == [world.service.code]
    assert "Layanan lama" not in html and "Layanan khusus Jatim" not in html


@pytest.mark.parametrize("who", ["ult2", "head", "web_case"])
def test_only_the_recording_officer_sees_the_tracking_code_page(client, world, frozen, who):
    """The tracking code is the requester's secret: colleagues (even the head) cannot open the page, and
    no one reads a web request's code here."""
    from tests.builders import submit

    client.force_login(world.ult)
    client.post(URL, form_data(world))
    case = Case.objects.get() if who != "web_case" else submit(world)
    if who != "web_case":
        client.force_login(world.ult2 if who == "ult2" else world.head)

    response = client.get(f"/staf/permohonan/{case.registration_number}/terkirim/")

    assert response.status_code == 404
    assert case.tracking_code not in response.content.decode()


def test_the_confirmation_is_not_cached(ult_client, world):
    ult_client.post(URL, form_data(world))
    case = Case.objects.get()

    response = ult_client.get(f"/staf/permohonan/{case.registration_number}/terkirim/")

    assert "no-store" in response.headers["Cache-Control"] or "no-cache" in response.headers["Cache-Control"]
