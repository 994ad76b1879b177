"""Absences and assignment letters (surat penugasan) for staff integrations.

The head records an officer's absence: the officer's open cases move to the delegate and a numbered letter
lists them (``scheduling.absences.absence_record``); the head downloads the letter, has it signed and
uploads the scan. The head and the administrator see every absence of the office; other staff see those
that concern them (as the absent officer or the delegate), as in the back office.
"""

from datetime import date, datetime

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from jangkau.accounts.models import Role, User
from jangkau.cases.documents import read_upload
from jangkau.scheduling.absences import absence_record, letter_attach_signed_scan
from jangkau.scheduling.letters import assignment_letter_pdf
from jangkau.scheduling.models import Absence, AssignmentLetter

from .actions import _colleague
from .auth import staff_auth
from .errors import with_errors
from .inputs import BodySchema, Id, IsoDate

router = Router(tags=["staff"], auth=staff_auth)

SUPERVISORS = {Role.HEAD, Role.ADMIN}
STAFF_ERRORS = (401, 403)
SCAN_FILE = File(..., description="PDF, JPG or PNG, at most 5 MB, checked by its content.")


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


class LetterOut(Schema):
    """A numbered assignment letter; ``signed_at`` is set once the signed scan is uploaded."""

    id: int
    number: str
    issued_on: date
    from_officer: str
    to_officer: str
    signer: str
    reason: str
    cases: list[str] = Field(description="Registration numbers of the cases the letter moved.")
    signed_at: datetime | None
    pdf_url: str = Field(description="Where to download the letter to print and sign.")

    @staticmethod
    def resolve_from_officer(obj: AssignmentLetter) -> str:
        return obj.from_officer.get_username()

    @staticmethod
    def resolve_to_officer(obj: AssignmentLetter) -> str:
        return obj.to_officer.get_username()

    @staticmethod
    def resolve_signer(obj: AssignmentLetter) -> str:
        return obj.signer.get_username()

    @staticmethod
    def resolve_cases(obj: AssignmentLetter) -> list[str]:
        return sorted(case.registration_number for case in obj.cases.all())

    @staticmethod
    def resolve_pdf_url(obj: AssignmentLetter, context) -> str:
        return context["request"].build_absolute_uri(f"/api/v1/letters/{obj.pk}.pdf")


class AbsenceOut(Schema):
    id: int
    officer: str
    kind: str = Field(json_schema_extra={"enum": list(Absence.Kind.values)})
    kind_label: str
    starts_on: date
    ends_on: date
    delegate: str
    reason: str
    recorded_by: str
    recorded_at: datetime
    letter: LetterOut | None

    @staticmethod
    def resolve_officer(obj: Absence) -> str:
        return obj.officer.get_username()

    @staticmethod
    def resolve_kind_label(obj: Absence) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_delegate(obj: Absence) -> str:
        return obj.delegate.get_username()

    @staticmethod
    def resolve_recorded_by(obj: Absence) -> str:
        return obj.recorded_by.get_username()

    @staticmethod
    def resolve_letter(obj: Absence):
        return getattr(obj, "letter", None)


class AbsenceIn(BodySchema):
    """What the head writes on the assignment letter. The service checks every field and names each wrong one."""

    officer: str | None = Field(None, max_length=150, description="Username of the absent ULT officer.")
    kind: str | None = Field(None, max_length=20, json_schema_extra={"enum": list(Absence.Kind.values)})
    starts_on: IsoDate | None = Field(None, description="First day away, YYYY-MM-DD.")
    ends_on: IsoDate | None = Field(None, description="Last day away, YYYY-MM-DD.")
    delegate: str | None = Field(
        None, max_length=150, description="Username of the active ULT officer who takes over the open cases."
    )
    reason: str | None = Field(None, description="Written on the letter; at most 2000 characters.")


def _absences(user: User):
    absences = (
        Absence.objects.filter(office_id=user.office_id)
        .select_related(
            "officer",
            "delegate",
            "recorded_by",
            "letter__from_officer",
            "letter__to_officer",
            "letter__signer",
        )
        .prefetch_related("letter__cases")
    )
    if user.role not in SUPERVISORS:
        absences = absences.filter(Q(officer=user) | Q(delegate=user))
    return absences


def _letters(user: User):
    letters = AssignmentLetter.objects.filter(office_id=user.office_id).select_related(
        "office", "absence", "from_officer", "to_officer", "signer"
    )
    if user.role not in SUPERVISORS:
        letters = letters.filter(Q(from_officer=user) | Q(to_officer=user))
    return letters


def _letter_or_404(queryset, letter_id: int) -> AssignmentLetter:
    letter = queryset.filter(pk=letter_id).first()
    if letter is None:
        raise Http404(_("Surat penugasan tidak ditemukan."))
    return letter


@router.get(
    "/absences",
    response=with_errors({200: list[AbsenceOut]}, *STAFF_ERRORS),
    operation_id="absence_list",
    summary="The office's absences and their assignment letters",
)
def absence_list(request: HttpRequest):
    """Returns the absences, latest first, each with its letter. The head and the administrator see the whole
    office; others see those where they are the absent officer or the delegate."""
    return list(_absences(request.auth))


@router.post(
    "/absences",
    response=with_errors({201: AbsenceOut}, 400, *STAFF_ERRORS, 422),
    operation_id="absence_record",
    summary="Record an absence: the open cases move and a numbered letter is issued",
)
def absence_create(request: HttpRequest, payload: AbsenceIn):
    """Records the absence, moves every open case the officer holds to the delegate (each move is a
    reassignment in the case's history) and issues the numbered assignment letter that lists them.

    403 unless the user is the office's head; 422 naming each wrong field (``officer``, ``kind``, ``starts_on``,
    ``ends_on``, ``delegate``, ``reason``); nothing is recorded then.
    """
    actor = request.auth
    absence, _letter = absence_record(
        office=actor.office,
        officer=_colleague(actor, payload.officer),
        kind=payload.kind or "",
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        delegate=_colleague(actor, payload.delegate),
        reason=payload.reason or "",
        actor=actor,
    )
    return Status(201, _absences(actor).get(pk=absence.pk))


@router.get(
    "/letters/{letter_id}.pdf",
    response=with_errors({200: None}, *STAFF_ERRORS, 404, 422),
    operation_id="letter_pdf",
    summary="The assignment letter as a PDF to print and sign",
    openapi_extra={
        "responses": {
            200: {
                "description": "The letter (application/pdf).",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def letter_pdf(request: HttpRequest, letter_id: Id):
    """Returns the numbered letter: from whom, to whom, which cases, why, the head as signer. 404 for a letter
    the user may not see (another office's, or one that does not concern a non-supervisor)."""
    letter = _letter_or_404(_letters(request.auth), letter_id)
    response = HttpResponse(assignment_letter_pdf(letter), content_type="application/pdf")
    filename = "surat-penugasan-" + letter.number.replace("/", "-") + ".pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@router.post(
    "/letters/{letter_id}/signed-scan",
    response=with_errors({200: LetterOut}, 400, *STAFF_ERRORS, 404, 422),
    operation_id="letter_signed_scan",
    summary="Upload the scan of the signed letter",
)
def letter_signed_scan(
    request: HttpRequest,
    letter_id: Id,
    signed_scan: UploadedFile = SCAN_FILE,
):
    """Stores the scan and marks the letter signed; a later scan replaces an earlier one (both audited).

    403 unless the user is the office's head; 404 for another office's letter; 422 (``errors[].field``
    `signed_scan`) for an empty, oversized or unacceptable file.
    """
    letter = _letter_or_404(AssignmentLetter.objects.filter(office_id=request.auth.office_id), letter_id)
    letter_attach_signed_scan(
        letter=letter, filename=signed_scan.name, content=read_upload(signed_scan), actor=request.auth
    )
    return _letters(request.auth).prefetch_related("cases").get(pk=letter.pk)
