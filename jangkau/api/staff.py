"""Staff endpoints: the office's cases and work views, one case in detail, every workflow action, the
case's files, the day's schedule, breaches and their explanations, and requests recorded from non-web
channels.

Every query is scoped to the user's office. A registration number that exists only in another office
answers 403 ("the case belongs to another office", as issue 4 asks); one that exists nowhere answers 404.
"""

# No "from __future__ import annotations": ninja evaluates parameter annotations in the globals of the
# wrapped view, which for paginated views are ninja.pagination's, where "Status" means something else.

import datetime as dt
from typing import Literal
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from jangkau.accounts.models import Role, User
from jangkau.cases import services as svc
from jangkau.cases.documents import CSV, XLSX, document_bytes
from jangkau.cases.models import Case, CaseDocument, CaseNote, Status, StepRecord
from jangkau.cases.selectors import QUEUE_VIEWS, breaches_for_office, normalise_code, queue_entries
from jangkau.core.errors import PermissionDenied as DomainPermissionDenied
from jangkau.scheduling.models import Appointment, ContactAttempt

from .actions import ACTIONS
from .auth import staff_auth
from .errors import with_errors
from .inputs import Id, IsoDate, Pagination, StepNo, day_in_range
from .public import CALENDAR_FILE, IDEMPOTENCY_KEY, calendar_response, submit_intake
from .schemas import (
    REQUESTER_DOCUMENT_KINDS,
    STAFF_DOCUMENT_KINDS,
    ActionIn,
    BreachOut,
    CaseDetail,
    CaseListItem,
    ExplanationIn,
    IntakeOut,
    PersonalDataIn,
    PersonalDataOut,
    ScheduleEntryOut,
    StaffIntakeIn,
)

router = Router(tags=["staff"], auth=staff_auth)

# Authentication (401), CSRF, a user without an office or a role the table refuses (403).
STAFF_ERRORS = (401, 403)

# The work views of ``selectors.queue_entries``, as the values ``view`` accepts.
QueueView = Literal[QUEUE_VIEWS]
# What an officer may search for; a longer text is refused.
QUERY_MAX_LENGTH = 100
VIEW_PARAM = Query(
    None,
    description='A work view in queue order (SPEC "Queue"): `all` the open cases, `mine` the user\'s work, '
    "`ppid` those with Tim PPID, `ppid_inbox` those forwarded to the user that Tim PPID still has, `scheduled` "
    "those with an agreed appointment. Each row then says where it stands and why (`queue`).",
)
SEARCH_PARAM = Query(
    None,
    max_length=QUERY_MAX_LENGTH,
    description="Search by registration number, name, phone number or whole NIK; implies `view=all` when no "
    "view is given, and then also finds cases that have ended.",
)
DAY_PARAM = Query(None, description="The day, YYYY-MM-DD (2000-2099), in the office's time zone; default today.")


def _detail_queryset(request: HttpRequest):
    # Everything the detail shows comes in a fixed number of queries, however long the case's history.
    return (
        Case.objects.filter(office_id=request.auth.office_id)
        .select_related("office", "service_type", "assigned_to", "ppid_member")
        .prefetch_related(
            Prefetch("steps", queryset=StepRecord.objects.select_related("responsible", "done_by")),
            Prefetch(
                "appointments", queryset=Appointment.objects.select_related("officer").prefetch_related("officers")
            ),
            Prefetch("contact_attempts", queryset=ContactAttempt.objects.select_related("officer")),
            Prefetch("notes", queryset=CaseNote.objects.select_related("author")),
            "notices",
            Prefetch("documents", queryset=CaseDocument.objects.filter(kind__in=STAFF_DOCUMENT_KINDS).defer("content")),
        )
    )


def case_of_office(request: HttpRequest, registration_number: str, *, detail: bool = True) -> Case:
    """Returns the case of the user's office with that registration number.

    Raises PermissionDenied (403) when the number exists only in another office, Http404 when it exists
    nowhere. ``detail`` loads everything the case's detail shows.
    """
    number = normalise_code(registration_number)
    cases = _detail_queryset(request) if detail else Case.objects.filter(office_id=request.auth.office_id)
    case = cases.filter(registration_number=number).first()
    if case is not None:
        return case
    if number and Case.objects.filter(registration_number=number).exists():
        raise DomainPermissionDenied(_("Kasus ini milik kantor lain."))
    raise Http404(_("Kasus tidak ditemukan."))


@router.get(
    "/cases",
    response=with_errors({200: list[CaseListItem]}, *STAFF_ERRORS, 422),
    operation_id="case_list",
    summary="List the office's cases",
)
@paginate(Pagination)
def case_list(
    request: HttpRequest,
    status: Status | None = None,
    view: QueueView | None = VIEW_PARAM,
    q: str | None = SEARCH_PARAM,
):
    """Returns the cases of the user's office, identifiers masked.

    Without ``view`` or ``q``: newest first, optionally of one ``status``. With either: the work view in queue
    order (nearest deadline first, then submission time, urgent cases moved up), each row with the reason
    for its place and its SLA state; ``status`` then narrows the view.
    """
    query = " ".join((q or "").split())
    if view is None and not query:
        cases = (
            Case.objects.filter(office_id=request.auth.office_id)
            .select_related("service_type", "assigned_to")
            .prefetch_related(Prefetch("steps", queryset=StepRecord.objects.filter(done_at__isnull=True)))
            .order_by("-submitted_at", "-id")
        )
        if status is not None:
            cases = cases.filter(status=status)
        return cases
    return _QueueCases(
        queue_entries(request.auth.office, view=view or "all", user=request.auth, query=query, status=status)
    )


class _QueueCases:
    """The queue's entries as cases for ``CaseListItem``, read a page at a time as the paginator slices them."""

    def __init__(self, entries):
        self.entries = entries

    def __len__(self) -> int:
        return self.entries.count()

    def __getitem__(self, page: slice) -> list[Case]:
        entries = self.entries[page]
        # The queue loads the service type only; the holders come in one more query, not one per row.
        holders = User.objects.in_bulk({entry.case.assigned_to_id for entry in entries} - {None})
        rows = []
        for entry in entries:
            case = entry.case
            case.assigned_to = holders.get(case.assigned_to_id)
            case.queue_entry = entry
            rows.append(case)
        return rows


@router.get(
    "/cases/{registration_number}",
    response=with_errors({200: CaseDetail}, *STAFF_ERRORS, 404, 422),
    operation_id="case_detail",
    summary="One case in detail",
)
def case_detail(request: HttpRequest, registration_number: str):
    """Returns the case as its office works it: steps, the internal thread, notices sent to the requester,
    the legal deadline, files, appointments and their teams, contact attempts, delivery record, who held it
    when, and the actions the user's role may take now. 403 for another office's case, 404 for a number
    that exists nowhere."""
    return case_of_office(request, registration_number)


@router.get(
    "/cases/{registration_number}/appointment.ics",
    response=with_errors({200: None}, *STAFF_ERRORS, 404, 422),
    operation_id="case_appointment_ics",
    summary="The current appointment as a calendar file for the officers who go",
    openapi_extra=CALENDAR_FILE,
)
def case_appointment_ics(request: HttpRequest, registration_number: str):
    """Returns the current appointment with the team and the accommodations to prepare (never the
    requester's identity number, phone or address); 404 when the case has none."""
    return calendar_response(case_of_office(request, registration_number), request, for_requester=False)


@router.post(
    "/cases/{registration_number}/actions/{action}",
    response=with_errors({200: CaseDetail}, 400, *STAFF_ERRORS, 404, 409, 422),
    operation_id="case_action",
    summary="Take a workflow action on a case",
    description="`action` is one of: " + ", ".join(f"`{name}`" for name in ACTIONS) + ".",
)
def case_action(request: HttpRequest, registration_number: str, action: str, payload: ActionIn | None = None):
    """Runs ``action`` through its service and returns the updated case.

    404 for an unknown action or case; 403 for another office's case, or when the user's role may not take
    the action, or a colleague holds the case; 409 with the reason when the transition table does not allow
    the move from the case's status (or the case's state refuses it, e.g. closing with an unexplained breach);
    422 naming each field the action needs that is missing or wrong (``errors[].field``).

    Files (``record_result``'s ``document_tokens``, ``deliver``'s ``proof_token``) are uploaded first with
    ``POST /cases/documents``; officers (``schedule``, ``reschedule``) are usernames of the office.
    """
    call = ACTIONS.get(action)
    if call is None:
        raise Http404(_("Tindakan tidak dikenal: %(action)s.") % {"action": action})
    case = case_of_office(request, registration_number, detail=False)
    call(case, request.auth, payload or ActionIn())
    return case_of_office(request, registration_number)


@router.post(
    "/cases/{registration_number}/steps/{step_no}/explanation",
    response=with_errors({200: CaseDetail}, 400, *STAFF_ERRORS, 404, 409, 422),
    operation_id="step_explain_breach",
    summary="Explain why a step overran its standard time",
)
def step_explanation(request: HttpRequest, registration_number: str, step_no: StepNo, payload: ExplanationIn):
    """Records the explanation on the most recent breached record of step ``step_no`` and returns the case.

    404 when the case has no record of that step; 409 when the step did not overrun or is already
    explained; 403 when the user is not the officer responsible for it.
    """
    case = case_of_office(request, registration_number, detail=False)
    records = case.steps.filter(step_no=step_no).order_by("-opened_at", "-id")
    # Without a breached record, the latest record lets the service say the step did not overrun.
    step = records.filter(breached=True).first() or records.first()
    if step is None:
        raise Http404(_("Langkah %(no)s belum ada pada kasus ini.") % {"no": step_no})
    svc.step_explain_breach(step=step, actor=request.auth, explanation=payload.explanation)
    return case_of_office(request, registration_number)


@router.post(
    "/cases",
    response=with_errors({201: IntakeOut, 200: IntakeOut}, 400, *STAFF_ERRORS, 409, 422),
    operation_id="intake_record",
    summary="Record a request received through another channel",
)
def intake_record(request: HttpRequest, payload: StaffIntakeIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    """Creates a case in the officer's office on the requester's behalf, with the channel it came through
    (the same fields as ``POST /requests`` plus ``channel``); the officer holds it.

    Returns 201, or 200 with the first case for a repeated ``Idempotency-Key``; 403 for a role other than
    Petugas ULT, or an ``office`` other than the officer's; 422 with an error per field.
    """
    office = request.auth.office
    if payload.office and payload.office.strip().lower() != office.code.lower():
        raise DomainPermissionDenied(_("Anda hanya dapat mencatat permohonan untuk kantor Anda."))
    return submit_intake(
        office=office,
        payload=payload,
        channel=payload.channel,
        actor=request.auth,
        idempotency_key=idempotency_key,
    )


@router.post(
    "/cases/{registration_number}/personal-data",
    response=with_errors({200: PersonalDataOut}, 400, *STAFF_ERRORS, 404, 410, 422),
    operation_id="case_personal_data",
    summary="Open the requester's personal data (the view is logged)",
)
def case_personal_data(request: HttpRequest, registration_number: str, payload: PersonalDataIn):
    """Returns the full identity number, address and disability details, and records who opened them and
    why in the audit trail. POST, because every view leaves a record. 422 without a purpose."""
    case = case_of_office(request, registration_number, detail=False)
    data = svc.case_view_personal_data(case=case, actor=request.auth, purpose=payload.purpose)
    documents = case.documents.filter(kind__in=REQUESTER_DOCUMENT_KINDS).defer("content").order_by("uploaded_at", "id")
    return {**data, "documents": list(documents)}


# --- the case's files ------------------------------------------------------------------------------------


def _document_of(case: Case, document_id: int) -> CaseDocument:
    document = case.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404(_("Dokumen tidak ditemukan pada kasus ini."))
    return document


def _file_response(document: CaseDocument) -> HttpResponse:
    response = HttpResponse(document_bytes(document), content_type=document.content_type)
    # Always a download, never shown inline in the site's origin.
    response["Content-Disposition"] = content_disposition_header(True, document.filename)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


FILE_RESPONSE = {
    200: {
        "description": "The file, as a download, with the content type it was checked to be.",
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in ("application/pdf", "image/jpeg", "image/png", XLSX, CSV)
        },
    }
}


@router.get(
    "/cases/{registration_number}/documents/{document_id}",
    response=with_errors({200: None}, *STAFF_ERRORS, 404, 422),
    operation_id="case_document",
    summary="Download a result file or the delivery proof",
    openapi_extra={"responses": FILE_RESPONSE},
)
def case_document(request: HttpRequest, registration_number: str, document_id: Id):
    """Returns one of the case's result files or its proof of delivery (``documents`` of the detail).

    The requester's own uploads (power of attorney, supporting documents) are personal data: they answer 403
    here and open with ``POST /cases/{n}/documents/{id}/personal-data``, which records who opened them and why.
    """
    case = case_of_office(request, registration_number, detail=False)
    document = _document_of(case, document_id)
    if document.kind not in STAFF_DOCUMENT_KINDS:
        raise DomainPermissionDenied(
            _(
                "Dokumen ini data pribadi pemohon. Buka lewat POST /api/v1/cases/%(number)s/documents/%(id)s/"
                "personal-data dengan menyebut keperluannya; pembukaan itu dicatat."
            )
            % {"number": case.registration_number, "id": document.pk}
        )
    return _file_response(document)


@router.post(
    "/cases/{registration_number}/documents/{document_id}/personal-data",
    response=with_errors({200: None}, 400, *STAFF_ERRORS, 404, 410, 422),
    operation_id="case_document_personal_data",
    summary="Open a file the requester gave (the view is logged)",
    openapi_extra={"responses": FILE_RESPONSE},
)
def case_document_personal_data(
    request: HttpRequest, registration_number: str, document_id: Id, payload: PersonalDataIn
):
    """Returns any file of the case, and records in the audit trail who opened which file and why, as the
    personal-data view does. 422 without a purpose."""
    case = case_of_office(request, registration_number, detail=False)
    document = _document_of(case, document_id)
    purpose = (payload.purpose or "").strip()
    if purpose:
        # The service records the purpose only; the file opened is named in it so the trail says which.
        purpose = _("%(purpose)s [unduh dokumen %(id)s: %(kind)s]") % {
            "purpose": purpose,
            "id": document.pk,
            "kind": document.get_kind_display(),
        }
    svc.case_view_personal_data(case=case, actor=request.auth, purpose=purpose)
    return _file_response(document)


# --- the day's schedule ----------------------------------------------------------------------------------


@router.get(
    "/schedule",
    response=with_errors({200: list[ScheduleEntryOut]}, *STAFF_ERRORS, 422),
    operation_id="schedule_of_day",
    summary="The scheduled requesters of one day",
)
def schedule_of_day(
    request: HttpRequest,
    date: IsoDate | None = DAY_PARAM,
):
    """Returns the office's current appointments on ``date`` in time order (POS step 4's "online list of
    scheduled users"): who is served when, how, where, by whom, and what to prepare, as the back office's day
    list. Appointments replaced by a reschedule or called off, and those of cancelled cases, are left out.
    422 for a date that is not YYYY-MM-DD or not in the years 2000-2099."""
    office = request.auth.office
    tz = ZoneInfo(office.time_zone)
    day = date or svc.office_today(office)
    day_in_range("date", day)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return list(
        Appointment.objects.filter(
            case__office=office,
            superseded_at__isnull=True,
            starts_at__gte=start,
            starts_at__lt=start + dt.timedelta(days=1),
        )
        .exclude(case__status=Status.CANCELLED)
        .select_related("case__service_type", "case__assigned_to")
        .prefetch_related("officers")
        .order_by("starts_at", "case__registration_number")
    )


# --- breaches --------------------------------------------------------------------------------------------

# Who sees every breach of the office; others see the steps they must account for.
SUPERVISORS = {Role.HEAD, Role.ADMIN}


@router.get(
    "/breaches",
    response=with_errors({200: list[BreachOut]}, *STAFF_ERRORS, 422),
    operation_id="breach_list",
    summary="Steps that overran their standard time, with their explanations",
)
def breach_list(request: HttpRequest, unexplained: bool = False):
    """Returns the office's overrun officer steps, newest first, with each explanation. The head and the
    administrator see the whole office; others see the steps they were responsible for or did. With
    ``unexplained=true``, only those still waiting for an explanation (``POST
    /cases/{n}/steps/{no}/explanation``)."""
    user = request.auth
    steps = breaches_for_office(user.office, unexplained_only=unexplained)
    if user.role not in SUPERVISORS:
        steps = [step for step in steps if user.pk in {step.responsible_id, step.done_by_id}]
    prefetch_related_objects(steps, "explained_by")
    return steps
