"""Request and response schemas of the JSON API.

The public (requester) schemas carry no personal data back out: a tracking code is a bearer secret that
can leak (a shared phone, a screenshot), so it must never reveal more than the case's progress.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import AwareDatetime

from jangkau.cases import workflow
from jangkau.cases.models import Case, Channel, Status, StepRecord
from jangkau.cases.sla import explain_due
from jangkau.cases.vocabulary import Accommodation, DeliveryMode, IdType, Vulnerability
from jangkau.core.masking import mask_identifier

# --- helpers ---------------------------------------------------------------------------------------------


def _current_appointment(case: Case):
    # Prefetched by the views, so this reads memory rather than the database.
    current = [a for a in case.appointments.all() if a.superseded_at is None]
    return max(current, key=lambda a: a.created_at) if current else None


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


# --- intake ----------------------------------------------------------------------------------------------


def _codes(choices) -> dict:
    return {"json_schema_extra": {"enum": list(choices.values)}}


class IntakeIn(Schema):
    """A request for outreach service (POS step 1).

    The types here are only JSON's: the service checks every value (NIK structure, phone, choices, lengths,
    consent) and answers 422 with one message per field in the request's language.
    """

    full_name: str | None = Field(None, description="The requester's full name.")
    id_type: str | None = Field(None, description="The identity document the requester has.", **_codes(IdType))
    nik: str | None = Field(None, description="The 16-digit NIK; required for `ktp`, `kia` and `kk`.")
    id_number: str | None = Field(None, description="The document's number; required for `passport` and `other`.")
    no_id_reason: str | None = Field(None, description="Why there is no identity document; required for `none`.")
    phone: str | None = Field(None, description="An Indonesian phone number; stored as +62…. Phone or e-mail.")
    email: str | None = Field(None, description="An e-mail address. Phone or e-mail.")
    address: str | None = Field(None, description="The place to visit; required for `visit` and `courier`.")
    area: str | None = Field(None, description="The district or city.")
    vulnerabilities: list[str] | None = Field(
        None,
        description="At least one: " + ", ".join(Vulnerability.values),
        json_schema_extra={"items": {"type": "string", "enum": list(Vulnerability.values)}},
    )
    disability_details: str | None = Field(None, description="What the requester wants the officers to know.")
    service_type: str | None = Field(None, description="A code from `GET /api/v1/offices/{code}/services`.")
    need: str | None = Field(None, description="The need in plain words.")
    delivery_mode: str | None = Field(
        None, description="How the service should reach the requester.", **_codes(DeliveryMode)
    )
    accommodations: list[str] | None = Field(
        None,
        description="Any of: " + ", ".join(Accommodation.values),
        json_schema_extra={"items": {"type": "string", "enum": list(Accommodation.values)}},
    )
    companion_name: str | None = Field(None, description="Who acts for or accompanies the requester.")
    companion_relation: str | None = Field(None, description="The companion's relation to the requester.")
    urgent: bool = Field(False, description="A date makes the request urgent (e.g. a school enrolment).")
    urgent_reason: str | None = Field(None, description="Required when `urgent` is true.")
    consent: bool | None = Field(None, description="The requester agrees to the privacy notice; must be true.")
    office: str | None = Field(None, description="An office code; the installation's default office when left out.")


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
    tracking_url: str = Field(description="The web page where the requester follows the case (asks for the code).")

    @staticmethod
    def resolve_status_label(obj: Case) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_tracking_url(obj: Case, context) -> str:
        from jangkau.portal.links import tracking_url

        return context["request"].build_absolute_uri(tracking_url(obj))


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

        # English names are optional; Indonesian is the name of record.
        return obj.display_name


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
    id_document_type: IdType
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
    id_document_type: IdType
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
        return workflow.actions_for_case(obj, context["request"].auth.role)


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
    body: str | None = Field(None, max_length=4000, description="add_note: the message for the internal thread.")
    days: int | None = Field(None, description="extend_information_deadline: working days, 1 to 7.")
    notice: str | None = Field(
        None,
        max_length=2000,
        description="extend_information_deadline, cancel_appointment: the written notice shown to the requester.",
    )
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


# --- the requester's messages ----------------------------------------------------------------------------


class MissingDataIn(Schema):
    text: str = Field(
        "",
        max_length=2000,
        description="The data the officer asked for, in words (see the case's status `awaiting_info`); required.",
    )


class RescheduleRequestIn(Schema):
    reason: str = Field("", max_length=2000, description="Why the agreed appointment does not suit; required.")
    preferred_times: str = Field("", max_length=300, description="When the requester could be served instead.")
