"""The OpenAPI document: it loads, and every operation declares the errors it can answer with."""

import pytest

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = {
    "/api/v1/offices/{code}/services",
    "/api/v1/requests",
    "/api/v1/requests/{registration_number}",
    "/api/v1/requests/{registration_number}/cancel",
    "/api/v1/requests/{registration_number}/missing-data",
    "/api/v1/requests/{registration_number}/reschedule-request",
}
EXPECTED_PATHS = PUBLIC_PATHS | {
    "/api/v1/cases",
    "/api/v1/cases/{registration_number}",
    "/api/v1/cases/{registration_number}/actions/{action}",
    "/api/v1/cases/{registration_number}/steps/{step_no}/explanation",
}


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_document_lists_every_endpoint(schema):
    assert set(schema["paths"]) >= EXPECTED_PATHS


def test_every_operation_declares_its_error_responses(schema):
    """Staff operations declare 401 and 403; anything with parameters or a body declares 422 or 404;
    every declared error uses the one error schema."""
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        errors = {code for code in responses if code.startswith("4")}
        assert errors, f"{method} {path} declares no 4xx"
        if operation.get("security"):
            assert {"401", "403"} <= errors, f"{method} {path}"
        if "requestBody" in operation:
            assert {"400", "422"} <= errors, f"{method} {path}"
        if any(parameter["in"] == "path" for parameter in operation.get("parameters", [])):
            assert "404" in errors or "422" in errors, f"{method} {path}"
        for code in errors:
            ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/ErrorOut", f"{method} {path} {code}"


def test_the_public_operations_need_no_login(schema):
    for path, method, operation in operations(schema):
        assert bool(operation.get("security")) == (path not in PUBLIC_PATHS), f"{method} {path}"


def test_the_intake_fields_and_their_codes_are_documented(schema):
    """Integrators learn the vocabularies from the document: the codes are listed as enums."""
    body = schema["paths"]["/api/v1/requests"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    intake = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]["properties"]

    assert {"full_name", "id_type", "nik", "no_id_reason", "vulnerabilities", "delivery_mode", "consent"} <= set(intake)
    assert "none" in intake["id_type"]["enum"] and "kk" in intake["id_type"]["enum"]
    assert "disability_blind" in intake["vulnerabilities"]["items"]["enum"]
    assert "office_priority" in intake["delivery_mode"]["enum"]


def test_the_inaccessible_swagger_page_is_not_served(client):
    """Swagger UI fails axe-core; the API is described by its OpenAPI document only."""
    assert client.get("/api/v1/docs").status_code == 404
