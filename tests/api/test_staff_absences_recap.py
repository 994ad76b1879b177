"""The staff API for absences and assignment letters, the recap and its files, and breaches (issue 4, items
2, 6, 7 and 9): the same rules as the back office, answered as JSON with 403/404/422 where they refuse."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from PIL import Image

from jangkau.accounts.models import Role
from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.models import Case, Channel, Status
from jangkau.core import clock
from jangkau.scheduling.absences import absence_record
from jangkau.scheduling.models import Absence, AssignmentLetter
from tests.builders import VALID_NIK, case_in, intake_data, perform, submit
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db

FULL_PHONE_DIGITS = "81234567890"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def field_errors(response) -> dict[str, str]:
    return {error["field"]: error["msg"] for error in response.json()["errors"]}


def absence_body(world, **overrides) -> dict:
    body = {
        "officer": world.ult.username,
        "kind": "leave",
        "starts_on": "2025-01-07",
        "ends_on": "2025-01-10",
        "delegate": world.ult2.username,
        "reason": "Cuti tahunan",
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not ...}


def post_absence(client, body):
    return client.post("/api/v1/absences", body, content_type="application/json")


def record(world, officer=None, delegate=None):
    from datetime import date

    return absence_record(
        office=world.office,
        officer=officer or world.ult,
        kind=Absence.Kind.SICK,
        starts_on=date(2025, 1, 7),
        ends_on=date(2025, 1, 8),
        delegate=delegate or world.ult2,
        reason="Sakit",
        actor=world.head,
    )


# --- absences ---------------------------------------------------------------------------------------------


def test_the_head_records_an_absence_and_the_open_cases_move(client, world, frozen):
    held = [case_in(Status.ACCEPTED, world), case_in(Status.WITH_PPID, world)]
    closed = perform("cancel", case_in(Status.ACCEPTED, world), world)
    client.force_login(world.head)

    response = post_absence(client, absence_body(world))

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["officer"], data["delegate"], data["kind"], data["recorded_by"]) == (
        world.ult.username,
        world.ult2.username,
        "leave",
        world.head.username,
    )
    letter = data["letter"]
    assert letter["number"] == "001/ULT/ST/2025"
    assert letter["cases"] == sorted(case.registration_number for case in held)
    assert (letter["signer"], letter["signed_at"]) == (world.head.username, None)
    assert letter["pdf_url"].endswith(f"/api/v1/letters/{letter['id']}.pdf")
    assert {Case.objects.get(pk=case.pk).assigned_to for case in held} == {world.ult2}
    assert Case.objects.get(pk=closed.pk).assigned_to == world.ult
    assert AuditEvent.objects.filter(action="absence.record", actor=world.head).count() == 1
    assert AuditEvent.objects.filter(action="case.reassign", actor=world.head).count() == 2


@pytest.mark.parametrize("who", ["ult", "ppid", "admin"])
def test_only_the_head_records_an_absence(client, world, frozen, who):
    case = case_in(Status.ACCEPTED, world)
    client.force_login(getattr(world, who))

    response = post_absence(client, absence_body(world))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Absence.objects.exists()
    assert Case.objects.get(pk=case.pk).assigned_to == world.ult


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"officer": "tidak-ada"}, "officer"),
        ({"officer": "OTHER"}, "officer"),
        ({"officer": "PPID"}, "officer"),
        ({"delegate": "SAME"}, "delegate"),
        ({"delegate": ...}, "delegate"),
        ({"kind": "holiday"}, "kind"),
        ({"starts_on": ...}, "starts_on"),
        ({"ends_on": "2025-01-06"}, "ends_on"),
        ({"ends_on": "10/01/2025"}, "ends_on"),
        ({"reason": "  "}, "reason"),
        ({"reason": "x" * 2001}, "reason"),
    ],
)
def test_each_wrong_absence_field_answers_422_and_records_nothing(client, world, other_world, frozen, overrides, field):
    names = {"OTHER": other_world.ult.username, "PPID": world.ppid.username, "SAME": world.ult.username}
    overrides = {key: names.get(value, value) if isinstance(value, str) else value for key, value in overrides.items()}
    client.force_login(world.head)

    response = post_absence(client, absence_body(world, **overrides))

    assert response.status_code == 422
    assert field in field_errors(response)
    assert not Absence.objects.exists() and not AssignmentLetter.objects.exists()


def test_the_head_sees_every_absence_others_only_their_own(client, world, frozen):
    record(world)
    third = world.ult2.__class__.objects.create_user(
        username="bpmp-dki-ult3", password="x" * 12, office=world.office, role=Role.ULT_OFFICER
    )
    record(world, officer=third, delegate=world.ult2)

    def officers(user):
        client.force_login(user)
        response = client.get("/api/v1/absences")
        assert response.status_code == 200
        return sorted(a["officer"] for a in response.json())

    assert officers(world.head) == sorted([world.ult.username, third.username])
    assert officers(world.ult2) == sorted([world.ult.username, third.username])  # the delegate of both
    assert officers(world.ult) == [world.ult.username]
    assert officers(world.ppid) == []


def test_the_letter_pdf_names_the_number_and_the_cases(client, world, other_world, frozen):
    case = case_in(Status.ACCEPTED, world)
    _absence, letter = record(world)
    client.force_login(world.ult2)

    response = client.get(f"/api/v1/letters/{letter.pk}.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content).replace("\n", " ")
    assert letter.number in text and case.registration_number in text
    assert VALID_NIK not in text
    client.force_login(world.ppid)
    assert client.get(f"/api/v1/letters/{letter.pk}.pdf").status_code == 404
    client.force_login(other_world.head)
    assert client.get(f"/api/v1/letters/{letter.pk}.pdf").status_code == 404


def test_the_head_uploads_the_signed_scan(client, world, frozen):
    _absence, letter = record(world)
    scan = io.BytesIO(png_bytes())
    scan.name = "surat-ditandatangani.png"
    client.force_login(world.head)

    response = client.post(f"/api/v1/letters/{letter.pk}/signed-scan", {"signed_scan": scan})

    assert response.status_code == 200, response.content
    assert response.json()["signed_at"] is not None
    assert AssignmentLetter.objects.get(pk=letter.pk).signed_scan_name == "surat-ditandatangani.png"
    assert AuditEvent.objects.filter(action="assignment_letter.signed_scan", actor=world.head).count() == 1


def test_the_signed_scan_is_the_head_s_and_is_checked(client, world, other_world, frozen):
    _absence, letter = record(world)
    url = f"/api/v1/letters/{letter.pk}/signed-scan"

    def send(user, content, name="scan.png"):
        client.force_login(user)
        file = io.BytesIO(content)
        file.name = name
        return client.post(url, {"signed_scan": file})

    officer = send(world.ult2, png_bytes())
    bad = send(world.head, b"%PDF-1.4 truncated", "scan.pdf")
    missing = client.post(url, {})
    foreign = send(other_world.head, png_bytes())

    assert officer.status_code == 403
    assert bad.status_code == 422 and list(field_errors(bad)) == ["signed_scan"]
    assert missing.status_code == 422 and list(field_errors(missing)) == ["signed_scan"]
    assert foreign.status_code == 404
    assert AssignmentLetter.objects.get(pk=letter.pk).signed_at is None


# --- recap ------------------------------------------------------------------------------------------------


@pytest.fixture
def cases(world, other_world, frozen):
    web = submit(world)
    clock.advance(timedelta(minutes=5))
    by_phone = svc.case_submit(
        office=world.office, data=intake_data(world, full_name="Budi Santoso"), channel=Channel.PHONE, actor=world.ult2
    )
    clock.advance(timedelta(minutes=5))
    accepted = perform("accept", submit(world, full_name="Wati Lestari", vulnerabilities=["disability_blind"]), world)
    elsewhere = submit(other_world, full_name="Orang Lain")
    return {"web": web, "by_phone": by_phone, "accepted": accepted, "elsewhere": elsewhere}


@pytest.mark.parametrize("role", [Role.ULT_OFFICER, Role.PPID_MEMBER, Role.HEAD, Role.ADMIN])
def test_the_recap_lists_the_office_cases_masked_for_every_role(client, world, cases, role):
    client.force_login(world.actor_for(role))

    response = client.get("/api/v1/recap")

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert [row["registration_number"] for row in data["items"]] == [
        cases[name].registration_number for name in ("web", "by_phone", "accepted")
    ]
    row = data["items"][2]
    assert (row["requester_name"], row["id_number"], row["phone"], row["status"], row["current_step"]) == (
        "Wati Lestari",
        "3171********0001",
        "+62812****7890",
        "Diterima",
        3,
    )
    assert VALID_NIK not in response.content.decode() and FULL_PHONE_DIGITS not in response.content.decode()
    assert "Orang Lain" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="recap.export").exists()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"vulnerability": "disability_blind"}, ["accepted"]),
        ({"channel": "phone"}, ["by_phone"]),
        ({"status": "accepted"}, ["accepted"]),
        ({"officer": "ULT2"}, ["by_phone"]),
        (
            {"service_type": "data-informasi", "date_from": "2025-01-06", "date_to": "2025-01-06"},
            ["web", "by_phone", "accepted"],
        ),
        ({"date_from": "2025-01-07"}, []),
    ],
)
def test_the_recap_filters_are_the_back_office_s(client, world, cases, params, expected):
    params = {key: world.ult2.username if value == "ULT2" else value for key, value in params.items()}
    client.force_login(world.head)

    data = client.get("/api/v1/recap", params).json()

    assert [row["registration_number"] for row in data["items"]] == [
        cases[name].registration_number for name in expected
    ]
    assert data["count"] == len(expected)


def test_the_recap_pages_and_names_its_filters(client, world, cases):
    client.force_login(world.head)

    data = client.get("/api/v1/recap", {"limit": 1, "offset": 1, "channel": "phone"}).json()

    assert (data["count"], len(data["items"])) == (1, 0)
    assert {"label": "Saluran", "value": "Telepon"} in data["filters"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"officer": "OTHER"}, "officer"),
        ({"service_type": "tidak-ada"}, "service_type"),
        ({"vulnerability": "unicorn"}, "vulnerability"),
        ({"date_from": "31/01/2025"}, "date_from"),
        ({"date_from": "2025-01-10", "date_to": "2025-01-01"}, "date_to"),
        ({"date_from": "1999-12-31"}, "date_from"),
    ],
)
def test_bad_recap_filters_answer_422_naming_the_field(client, world, other_world, cases, params, field):
    params = {key: other_world.ult.username if value == "OTHER" else value for key, value in params.items()}
    client.force_login(world.head)

    for url in ("/api/v1/recap", "/api/v1/recap.xlsx", "/api/v1/recap.pdf"):
        response = client.get(url, params)
        assert response.status_code == 422, url
        assert field in field_errors(response), url
    assert not AuditEvent.objects.filter(action="recap.export").exists()


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 501}, {"offset": -1}])
def test_a_bad_recap_page_answers_422(client, world, cases, params):
    client.force_login(world.head)

    response = client.get("/api/v1/recap", params)

    assert response.status_code == 422
    assert list(field_errors(response)) == list(params)


def test_the_recap_xlsx_holds_the_filtered_rows_masked_and_is_audited(client, world, cases):
    client.force_login(world.ult)

    response = client.get("/api/v1/recap.xlsx", {"vulnerability": "disability_blind"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="rekap-bpmp-dki-2025-01-06.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content))["Rekap"].iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [cases["accepted"].registration_number]
    assert "3171********0001" in rows[1] and "+62812****7890" in rows[1]
    cells = " ".join(str(cell) for row in rows for cell in row)
    assert VALID_NIK not in cells and FULL_PHONE_DIGITS not in cells
    event = AuditEvent.objects.get(action="recap.export")
    assert (event.actor, event.changes["format"], event.changes["rows"]) == (world.ult, "xlsx", 1)
    assert event.changes["filters"] == {"vulnerability": "disability_blind"}


def test_the_recap_pdf_holds_the_filtered_rows_masked_and_is_audited(client, world, cases):
    client.force_login(world.ppid)

    response = client.get("/api/v1/recap.pdf", {"channel": "phone"})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert cases["by_phone"].registration_number in text
    assert cases["web"].registration_number not in text
    assert VALID_NIK not in text
    event = AuditEvent.objects.get(action="recap.export")
    assert (event.actor, event.changes["format"], event.changes["rows"]) == (world.ppid, "pdf", 1)


# --- breaches ---------------------------------------------------------------------------------------------


@pytest.fixture
def breaches(world, frozen):
    """Step 2 accepted two hours late twice: once by the first officer, once by the second (explained)."""
    first, second = submit(world), submit(world)
    clock.advance(timedelta(hours=2))
    perform("accept", first, world)
    perform("accept", second, world, actor=world.ult2)
    step = second.steps.get(step_no=2)
    svc.step_explain_breach(step=step, actor=world.ult2, explanation="Antrean panjang")
    return first, second


def test_the_head_sees_every_breach_with_its_explanation(client, world, breaches):
    first, second = breaches
    client.force_login(world.head)

    response = client.get("/api/v1/breaches")

    assert response.status_code == 200
    rows = {row["registration_number"]: row for row in response.json()}
    assert set(rows) == {first.registration_number, second.registration_number}
    explained = rows[second.registration_number]
    assert (explained["step_no"], explained["done_by"], explained["explanation"], explained["explained_by"]) == (
        2,
        world.ult2.username,
        "Antrean panjang",
        world.ult2.username,
    )
    assert explained["needs_explanation"] is False
    assert rows[first.registration_number]["needs_explanation"] is True


def test_an_officer_sees_the_breaches_they_account_for(client, world, breaches):
    first, second = breaches

    def numbers(user, **params):
        client.force_login(user)
        return [row["registration_number"] for row in client.get("/api/v1/breaches", params).json()]

    assert numbers(world.ult) == [first.registration_number]
    assert numbers(world.ult2) == [second.registration_number]
    assert numbers(world.ult2, unexplained="true") == []
    assert numbers(world.head, unexplained="true") == [first.registration_number]
    assert numbers(world.ppid) == []


def test_breaches_cost_the_same_queries_for_many(client, world, breaches, django_assert_max_num_queries):
    client.force_login(world.head)

    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/breaches")

    assert len(response.json()) == 2


@pytest.mark.parametrize(
    "path", ["/api/v1/absences", "/api/v1/recap", "/api/v1/recap.xlsx", "/api/v1/breaches", "/api/v1/schedule"]
)
def test_the_new_staff_endpoints_answer_401_without_login(client, world, path):
    response = client.get(path)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
