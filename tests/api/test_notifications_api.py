"""The staff API for notifications: the user's inbox, the office's delivery records (recipients masked) and
the office's message templates; the same services and rules as the back office, with 401/403/404/409/422
where they refuse. Messages come from real case actions."""

import json

import pytest

from jangkau.accounts.tokens import api_token_issue
from jangkau.audit.models import AuditEvent
from jangkau.core.masking import mask_email
from jangkau.notifications.events import EVENTS
from jangkau.notifications.models import Channel, Message, MessageTemplate, Status
from tests.builders import perform, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

PHONE = "+6281234567890"
EMAIL = "siti.aminah@example.org"


def bearer(user) -> dict:
    _token, secret = api_token_issue(user=user, name="uji")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def get(client, user, path, **query):
    return client.get(f"/api/v1{path}", query, **bearer(user))


def send(client, method, user, path, body=None):
    call = getattr(client, method)
    return call(f"/api/v1{path}", json.dumps(body) if body is not None else "", "application/json", **bearer(user))


def field_errors(response) -> dict[str, str]:
    return {error["field"]: error["msg"] for error in response.json()["errors"]}


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["detail"]


def failed(message: Message, error: str = "HTTP 400: rejected") -> Message:
    """Makes the message a final failure, as the worker leaves it after its last attempt."""
    Message.objects.filter(pk=message.pk).update(
        status=Status.FAILED, attempts=5, next_attempt_at=None, last_error=error
    )
    message.refresh_from_db()
    return message


def requester_message(case, channel: str) -> Message:
    return Message.objects.get(case=case, channel=channel)


# --- the inbox ------------------------------------------------------------------------------------------------


def test_the_inbox_lists_the_users_own_notifications_and_marks_them_read(client, world, other_world):
    case = submit(world)
    submit(other_world)

    response = get(client, world.ult, "/notifications")

    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 1
    [item] = page["items"]
    mine = Message.objects.get(recipient_user=world.ult, channel=Channel.IN_APP)
    assert item["id"] == mine.pk
    assert (item["event"], item["case"], item["read_at"]) == ("new_request", case.registration_number, None)
    assert case.registration_number in item["subject"] and item["body"] and item["link"]
    assert item["event_label"] == str(EVENTS["new_request"].label)
    assert get(client, world.head, "/notifications").json()["count"] == 0

    # Another user's notification is not the caller's to mark.
    theirs = Message.objects.get(recipient_user=world.ult2, channel=Channel.IN_APP)
    response = send(client, "post", world.ult, "/notifications/read", {"ids": [theirs.pk]})
    assert response.status_code == 200 and response.json() == {"marked": 0, "unread": 1}

    response = send(client, "post", world.ult, "/notifications/read", {"ids": [mine.pk]})
    assert response.json() == {"marked": 1, "unread": 0}
    assert get(client, world.ult, "/notifications", unread_only="true").json() == {"items": [], "count": 0}
    assert get(client, world.ult, "/notifications").json()["items"][0]["read_at"] is not None
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_empty_body_marks_every_unread_notification_read(client, world):
    submit(world)
    submit(world, full_name="Budi Santoso")

    assert get(client, world.ult, "/notifications", unread_only="true").json()["count"] == 2
    assert send(client, "post", world.ult, "/notifications/read", {}).json() == {"marked": 2, "unread": 0}
    assert send(client, "post", world.ult, "/notifications/read", {}).json() == {"marked": 0, "unread": 0}


def test_the_inbox_pages_and_refuses_with_declared_errors(client, world):
    for name in ("Siti Aminah", "Budi Santoso", "Ani Lestari"):
        submit(world, full_name=name)

    page = get(client, world.ult, "/notifications", limit=2, offset=2).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert_error(client.get("/api/v1/notifications"), 401, "not_authenticated")
    assert_error(get(client, world.ult, "/notifications", limit=0), 422, "invalid_input")
    response = send(client, "post", world.ult, "/notifications/read", {"ids": "semua"})
    assert_error(response, 422, "invalid_input")
    assert "ids" in field_errors(response)


# --- the delivery records -------------------------------------------------------------------------------------


def test_the_delivery_records_show_the_offices_messages_with_masked_recipients(client, world, other_world):
    by_sms = submit(world, notify_channel="sms")
    by_email = submit(world, full_name="Budi Santoso", notify_channel="email", email=EMAIL)
    failed(requester_message(by_email, Channel.EMAIL), f"SMTPRecipientsRefused: {{'{EMAIL.upper()}': (550, b'')}}")
    failed(requester_message(by_sms, Channel.SMS), f"HTTP 400: 6281234567890 / 081234567890 / {PHONE} unknown")
    other = submit(other_world, notify_channel="sms")

    response = get(client, world.ult, "/messages")

    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 2  # in-app notifications and the other office's message are not listed
    by_case = {item["case"]: item for item in page["items"]}
    assert set(by_case) == {by_sms.registration_number, by_email.registration_number}
    sms = by_case[by_sms.registration_number]
    assert (sms["event"], sms["channel"], sms["recipient"], sms["language"]) == (
        "received",
        "sms",
        "+62812****7890",
        "id",
    )
    assert (sms["status"], sms["attempts"], sms["handled_by"]) == ("failed", 5, None)
    assert sms["subject"] == requester_message(by_sms, Channel.SMS).subject
    assert "body" not in sms and "address" not in sms
    assert by_case[by_email.registration_number]["recipient"] == mask_email(EMAIL)
    # Neither the address nor a gateway's echo of it leaves, not even through the error text.
    text = response.content.decode()
    for unmasked in (PHONE, "6281234567890", "081234567890", EMAIL, EMAIL.upper(), by_sms.tracking_code):
        assert unmasked not in text
    assert "+62812****7890 / +62812****7890 / +62812****7890" in sms["last_error"]
    assert requester_message(other, Channel.SMS).pk not in {item["id"] for item in page["items"]}


def test_the_delivery_records_filter_by_status_need_and_case(client, world, other_world):
    first = submit(world, notify_channel="sms")
    second = submit(world, full_name="Budi Santoso", notify_channel="sms", phone="0857-1111-2222")
    failed(requester_message(first, Channel.SMS))
    # Registration numbers count per office: the third exists in the other office only.
    other = [submit(other_world, notify_channel="sms") for _ in range(3)][-1]

    def cases(**query):
        response = get(client, world.head, "/messages", **query)
        assert response.status_code == 200, response.content
        return [item["case"] for item in response.json()["items"]]

    assert cases(needs_action="true") == [first.registration_number]
    assert cases(status="pending") == [second.registration_number]
    assert cases(case=second.registration_number.lower()) == [second.registration_number]
    # Another office's case is as unknown as one that does not exist.
    for number in (other.registration_number, "JB-1999-000001"):
        response = get(client, world.head, "/messages", case=number)
        assert_error(response, 422, "invalid_fields")
        assert "case" in field_errors(response)
    assert_error(get(client, world.head, "/messages", status="lost"), 422, "invalid_input")


def test_only_delivery_roles_see_the_delivery_records(client, world):
    message = failed(requester_message(submit(world, notify_channel="sms"), Channel.SMS))

    for user in (world.ult, world.head, world.admin):
        assert get(client, user, "/messages").status_code == 200
    assert_error(get(client, world.ppid, "/messages"), 403, "permission_denied")
    assert_error(send(client, "post", world.ppid, f"/messages/{message.pk}/retry"), 403, "permission_denied")
    response = send(client, "post", world.ppid, f"/messages/{message.pk}/handled", {"note": "Ditelepon"})
    assert_error(response, 403, "permission_denied")
    assert_error(client.get("/api/v1/messages"), 401, "not_authenticated")


def test_a_failed_message_is_sent_again(client, world):
    message = failed(requester_message(submit(world, notify_channel="sms"), Channel.SMS))

    response = send(client, "post", world.ult, f"/messages/{message.pk}/retry")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["status"], body["attempts"]) == (message.pk, "pending", 0)
    assert body["next_attempt_at"] is not None
    assert AuditEvent.objects.filter(action="message.retry").count() == 1
    # Pending now: nothing to send again.
    assert_error(send(client, "post", world.ult, f"/messages/{message.pk}/retry"), 409, "not_failed")


def test_a_failed_message_is_recorded_as_handled_once(client, world):
    message = failed(requester_message(submit(world, notify_channel="sms"), Channel.SMS))
    path = f"/messages/{message.pk}/handled"

    response = send(client, "post", world.ult, path, {"note": "  "})
    assert_error(response, 422, "invalid_fields")
    assert "note" in field_errors(response)
    assert_error(send(client, "post", world.ult, path, {}), 422, "invalid_fields")

    response = send(client, "post", world.ult, path, {"note": "Pemohon ditelepon Senin pukul 10.00."})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["handled_by"], body["handled_note"]) == (world.ult.username, "Pemohon ditelepon Senin pukul 10.00.")
    assert body["handled_at"] is not None
    assert get(client, world.ult, "/messages", needs_action="true").json()["count"] == 0
    assert_error(send(client, "post", world.ult, path, {"note": "Lagi"}), 409, "already_handled")
    pending = requester_message(submit(world, full_name="Budi Santoso", notify_channel="sms"), Channel.SMS)
    assert_error(send(client, "post", world.ult, f"/messages/{pending.pk}/handled", {"note": "x"}), 409, "not_failed")


def test_another_offices_message_and_an_in_app_notification_are_not_found(client, world, other_world):
    theirs = failed(requester_message(submit(other_world, notify_channel="sms"), Channel.SMS))
    submit(world)
    in_app = Message.objects.filter(office=world.office, channel=Channel.IN_APP).first()

    for pk in (theirs.pk, in_app.pk, 999999):
        assert_error(send(client, "post", world.head, f"/messages/{pk}/retry"), 404, "not_found")
        assert_error(send(client, "post", world.head, f"/messages/{pk}/handled", {"note": "x"}), 404, "not_found")
    theirs.refresh_from_db()
    assert theirs.status == Status.FAILED and theirs.handled_at is None
    assert_error(send(client, "post", world.head, "/messages/abc/retry"), 422, "invalid_input")


# --- the message templates ------------------------------------------------------------------------------------


TEMPLATE = "/message-templates/accepted/id"
OWN_TEXT = {
    "subject": "Kabar baik untuk {{ nomor_registrasi }}",
    "body": "{{ kantor }} akan melayani permohonan {{ nomor_registrasi }}. Pantau: {{ tautan_lacak }}",
}


def test_the_administrator_reads_every_event_in_every_language(client, world, other_world):
    MessageTemplate.objects.create(
        office=other_world.office,
        event="accepted",
        language="id",
        subject="x",
        body="y",
        updated_at="2025-01-01T00:00Z",
    )

    response = get(client, world.admin, "/message-templates")

    assert response.status_code == 200
    items = response.json()
    assert len(items) == len(EVENTS) * 2
    assert {(item["event"], item["language"]) for item in items} == {(e, lang) for e in EVENTS for lang in ("id", "en")}
    assert [item["audience"] for item in items] == sorted(item["audience"] for item in items)
    # Another office's own wording does not show here.
    assert not any(item["customised"] for item in items)
    accepted = next(item for item in items if (item["event"], item["language"]) == ("accepted", "id"))
    assert "{{ nomor_registrasi }}" in accepted["subject"]
    names = [placeholder["name"] for placeholder in accepted["placeholders"]]
    assert names == list(EVENTS["accepted"].placeholders)
    assert all(placeholder["meaning"] and placeholder["example"] for placeholder in accepted["placeholders"])


def test_only_the_administrator_works_on_the_templates(client, world):
    for user in (world.ult, world.ppid, world.head):
        assert_error(get(client, user, "/message-templates"), 403, "permission_denied")
        assert_error(send(client, "put", user, TEMPLATE, OWN_TEXT), 403, "permission_denied")
        assert_error(send(client, "delete", user, TEMPLATE), 403, "permission_denied")
        assert_error(send(client, "post", user, TEMPLATE + "/preview", OWN_TEXT), 403, "permission_denied")
    assert not MessageTemplate.objects.exists()
    assert_error(client.get("/api/v1/message-templates"), 401, "not_authenticated")


def test_a_saved_template_words_the_next_message_and_a_reset_brings_back_the_built_in(client, world, other_world):
    response = send(client, "put", world.admin, TEMPLATE, OWN_TEXT)

    assert response.status_code == 200, response.content
    saved = response.json()
    assert (saved["customised"], saved["subject"], saved["body"]) == (True, OWN_TEXT["subject"], OWN_TEXT["body"])
    assert AuditEvent.objects.filter(action="message_template.save").count() == 1

    case = perform("accept", submit(world, notify_channel="sms"), world)
    message = Message.objects.get(case=case, event="accepted")
    assert message.subject == f"Kabar baik untuk {case.registration_number}"
    assert message.body.startswith(f"{world.office.name} akan melayani permohonan {case.registration_number}.")
    # Only this office's messages change.
    theirs = perform("accept", submit(other_world, notify_channel="sms"), other_world)
    assert not Message.objects.get(case=theirs, event="accepted").subject.startswith("Kabar baik")

    response = send(client, "delete", world.admin, TEMPLATE)

    assert response.status_code == 200
    assert response.json()["customised"] is False and "{{ nomor_registrasi }}" in response.json()["subject"]
    assert not MessageTemplate.objects.filter(office=world.office).exists()
    assert send(client, "delete", world.admin, TEMPLATE).status_code == 200


def test_a_wrong_template_is_refused_naming_its_field(client, world):
    bad = {"subject": "{% if nomor_registrasi %}", "body": "Hai {{ alamat_rumah }}"}

    response = send(client, "put", world.admin, TEMPLATE, bad)

    assert_error(response, 422, "invalid_fields")
    errors = field_errors(response)
    assert set(errors) == {"subject", "body"} and "alamat_rumah" in errors["body"]
    response = send(client, "put", world.admin, TEMPLATE, {"subject": "Judul"})
    assert_error(response, 422, "invalid_fields")
    assert list(field_errors(response)) == ["body"]
    assert not MessageTemplate.objects.exists()


def test_the_preview_fills_in_the_examples_without_saving(client, world):
    response = send(client, "post", world.admin, "/message-templates/accepted/en/preview", OWN_TEXT)

    assert response.status_code == 200, response.content
    assert response.json() == {
        "subject": "Kabar baik untuk JB-2026-000123",
        "body": "BPMP Provinsi DKI Jakarta akan melayani permohonan JB-2026-000123. "
        "Pantau: https://jangkau.example/lacak/?nomor=JB-2026-000123",
    }
    assert not MessageTemplate.objects.exists()
    response = send(client, "post", world.admin, TEMPLATE + "/preview", {"subject": "Ok", "body": "{{ kode_lacak }}"})
    assert_error(response, 422, "invalid_fields")
    assert "kode_lacak" in field_errors(response)["body"]


@pytest.mark.parametrize("path", ["/message-templates/no_such_event/id", "/message-templates/accepted/fr"])
def test_an_unknown_event_or_language_is_not_found(client, world, path):
    assert_error(send(client, "put", world.admin, path, OWN_TEXT), 404, "not_found")
    assert_error(send(client, "delete", world.admin, path), 404, "not_found")
    assert_error(send(client, "post", world.admin, path + "/preview", OWN_TEXT), 404, "not_found")
