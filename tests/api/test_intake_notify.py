"""The API's intake takes how the requester wants news of the request (``notify_channel``) and in which
language (``language``): both optional, checked with a 422 per field, stored, and echoed in the receipt."""

import pytest

from jangkau.cases.models import Case
from tests.api.test_public import field_errors, intake_body, post_intake

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("overrides", "stored"),
    [
        ({"notify_channel": "sms", "language": "en"}, ("sms", "en")),
        ({"notify_channel": "email", "email": "siti@contoh.id", "language": "id"}, ("email", "id")),
        ({"notify_channel": "none"}, ("none", "id")),
        ({}, ("whatsapp", "id")),
        ({"phone": ..., "email": "siti@contoh.id"}, ("email", "id")),
        ({"notify_channel": None, "language": None}, ("whatsapp", "id")),
    ],
)
def test_the_answers_or_their_defaults_are_stored_and_echoed(client, world, frozen, overrides, stored):
    response = post_intake(client, intake_body(**overrides))

    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert (case.notify_channel, case.language) == stored
    assert (response.json()["notify_channel"], response.json()["language"]) == stored


def test_a_left_out_language_follows_accept_language(client, world, frozen):
    response = post_intake(client, intake_body(), **{"Accept-Language": "en-US,en;q=0.8"})

    assert response.status_code == 201
    assert Case.objects.get().language == "en"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"notify_channel": "pigeon"}, "notify_channel", "Pilihan tidak dikenal"),
        ({"notify_channel": 7}, "notify_channel", "Harus berupa teks"),
        ({"notify_channel": "email"}, "notify_channel", "isi alamat surel"),
        ({"notify_channel": "whatsapp", "phone": ..., "email": "siti@contoh.id"}, "notify_channel", "nomor telepon"),
        ({"notify_channel": "sms", "phone": ..., "email": "siti@contoh.id"}, "notify_channel", "nomor telepon"),
        ({"language": "fr"}, "language", "Pilihan tidak dikenal"),
        ({"language": ["en"]}, "language", "Harus berupa teks"),
    ],
)
def test_a_wrong_answer_answers_422_naming_its_field(client, world, frozen, overrides, field, message):
    response = post_intake(client, intake_body(**overrides))

    assert response.status_code == 422, response.content
    errors = field_errors(response)
    assert list(errors) == [field]
    assert message in errors[field]
    assert Case.objects.count() == 0


def test_the_staff_intake_takes_them_too(client, world, frozen):
    client.force_login(world.ult)

    response = client.post(
        "/api/v1/cases",
        intake_body(channel="phone", notify_channel="sms", language="en"),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert (Case.objects.get().notify_channel, Case.objects.get().language) == ("sms", "en")


def test_the_openapi_document_describes_both_with_their_values(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    notify = schema["IntakeIn"]["properties"]["notify_channel"]
    language = schema["IntakeIn"]["properties"]["language"]
    assert notify["enum"] == ["whatsapp", "sms", "email", "none"]
    assert "`whatsapp` with a phone" in notify["description"]
    assert language["enum"] == ["id", "en"]
    assert "Accept-Language" in language["description"]
    assert "notify_channel" not in schema["IntakeIn"].get("required", [])
