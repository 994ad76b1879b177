"""Staff sign-in with a second factor, through the real pages (no force_login): enrolment with a QR code,
codes from the authenticator, recovery codes, lockout, and the audit of every step."""

from __future__ import annotations

import base64
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jangkau.audit.models import AuditEvent
from jangkau.audit.services import verify_chain

PASSWORD = "kata-sandi-uji-123"
LOGIN, CODE, ENROL, SECURITY = "/staf/masuk/", "/staf/masuk/kode/", "/staf/masuk/aktifkan/", "/staf/keamanan/"


def password_only(user) -> Client:
    """A browser that has typed the right password and nothing more."""
    client = Client()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and SESSION_KEY in client.session
    return client


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def actions(user=None) -> list[str]:
    events = AuditEvent.objects.filter(action__startswith="auth.").order_by("seq")
    return [e.action for e in (events.filter(actor=user) if user else events)]


@pytest.mark.parametrize(
    "path", ["/staf/", "/staf/kasus/", "/staf/pemberitahuan/", "/staf/keamanan/", "/admin/", "/admin/cases/case/"]
)
def test_a_password_alone_opens_no_staff_page(world, path):
    enrolled(world.head)
    client = password_only(world.head)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(CODE + "?next=")


def test_a_password_alone_gets_401_from_the_staff_api(world):
    enrolled(world.ult)
    client = password_only(world.ult)
    assert client.get("/api/v1/cases").status_code == 401


def test_the_password_page_sends_a_new_officer_to_enrol_and_the_menu_stays_hidden(world):
    response = Client().post(LOGIN + "?next=/staf/kasus/", {"username": world.ult.username, "password": PASSWORD})
    assert response["Location"] == ENROL + "?next=%2Fstaf%2Fkasus%2F"

    client = password_only(world.ult)
    page = client.get(ENROL).content.decode()
    assert 'src="data:image/svg+xml' in page and 'alt="Kode QR untuk aplikasi autentikator' in page
    assert "Menu petugas" not in page


def _secret_on_page(page: str) -> bytes:
    text = re.search(r'<code class="secret-key" lang="en">([A-Z2-7 ]+)</code>', page).group(1)
    encoded = text.replace(" ", "")
    return base64.b32decode(encoded + "=" * (-len(encoded) % 8))


def test_enrolment_saves_the_app_only_after_a_matching_code_and_shows_recovery_codes_once(world):
    client = password_only(world.ult)
    key = _secret_on_page(client.get(ENROL).content.decode())
    # The same secret is shown again until it is confirmed (reloading the page does not change the QR code).
    assert _secret_on_page(client.get(ENROL).content.decode()) == key

    wrong = client.post(ENROL, {"code": "000000" if TOTP(key).token() != 0 else "111111"})
    assert wrong.status_code == 200 and "Kode tidak cocok" in wrong.content.decode()
    assert not TOTPDevice.objects.exists() and "auth.two_factor_enrolled" not in actions()

    done = client.post(ENROL, {"code": f"{TOTP(key).token():06d}", "next": "/staf/kasus/"})
    page = done.content.decode()
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/staf/kasus/"' in page
    device = TOTPDevice.objects.get(user=world.ult)
    assert device.confirmed and device.bin_key == key
    assert actions(world.ult) == ["auth.two_factor_enrolled"]
    assert client.get("/staf/kasus/").status_code == 200


def test_a_password_alone_cannot_replace_an_enrolled_app(world):
    device = enrolled(world.ult)
    client = password_only(world.ult)

    response = client.post(ENROL, {"code": "123456"})

    assert response.status_code == 302 and response["Location"].startswith(CODE)
    assert list(TOTPDevice.objects.filter(user=world.ult)) == [device]


def test_the_code_signs_in_once_and_is_audited(world):
    device = enrolled(world.ult)
    client = password_only(world.ult)

    response = client.post(CODE, {"code": code_of(device), "next": "/staf/kasus/"})

    assert response["Location"] == "/staf/kasus/"
    assert client.get("/staf/kasus/").status_code == 200
    login = AuditEvent.objects.get(action="auth.login")
    assert (login.actor, login.changes) == (world.ult, {"second_factor": "authenticator"})
    # The same code cannot open a second session (a code read over the shoulder is spent).
    again = password_only(world.ult).post(CODE, {"code": code_of(device)})
    assert again.status_code == 200 and "Kode salah atau sudah dipakai" in again.content.decode()


def test_next_never_leads_off_the_site(world):
    device = enrolled(world.ult)
    response = password_only(world.ult).post(CODE, {"code": code_of(device), "next": "https://jahat.example/"})
    assert response["Location"] == "/staf/"


def test_wrong_codes_are_audited_and_lock_the_account_like_wrong_passwords(world):
    device = enrolled(world.ult)
    client = password_only(world.ult)
    right = code_of(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    for _ in range(4):
        response = client.post(CODE, {"code": wrong})
        assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    failures = AuditEvent.objects.filter(action="auth.login_failed")
    assert [e.changes["stage"] for e in failures] == ["second_factor"] * 4

    locked = client.post(CODE, {"code": wrong})
    assert locked.status_code == 429 and "Akun dikunci sementara" in locked.content.decode()
    assert SESSION_KEY not in client.session
    # Locked: even the right password and code do not get in now.
    assert Client().post(LOGIN, {"username": world.ult.username, "password": PASSWORD}).status_code == 429
    assert "auth.login" not in actions()
    assert not list(verify_chain())


def test_a_recovery_code_works_once_and_says_how_many_are_left(world):
    client = password_only(world.ult)
    key = _secret_on_page(client.get(ENROL).content.decode())
    page = client.post(ENROL, {"code": f"{TOTP(key).token():06d}"}).content.decode()
    first = re.findall(r"<li><code>([a-z0-9-]{11})</code></li>", page)[0]
    client.post("/staf/keluar/")

    client = password_only(world.ult)
    response = client.post(CODE, {"code": first.upper().replace("-", " ")}, follow=True)
    assert response.redirect_chain[-1][0] == "/staf/"
    assert "Tersisa 9 kode" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.login").get().changes == {"second_factor": "recovery_code"}
    client.post("/staf/keluar/")

    reused = password_only(world.ult).post(CODE, {"code": first})
    assert reused.status_code == 200 and "Kode salah atau sudah dipakai" in reused.content.decode()


def test_new_recovery_codes_replace_the_old_ones(client, world):
    client.force_login(world.head)
    old = [t.token for t in StaticToken.objects.filter(device__user=world.head)]
    assert "Kode pemulihan tersisa" in client.get(SECURITY).content.decode()

    page = client.post(SECURITY).content.decode()

    new = re.findall(r"<li><code>([a-z0-9-]{11})</code></li>", page)
    assert len(new) == 10
    stored = set(StaticToken.objects.filter(device__user=world.head).values_list("token", flat=True))
    assert stored == {code.replace("-", "") for code in new} and not stored & set(old)
    assert actions(world.head) == ["auth.recovery_codes_renewed"]


def test_every_sign_in_failure_and_sign_out_is_audited(world):
    Client().post(LOGIN, {"username": world.ult.username, "password": "salah-sekali-123"})
    device = enrolled(world.ult)
    client = password_only(world.ult)
    client.post(CODE, {"code": code_of(device)})
    client.post("/staf/keluar/")

    assert actions() == ["auth.login_failed", "auth.login", "auth.logout"]
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.changes == {"username": world.ult.username, "stage": "password"}
    assert failed.source_ip == "127.0.0.1"
    assert not list(verify_chain())


@pytest.mark.parametrize("weak", ["pendek12", "1234567890123", "password123", "bpmp-dki-ult1"])
def test_password_rules_refuse_weak_passwords(world, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, user=world.ult)


def test_sessions_end_within_a_working_day(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
