"""Signing staff in through the real pages: the password, then the six digits of their authenticator app.

The tests hold each user's TOTP secret (``current_code`` enrols one the first time), so the second factor is
passed the way an officer passes it, not skipped.
"""

from __future__ import annotations

from urllib.parse import quote

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from jangkau.accounts.models import User
from tests.builders import authenticator

from .conftest import STAFF_PASSWORD


def current_code(username: str) -> str:
    """The code the user's authenticator shows now. A device refuses a code of a time step it has already
    accepted (replay protection); tests sign the same user in several times a minute, so that memory is
    cleared first."""
    user = User.objects.get(username=username)
    device = authenticator(user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return f"{totp(device.bin_key):06d}"


def pass_second_factor(page, username: str) -> None:
    """On the code page that follows the password: types the current code and submits it."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Masukkan kode masuk")
    page.get_by_label("Kode masuk").fill(current_code(username))
    page.get_by_label("Kode masuk").press("Enter")


def sign_in(page, user, *, next_url: str | None = None, password: str = STAFF_PASSWORD) -> None:
    """Signs ``user`` (a User or a username) in through the login page and the code page."""
    username = getattr(user, "username", user)
    current_code(username)  # enrolled before the password, so the code page (not enrolment) follows
    page.goto("/staf/masuk/" + (f"?next={quote(next_url, safe='/')}" if next_url else ""))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    pass_second_factor(page, username)
