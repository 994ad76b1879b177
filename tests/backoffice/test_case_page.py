"""The case page: office-scoped, identifiers masked, personal data behind a logged purpose, and the
actions of POS step 2 (accept, ask for missing data, reject with a referral) with clear refusals."""

import re

import pytest

from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.models import CaseDocument, Status
from jangkau.cases.workflow import REQUESTER
from tests.builders import VALID_NIK, case_in, intake_data, submit

pytestmark = pytest.mark.django_db


def url(case, suffix=""):
    return f"/staf/kasus/{case.registration_number}/{suffix}"


def events_of(case):
    return list(AuditEvent.objects.filter(case=case).order_by("seq").values_list("action", flat=True))


# --- the page ---------------------------------------------------------------------------------------------


def test_the_case_page_is_scoped_to_the_users_office(client, world, other_world, frozen):
    """Staff of the case's office see it; staff of another office get 404, as for a number that does not exist."""
    case = submit(world)

    client.force_login(world.ppid)
    assert client.get(url(case)).status_code == 200

    client.force_login(other_world.ult)
    assert client.get(url(case)).status_code == 404
    assert client.get(url(case, "terima/")).status_code == 404
    assert client.post(url(case, "terima/"), {"seen_status": "submitted"}).status_code == 404
    assert client.post(url(case, "data-pribadi/"), {"purpose": "Ingin tahu"}).status_code == 404
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    assert "case.personal_data_viewed" not in events_of(case)


def test_signed_out_visitors_are_sent_to_the_login_page(client, world):
    case = submit(world)

    response = client.get(url(case))

    assert response.status_code == 302 and "/staf/masuk/" in response["Location"]


def test_the_case_page_shows_the_case_with_identifiers_masked(client, world, frozen):
    """Labels of the need, vulnerabilities, accommodations and mode show; the NIK, phone, e-mail, address and
    disability details do not."""
    case = submit(
        world,
        email="siti.aminah@contoh.id",
        urgent=True,
        urgent_reason="Pendaftaran sekolah besok",
        companion_name="Budi",
        companion_relation="Anak",
    )
    client.force_login(world.ult)

    response = client.get(url(case))

    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    for shown in [
        case.registration_number,
        "Siti Aminah",
        "Diajukan",
        "Formulir web",
        "Data mutu sekolah anak saya",
        "Penyandang disabilitas fisik",
        "Lanjut usia (60 tahun ke atas)",
        "Akses kursi roda",
        "Kunjungan ke rumah atau tempat saya",
        "Budi (Anak)",
        "Pendaftaran sekolah besok",
        "3171********0001",
        "s**********@contoh.id",
        # The same phone masking as the recap and its exports: country and operator prefix, last four digits.
        "+62812****7890",
    ]:
        assert shown in page, shown
    assert VALID_NIK not in page
    assert case.phone not in page and case.phone[-4:] in page
    assert "siti.aminah@contoh.id" not in page
    assert "Kenanga" not in page
    assert "Pengguna kursi roda" not in page
    assert "case.personal_data_viewed" not in events_of(case)


def test_the_steps_table_explains_the_running_deadline(client, world, frozen):
    """The running step's due moment comes with how it was computed; finished steps say whether they ran late."""
    case = submit(world)
    client.force_login(world.ult)

    page = client.get(url(case)).content.decode()

    details = page[page.index("<details") : page.index("</details>")]
    assert "Cara menghitung" in details
    assert "Batas waktu: Senin, 6 Januari 2025 08:05." in details
    assert page.count("<details") == 1  # only the running step
    assert "Berjalan" in page


def test_a_late_step_links_its_officer_to_the_explanation_form(client, world, frozen):
    from datetime import timedelta

    from jangkau.core import clock

    case = submit(world)
    clock.advance(timedelta(minutes=20))
    svc.case_accept(case=case, actor=world.ult)
    step = case.steps.get(step_no=2)
    client.force_login(world.ult)

    page = client.get(url(case)).content.decode()

    assert f"/staf/pelanggaran-waktu/{step.pk}/jelaskan/" in page
    assert "Belum dijelaskan." in page


def test_requester_messages_show_only_kind_and_time_on_the_case_page(client, world, frozen):
    """A message's words may hold personal data: the case page says it exists, the logged view shows it."""
    case = case_in(Status.AWAITING_INFO, world)
    svc.case_send_missing_data(case=case, actor=REQUESTER, text="KTP saya hilang, ini surat keterangan RT")
    client.force_login(world.ult)

    page = client.get(url(case)).content.decode()

    assert "Data yang diminta" in page
    assert "surat keterangan RT" not in page


def test_action_buttons_follow_the_workflow_and_the_role(client, world, frozen):
    """A ULT officer sees the three step-2 actions on a new case; PPID and the head see none; once accepted
    they are gone."""
    case = submit(world)

    client.force_login(world.ult)
    page = client.get(url(case)).content.decode()
    for slug in ("terima", "minta-data", "tolak"):
        assert url(case, f"{slug}/") in page

    for user in (world.ppid, world.head):
        client.force_login(user)
        page = client.get(url(case)).content.decode()
        assert url(case, "terima/") not in page

    svc.case_accept(case=case, actor=world.ult)
    client.force_login(world.ult)
    page = client.get(url(case)).content.decode()
    assert url(case, "terima/") not in page and url(case, "tolak/") not in page


# --- personal data ----------------------------------------------------------------------------------------


def test_opening_personal_data_needs_a_purpose(client, world, frozen):
    """An empty purpose brings the error summary back; nothing is shown and nothing logged."""
    case = submit(world)
    client.force_login(world.ult)

    response = client.post(url(case, "data-pribadi/"), {"purpose": "   "})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada masalah" in page and "<title>Galat:" in page
    assert 'href="#id_purpose"' in page
    assert "Tuliskan keperluan membuka data pribadi" in page
    assert VALID_NIK not in page
    assert "case.personal_data_viewed" not in events_of(case)


def test_a_get_shows_only_the_question_of_purpose(client, world, frozen):
    case = submit(world)
    client.force_login(world.ult)

    page = client.get(url(case, "data-pribadi/")).content.decode()

    assert "Untuk apa Anda membuka data pribadi pemohon?" in page
    assert VALID_NIK not in page
    assert "case.personal_data_viewed" not in events_of(case)


def test_opening_personal_data_shows_it_uncached_and_logs_who_and_why(client, world, frozen):
    case = case_in(Status.AWAITING_INFO, world, email="siti@contoh.id")
    svc.case_send_missing_data(case=case, actor=REQUESTER, text="KTP saya hilang, ini surat keterangan RT")
    client.force_login(world.ult2)

    response = client.post(url(case, "data-pribadi/"), {"purpose": "Menelepon untuk jadwal kunjungan"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    for shown in [VALID_NIK, case.phone, "siti@contoh.id", "Jl. Kenanga No. 5", "Pengguna kursi roda"]:
        assert shown in page, shown
    assert "KTP saya hilang, ini surat keterangan RT" in page
    event = AuditEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.action == "case.personal_data_viewed"
    assert event.actor == world.ult2
    assert event.changes == {"purpose": "Menelepon untuk jadwal kunjungan"}


def test_a_document_downloads_through_the_logged_view(client, world, frozen):
    from jangkau.cases.documents import document_store_draft

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    draft = document_store_draft(
        kind=CaseDocument.Kind.POWER_OF_ATTORNEY, field="power_of_attorney", filename="kuasa.pdf", content=pdf
    )
    case = svc.case_submit(office=world.office, data=intake_data(world), document_tokens=[draft.draft_token])
    document = case.documents.get()
    client.force_login(world.ult)
    assert "kuasa.pdf" in client.get(url(case)).content.decode()

    response = client.post(url(case, "data-pribadi/"), {"purpose": "Memeriksa surat kuasa", "document": document.pk})

    assert response.status_code == 200
    assert response.content == pdf
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.action == "case.personal_data_viewed"
    assert "Memeriksa surat kuasa" in event.changes["purpose"] and str(document.pk) in event.changes["purpose"]

    other = submit(world)
    assert client.post(url(other, "data-pribadi/"), {"purpose": "x", "document": document.pk}).status_code == 404


# --- step 2 actions ---------------------------------------------------------------------------------------


def test_unknown_actions_are_not_found(client, world):
    case = submit(world)
    client.force_login(world.ult)

    assert client.get(url(case, "hapus/")).status_code == 404
    assert client.post(url(case, "hapus/")).status_code == 404


@pytest.mark.parametrize(
    ("slug", "answers", "status", "event", "message"),
    [
        ("terima", {}, Status.ACCEPTED, "case.accept", "diterima"),
        ("minta-data", {"missing": "Foto KTP pemohon"}, Status.AWAITING_INFO, "case.request_info", "Permintaan data"),
        (
            "tolak",
            {"reason": "Bukan layanan kantor ini", "referral": "Disdukcapil Jakarta Pusat"},
            Status.REJECTED,
            "case.reject",
            "ditolak",
        ),
    ],
)
def test_each_step_2_action_changes_the_status_and_writes_one_audit_event(
    client, world, frozen, slug, answers, status, event, message
):
    case = submit(world)
    client.force_login(world.ult)
    form = client.get(url(case, f"{slug}/"))
    assert form.status_code == 200
    assert 'name="seen_status" value="submitted"' in form.content.decode()
    before = AuditEvent.objects.count()

    response = client.post(url(case, f"{slug}/"), {"seen_status": "submitted", **answers})

    assert response.status_code == 302 and response["Location"] == url(case)
    case.refresh_from_db()
    assert case.status == status
    assert AuditEvent.objects.count() == before + 1
    assert events_of(case)[-1] == event
    assert message in client.get(url(case)).content.decode()


def test_rejecting_keeps_the_reason_and_the_referral(client, world, frozen):
    case = submit(world)
    client.force_login(world.ult)

    client.post(url(case, "tolak/"), {"seen_status": "submitted", "reason": "Di luar layanan", "referral": "Dinsos"})

    case.refresh_from_db()
    assert (case.rejection_reason, case.referral) == ("Di luar layanan", "Dinsos")


def test_request_info_pauses_step_2(client, world, frozen):
    """Asking for missing data stops step 2's clock: it has no due moment while the requester is asked."""
    case = submit(world)
    assert case.steps.get(step_no=2).due_at is not None
    client.force_login(world.ult)

    client.post(url(case, "minta-data/"), {"seen_status": "submitted", "missing": "Foto KTP"})

    step = case.steps.get(step_no=2, done_at__isnull=True)
    assert step.due_at is None
    assert step.pauses.get().reason == "Foto KTP"
    assert "Dijeda, menunggu pemohon" in client.get(url(case)).content.decode()


def test_missing_answers_come_back_beside_their_fields(client, world, frozen):
    case = submit(world)
    client.force_login(world.ult)
    before = AuditEvent.objects.count()

    response = client.post(url(case, "tolak/"), {"seen_status": "submitted", "reason": " ", "referral": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada masalah" in page and "<title>Galat:" in page
    assert 'href="#id_reason"' in page and 'href="#id_referral"' in page
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    assert AuditEvent.objects.count() == before


def test_the_services_field_errors_come_back_beside_the_field(client, world, frozen):
    """Text the service refuses (a control character) is shown beside the field, nothing changes."""
    case = submit(world)
    client.force_login(world.ult)

    response = client.post(url(case, "minta-data/"), {"seen_status": "submitted", "missing": "Foto\x07 KTP"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada masalah" in page and 'href="#id_missing"' in page
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_a_second_officer_acting_after_the_first_gets_a_clear_refusal(client, world, frozen):
    """Both opened the accept form; the first accepts, the second is told another officer already did it,
    and nothing changes."""
    case = submit(world)
    client.force_login(world.ult)
    client.post(url(case, "terima/"), {"seen_status": "submitted"})
    events = AuditEvent.objects.count()

    client.force_login(world.ult2)
    response = client.post(url(case, "tolak/"), {"seen_status": "submitted", "reason": "x", "referral": "y"})

    assert response.status_code == 302 and response["Location"] == url(case)
    page = client.get(response["Location"]).content.decode()
    assert "Kasus ini sudah diproses petugas lain" in page
    assert str(world.ult) in page
    assert "Traceback" not in page
    case.refresh_from_db()
    assert (case.status, case.assigned_to) == (Status.ACCEPTED, world.ult)
    assert AuditEvent.objects.count() == events


def test_a_second_accept_by_a_colleague_is_refused_the_same_way(client, world, frozen):
    case = submit(world)
    client.force_login(world.ult)
    client.post(url(case, "terima/"), {"seen_status": "submitted"})
    events = AuditEvent.objects.count()

    client.force_login(world.ult2)
    response = client.post(url(case, "terima/"), {"seen_status": "submitted"}, follow=True)

    assert "Kasus ini sudah diproses petugas lain" in response.content.decode()
    assert AuditEvent.objects.count() == events


def test_a_colleagues_case_is_refused_with_the_holder_rule(client, world, frozen):
    """A case recorded by one officer is theirs: a colleague's accept is refused by the service's holder rule."""
    from jangkau.cases.models import Channel

    case = svc.case_submit(office=world.office, data=intake_data(world), channel=Channel.PHONE, actor=world.ult)
    client.force_login(world.ult2)
    assert url(case, "terima/") not in client.get(url(case)).content.decode()

    response = client.post(url(case, "terima/"), {"seen_status": "submitted"}, follow=True)

    assert "dipegang petugas lain" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


@pytest.mark.parametrize("role", ["ppid", "head"])
def test_ppid_and_the_head_cannot_accept(client, world, frozen, role):
    case = submit(world)
    client.force_login(getattr(world, role))
    events = AuditEvent.objects.count()

    form = client.get(url(case, "terima/"))
    response = client.post(url(case, "terima/"), {"seen_status": "submitted"}, follow=True)

    assert form.status_code == 302
    page = response.content.decode()
    assert re.search(r"Peran Anda \(.+\) tidak dapat melakukan “Terima permohonan”", page)
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    assert AuditEvent.objects.count() == events


def test_opening_an_action_form_the_status_no_longer_allows_goes_back_to_the_case(client, world, frozen):
    case = case_in(Status.ACCEPTED, world)
    client.force_login(world.ult)

    response = client.get(url(case, "tolak/"), follow=True)

    assert response.redirect_chain[-1][0] == url(case)
    assert "tidak dapat dilakukan pada kasus berstatus “Diterima”" in response.content.decode()
