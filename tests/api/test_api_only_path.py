"""Issue 4's "Done when": the path from a request through POS steps 2, 3, 4 and 5 runs through the API alone,
as three users with their own API tokens (ULT officer, PPID member, ULT officer again).

Nothing here calls a service: the requester submits and follows the request through the public API, and
each officer acts through the staff API with a bearer token. Only the clock is moved, to the appointment.
"""

import io
from datetime import datetime, timedelta

import icalendar
import pytest
from PIL import Image

from jangkau.accounts.tokens import api_token_issue
from jangkau.audit.models import AuditEvent
from jangkau.cases.models import Case, CaseDocument, StepRecord
from jangkau.core import clock
from tests.builders import public_info_service
from tests.conftest import JKT

from .test_public import intake_body

pytestmark = pytest.mark.django_db

THREAD_NOTE = "Data mutu 2025 sudah ada di bidang pemetaan; saya lampirkan CSV-nya."
RESULT_CSV = b"sekolah;tahun;nilai\nSDN Cempaka Putih 01;2025;82\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue()


class Officer:
    """One staff member's API client: every call carries their own bearer token and nothing else."""

    def __init__(self, client, user):
        self.client = client
        self.user = user
        _token, self.key = api_token_issue(user=user, name="uji jalur API")

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.key}"}

    def get(self, path: str, params=None):
        return self.client.get(f"/api/v1{path}", params or {}, headers=self.headers)

    def act(self, number: str, action: str, body: dict | None = None):
        response = self.client.post(
            f"/api/v1/cases/{number}/actions/{action}",
            body or {},
            content_type="application/json",
            headers=self.headers,
        )
        assert response.status_code == 200, (action, response.content)
        return response.json()

    def upload(self, kind: str, name: str, content: bytes) -> str:
        upload = io.BytesIO(content)
        upload.name = name
        response = self.client.post("/api/v1/cases/documents", {"kind": kind, "file": upload}, headers=self.headers)
        assert response.status_code == 201, response.content
        return response.json()["token"]


def track(client, number: str, code: str) -> dict:
    response = client.get(f"/api/v1/requests/{number}", headers={"X-Tracking-Code": code})
    assert response.status_code == 200
    assert THREAD_NOTE not in response.content.decode(), "the internal thread reached the requester"
    return response.json()


def test_a_request_goes_from_the_portal_api_through_steps_2_to_5_by_api_alone(client, world, frozen):
    public_info_service(world)
    ult, ppid = Officer(client, world.ult), Officer(client, world.ppid)

    # Step 1: the requester (a chatbot, no login) submits a public-information request.
    receipt = client.post(
        "/api/v1/requests", intake_body(service_type="informasi-publik"), content_type="application/json"
    )
    assert receipt.status_code == 201
    number, code = receipt.json()["registration_number"], receipt.json()["tracking_code"]
    requester_view = track(client, number, code)
    assert requester_view["status"] == "submitted"
    assert requester_view["information_deadline"]["due_at"] is not None

    # Step 2 (ULT officer): the request is in the queue with the reason for its place; accepted, forwarded.
    queue = ult.get("/cases", {"view": "all"}).json()["items"]
    assert [row["registration_number"] for row in queue] == [number]
    assert queue[0]["queue"]["position"] == 1 and queue[0]["queue"]["reason"]
    assert queue[0]["id_document_masked"] == "3171********0001"
    assert ult.act(number, "accept")["status"] == "accepted"
    forwarded = ult.act(
        number, "forward_to_ppid", {"ppid_member": world.ppid.username, "note": "Mohon data mutu SD 2025"}
    )
    assert (forwarded["status"], forwarded["ppid_member"]) == ("with_ppid", world.ppid.username)

    # Step 3 (PPID member, own token): finds it with Tim PPID, writes in the thread, extends the legal
    # deadline with a notice, uploads the result file and records the result with it.
    inbox = ppid.get("/cases", {"view": "ppid_inbox"}).json()["items"]
    assert [row["registration_number"] for row in inbox] == [number]
    noted = ppid.act(number, "add_note", {"body": THREAD_NOTE})
    assert [(n["author"], n["body"]) for n in noted["notes"]] == [(world.ppid.username, THREAD_NOTE)]
    extended = ppid.act(
        number,
        "extend_information_deadline",
        {
            "days": 3,
            "reason": "Data tersebar di tiga bidang",
            "notice": "Jawaban kami kirim paling lambat 3 hari kerja lagi.",
        },
    )
    assert extended["information_deadline"]["extension_days"] == 3
    result_token = ppid.upload("result", "data-mutu-2025.csv", RESULT_CSV)
    recorded = ppid.act(
        number, "record_result", {"summary": "Rapor mutu SD 2025 (CSV)", "document_tokens": [result_token]}
    )
    assert recorded["status"] == "ready_to_schedule"
    [result_file] = recorded["documents"]
    assert (result_file["kind"], result_file["filename"], result_file["content_type"]) == (
        "result",
        "data-mutu-2025.csv",
        "text/csv",
    )

    # Step 4 (ULT officer again): reads the thread, opens the result, records a contact attempt, schedules
    # with a team and the accommodations to prepare, and finds the requester in the day's list.
    detail = ult.get(f"/cases/{number}").json()
    assert [(n["author"], n["body"]) for n in detail["notes"]] == [(world.ppid.username, THREAD_NOTE)]
    downloaded = ult.get(f"/cases/{number}/documents/{result_file['id']}")
    assert downloaded.status_code == 200 and downloaded.content == RESULT_CSV
    contacted = ult.act(number, "record_contact_attempt", {"channel": "phone", "result": "reached"})
    assert [(a["result"], a["officer"]) for a in contacted["contact_attempts"]] == [("reached", world.ult.username)]
    starts_at = datetime(2025, 1, 7, 10, 0, tzinfo=JKT)
    scheduled = ult.act(
        number,
        "schedule",
        {
            "starts_at": starts_at.isoformat(),
            "mode": "visit",
            "place": "Rumah pemohon",
            "officers": [world.ult.username, world.ppid.username],
            "accommodations": ["wheelchair", "plain_language"],
        },
    )
    assert scheduled["status"] == "scheduled"
    assert scheduled["appointment"]["officers"] == sorted([world.ult.username, world.ppid.username])
    assert scheduled["appointment"]["accommodations"] == ["wheelchair", "plain_language"]
    [day_entry] = ult.get("/schedule", {"date": "2025-01-07"}).json()
    assert (day_entry["registration_number"], day_entry["mode"]) == (number, "visit")
    assert datetime.fromisoformat(day_entry["starts_at"]) == starts_at
    assert ult.get("/schedule", {"date": "2025-01-08"}).json() == []
    # The calendar files: the team's, and the requester's through the tracking code.
    team_calendar = icalendar.Calendar.from_ical(ult.get(f"/cases/{number}/appointment.ics").content)
    assert world.ppid.first_name in str(team_calendar.walk("VEVENT")[0]["description"])
    own = client.get(f"/api/v1/requests/{number}/appointment.ics", headers={"X-Tracking-Code": code})
    event = icalendar.Calendar.from_ical(own.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == starts_at and world.ppid.first_name not in str(event["description"])

    # Step 5 (ULT officer): at the appointment, delivers with the documents handed over, the office's cost
    # and a photo as proof.
    clock.advance(starts_at - clock.now() + timedelta(minutes=30))
    proof_token = ult.upload("delivery_proof", "tanda-terima.png", png_bytes())
    delivered = ult.act(
        number,
        "deliver",
        {
            "notes": "Rapor mutu dibacakan dan diserahkan",
            "documents_handed_over": "Cetakan rapor mutu SD 2025",
            "office_cost": 25000,
            "office_cost_note": "Transport petugas",
            "proof_token": proof_token,
        },
    )
    assert delivered["status"] == "delivered"
    assert (delivered["documents_handed_over"], delivered["office_cost"], delivered["delivery_mode"]) == (
        "Cetakan rapor mutu SD 2025",
        25000,
        "visit",
    )
    assert sorted(d["kind"] for d in delivered["documents"]) == ["delivery_proof", "result"]

    # Who did which step.
    case = Case.objects.get(registration_number=number)
    done = {
        step.step_no: step.done_by.username if step.done_by else None
        for step in StepRecord.objects.filter(case=case, done_at__isnull=False)
    }
    assert done == {
        1: None,  # the requester
        2: world.ult.username,
        3: world.ppid.username,
        4: world.ult.username,
        5: world.ult.username,
    }
    # One audit event per action, each by the user whose token made the call.
    events = [
        (event.action, event.actor.username if event.actor else event.actor_label)
        for event in AuditEvent.objects.filter(case=case).order_by("seq")
    ]
    assert events == [
        ("case.submit", "requester"),
        ("case.accept", world.ult.username),
        ("case.forward_to_ppid", world.ult.username),
        ("case.add_note", world.ppid.username),
        ("case.extend_information_deadline", world.ppid.username),
        ("case.record_result", world.ppid.username),
        ("case.record_contact_attempt", world.ult.username),
        ("case.schedule", world.ult.username),
        ("case.deliver", world.ult.username),
    ]
    assert set(CaseDocument.objects.filter(case=case).values_list("kind", flat=True)) == {"result", "delivery_proof"}
    # Who held the case when.
    holders = [(h["role"], h["username"], h["how"], h["end"]) for h in delivered["holders"]]
    assert holders == [
        ("ult", world.ult.username, "case.accept", None),
        ("ppid", world.ppid.username, "case.forward_to_ppid", None),
    ]
    # The requester follows it all without ever seeing the thread: the status, the notice, the deadline.
    requester_view = track(client, number, code)
    assert requester_view["status"] == "delivered"
    assert [n["kind"] for n in requester_view["notices"]] == ["information_extension"]
    assert requester_view["information_deadline"]["extension_days"] == 3
    assert requester_view["information_deadline"]["answered_at"] is not None
    assert "notes" not in requester_view and "Transport petugas" not in str(requester_view)
