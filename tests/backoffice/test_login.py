"""Staff sign-in and the dashboard's guard, through Django's test client."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jangkau.accounts.models import Role, User
from jangkau.offices.models import Office

PASSWORD = "kata-sandi-uji-123"


@pytest.fixture
def officer(db):
    office = Office.objects.create(code="bpmp-dki", name="BPMP Provinsi DKI Jakarta")
    return User.objects.create_user(username="ult", password=PASSWORD, office=office, role=Role.ULT_OFFICER)


def test_login_page_renders_the_indonesian_form(client, db):
    """GET /staf/masuk/ shows labelled fields, no error summary and no autofocus stealing the skip link."""
    response = client.get(reverse("backoffice:login"))
    html = response.content.decode()

    assert response.status_code == 200
    assert reverse("backoffice:login") == "/staf/masuk/"
    assert '<label class="label" for="id_username">Nama pengguna</label>' in html
    assert '<label class="label" for="id_password">Kata sandi</label>' in html
    assert "Ada masalah" not in html
    assert "<title>Masuk" in html
    assert "autofocus" not in html
    assert "novalidate" in html


def test_wrong_password_shows_the_error_summary_and_logs_nobody_in(client, officer):
    """A wrong password answers 200 with "Ada masalah", "Galat: " in the title, and no session."""
    response = client.post(reverse("backoffice:login"), {"username": "ult", "password": "salah-sekali-123"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "<title>Galat: Masuk" in html
    assert "Ada masalah" in html
    assert 'href="#id_username"' in html
    assert 'tabindex="-1" autofocus' in html
    assert SESSION_KEY not in client.session
    assert client.get(reverse("backoffice:dashboard")).status_code == 302


def test_missing_fields_are_described_beside_each_field(client, db):
    """An empty form names each missing field in the summary and beside the field, marked invalid."""
    response = client.post(reverse("backoffice:login"), {"username": "", "password": ""})
    html = response.content.decode()

    assert 'href="#id_username">Masukkan nama pengguna Anda</a>' in html
    assert 'href="#id_password">Masukkan kata sandi Anda</a>' in html
    assert 'aria-describedby="id_username-error"' in html
    assert 'aria-invalid="true"' in html
    assert '<p class="error-message" id="id_password-error">' in html


def test_right_password_and_code_lead_to_the_dashboard_with_role_and_office(client, officer):
    """The right password leads to the code page; the authenticator's code then opens the dashboard, which
    names the role and the office."""
    device = TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    response = client.post(reverse("backoffice:login"), {"username": "ult", "password": PASSWORD})
    assert response["Location"] == "/staf/masuk/kode/?next=%2Fstaf%2F"

    response = client.post(response["Location"], {"code": f"{totp(device.bin_key):06d}"}, follow=True)
    html = response.content.decode()

    assert response.redirect_chain[-1][0] == reverse("backoffice:dashboard")
    assert "<h1>Dasbor</h1>" in html
    assert "Petugas ULT" in html
    assert "BPMP Provinsi DKI Jakarta" in html
    assert int(client.session[SESSION_KEY]) == officer.pk


def test_dashboard_sends_anonymous_visitors_to_the_login_page(client, db):
    """GET /staf/ without a session redirects to /staf/masuk/?next=/staf/."""
    response = client.get(reverse("backoffice:dashboard"))

    assert response.status_code == 302
    assert response["Location"] == "/staf/masuk/?next=/staf/"


def test_logout_is_a_post_and_ends_the_session(client, officer):
    """The header's "Keluar" form POSTs to the logout view, which ends the session."""
    client.force_login(officer)
    dashboard = client.get(reverse("backoffice:dashboard")).content.decode()
    assert f'action="{reverse("backoffice:logout")}" method="post"' in dashboard

    response = client.post(reverse("backoffice:logout"))

    assert response.status_code == 302
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_with_an_accessible_page(client, world):
    """After five wrong passwords the sixth attempt, even a right one, gets the Indonesian lockout page."""
    for _ in range(5):
        client.post("/staf/masuk/", {"username": world.ult.username, "password": "salah-sekali"})

    response = client.post("/staf/masuk/", {"username": world.ult.username, "password": "kata-sandi-uji-123"})

    assert response.status_code == 429
    page = response.content.decode()
    assert "Akun dikunci sementara" in page and '<main id="konten"' in page
    assert "_auth_user_id" not in client.session
