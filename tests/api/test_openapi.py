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
    "/api/v1/requests/{registration_number}/appointment.ics",
    "/api/v1/surveys/{token}",
}
EXPECTED_PATHS = PUBLIC_PATHS | {
    "/api/v1/cases",
    "/api/v1/cases/{registration_number}",
    "/api/v1/cases/{registration_number}/actions/{action}",
    "/api/v1/cases/{registration_number}/steps/{step_no}/explanation",
    "/api/v1/cases/{registration_number}/personal-data",
    "/api/v1/cases/{registration_number}/appointment.ics",
    "/api/v1/cases/documents",
    "/api/v1/cases/{registration_number}/documents/{document_id}",
    "/api/v1/cases/{registration_number}/documents/{document_id}/personal-data",
    "/api/v1/schedule",
    "/api/v1/breaches",
    "/api/v1/absences",
    "/api/v1/letters/{letter_id}.pdf",
    "/api/v1/letters/{letter_id}/signed-scan",
    "/api/v1/recap",
    "/api/v1/recap.xlsx",
    "/api/v1/recap.pdf",
    "/api/v1/reports/ikm",
    "/api/v1/reports/sla",
    "/api/v1/cases/{registration_number}/survey",
    "/api/v1/cases/{registration_number}/dossier.pdf",
    "/api/v1/reports/evaluation",
    "/api/v1/reports/monitoring",
    "/api/v1/followups",
    "/api/v1/followups/{followup_id}/status",
    "/api/v1/privacy/search",
    "/api/v1/privacy/requests",
    "/api/v1/privacy/requests/{number}",
    "/api/v1/privacy/requests/{number}/export.json",
    "/api/v1/privacy/requests/{number}/correct",
    "/api/v1/privacy/requests/{number}/erase",
    "/api/v1/privacy/requests/{number}/close",
    "/api/v1/notifications",
    "/api/v1/notifications/read",
    "/api/v1/messages",
    "/api/v1/messages/{message_id}/retry",
    "/api/v1/messages/{message_id}/handled",
    "/api/v1/message-templates",
    "/api/v1/message-templates/{event}/{language}",
    "/api/v1/message-templates/{event}/{language}/preview",
}
# Every operation by its id: a client generated from the document calls these names.
EXPECTED_OPERATIONS = {
    "service_catalogue",
    "request_submit",
    "request_track",
    "request_cancel",
    "request_send_missing_data",
    "request_ask_reschedule",
    "request_appointment_ics",
    "case_appointment_ics",
    "case_list",
    "case_detail",
    "case_action",
    "step_explain_breach",
    "intake_record",
    "case_personal_data",
    "case_document_upload",
    "case_document",
    "case_document_personal_data",
    "schedule_of_day",
    "breach_list",
    "absence_list",
    "absence_record",
    "letter_pdf",
    "letter_signed_scan",
    "recap",
    "recap_xlsx",
    "recap_pdf",
    "report_ikm",
    "report_sla",
    "survey_questions",
    "survey_answer",
    "case_survey_record",
    "case_dossier",
    "case_dossier_unmasked",
    "report_evaluation",
    "report_monitoring",
    "report_monitoring_save",
    "followup_list",
    "followup_create",
    "followup_status",
    "privacy_search",
    "privacy_request_list",
    "privacy_request_open",
    "privacy_request_detail",
    "privacy_export_json",
    "privacy_correct",
    "privacy_erase",
    "privacy_close",
    "notification_list",
    "notification_mark_read",
    "message_list",
    "message_retry",
    "message_mark_handled",
    "message_template_list",
    "message_template_save",
    "message_template_reset",
    "message_template_preview",
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


def test_every_operation_has_its_expected_id(schema):
    ids = [operation["operationId"] for _path, _method, operation in operations(schema)]

    assert len(ids) == len(set(ids))
    assert set(ids) >= EXPECTED_OPERATIONS


def test_the_case_action_lists_every_action_of_issue_4(schema):
    """The description names each action, and the body documents the fields steps 3 to 5 take."""
    operation = schema["paths"]["/api/v1/cases/{registration_number}/actions/{action}"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]  # optional: ActionIn or null
    [ref] = [option["$ref"] for option in body["anyOf"] if "$ref" in option]
    fields = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]

    for action in ("add_note", "extend_information_deadline", "cancel_appointment", "record_result", "deliver"):
        assert f"`{action}`" in operation["description"]
    assert {"document_tokens", "officers", "accommodations", "documents_handed_over", "office_cost"} <= set(fields)
    assert {"office_cost_note", "proof_token", "body", "days", "notice"} <= set(fields)
    for code in ("403", "409", "422"):
        assert code in operation["responses"]


def test_file_downloads_are_documented_as_binary(schema):
    for path, media in [
        ("/api/v1/recap.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("/api/v1/recap.pdf", "application/pdf"),
        ("/api/v1/letters/{letter_id}.pdf", "application/pdf"),
        ("/api/v1/cases/{registration_number}/documents/{document_id}", "text/csv"),
    ]:
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        assert content[media]["schema"] == {"type": "string", "format": "binary"}, path


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
