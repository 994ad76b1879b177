"""Anonymising one case (``jangkau.privacy.anonymise``): the raw tables keep no personal value, the statistics
stay, one audit event names what was scrubbed, and a second run changes nothing."""

import pytest
from django.db import connection, transaction

from jangkau.audit.models import AuditEvent
from jangkau.audit.services import verify_chain
from jangkau.cases.models import Case, CaseDocument, Status, StepPause, StepRecord
from jangkau.core.errors import PermissionDenied
from jangkau.privacy.anonymise import AUDIT_ACTION, PLACEHOLDER, anonymise_case_data, case_anonymise
from jangkau.scheduling.models import Appointment, ContactAttempt
from jangkau.surveys.models import Response
from tests.builders import reload

from .anonymise_builders import NAME, full_case, leaks, personal_values, raw_rows, tables

pytestmark = pytest.mark.django_db

CASE_TABLES = ("cases_", "scheduling_", "surveys_", "notifications_")


def _snapshot_of_statistics(case: Case) -> dict:
    case = reload(case)
    kept = [
        "status", "channel", "service_type_id", "office_id", "registration_number", "submitted_at", "closed_at",
        "delivered_at", "consent_given_at", "vulnerabilities", "area", "delivery_mode", "accommodations", "urgent",
        "id_document_type", "assigned_to_id", "ppid_member_id", "rejection_reason", "referral", "office_cost",
        "evaluation_need_met", "evaluation_mode_right", "evaluation_accommodations", "evaluation",
        "information_due_at",
    ]  # fmt: skip
    return {
        "case": {field: getattr(case, field) for field in kept},
        "steps": list(StepRecord.objects.filter(case=case).order_by("pk").values()),
        "pauses": list(StepPause.objects.filter(step__case=case).order_by("pk").values("paused_at", "resumed_at")),
        "response": list(Response.objects.filter(case=case).values()),
        "appointments": list(
            Appointment.objects.filter(case=case)
            .order_by("pk")
            .values("starts_at", "mode", "accommodations", "superseded_at", "cancellation_reason", "officer")
        ),
        "attempts": list(ContactAttempt.objects.filter(case=case).values("channel", "attempted_at", "result")),
    }


def test_no_personal_value_is_left_in_the_case_tables(world, frozen):
    case = full_case(world)
    values = personal_values(case)
    rows = [row for table in tables(CASE_TABLES) for row in raw_rows(table)]
    assert {value for value, _cell in leaks(rows, values)} >= {NAME, "0813-2468-1357"}  # the scan sees them

    case_anonymise(case=case, actor="system", reason="retention")

    # Every row of every case, scheduling and survey table (this test's database holds this one case), with
    # encrypted cells decrypted too.
    rows = [row for table in tables(CASE_TABLES) for row in raw_rows(table)]
    assert leaks(rows, values) == []


def test_the_encrypted_columns_are_emptied_and_the_uploads_deleted(world, frozen):
    case = full_case(world)
    assert CaseDocument.objects.filter(case=case).count() == 4  # power of attorney, supporting, result, proof

    case_anonymise(case=case, actor="system", reason="retention")

    [cells] = raw_rows("cases_case", "WHERE id = %s", [case.pk])
    columns = [
        column.name for column in connection.introspection.get_table_description(connection.cursor(), "cases_case")
    ]
    row = dict(zip(columns, cells, strict=True))
    for column in ("id_document_number", "address", "disability_details", "nik_hash", "phone", "email"):
        assert row[column] == "", column
    assert row["requester_name"] == row["need"] == PLACEHOLDER
    assert row["idempotency_key"] is None and row["idempotency_fingerprint"] == ""
    assert raw_rows("cases_casedocument", "WHERE case_id = %s", [case.pk]) == []
    for table in ("cases_requestermessage", "cases_casenote"):
        bodies = [body for (body,) in _column(table, "body", case)]
        assert bodies and set(bodies) == {""}, table


def _column(table: str, column: str, case: Case):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE case_id = %s", [case.pk])
        return cursor.fetchall()


def test_the_audit_events_of_the_case_hold_no_personal_value_afterwards(world, frozen):
    """Officers' free text copied into events (here the delivery notes name the person) is erased with the
    case; the events stay, with their codes, and the chain verifies."""
    case = full_case(world)
    values = personal_values(case)
    assert leaks(raw_rows("audit_auditevent", "WHERE case_id = %s", [case.pk]), values)  # the scan sees it
    earlier = list(AuditEvent.objects.filter(case=case).order_by("seq").values_list("seq", "action"))

    case_anonymise(case=case, actor="system", reason="retention")

    rows = raw_rows("audit_auditevent", "WHERE case_id = %s", [case.pk])
    assert leaks(rows, values) == []
    assert list(AuditEvent.objects.filter(case=case).order_by("seq").values_list("seq", "action")) == [
        *earlier,
        (earlier[-1][0] + 1, AUDIT_ACTION),
    ]
    delivered = AuditEvent.objects.get(case=case, action="case.deliver")
    assert delivered.changes["status"] == ["scheduled", "delivered"] and delivered.changes["mode"] == "visit"
    assert list(verify_chain()) == []


def test_intake_data_never_enters_the_audit_trail(world, frozen):
    """What intake collects (NIK, phone, e-mail, address, disability, need, companion, place) is not in any
    event even before anonymisation; only officers' free text may name the person."""
    case = full_case(world)
    values = [value for value in personal_values(case) if value != NAME and NAME not in value]

    rows = raw_rows("audit_auditevent", "WHERE case_id = %s", [case.pk])
    assert leaks(rows, values) == []


def test_statistics_step_times_and_survey_answers_stay(world, frozen):
    case = full_case(world)
    before = _snapshot_of_statistics(case)

    case_anonymise(case=case, actor="system", reason="retention")

    assert _snapshot_of_statistics(case) == before
    assert before["response"] and before["steps"]


def test_one_event_names_the_fields_never_their_values(world, frozen):
    case = full_case(world)
    events_before = AuditEvent.objects.count()

    case = case_anonymise(case=case, actor="system", reason="retention")

    assert AuditEvent.objects.count() == events_before + 1
    event = AuditEvent.objects.get(case=case, action=AUDIT_ACTION)
    assert event.actor is None and event.actor_label == "system"
    assert event.changes["reason"] == "retention"
    assert set(event.changes) == {"reason", "fields", "redacted_events"}
    assert event.changes["redacted_events"] == list(
        AuditEvent.objects.filter(case=case).exclude(pk=event.pk).order_by("seq").values_list("seq", flat=True)
    )
    assert set(event.changes["fields"]) >= {
        "requester_name", "id_document_number", "nik_hash", "phone", "email", "address", "disability_details",
        "need", "companion_name", "companion_relation", "urgent_reason", "delivery_notes",
        "documents_handed_over", "result_summary", "tracking_code", "idempotency_fingerprint", "documents",
        "requester_messages", "notices", "notes", "contact_attempts", "appointments", "step_pauses",
    }  # fmt: skip
    assert reload(case).anonymised_at == event.occurred_at


def test_running_it_again_writes_nothing(world, frozen):
    case = case_anonymise(case=full_case(world), actor="system", reason="retention")
    first = reload(case)
    events = AuditEvent.objects.count()

    again = case_anonymise(case=case, actor="system", reason="retention")

    assert AuditEvent.objects.count() == events
    assert again.anonymised_at == first.anonymised_at
    assert reload(case).tracking_code == first.tracking_code
    with transaction.atomic():
        assert anonymise_case_data(reload(case)) == []  # nothing left to scrub either


@pytest.mark.django_db(transaction=True)  # each test otherwise runs inside one atomic block
def test_the_scrubbing_runs_only_inside_the_callers_transaction(world, frozen):
    case = full_case(world)
    with pytest.raises(RuntimeError):
        anonymise_case_data(case)
    assert reload(case).requester_name == NAME


def test_staff_of_another_office_cannot_anonymise(world, other_world, frozen):
    case = full_case(world)
    with pytest.raises(PermissionDenied):
        case_anonymise(case=case, actor=other_world.head, reason="erasure_request")
    assert reload(case).anonymised_at is None
    assert not AuditEvent.objects.filter(action=AUDIT_ACTION).exists()


def test_a_staff_member_of_the_office_is_recorded_as_the_actor(world, frozen):
    case = case_anonymise(case=full_case(world), actor=world.ult, reason="erasure_request")
    event = AuditEvent.objects.get(case=case, action=AUDIT_ACTION)
    assert event.actor == world.ult and event.changes["reason"] == "erasure_request"


def test_a_requesters_own_cancellation_reason_goes_an_officers_rejection_reason_stays(world, frozen):
    cancelled = full_case(world, status=Status.CANCELLED)
    rejected = full_case(world, status=Status.REJECTED)
    values = personal_values(cancelled) + personal_values(rejected)

    for case in (cancelled, rejected):
        case_anonymise(case=case, actor="system", reason="retention")

    assert reload(cancelled).cancellation_reason == PLACEHOLDER
    assert (reload(rejected).rejection_reason, reload(rejected).referral) == ("Di luar layanan", "Disdukcapil")
    rows = [row for table in tables(CASE_TABLES) for row in raw_rows(table)]
    assert leaks(rows, values) == []
