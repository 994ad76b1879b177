"""Data-subject requests (UU 27/2022): finding every case of a person, exporting their data and nobody
else's, correcting it, erasing it, and the 3 x 24-hour limits with the response time."""

import json
from datetime import timedelta

import pytest

from jangkau.audit.models import AuditEvent
from jangkau.audit.services import verify_chain
from jangkau.cases import services as svc
from jangkau.cases.models import Case, Status
from jangkau.core import clock
from jangkau.core.crypto import search_hash
from jangkau.core.errors import Conflict, InvalidFields, PermissionDenied
from jangkau.privacy import services as privacy
from jangkau.privacy.deadlines import LIMIT
from jangkau.privacy.models import DataSubjectRequest, RequestKind, RequestStatus
from tests.builders import VALID_NIK, case_in, reload, submit
from tests.pdf_text import pdf_text

from .anonymise_builders import ADDRESS, DISABILITY, EMAIL, NAME, PHONE, full_case, raw_rows

pytestmark = pytest.mark.django_db

# Person B: another requester of the same office, the same area and the same service.
B_NIK = "3171014505900002"
B = {
    "full_name": "Budi Santoso",
    "nik": B_NIK,
    "phone": "0857-1111-2222",
    "email": "budi.santoso@contoh.id",
    "address": "Jl. Mawar Merah No. 3, Tanah Abang",
    "disability_details": "Tuli sejak kecil, berbahasa isyarat",
    "need": "Data sekolah inklusi untuk anak kami",
}
B_NOTE = "Pak Budi minta dihubungi lewat WhatsApp sore hari"


@pytest.fixture
def people(world, frozen):
    """Three cases of A (one full, one with the same NIK but another phone and e-mail spelling, one without a
    NIK found by the phone alone) and two of B."""
    a1 = full_case(world)
    a2 = case_in(
        Status.REJECTED,
        world,
        full_name=NAME.upper(),
        nik=VALID_NIK,
        phone="0813-2468-1358",
        email="Wulan.K@Contoh.id",
        address=ADDRESS,
    )
    a3 = submit(world, full_name="Wulan K.", id_type="none", nik="", no_id_reason="KTP hilang", phone=PHONE, email="")
    a3 = svc.case_cancel(case=a3, actor="requester", reason="Sudah tidak perlu")
    b1 = case_in(Status.ACCEPTED, world, **B)
    svc.case_add_note(case=b1, actor=world.ult, body=B_NOTE)
    b2 = case_in(Status.CLOSED, world, **B)
    return {"a": [a1, a2, a3], "b": [b1, b2]}


def b_values(people) -> list[str]:
    values = [B["full_name"], B_NIK, "+6285711112222", "0857-1111-2222", B["email"], B["address"]]
    values += [B["disability_details"], B["need"], B_NOTE]
    values += [case.registration_number for case in people["b"]]
    values += [reload(case).tracking_code for case in people["b"]]
    return values


def open_request(world, kind=RequestKind.ACCESS, **overrides) -> DataSubjectRequest:
    data = {
        "office": world.office,
        "actor": world.ppid,
        "kind": kind,
        "channel": "walk_in",
        "requester_name": NAME,
        "identity_check": "KTP asli dicocokkan dengan data kasus",
        "nik": VALID_NIK,
        "phone": PHONE,
    }
    data.update(overrides)
    return privacy.subject_request_open(**data)


# --- finding ----------------------------------------------------------------------------------------------


def test_a_person_is_found_by_nik_hash_and_by_phone_and_no_one_else(world, people):
    """The NIK finds A's two cases with a NIK (another phone and e-mail spelling included), the phone in any
    spelling finds the third; B shares area and service but is not found."""
    a1, a2, a3 = people["a"]
    by_nik = set(privacy.subject_find(office=world.office, nik="3171 0152 0385 0001"))
    assert by_nik == {a1, a2}
    by_phone = set(privacy.subject_find(office=world.office, phone="+62 813-2468-1357"))
    assert by_phone == {a1, a3}
    both = list(privacy.subject_find(office=world.office, nik=VALID_NIK, phone=PHONE))
    assert both == [a1, a2, a3]  # oldest first


def test_a_name_matches_whole_and_case_insensitively_not_as_a_fragment(world, people):
    """Names are matched whole (case and spacing ignored): "wulandari   KUSUMAWATI" finds A1 and A2; "Wulan"
    finds nobody, so namesakes and fragments never pull in another person's case."""
    a1, a2, _a3 = people["a"]
    assert set(privacy.subject_find(office=world.office, name="wulandari   KUSUMAWATI")) == {a1, a2}
    assert list(privacy.subject_find(office=world.office, name="Wulan")) == []


def test_bad_search_input_is_answered_field_by_field(world, frozen):
    """A wrong NIK or phone is refused with intake's messages; no criterion at all is refused too."""
    with pytest.raises(InvalidFields) as caught:
        privacy.subject_find(office=world.office, nik="1234", phone="12")
    assert set(caught.value.errors) == {"nik", "phone"}
    assert "16 angka" in caught.value.errors["nik"]
    with pytest.raises(InvalidFields) as caught:
        privacy.subject_find(office=world.office)
    assert "nik" in caught.value.errors


def test_another_office_never_sees_the_cases(world, other_world, people):
    """The same NIK at another office finds only that office's case, and its staff cannot use this office's
    request; a request cannot attach another office's case."""
    theirs = submit(other_world)
    assert list(privacy.subject_find(office=other_world.office, nik=VALID_NIK)) == [theirs]
    assert theirs not in privacy.subject_find(office=world.office, nik=VALID_NIK)
    request = open_request(world)
    with pytest.raises(PermissionDenied):
        privacy.subject_export(request=request, actor=other_world.ppid)
    with pytest.raises(InvalidFields) as caught:
        open_request(world, cases=[theirs])
    assert "cases" in caught.value.errors


def test_only_ppid_and_the_head_handle_requests(world, people):
    """ULT officers and administrators are refused; PPID and the head may."""
    for actor in (world.ult, world.admin):
        with pytest.raises(PermissionDenied):
            open_request(world, actor=actor)
    assert open_request(world, actor=world.head).opened_by == world.head


# --- the request's record ---------------------------------------------------------------------------------


def test_opening_keeps_masked_criteria_and_the_cases_confirmed(world, people):
    """The officer confirms which found cases are the person's; the request keeps the kinds of search and
    masked values, never the clear NIK, and one audit event without personal values."""
    a1, a2, a3 = people["a"]
    request = open_request(world, cases=[a1, a3], details=f"Minta salinan data, NIK {VALID_NIK}")
    assert set(request.cases.all()) == {a1, a3}
    assert request.criteria == {"by": ["nik", "phone"], "nik": "3171********0001", "phone": "+62813****1357"}
    assert request.number == "PDP-2025-0001"
    raw = " ".join(str(cell) for cell in raw_rows("privacy_datasubjectrequest", "WHERE id = %s", [request.pk])[0])
    assert VALID_NIK not in raw and NAME not in raw  # the criteria masked, the free texts encrypted
    event = AuditEvent.objects.get(action="privacy.request_opened")
    assert event.changes == {"request": "PDP-2025-0001", "kind": "access", "by": ["nik", "phone"], "cases": 2}
    assert VALID_NIK not in json.dumps(event.changes)


def test_a_wrong_request_is_refused_whole(world, people):
    """Missing name and identity check, a future receipt: every problem named, nothing recorded."""
    with pytest.raises(InvalidFields) as caught:
        open_request(world, requester_name=" ", identity_check="", received_at=clock.now() + timedelta(hours=1))
    assert set(caught.value.errors) == {"requester_name", "identity_check", "received_at"}
    assert not DataSubjectRequest.objects.exists()


def test_restriction_is_due_72_clock_hours_after_receipt_and_the_response_time_is_recorded(world, people):
    """Received two hours before it was recorded, due 72 hours after receipt (weekend included); answered
    69 hours later: on time, response time 71 hours."""
    received = clock.now() - timedelta(hours=2)
    request = open_request(world, kind=RequestKind.RESTRICTION, received_at=received)
    assert request.due_at == received + timedelta(hours=72) == received + LIMIT
    assert request.response_minutes is None and not request.is_overdue(clock.now())
    clock.advance(timedelta(hours=69))
    request = privacy.subject_restrict(request=request, actor=world.head, outcome="Kontak dihentikan sementara")
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert request.responded_at == received + timedelta(hours=71)
    assert request.response_minutes == 71 * 60
    assert not request.is_overdue(clock.now())
    event = AuditEvent.objects.get(action="privacy.restricted")
    assert event.changes["response_minutes"] == 71 * 60 and event.changes["overdue"] is False


def test_a_withdrawal_answered_after_72_hours_is_overdue(world, people):
    """Past 3 x 24 hours the open request shows overdue, and the late answer stays marked late."""
    request = open_request(world, kind=RequestKind.WITHDRAWAL)
    clock.advance(timedelta(hours=72, minutes=1))
    assert request.is_overdue(clock.now())
    request = privacy.subject_withdraw(request=request, actor=world.ppid, outcome="Pemrosesan dihentikan")
    assert request.is_overdue(clock.now()) and request.response_minutes == 72 * 60 + 1
    assert AuditEvent.objects.get(action="privacy.consent_withdrawn").changes["overdue"] is True


def test_an_access_request_closes_only_after_the_export(world, people):
    """Closing as done needs the export first; a refusal needs its reason."""
    request = open_request(world)
    with pytest.raises(Conflict):
        privacy.subject_request_close(request=request, actor=world.ppid, status="done", outcome="Dikirim")
    with pytest.raises(InvalidFields) as caught:
        privacy.subject_request_close(request=request, actor=world.ppid, status="refused")
    assert "refused_reason" in caught.value.errors
    privacy.subject_export(request=request, actor=world.ppid)
    clock.advance(timedelta(hours=5))
    request = privacy.subject_request_close(
        request=request, actor=world.ppid, status="done", outcome="Salinan diserahkan langsung"
    )
    assert request.status == RequestStatus.DONE and request.response_minutes == 5 * 60
    assert request.handled_by == world.ppid


# --- the export -------------------------------------------------------------------------------------------


def test_the_export_contains_every_case_of_the_person_and_nobody_elses_data(world, people):
    """JSON and PDF hold the three A cases (found by NIK and by phone) with A's values, and none of B's
    values (name, NIK, phone, e-mail, address, disability, need, notes, numbers)."""
    a1, a2, a3 = people["a"]
    request = open_request(world)
    json_bytes, pdf_bytes = privacy.subject_export(request=request, actor=world.ppid)
    data = json.loads(json_bytes)
    text = json_bytes.decode("utf-8")
    pdf = pdf_text(pdf_bytes)

    numbers = [case.registration_number for case in (a1, a2, a3)]
    assert [case["registration_number"] for case in data["cases"]] == numbers
    for number in numbers:
        assert number in pdf
    first = data["cases"][0]["personal_data"]
    assert first["full_name"] == NAME and first["id_number"] == VALID_NIK
    assert first["phone"] == "+6281324681357" and first["email"] == EMAIL
    assert first["address"] == ADDRESS and first["disability_details"] == DISABILITY
    assert data["cases"][1]["personal_data"]["email"] == "Wulan.K@Contoh.id"
    assert data["cases"][2]["personal_data"]["no_id_reason"] == "KTP hilang"
    for value in (NAME, VALID_NIK, "+6281324681357", "+6281324681358", EMAIL):
        assert value in pdf
    # A's own records from every place: messages, notices, documents, appointments, survey, processing.
    a1_data = data["cases"][0]
    assert a1_data["your_messages"] and a1_data["notices_to_you"] and a1_data["documents"]
    assert a1_data["appointments"] and a1_data["contact_attempts"] and a1_data["survey"]
    assert len(a1_data["processing_record"]["steps"]) >= 8
    assert {"case.submit", "case.close"} <= {event["action"] for event in a1_data["processing_record"]["events"]}

    for value in b_values(people):
        assert value.lower() not in text.lower(), value
        assert value.lower() not in pdf.lower(), value


def test_internal_notes_are_counted_and_left_out_unless_the_officer_includes_them(world, people):
    """The ULT-PPID thread is withheld by default (art. 33(b)) and said to exist; included on request."""
    request = open_request(world)
    note = "tunanetra; telepon"
    json_bytes, _pdf = privacy.subject_export(request=request, actor=world.ppid)
    data = json.loads(json_bytes)
    # The thread (two notes), the contact attempt's note and the appointment's note.
    assert data["cases"][0]["internal_notes"] == {"count": 4, "included": False, "items": []}
    assert note not in json_bytes.decode()
    json_bytes, _pdf = privacy.subject_export(request=request, actor=world.ppid, include_internal_notes=True)
    assert note in json.loads(json_bytes)["cases"][0]["internal_notes"]["items"][0]["text"]
    events = AuditEvent.objects.filter(action="privacy.exported").order_by("seq")
    assert [event.changes["internal_notes"] for event in events] == [False, True]
    assert events[0].changes == {"request": request.number, "format": "json+pdf", "cases": 3, "internal_notes": False}


def test_a_person_with_no_cases_gets_an_export_saying_so(world, people):
    request = open_request(world, nik="3171016101800003", phone="")
    json_bytes, pdf_bytes = privacy.subject_export(request=request, actor=world.ppid)
    assert json.loads(json_bytes)["cases"] == []
    assert "tidak menyimpan permohonan" in pdf_text(pdf_bytes)


# --- correction -------------------------------------------------------------------------------------------


def test_a_bad_correction_changes_nothing(world, people):
    """An invalid NIK (and a bad phone) are refused with clear messages; no case changes, no event."""
    a1, a2, _a3 = people["a"]
    request = open_request(world, kind=RequestKind.CORRECTION, phone="")
    before = [(c.id_document_number, c.nik_hash, c.phone) for c in map(reload, (a1, a2))]
    with pytest.raises(InvalidFields) as caught:
        privacy.subject_correct(request=request, actor=world.ppid, changes={"id_number": "3171019999850001"})
    assert caught.value.errors == {"id_number": "Tanggal lahir pada NIK (angka ke-7 sampai ke-12) tidak valid."}
    with pytest.raises(InvalidFields) as caught:
        privacy.subject_correct(
            request=request, actor=world.ppid, changes={"phone": "12", "requester_name": "", "nik": "x"}
        )
    assert set(caught.value.errors) == {"changes"}
    with pytest.raises(InvalidFields) as caught:
        privacy.subject_correct(request=request, actor=world.ppid, changes={"phone": "12", "requester_name": ""})
    assert set(caught.value.errors) == {"phone", "requester_name"}
    assert [(c.id_document_number, c.nik_hash, c.phone) for c in map(reload, (a1, a2))] == before
    assert not AuditEvent.objects.filter(action="privacy.corrected").exists()


def test_a_good_correction_recomputes_the_nik_hash(world, people):
    """A corrected NIK is stored and its keyed hash recomputed: the new NIK finds the cases, the old does not."""
    a1, a2, _a3 = people["a"]
    request = open_request(world, kind=RequestKind.CORRECTION, phone="")
    new_nik = "3171015203850002"
    privacy.subject_correct(
        request=request,
        actor=world.ppid,
        changes={"id_number": "3171 0152 0385 0002", "phone": "0813 2468 1359", "address": "Jl. Baru No. 1"},
    )
    for case in map(reload, (a1, a2)):
        assert case.id_document_number == new_nik
        assert case.nik_hash == search_hash(new_nik, purpose="nik")
        assert case.phone == "+6281324681359" and case.address == "Jl. Baru No. 1"
    assert set(privacy.subject_find(office=world.office, nik=new_nik)) == {a1, a2}
    assert not privacy.subject_find(office=world.office, nik=VALID_NIK).exists()
    events = AuditEvent.objects.filter(action="privacy.corrected")
    assert {event.case_id for event in events} == {a1.pk, a2.pk}
    assert all(
        event.changes == {"request": request.number, "fields": ["address", "id_number", "phone"]} for event in events
    )
    assert "+6281324681359" not in json.dumps([event.changes for event in events])


def test_a_correction_touches_only_the_chosen_case(world, people):
    a1, a2, _a3 = people["a"]
    request = open_request(world, kind=RequestKind.CORRECTION, phone="")
    privacy.subject_correct(request=request, actor=world.head, cases=[a2], changes={"email": "wulan@contoh.id"})
    assert reload(a2).email == "wulan@contoh.id" and reload(a1).email == EMAIL
    b1 = people["b"][0]
    with pytest.raises(InvalidFields) as caught:
        privacy.subject_correct(request=request, actor=world.head, cases=[b1], changes={"email": "x@contoh.id"})
    assert "cases" in caught.value.errors


# --- erasure ----------------------------------------------------------------------------------------------


def test_erasure_anonymises_every_case_of_the_person_and_none_of_the_other(world, people):
    """All three A cases are anonymised (one event each, plus the request's), B's stay whole, the request is
    done with its response time, and the audit chain still verifies."""
    request = open_request(world, kind=RequestKind.ERASURE)
    clock.advance(timedelta(hours=3))
    request = privacy.subject_erase(request=request, actor=world.head)
    for case in map(reload, people["a"]):
        assert case.anonymised_at is not None
        assert NAME not in case.requester_name and case.nik_hash == "" and case.phone == ""
    for case in map(reload, people["b"]):
        assert case.anonymised_at is None and case.requester_name == B["full_name"]
    assert request.status == RequestStatus.DONE and request.response_minutes == 180
    assert AuditEvent.objects.filter(action="case.anonymised").count() == 3
    assert AuditEvent.objects.get(action="privacy.erased").changes["anonymised"] == 3
    assert not privacy.subject_find(office=world.office, nik=VALID_NIK, phone=PHONE).exists()
    assert list(verify_chain()) == []


def test_erasure_waits_while_a_case_is_still_being_served(world, people):
    """A running case is not anonymised under the officers' hands: the request says which, nothing changes."""
    running = submit(world, full_name=NAME, nik=VALID_NIK, phone=PHONE)
    request = open_request(world, kind=RequestKind.ERASURE)
    with pytest.raises(Conflict) as caught:
        privacy.subject_erase(request=request, actor=world.head)
    assert running.registration_number in caught.value.message
    assert not Case.objects.filter(anonymised_at__isnull=False).exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


def test_actions_of_another_kind_are_refused(world, people):
    request = open_request(world)
    with pytest.raises(Conflict):
        privacy.subject_erase(request=request, actor=world.head)
    with pytest.raises(Conflict):
        privacy.subject_correct(request=request, actor=world.head, changes={"area": "Bogor"})
