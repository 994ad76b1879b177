"""The public API: intake (``POST /requests``), following a request with its tracking code, withdrawal and
the service catalogue, without login."""

import pytest

from jangkau.api.samples import intake_request
from jangkau.cases.models import Case, Channel, Status
from tests.builders import VALID_NIK, case_in, submit

pytestmark = pytest.mark.django_db


def intake_body(**overrides) -> dict:
    body = intake_request(service="data-informasi")
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not ...}


def post_intake(client, body: dict, **headers):
    return client.post("/api/v1/requests", body, content_type="application/json", headers=headers)


def track(client, number: str, code: str):
    return client.get(f"/api/v1/requests/{number}", headers={"X-Tracking-Code": code})


def field_errors(response) -> dict[str, str]:
    return {error["field"]: error["msg"] for error in response.json()["errors"]}


def test_a_valid_request_answers_201_and_lands_in_the_officers_queue(client, world, frozen):
    """The case is created for the default office, step 2 waits for an officer, and the receipt comes back."""
    response = post_intake(client, intake_body())

    assert response.status_code == 201
    data = response.json()
    case = Case.objects.get()
    assert data["registration_number"] == case.registration_number == "JB-2025-000001"
    assert data["tracking_code"] == case.tracking_code
    assert (data["status"], data["status_label"]) == (Status.SUBMITTED, "Diajukan")
    assert data["tracking_url"] == f"http://testserver/lacak/?nomor={case.registration_number}"
    assert case.tracking_code not in data["tracking_url"]
    assert (case.office, case.channel, case.phone) == (world.office, Channel.API, "+6281234567890")
    # The officers see it in their office's list, waiting for step 2 (record and check).
    client.force_login(world.ult)
    [row] = client.get("/api/v1/cases", {"status": "submitted"}).json()["items"]
    assert (row["registration_number"], row["channel"], row["open_step"]) == (case.registration_number, "api", 2)


def test_the_office_field_chooses_another_office(client, world, other_world, frozen):
    response = post_intake(client, intake_body(office=other_world.office.code))

    assert response.status_code == 201
    assert Case.objects.get().office == other_world.office


def test_an_unknown_office_answers_404(client, world):
    response = post_intake(client, intake_body(office="tidak-ada"))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"nik": "9971015203850001"}, "nik"),  # no province 99
        ({"nik": "3171013202850001"}, "nik"),  # day 32: neither a man's nor a woman's (41-71) day
        ({"nik": "3171015213850001"}, "nik"),  # month 13
        ({"nik": "317101520385001"}, "nik"),  # 15 digits
        ({"nik": ...}, "nik"),  # missing for ktp
        ({"id_type": "kk", "nik": ""}, "nik"),
        ({"id_type": "none", "nik": ...}, "no_id_reason"),
        ({"id_type": "sim"}, "id_type"),
        ({"phone": ..., "email": ...}, "phone"),
        ({"email": "bukan-surel"}, "email"),
        ({"vulnerabilities": []}, "vulnerabilities"),
        ({"vulnerabilities": ["elderly", "unicorn"]}, "vulnerabilities"),
        ({"consent": False}, "consent"),
        ({"consent": ...}, "consent"),
        ({"service_type": "tidak-ada"}, "service_type"),
        ({"delivery_mode": "drone"}, "delivery_mode"),
        ({"full_name": 42}, "full_name"),
        ({"full_name": "A" * 201}, "full_name"),
    ],
)
def test_each_invalid_field_answers_422_naming_it(client, world, frozen, overrides, field):
    response = post_intake(client, intake_body(**overrides))

    assert response.status_code == 422, response.content
    assert response.json()["code"] in {"invalid_fields", "invalid_input"}
    assert field in field_errors(response)
    assert Case.objects.count() == 0


def test_a_woman_s_nik_with_forty_added_to_the_day_is_accepted(client, world, frozen):
    response = post_intake(client, intake_body(nik="3171015203850001"))  # day 52 = 12 March, a woman

    assert response.status_code == 201


def test_all_wrong_fields_come_back_at_once(client, world, frozen):
    response = post_intake(client, intake_body(nik="12", phone=..., email=..., vulnerabilities=[], consent=False))

    assert response.status_code == 422
    assert list(field_errors(response)) == ["nik", "phone", "vulnerabilities", "consent"]
    assert [error["loc"] for error in response.json()["errors"]][0] == ["body", "nik"]


def test_errors_are_indonesian_by_default_and_english_on_request(client, world, frozen):
    body = intake_body(nik="9971015203850001", consent="ya")

    indonesian = post_intake(client, body)
    english = post_intake(client, body, **{"Accept-Language": "en-US,en;q=0.9"})

    # "consent": "ya" fails the schema (not a boolean); the service is not reached.
    assert field_errors(indonesian)["consent"] == "Harus true atau false."
    assert field_errors(english)["consent"] == "Must be true or false."
    domain_id = field_errors(post_intake(client, intake_body(nik="9971015203850001")))
    domain_en = field_errors(post_intake(client, intake_body(nik="9971015203850001"), **{"Accept-Language": "en"}))
    assert "provinsi" in domain_id["nik"]
    assert "province" in domain_en["nik"]


def test_the_same_idempotency_key_twice_yields_one_case(client, world, frozen):
    first = post_intake(client, intake_body(), **{"Idempotency-Key": "form-7f3a"})
    second = post_intake(client, intake_body(), **{"Idempotency-Key": "form-7f3a"})

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["registration_number"] == first.json()["registration_number"]
    assert second.json()["tracking_code"] == first.json()["tracking_code"]
    assert Case.objects.count() == 1


def test_a_reused_key_with_other_data_answers_409_without_the_first_case(client, world, frozen):
    first = post_intake(client, intake_body(), **{"Idempotency-Key": "chat-42"})
    other = post_intake(client, intake_body(full_name="Orang Lain"), **{"Idempotency-Key": "chat-42"})

    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    assert first.json()["tracking_code"] not in other.content.decode()
    assert Case.objects.count() == 1


def test_different_idempotency_keys_create_different_cases(client, world, frozen):
    post_intake(client, intake_body(), **{"Idempotency-Key": "a"})
    response = post_intake(client, intake_body(), **{"Idempotency-Key": "b"})

    assert response.status_code == 201
    assert Case.objects.count() == 2


def test_malformed_json_answers_400_in_the_error_shape(client, world):
    response = client.post("/api/v1/requests", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_the_rate_limit_answers_429_per_client_address(client, world, frozen, settings):
    settings.INTAKE_RATE_LIMIT = 2
    bodies = [intake_body(full_name=f"Pemohon {n}") for n in range(3)]

    answers = [post_intake(client, body).status_code for body in bodies]
    elsewhere = client.post("/api/v1/requests", intake_body(), content_type="application/json", REMOTE_ADDR="192.0.2.9")

    assert answers == [201, 201, 429]
    assert elsewhere.status_code == 201
    assert Case.objects.count() == 3


def test_the_rate_limit_window_passes(client, world, frozen, settings):
    from datetime import timedelta

    from jangkau.core import clock

    settings.INTAKE_RATE_LIMIT = 1
    assert post_intake(client, intake_body()).status_code == 201
    assert post_intake(client, intake_body(full_name="Lagi")).status_code == 429
    with clock.frozen_at(clock.now() + timedelta(hours=1)):
        assert post_intake(client, intake_body(full_name="Besok")).status_code == 201


def test_a_rate_limit_of_zero_turns_it_off(client, world, frozen, settings):
    settings.INTAKE_RATE_LIMIT = 0

    answers = {post_intake(client, intake_body(full_name=f"P{n}")).status_code for n in range(5)}

    assert answers == {201}


# --- following a request -----------------------------------------------------------------------------------


def test_tracking_shows_progress_and_no_personal_data(client, world, frozen):
    """The requester's view has the status, service and steps, and none of the personal data."""
    case = submit(world)

    response = track(client, case.registration_number, case.tracking_code)

    assert response.status_code == 200
    data = response.json()
    assert data["registration_number"] == case.registration_number
    assert (data["status"], data["status_label"]) == ("submitted", "Diajukan")
    assert data["service_type"] == world.service.name
    assert [step["no"] for step in data["steps"]] == [1, 2]
    assert data["steps"][0]["done_at"] is not None
    assert data["steps"][1]["done_at"] is None and data["steps"][1]["due_at"] is not None
    body = response.content.decode()
    for secret in (VALID_NIK, "Kenanga", "+6281234567890", "81234567890", "Siti Aminah", "kursi roda"):
        assert secret not in body


def test_codes_and_numbers_are_compared_without_regard_to_case_spaces_or_dashes(client, world, frozen):
    case = submit(world)
    code = case.tracking_code.lower()

    response = track(client, case.registration_number.lower(), f"{code[:4]}-{code[4:8]} {code[8:]}")

    assert response.status_code == 200


def test_a_wrong_code_and_an_unknown_number_answer_the_same_404(client, world, frozen):
    case = submit(world)

    wrong_code = track(client, case.registration_number, "ZZZZZZZZZZ")
    unknown_number = track(client, "JB-2025-999999", case.tracking_code)

    assert wrong_code.status_code == unknown_number.status_code == 404
    assert wrong_code.json() == unknown_number.json()
    assert case.registration_number not in wrong_code.content.decode()


def test_another_case_s_code_does_not_open_a_case(client, world, frozen):
    first, second = submit(world), submit(world)

    assert track(client, first.registration_number, second.tracking_code).status_code == 404


def test_tracking_without_the_code_header_is_refused(client, world, frozen):
    case = submit(world)

    response = client.get(f"/api/v1/requests/{case.registration_number}")

    assert response.status_code == 422
    assert Case.objects.get().tracking_code not in response.content.decode()


def cancel(client, case, body):
    return client.post(
        f"/api/v1/requests/{case.registration_number}/cancel",
        body,
        content_type="application/json",
        headers={"X-Tracking-Code": case.tracking_code},
    )


def test_the_requester_can_withdraw_with_a_reason(client, world, frozen):
    case = submit(world)

    response = cancel(client, case, {"reason": "Sudah tidak perlu"})

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Case.objects.get(pk=case.pk).status == Status.CANCELLED


def test_withdrawing_without_a_reason_answers_422(client, world, frozen):
    case = submit(world)

    response = cancel(client, case, {})

    assert response.status_code == 422
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_withdrawing_with_a_wrong_code_answers_404_and_changes_nothing(client, world, frozen):
    case = submit(world)
    case.tracking_code = "ZZZZZZZZZZ"

    response = cancel(client, case, {"reason": "Iseng"})

    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_withdrawing_after_delivery_answers_409(client, world, frozen):
    """The table does not let a delivered case be cancelled; the reason reaches the requester."""
    case = case_in(Status.DELIVERED, world)

    response = cancel(client, case, {"reason": "Berubah pikiran"})

    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert "Layanan diberikan" in response.json()["detail"]


def test_the_catalogue_lists_active_services_in_the_chosen_language(client, world, other_world):
    from jangkau.offices.models import ServiceType

    world.service.name_en = "Education quality data"
    world.service.save()
    ServiceType.objects.create(office=world.office, code="lama", name="Layanan lama", is_active=False)

    response = client.get(f"/api/v1/offices/{world.office.code}/services")
    english = client.get(f"/api/v1/offices/{world.office.code}/services", headers={"Accept-Language": "en"})

    assert response.status_code == 200
    assert [item["code"] for item in response.json()] == ["data-informasi"]
    assert response.json()[0]["name"] == "Data dan informasi mutu"
    assert english.json()[0]["name"] == "Education quality data"
    assert client.get("/api/v1/offices/tidak-ada/services").status_code == 404


def test_web_and_api_cases_are_one_kind_of_record_in_one_number_sequence(client, world, frozen):
    """A request sent through the web form and one sent through the API become the same Case, numbered from
    the same per-office sequence, with the same steps opened."""
    from tests.portal.test_intake_pages import CHECK, check_key, fill

    fill(client)
    client.post(CHECK, {"idempotency_key": check_key(client)})
    api = post_intake(client, intake_body(full_name="Budi Santoso"))

    web_case, api_case = Case.objects.order_by("pk")
    assert (web_case.channel, api_case.channel) == (Channel.WEB, Channel.API)
    assert (web_case.registration_number, api.json()["registration_number"]) == ("JB-2025-000001", "JB-2025-000002")
    assert type(web_case) is type(api_case)
    for case in (web_case, api_case):
        assert [(s.step_no, s.done_at is not None) for s in case.steps.order_by("step_no")] == [(1, True), (2, False)]


def test_wrong_codes_are_limited_per_address_but_polling_is_not(client, world, frozen, settings):
    """Failed lookups count; once an address reaches the limit even a right code is refused for the hour,
    so guessing cannot go on. Right lookups never count, so integrators may poll."""
    from jangkau.api.public import FAILED_LOOKUP_FACTOR

    settings.INTAKE_RATE_LIMIT = 1
    case = submit(world)
    polls = {track(client, case.registration_number, case.tracking_code).status_code for _ in range(20)}
    guesses = [
        track(client, case.registration_number, f"SALAH{n:05d}").status_code for n in range(FAILED_LOOKUP_FACTOR)
    ]

    after = track(client, case.registration_number, case.tracking_code)
    elsewhere = client.get(
        f"/api/v1/requests/{case.registration_number}",
        headers={"X-Tracking-Code": case.tracking_code},
        REMOTE_ADDR="192.0.2.9",
    )

    assert polls == {200}
    assert guesses == [404] * FAILED_LOOKUP_FACTOR
    assert after.status_code == 429 and after.json()["code"] == "throttled"
    assert case.registration_number not in after.content.decode()
    assert elsewhere.status_code == 200


def test_a_retry_with_its_idempotency_key_is_answered_even_over_the_limit(client, world, frozen, settings):
    settings.INTAKE_RATE_LIMIT = 1
    first = post_intake(client, intake_body(), **{"Idempotency-Key": "k-1"})

    retry = post_intake(client, intake_body(), **{"Idempotency-Key": "k-1"})
    new = post_intake(client, intake_body(full_name="Lain"), **{"Idempotency-Key": "k-2"})

    assert (first.status_code, retry.status_code, new.status_code) == (201, 200, 429)
    assert retry.json()["registration_number"] == first.json()["registration_number"]
