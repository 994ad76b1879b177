"""Data-subject requests (UU 27/2022) for staff integrations: find a person's cases, record a request, read
requests with their deadlines, download the person's data as JSON, correct, erase, and answer.

The same services as the back office (``jangkau.privacy.services``), so the same rules: only Tim PPID and the
head (403 otherwise), one office's data only, deadlines of 3 x 24 hours, every action audited. A NIK or a
phone travels only in request bodies (POST), never in a URL, where logs would keep it. Lists mask identifiers;
the full data leaves only in the export, whose download is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from jangkau.cases.models import Case, Channel
from jangkau.core import clock
from jangkau.core.downloads import attachment_response
from jangkau.core.errors import InvalidFields, PermissionDenied
from jangkau.core.masking import mask_identifier, mask_phone
from jangkau.privacy import services as privacy
from jangkau.privacy.models import DataSubjectRequest, RequestKind

from .auth import staff_auth
from .errors import with_errors
from .inputs import MAX_OFFSET, MAX_PAGE, BodySchema, IsoDateTime

router = Router(tags=["staff"], auth=staff_auth)

STAFF_ERRORS = (401, 403)


def _handler(request: HttpRequest):
    if not privacy.privacy_may_handle(request.auth):
        raise PermissionDenied(_("Permintaan subjek data ditangani oleh Tim PPID dan Kepala kantor."))
    return request.auth


def _request_or_404(request: HttpRequest, number: str) -> DataSubjectRequest:
    user = _handler(request)
    found = DataSubjectRequest.objects.select_related("office").filter(office_id=user.office_id, number=number).first()
    if found is None:
        raise Http404(_("Permintaan tidak ditemukan."))
    return found


# --- schemas --------------------------------------------------------------------------------------------------


class CriteriaIn(BodySchema):
    nik: str | None = Field(None, max_length=40, description="16 digits; searched through its keyed hash.")
    phone: str | None = Field(None, max_length=40, description="Any Indonesian spelling; normalised to +62...")
    name: str | None = Field(None, max_length=200, description="The whole name, case-insensitive.")


class CaseFoundOut(Schema):
    registration_number: str
    submitted_at: datetime
    requester_name: str
    id_number: str = Field(description="Masked: 3171********0001.")
    phone: str = Field(description="Masked: +62812****7890.")
    service: str
    status: str


class RequestIn(CriteriaIn):
    kind: RequestKind = Field(strict=False)
    channel: Channel = Field(strict=False)
    requester_name: str = Field(..., max_length=200, description="The name the person gave.")
    identity_check: str = Field(..., max_length=2000, description="How the person's identity was verified.")
    received_at: IsoDateTime | None = Field(None, description="When the request was received; default now.")
    cases: list[str] | None = Field(
        None,
        max_length=200,
        description="Registration numbers of the found cases that are the person's; left out: every case found.",
    )
    details: str = Field("", max_length=2000)
    reply_to: str = Field("", max_length=300)


class RequestOut(Schema):
    number: str
    kind: str
    channel: str
    status: str
    received_at: datetime
    due_at: datetime = Field(description="3 x 24 clock hours after receipt (UU 27/2022).")
    overdue: bool = Field(description="Answered after the deadline, or still open past it.")
    responded_at: datetime | None
    response_minutes: int | None = Field(description="Minutes from receipt to answer.")
    exported_at: datetime | None
    criteria: dict = Field(description="The kinds of search used, with masked values.")
    cases: list[str] = Field(description="Registration numbers of the person's cases.")


class CloseIn(BodySchema):
    status: Literal["done", "refused"] = Field(..., description='"done" or "refused".')
    outcome: str = Field("", max_length=2000)
    refused_reason: str = Field("", max_length=2000)


class EraseIn(BodySchema):
    outcome: str = Field("", max_length=2000)


class CorrectIn(BodySchema):
    cases: list[str] | None = Field(None, max_length=200, description="Registration numbers; default all.")
    changes: dict[str, str] = Field(
        ..., description="Fields to change: requester_name, id_number, phone, email, address, area."
    )


def _out(req: DataSubjectRequest) -> dict:
    return {
        "number": req.number,
        "kind": req.kind,
        "channel": req.channel,
        "status": req.status,
        "received_at": req.received_at,
        "due_at": req.due_at,
        "overdue": req.is_overdue(clock.now()),
        "responded_at": req.responded_at,
        "response_minutes": req.response_minutes,
        "exported_at": req.exported_at,
        "criteria": req.criteria,
        "cases": [case.registration_number for case in req.cases.order_by("submitted_at", "id")],
    }


def _found(case: Case) -> dict:
    return {
        "registration_number": case.registration_number,
        "submitted_at": case.submitted_at,
        "requester_name": case.requester_name,
        "id_number": mask_identifier(case.id_document_number) if case.id_document_number else "",
        "phone": mask_phone(case.phone) if case.phone else "",
        "service": case.service_type.name,
        "status": case.status,
    }


# --- endpoints ------------------------------------------------------------------------------------------------


@router.post(
    "/privacy/search",
    response=with_errors({200: list[CaseFoundOut]}, 400, *STAFF_ERRORS, 422),
    operation_id="privacy_search",
    summary="Find every case of a person by NIK, phone or name (identifiers masked)",
)
def privacy_search(request: HttpRequest, payload: CriteriaIn):
    """Returns the office's cases that match any criterion, oldest first: the NIK through its keyed hash,
    the phone normalised like intake, the whole name case-insensitively. 422 naming a wrong NIK or phone,
    or when no criterion is given."""
    user = _handler(request)
    cases = privacy.subject_find(office=user.office, nik=payload.nik, phone=payload.phone, name=payload.name)
    return [_found(case) for case in cases]


@router.get(
    "/privacy/requests",
    response=with_errors({200: list[RequestOut]}, *STAFF_ERRORS, 422),
    operation_id="privacy_request_list",
    summary="The office's data-subject requests with their deadlines",
)
def privacy_request_list(
    request: HttpRequest,
    limit: int = Query(100, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    """Returns the requests, open ones first by nearest deadline, then answered ones, newest answer first."""
    user = _handler(request)
    return [_out(req) for req in privacy.subject_requests_for(user.office)[offset : offset + limit]]


@router.post(
    "/privacy/requests",
    response=with_errors({201: RequestOut}, 400, *STAFF_ERRORS, 422),
    operation_id="privacy_request_open",
    summary="Record a data-subject request with the person's cases",
)
def privacy_request_open(request: HttpRequest, payload: RequestIn):
    """Records the request; its answer is due 3 x 24 hours after ``received_at``. ``cases`` chooses among
    the cases the criteria find (422 "cases" for any other). 422 naming each wrong field; nothing is
    recorded then."""
    user = _handler(request)
    chosen = None
    if payload.cases is not None:
        chosen = list(Case.objects.filter(office=user.office, registration_number__in=payload.cases))
        if len(chosen) != len(set(payload.cases)):
            raise InvalidFields({"cases": _("Pilih hanya kasus yang ditemukan dengan kriteria pencarian ini.")})
    req = privacy.subject_request_open(
        office=user.office,
        actor=user,
        kind=payload.kind,
        channel=payload.channel,
        requester_name=payload.requester_name,
        identity_check=payload.identity_check,
        received_at=payload.received_at,
        nik=payload.nik,
        phone=payload.phone,
        name=payload.name,
        cases=chosen,
        details=payload.details,
        reply_to=payload.reply_to,
    )
    return Status(201, _out(req))


@router.get(
    "/privacy/requests/{number}",
    response=with_errors({200: RequestOut}, *STAFF_ERRORS, 404, 422),
    operation_id="privacy_request_detail",
    summary="One data-subject request",
)
def privacy_request_detail(request: HttpRequest, number: str):
    return _out(_request_or_404(request, number))


@router.get(
    "/privacy/requests/{number}/export.json",
    response=with_errors({200: None}, *STAFF_ERRORS, 404, 409, 422),
    operation_id="privacy_export_json",
    summary="The person's data as JSON (the download is audited)",
    openapi_extra={
        "responses": {
            200: {
                "description": "Every case of the person with all its personal and case data, and nobody else's.",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        }
    },
)
def privacy_export_json(request: HttpRequest, number: str, internal_notes: bool = False):
    """The export of ``jangkau.privacy.export``: officers' internal notes only with ``internal_notes=true``
    (after an officer checked they hold nobody else's data). 409 for a refused request."""
    req = _request_or_404(request, number)
    export = privacy.subject_export_file(
        request=req, actor=request.auth, file_format="json", include_internal_notes=internal_notes
    )
    return attachment_response(export.content, export.content_type, export.filename)


@router.post(
    "/privacy/requests/{number}/correct",
    response=with_errors({200: RequestOut}, 400, *STAFF_ERRORS, 404, 409, 422),
    operation_id="privacy_correct",
    summary="Correct the person's data on the request's cases",
)
def privacy_correct(request: HttpRequest, number: str, payload: CorrectIn):
    """All cases change or none; 422 naming each wrong field (an invalid NIK, phone or e-mail), 409 unless
    the request is an open correction request."""
    req = _request_or_404(request, number)
    cases = None
    if payload.cases is not None:
        cases = list(req.office.cases.filter(registration_number__in=payload.cases))
        if len(cases) != len(set(payload.cases)):
            raise InvalidFields({"cases": _("Pilih kasus dari permintaan ini.")})
    privacy.subject_correct(request=req, actor=request.auth, cases=cases, changes=payload.changes)
    req.refresh_from_db()
    return _out(req)


@router.post(
    "/privacy/requests/{number}/erase",
    response=with_errors({200: RequestOut}, 400, *STAFF_ERRORS, 404, 409, 422),
    operation_id="privacy_erase",
    summary="Erase (anonymise) the person's data on every case of the request",
)
def privacy_erase(request: HttpRequest, number: str, payload: EraseIn):
    """Anonymises every case and answers the request as done. 409 unless it is an open erasure request, or
    while one of its cases is still being served (cancel or finish it first)."""
    req = _request_or_404(request, number)
    return _out(privacy.subject_erase(request=req, actor=request.auth, outcome=payload.outcome))


@router.post(
    "/privacy/requests/{number}/close",
    response=with_errors({200: RequestOut}, 400, *STAFF_ERRORS, 404, 409, 422),
    operation_id="privacy_close",
    summary="Answer the request: done or refused (restriction and withdrawal: carried out)",
)
def privacy_close(request: HttpRequest, number: str, payload: CloseIn):
    """ "done" answers an access request once exported, a correction, or records that a restriction or a
    withdrawal was carried out; "refused" needs ``refused_reason``. 409 when already answered, for an
    access request not yet exported, or "done" on an erasure (use ``erase``)."""
    req = _request_or_404(request, number)
    if payload.status == "done" and req.kind == RequestKind.RESTRICTION:
        req = privacy.subject_restrict(request=req, actor=request.auth, outcome=payload.outcome)
    elif payload.status == "done" and req.kind == RequestKind.WITHDRAWAL:
        req = privacy.subject_withdraw(request=req, actor=request.auth, outcome=payload.outcome)
    else:
        req = privacy.subject_request_close(
            request=req,
            actor=request.auth,
            status=payload.status,
            outcome=payload.outcome,
            refused_reason=payload.refused_reason,
        )
    return _out(req)
