"""The requester's messages through the public API: the data an officer asked for, and a request for
another appointment, each opened by the registration number with the tracking code in a header."""

import pytest

from jangkau.audit.models import AuditEvent
from jangkau.cases.models import RequesterMessage, Status
from tests.builders import case_in

pytestmark = pytest.mark.django_db

MISSING_DATA = "missing-data"
RESCHEDULE = "reschedule-request"


def post(client, case, endpoint: str, body: dict, code: str | None = None, number: str | None = None):
    return client.post(
        f"/api/v1/requests/{number or case.registration_number}/{endpoint}",
        body,
        content_type="application/json",
        headers={"X-Tracking-Code": case.tracking_code if code is None else code},
    )


def test_missing_data_answers_the_new_progress(client, world, frozen):
    """The case goes back to "submitted" and the answer is the requester's view of it, without the text."""
    case = case_in(Status.AWAITING_INFO, world)

    response = post(client, case, MISSING_DATA, {"text": "Foto KTP saya kirim lewat petugas kelurahan"})

    assert response.status_code == 200
    data = response.json()
    assert (data["registration_number"], data["status"]) == (case.registration_number, Status.SUBMITTED)
    assert "kelurahan" not in response.content.decode()
    assert RequesterMessage.objects.get(case=case).body == "Foto KTP saya kirim lewat petugas kelurahan"


def test_the_tracking_code_may_be_typed_loosely(client, world, frozen):
    """Lower case, spaces and dashes in the code are ignored, as on the web page."""
    case = case_in(Status.AWAITING_INFO, world)
    loose = f"{case.tracking_code[:4].lower()}-{case.tracking_code[4:8]} {case.tracking_code[8:]}"

    response = post(client, case, MISSING_DATA, {"text": "Terlampir"}, code=loose)

    assert response.status_code == 200


def test_missing_data_for_a_case_that_does_not_await_it_answers_409(client, world, frozen):
    case = case_in(Status.SUBMITTED, world)

    response = post(client, case, MISSING_DATA, {"text": "Terlampir"})

    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert not RequesterMessage.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({}, id="absent"),
        pytest.param({"text": "  "}, id="blank"),
        pytest.param({"text": "x" * 2001}, id="overlong"),
        pytest.param({"text": "halo\x07dunia"}, id="control-character"),
    ],
)
def test_bad_missing_data_answers_422_naming_the_field(client, world, frozen, body):
    case = case_in(Status.AWAITING_INFO, world)
    events_before = AuditEvent.objects.count()

    response = post(client, case, MISSING_DATA, body)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["text"]
    assert not RequesterMessage.objects.exists()
    assert AuditEvent.objects.count() == events_before


def test_a_reschedule_request_keeps_the_appointment(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)
    before = case.appointments.get()

    response = post(client, case, RESCHEDULE, {"reason": "Saya dirawat", "preferred_times": "Kamis pagi"})

    assert response.status_code == 200
    data = response.json()
    assert data["status"] == Status.SCHEDULED
    assert data["appointment"]["starts_at"].startswith(before.starts_at.date().isoformat())
    message = RequesterMessage.objects.get(case=case)
    assert (message.kind, message.preferred_times) == (RequesterMessage.Kind.RESCHEDULE_REQUEST, "Kamis pagi")


def test_a_reschedule_request_before_a_schedule_answers_409(client, world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)

    response = post(client, case, RESCHEDULE, {"reason": "Saya dirawat"})

    assert response.status_code == 409


def test_a_reschedule_request_without_a_reason_answers_422(client, world, frozen):
    case = case_in(Status.SCHEDULED, world)

    response = post(client, case, RESCHEDULE, {"preferred_times": "Kamis"})

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["reason"]


@pytest.mark.parametrize("endpoint", [MISSING_DATA, RESCHEDULE])
def test_a_wrong_code_and_an_unknown_number_answer_the_same_404(client, world, frozen, endpoint):
    """Neither answer tells whether the number exists, and nothing is recorded."""
    case = case_in(Status.SCHEDULED if endpoint == RESCHEDULE else Status.AWAITING_INFO, world)
    body = {"text": "Terlampir", "reason": "Sakit"}

    wrong_code = post(client, case, endpoint, body, code="ABCDEFGHJK")
    unknown = post(client, case, endpoint, body, number="JB-2025-999999")

    assert wrong_code.status_code == unknown.status_code == 404
    assert wrong_code.json() == unknown.json()
    assert not RequesterMessage.objects.exists()


def test_the_code_of_one_case_does_not_open_another(client, world, frozen):
    mine = case_in(Status.AWAITING_INFO, world)
    theirs = case_in(Status.AWAITING_INFO, world)

    response = post(client, mine, MISSING_DATA, {"text": "Terlampir"}, number=theirs.registration_number)

    assert response.status_code == 404
    assert not RequesterMessage.objects.exists()


def test_the_tracking_code_header_is_required(client, world, frozen):
    case = case_in(Status.AWAITING_INFO, world)

    response = client.post(
        f"/api/v1/requests/{case.registration_number}/{MISSING_DATA}", {"text": "x"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert not RequesterMessage.objects.exists()
