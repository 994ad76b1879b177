"""The staff API for POS steps 3 to 5 (issue 4, item 9): the thread, result files and the legal deadline,
contact and scheduling with a team, cancelling an appointment, delivery with its record and proof; the
case's files, the work views, the day's schedule; and what the requester sees of it all."""

import io
from datetime import datetime, timedelta

import pytest
from PIL import Image

from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.documents import document_store_draft
from jangkau.cases.models import Case, CaseDocument, CaseNote, RequesterNotice, Status
from jangkau.core import clock
from jangkau.scheduling.models import Appointment
from tests.builders import VALID_NIK, case_in, intake_data, make_public_information, perform, submit
from tests.conftest import JKT

pytestmark = pytest.mark.django_db

CSV = b"sekolah,nilai\nSDN 01,82\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def act(client, case, action: str, body: dict | None = None):
    return client.post(
        f"/api/v1/cases/{case.registration_number}/actions/{action}", body or {}, content_type="application/json"
    )


def upload(client, kind: str, content: bytes, name: str = "berkas.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post("/api/v1/cases/documents", {"kind": kind, "file": file})


def field_errors(response) -> dict[str, str]:
    return {error["field"]: error["msg"] for error in response.json()["errors"]}


def track(client, case) -> dict:
    response = client.get(
        f"/api/v1/requests/{case.registration_number}", headers={"X-Tracking-Code": case.tracking_code}
    )
    assert response.status_code == 200
    return response.json()


def draft(kind: str, content: bytes = CSV, filename: str = "hasil.csv") -> str:
    return document_store_draft(kind=kind, field="file", filename=filename, content=content).draft_token


TOMORROW_10 = datetime(2025, 1, 7, 10, 0, tzinfo=JKT)


# --- the internal thread ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["ult", "ppid", "head"])
def test_ult_ppid_and_head_write_in_the_thread_and_the_requester_never_sees_it(client, world, frozen, who):
    case = case_in(Status.WITH_PPID, world)
    user = getattr(world, who)
    client.force_login(user)

    response = act(client, case, "add_note", {"body": "Data 2024 masih dicari di arsip."})

    assert response.status_code == 200
    [note] = response.json()["notes"]
    assert (note["author"], note["author_name"], note["body"]) == (
        user.username,
        str(user),
        "Data 2024 masih dicari di arsip.",
    )
    assert response.json()["status"] == Status.WITH_PPID
    assert AuditEvent.objects.filter(case=case, action="case.add_note", actor=user).count() == 1
    assert "arsip" not in str(track(client, case))


def test_an_empty_note_answers_422_naming_the_body(client, world, frozen):
    case = case_in(Status.WITH_PPID, world)
    client.force_login(world.ppid)

    response = act(client, case, "add_note", {"body": "   "})

    assert response.status_code == 422
    assert list(field_errors(response)) == ["body"]
    assert not CaseNote.objects.exists()


def test_a_note_on_a_closed_case_answers_409_with_the_reason(client, world, frozen):
    case = case_in(Status.CLOSED, world)
    client.force_login(world.ult)

    response = act(client, case, "add_note", {"body": "Terlambat"})

    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert "add_note" in response.json()["detail"] and "Selesai" in response.json()["detail"]


# --- result files -----------------------------------------------------------------------------------------


def test_a_result_file_uploaded_as_a_draft_is_attached_by_record_result(client, world, frozen):
    case = case_in(Status.WITH_PPID, world)
    client.force_login(world.ppid)

    uploaded = upload(client, "result", CSV, "nilai.csv")
    token = uploaded.json()["token"]
    response = act(client, case, "record_result", {"summary": "Nilai SD 2025", "document_tokens": [token]})

    assert uploaded.status_code == 201
    assert {k: uploaded.json()[k] for k in ("kind", "filename", "size", "content_type")} == {
        "kind": "result",
        "filename": "nilai.csv",
        "size": len(CSV),
        "content_type": "text/csv",
    }
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["result_summary"]) == (Status.READY_TO_SCHEDULE, "Nilai SD 2025")
    [document] = data["documents"]
    assert (document["kind"], document["filename"], document["size"]) == ("result", "nilai.csv", len(CSV))
    assert CaseDocument.objects.get(pk=document["id"]).case == case
    downloaded = client.get(f"/api/v1/cases/{case.registration_number}/documents/{document['id']}")
    assert downloaded.status_code == 200
    assert downloaded.content == CSV
    assert downloaded["Content-Type"] == "text/csv"
    assert downloaded["Content-Disposition"].startswith("attachment")


def test_recording_a_result_is_the_ppid_member_s_step(client, world, frozen):
    """403 for a role the table refuses (the ULT officer), 409 with the reason for a case not with PPID."""
    with_ppid, accepted = case_in(Status.WITH_PPID, world), case_in(Status.ACCEPTED, world)
    client.force_login(world.ult)
    refused_role = act(client, with_ppid, "record_result", {"summary": "x"})
    client.force_login(world.ppid)
    refused_status = act(client, accepted, "record_result", {"summary": "x"})

    assert refused_role.status_code == 403 and refused_role.json()["code"] == "permission_denied"
    assert refused_status.status_code == 409
    assert "record_result" in refused_status.json()["detail"] and "Diterima" in refused_status.json()["detail"]
    assert Case.objects.get(pk=with_ppid.pk).status == Status.WITH_PPID


@pytest.mark.parametrize(
    ("kind", "content", "name", "field"),
    [
        pytest.param("result", b"", "kosong.csv", "file", id="empty"),
        pytest.param("result", b"\x00\x01\x02binary", "data.bin", "file", id="not-a-document"),
        pytest.param("delivery_proof", CSV, "bukti.csv", "file", id="csv-as-proof"),
        pytest.param("power_of_attorney", png_bytes(), "kuasa.png", "kind", id="requester-kind"),
    ],
)
def test_a_refused_upload_answers_422_naming_the_field(client, world, frozen, kind, content, name, field):
    client.force_login(world.ppid)

    response = upload(client, kind, content, name)

    assert response.status_code == 422
    assert field in field_errors(response)
    assert not CaseDocument.objects.exists()


def test_an_upload_without_a_file_answers_422_and_without_login_401(client, world, frozen):
    anonymous = upload(client, "result", CSV)
    client.force_login(world.ppid)
    missing = client.post("/api/v1/cases/documents", {"kind": "result"})

    assert anonymous.status_code == 401
    assert missing.status_code == 422 and "file" in field_errors(missing)


# --- the legal deadline of public-information requests --------------------------------------------------


def test_the_deadline_is_extended_once_with_a_notice_the_requester_sees(client, world, frozen):
    case = case_in(Status.WITH_PPID, world)
    make_public_information(case, world)
    before = Case.objects.get(pk=case.pk).information_due_at
    client.force_login(world.ppid)
    body = {"days": 5, "reason": "Data tersebar", "notice": "Jawaban kami kirim paling lambat 5 hari kerja lagi."}

    response = act(client, case, "extend_information_deadline", body)
    again = act(client, case, "extend_information_deadline", body)

    assert response.status_code == 200
    deadline = response.json()["information_deadline"]
    assert (deadline["extension_days"], deadline["extension_reason"]) == (5, "Data tersebar")
    assert datetime.fromisoformat(deadline["due_at"]) > before
    assert deadline["explanation"][-1].startswith("Tenggat:")
    assert "extend_information_deadline" not in response.json()["allowed_actions"]
    assert [(n["kind"], n["body"]) for n in response.json()["notices"]] == [
        ("information_extension", "Jawaban kami kirim paling lambat 5 hari kerja lagi.")
    ]
    assert (again.status_code, again.json()["code"]) == (409, "already_extended")
    seen = track(client, case)
    assert [n["body"] for n in seen["notices"]] == ["Jawaban kami kirim paling lambat 5 hari kerja lagi."]
    assert seen["information_deadline"]["extension_days"] == 5
    assert "Data tersebar" not in str(seen)


def test_extending_a_request_without_a_legal_deadline_answers_409(client, world, frozen):
    case = case_in(Status.WITH_PPID, world)
    client.force_login(world.ppid)

    response = act(client, case, "extend_information_deadline", {"days": 3, "reason": "x", "notice": "y"})

    assert (response.status_code, response.json()["code"]) == (409, "not_public_information")
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"days": 8, "reason": "x", "notice": "y"}, "days"),
        ({"days": 0, "reason": "x", "notice": "y"}, "days"),
        ({"reason": "x", "notice": "y"}, "days"),
        ({"days": "tiga", "reason": "x", "notice": "y"}, "days"),
        ({"days": 3, "notice": "y"}, "reason"),
        ({"days": 3, "reason": "x"}, "notice"),
    ],
)
def test_bad_extension_fields_answer_422_each_named(client, world, frozen, body, field):
    case = case_in(Status.WITH_PPID, world)
    make_public_information(case, world)
    client.force_login(world.ppid)

    response = act(client, case, "extend_information_deadline", body)

    assert response.status_code == 422
    assert field in field_errors(response)
    assert Case.objects.get(pk=case.pk).information_extension_days is None


def test_the_head_may_not_extend_the_deadline(client, world, frozen):
    case = case_in(Status.WITH_PPID, world)
    make_public_information(case, world)
    client.force_login(world.head)

    response = act(client, case, "extend_information_deadline", {"days": 3, "reason": "x", "notice": "y"})

    assert response.status_code == 403


def test_a_request_without_a_legal_deadline_shows_none(client, world, frozen):
    case = submit(world)
    client.force_login(world.ult)

    assert client.get(f"/api/v1/cases/{case.registration_number}").json()["information_deadline"] is None
    assert track(client, case)["information_deadline"] is None


# --- contact and scheduling -------------------------------------------------------------------------------


def test_contact_attempts_are_listed_with_the_failed_days(client, world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.ult)

    response = act(
        client, case, "record_contact_attempt", {"channel": "phone", "result": "no_answer", "notes": "Sibuk"}
    )

    assert response.status_code == 200
    assert [(a["channel"], a["result"], a["notes"], a["officer"]) for a in response.json()["contact_attempts"]] == [
        ("phone", "no_answer", "Sibuk", world.ult.username)
    ]
    assert response.json()["failed_contact_days"] == 1


def test_scheduling_names_the_team_and_the_accommodations(client, world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.ult)

    response = act(
        client,
        case,
        "schedule",
        {
            "starts_at": TOMORROW_10.isoformat(),
            "mode": "visit",
            "place": "Rumah pemohon",
            "officers": [world.ppid.username, world.ult2.username],
            "accommodations": ["sign_language"],
        },
    )

    assert response.status_code == 200
    appointment = response.json()["appointment"]
    assert appointment["officers"] == sorted([world.ppid.username, world.ult2.username])
    assert (appointment["accommodations"], appointment["officer"]) == (["sign_language"], world.ult.username)
    assert set(Appointment.objects.get(case=case).officers.all()) == {world.ppid, world.ult2}


def test_scheduling_without_a_team_sends_the_officer_and_prepares_what_was_asked(client, world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.ult)

    response = act(client, case, "schedule", {"starts_at": TOMORROW_10.isoformat(), "mode": "visit"})

    appointment = response.json()["appointment"]
    assert (appointment["officers"], appointment["accommodations"]) == ([world.ult.username], ["wheelchair"])


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"officers": ["tidak-ada"]}, "officers"),
        ({"officers": ["OTHER"]}, "officers"),  # a username of another office
        ({"officers": ["HEAD"]}, "officers"),  # the head does not go on visits
        ({"accommodations": ["jetpack"]}, "accommodations"),
        ({"officers": "bukan-daftar"}, "officers"),
        ({"mode": "drone"}, "mode"),
        ({"starts_at": "2025-01-05T10:00:00+07:00"}, "starts_at"),
    ],
)
def test_a_bad_schedule_answers_422_naming_the_field(client, world, other_world, frozen, overrides, field):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    names = {"OTHER": other_world.ult.username, "HEAD": world.head.username}
    if isinstance(overrides.get("officers"), list):
        overrides = {"officers": [names.get(name, name) for name in overrides["officers"]]}
    client.force_login(world.ult)

    response = act(client, case, "schedule", {"starts_at": TOMORROW_10.isoformat(), "mode": "visit", **overrides})

    assert response.status_code == 422
    assert field in field_errors(response)
    assert Case.objects.get(pk=case.pk).status == Status.READY_TO_SCHEDULE
    assert not Appointment.objects.exists()


def test_scheduling_is_the_ult_officer_s_step(client, world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.ppid)

    response = act(client, case, "schedule", {"starts_at": TOMORROW_10.isoformat(), "mode": "visit"})

    assert response.status_code == 403


def test_rescheduling_keeps_the_team_unless_a_new_one_is_named(client, world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.ult)
    act(
        client,
        case,
        "schedule",
        {
            "starts_at": TOMORROW_10.isoformat(),
            "mode": "visit",
            "officers": [world.ppid.username],
            "accommodations": [],
        },
    )

    kept = act(
        client,
        case,
        "reschedule",
        {"starts_at": (TOMORROW_10 + timedelta(days=1)).isoformat(), "mode": "visit", "reason": "Hujan"},
    )
    changed = act(
        client,
        case,
        "reschedule",
        {
            "starts_at": (TOMORROW_10 + timedelta(days=2)).isoformat(),
            "mode": "video_call",
            "reason": "Pemohon sakit",
            "officers": [world.ult2.username],
            "accommodations": ["plain_language"],
        },
    )

    assert (kept.json()["appointment"]["officers"], kept.json()["appointment"]["accommodations"]) == (
        [world.ppid.username],
        [],
    )
    assert (changed.json()["appointment"]["officers"], changed.json()["appointment"]["accommodations"]) == (
        [world.ult2.username],
        ["plain_language"],
    )
    history = changed.json()["appointments"]
    assert len(history) == 3
    assert [a["superseded_at"] is None for a in history] == [False, False, True]


def test_cancelling_an_appointment_reopens_contact_and_tells_the_requester(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)
    client.force_login(world.ult)

    response = act(
        client,
        case,
        "cancel_appointment",
        {"reason": "Petugas sakit", "notice": "Jadwal dibatalkan; kami akan menghubungi Anda lagi."},
    )

    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["appointment"]) == (Status.READY_TO_SCHEDULE, None)
    [cancelled] = data["appointments"]
    assert cancelled["cancellation_reason"] == "Petugas sakit" and cancelled["superseded_at"] is not None
    assert [s["no"] for s in data["steps"] if s["done_at"] is None] == [4]
    seen = track(client, case)
    assert [(n["kind"], n["body"]) for n in seen["notices"]] == [
        ("appointment_cancelled", "Jadwal dibatalkan; kami akan menghubungi Anda lagi.")
    ]
    assert seen["appointment"] is None and "Petugas sakit" not in str(seen)


def test_cancelling_an_appointment_needs_a_scheduled_case_a_ult_officer_and_both_texts(client, world, frozen):
    ready, scheduled = case_in(Status.READY_TO_SCHEDULE, world), case_in(Status.SCHEDULED, world)
    body = {"reason": "Petugas sakit", "notice": "Dibatalkan"}
    client.force_login(world.ult)
    not_scheduled = act(client, ready, "cancel_appointment", body)
    no_notice = act(client, scheduled, "cancel_appointment", {"reason": "Petugas sakit"})
    client.force_login(world.ppid)
    ppid = act(client, scheduled, "cancel_appointment", body)

    assert not_scheduled.status_code == 409 and "Siap dijadwalkan" in not_scheduled.json()["detail"]
    assert no_notice.status_code == 422 and list(field_errors(no_notice)) == ["notice"]
    assert ppid.status_code == 403
    assert not RequesterNotice.objects.exists()


# --- delivery ---------------------------------------------------------------------------------------------


def test_delivery_records_what_how_the_cost_and_the_proof(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)
    client.force_login(world.ult)
    proof = upload(client, "delivery_proof", png_bytes(), "tanda-terima.png").json()["token"]

    response = act(
        client,
        case,
        "deliver",
        {
            "notes": "Data diserahkan",
            "mode": "courier",
            "documents_handed_over": "Rapor mutu tercetak",
            "office_cost": 30000,
            "office_cost_note": "Ongkos kurir",
            "proof_token": proof,
        },
    )

    assert response.status_code == 200
    data = response.json()
    assert data["status"] == Status.DELIVERED
    assert (data["delivery_mode"], data["documents_handed_over"], data["office_cost"], data["office_cost_note"]) == (
        "courier",
        "Rapor mutu tercetak",
        30000,
        "Ongkos kurir",
    )
    assert data["delivered_at"] is not None
    [proof_file] = data["documents"]
    assert (proof_file["kind"], proof_file["content_type"]) == ("delivery_proof", "image/png")
    assert client.get(f"/api/v1/cases/{case.registration_number}/documents/{proof_file['id']}").content == png_bytes()
    event = AuditEvent.objects.get(case=case, action="case.deliver")
    assert (event.actor, event.changes["office_cost"], event.changes["proof"]) == (world.ult, 30000, 1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"office_cost": -1}, "office_cost"),
        ({"office_cost": 1.5}, "office_cost"),
        ({"office_cost": "gratis"}, "office_cost"),
        ({"office_cost": 10**9}, "office_cost"),
        ({"proof_token": "tidak-ada"}, "proof_token"),
        ({"proof_token": "RESULT"}, "proof_token"),  # a result draft is not a proof
        ({"mode": "drone"}, "mode"),
        ({"notes": ""}, "notes"),
    ],
)
def test_bad_delivery_fields_answer_422_each_named(client, world, frozen, body, field):
    case = case_in(Status.SCHEDULED, world)
    if body.get("proof_token") == "RESULT":
        body = {"proof_token": draft(CaseDocument.Kind.RESULT)}
    client.force_login(world.ult)

    response = act(client, case, "deliver", {"notes": "Data diserahkan", **body})

    assert response.status_code == 422, response.content
    assert field in field_errors(response)
    assert Case.objects.get(pk=case.pk).status == Status.SCHEDULED


def test_delivery_is_refused_to_the_head_and_before_a_schedule(client, world, frozen):
    scheduled, ready = case_in(Status.SCHEDULED, world), case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.head)
    head = act(client, scheduled, "deliver", {"notes": "x"})
    client.force_login(world.ult)
    early = act(client, ready, "deliver", {"notes": "x"})

    assert head.status_code == 403
    assert early.status_code == 409 and early.json()["code"] == "transition_not_allowed"


# --- the case's files and the requester's own uploads -----------------------------------------------------


def _case_with_power_of_attorney(world):
    token = draft(CaseDocument.Kind.POWER_OF_ATTORNEY, png_bytes(), "kuasa.png")
    return svc.case_submit(office=world.office, data=intake_data(world), document_tokens=[token])


def test_the_requester_s_own_upload_is_not_listed_and_answers_403_pointing_to_the_logged_view(client, world, frozen):
    case = _case_with_power_of_attorney(world)
    document = CaseDocument.objects.get(case=case)
    client.force_login(world.ult)

    detail = client.get(f"/api/v1/cases/{case.registration_number}").json()
    refused = client.get(f"/api/v1/cases/{case.registration_number}/documents/{document.pk}")

    assert detail["documents"] == []
    assert refused.status_code == 403
    assert f"/documents/{document.pk}/personal-data" in refused.json()["detail"]
    assert not AuditEvent.objects.filter(action="case.personal_data_viewed").exists()


def test_the_requester_s_upload_opens_through_the_logged_view(client, world, frozen):
    case = _case_with_power_of_attorney(world)
    document = CaseDocument.objects.get(case=case)
    client.force_login(world.ult)
    url = f"/api/v1/cases/{case.registration_number}/documents/{document.pk}/personal-data"

    listed = client.post(
        f"/api/v1/cases/{case.registration_number}/personal-data",
        {"purpose": "Cek kuasa"},
        content_type="application/json",
    )
    no_purpose = client.post(url, {"purpose": ""}, content_type="application/json")
    opened = client.post(url, {"purpose": "Memeriksa surat kuasa"}, content_type="application/json")

    assert [(d["id"], d["kind"]) for d in listed.json()["documents"]] == [(document.pk, "power_of_attorney")]
    assert no_purpose.status_code == 422
    assert opened.status_code == 200 and opened.content == png_bytes()
    purposes = list(
        AuditEvent.objects.filter(case=case, action="case.personal_data_viewed", actor=world.ult)
        .order_by("seq")
        .values_list("changes__purpose", flat=True)
    )
    assert purposes[0] == "Cek kuasa"
    assert purposes[1].startswith("Memeriksa surat kuasa [") and str(document.pk) in purposes[1]


def test_files_of_another_office_answer_403_and_an_unknown_file_404(client, world, other_world, frozen):
    other_world.office.registration_prefix = "JT"
    other_world.office.save()
    case = case_in(Status.WITH_PPID, world)
    svc.case_record_result(
        case=case, actor=world.ppid, summary="Nilai", document_tokens=[draft(CaseDocument.Kind.RESULT)]
    )
    document = CaseDocument.objects.get(case=case)
    client.force_login(other_world.ult)
    foreign = client.get(f"/api/v1/cases/{case.registration_number}/documents/{document.pk}")
    client.force_login(world.ult)
    unknown = client.get(f"/api/v1/cases/{case.registration_number}/documents/{document.pk + 100}")

    assert foreign.status_code == 403 and foreign.content != CSV
    assert unknown.status_code == 404


# --- the case detail --------------------------------------------------------------------------------------


def test_the_detail_shows_who_held_the_case_when(client, world, frozen):
    case = case_in(Status.WITH_PPID, world)
    perform("reassign", case, world)
    client.force_login(world.head)

    holders = client.get(f"/api/v1/cases/{case.registration_number}").json()["holders"]

    assert [(h["role"], h["username"], h["how"], h["end"] is None) for h in holders] == [
        ("ult", world.ult.username, "case.accept", False),
        ("ppid", world.ppid.username, "case.forward_to_ppid", True),
        ("ult", world.ult2.username, "case.reassign", True),
    ]
    assert holders[2]["reason"] == "Petugas cuti"


def test_the_detail_costs_the_same_queries_however_long_the_history(client, world, frozen):
    """Notes, notices, files, appointments, their teams and contact attempts come from prefetches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(case) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/api/v1/cases/{case.registration_number}").status_code == 200
        return len(captured)

    client.force_login(world.ult)
    short = case_in(Status.SCHEDULED, world)
    long = case_in(Status.SCHEDULED, world)
    for n in range(3):
        svc.case_add_note(case=long, actor=world.ppid, body=f"Catatan {n}")
        svc.case_reschedule(
            case=long, actor=world.ult, starts_at=TOMORROW_10 + timedelta(days=n), mode="visit", reason="Ubah",
            officers=[world.ult, world.ppid],
        )  # fmt: skip
    svc.case_cancel_appointment(case=long, actor=world.ult, reason="Sakit", notice="Dibatalkan")
    for _ in range(2):
        svc.case_record_contact_attempt(case=long, actor=world.ult, channel="phone", result="no_answer")

    assert queries_for(long) == queries_for(short)


# --- work views -------------------------------------------------------------------------------------------


def test_the_all_view_is_in_queue_order_with_reasons_and_sla(client, world, frozen):
    """Urgent first, then the nearest deadline; each row says why and how much time is left, masked."""
    plain = submit(world)
    clock.advance(timedelta(minutes=1))
    urgent = submit(world, urgent=True, urgent_reason="Pendaftaran sekolah Senin")
    client.force_login(world.ult)

    response = client.get("/api/v1/cases", {"view": "all"})

    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["registration_number"] for i in items] == [urgent.registration_number, plain.registration_number]
    assert [i["queue"]["position"] for i in items] == [1, 2]
    assert [i["queue"]["group"] for i in items] == ["urgent", "deadline"]
    assert "Mendesak" in items[0]["queue"]["reason"] and "Pendaftaran sekolah" in items[0]["queue"]["reason"]
    assert items[1]["queue"]["sla"]["kind"] == "on_time" and items[1]["queue"]["sla"]["minutes"] == 4
    assert items[0]["vulnerabilities"] == ["disability_physical", "elderly"]
    assert items[0]["accommodations"] == ["wheelchair"]
    assert VALID_NIK not in response.content.decode() and "+6281234567890" not in response.content.decode()


def test_a_late_case_says_how_late(client, world, frozen):
    case = submit(world)
    clock.advance(timedelta(minutes=20))
    client.force_login(world.ult)

    [item] = client.get("/api/v1/cases", {"view": "all"}).json()["items"]

    assert item["registration_number"] == case.registration_number
    assert (item["queue"]["sla"]["kind"], item["queue"]["sla"]["minutes"]) == ("late", 15)
    assert "Terlambat" in item["queue"]["sla"]["label"]


def test_the_views_narrow_to_mine_ppid_the_ppid_inbox_and_scheduled(client, world, frozen):
    new = submit(world)
    mine = case_in(Status.ACCEPTED, world)
    with_ppid = case_in(Status.WITH_PPID, world)
    scheduled = case_in(Status.SCHEDULED, world)

    def numbers(view, user):
        client.force_login(user)
        return {i["registration_number"] for i in client.get("/api/v1/cases", {"view": view}).json()["items"]}

    assert numbers("all", world.ult2) == {c.registration_number for c in (new, mine, with_ppid, scheduled)}
    assert numbers("mine", world.ult) == {c.registration_number for c in (mine, with_ppid, scheduled)}
    assert numbers("mine", world.ult2) == set()
    assert numbers("mine", world.ppid) == {with_ppid.registration_number}
    assert numbers("ppid", world.ult) == {with_ppid.registration_number}
    assert numbers("ppid_inbox", world.ppid) == {with_ppid.registration_number}
    assert numbers("ppid_inbox", world.ult) == set()
    assert numbers("scheduled", world.ult) == {scheduled.registration_number}


def test_search_finds_by_name_number_and_nik_also_ended_cases(client, world, frozen):
    found = submit(world, full_name="Budi Santoso", nik="3171010101800001")
    ended = case_in(Status.CANCELLED, world, full_name="Budi Hartono")
    other = submit(world, full_name="Siti Aminah")
    client.force_login(world.ult)

    def search(q, **extra):
        items = client.get("/api/v1/cases", {"q": q, **extra}).json()["items"]
        return [i["registration_number"] for i in items]

    assert search("budi") == [found.registration_number, ended.registration_number]
    assert search("3171010101800001") == [found.registration_number]
    assert search(other.registration_number.lower()) == [other.registration_number]
    assert search("budi", view="mine") == []
    assert search("budi", status="cancelled") == [ended.registration_number]


def test_without_a_view_the_list_stays_newest_first_without_queue_places(client, world, frozen):
    first = submit(world)
    clock.advance(timedelta(minutes=1))
    second = submit(world)
    client.force_login(world.ult)

    items = client.get("/api/v1/cases").json()["items"]

    assert [i["registration_number"] for i in items] == [second.registration_number, first.registration_number]
    assert all(i["queue"] is None and i["vulnerabilities"] is None for i in items)


@pytest.mark.parametrize("params", [{"view": "everything"}, {"q": "x" * 101}])
def test_an_unknown_view_or_an_overlong_search_answers_422(client, world, params):
    client.force_login(world.ult)

    response = client.get("/api/v1/cases", params)

    assert response.status_code == 422
    assert list(field_errors(response)) == list(params)


def test_a_work_view_costs_the_same_queries_for_many_cases(client, world, frozen, django_assert_max_num_queries):
    for _ in range(5):
        case_in(Status.ACCEPTED, world)
    client.force_login(world.ult)

    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/cases", {"view": "all"})

    assert response.json()["count"] == 5
    assert {i["assigned_to"] for i in response.json()["items"]} == {world.ult.username}


# --- the day's schedule -----------------------------------------------------------------------------------


def test_the_schedule_lists_the_day_s_current_appointments_in_time_order(client, world, other_world, frozen):
    late = case_in(Status.READY_TO_SCHEDULE, world)
    early = case_in(Status.READY_TO_SCHEDULE, world)
    moved = case_in(Status.READY_TO_SCHEDULE, world)
    cancelled = case_in(Status.READY_TO_SCHEDULE, world)
    foreign = case_in(Status.READY_TO_SCHEDULE, other_world)
    for case, hour in ((late, 14), (early, 9), (moved, 11), (cancelled, 13)):
        svc.case_schedule(case=case, actor=world.ult, starts_at=TOMORROW_10.replace(hour=hour), mode="visit")
    svc.case_reschedule(
        case=moved, actor=world.ult, starts_at=TOMORROW_10 + timedelta(days=1), mode="visit", reason="Hujan"
    )
    svc.case_cancel(case=cancelled, actor=world.ult, reason="Sudah tidak perlu")
    svc.case_schedule(case=foreign, actor=other_world.ult, starts_at=TOMORROW_10, mode="visit")
    client.force_login(world.ult)

    day = client.get("/api/v1/schedule", {"date": "2025-01-07"}).json()
    next_day = client.get("/api/v1/schedule", {"date": "2025-01-08"}).json()
    today = client.get("/api/v1/schedule").json()

    assert [(e["registration_number"], datetime.fromisoformat(e["starts_at"]).astimezone(JKT).hour) for e in day] == [
        (early.registration_number, 9),
        (late.registration_number, 14),
    ]
    assert day[0]["officers"] == [world.ult.username] and day[0]["accommodations"] == ["wheelchair"]
    assert day[0]["place"] == ""
    assert VALID_NIK not in str(day) and "Kenanga" not in str(day)
    assert [e["registration_number"] for e in next_day] == [moved.registration_number]
    assert today == []


@pytest.mark.parametrize("value", ["07-01-2025", "2025-13-01", "besok"])
def test_a_bad_schedule_date_answers_422(client, world, value):
    client.force_login(world.ult)

    response = client.get("/api/v1/schedule", {"date": value})

    assert response.status_code == 422
    assert list(field_errors(response)) == ["date"]
