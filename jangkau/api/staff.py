"""Staff endpoints: the office's cases, one case in detail, every workflow action, breach explanations,
and requests recorded from non-web channels.

Every query is scoped to the user's office, and another office's case answers 404, the same as a case
that does not exist, so registration numbers cannot be probed across offices.
"""

# No "from __future__ import annotations": ninja evaluates parameter annotations in the globals of the
# wrapped view, which for paginated views are ninja.pagination's, where "Status" means something else.

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate

from jangkau.cases import services as svc
from jangkau.cases.models import Case, Status, StepRecord
from jangkau.core.errors import PermissionDenied as DomainPermissionDenied

from .actions import ACTIONS
from .auth import staff_auth
from .errors import with_errors
from .public import IDEMPOTENCY_KEY, submit_intake
from .schemas import (
    ActionIn,
    CaseDetail,
    CaseListItem,
    ExplanationIn,
    IntakeOut,
    PersonalDataIn,
    PersonalDataOut,
    StaffIntakeIn,
)

router = Router(tags=["staff"], auth=staff_auth)

# Authentication (401), CSRF, a user without an office or a role the table refuses (403).
STAFF_ERRORS = (401, 403)


def _detail_queryset(request: HttpRequest):
    return (
        Case.objects.filter(office_id=request.auth.office_id)
        .select_related("service_type", "assigned_to", "ppid_member")
        .prefetch_related(
            Prefetch("steps", queryset=StepRecord.objects.select_related("responsible", "done_by")),
            "appointments__officer",
        )
    )


def case_of_office(request: HttpRequest, registration_number: str) -> Case:
    """Returns the case of the user's office with that registration number. Raises Http404 otherwise."""
    case = _detail_queryset(request).filter(registration_number=registration_number.strip().upper()).first()
    if case is None:
        raise Http404(_("Kasus tidak ditemukan."))
    return case


@router.get(
    "/cases",
    response=with_errors({200: list[CaseListItem]}, *STAFF_ERRORS, 422),
    operation_id="case_list",
    summary="List the office's cases",
)
@paginate(LimitOffsetPagination)
def case_list(request: HttpRequest, status: Status | None = None):
    """Returns the cases of the user's office, newest first, optionally of one status; identifiers masked."""
    cases = (
        Case.objects.filter(office_id=request.auth.office_id)
        .select_related("service_type", "assigned_to")
        .prefetch_related(Prefetch("steps", queryset=StepRecord.objects.filter(done_at__isnull=True)))
        .order_by("-submitted_at", "-id")
    )
    if status is not None:
        cases = cases.filter(status=status)
    return cases


@router.get(
    "/cases/{registration_number}",
    response=with_errors({200: CaseDetail}, *STAFF_ERRORS, 404),
    operation_id="case_detail",
    summary="One case in detail",
)
def case_detail(request: HttpRequest, registration_number: str):
    """Returns the case with its steps and the actions the user's role may take now; 404 for a case of
    another office."""
    return case_of_office(request, registration_number)


@router.post(
    "/cases/{registration_number}/actions/{action}",
    response=with_errors({200: CaseDetail}, 400, *STAFF_ERRORS, 404, 409, 422),
    operation_id="case_action",
    summary="Take a workflow action on a case",
    description="`action` is one of: " + ", ".join(f"`{name}`" for name in ACTIONS) + ".",
)
def case_action(request: HttpRequest, registration_number: str, action: str, payload: ActionIn | None = None):
    """Runs ``action`` through its service and returns the updated case.

    404 for an unknown action or case; 409 when the transition table does not allow the move from the
    case's status; 403 when the user's role may not take it; 422 when a field the action needs is missing
    or wrong; 400 for other refusals (e.g. closing with an unexplained breach).
    """
    call = ACTIONS.get(action)
    if call is None:
        raise Http404(_("Tindakan tidak dikenal: %(action)s.") % {"action": action})
    case = case_of_office(request, registration_number)
    call(case, request.auth, payload or ActionIn())
    return case_of_office(request, registration_number)


@router.post(
    "/cases/{registration_number}/steps/{step_no}/explanation",
    response=with_errors({200: CaseDetail}, 400, *STAFF_ERRORS, 404, 409, 422),
    operation_id="step_explain_breach",
    summary="Explain why a step overran its standard time",
)
def step_explanation(request: HttpRequest, registration_number: str, step_no: int, payload: ExplanationIn):
    """Records the explanation on the most recent breached record of step ``step_no`` and returns the case.

    404 when the case has no record of that step; 409 when the step did not overrun or is already
    explained; 403 when the user is not the officer responsible for it.
    """
    case = case_of_office(request, registration_number)
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
    response=with_errors({200: PersonalDataOut}, 400, *STAFF_ERRORS, 404, 422),
    operation_id="case_personal_data",
    summary="Open the requester's personal data (the view is logged)",
)
def case_personal_data(request: HttpRequest, registration_number: str, payload: PersonalDataIn):
    """Returns the full identity number, address and disability details, and records who opened them and
    why in the audit trail. POST, because every view leaves a record. 422 without a purpose."""
    case = case_of_office(request, registration_number)
    return svc.case_view_personal_data(case=case, actor=request.auth, purpose=payload.purpose)
