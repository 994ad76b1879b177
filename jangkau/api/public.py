"""Public endpoints for requesters and integrators: intake, and following a case by its tracking code.

No login: the tracking code is the requester's proof of being the requester.
"""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Router
from ninja.responses import Status

from jangkau.cases import services as svc
from jangkau.cases import workflow
from jangkau.cases.models import Case, Channel
from jangkau.offices.models import Office

from .errors import with_errors
from .schemas import CancelIn, CatalogueItemOut, IntakeIn, IntakeOut, TrackOut

router = Router(tags=["requester"])

IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    max_length=80,
    description="A key the client chooses per request; repeating it returns the first case (200) instead "
    "of creating another.",
)


def office_or_404(code: str) -> Office:
    """Returns the active office with ``code``. Raises Http404 otherwise."""
    office = Office.objects.filter(code__iexact=code.strip(), is_active=True).first()
    if office is None:
        raise Http404(_("Kantor tidak ditemukan."))
    return office


def submit_intake(
    *, office: Office, payload: IntakeIn, channel: str, actor, idempotency_key: str | None
) -> Status[Case]:
    """Submits the request and returns it with 201, or the earlier case with 200 for a repeated key."""
    data = payload.model_dump(exclude={"channel"})
    case, created = svc.case_submit_once(
        office=office, data=data, channel=channel, actor=actor, idempotency_key=idempotency_key
    )
    return Status(201 if created else 200, case)


@router.get(
    "/offices/{code}/services",
    response=with_errors({200: list[CatalogueItemOut]}, 404),
    operation_id="service_catalogue",
    summary="The office's service catalogue",
)
def service_catalogue(request: HttpRequest, code: str):
    """Returns the office's active services, the codes intake's ``service_type`` takes; 404 for an unknown
    or inactive office."""
    return office_or_404(code).service_types.filter(is_active=True).order_by("name")


@router.post(
    "/offices/{code}/cases",
    response=with_errors({201: IntakeOut, 200: IntakeOut}, 400, 404, 409, 422),
    operation_id="intake_submit",
    summary="Submit a request for outreach service",
)
def intake_submit(request: HttpRequest, code: str, payload: IntakeIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    """Creates a case from the API channel (chatbots, call-centre tools) and returns its registration
    number and private tracking code.

    Returns 201 for a new case, 200 with the first case when ``Idempotency-Key`` repeats, 404 for an
    unknown office, 422 when the service refuses the data (NIK structure, phone, consent, ...).
    """
    office = office_or_404(code)
    return submit_intake(
        office=office,
        payload=payload,
        channel=Channel.API,
        actor=workflow.REQUESTER,
        idempotency_key=idempotency_key,
    )


def case_by_tracking_code(tracking_code: str) -> Case:
    """Returns the case with ``tracking_code``, ignoring case and the spaces or dashes people type.

    Raises Http404 for an unknown code.
    """
    normalised = "".join(tracking_code.split()).replace("-", "").upper()
    case = (
        Case.objects.select_related("service_type")
        .prefetch_related("steps", "appointments")
        .filter(tracking_code=normalised)
        .first()
    )
    if case is None:
        raise Http404(_("Kode lacak tidak ditemukan."))
    return case


@router.get(
    "/track/{tracking_code}",
    response=with_errors({200: TrackOut}, 404),
    operation_id="track_case",
    summary="Follow a case by its tracking code",
)
def track_case(request: HttpRequest, tracking_code: str):
    """Returns the case's status and steps as the requester sees them, without personal data. 404 for an
    unknown code."""
    return case_by_tracking_code(tracking_code)


@router.post(
    "/track/{tracking_code}/cancel",
    response=with_errors({200: TrackOut}, 400, 404, 409, 422),
    operation_id="track_cancel",
    summary="Withdraw a request",
)
def track_cancel(request: HttpRequest, tracking_code: str, payload: CancelIn):
    """Cancels the case at the requester's wish and returns its new progress.

    409 once the service has been delivered (or the case has ended); 422 without a reason.
    """
    case = case_by_tracking_code(tracking_code)
    svc.case_cancel(case=case, actor=workflow.REQUESTER, reason=payload.reason)
    return case_by_tracking_code(tracking_code)
