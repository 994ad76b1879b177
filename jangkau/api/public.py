"""Public endpoints for requesters and integrators: the catalogue, intake, and following a case.

No login: the registration number with its tracking code is the requester's proof of being the requester.
The code travels in a header, never in the URL, so it stays out of logs and browser histories.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Router
from ninja.errors import HttpError
from ninja.responses import Status

from jangkau.audit.context import client_ip
from jangkau.cases import services as svc
from jangkau.cases import workflow
from jangkau.cases.models import Case, Channel
from jangkau.cases.selectors import case_for_requester
from jangkau.core.ratelimit import rate_limit_exceeded, rate_limit_reached
from jangkau.offices.models import Office
from jangkau.offices.selectors import active_office_or_404
from jangkau.scheduling.ics import appointment_download
from jangkau.scheduling.selectors import current_appointment

from .errors import with_errors
from .schemas import CancelIn, CatalogueItemOut, IntakeIn, IntakeOut, MissingDataIn, RescheduleRequestIn, TrackOut

router = Router(tags=["requester"])

IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    max_length=80,
    description="A key the client chooses per request; repeating it returns the first case (200) instead "
    "of creating another.",
)
TRACKING_CODE = Header(
    ..., alias="X-Tracking-Code", max_length=40, description="The private tracking code given at submission."
)


def office_or_404(code: str) -> Office:
    return active_office_or_404(code)


def submit_intake(
    *, office: Office, payload: IntakeIn, channel: str, actor, idempotency_key: str | None
) -> Status[Case]:
    """Submits the request and returns it with 201, or the earlier case with 200 for a repeated key."""
    data = payload.model_dump(exclude={"channel", "office"})
    case, created = svc.case_submit_once(
        office=office, data=data, channel=channel, actor=actor, idempotency_key=idempotency_key
    )
    return Status(201 if created else 200, case)


@router.get(
    "/offices/{code}/services",
    response=with_errors({200: list[CatalogueItemOut]}, 404, 422),
    operation_id="service_catalogue",
    summary="The office's service catalogue",
)
def service_catalogue(request: HttpRequest, code: str):
    """Returns the office's active services, the codes intake's ``service_type`` takes; 404 for an unknown
    or inactive office."""
    return office_or_404(code).service_types.filter(is_active=True).order_by("name")


@router.post(
    "/requests",
    response=with_errors({201: IntakeOut, 200: IntakeOut}, 400, 404, 409, 422, 429),
    operation_id="request_submit",
    summary="Submit a request for outreach service",
)
def request_submit(request: HttpRequest, payload: IntakeIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    """Creates a case from the API channel (chatbots, call-centre tools) and returns its registration
    number, its private tracking code and the page where the requester can follow it.

    Returns 201 for a new case; 200 with the first case when ``Idempotency-Key`` repeats with the same data;
    409 when the key was used for other data; 404 for an unknown office; 422 with an error per field
    (``errors[].field``) in the request's language; 429 when this address sent more than
    ``INTAKE_RATE_LIMIT`` requests in the hour.
    """
    office = active_office_or_404(payload.office)
    # A retry of a request already made is answered with its case, never refused: it creates nothing.
    retry = bool(idempotency_key) and Case.objects.filter(office=office, idempotency_key=idempotency_key).exists()
    limit = settings.INTAKE_RATE_LIMIT
    if not retry and rate_limit_exceeded(scope="intake", client=client_ip(request.META), limit=limit):
        raise HttpError(429, _("Terlalu banyak permohonan dari alamat ini dalam satu jam. Coba lagi nanti."))
    return submit_intake(
        office=office, payload=payload, channel=Channel.API, actor=workflow.REQUESTER, idempotency_key=idempotency_key
    )


# Wrong number-and-code pairs one address may send in an hour before every lookup from it is refused.
# Only failures count, so an integrator polling its users' requests is never throttled; the check comes
# before the lookup, so an address over the limit cannot keep guessing and learn from a success.
FAILED_LOOKUP_FACTOR = 5


def requester_case_or_404(request: HttpRequest, registration_number: str, tracking_code: str) -> Case:
    """Returns the case the number and code open together; Http404 for either being wrong, alike.

    Raises HttpError 429 once the client's failed lookups reach the hour's limit.
    """
    client = client_ip(request.META)
    limit = settings.INTAKE_RATE_LIMIT * FAILED_LOOKUP_FACTOR
    if rate_limit_reached(scope="api-lookup-failure", client=client, limit=limit):
        raise HttpError(429, _("Terlalu banyak percobaan yang salah dari alamat ini. Coba lagi dalam satu jam."))
    case = case_for_requester(registration_number, tracking_code)
    if case is None:
        rate_limit_exceeded(scope="api-lookup-failure", client=client, limit=limit)
        raise Http404(_("Nomor registrasi atau kode lacak tidak cocok."))
    return case


def _requester_acts(request: HttpRequest, registration_number: str, tracking_code: str, act) -> Case:
    """Runs ``act`` on the case the number and code open, and returns the case as it now stands."""
    act(requester_case_or_404(request, registration_number, tracking_code))
    return requester_case_or_404(request, registration_number, tracking_code)


@router.get(
    "/requests/{registration_number}",
    response=with_errors({200: TrackOut}, 404, 422, 429),
    operation_id="request_track",
    summary="Follow a request",
)
def request_track(request: HttpRequest, registration_number: str, tracking_code: str = TRACKING_CODE):
    """Returns the case's status and steps as the requester sees them, without personal data. 404 alike for
    an unknown number and a wrong code, so the answer never tells whether a number exists."""
    return requester_case_or_404(request, registration_number, tracking_code)


CALENDAR_FILE = {
    "responses": {
        200: {
            "description": "The agreed appointment as an iCalendar file.",
            "content": {"text/calendar": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def calendar_response(case: Case, request: HttpRequest, *, for_requester: bool) -> HttpResponse:
    """Returns the case's current appointment as a calendar file; Http404 when it has none."""
    appointment = current_appointment(case)
    if appointment is None:
        raise Http404(_("Belum ada jadwal layanan yang disepakati."))
    return appointment_download(appointment, request, for_requester=for_requester)


@router.get(
    "/requests/{registration_number}/appointment.ics",
    response=with_errors({200: None}, 404, 422, 429),
    operation_id="request_appointment_ics",
    summary="The agreed appointment as a calendar file",
    openapi_extra=CALENDAR_FILE,
)
def request_appointment_ics(request: HttpRequest, registration_number: str, tracking_code: str = TRACKING_CODE):
    """Returns the appointment for the requester's calendar (office, service, mode, place; free of charge);
    404 when there is none, alike for an unknown number and a wrong code."""
    case = requester_case_or_404(request, registration_number, tracking_code)
    return calendar_response(case, request, for_requester=True)


@router.post(
    "/requests/{registration_number}/cancel",
    response=with_errors({200: TrackOut}, 400, 404, 409, 422, 429),
    operation_id="request_cancel",
    summary="Withdraw a request",
)
def request_cancel(
    request: HttpRequest, registration_number: str, payload: CancelIn, tracking_code: str = TRACKING_CODE
):
    """Cancels the case at the requester's wish and returns its new progress.

    409 once the service has been delivered (or the case has ended); 422 without a reason.
    """
    return _requester_acts(
        request,
        registration_number,
        tracking_code,
        lambda case: svc.case_cancel(case=case, actor=workflow.REQUESTER, reason=payload.reason),
    )


@router.post(
    "/requests/{registration_number}/missing-data",
    response=with_errors({200: TrackOut}, 400, 404, 409, 422, 429),
    operation_id="request_send_missing_data",
    summary="Send the data an officer asked for",
)
def request_send_missing_data(
    request: HttpRequest, registration_number: str, payload: MissingDataIn, tracking_code: str = TRACKING_CODE
):
    """Records the data the officer asked for and returns the case's new progress (back to `submitted`,
    the officer's check resumes).

    409 unless the case's status is `awaiting_info`; 422 for an empty or overlong text or one with control
    characters (``errors[].field`` is `text`).
    """
    return _requester_acts(
        request,
        registration_number,
        tracking_code,
        lambda case: svc.case_send_missing_data(case=case, actor=workflow.REQUESTER, text=payload.text),
    )


@router.post(
    "/requests/{registration_number}/reschedule-request",
    response=with_errors({200: TrackOut}, 400, 404, 409, 422, 429),
    operation_id="request_ask_reschedule",
    summary="Ask for another appointment",
)
def request_ask_reschedule(
    request: HttpRequest, registration_number: str, payload: RescheduleRequestIn, tracking_code: str = TRACKING_CODE
):
    """Passes the requester's wish to move the agreed appointment to the officers, who agree a new one.
    The appointment and the status stay as they are until then.

    409 unless the case's status is `scheduled`; 422 without a reason (``errors[].field`` names the field).
    """
    return _requester_acts(
        request,
        registration_number,
        tracking_code,
        lambda case: svc.case_request_reschedule(
            case=case, actor=workflow.REQUESTER, reason=payload.reason, preferred_times=payload.preferred_times
        ),
    )
