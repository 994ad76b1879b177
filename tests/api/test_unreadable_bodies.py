"""A body Django cannot parse gets the API's JSON refusal, never Django's HTML error page (schemathesis found
a multipart body that did): broken multipart boundaries."""

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        # No boundary at all: Django's multipart parser gives up before reading anything.
        ("multipart/form-data; boundary=", b"--\r\n"),
        # A boundary with a character outside printable ASCII.
        ("multipart/form-data; boundary=batas\u00e9", "--batas\u00e9\r\n".encode()),
    ],
)
def test_a_broken_multipart_body_is_answered_400_in_json(client, world, content_type, body):
    client.force_login(world.head)

    response = client.generic("POST", "/api/v1/letters/1/signed-scan", body, content_type=content_type)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["code"] == "bad_request"
