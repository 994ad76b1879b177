"""The tracking pages: the lookup by number and code, the case page in plain words, and the requester's
own actions, each reachable only from the browser session that gave the code."""

import io
import re

import pytest
from django.test import Client
from PIL import Image

from jangkau.cases import services as svc
from jangkau.cases.models import Case, CaseDocument, RequesterMessage, Status
from tests.builders import case_in, submit

pytestmark = pytest.mark.django_db

MISMATCH = "Nomor registrasi atau kode lacak tidak cocok."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def case_url(case, action: str = "") -> str:
    return f"/lacak/{case.registration_number}/{action}"


def look_up(client, number: str, code: str):
    return client.post("/lacak/", {"nomor": number, "kode": code})


def open_case(client, case):
    """Gives this client's session the case, as the requester does with the tracking code."""
    response = look_up(client, case.registration_number, case.tracking_code)
    assert response.status_code == 302
    return response


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


# --- lookup ----------------------------------------------------------------------------------------------


def test_the_lookup_form_is_prefilled_from_the_link(client, world):
    response = client.get("/lacak/?nomor=JB-2025-000123")

    assert response.status_code == 200
    assert 'value="JB-2025-000123"' in response.content.decode()


def test_the_right_code_opens_the_case_page(client, world, frozen):
    """Post/redirect/get: the answer is a redirect to the case page, which the session may now see."""
    case = submit(world)

    response = look_up(client, case.registration_number, case.tracking_code)

    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Permohonan Anda sudah kami terima dan sedang diperiksa petugas." in page.content.decode()


def test_the_code_is_matched_ignoring_case_spaces_and_dashes(client, world, frozen):
    case = submit(world)
    code = case.tracking_code
    typed = f" {code[:4].lower()}-{code[4:8]} {code[8:].lower()} "

    response = look_up(client, case.registration_number.lower(), typed)

    assert response.status_code == 302


def test_a_wrong_code_and_an_unknown_number_look_the_same(client, world, frozen):
    """The same status and page (apart from the CSRF token) whether the number exists or not."""
    unknown = look_up(client, "JB-2025-000001", "ABCDEFGHJK")
    case = submit(world)
    assert case.registration_number == "JB-2025-000001"

    wrong_code = look_up(client, "JB-2025-000001", "ABCDEFGHJK")

    assert unknown.status_code == wrong_code.status_code == 200
    assert MISMATCH in wrong_code.content.decode()
    assert without_csrf(unknown.content.decode()) == without_csrf(wrong_code.content.decode())
    assert client.get(case_url(case)).status_code == 404


def test_a_mismatch_shows_the_error_summary_once_and_marks_both_fields(client, world, frozen):
    submit(world)

    html = look_up(client, "JB-2025-000001", "ABCDEFGHJK").content.decode()

    assert "<title>Galat:" in html
    summary = html.split('class="error-summary__list"')[1].split("</ul>")[0]
    assert summary.count(MISMATCH) == 1
    assert 'href="#id_nomor"' in summary
    assert html.count('aria-invalid="true"') == 2


def test_empty_fields_are_named(client, world):
    html = look_up(client, "", "").content.decode()

    assert "Tulis nomor registrasi" in html
    assert "Tulis kode lacak" in html


def test_lookups_are_rate_limited_per_address(client, world, frozen, settings):
    """Five times intake's limit per hour; over it, even the right code is refused with 429, so the limit
    cannot be dodged by guessing on until a guess succeeds."""
    settings.INTAKE_RATE_LIMIT = 1
    case = submit(world)
    for _ in range(5):
        assert look_up(client, case.registration_number, "ABCDEFGHJK").status_code == 200

    refused = look_up(client, case.registration_number, case.tracking_code)

    assert refused.status_code == 429
    assert "Terlalu banyak percobaan" in refused.content.decode()
    assert client.get(case_url(case)).status_code == 404
    other_address = Client(REMOTE_ADDR="192.0.2.77")
    assert look_up(other_address, case.registration_number, case.tracking_code).status_code == 302


def test_the_rate_limit_can_be_turned_off(client, world, frozen, settings):
    settings.INTAKE_RATE_LIMIT = 0

    for _ in range(30):
        assert look_up(client, "JB-2025-000001", "ABCDEFGHJK").status_code == 200


# --- the case page ---------------------------------------------------------------------------------------


def test_another_session_cannot_see_or_act_on_the_case(client, world, frozen):
    """A second browser knows the number but not the code: every case page answers 404, nothing changes."""
    case = case_in(Status.SCHEDULED, world)
    open_case(client, case)
    stranger = Client()

    for action in ["", "kirim-data/", "jadwal-ulang/", "batalkan/"]:
        assert stranger.get(case_url(case, action)).status_code == 404
    assert stranger.post(case_url(case, "batalkan/"), {"reason": "Iseng"}).status_code == 404
    assert stranger.post(case_url(case, "jadwal-ulang/"), {"reason": "Iseng"}).status_code == 404

    assert Case.objects.get(pk=case.pk).status == Status.SCHEDULED
    assert not RequesterMessage.objects.exists()


def test_the_case_page_of_a_scheduled_case(client, world, frozen):
    """The schedule shows its date, time and mode, never the place; no officer names; the steps in order."""
    case = case_in(Status.SCHEDULED, world)
    open_case(client, case)

    html = client.get(case_url(case)).content.decode()

    assert "Selasa, 7 Januari 2025" in html
    assert "08.00 WIB" in html
    assert "Kunjungan ke rumah atau tempat saya" in html
    assert "Rumah pemohon" not in html
    for officer in (world.ult, world.ppid):
        assert officer.username not in html and officer.first_name not in html
    assert case.requester_name not in html
    steps = re.findall(r'class="timeline__item timeline__item--(\w+)"', html)
    assert steps == ["done", "done", "done", "done", "now", "next", "next", "next"]
    assert "Dijadwalkan" in html


def test_dates_are_shown_in_the_office_s_time_zone(client, world, frozen):
    world.office.time_zone = "Asia/Makassar"
    world.office.save()
    case = submit(world)
    open_case(client, case)

    html = client.get(case_url(case)).content.decode()

    assert "Senin, 6 Januari 2025, 09.00 WITA" in html


def test_a_rejected_case_shows_the_reason_and_where_to_go(client, world, frozen):
    case = case_in(Status.REJECTED, world)
    open_case(client, case)

    html = client.get(case_url(case)).content.decode()

    assert "Di luar layanan" in html and "Disdukcapil" in html
    assert html.count("Tidak dilanjutkan") == 6


@pytest.mark.parametrize(
    ("status", "links"),
    [
        (Status.SUBMITTED, {"batalkan/"}),
        (Status.AWAITING_INFO, {"kirim-data/", "batalkan/"}),
        (Status.SCHEDULED, {"jadwal-ulang/", "batalkan/"}),
        (Status.DELIVERED, set()),
        (Status.CLOSED, set()),
        (Status.CANCELLED, set()),
    ],
)
def test_actions_are_offered_only_when_allowed(client, world, frozen, status, links):
    case = case_in(status, world)
    open_case(client, case)

    html = client.get(case_url(case)).content.decode()

    offered = {action for action in ["kirim-data/", "jadwal-ulang/", "batalkan/"] if case_url(case, action) in html}
    assert offered == links


def test_the_survey_link_shows_while_the_survey_is_open_and_unanswered(client, world, frozen):
    from jangkau.surveys.invitations import survey_path
    from jangkau.surveys.models import Invitation
    from jangkau.surveys.services import survey_answer_online
    from tests.surveys.test_answering import ANSWERS

    waiting = case_in(Status.SCHEDULED, world)
    open_case(client, waiting)
    assert "Isi survei kepuasan" not in client.get(case_url(waiting)).content.decode()

    case = case_in(Status.DELIVERED, world)
    invitation = Invitation.objects.get(case=case)
    open_case(client, case)
    assert f'href="{survey_path(invitation)}"' in client.get(case_url(case)).content.decode()

    survey_answer_online(token=invitation.token, data=ANSWERS)
    assert "Isi survei kepuasan" not in client.get(case_url(case)).content.decode()


# --- missing data ----------------------------------------------------------------------------------------


def test_the_missing_data_page_shows_what_the_officer_asked_for(client, world, frozen):
    case = case_in(Status.AWAITING_INFO, world)
    open_case(client, case)

    html = client.get(case_url(case, "kirim-data/")).content.decode()

    assert "Foto KTP" in html
    assert 'enctype="multipart/form-data"' in html


def test_sending_missing_data_returns_to_the_case_page_with_a_message(client, world, frozen):
    case = case_in(Status.AWAITING_INFO, world)
    open_case(client, case)

    response = client.post(case_url(case, "kirim-data/"), {"text": "Foto KTP saya kirim lewat kelurahan"})

    assert response.status_code == 302 and response["Location"] == case_url(case)
    html = client.get(case_url(case)).content.decode()
    assert "Data Anda sudah terkirim" in html
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED
    assert RequesterMessage.objects.get().body == "Foto KTP saya kirim lewat kelurahan"


def test_missing_data_may_come_with_a_file(client, world, frozen):
    case = case_in(Status.AWAITING_INFO, world)
    open_case(client, case)
    upload = io.BytesIO(PDF)
    upload.name = "ktp.pdf"

    client.post(case_url(case, "kirim-data/"), {"text": "Terlampir", "document": upload})

    document = CaseDocument.objects.get()
    assert (document.case_id, document.kind, document.filename) == (case.pk, CaseDocument.Kind.SUPPORTING, "ktp.pdf")


@pytest.mark.parametrize(
    ("text", "filename", "content", "message"),
    [
        ("", None, None, "Tuliskan data yang diminta petugas."),
        ("x" * 2001, None, None, "terlalu panjang"),
        ("Terlampir", "virus.pdf", b"MZ\x90\x00 not a pdf", "Berkas harus PDF, JPG, atau PNG."),
    ],
)
def test_bad_missing_data_is_refused_and_nothing_is_stored(client, world, frozen, text, filename, content, message):
    case = case_in(Status.AWAITING_INFO, world)
    open_case(client, case)
    data = {"text": text}
    if filename:
        data["document"] = io.BytesIO(content)
        data["document"].name = filename

    response = client.post(case_url(case, "kirim-data/"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ada masalah" in html and message in html
    assert Case.objects.get(pk=case.pk).status == Status.AWAITING_INFO
    assert not RequesterMessage.objects.exists()
    assert not CaseDocument.objects.exists()


def test_an_image_is_accepted_too(client, world, frozen):
    case = case_in(Status.AWAITING_INFO, world)
    open_case(client, case)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "foto.png"

    response = client.post(case_url(case, "kirim-data/"), {"text": "Foto KTP", "document": buffer})

    assert response.status_code == 302
    assert CaseDocument.objects.get().content_type == "image/png"


def test_an_action_page_the_status_does_not_allow_leads_back_to_the_case(client, world, frozen):
    case = case_in(Status.SUBMITTED, world)
    open_case(client, case)

    get = client.get(case_url(case, "kirim-data/"))
    post = client.post(case_url(case, "jadwal-ulang/"), {"reason": "Sakit"})

    assert get.status_code == post.status_code == 302
    assert get["Location"] == post["Location"] == case_url(case)
    assert not RequesterMessage.objects.exists()


def test_a_case_that_moved_on_while_the_form_was_open_leads_back_to_its_page(client, world, frozen):
    """An officer acted between showing the form and sending it: the requester sees the case as it now
    stands, with a word on why, and nothing is stored."""
    case = case_in(Status.AWAITING_INFO, world)
    open_case(client, case)
    # An officer records the data from a phone call while the requester still has the form open.
    page = client.get(case_url(case, "kirim-data/"))
    assert page.status_code == 200
    real = svc.case_send_missing_data

    def raced(*, case, **kwargs):
        svc.case_provide_info(case=case, actor=world.ult, note="Lewat telepon")
        return real(case=case, **kwargs)

    svc.case_send_missing_data = raced
    try:
        response = client.post(case_url(case, "kirim-data/"), {"text": "Terlampir"})
    finally:
        svc.case_send_missing_data = real

    assert response.status_code == 302 and response["Location"] == case_url(case)
    assert "Permohonan Anda baru saja berubah." in client.get(case_url(case)).content.decode()
    assert not RequesterMessage.objects.exists()


# --- reschedule and cancel -------------------------------------------------------------------------------


def test_asking_for_another_appointment(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)
    open_case(client, case)
    assert "Jadwal saat ini: Selasa, 7 Januari 2025" in client.get(case_url(case, "jadwal-ulang/")).content.decode()

    response = client.post(case_url(case, "jadwal-ulang/"), {"reason": "Saya dirawat", "preferred_times": "Kamis"})

    assert response.status_code == 302
    assert "Permintaan jadwal ulang Anda sudah terkirim" in client.get(case_url(case)).content.decode()
    message = RequesterMessage.objects.get()
    assert (message.body, message.preferred_times) == ("Saya dirawat", "Kamis")
    assert Case.objects.get(pk=case.pk).status == Status.SCHEDULED


def test_a_reschedule_request_without_a_reason_is_refused(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)
    open_case(client, case)

    response = client.post(case_url(case, "jadwal-ulang/"), {"reason": " ", "preferred_times": "Kamis"})

    assert response.status_code == 200
    assert "Tuliskan mengapa jadwal perlu diubah." in response.content.decode()
    assert not RequesterMessage.objects.exists()


def test_cancelling_the_request(client, world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    open_case(client, case)

    response = client.post(case_url(case, "batalkan/"), {"reason": "Sudah tidak perlu"})

    assert response.status_code == 302
    html = client.get(case_url(case)).content.decode()
    assert "Permohonan Anda sudah dibatalkan." in html
    assert "Permohonan ini sudah dibatalkan." in html
    case.refresh_from_db()
    assert (case.status, case.cancellation_reason) == (Status.CANCELLED, "Sudah tidak perlu")


@pytest.mark.parametrize("reason", ["", "a\x00b", "x" * 2001])
def test_a_bad_cancellation_reason_is_refused(client, world, frozen, reason):
    case = case_in(Status.SUBMITTED, world)
    open_case(client, case)

    response = client.post(case_url(case, "batalkan/"), {"reason": reason})

    assert response.status_code == 200
    assert "<title>Galat:" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


# --- leaving ---------------------------------------------------------------------------------------------


def test_leaving_removes_the_case_from_the_session(client, world, frozen):
    case = submit(world)
    open_case(client, case)
    assert client.get(case_url(case, "keluar/")).status_code == 405

    response = client.post(case_url(case, "keluar/"))

    assert response.status_code == 302 and response["Location"] == "/lacak/"
    assert "Anda sudah keluar dari permohonan ini di perangkat ini." in client.get("/lacak/").content.decode()
    assert client.get(case_url(case)).status_code == 404


@pytest.mark.parametrize("action", ["", "jadwal-ulang/", "batalkan/"])
def test_tracking_pages_are_not_kept_in_the_browser_cache(client, world, frozen, action):
    """After "Keluar" on a shared phone, Back must not show the case from the cache."""
    case = case_in(Status.SCHEDULED, world)
    open_case(client, case)

    response = client.get(case_url(case) + action)

    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_a_refused_message_leaves_no_file_behind(client, world, frozen, monkeypatch):
    """The case moved on between the page's check and the service's (an officer acted at that moment):
    the message is refused and its file is not kept either."""
    from jangkau.core.errors import TransitionNotAllowed

    case = case_in(Status.AWAITING_INFO, world)
    open_case(client, case)

    def moved_on(**kwargs):
        raise TransitionNotAllowed("Status berubah.")

    monkeypatch.setattr(svc, "case_send_missing_data", moved_on)
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(png, "PNG")
    png.name = "ktp.png"
    png.seek(0)

    response = client.post(case_url(case) + "kirim-data/", {"text": "Foto KTP terlampir", "document": png})

    assert response.status_code == 302
    assert CaseDocument.objects.count() == 0
