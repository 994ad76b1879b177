from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from jangkau.core import clock

from .builders import make_world

JKT = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def world(db):
    """An office with the seed POS, the default office hours, a service and one staff member per role."""
    return make_world()


@pytest.fixture
def other_world(db):
    return make_world("bbpmp-jatim")


@pytest.fixture
def frozen():
    """Freezes the clock on a Monday morning inside office hours; tests move it with clock.advance()."""
    with clock.frozen_at(datetime(2025, 1, 6, 8, 0, tzinfo=JKT)):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests create many users and never attack their hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _indonesian_by_default():
    # LocaleMiddleware leaves the last request's language active in the thread; each test starts in the
    # default language, as a fresh request would.
    from django.utils import translation

    translation.activate("id")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """``client.force_login(user)`` stands for a complete staff sign-in: the password and the authenticator
    code. Tests of the sign-in itself go through the login and code pages instead (tests/accounts)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
