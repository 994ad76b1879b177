"""The staff API: office-scoped lists and details, the workflow actions, breach explanations and
requests recorded from other channels."""

from datetime import timedelta

import pytest
from django.test import Client

from jangkau.accounts.models import User
from jangkau.api.actions import ACTIONS
from jangkau.cases.models import Case, Channel, Status
from jangkau.cases.workflow import TRANSITIONS
from jangkau.core import clock
from tests.builders import PATHS, VALID_NIK, case_in, perform, submit

from .test_public import intake_body

pytestmark = pytest.mark.django_db


def act(client, case, action: str, body: dict | None = None):
    return client.post(
        f"/api/v1/cases/{case.registration_number}/actions/{action}",
        body if body is not None else {},
        content_type="application/json",
    )


def walk(case, world, actions):
    """Returns ``case`` after the services ran ``actions`` in order, at the clock's current moment."""
    for action in actions:
        case = perform(action, case, world)
    return case


def test_every_action_of_the_transition_table_has_an_endpoint():
    """A new row in the table must get its API call too."""
    assert set(ACTIONS) == set(TRANSITIONS)


# --- authentication --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/cases"),
        ("get", "/api/v1/cases/JB-2025-000001"),
        ("post", "/api/v1/cases/JB-2025-000001/actions/accept"),
        ("post", "/api/v1/cases/JB-2025-000001/steps/2/explanation"),
        ("post", "/api/v1/cases"),
    ],
)
def test_staff_endpoints_answer_401_without_login(client, world, frozen, method, path):
    submit(world)

    response = getattr(client, method)(path, content_type="application/json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_user_without_an_office_is_refused_with_403(client, db):
    user = User.objects.create_user(username="root", password="x" * 12, is_superuser=True, is_staff=True)
    client.force_login(user)

    response = client.get("/api/v1/cases")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_an_inactive_user_is_not_authenticated(client, world):
    client.force_login(world.ult)
    User.objects.filter(pk=world.ult.pk).update(is_active=False)

    response = client.get("/api/v1/cases")

    assert response.status_code == 401


def test_cookie_sessions_need_the_csrf_token_for_writes(world, frozen):
    """A browser session cannot be ridden by another site: without the token a write is refused."""
    case = submit(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.ult)

    response = act(client, case, "accept")

    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


# --- list and detail -------------------------------------------------------------------------------------


def test_the_list_shows_only_the_office_cases_with_the_nik_masked(client, world, other_world, frozen):
    """Officers see their office's cases only, and never a full identity number in a list."""
    other_world.office.registration_prefix = "JT"
    other_world.office.save()
    own = submit(world)
    other = submit(other_world)
    client.force_login(world.ult)

    response = client.get("/api/v1/cases")

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    [item] = data["items"]
    assert item["registration_number"] == own.registration_number
    assert item["id_document_masked"] == "3171********0001"
    assert item["service_type"] == {"code": "data-informasi", "name": world.service.name}
    assert item["channel"] == "web"
    assert item["open_step"] == 2
    assert item["open_step_due_at"] is not None
    assert item["assigned_to"] is None
    body = response.content.decode()
    assert VALID_NIK not in body
    assert other.registration_number not in body


def test_the_list_filters_by_status_and_paginates(client, world, frozen):
    submit(world)
    accepted = case_in(Status.ACCEPTED, world)
    submit(world)
    client.force_login(world.ult)

    by_status = client.get("/api/v1/cases", {"status": "accepted"}).json()
    page = client.get("/api/v1/cases", {"limit": 2, "offset": 0}).json()

    assert [item["registration_number"] for item in by_status["items"]] == [accepted.registration_number]
    assert by_status["items"][0]["assigned_to"] == world.ult.username
    assert page["count"] == 3
    assert len(page["items"]) == 2


def test_an_unknown_status_filter_answers_422(client, world):
    client.force_login(world.ult)

    response = client.get("/api/v1/cases", {"status": "lost"})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_the_detail_shows_steps_and_the_actions_of_the_viewer_role(client, world, frozen):
    case = submit(world)
    client.force_login(world.ult)

    response = client.get(f"/api/v1/cases/{case.registration_number}")

    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "submitted"
    # Extending the legal deadline applies to public-information requests only: not offered here.
    assert data["allowed_actions"] == ["request_info", "reject", "accept", "add_note", "cancel"]
    assert [(s["no"], s["breached"], s["breach_explanation"]) for s in data["steps"]] == [
        (1, False, ""),
        (2, False, ""),
    ]
    assert data["id_document_masked"] == "3171********0001"
    # The running step shows how its deadline was computed; the finished one does not.
    assert data["steps"][0]["due_explanation"] == []
    assert data["steps"][1]["due_explanation"][-1] == "Batas waktu: Senin, 6 Januari 2025 08:05."
    body = response.content.decode()
    assert VALID_NIK not in body
    assert "Kenanga" not in body
    # Contact details and disability details come only through the logged personal-data view; the categories
    # show, as on the case page and in the queue, for officers to prepare the visit.
    assert "+6281234567890" not in body and "Pengguna kursi roda" not in body
    assert data["vulnerabilities"] == ["disability_physical", "elderly"]


def test_the_detail_lists_no_actions_a_ppid_member_cannot_take(client, world, frozen):
    case = submit(world)
    client.force_login(world.ppid)

    response = client.get(f"/api/v1/cases/{case.registration_number}")

    # Only the internal thread is open to them: PPID members write there before a case reaches them.
    assert response.json()["allowed_actions"] == ["add_note"]


def test_another_office_case_answers_403_and_shows_nothing_of_it(client, world, other_world, frozen):
    """Issue 4: another office's case answers 403 with the reason; nothing of it is shown or changed."""
    other_world.office.registration_prefix = "JT"
    other_world.office.save()
    other = submit(other_world)
    client.force_login(world.ult)

    detail = client.get(f"/api/v1/cases/{other.registration_number}")
    action = act(client, other, "accept")

    assert detail.status_code == 403
    assert detail.json() == {"code": "permission_denied", "detail": "Kasus ini milik kantor lain."}
    assert action.status_code == 403
    assert other.tracking_code not in detail.content.decode() + action.content.decode()
    assert Case.objects.get(pk=other.pk).status == Status.SUBMITTED


def test_a_number_that_exists_nowhere_answers_404(client, world, other_world, frozen):
    submit(other_world)
    client.force_login(world.ult)

    detail = client.get("/api/v1/cases/JB-2025-999999")
    action = client.post("/api/v1/cases/JB-2025-999999/actions/accept", {}, content_type="application/json")

    assert (detail.status_code, detail.json()["code"]) == (404, "not_found")
    assert action.status_code == 404


def test_the_own_office_case_wins_when_both_offices_have_the_number(client, world, other_world, frozen):
    """Numbers run per office: with the same prefix both offices have JB-2025-000001; each sees its own."""
    own, other = submit(world), submit(other_world)
    assert own.registration_number == other.registration_number
    client.force_login(world.ult)

    response = act(client, own, "accept")

    assert response.status_code == 200
    assert Case.objects.get(pk=own.pk).status == Status.ACCEPTED
    assert Case.objects.get(pk=other.pk).status == Status.SUBMITTED


# --- actions ---------------------------------------------------------------------------------------------


def test_accept_moves_the_case_and_returns_its_detail(client, world, frozen):
    case = submit(world)
    client.force_login(world.ult)

    response = act(client, case, "accept")

    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "accepted"
    assert data["assigned_to"] == world.ult.username
    assert data["allowed_actions"] == ["forward_to_ppid", "add_note", "cancel"]
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_an_action_the_table_refuses_answers_409_with_the_reason(client, world, frozen):
    case = submit(world)
    client.force_login(world.ult)

    response = act(client, case, "deliver", {"notes": "Dokumen diantar"})

    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert "deliver" in response.json()["detail"]
    assert "Diajukan" in response.json()["detail"]
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_an_action_outside_the_user_role_answers_403(client, world, frozen):
    case = submit(world)
    client.force_login(world.ppid)

    response = act(client, case, "accept")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_a_missing_field_answers_422_with_the_service_message(client, world, frozen):
    case = submit(world)
    client.force_login(world.ult)

    response = act(client, case, "reject", {"reason": "Di luar layanan"})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert "Rujukan" in response.json()["detail"]
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_an_action_without_a_body_runs_when_it_needs_no_fields(client, world, frozen):
    case = submit(world)
    client.force_login(world.ult)

    response = client.generic("POST", f"/api/v1/cases/{case.registration_number}/actions/accept", b"")

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"


def test_an_unknown_action_answers_404(client, world, frozen):
    case = submit(world)
    client.force_login(world.ult)

    response = act(client, case, "teleport")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_forwarding_names_the_ppid_member_by_username(client, world, frozen):
    case = case_in(Status.ACCEPTED, world)
    client.force_login(world.ult)

    response = act(client, case, "forward_to_ppid", {"ppid_member": world.ppid.username, "note": "Mohon data SD"})

    assert response.status_code == 200
    assert response.json()["status"] == "with_ppid"
    assert response.json()["ppid_member"] == world.ppid.username


def test_a_ppid_member_of_another_office_is_refused_with_422(client, world, other_world, frozen):
    case = case_in(Status.ACCEPTED, world)
    client.force_login(world.ult)

    response = act(client, case, "forward_to_ppid", {"ppid_member": other_world.ppid.username, "note": "Mohon data SD"})

    assert response.status_code == 422
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_scheduling_takes_an_aware_moment(client, world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.ult)
    starts_at = (clock.now() + timedelta(days=2)).isoformat()

    response = act(client, case, "schedule", {"starts_at": starts_at, "mode": "visit", "place": "Rumah"})

    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "scheduled"
    assert data["appointment"]["mode"] == "visit"
    assert data["appointment"]["place"] == "Rumah"


def test_a_naive_schedule_moment_answers_422(client, world, frozen):
    case = case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.ult)

    response = act(client, case, "schedule", {"starts_at": "2025-01-08T09:00:00", "mode": "visit"})

    assert response.status_code == 422
    assert Case.objects.get(pk=case.pk).status == Status.READY_TO_SCHEDULE


def test_the_head_reassigns_to_an_officer_by_username(client, world, frozen):
    case = case_in(Status.ACCEPTED, world)
    client.force_login(world.head)

    response = act(client, case, "reassign", {"to": world.ult2.username, "reason": "Petugas cuti"})

    assert response.status_code == 200
    assert response.json()["assigned_to"] == world.ult2.username


def test_closing_with_an_unexplained_breach_answers_409(client, world, frozen):
    """A refusal that is neither a transition nor an input problem keeps its own code and status."""
    case = submit(world)
    clock.advance(timedelta(hours=2))
    case = walk(case, world, PATHS[Status.RECAPPED])
    client.force_login(world.ult)

    response = act(
        client,
        case,
        "close",
        {
            "need_met": "met",
            "mode_right": True,
            "accommodations_provided": "provided",
            "evaluation": "Berjalan baik",
            "late_explanation": "Antrean",
        },
    )

    assert response.status_code == 409
    assert response.json()["code"] == "breach_unexplained"


def test_closing_takes_the_evaluation_answers_and_names_a_missing_one(client, world, frozen):
    """Step 8 by API: the three answers are required; the case shows them once closed."""
    case = case_in(Status.RECAPPED, world)
    client.force_login(world.head)

    refused = act(client, case, "close", {"mode_right": True, "accommodations_provided": "provided"})
    closed = act(
        client,
        case,
        "close",
        {"need_met": "not_met", "mode_right": False, "accommodations_provided": "provided", "evaluation": "Salah"},
    )

    assert refused.status_code == 422
    assert "need_met" in {error["field"] for error in refused.json()["errors"]}
    assert closed.status_code == 200
    body = closed.json()
    assert (body["status"], body["evaluation_need_met"], body["evaluation_mode_right"]) == ("closed", "not_met", False)
    assert body["evaluation_accommodations"] == "provided" and body["evaluation"] == "Salah"


# --- breach explanations ---------------------------------------------------------------------------------


def test_the_responsible_officer_explains_an_overrun_step(client, world, frozen):
    """Step 2 (5 minutes) accepted two hours late: the officer who did it explains, once."""
    case = submit(world)
    clock.advance(timedelta(hours=2))
    walk(case, world, ["accept"])
    client.force_login(world.ult)
    url = f"/api/v1/cases/{case.registration_number}/steps/2/explanation"

    response = client.post(url, {"explanation": "Antrean panjang"}, content_type="application/json")
    again = client.post(url, {"explanation": "Lagi"}, content_type="application/json")

    assert response.status_code == 200
    step2 = next(s for s in response.json()["steps"] if s["no"] == 2)
    assert step2["breached"] is True
    assert step2["breach_explanation"] == "Antrean panjang"
    assert step2["needs_explanation"] is False
    assert again.status_code == 409
    assert again.json()["code"] == "already_explained"


def test_explaining_a_step_that_did_not_overrun_answers_409(client, world, frozen):
    case = case_in(Status.ACCEPTED, world)
    client.force_login(world.ult)

    response = client.post(
        f"/api/v1/cases/{case.registration_number}/steps/2/explanation",
        {"explanation": "Tidak perlu"},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "no_breach"


def test_explaining_a_step_the_case_never_reached_answers_404(client, world, frozen):
    case = submit(world)
    client.force_login(world.ult)

    response = client.post(
        f"/api/v1/cases/{case.registration_number}/steps/7/explanation",
        {"explanation": "Belum"},
        content_type="application/json",
    )

    assert response.status_code == 404


# --- requests from other channels ------------------------------------------------------------------------


def test_an_officer_records_a_phone_request_and_holds_it(client, world, frozen):
    client.force_login(world.ult)

    response = client.post(
        "/api/v1/cases",
        intake_body(channel="phone"),
        content_type="application/json",
    )

    assert response.status_code == 201
    case = Case.objects.get(registration_number=response.json()["registration_number"])
    assert case.channel == Channel.PHONE
    assert case.assigned_to == world.ult


def test_the_staff_intake_requires_a_known_channel(client, world, frozen):
    client.force_login(world.ult)

    missing = client.post("/api/v1/cases", intake_body(), content_type="application/json")
    unknown = client.post(
        "/api/v1/cases",
        intake_body(channel="pigeon"),
        content_type="application/json",
    )

    assert missing.status_code == 422
    assert unknown.status_code == 422
    assert Case.objects.count() == 0


@pytest.mark.parametrize("who", ["other_office", "ppid"])
def test_only_ult_officers_of_the_office_record_requests(client, world, other_world, frozen, who):
    client.force_login(other_world.ult if who == "other_office" else world.ppid)

    response = client.post(
        "/api/v1/cases",
        intake_body(channel="phone", office=world.office.code),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_the_list_costs_the_same_queries_for_many_cases(client, world, frozen, django_assert_max_num_queries):
    """Service, officer and open step come from joins and one prefetch, not one query per row."""
    for _ in range(5):
        case_in(Status.ACCEPTED, world)
    client.force_login(world.ult)

    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/cases")

    assert response.json()["count"] == 5


@pytest.mark.django_db
def test_opening_personal_data_returns_it_and_logs_the_view(client, world, other_world, frozen):
    from jangkau.audit.models import AuditEvent

    case = submit(world)
    url = f"/api/v1/cases/{case.registration_number}/personal-data"
    client.force_login(world.ult)

    refused = client.post(url, {"purpose": ""}, content_type="application/json")
    response = client.post(url, {"purpose": "Kunjungan rumah"}, content_type="application/json")

    assert refused.status_code == 422
    assert response.status_code == 200
    assert response.json()["id_document_number"] == VALID_NIK
    assert AuditEvent.objects.filter(case=case, action="case.personal_data_viewed").count() == 1
    client.force_login(other_world.ult)
    foreign = client.post(url, {"purpose": "x"}, content_type="application/json")
    assert foreign.status_code == 403
    assert VALID_NIK not in foreign.content.decode()
    assert AuditEvent.objects.filter(case=case, action="case.personal_data_viewed").count() == 1
