"""The case dossier (issue 6 items 4 and 7) for staff integrations: the same archive PDF the back office
hands out (``cases.dossier``), masked by default; each download is recorded as ``case.dossier_exported``.

Every staff role of the case's office may download the masked dossier, as every role may read the case and
the recap. The unmasked dossier is the personal-data view in another form: POST with the purpose, like
``POST /cases/{n}/personal-data``, recorded the same way. A number that exists only in another office answers
403, one that exists nowhere 404 (``staff.case_of_office``).

Registered before the staff router so that its paths are matched first.
"""

from django.http import HttpRequest
from ninja import Router

from jangkau.cases.dossier import CONTENT_TYPE, dossier_export
from jangkau.core.downloads import attachment_response

from .auth import staff_auth
from .errors import with_errors
from .schemas import PersonalDataIn
from .staff import STAFF_ERRORS, case_of_office

router = Router(tags=["staff"], auth=staff_auth)


def _pdf(description: str) -> dict:
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"description": description, "content": {CONTENT_TYPE: binary}}}}


@router.get(
    "/cases/{registration_number}/dossier.pdf",
    response=with_errors({200: None}, *STAFF_ERRORS, 404, 422),
    operation_id="case_dossier",
    summary="The case dossier for the archive, identifiers masked (the download is audited)",
    openapi_extra=_pdf("The dossier (application/pdf), identifiers masked."),
)
def case_dossier(request: HttpRequest, registration_number: str):
    """Returns the case's whole history as an A4 PDF: the request, each step's times, actors, output and POS
    standard, contact attempts, appointments, delivery, documents (names only), survey, breaches, holders and
    assignment letters, the closing evaluation, and the case's audit events with the result of verifying
    the whole audit chain. The NIK, phone and e-mail are masked; address and disability details left out.
    Every staff role of the office may download it; each download is recorded in the audit trail."""
    case = case_of_office(request, registration_number, detail=False)
    export = dossier_export(case=case, actor=request.auth)
    return attachment_response(export.content, export.content_type, export.filename)


@router.post(
    "/cases/{registration_number}/dossier.pdf",
    response=with_errors({200: None}, 400, *STAFF_ERRORS, 404, 410, 422),
    operation_id="case_dossier_unmasked",
    summary="The case dossier without masking, for a stated purpose (logged as a personal-data view)",
    openapi_extra=_pdf("The dossier (application/pdf) with the requester's personal data in full."),
)
def case_dossier_unmasked(request: HttpRequest, registration_number: str, payload: PersonalDataIn):
    """The same dossier with the identity number, contact details, address and disability details in full.
    POST, because every such download leaves a record: a personal-data view with the purpose, and the
    export. 422 (``errors[].field`` `purpose`) without a purpose; 410 once the case's personal data was
    anonymised (the masked dossier stays available)."""
    case = case_of_office(request, registration_number, detail=False)
    export = dossier_export(case=case, actor=request.auth, unmasked=True, purpose=payload.purpose)
    return attachment_response(export.content, export.content_type, export.filename)
