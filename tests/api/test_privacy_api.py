"""The staff API for data-subject requests: search (masked), record, list with deadlines, export JSON,
correct, erase, answer; the same rules as the back office, with 403/404/409/422 where they refuse."""

from datetime import timedelta

import pytest

from jangkau.accounts.tokens import api_token_issue
from jangkau.audit.models import AuditEvent
from jangkau.cases.models import Status
from jangkau.core import clock
from jangkau.privacy.models import DataSubjectRequest
from tests.builders import VALID_NIK, case_in, reload, submit

pytestmark = pytest.mark.django_db

OTHER_NIK = "3171014505900002"


def bearer(user) -> dict:
    _token, secret = api_token_issue(user=user, name="uji")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client, user, path, body):
    return client.post(f"/api/v1{path}", body, content_type="application/json", **bearer(user))


def get(client, user, path):
    return client.get(f"/api/v1{path}", **bearer(user))


def field_errors(response) -> dict[str, str]:
    return {error["field"]: error["msg"] for error in response.json()["errors"]}


@pytest.fixture
def cases(world, frozen):
    siti = [case_in(Status.REJECTED, world), case_in(Status.CANCELLED, world, phone="0812-3456-7891")]
    budi = submit(world, full_name="Budi Santoso", nik=OTHER_NIK, phone="0857-1111-2222")
    return {"siti": siti, "budi": budi}


def body(**overrides) -> dict:
    data = {
        "kind": "access",
        "channel": "email",
        "requester_name": "Siti Aminah",
        "identity_check": "Foto KTP dan swafoto dicocokkan",
        "nik": VALID_NIK,
    }
    data.update(overrides)
    return data


def test_search_finds_the_person_masked(client, world, cases):
    response = post(client, world.ppid, "/privacy/search", {"nik": VALID_NIK, "phone": "0857 1111 2222"})
    assert response.status_code == 200
    found = response.json()
    assert [row["registration_number"] for row in found] == [
        *(case.registration_number for case in cases["siti"]),
        cases["budi"].registration_number,
    ]
    assert found[0]["id_number"] == "3171********0001" and found[0]["phone"] == "+62812****7890"
    assert VALID_NIK not in response.content.decode()


def test_a_bad_search_answers_422_naming_the_field(client, world, cases):
    response = post(client, world.ppid, "/privacy/search", {"nik": "123"})
    assert response.status_code == 422 and set(field_errors(response)) == {"nik"}
    response = post(client, world.ppid, "/privacy/search", {})
    assert response.status_code == 422


def test_a_request_is_recorded_listed_exported_and_answered(client, world, cases):
    received = (clock.now() - timedelta(hours=1)).isoformat()
    response = post(client, world.ppid, "/privacy/requests", body(received_at=received))
    assert response.status_code == 201
    created = response.json()
    assert created["cases"] == [case.registration_number for case in cases["siti"]]
    assert created["criteria"] == {"by": ["nik"], "nik": "3171********0001"}
    assert created["overdue"] is False and created["response_minutes"] is None
    number = created["number"]

    listed = get(client, world.head, "/privacy/requests").json()
    assert [item["number"] for item in listed] == [number]

    response = get(client, world.ppid, f"/privacy/requests/{number}/export.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert [case["registration_number"] for case in data["cases"]] == created["cases"]
    assert "Budi" not in response.content.decode()
    assert AuditEvent.objects.filter(action="privacy.exported").count() == 1

    response = post(client, world.ppid, f"/privacy/requests/{number}/close", {"status": "done", "outcome": "Dikirim"})
    assert response.status_code == 200
    assert response.json()["status"] == "done" and response.json()["response_minutes"] == 60


def test_the_cases_chosen_must_be_among_those_found(client, world, other_world, cases):
    response = post(client, world.ppid, "/privacy/requests", body(cases=[cases["budi"].registration_number]))
    assert response.status_code == 422 and "cases" in field_errors(response)
    response = post(client, world.ppid, "/privacy/requests", body(cases=["JB-2099-999999"]))
    assert response.status_code == 422
    assert not DataSubjectRequest.objects.exists()


def test_wrong_fields_answer_422(client, world, cases):
    response = post(client, world.ppid, "/privacy/requests", body(requester_name="", kind="forget_me"))
    assert response.status_code == 422
    response = post(client, world.ppid, "/privacy/requests", body(requester_name=" ", identity_check=""))
    assert response.status_code == 422
    assert set(field_errors(response)) == {"requester_name", "identity_check"}


def test_only_ppid_and_the_head_and_only_their_office(client, world, other_world, cases):
    for user in (world.ult, world.admin):
        assert post(client, user, "/privacy/requests", body()).status_code == 403
        assert get(client, user, "/privacy/requests").status_code == 403
    number = post(client, world.ppid, "/privacy/requests", body()).json()["number"]
    assert get(client, other_world.ppid, f"/privacy/requests/{number}").status_code == 404
    assert get(client, other_world.ppid, f"/privacy/requests/{number}/export.json").status_code == 404
    assert post(client, other_world.ppid, "/privacy/search", {"nik": VALID_NIK}).json() == []
    assert client.get("/api/v1/privacy/requests").status_code == 401


def test_erase_anonymises_the_person_s_cases_only(client, world, cases):
    number = post(client, world.head, "/privacy/requests", body(kind="erasure")).json()["number"]
    response = post(client, world.head, f"/privacy/requests/{number}/erase", {})
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert all(reload(case).anonymised_at for case in cases["siti"])
    assert reload(cases["budi"]).anonymised_at is None
    assert post(client, world.head, f"/privacy/requests/{number}/erase", {}).status_code == 409


def test_erasure_of_a_running_case_answers_409(client, world, cases):
    submit(world)  # Siti's new, running request
    number = post(client, world.head, "/privacy/requests", body(kind="erasure")).json()["number"]
    response = post(client, world.head, f"/privacy/requests/{number}/erase", {})
    assert response.status_code == 409 and response.json()["code"] == "case_open"


def test_correct_validates_and_recomputes(client, world, cases):
    number = post(client, world.ppid, "/privacy/requests", body(kind="correction")).json()["number"]
    response = post(client, world.ppid, f"/privacy/requests/{number}/correct", {"changes": {"id_number": "99"}})
    assert response.status_code == 422 and set(field_errors(response)) == {"id_number"}
    response = post(client, world.ppid, f"/privacy/requests/{number}/correct", {"changes": {"email": "siti@contoh.id"}})
    assert response.status_code == 200
    assert {reload(case).email for case in cases["siti"]} == {"siti@contoh.id"}


def test_an_export_of_a_refused_request_answers_409(client, world, cases):
    number = post(client, world.ppid, "/privacy/requests", body()).json()["number"]
    response = post(
        client, world.ppid, f"/privacy/requests/{number}/close", {"status": "refused", "refused_reason": "Pasal 33"}
    )
    assert response.status_code == 200
    response = get(client, world.ppid, f"/privacy/requests/{number}/export.json")
    assert response.status_code == 409 and response.json()["code"] == "request_refused"


def test_the_operations_are_documented_with_their_errors(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert {"/api/v1/privacy/search", "/api/v1/privacy/requests", "/api/v1/privacy/requests/{number}/erase"} <= set(
        paths
    )
    erase = paths["/api/v1/privacy/requests/{number}/erase"]["post"]["responses"]
    assert {"400", "401", "403", "404", "409", "422"} <= set(erase)
    export = paths["/api/v1/privacy/requests/{number}/export.json"]["get"]["responses"]
    assert {"401", "403", "404", "409"} <= set(export)
