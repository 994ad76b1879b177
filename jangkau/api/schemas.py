"""Request and response schemas of the JSON API.

The public (requester) schemas carry no personal data back out: a tracking code is a bearer secret that
can leak (a shared phone, a screenshot), so it must never reveal more than the case's progress.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from ninja import Field, Schema

from jangkau.cases import workflow
from jangkau.cases.holders import case_holding_history
from jangkau.cases.intake import LANGUAGE_CODES
from jangkau.cases.models import Case, CaseDocument, CaseNote, Channel, RequesterNotice, Status, StepRecord
from jangkau.cases.services import failed_contact_days
from jangkau.cases.sla import explain_due, explain_information_due, information_answered_at
from jangkau.cases.vocabulary import (
    Accommodation,
    AccommodationsProvided,
    DeliveryMode,
    IdType,
    NeedMet,
    NotifyChannel,
    Vulnerability,
)
from jangkau.core.masking import mask_identifier
from jangkau.scheduling.selectors import current_of

from .inputs import BodySchema, Int, IsoDateTime

# --- helpers ---------------------------------------------------------------------------------------------

# The files the office's staff open from the case: PPID's results and the proof of delivery. The requester's
# own uploads (a power of attorney, supporting documents) are personal data, opened through the logged view.
STAFF_DOCUMENT_KINDS = frozenset({CaseDocument.Kind.RESULT, CaseDocument.Kind.DELIVERY_PROOF})
REQUESTER_DOCUMENT_KINDS = frozenset({CaseDocument.Kind.POWER_OF_ATTORNEY, CaseDocument.Kind.SUPPORTING})


def _current_appointment(case: Case):
    # Prefetched by the views, so this reads memory rather than the database.
    return current_of(case.appointments.all())


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


# --- intake ----------------------------------------------------------------------------------------------


def _codes(choices) -> dict:
    return {"json_schema_extra": {"enum": list(choices.values)}}


_LANGUAGES = {"json_schema_extra": {"enum": list(LANGUAGE_CODES)}}


class IntakeIn(BodySchema):
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
    notify_channel: str | None = Field(
        None,
        description="How the requester wants news of the request: `whatsapp` or `sms` (need `phone`), `email` "
        "(needs `email`) or `none` (an officer calls). Left out: `whatsapp` with a phone, else `email` with an "
        "e-mail address, else `none`.",
        **_codes(NotifyChannel),
    )
    language: str | None = Field(
        None,
        description="The language of the messages: `id` (Bahasa Indonesia) or `en` (English). Left out: the "
        "request's language (`Accept-Language`).",
        **_LANGUAGES,
    )
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

    channel: Channel = Field(strict=False)


class IntakeOut(Schema):
    """The receipt of a submitted request: the tracking code is the requester's private key to the case."""

    registration_number: str
    tracking_code: str
    status: Status
    status_label: str
    submitted_at: datetime
    tracking_url: str = Field(description="The web page where the requester follows the case (asks for the code).")
    notify_channel: NotifyChannel = Field(description="How news of the request is sent, as chosen or defaulted.")
    language: str = Field(description="The language of the messages, as chosen or defaulted.", **_LANGUAGES)

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


class NoticeOut(Schema):
    """A written notice from the office to the requester, shown on their tracking page."""

    kind: str = Field(json_schema_extra={"enum": list(RequesterNotice.Kind.values)})
    kind_label: str
    body: str
    created_at: datetime

    @staticmethod
    def resolve_kind_label(obj: RequesterNotice) -> str:
        return str(obj.get_kind_display())


class TrackDeadlineOut(Schema):
    """The legal deadline of a public-information request as the requester sees it (UU 14/2008 art. 22)."""

    due_at: datetime
    extension_days: int | None = Field(description="Working days the office extended it by, once, with a notice.")
    answered_at: datetime | None


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
    notices: list[NoticeOut] = Field(
        description="The office's written notices to the requester (an extended deadline, a cancelled appointment)."
    )
    information_deadline: TrackDeadlineOut | None = Field(
        description="For a public-information request: when the office must answer in writing at the latest."
    )

    @staticmethod
    def resolve_status_label(obj: Case) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_service_type(obj: Case) -> str:
        return obj.service_type.name

    @staticmethod
    def resolve_notices(obj: Case):
        return list(obj.notices.all())

    @staticmethod
    def resolve_information_deadline(obj: Case):
        return _information_deadline(obj, staff=False)

    @staticmethod
    def resolve_appointment(obj: Case):
        return _current_appointment(obj)

    @staticmethod
    def resolve_steps(obj: Case) -> list[StepRecord]:
        return list(obj.steps.all())


class CancelIn(BodySchema):
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


class SlaOut(Schema):
    """Where the open step stands against its deadline, counted in office working time."""

    kind: str = Field(
        description="on_time (minutes left), late (minutes over), not_started (actionable later, e.g. at the "
        "appointment), waiting (no running deadline) or ended.",
        json_schema_extra={"enum": ["on_time", "late", "not_started", "waiting", "ended"]},
    )
    label: str
    minutes: int | None = Field(description="Office working minutes left (on_time, not_started) or over (late).")

    @staticmethod
    def resolve_minutes(obj) -> int | None:
        return int(obj.amount.total_seconds() // 60) if obj.amount is not None else None


QUEUE_GROUPS = {1: "urgent", 2: "deadline", 3: "waiting", 4: "ended"}


class QueuePlaceOut(Schema):
    """Where a case stands in the office's queue (SPEC "Queue") and why."""

    position: int = Field(description="1-based place in the view's queue order.")
    group: str = Field(
        description="urgent (urgent, deadline running), deadline (deadline running), waiting (no running "
        "deadline: waits for the requester or its clock is stopped), ended (search results only).",
        json_schema_extra={"enum": list(QUEUE_GROUPS.values())},
    )
    reason: str = Field(description="Why the case stands there, in plain words.")
    sla: SlaOut

    @staticmethod
    def resolve_group(obj) -> str:
        return QUEUE_GROUPS[int(obj.group)]


class CaseListItem(_CaseResolvers):
    """One row of the office's case list; identifiers are masked. In a work view (``view``), each row also
    says where it stands in the queue and why, and which vulnerability categories and accommodations the
    officers should prepare for."""

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
    accommodations: list[str]
    vulnerabilities: list[str] | None = Field(
        description="Vulnerability category codes; in the work views only (null otherwise)."
    )
    queue: QueuePlaceOut | None = Field(description="The case's place in the work view's queue; null without `view`.")

    @staticmethod
    def resolve_open_step(obj: Case) -> int | None:
        step = _list_step(obj)
        return step.step_no if step else None

    @staticmethod
    def resolve_open_step_due_at(obj: Case) -> datetime | None:
        step = _list_step(obj)
        return step.due_at if step else None

    @staticmethod
    def resolve_vulnerabilities(obj: Case) -> list[str] | None:
        return list(obj.vulnerabilities or []) if hasattr(obj, "queue_entry") else None

    @staticmethod
    def resolve_queue(obj: Case):
        entry = getattr(obj, "queue_entry", None)
        return entry.placed if entry is not None else None


def _list_step(case: Case) -> StepRecord | None:
    # A case from a work view carries the step the queue placed it by; otherwise the lowest open step.
    entry = getattr(case, "queue_entry", None)
    return entry.step if entry is not None else _first_open_step(case)


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
    """An agreed appointment: who agreed it (``officer``), who goes (``officers``) and what to prepare.
    A superseded one was replaced by a reschedule, or called off (``cancellation_reason`` set)."""

    starts_at: datetime
    mode: str
    place: str
    notes: str
    officer: str | None = Field(description="Who agreed the appointment.")
    officers: list[str] = Field(description="Usernames of the officers who go.")
    accommodations: list[str] = Field(description="Accommodation codes to prepare.")
    created_at: datetime
    superseded_at: datetime | None
    cancellation_reason: str = Field(description="Why the appointment was called off without a new one.")

    @staticmethod
    def resolve_officer(obj) -> str | None:
        return _username(obj.officer)

    @staticmethod
    def resolve_officers(obj) -> list[str]:
        return sorted(user.get_username() for user in obj.officers.all())


class NoteOut(Schema):
    """One message of the internal thread between ULT and PPID; the requester never sees it."""

    author: str | None
    author_name: str
    created_at: datetime
    body: str

    @staticmethod
    def resolve_author(obj: CaseNote) -> str | None:
        return _username(obj.author)

    @staticmethod
    def resolve_author_name(obj: CaseNote) -> str:
        return str(obj.author)


class InformationDeadlineOut(Schema):
    """The legal deadline of a public-information request (UU 14/2008 art. 22): 10 working days from receipt,
    once extendable by up to 7 with a written notice to the requester."""

    due_at: datetime
    extension_days: int | None
    extended_at: datetime | None
    extension_reason: str
    answered_at: datetime | None = Field(description="When the request was answered in writing, if it was.")
    explanation: list[str] = Field(description="How the deadline was computed, in plain words.")


def _information_deadline(case: Case, *, staff: bool) -> dict | None:
    if case.information_due_at is None:
        return None
    deadline = {
        "due_at": case.information_due_at,
        "extension_days": case.information_extension_days,
        "extended_at": case.information_extended_at,
        "answered_at": information_answered_at(case),
    }
    if staff:
        deadline.update(extension_reason=case.information_extension_reason, explanation=explain_information_due(case))
    return deadline


class DocumentOut(Schema):
    """A file of the case (its content is fetched separately)."""

    id: int
    kind: str = Field(json_schema_extra={"enum": list(CaseDocument.Kind.values)})
    filename: str
    size: int
    content_type: str
    uploaded_at: datetime


class HoldingOut(Schema):
    """A period during which a staff member held the case (role "ult" or "ppid"); ``end`` null while they
    still hold it. ``how`` is the audit action that gave it to them (case.accept, case.reassign, ...)."""

    role: str
    username: str
    start: datetime
    end: datetime | None
    how: str
    reason: str


class ContactAttemptOut(Schema):
    channel: str
    attempted_at: datetime
    result: str
    notes: str
    officer: str | None

    @staticmethod
    def resolve_officer(obj) -> str | None:
        return _username(obj.officer)


class CaseDetail(_CaseResolvers):
    """A case as its office's staff work it: what the requester needs, the steps against their standard
    times, and the actions the viewer's role may take now. The identity number stays masked; contact details,
    address and disability details come only from ``case_personal_data``, which logs who opened them and why.
    The vulnerability categories show, as on the case page and in the queue (SPEC "Queue"): officers prepare
    the visit by them."""

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
    vulnerabilities: list[str] = Field(description="Vulnerability category codes (not the disability details).")
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
    documents_handed_over: str
    office_cost: int = Field(description="What the office bore to deliver, in rupiah; the requester pays nothing.")
    office_cost_note: str
    delivered_at: datetime | None
    evaluation_need_met: str = Field(description="Step 8: met, partly or not_met; empty until closed.")
    evaluation_mode_right: bool | None
    evaluation_accommodations: str = Field(description="Step 8: were the accommodations asked for provided.")
    evaluation: str
    information_deadline: InformationDeadlineOut | None = Field(
        description="Only for public-information requests: the legal deadline beside the POS clock."
    )
    appointment: AppointmentOut | None = Field(description="The current appointment, if any.")
    appointments: list[AppointmentOut] = Field(
        description="Every appointment agreed for the case, oldest first, including superseded and cancelled ones."
    )
    contact_attempts: list[ContactAttemptOut]
    failed_contact_days: int = Field(
        description="Different working days on which the requester could not be reached since contact last resumed."
    )
    notes: list[NoteOut] = Field(
        description="The internal ULT-PPID thread, oldest first; never shown to the requester."
    )
    notices: list[NoticeOut] = Field(
        description="Written notices sent to the requester (shown on their tracking page)."
    )
    documents: list[DocumentOut] = Field(
        description="The result files and the delivery proof (`GET /cases/{n}/documents/{id}`). The requester's own "
        "uploads are personal data: they are listed by `POST /cases/{n}/personal-data`."
    )
    holders: list[HoldingOut] = Field(description="Who held the case when, read from the audit trail.")
    steps: list[StepOut]
    allowed_actions: list[str]

    @staticmethod
    def resolve_ppid_member(obj: Case) -> str | None:
        return _username(obj.ppid_member)

    @staticmethod
    def resolve_appointment(obj: Case):
        return _current_appointment(obj)

    @staticmethod
    def resolve_appointments(obj: Case):
        return sorted(obj.appointments.all(), key=lambda a: (a.created_at, a.pk))

    @staticmethod
    def resolve_contact_attempts(obj: Case):
        return list(obj.contact_attempts.all())

    @staticmethod
    def resolve_failed_contact_days(obj: Case) -> int:
        return failed_contact_days(obj)

    @staticmethod
    def resolve_information_deadline(obj: Case):
        return _information_deadline(obj, staff=True)

    @staticmethod
    def resolve_notes(obj: Case):
        return list(obj.notes.all())

    @staticmethod
    def resolve_notices(obj: Case):
        return list(obj.notices.all())

    @staticmethod
    def resolve_documents(obj: Case):
        return [d for d in obj.documents.all() if d.kind in STAFF_DOCUMENT_KINDS]

    @staticmethod
    def resolve_holders(obj: Case):
        return [asdict(holding) for holding in case_holding_history(obj)]

    @staticmethod
    def resolve_steps(obj: Case) -> list[StepRecord]:
        return list(obj.steps.all())

    @staticmethod
    def resolve_allowed_actions(obj: Case, context) -> list[str]:
        return workflow.actions_for_case(obj, context["request"].auth.role)


class ScheduleEntryOut(Schema):
    """One appointment of the day's list of scheduled requesters, as the back office's day list shows it: the
    place is the one the officer typed for the appointment; the requester's address and contact details
    stay behind the logged personal-data view."""

    registration_number: str
    status: Status
    status_label: str
    requester_name: str
    service_type: ServiceTypeOut
    urgent: bool
    assigned_to: str | None
    starts_at: datetime
    mode: str
    place: str
    officers: list[str] = Field(description="Usernames of the officers who go.")
    accommodations: list[str] = Field(description="Accommodation codes to prepare.")

    @staticmethod
    def resolve_registration_number(obj) -> str:
        return obj.case.registration_number

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.case.status

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.case.get_status_display())

    @staticmethod
    def resolve_requester_name(obj) -> str:
        return obj.case.requester_name

    @staticmethod
    def resolve_service_type(obj):
        return obj.case.service_type

    @staticmethod
    def resolve_urgent(obj) -> bool:
        return obj.case.urgent

    @staticmethod
    def resolve_assigned_to(obj) -> str | None:
        return _username(obj.case.assigned_to)

    @staticmethod
    def resolve_officers(obj) -> list[str]:
        return sorted(user.get_username() for user in obj.officers.all())


class BreachOut(Schema):
    """An officer step done later than its POS standard time, and its explanation."""

    registration_number: str
    step_no: int
    activity: str
    due_at: datetime | None
    done_at: datetime | None
    responsible: str | None
    done_by: str | None
    explanation: str
    explained_by: str | None
    explained_at: datetime | None
    needs_explanation: bool

    @staticmethod
    def resolve_registration_number(obj: StepRecord) -> str:
        return obj.case.registration_number

    @staticmethod
    def resolve_responsible(obj: StepRecord) -> str | None:
        return _username(obj.responsible)

    @staticmethod
    def resolve_done_by(obj: StepRecord) -> str | None:
        return _username(obj.done_by)

    @staticmethod
    def resolve_explanation(obj: StepRecord) -> str:
        return obj.breach_explanation

    @staticmethod
    def resolve_explained_by(obj: StepRecord) -> str | None:
        return _username(obj.explained_by)


class ActionIn(BodySchema):
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
    days: Int | None = Field(None, description="extend_information_deadline: working days, 1 to 7.")
    notice: str | None = Field(
        None,
        max_length=2000,
        description="extend_information_deadline, cancel_appointment: the written notice shown to the requester.",
    )
    channel: str | None = Field(None, max_length=20, description="record_contact_attempt: how contact was tried.")
    result: str | None = Field(None, max_length=20, description="record_contact_attempt: reached, no_answer, ...")
    notes: str | None = Field(None, max_length=4000, description="record_contact_attempt, schedule, deliver.")
    starts_at: IsoDateTime | None = Field(None, description="schedule, reschedule: a future moment.")
    mode: str | None = Field(
        None,
        max_length=30,
        description="schedule, reschedule: the delivery mode agreed; deliver: how it was delivered (default: the "
        "agreed one).",
        **_codes(DeliveryMode),
    )
    place: str | None = Field(None, max_length=300, description="schedule, reschedule.")
    officers: list[Annotated[str, Field(max_length=150)]] | None = Field(
        None,
        max_length=10,
        description="schedule, reschedule: usernames of the office's ULT officers or PPID members who go "
        "(default: the scheduling officer; on reschedule, the previous team).",
    )
    accommodations: list[Annotated[str, Field(max_length=40)]] | None = Field(
        None,
        max_length=20,
        description="schedule, reschedule: accommodations to prepare (default: those the requester asked for; "
        "on reschedule, the previous ones). Any of: " + ", ".join(Accommodation.values),
        json_schema_extra={"items": {"type": "string", "enum": list(Accommodation.values)}},
    )
    document_tokens: list[Annotated[str, Field(max_length=64)]] | None = Field(
        None,
        max_length=20,
        description="record_result: tokens of result files uploaded first with `POST /cases/documents` "
        "(kind `result`).",
    )
    documents_handed_over: str | None = Field(
        None, max_length=2000, description="deliver: the documents handed over to the requester."
    )
    office_cost: Int | None = Field(
        None,
        description="deliver: what the office paid to bring the service (courier, transport), in whole rupiah; "
        "the requester is never charged.",
    )
    office_cost_note: str | None = Field(None, max_length=300, description="deliver: what the office cost was for.")
    proof_token: str | None = Field(
        None,
        max_length=64,
        description="deliver: token of a signed receipt or photo uploaded first with `POST /cases/documents` "
        "(kind `delivery_proof`).",
    )
    need_met: str | None = Field(
        None, max_length=20, description="close: was the requester's need met.", **_codes(NeedMet)
    )
    mode_right: bool | None = Field(None, description="close: was the delivery mode the right one.")
    accommodations_provided: str | None = Field(
        None,
        max_length=20,
        description="close: were the accommodations asked for provided (`none_asked` only when none were).",
        **_codes(AccommodationsProvided),
    )
    evaluation: str | None = Field(
        None, max_length=4000, description="close: notes; required when something did not go fully well."
    )
    late_explanation: str | None = Field(None, max_length=2000, description="close: why step 8 overran.")
    ppid_member: str | None = Field(None, max_length=150, description="forward_to_ppid: a PPID username.")
    to: str | None = Field(None, max_length=150, description="reassign: a ULT officer's username.")


class ExplanationIn(BodySchema):
    explanation: str = Field("", max_length=4000, description="Why the step overran its standard time.")


class PersonalDataIn(BodySchema):
    purpose: str = Field("", max_length=500, description="Why the officer needs the data; kept in the audit trail.")


class PersonalDataOut(Schema):
    """The requester's personal data; opening it is recorded in the audit trail."""

    id_document_type: str
    id_document_number: str
    address: str
    disability_details: str
    vulnerabilities: list[str]
    phone: str
    email: str
    companion_name: str
    companion_relation: str
    documents: list[DocumentOut] = Field(
        description="The requester's own uploads (power of attorney, supporting documents); each opens with "
        "`POST /cases/{n}/documents/{id}/personal-data`, which records the view."
    )


# --- the requester's messages ----------------------------------------------------------------------------


class MissingDataIn(BodySchema):
    text: str = Field(
        "",
        max_length=2000,
        description="The data the officer asked for, in words (see the case's status `awaiting_info`); required.",
    )


class RescheduleRequestIn(BodySchema):
    reason: str = Field("", max_length=2000, description="Why the agreed appointment does not suit; required.")
    preferred_times: str = Field("", max_length=300, description="When the requester could be served instead.")
