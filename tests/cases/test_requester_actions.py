"""The requester's own actions from the tracking page and the API: sending the data an officer asked for,
asking to move the appointment, withdrawing. Each is one audit event that never holds the free text."""

import json

import pytest
from django.db import connection

from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.documents import document_store_draft
from jangkau.cases.models import Case, CaseDocument, RequesterMessage, Status, StepPause
from jangkau.cases.workflow import REQUESTER
from jangkau.core.errors import InvalidFields, PermissionDenied, TransitionNotAllowed
from tests.builders import case_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET_TEXT = "Foto KTP terlampir, NIK 3171015203850001, alamat Jl. Melati 9"

BAD_TEXTS = [
    pytest.param("", id="empty"),
    pytest.param("   \n  ", id="blank"),
    pytest.param("x" * 2001, id="overlong"),
    pytest.param("halo\x00dunia", id="nul"),
    pytest.param("halo\u202edunia", id="bidi-override"),
]


def raw_message_row(message) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {RequesterMessage._meta.db_table} WHERE id = %s", [message.pk])
        return " ".join(str(value) for value in cursor.fetchone())


# --- missing data ----------------------------------------------------------------------------------------


def test_sending_missing_data_resumes_step_2_and_keeps_the_text_out_of_the_audit(world, frozen):
    """The case goes back to "submitted", step 2's pause ends, the message is stored encrypted, and the one
    audit event names the message without its words."""
    case = case_in(Status.AWAITING_INFO, world)
    events_before = AuditEvent.objects.count()

    case = svc.case_send_missing_data(case=case, actor=REQUESTER, text=SECRET_TEXT)

    assert case.status == Status.SUBMITTED
    assert not StepPause.objects.filter(step__case=case, resumed_at__isnull=True).exists()
    message = RequesterMessage.objects.get(case=case)
    assert (message.kind, message.body) == (RequesterMessage.Kind.MISSING_DATA, SECRET_TEXT)
    assert "Melati" not in raw_message_row(message)
    assert AuditEvent.objects.count() == events_before + 1
    event = AuditEvent.objects.last()
    assert event.action == "case.provide_info"
    assert event.changes["message"] == message.pk
    assert "Melati" not in json.dumps(event.changes)


def test_missing_data_attaches_the_uploaded_drafts(world, frozen):
    case = case_in(Status.AWAITING_INFO, world)
    draft = document_store_draft(kind=CaseDocument.Kind.SUPPORTING, field="document", filename="ktp.pdf", content=PDF)

    svc.case_send_missing_data(case=case, text="Terlampir foto KTP", document_tokens=[draft.draft_token])

    draft.refresh_from_db()
    assert (draft.case_id, draft.draft_token) == (case.pk, None)
    assert AuditEvent.objects.last().changes["documents"] == 1


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.SCHEDULED, Status.CANCELLED])
def test_missing_data_is_refused_unless_the_case_awaits_it(world, frozen, status):
    case = case_in(status, world)

    with pytest.raises(TransitionNotAllowed):
        svc.case_send_missing_data(case=case, text="Terlampir")

    assert Case.objects.get(pk=case.pk).status == status
    assert not RequesterMessage.objects.exists()


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_bad_missing_data_text_is_refused_and_nothing_changes(world, frozen, text):
    case = case_in(Status.AWAITING_INFO, world)
    events_before = AuditEvent.objects.count()

    with pytest.raises(InvalidFields) as raised:
        svc.case_send_missing_data(case=case, text=text)

    assert list(raised.value.errors) == ["text"]
    assert Case.objects.get(pk=case.pk).status == Status.AWAITING_INFO
    assert not RequesterMessage.objects.exists()
    assert AuditEvent.objects.count() == events_before


# --- reschedule request ----------------------------------------------------------------------------------


def test_a_reschedule_request_is_recorded_without_changing_the_schedule(world, frozen):
    """The status and the appointment stay; the message waits for an officer; the audit has no free text."""
    case = case_in(Status.SCHEDULED, world)
    appointment = case.appointments.get()
    events_before = AuditEvent.objects.count()

    case = svc.case_request_reschedule(
        case=case, reason="Saya harus kontrol ke rumah sakit", preferred_times="Kamis pagi"
    )

    assert case.status == Status.SCHEDULED
    assert list(case.appointments.filter(superseded_at__isnull=True)) == [appointment]
    message = RequesterMessage.objects.get(case=case)
    assert (message.kind, message.body, message.preferred_times) == (
        RequesterMessage.Kind.RESCHEDULE_REQUEST,
        "Saya harus kontrol ke rumah sakit",
        "Kamis pagi",
    )
    assert AuditEvent.objects.count() == events_before + 1
    event = AuditEvent.objects.last()
    assert event.action == "case.request_reschedule"
    assert event.changes == {"status": [Status.SCHEDULED, Status.SCHEDULED], "message": message.pk}


@pytest.mark.parametrize("status", [Status.READY_TO_SCHEDULE, Status.DELIVERED])
def test_a_reschedule_request_needs_a_scheduled_case(world, frozen, status):
    case = case_in(status, world)

    with pytest.raises(TransitionNotAllowed):
        svc.case_request_reschedule(case=case, reason="Sakit")

    assert not RequesterMessage.objects.exists()


def test_only_the_requester_asks_for_a_new_schedule(world, frozen):
    """Officers move the appointment themselves (``reschedule``); this action is the requester's."""
    case = case_in(Status.SCHEDULED, world)

    with pytest.raises(PermissionDenied):
        svc.case_request_reschedule(case=case, actor=world.ult, reason="Sakit")


@pytest.mark.parametrize("reason", BAD_TEXTS)
def test_a_bad_reschedule_reason_is_refused_and_nothing_changes(world, frozen, reason):
    case = case_in(Status.SCHEDULED, world)
    events_before = AuditEvent.objects.count()

    with pytest.raises(InvalidFields) as raised:
        svc.case_request_reschedule(case=case, reason=reason)

    assert list(raised.value.errors) == ["reason"]
    assert not RequesterMessage.objects.exists()
    assert AuditEvent.objects.count() == events_before


def test_overlong_preferred_times_are_refused(world, frozen):
    case = case_in(Status.SCHEDULED, world)

    with pytest.raises(InvalidFields) as raised:
        svc.case_request_reschedule(case=case, reason="Sakit", preferred_times="pagi " * 100)

    assert list(raised.value.errors) == ["preferred_times"]
    assert not RequesterMessage.objects.exists()


# --- cancellation ----------------------------------------------------------------------------------------


def test_the_requester_cancels_a_scheduled_case(world, frozen):
    case = case_in(Status.SCHEDULED, world)

    case = svc.case_cancel(case=case, actor=REQUESTER, reason="Sudah tidak perlu")

    assert case.status == Status.CANCELLED
    assert not case.steps.filter(done_at__isnull=True).exists()


def test_an_officer_may_ask_for_missing_data_in_a_long_message(world, frozen):
    """What the officer asks for pauses step 2 and is shown to the requester; a long request is kept whole."""
    from tests.builders import submit

    case = submit(world)
    long_request = "Mohon kirim foto KTP dan surat keterangan domisili. " * 30

    svc.case_request_info(case=case, actor=world.ult, missing=long_request)

    pause = case.steps.get(step_no=2).pauses.get()
    assert pause.reason == long_request.strip()


def test_the_requester_s_cancellation_words_stay_out_of_the_audit_trail(world, frozen):
    from tests.builders import submit

    case = svc.case_cancel(case=submit(world), actor=REQUESTER, reason="Saya dirawat di RS Fatmawati")

    event = AuditEvent.objects.get(case=case, action="case.cancel")
    assert "Fatmawati" not in json.dumps(event.changes)
    assert event.changes["reason_given"] is True
    assert Case.objects.get(pk=case.pk).cancellation_reason == "Saya dirawat di RS Fatmawati"
