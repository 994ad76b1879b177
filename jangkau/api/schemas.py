"""Request and response schemas of the JSON API.

The public (requester) schemas carry no personal data back out: a tracking code is a bearer secret that
can leak (a shared phone, a screenshot), so it must never reveal more than the case's progress.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import AwareDatetime, field_validator

from jangkau.cases import workflow
from jangkau.cases.models import Case, Channel, IdDocumentType, Status, StepRecord
from jangkau.cases.sla import explain_due

# --- helpers ---------------------------------------------------------------------------------------------


def mask_identifier(value: str) -> str:
    """Returns ``value`` with all but its first and last four characters replaced by ``*``.

    A NIK becomes "3171********0001": enough to tell two requesters apart on the phone, not enough to use.
    Identifiers too short to keep eight characters show only their last two.
    """
    value = value or ""
    if len(value) >= 12:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    if len(value) > 2:
        return "*" * (len(value) - 2) + value[-2:]
    return "*" * len(value)


def _current_appointment(case: Case):
    # Prefetched by the views, so this reads memory rather than the database.
    current = [a for a in case.appointments.all() if a.superseded_at is None]
    return max(current, key=lambda a: a.created_at) if current else None


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


# --- intake ----------------------------------------------------------------------------------------------


class IntakeIn(Schema):
    """A request for outreach service (POS step 1). The service checks NIK structure, phone, consent and
    the rest; this schema checks only shapes and lengths."""

    requester_name: str = Field(..., max_length=200)
    id_document_type: IdDocumentType = IdDocumentType.NONE
    id_document_number: str = Field("", max_length=40)
    no_id_reason: str = Field("", max_length=1000)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=1000)
    area: str = Field("", max_length=200)
    vulnerabilities: list[str] = Field(default_factory=list, max_length=20)
    disability_details: str = Field("", max_length=2000)
    need: str = Field(..., max_length=4000)
    service_type: str = Field(..., max_length=40, description="Code of a service in the office's catalogue.")
    delivery_mode: str = Field("", max_length=30)
    accommodations: list[str] = Field(default_factory=list, max_length=20)
    companion_name: str = Field("", max_length=200)
    companion_relation: str = Field("", max_length=100)
    urgent: bool = False
    urgent_reason: str = Field("", max_length=300)
    consent: bool = Field(..., description="The requester agrees to the privacy notice; must be true.")

    @field_validator("email")
    @classmethod
    def _email_is_valid(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except DjangoValidationError as exc:
                raise ValueError("alamat surel tidak valid") from exc
        return value


class StaffIntakeIn(IntakeIn):
    """A request an officer records for the requester from a non-web channel."""

    channel: Channel


class IntakeOut(Schema):
    """The receipt of a submitted request: the tracking code is the requester's private key to the case."""

    registration_number: str
    tracking_code: str
    status: Status
    status_label: str
    submitted_at: datetime

    @staticmethod
    def resolve_status_label(obj: Case) -> str:
        return str(obj.get_status_display())


# --- the requester's view --------------------------------------------------------------------------------


class TrackStepOut(Schema):
    no: int
    activity: str
    opened_at: datetime
    due_at: datetime | None
    done_at: datetime | None

    @staticmethod
    def resolve_no(obj: StepRecord) -> int:
        return obj.step_no


class TrackAppointmentOut(Schema):
    """When and how the service comes; the place is left out since it is usually the requester's home."""

    starts_at: datetime
    mode: str


class TrackOut(Schema):
    """The progress of one case as its requester sees it; holds no personal data."""

    registration_number: str
    status: Status
    status_label: str
    service_type: str
    submitted_at: datetime
    closed_at: datetime | None
    rejection_reason: str
    referral: str
    appointment: TrackAppointmentOut | None
    steps: list[TrackStepOut]

    @staticmethod
    def resolve_status_label(obj: Case) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_service_type(obj: Case) -> str:
        return obj.service_type.name

    @staticmethod
    def resolve_appointment(obj: Case):
        return _current_appointment(obj)

    @staticmethod
    def resolve_steps(obj: Case) -> list[StepRecord]:
        return list(obj.steps.all())


class CancelIn(Schema):
    reason: str = Field("", max_length=2000, description="Why the requester withdraws; required.")


# --- staff -----------------------------------------------------------------------------------------------


class ServiceTypeOut(Schema):
    code: str
    name: str


class CatalogueItemOut(Schema):
    """One service of an office's catalogue, named in the request's language."""

    code: str
    name: str
    description: str
    is_public_information: bool = Field(
        description="Public-information requests also run the legal deadline of UU 14/2008 (10 working days, "
        "extendable once by 7)."
    )
    survey_window_days: int = Field(description="Working days the requester has to answer the survey (POS step 6).")

    @staticmethod
    def resolve_name(obj) -> str:
        from django.utils.translation import get_language

        # English names are optional; Indonesian is the name of record.
        return obj.name_en if get_language() == "en" and obj.name_en else obj.name


class _CaseResolvers(Schema):
    """Resolvers shared by the list item and the detail of a case (identifiers always masked)."""

    @staticmethod
    def resolve_status_label(obj: Case) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_id_document_masked(obj: Case) -> str:
        return mask_identifier(obj.id_document_number)

    @staticmethod
    def resolve_assigned_to(obj: Case) -> str | None:
        return _username(obj.assigned_to)


class CaseListItem(_CaseResolvers):
    """One row of the office's case list; identifiers are masked."""

    registration_number: str
    status: Status
    status_label: str
    channel: Channel
    service_type: ServiceTypeOut
    requester_name: str
    id_document_type: IdDocumentType
    id_document_masked: str
    urgent: bool
    assigned_to: str | None
    submitted_at: datetime
    open_step: int | None
    open_step_due_at: datetime | None

    @staticmethod
    def resolve_open_step(obj: Case) -> int | None:
        step = _first_open_step(obj)
        return step.step_no if step else None

    @staticmethod
    def resolve_open_step_due_at(obj: Case) -> datetime | None:
        step = _first_open_step(obj)
        return step.due_at if step else None


def _first_open_step(case: Case) -> StepRecord | None:
    # Sorted in Python so the prefetched steps are reused instead of queried again.
    open_steps = sorted((s for s in case.steps.all() if s.done_at is None), key=lambda s: s.step_no)
    return open_steps[0] if open_steps else None


class StepOut(Schema):
    no: int
    activity: str
    is_officer_step: bool
    opened_at: datetime
    due_at: datetime | None
    done_at: datetime | None
    done_by: str | None
    outcome: str
    responsible: str | None
    breached: bool
    breach_explanation: str
    needs_explanation: bool
    due_explanation: list[str] = Field(
        description="For a running step, how its due moment was computed, day by day (office hours, holidays, "
        "pauses). Empty for finished steps: their due moment is history and the calendar may have changed since."
    )

    @staticmethod
    def resolve_no(obj: StepRecord) -> int:
        return obj.step_no

    @staticmethod
    def resolve_due_explanation(obj: StepRecord) -> list[str]:
        return explain_due(obj) if obj.done_at is None else []

    @staticmethod
    def resolve_done_by(obj: StepRecord) -> str | None:
        return _username(obj.done_by)

    @staticmethod
    def resolve_responsible(obj: StepRecord) -> str | None:
        return _username(obj.responsible)


class AppointmentOut(Schema):
    starts_at: datetime
    mode: str
    place: str
    officer: str | None

    @staticmethod
    def resolve_officer(obj) -> str | None:
        return _username(obj.officer)


class CaseDetail(_CaseResolvers):
    """A case as its office's staff work it: what the requester needs, the steps against their standard
    times, and the actions the viewer's role may take now. The identity number stays masked; contact details,
    address, disability details and vulnerability categories come only from ``case_personal_data``, which
    logs who opened them and why."""

    registration_number: str
    status: Status
    status_label: str
    channel: Channel
    service_type: ServiceTypeOut
    requester_name: str
    id_document_type: IdDocumentType
    id_document_masked: str
    area: str
    need: str
    delivery_mode: str
    accommodations: list[str]
    urgent: bool
    urgent_reason: str
    assigned_to: str | None
    ppid_member: str | None
    submitted_at: datetime
    closed_at: datetime | None
    rejection_reason: str
    referral: str
    cancellation_reason: str
    result_summary: str
    delivery_notes: str
    evaluation: str
    appointment: AppointmentOut | None
    steps: list[StepOut]
    allowed_actions: list[str]

    @staticmethod
    def resolve_ppid_member(obj: Case) -> str | None:
        return _username(obj.ppid_member)

    @staticmethod
    def resolve_appointment(obj: Case):
        return _current_appointment(obj)

    @staticmethod
    def resolve_steps(obj: Case) -> list[StepRecord]:
        return list(obj.steps.all())

    @staticmethod
    def resolve_allowed_actions(obj: Case, context) -> list[str]:
        return workflow.allowed_actions(obj.status, context["request"].auth.role)


class ActionIn(Schema):
    """The inputs of every case action; each action reads only the fields it needs and the service says
    which are missing."""

    missing: str | None = Field(None, max_length=2000, description="request_info: what data is missing.")
    note: str | None = Field(
        None, max_length=2000, description="provide_info, forward_to_ppid, resume_contact, record_feedback."
    )
    reason: str | None = Field(None, max_length=2000, description="reject, reschedule, cancel, reassign.")
    referral: str | None = Field(None, max_length=2000, description="reject: where the requester can go.")
    summary: str | None = Field(None, max_length=4000, description="record_result: the prepared result.")
    channel: str | None = Field(None, max_length=20, description="record_contact_attempt: how contact was tried.")
    result: str | None = Field(None, max_length=20, description="record_contact_attempt: reached, no_answer, ...")
    notes: str | None = Field(None, max_length=4000, description="record_contact_attempt, schedule, deliver.")
    starts_at: AwareDatetime | None = Field(None, description="schedule, reschedule: a future moment.")
    mode: str | None = Field(None, max_length=30, description="schedule, reschedule: delivery mode.")
    place: str | None = Field(None, max_length=300, description="schedule, reschedule.")
    evaluation: str | None = Field(None, max_length=4000, description="close: the short evaluation.")
    late_explanation: str | None = Field(None, max_length=2000, description="close: why step 8 overran.")
    ppid_member: str | None = Field(None, max_length=150, description="forward_to_ppid: a PPID username.")
    to: str | None = Field(None, max_length=150, description="reassign: a ULT officer's username.")


class ExplanationIn(Schema):
    explanation: str = Field("", max_length=4000, description="Why the step overran its standard time.")


class PersonalDataIn(Schema):
    purpose: str = Field("", max_length=500, description="Why the officer needs the data; kept in the audit trail.")


class PersonalDataOut(Schema):
    id_document_type: str
    id_document_number: str
    address: str
    disability_details: str
    vulnerabilities: list[str]
    phone: str
    email: str
    companion_name: str
    companion_relation: str
