"""The public API: intake, tracking and withdrawal by tracking code, without login."""

import pytest

from jangkau.cases.models import Case, Channel, Status
from tests.builders import VALID_NIK, case_in, submit

pytestmark = pytest.mark.django_db


def intake_body(**overrides) -> dict:
    body = {
        "requester_name": "Siti Aminah",
        "id_document_type": "nik",
        "id_document_number": VALID_NIK,
        "phone": "0812-3456-7890",
        "address": "Jl. Kenanga No. 5, Cempaka Putih",
        "area": "Jakarta Pusat",
        "vulnerabilities": ["disability_physical", "elderly"],
        "disability_details": "Pengguna kursi roda",
        "need": "Data mutu sekolah anak saya untuk pendaftaran",
        "service_type": "data-informasi",
        "delivery_mode": "visit",
        "accommodations": ["wheelchair"],
        "consent": True,
    }
    body.update(overrides)
    return body


def post_intake(client, office_code: str, body: dict, **headers):
    return client.post(f"/api/v1/offices/{office_code}/cases", body, content_type="application/json", headers=headers)


def test_intake_creates_a_case_and_answers_201_with_the_receipt(client, world, frozen):
    """A valid request creates one web-channel case and returns its number and private tracking code."""
    response = post_intake(client, world.office.code, intake_body())

    assert response.status_code == 201
    data = response.json()
    case = Case.objects.get()
    assert data["registration_number"] == case.registration_number == "BPMP-DKI-2025-00001"
    assert data["tracking_code"] == case.tracking_code
    assert data["status"] == Status.SUBMITTED
    assert data["status_label"] == "Diajukan"
    assert case.channel == Channel.API
    assert case.phone == "+6281234567890"


def test_the_same_idempotency_key_returns_the_first_case_with_200(client, world, frozen):
    """A retried submission with the same key creates nothing new and answers 200 with the same case."""
    first = post_intake(client, world.office.code, intake_body(), **{"Idempotency-Key": "form-7f3a"})
    second = post_intake(client, world.office.code, intake_body(), **{"Idempotency-Key": "form-7f3a"})

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["registration_number"] == first.json()["registration_number"]
    assert second.json()["tracking_code"] == first.json()["tracking_code"]
    assert Case.objects.count() == 1


def test_a_reused_key_with_other_data_answers_409_without_the_first_case(client, world, frozen):
    first = post_intake(client, world.office.code, intake_body(), **{"Idempotency-Key": "chat-42"})
    other = post_intake(
        client, world.office.code, intake_body(requester_name="Orang Lain"), **{"Idempotency-Key": "chat-42"}
    )

    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    assert first.json()["tracking_code"] not in other.content.decode()
    assert Case.objects.count() == 1


def test_different_idempotency_keys_create_different_cases(client, world, frozen):
    post_intake(client, world.office.code, intake_body(), **{"Idempotency-Key": "a"})
    response = post_intake(client, world.office.code, intake_body(), **{"Idempotency-Key": "b"})

    assert response.status_code == 201
    assert Case.objects.count() == 2


def test_an_invalid_nik_answers_422_naming_the_nik_and_creates_nothing(client, world, frozen):
    """The service's NIK check reaches the integrator as 422 invalid_input with its message."""
    response = post_intake(client, world.office.code, intake_body(id_document_number="9971015203850001"))

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert "NIK" in response.json()["detail"]
    assert Case.objects.count() == 0


def test_a_body_that_fails_the_schema_answers_422_with_field_errors(client, world):
    """Schema validation errors have the same shape as domain errors, plus the per-field list."""
    body = intake_body()
    del body["consent"]

    response = post_intake(client, world.office.code, body)

    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "invalid_input"
    assert "consent" in data["detail"]
    assert any(error["loc"][-1] == "consent" for error in data["errors"])
    assert Case.objects.count() == 0


def test_an_invalid_email_is_refused(client, world):
    response = post_intake(client, world.office.code, intake_body(email="bukan-surel"))

    assert response.status_code == 422
    assert Case.objects.count() == 0


def test_malformed_json_answers_400_in_the_error_shape(client, world):
    response = client.post(f"/api/v1/offices/{world.office.code}/cases", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_an_unknown_office_answers_404(client, db):
    response = post_intake(client, "tidak-ada", intake_body())

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_tracking_shows_progress_and_no_personal_data(client, world, frozen):
    """The requester's view has the status, service and steps, and none of the personal data."""
    case = submit(world)

    response = client.get(f"/api/v1/track/{case.tracking_code}")

    assert response.status_code == 200
    data = response.json()
    assert data["registration_number"] == case.registration_number
    assert data["status"] == "submitted"
    assert data["status_label"] == "Diajukan"
    assert data["service_type"] == world.service.name
    assert [step["no"] for step in data["steps"]] == [1, 2]
    assert data["steps"][0]["done_at"] is not None
    assert data["steps"][1]["done_at"] is None
    assert data["steps"][1]["due_at"] is not None
    body = response.content.decode()
    for secret in (VALID_NIK, "Kenanga", "+6281234567890", "81234567890", "Siti Aminah", "kursi roda"):
        assert secret not in body


def test_tracking_codes_are_compared_without_regard_to_case(client, world, frozen):
    case = submit(world)

    response = client.get(f"/api/v1/track/{case.tracking_code.lower()}")

    assert response.status_code == 200
    assert response.json()["registration_number"] == case.registration_number


def test_an_unknown_tracking_code_answers_404(client, db):
    response = client.get("/api/v1/track/ZZZZZZZZZZ")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_requester_can_withdraw_with_a_reason(client, world, frozen):
    case = submit(world)

    response = client.post(
        f"/api/v1/track/{case.tracking_code}/cancel", {"reason": "Sudah tidak perlu"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Case.objects.get(pk=case.pk).status == Status.CANCELLED


def test_withdrawing_without_a_reason_answers_422(client, world, frozen):
    case = submit(world)

    response = client.post(f"/api/v1/track/{case.tracking_code}/cancel", {}, content_type="application/json")

    assert response.status_code == 422
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_withdrawing_after_delivery_answers_409(client, world, frozen):
    """The table does not let a delivered case be cancelled; the reason reaches the requester."""
    case = case_in(Status.DELIVERED, world)

    response = client.post(
        f"/api/v1/track/{case.tracking_code}/cancel", {"reason": "Berubah pikiran"}, content_type="application/json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert "Layanan diberikan" in response.json()["detail"]


def test_the_catalogue_lists_active_services_in_the_chosen_language(client, world, other_world):
    from jangkau.offices.models import ServiceType

    world.service.name_en = "Education quality data"
    world.service.save()
    ServiceType.objects.create(office=world.office, code="lama", name="Layanan lama", is_active=False)

    response = client.get(f"/api/v1/offices/{world.office.code}/services")
    english = client.get(f"/api/v1/offices/{world.office.code}/services", headers={"Cookie": "django_language=en"})

    assert response.status_code == 200
    assert [item["code"] for item in response.json()] == ["data-informasi"]
    assert response.json()[0]["name"] == "Data dan informasi mutu"
    assert english.json()[0]["name"] == "Education quality data"
    assert client.get("/api/v1/offices/tidak-ada/services").status_code == 404
