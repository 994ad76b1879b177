"""Staff API tokens: integrations authenticate per user with a bearer key that is stored only as a hash."""

import pytest
from django.core.management import call_command

from jangkau.accounts.models import ApiToken
from jangkau.accounts.tokens import api_token_issue, api_token_revoke
from jangkau.audit.models import AuditEvent
from jangkau.core.errors import InvalidInput
from tests.builders import submit

pytestmark = pytest.mark.django_db


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def test_a_token_opens_the_staff_api_as_its_user_without_csrf(client, world, frozen):
    submit(world)
    _token, key = api_token_issue(user=world.ult, name="pusat panggilan")

    listing = client.get("/api/v1/cases", headers=bearer(key))
    accepted = client.post(
        f"/api/v1/cases/{listing.json()['items'][0]['registration_number']}/actions/accept",
        {},
        content_type="application/json",
        headers=bearer(key),
    )

    assert listing.status_code == 200 and listing.json()["count"] == 1
    assert accepted.status_code == 200, accepted.content
    assert AuditEvent.objects.filter(action="case.accept", actor=world.ult).count() == 1
    assert ApiToken.objects.get().last_used_at is not None


def test_only_a_hash_of_the_key_is_stored(world, frozen):
    token, key = api_token_issue(user=world.ult, name="chatbot")

    assert key.startswith("jgk_") and len(key) > 40
    assert key not in token.key_hash and token.prefix == key[:10]
    assert key not in str(AuditEvent.objects.get(action="api_token.issue").changes)


@pytest.mark.parametrize("case", ["wrong", "revoked", "inactive_user", "malformed"])
def test_a_bad_token_answers_401(client, world, frozen, case):
    token, key = api_token_issue(user=world.ult, name="chatbot")
    if case == "wrong":
        key = key[:-4] + "AAAA"
    elif case == "revoked":
        api_token_revoke(token=token, actor=world.admin)
    elif case == "inactive_user":
        world.ult.is_active = False
        world.ult.save()
    elif case == "malformed":
        key = "not-a-token"

    response = client.get("/api/v1/cases", headers=bearer(key))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_token_sees_only_its_office(client, world, other_world, frozen):
    foreign = submit(other_world)
    _token, key = api_token_issue(user=world.ult, name="chatbot")

    response = client.get(f"/api/v1/cases/{foreign.registration_number}", headers=bearer(key))

    assert response.status_code in (403, 404)
    assert foreign.tracking_code not in response.content.decode()


def test_tokens_are_only_for_active_staff_of_an_office(world, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", password="x")

    with pytest.raises(InvalidInput):
        api_token_issue(user=superuser, name="semua kantor")
    with pytest.raises(InvalidInput):
        api_token_issue(user=world.ult, name="  ")


def test_the_command_prints_the_key_once(world, frozen, capsys):
    call_command("api_token_issue", world.ult.username, "--name", "pusat panggilan")

    out = capsys.readouterr().out
    key = next(line for line in out.splitlines() if line.startswith("jgk_"))
    assert ApiToken.objects.get().prefix == key[:10]


def test_the_openapi_document_declares_the_bearer_scheme(client, db):
    schemes = client.get("/api/v1/openapi.json").json()["components"]["securitySchemes"]

    assert any(scheme.get("scheme") == "bearer" for scheme in schemes.values())


def test_an_administrator_revokes_a_token_in_the_admin(client, world, frozen):
    token, key = api_token_issue(user=world.ult, name="chatbot")
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)

    listing = client.get("/admin/accounts/apitoken/")
    client.post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk], "index": 0}, follow=True
    )
    client.logout()

    assert (
        listing.status_code == 200 and token.prefix in listing.content.decode() and key not in listing.content.decode()
    )
    assert client.get("/api/v1/cases", headers=bearer(key)).status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=world.admin).count() == 1
