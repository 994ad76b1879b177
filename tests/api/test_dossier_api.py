"""The case dossier through the staff API (issue 6 items 4 and 7): the masked PDF for every role of the
office, the unmasked one by POST with a purpose, 401 without a token, 403 for another office's case, 404 for
a number that exists nowhere, 422 without a purpose; each download audited."""

import re

import pytest

from jangkau.accounts.models import Role
from jangkau.accounts.tokens import api_token_issue
from jangkau.audit.models import AuditEvent
from jangkau.cases.models import Case
from tests.builders import VALID_NIK, case_in
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db

ADDRESS = "Jl. Kenanga No. 5, Cempaka Putih"


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def bearer(user) -> dict:
    _token, secret = api_token_issue(user=user, name="arsip")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def case(world, frozen):
    return case_in("closed", world)


def url(case) -> str:
    return f"/api/v1/cases/{case.registration_number}/dossier.pdf"


@pytest.mark.parametrize("role", [Role.ULT_OFFICER, Role.PPID_MEMBER, Role.HEAD, Role.ADMIN])
def test_every_role_of_the_office_downloads_the_masked_dossier(client, world, case, role):
    user = world.actor_for(role)

    response = client.get(url(case), **bearer(user))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = compact(pdf_text(response.content))
    assert compact(case.registration_number) in text
    assert compact("Rantai jejak audit utuh") in text
    assert VALID_NIK not in text and compact(ADDRESS) not in text
    event = AuditEvent.objects.last()
    assert (event.action, event.actor, event.changes["masked"]) == ("case.dossier_exported", user, True)


def test_the_unmasked_dossier_needs_a_purpose_and_is_logged(client, world, case):
    headers = bearer(world.ult)
    before = AuditEvent.objects.count()

    missing = client.post(url(case), {}, content_type="application/json", **headers)
    given = client.post(url(case), {"purpose": "Salinan untuk pemohon"}, content_type="application/json", **headers)

    assert missing.status_code == 422
    assert [error["field"] for error in missing.json()["errors"]] == ["purpose"]
    assert given.status_code == 200 and given["Content-Type"] == "application/pdf"
    text = compact(pdf_text(given.content))
    assert VALID_NIK in text and compact(ADDRESS) in text
    actions = list(AuditEvent.objects.filter(seq__gt=before).values_list("action", flat=True))
    assert actions == ["case.personal_data_viewed", "case.dossier_exported"]


def test_an_anonymised_case_has_nothing_to_unmask(client, world, case):
    Case.objects.filter(pk=case.pk).update(anonymised_at=case.closed_at)
    headers = bearer(world.head)

    gone = client.post(url(case), {"purpose": "Salinan"}, content_type="application/json", **headers)
    masked = client.get(url(case), **headers)

    assert (gone.status_code, gone.json()["code"]) == (410, "gone")
    assert masked.status_code == 200


def test_refusals(client, world, other_world, case):
    elsewhere_head, elsewhere_ult, own_head = bearer(other_world.head), bearer(other_world.ult), bearer(world.head)
    before = AuditEvent.objects.count()  # issuing the tokens is audited too

    assert client.get(url(case)).status_code == 401
    elsewhere = client.get(url(case), **elsewhere_head)
    unknown = client.get("/api/v1/cases/JB-2099-999999/dossier.pdf", **own_head)
    body = {"purpose": "Ingin tahu"}
    posted_elsewhere = client.post(url(case), body, content_type="application/json", **elsewhere_ult)

    assert (elsewhere.status_code, elsewhere.json()["code"]) == (403, "permission_denied")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert posted_elsewhere.status_code == 403
    assert AuditEvent.objects.count() == before


def test_the_openapi_document_declares_both_downloads(client):
    schema = client.get("/api/v1/openapi.json").json()
    item = schema["paths"]["/api/v1/cases/{registration_number}/dossier.pdf"]

    assert item["get"]["operationId"] == "case_dossier"
    assert item["post"]["operationId"] == "case_dossier_unmasked"
    for method, codes in (("get", {"401", "403", "404"}), ("post", {"400", "401", "403", "404", "410", "422"})):
        responses = item[method]["responses"]
        assert codes <= set(responses)
        assert responses["200"]["content"]["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
