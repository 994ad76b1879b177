"""The staff API for the SOP monitoring table and the follow-up actions (RTL): the same services and rules as
the back office, answered as JSON with 401/403/404/409/422 where they refuse."""

from datetime import date

import pytest

from jangkau.accounts.tokens import api_token_issue
from jangkau.audit.models import AuditEvent
from jangkau.reports.followups import followup_create
from jangkau.reports.models import FollowUpAction, MonitoringEntry

pytestmark = pytest.mark.django_db

MONITORING = "/api/v1/reports/monitoring"
FOLLOWUPS = "/api/v1/followups"


def auth(user) -> dict:
    _token, secret = api_token_issue(user=user, name="uji")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def field_errors(response) -> dict[str, str]:
    return {error["field"]: error["msg"] for error in response.json()["errors"]}


def period(world, **extra) -> str:
    query = {"office": world.office.code, "from": "2025-01-01", "to": "2025-01-31", **extra}
    return "?" + "&".join(f"{key}={value}" for key, value in query.items())


def test_the_monitoring_table_is_prefilled_then_saved_by_the_head(client, world, frozen):
    response = client.get(MONITORING + period(world), **auth(world.ult))
    assert response.status_code == 200
    body = response.json()
    assert (body["office"], body["from"], body["to"]) == (world.office.code, "2025-01-01", "2025-01-31")
    assert [row["no"] for row in body["rows"]] == list(range(1, 9))
    assert all(row["prefilled"] and row["ran_well"] is None for row in body["rows"])

    head = auth(world.head)
    rows = [
        {"no": 2, "ran_well": False, "notes": "Lambat", "action_to_take": "Tambah petugas"},
        {"no": 1, "ran_well": True},
    ]
    response = client.put(MONITORING + period(world), {"rows": rows}, content_type="application/json", **head)
    assert response.status_code == 200
    saved = {row["no"]: row for row in response.json()["rows"]}
    assert saved[2]["prefilled"] is False and saved[2]["action_to_take"] == "Tambah petugas"
    assert saved[2]["assessor"] == str(world.head) and saved[3]["prefilled"] is True
    assert AuditEvent.objects.filter(action="evaluation.monitoring_saved").count() == 1


def test_the_monitoring_table_refuses_with_declared_errors(client, world, other_world, frozen):
    assert client.get(MONITORING + period(world)).status_code == 401
    assert client.get(MONITORING + period(other_world), **auth(world.head)).status_code == 403
    assert client.get(MONITORING + period(world, to="2024-12-01"), **auth(world.head)).status_code == 422
    body = {"rows": [{"no": 3, "ran_well": False, "notes": ""}]}
    response = client.put(MONITORING + period(world), body, content_type="application/json", **auth(world.ult))
    assert response.status_code == 403
    response = client.put(MONITORING + period(world), body, content_type="application/json", **auth(world.head))
    assert response.status_code == 422 and "step_3_action_to_take" in field_errors(response)
    body = {"rows": [{"no": 9, "ran_well": True}]}
    response = client.put(MONITORING + period(world), body, content_type="application/json", **auth(world.head))
    assert response.status_code == 422
    assert not MonitoringEntry.objects.exists()


def action_body(world, **overrides):
    body = {
        "title": "Latih juru bahasa isyarat",
        "description": "Pelatihan dua hari.",
        "owner": world.ult.username,
        "due_date": "2025-02-28",
        "source_from": "2025-01-01",
        "source_to": "2025-01-31",
        "step_no": 5,
    }
    body.update(overrides)
    return body


def test_the_head_raises_an_action_and_the_owner_marks_it_done(client, world, frozen):
    response = client.post(FOLLOWUPS, action_body(world), content_type="application/json", **auth(world.head))
    assert response.status_code == 201
    created = response.json()
    assert (created["owner"], created["status"], created["source_from"], created["step_no"]) == (
        world.ult.username,
        "open",
        "2025-01-01",
        5,
    )

    owner = auth(world.ult)
    url = f"{FOLLOWUPS}/{created['id']}/status"
    response = client.post(url, {"status": "done"}, content_type="application/json", **owner)
    assert response.status_code == 422 and "note" in field_errors(response)
    response = client.post(url, {"status": "done", "note": "Sudah dilatih."}, content_type="application/json", **owner)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["done_note"]) == ("done", "Sudah dilatih.")
    response = client.post(url, {"status": "open"}, content_type="application/json", **auth(world.head))
    assert response.status_code == 409

    listed = client.get(f"{FOLLOWUPS}?office={world.office.code}&status=unfinished", **owner).json()
    assert listed == []
    listed = client.get(f"{FOLLOWUPS}?office={world.office.code}", **owner).json()
    assert [item["id"] for item in listed] == [created["id"]]


def test_creating_refuses_wrong_fields_and_other_roles(client, world, other_world, frozen):
    body = action_body(world, title="", owner=other_world.ult.username, source_to=None, due_date="2024-12-01")
    response = client.post(FOLLOWUPS, body, content_type="application/json", **auth(world.head))
    assert response.status_code == 422
    assert set(field_errors(response)) == {"title", "owner", "source_to", "due_date"}
    response = client.post(FOLLOWUPS, action_body(world), content_type="application/json", **auth(world.ppid))
    assert response.status_code == 403
    assert client.post(FOLLOWUPS, action_body(world), content_type="application/json").status_code == 401
    assert not FollowUpAction.objects.exists()


def test_another_offices_action_is_not_found_and_its_list_is_forbidden(client, world, other_world, frozen):
    action = followup_create(
        office=world.office,
        actor=world.head,
        title="t",
        description="d",
        owner=world.ult,
        due_date=date(2025, 2, 1),
    )
    other = auth(other_world.head)
    response = client.post(
        f"{FOLLOWUPS}/{action.pk}/status", {"status": "done", "note": "x"}, content_type="application/json", **other
    )
    assert response.status_code == 404
    assert client.get(f"{FOLLOWUPS}?office={world.office.code}", **other).status_code == 403
    response = client.post(
        f"{FOLLOWUPS}/{action.pk}/status",
        {"status": "in_progress"},
        content_type="application/json",
        **auth(world.ult2),
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == "open"
