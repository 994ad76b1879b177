"""GET /api/v1/reports/evaluation: the periodic evaluation for staff integrations, as JSON or as the XLSX and
PDF files (each file download audited); another office's report refused, a period ending before it starts
refused with the field named, and the operation declared in the OpenAPI document."""

import io

import pytest
from openpyxl import load_workbook

from jangkau.accounts.models import Role
from jangkau.accounts.tokens import api_token_issue
from jangkau.audit.models import AuditEvent
from tests.pdf_text import pdf_text
from tests.reports.test_evaluation import JAN_QUERY, period  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/evaluation"


def bearer(user) -> dict:
    _token, secret = api_token_issue(user=user, name="evaluasi")
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("role", [Role.ULT_OFFICER, Role.PPID_MEMBER, Role.HEAD, Role.ADMIN])
def test_every_staff_role_of_the_office_reads_the_evaluation(client, world, role, period):  # noqa: F811
    response = client.get(URL, {"office": world.office.code, **JAN_QUERY}, headers=bearer(world.actor_for(role)))

    assert response.status_code == 200
    body = response.json()
    assert body["office"] == world.office.code and body["cases_submitted"] == 3
    assert [step["no"] for step in body["steps"]] == list(range(1, 9))
    assert {"volumes", "breaches", "exceptions", "closing", "ikm", "monitoring", "followups"} <= set(body)


def test_a_quarter_is_named_from_its_dates(client, world):
    response = client.get(
        URL, {"office": world.office.code, "from": "2025-10-01", "to": "2025-12-31"}, headers=bearer(world.head)
    )

    assert response.json()["period"] == {"kind": "quarter", "year": 2025, "number": 4, "label": "Triwulan IV 2025"}


def test_the_files_are_the_back_offices_and_each_download_is_audited(client, world, period):  # noqa: F811
    headers = bearer(world.ppid)

    xlsx = client.get(URL, {"office": world.office.code, **JAN_QUERY, "format": "xlsx"}, headers=headers)
    pdf = client.get(URL, {"office": world.office.code, **JAN_QUERY, "format": "pdf"}, headers=headers)

    assert xlsx.status_code == 200 and xlsx["Content-Type"].endswith("spreadsheetml.sheet")
    assert 'filename="evaluasi-bpmp-dki-2025-01-01-2025-01-31.xlsx"' in xlsx["Content-Disposition"]
    assert xlsx["Cache-Control"] == "no-store"
    steps = {row[0]: row for row in load_workbook(io.BytesIO(xlsx.content))["Waktu per langkah"].iter_rows(
        min_row=2, values_only=True)}  # fmt: skip
    assert steps[2][4:] == (3, 2, 66.7, 4.0, 10.0, 1)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "66,7%" in pdf_text(pdf.content)
    events = AuditEvent.objects.filter(action="evaluation.report_exported").order_by("seq")
    assert [(event.actor, event.changes["format"]) for event in events] == [(world.ppid, "xlsx"), (world.ppid, "pdf")]
    # Reading the JSON is not an export.
    client.get(URL, {"office": world.office.code, **JAN_QUERY}, headers=headers)
    assert events.count() == 2


def test_another_office_strangers_and_bad_periods_are_refused(client, world, other_world):
    headers = bearer(world.ult)

    other = client.get(URL, {"office": other_world.office.code, **JAN_QUERY}, headers=headers)
    stranger = client.get(URL, {"office": world.office.code, **JAN_QUERY})
    backwards = client.get(
        URL, {"office": world.office.code, "from": "2025-02-01", "to": "2025-01-31"}, headers=headers
    )
    too_early = client.get(
        URL, {"office": world.office.code, "from": "1999-12-01", "to": "2025-01-31"}, headers=headers
    )
    unknown_format = client.get(URL, {"office": world.office.code, **JAN_QUERY, "format": "docx"}, headers=headers)

    assert (other.status_code, stranger.status_code) == (403, 401)
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "to"
    assert too_early.status_code == 422 and too_early.json()["errors"][0]["field"] == "from"
    assert unknown_format.status_code == 422
    assert not AuditEvent.objects.filter(action="evaluation.report_exported").exists()


def test_the_operation_is_documented_with_its_errors_and_files(client):
    schema = client.get("/api/v1/openapi.json").json()

    operation = schema["paths"][URL]["get"]
    assert operation["operationId"] == "report_evaluation"
    assert {"200", "401", "403", "422"} <= set(operation["responses"])
    content = operation["responses"]["200"]["content"]
    assert "$ref" in content["application/json"]["schema"]
    assert content["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert content[xlsx]["schema"] == {"type": "string", "format": "binary"}
    assert {parameter["name"] for parameter in operation["parameters"]} == {"office", "from", "to", "format"}
