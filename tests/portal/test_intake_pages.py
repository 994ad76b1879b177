"""The web intake through Django's test client: a question per page, the check page, one case however
often it is sent, the honeypot and the rate limit, the power-of-attorney upload, the confirmation and the
receipt."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jangkau.cases.models import Case, CaseDocument, Channel
from jangkau.core import clock
from jangkau.offices.models import Office
from jangkau.portal.intake import draft as drafts
from jangkau.portal.intake.receipt import receipt_html
from tests.builders import VALID_NIK

BASE = "/kantor/bpmp-dki/ajukan/"
CHECK = BASE + "periksa/"

# A valid answer for every page, in the order the pages are asked.
ANSWERS = {
    "nama": {"full_name": "Siti Aminah"},
    "identitas": {"id_type": "ktp", "nik": VALID_NIK},
    "kontak": {"phone": "0812-3456-7890", "email": "", "notify_channel": "whatsapp", "language": "id"},
    "kelompok": {"vulnerabilities": ["disability_physical", "elderly"], "disability_details": "Kursi roda"},
    "layanan": {"service_type": "data-informasi", "need": "Data mutu sekolah anak saya"},
    "cara": {"delivery_mode": "visit"},
    "alamat": {"address": "Jl. Kenanga No. 5", "area": "Jakarta Pusat"},
    "akomodasi": {"accommodations": ["wheelchair"]},
    "pendamping": {"has_companion": "tidak"},
    "persetujuan": {"consent": "on"},
}


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


# A small but complete PDF: header, a catalogue, a trailer and the end-of-file marker.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def session_answers(client) -> dict:
    """The draft's answers as the views read them (they are stored encrypted)."""
    from jangkau.offices.models import Office

    request = type("Request", (), {"session": client.session})()
    return drafts.get(request, Office.objects.get(code="bpmp-dki"))["answers"]


def start(client):
    return client.post(BASE)


def answer(client, slug, data=None, *, back_to_check=False):
    url = f"{BASE}{slug}/" + ("?kembali=periksa" if back_to_check else "")
    return client.post(url, ANSWERS[slug] if data is None else data)


def fill(client, **overrides):
    """Starts a draft and answers every page (``overrides`` replace a page's answer)."""
    start(client)
    for slug in ANSWERS:
        response = answer(client, slug, overrides.get(slug))
        assert response.status_code == 302, (slug, response.content.decode()[:2000])


def check_key(client) -> str:
    html = client.get(CHECK).content.decode()
    return re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)


def send(client, key=None, **extra):
    return client.post(CHECK, {"idempotency_key": key or check_key(client), **extra})


def page_errors(response) -> str:
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ada masalah" in html
    return html


@pytest.fixture
def office(world):
    return world.office


# --- start and order ------------------------------------------------------------------------------------


def test_ajukan_leads_to_the_default_offices_start_page(client, office):
    """/ajukan/ redirects to the start page of the installation's default office."""
    response = client.get("/ajukan/")

    assert response.status_code == 302
    assert response.headers["Location"] == BASE


@pytest.mark.django_db
def test_ajukan_is_404_without_an_office(client):
    """With no active office there is no form to go to."""
    assert client.get("/ajukan/").status_code == 404


def test_start_page_says_what_is_asked_that_it_is_free_and_links_the_privacy_notice(client, office):
    """The start page explains the service, that someone may fill it for the requester, that it is free,
    links the privacy notice, and has a "Mulai" button in a POST form."""
    html = client.get(BASE).content.decode()

    assert "Yang akan kami tanyakan" in html
    assert "Mengisi untuk orang lain" in html
    assert "gratis" in html
    assert 'href="/privasi/"' in html
    assert re.search(r'<form method="post" action="/kantor/bpmp-dki/ajukan/">', html)
    assert ">Mulai</button>" in html


def test_mulai_starts_a_fresh_draft_with_a_key_and_the_start_time(client, office, frozen):
    """POSTing the start page keeps a new draft in the session and opens the first question."""
    response = start(client)

    assert response.headers["Location"] == BASE + "nama/"
    draft = client.session[drafts.DRAFTS_KEY]["bpmp-dki"]
    assert len(draft["key"]) >= 20 and session_answers(client) == {}
    assert draft["started_at"] == clock.now().isoformat()
    start(client)
    assert client.session[drafts.DRAFTS_KEY]["bpmp-dki"]["key"] != draft["key"]


@pytest.mark.parametrize("slug", [*ANSWERS, "periksa"])
def test_a_page_without_a_draft_leads_to_the_start_page(client, office, slug):
    """A question reached without starting (a bookmark, an expired session) goes back to the start page."""
    response = client.get(f"{BASE}{slug}/")

    assert response.status_code == 302
    assert response.headers["Location"] == BASE


def test_an_unknown_page_is_404(client, office):
    start(client)
    assert client.get(BASE + "tidak-ada/").status_code == 404


def test_each_page_has_a_back_link_to_the_previous_question(client, office):
    """ "Kembali" leads to the page before (the start page from the first question)."""
    start(client)

    assert f'class="back-link" href="{BASE}"' in client.get(BASE + "nama/").content.decode()
    assert f'class="back-link" href="{BASE}nama/"' in client.get(BASE + "identitas/").content.decode()
    assert f'class="back-link" href="{CHECK}"' in client.get(BASE + "kontak/?kembali=periksa").content.decode()


def test_the_check_page_sends_an_unfinished_draft_to_its_first_unanswered_question(client, office):
    start(client)
    answer(client, "nama")

    response = client.get(CHECK)

    assert response.headers["Location"] == BASE + "identitas/"


# --- validation per page --------------------------------------------------------------------------------

INVALID = [
    ("nama", {"full_name": "  "}, "full_name", "id_full_name", "Tulis nama lengkap."),
    ("identitas", {}, "id_type", "id_id_type_0", "Pilih dokumen identitas yang Anda punya."),
    ("identitas", {"id_type": "ktp", "nik": "317101"}, "nik", "id_nik", "NIK harus 16 angka."),
    (
        "identitas",
        {"id_type": "ktp", "nik": "9971015203850001"},
        "nik",
        "id_nik",
        "Dua angka pertama NIK bukan kode provinsi yang dikenal.",
    ),
    ("identitas", {"id_type": "passport"}, "id_number", "id_id_number", "Tulis nomor dokumen identitas."),
    ("identitas", {"id_type": "none"}, "no_id_reason", "id_no_id_reason", "Tulis mengapa tidak ada dokumen"),
    ("kontak", {}, "phone", "id_phone", "Isi nomor telepon atau surel, paling sedikit salah satu"),
    ("kontak", {"phone": "12"}, "phone", "id_phone", "Nomor telepon tidak valid"),
    ("kontak", {"email": "siti@"}, "email", "id_email", "Alamat surel tidak valid."),
    ("kelompok", {}, "vulnerabilities", "id_vulnerabilities_0", "Pilih paling sedikit satu kelompok"),
    ("layanan", {"need": "Data"}, "service_type", "id_service_type_0", "Pilih jenis layanan"),
    (
        "layanan",
        {"service_type": "lain", "need": "Data"},
        "service_type",
        "id_service_type_0",
        "Jenis layanan ini tidak tersedia di kantor ini.",
    ),
    ("layanan", {"service_type": "data-informasi"}, "need", "id_need", "Ceritakan layanan yang Anda butuhkan."),
    ("cara", {}, "delivery_mode", "id_delivery_mode_0", "Pilih cara layanan yang Anda inginkan."),
    ("alamat", {"address": "x" * 1001}, "address", "id_address", "Isian ini terlalu panjang (paling banyak 1000"),
    ("akomodasi", {"accommodations": ["teleport"]}, "accommodations", "id_accommodations_0", "Pilihan tidak dikenal"),
    ("pendamping", {}, "has_companion", "id_has_companion_0", "Pilih Ya jika ada pendamping, atau Tidak."),
    ("pendamping", {"has_companion": "ya"}, "companion_name", "id_companion_name", "Tulis nama pendamping."),
    ("persetujuan", {}, "consent", "id_consent", "Centang persetujuan"),
]


@pytest.mark.parametrize(("slug", "data", "field", "target", "message"), INVALID)
def test_a_wrong_answer_comes_back_with_the_error_summary_and_the_message_beside_the_field(
    client, office, slug, data, field, target, message
):
    """The page is shown again with "Galat:" in the title, the summary linking to the field, the same
    message beside it, and the answer is not kept."""
    start(client)

    html = page_errors(answer(client, slug, data))

    assert re.search(r"<title>Galat: ", html)
    assert re.search(rf'<li><a href="#{target}">[^<]*{re.escape(message)}', html)
    assert f'id="id_{field}-error"' in html
    assert slug not in client.session[drafts.DRAFTS_KEY]["bpmp-dki"]["answered"]


def test_the_address_is_required_for_a_visit(client, office):
    """A visit needs the place to go to; the address question then has no "(opsional)"."""
    start(client)
    answer(client, "cara", {"delivery_mode": "visit"})

    assert "Di mana alamat pemohon?</label>" in client.get(BASE + "alamat/").content.decode()
    html = page_errors(answer(client, "alamat", {"address": "", "area": "Jakarta"}))
    assert "Tulis alamat yang kami datangi atau tuju pengirimannya." in html


def test_the_address_is_optional_for_a_phone_call(client, office):
    start(client)
    answer(client, "cara", {"delivery_mode": "phone"})

    assert "Di mana alamat pemohon? (opsional)</label>" in client.get(BASE + "alamat/").content.decode()
    assert answer(client, "alamat", {"address": "", "area": ""}).status_code == 302


def test_a_valid_answer_is_kept_cleaned_and_shown_again(client, office):
    """The phone number is kept as +62… and the question shows the kept answer when visited again."""
    start(client)

    response = answer(client, "kontak")

    assert response.headers["Location"] == BASE + "kelompok/"
    assert session_answers(client)["phone"] == "+6281234567890"
    assert 'value="+6281234567890"' in client.get(BASE + "kontak/").content.decode()


def test_text_left_in_a_hidden_follow_up_is_not_checked_or_kept(client, office):
    """A NIK typed before choosing "no document" is neither refused nor kept."""
    start(client)

    response = answer(client, "identitas", {"id_type": "none", "nik": "12", "no_id_reason": "Hilang"})

    assert response.status_code == 302
    answers = session_answers(client)
    assert answers["nik"] == "" and answers["no_id_reason"] == "Hilang"


def test_identity_follow_up_questions_sit_under_their_answers(client, office):
    """Without JavaScript every follow-up is in the page, each inside the group of the answers it belongs to."""
    start(client)
    html = client.get(BASE + "identitas/").content.decode()

    assert html.count('<div class="choices__group">') == 3
    assert html.index('value="kk"') < html.index('id="id_nik"') < html.index('value="passport"')
    assert html.index('value="other"') < html.index('id="id_id_number"') < html.index('value="none"')
    assert html.index('value="none"') < html.index('id="id_no_id_reason"')


# --- check page -----------------------------------------------------------------------------------------


def test_check_page_lists_the_answers_with_labels_and_change_links(client, office):
    """Codes are shown by their labels, the service by its name, and each answer links to its question."""
    fill(client)

    html = client.get(CHECK).content.decode()

    assert "Periksa jawaban Anda" in html
    assert "KTP (Kartu Tanda Penduduk)" in html and f"NIK: {VALID_NIK}" in html
    assert "Lanjut usia (60 tahun ke atas)" in html
    assert "Data dan informasi mutu" in html
    assert "Kunjungan ke rumah atau tempat saya" in html
    assert "Akses kursi roda" in html
    assert f'href="{BASE}nama/?kembali=periksa">Ubah<span class="visually-hidden"> nama lengkap</span>' in html
    assert not any(VALID_NIK in href for href in re.findall(r'href="([^"]*)"', html))


def test_a_change_from_the_check_page_returns_to_it(client, office):
    fill(client)

    response = answer(client, "nama", {"full_name": "Siti Rahma"}, back_to_check=True)

    assert response.headers["Location"] == CHECK
    assert "Siti Rahma" in client.get(CHECK).content.decode()


def test_a_change_that_raises_a_new_question_asks_it_before_returning(client, office):
    """Choosing a visit after a phone call, with no address given, asks for the address, then the check page."""
    fill(client, cara={"delivery_mode": "phone"}, alamat={"address": "", "area": ""})

    response = answer(client, "cara", {"delivery_mode": "visit"}, back_to_check=True)

    assert response.headers["Location"] == BASE + "alamat/?kembali=periksa"
    response = answer(client, "alamat", {"address": "Jl. Melati 1", "area": ""}, back_to_check=True)
    assert response.headers["Location"] == CHECK


def test_check_page_shows_a_draft_gone_stale_with_errors_linking_to_the_pages(client, world):
    """A service withdrawn from the catalogue while the form was filled: the check page names the problem
    and links to the question, and sending creates nothing."""
    fill(client)
    world.service.is_active = False
    world.service.save()

    html = page_errors(client.get(CHECK))
    assert f'href="{BASE}layanan/?kembali=periksa#id_service_type_0"' in html
    assert "<title>Galat: " in html

    response = send(client)
    assert "Jenis layanan ini tidak tersedia di kantor ini." in page_errors(response)
    assert Case.objects.count() == 0


# --- submitting -----------------------------------------------------------------------------------------


def test_sending_creates_one_web_case_grants_it_and_clears_the_draft(client, office, frozen):
    """The happy path: one case from the web channel, step 1 opened when the form was started, the draft
    gone from the session, and the confirmation with the number and the grouped tracking code."""
    fill(client)
    started = clock.now()
    clock.advance(timedelta(minutes=4))

    response = send(client)

    case = Case.objects.get()
    assert case.channel == Channel.WEB
    assert case.requester_name == "Siti Aminah"
    assert case.phone == "+6281234567890"
    assert case.steps.get(step_no=1).opened_at == started
    assert response.headers["Location"] == f"{BASE}selesai/{case.registration_number}/"
    assert "bpmp-dki" not in client.session[drafts.DRAFTS_KEY]
    done = client.get(response.headers["Location"]).content.decode()
    code = case.tracking_code
    assert case.registration_number in done
    assert f"{code[:4]}-{code[4:8]}-{code[8:]}" in done
    assert f'href="/lacak/?nomor={case.registration_number}"' in done
    assert f"{BASE}tanda-terima/{case.registration_number}.pdf" in done


def test_sending_twice_creates_one_case(client, office):
    """A double click or the back button and "Kirim" again: the second send leads to the first case."""
    fill(client)
    key = check_key(client)

    first = send(client, key)
    second = send(client, key)

    assert Case.objects.count() == 1
    assert second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]


def test_a_send_racing_the_first_one_still_creates_one_case(client, office):
    """The second of two quick clicks may carry the session as it was before the first finished (the
    draft still there, the key not yet remembered): the service's idempotency key answers it."""
    fill(client)
    key = check_key(client)
    before = dict(client.session.items())

    first = send(client, key)
    session = client.session
    session[drafts.DRAFTS_KEY] = before[drafts.DRAFTS_KEY]
    session.pop(drafts.SUBMITTED_KEY, None)
    session.save()
    second = send(client, key)

    assert Case.objects.count() == 1
    assert second.headers["Location"] == first.headers["Location"]


def test_a_new_draft_after_sending_creates_a_second_case(client, office):
    """Idempotency is per draft: a new request started afterwards is a new case."""
    fill(client)
    send(client)
    fill(client, nama={"full_name": "Budi"})
    send(client)

    assert Case.objects.count() == 2


def test_the_honeypot_refuses_and_creates_nothing(client, office):
    """A filled hidden field (a form-filling program) gets a plain 400 page and no case."""
    fill(client)

    response = send(client, situs_web="http://spam.example")

    assert response.status_code == 400
    assert Case.objects.count() == 0
    assert "bpmp-dki" in client.session[drafts.DRAFTS_KEY]


def test_the_honeypot_is_hidden_from_everyone(client, office):
    fill(client)
    html = client.get(CHECK).content.decode()

    assert re.search(r'<div class="honeypot" hidden>\s*<label for="situs_web">', html)


def test_over_the_rate_limit_answers_429_and_creates_nothing(client, office, settings):
    """INTAKE_RATE_LIMIT submissions per hour per address; the next one gets a plain 429 page."""
    settings.INTAKE_RATE_LIMIT = 1
    fill(client)
    send(client)
    fill(client, nama={"full_name": "Budi"})

    response = send(client)

    assert response.status_code == 429
    html = response.content.decode()
    assert "Terlalu banyak permohonan" in html and 'class="site-header"' in html
    assert Case.objects.count() == 1
    assert "bpmp-dki" in client.session[drafts.DRAFTS_KEY]


def test_a_stale_check_page_of_an_earlier_draft_shows_the_current_one(client, office):
    """A key that is neither the current draft's nor one this session used creates nothing."""
    fill(client)

    response = send(client, "kunci-lain")

    assert response.headers["Location"] == CHECK
    assert Case.objects.count() == 0


# --- power of attorney ----------------------------------------------------------------------------------


def companion(upload, **extra):
    return {
        "has_companion": "ya",
        "companion_name": "Rahmat",
        "companion_relation": "Anak",
        "power_of_attorney": upload,
        **extra,
    }


@pytest.mark.parametrize(
    ("filename", "content"),
    [("kuasa.png", png_bytes()), ("kuasa.pdf", PDF_BYTES)],
)
def test_a_real_png_or_pdf_is_accepted_and_attached_to_the_case(client, office, filename, content):
    fill(client)
    response = answer(client, "pendamping", companion(SimpleUploadedFile(filename, content)), back_to_check=True)
    assert response.headers["Location"] == CHECK

    html = client.get(CHECK).content.decode()
    assert f"Surat kuasa: {filename}" in html
    send(client)

    document = CaseDocument.objects.get()
    assert document.case == Case.objects.get()
    assert document.kind == CaseDocument.Kind.POWER_OF_ATTORNEY
    assert document.filename == filename


def test_the_page_uses_a_multipart_form_and_shows_the_uploaded_file(client, office):
    start(client)
    assert 'enctype="multipart/form-data"' in client.get(BASE + "pendamping/").content.decode()

    answer(client, "pendamping", companion(SimpleUploadedFile("kuasa.png", png_bytes())))

    assert "Sudah diunggah: kuasa.png." in client.get(BASE + "pendamping/").content.decode()


def test_a_new_upload_replaces_the_first(client, office):
    fill(client)
    answer(client, "pendamping", companion(SimpleUploadedFile("lama.png", png_bytes())))
    answer(client, "pendamping", companion(SimpleUploadedFile("baru.pdf", PDF_BYTES)))

    html = client.get(CHECK).content.decode()
    assert "baru.pdf" in html and "lama.png" not in html
    send(client)
    assert list(Case.objects.get().documents.values_list("filename", flat=True)) == ["baru.pdf"]


def test_keeping_the_previous_upload_when_no_new_file_is_chosen(client, office):
    start(client)
    answer(client, "pendamping", companion(SimpleUploadedFile("kuasa.png", png_bytes())))

    answer(client, "pendamping", companion(""))

    assert [d["filename"] for d in client.session[drafts.DRAFTS_KEY]["bpmp-dki"]["documents"]] == ["kuasa.png"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("kuasa.pdf", b"Ini surat kuasa, bukan PDF.\n"), "Berkas harus PDF, JPG, atau PNG."),
        (
            SimpleUploadedFile("besar.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (5 * 1024 * 1024)),
            "Berkas lebih dari 5 MB.",
        ),
    ],
    ids=["renamed-text", "over-5-mb"],
)
def test_an_unacceptable_upload_is_refused_and_nothing_is_stored(client, office, upload, message):
    start(client)

    html = page_errors(answer(client, "pendamping", companion(upload)))

    assert re.search(rf'<li><a href="#id_power_of_attorney">{re.escape(message)}', html)
    assert CaseDocument.objects.count() == 0
    assert "pendamping" not in client.session[drafts.DRAFTS_KEY]["bpmp-dki"]["answered"]


def test_answering_no_companion_drops_the_upload(client, office):
    fill(client)
    answer(client, "pendamping", companion(SimpleUploadedFile("kuasa.png", png_bytes())))

    answer(client, "pendamping", {"has_companion": "tidak", "companion_name": "Rahmat"})
    send(client)

    case = Case.objects.get()
    assert case.companion_name == ""
    assert case.documents.count() == 0


# --- harmless text --------------------------------------------------------------------------------------

SCRIPT = '<script>alert("x")</script>'


def test_script_in_the_name_is_shown_as_text_on_the_check_page_and_the_receipt(client, office, rf):
    fill(client, nama={"full_name": f"Siti {SCRIPT}"})

    html = client.get(CHECK).content.decode()
    assert SCRIPT not in html
    assert "Siti &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html

    send(client)
    case = Case.objects.get()
    receipt = receipt_html(rf.get("/"), case, "/lacak/")
    assert SCRIPT not in receipt
    assert "Siti &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in receipt


def test_control_characters_are_refused_with_a_message(client, office):
    start(client)

    html = page_errors(answer(client, "nama", {"full_name": "Siti\u202eAminah"}))

    assert "karakter kendali" in html


# --- confirmation and receipt ---------------------------------------------------------------------------


def test_receipt_is_a_pdf_for_the_requester_and_404_for_anyone_else(client, office):
    from django.test import Client

    fill(client)
    send(client)
    case = Case.objects.get()
    url = f"{BASE}tanda-terima/{case.registration_number}.pdf"

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == f'inline; filename="tanda-terima-{case.registration_number}.pdf"'
    assert response["Cache-Control"] == "no-store"
    stranger = Client()
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"{BASE}selesai/{case.registration_number}/").status_code == 404


def test_receipt_names_the_case_without_nik_address_or_disability(client, office, rf):
    fill(client)
    send(client)
    case = Case.objects.get()

    html = receipt_html(rf.get("/"), case, "http://testserver/lacak/?nomor=" + case.registration_number)

    assert case.registration_number in html
    assert "Data dan informasi mutu" in html and "Kunjungan ke rumah atau tempat saya" in html
    # A lost receipt must not tell the finder of a disability: no accommodations, no vulnerabilities.
    assert "Akses kursi roda" not in html and "disabilitas" not in html.lower()
    assert VALID_NIK not in html and "Kenanga" not in html and "+62812" not in html
    assert "BPMP Provinsi DKI Jakarta" in html


def test_confirmation_of_another_offices_path_is_404(client, office, other_world):
    fill(client)
    send(client)
    number = Case.objects.get().registration_number

    assert client.get(f"/kantor/bbpmp-jatim/ajukan/selesai/{number}/").status_code == 404


# --- home page ------------------------------------------------------------------------------------------


def test_home_page_links_to_the_form(client, office):
    html = client.get("/").content.decode()

    assert '<a class="button button--start" href="/ajukan/">Ajukan permohonan</a>' in html


@pytest.mark.django_db
def test_home_page_has_no_form_link_without_an_office(client):
    assert not Office.objects.exists()
    assert 'href="/ajukan/"' not in client.get("/").content.decode()


def test_the_draft_answers_are_encrypted_in_the_session_table(client, world):
    """Sessions live in the database: the NIK, address and disability details must not be readable there."""
    from django.contrib.sessions.models import Session

    fill(client)

    stored = Session.objects.get(session_key=client.session.session_key).session_data
    decoded = str(Session.objects.get(session_key=client.session.session_key).get_decoded())
    for secret in (VALID_NIK, "Kenanga", "Kursi roda", "+6281234567890"):
        assert secret not in decoded and secret not in stored
    assert session_answers(client)["nik"] == VALID_NIK


def test_a_replaced_or_withdrawn_upload_is_deleted_at_once(client, world):
    start(client)
    companion = {"has_companion": "ya", "companion_name": "Rina", "companion_relation": "Anak"}
    for name in ("kuasa-1.png", "kuasa-2.png"):
        upload = SimpleUploadedFile(name, png_bytes(), content_type="image/png")
        answer(client, "pendamping", {**companion, "power_of_attorney": upload})

    assert list(CaseDocument.objects.values_list("filename", flat=True)) == ["kuasa-2.png"]
    answer(client, "pendamping", {"has_companion": "tidak"})
    assert CaseDocument.objects.count() == 0


def test_uploads_are_rate_limited_per_address(client, world, settings):
    settings.INTAKE_RATE_LIMIT = 1
    start(client)
    companion = {"has_companion": "ya", "companion_name": "Rina", "companion_relation": "Anak"}
    answers = []
    for n in range(4):
        upload = SimpleUploadedFile(f"kuasa-{n}.png", png_bytes(), content_type="image/png")
        answers.append(answer(client, "pendamping", {**companion, "power_of_attorney": upload}).status_code)

    assert answers == [302, 302, 302, 200]
    assert "Terlalu banyak berkas" in page_errors(
        client.post(
            f"{BASE}pendamping/",
            {**companion, "power_of_attorney": SimpleUploadedFile("x.png", png_bytes(), content_type="image/png")},
        )
    )


def test_a_stale_answer_shows_its_error_on_the_page_the_check_page_links_to(client, world):
    """A service withdrawn while the form was filled: the check page links to the question, and the
    question shows the same error beside the field (not a blank page)."""
    fill(client)
    world.service.is_active = False
    world.service.save()

    check = client.get(CHECK).content.decode()
    question = client.get(f"{BASE}layanan/?kembali=periksa")

    assert f"{BASE}layanan/?kembali=periksa#" in check
    assert "Jenis layanan ini tidak tersedia di kantor ini." in page_errors(question)
    assert "Galat:" in question.content.decode().split("</title>")[0]
