"""Staff draft uploads: a result file (PPID, POS step 3) or a proof of delivery (POS step 5) is uploaded
first and named by its token in the action that attaches it (``record_result``'s ``document_tokens``,
``deliver``'s ``proof_token``), as the web forms do.

Its own router, added before the staff router: ``/cases/documents`` must be matched before
``/cases/{registration_number}`` takes "documents" for a registration number.
"""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from jangkau.cases.documents import DRAFT_LIFETIME, document_store_upload

from .auth import staff_auth
from .errors import with_errors

router = Router(tags=["staff"], auth=staff_auth)

DraftKind = Literal["result", "delivery_proof"]
KIND_FIELD = Form(
    ...,
    description="`result`: PPID's result (PDF, JPG, PNG, XLSX or CSV); `delivery_proof`: a signed receipt or a "
    "photo (PDF, JPG or PNG).",
)
FILE_FIELD = File(..., description="At most 5 MB; checked by its content, not its name.")


class DraftOut(Schema):
    """An uploaded file not yet attached to a case; name it by ``token`` in the action that attaches it
    before ``expires_at``."""

    token: str
    kind: str
    filename: str
    size: int
    content_type: str
    expires_at: datetime

    @staticmethod
    def resolve_token(obj) -> str:
        return obj.draft_token

    @staticmethod
    def resolve_expires_at(obj) -> datetime:
        return obj.uploaded_at + DRAFT_LIFETIME


@router.post(
    "/cases/documents",
    response=with_errors({201: DraftOut}, 400, 401, 403, 422),
    operation_id="case_document_upload",
    summary="Upload a result file or a delivery proof, before the action that attaches it",
)
def case_document_upload(
    request: HttpRequest,
    kind: DraftKind = KIND_FIELD,
    file: UploadedFile = FILE_FIELD,
):
    """Checks and stores the file (encrypted) and returns its token: pass it as ``document_tokens`` of
    ``record_result`` or ``proof_token`` of ``deliver``. Drafts never attached are deleted after a day.

    422 with ``errors[].field`` `file` for an empty, oversized or unacceptable file, `kind` for an unknown kind.
    """
    document = document_store_upload(kind=kind, field="file", upload=file)
    return Status(201, document)
