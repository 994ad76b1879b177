"""Staff second factor: a TOTP authenticator app, with single-use recovery codes for a lost phone.

Every staff role must pass it before any back-office page, the Django admin or the session-authenticated API
opens (``middleware.SecondFactorRequired``). The secret is generated for the enrolment page and kept in the
session until the staff member proves, with a first code, that their app holds it; only then is a device
saved, so abandoned enrolments leave nothing behind.
"""

from __future__ import annotations

import base64
import secrets
from binascii import unhexlify
from urllib.parse import quote

import segno
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from jangkau.audit.services import audit_record
from jangkau.core.errors import InvalidFields

ISSUER = "Jangkau"
RECOVERY_CODES = 10
# Ten characters from an alphabet without look-alikes (0/O, 1/l/I): read aloud or typed from paper.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_AUTHENTICATOR = "authenticator"
_RECOVERY = "recovery"


def new_secret() -> str:
    """Returns a fresh 20-byte TOTP secret as hex, the form ``TOTPDevice.key`` stores."""
    return random_hex(20)


def secret_text(secret_hex: str) -> str:
    """The secret in base32, in groups of four, for typing into an app that cannot scan."""
    encoded = base64.b32encode(unhexlify(secret_hex)).decode().rstrip("=")
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def provisioning_uri(user, secret_hex: str) -> str:
    encoded = base64.b32encode(unhexlify(secret_hex)).decode().rstrip("=")
    label = quote(f"{ISSUER}:{user.get_username()}")
    return f"otpauth://totp/{label}?secret={encoded}&issuer={ISSUER}&digits=6&period=30"


def qr_data_uri(uri: str) -> str:
    """The provisioning address as an SVG QR code in a data: address, for an <img> with a text alternative."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _normalise(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _code_matches_secret(secret_hex: str, code: str) -> bool:
    code = _normalise(code)
    if not (len(code) == 6 and code.isdigit()):
        return False
    totp = TOTP(unhexlify(secret_hex))
    return totp.verify(int(code), tolerance=1)


def _new_recovery_codes(device: StaticDevice) -> list[str]:
    device.token_set.all().delete()
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=_RECOVERY).count()


def enrol(*, user, secret_hex: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Saves the authenticator once ``code`` proves the app holds ``secret_hex``; returns the device and
    the recovery codes, shown once. Replaces an earlier authenticator and earlier recovery codes."""
    if not _code_matches_secret(secret_hex, code):
        raise InvalidFields({"code": _("Kode tidak cocok. Masukkan 6 angka yang sedang tampil di aplikasi.")})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=_AUTHENTICATOR, key=secret_hex, confirmed=True)
        # The code just used must not open a second session within its 30 seconds.
        device.verify_token(_normalise(code))
        static, _created = StaticDevice.objects.get_or_create(user=user, name=_RECOVERY)
        codes = _new_recovery_codes(static)
        audit_record(action="auth.two_factor_enrolled", actor=user, office=user.office)
    return device, codes


def renew_recovery_codes(*, user) -> list[str]:
    """Replaces the staff member's recovery codes with new ones (the old ones stop working)."""
    with transaction.atomic():
        static, _created = StaticDevice.objects.get_or_create(user=user, name=_RECOVERY)
        codes = _new_recovery_codes(static)
        audit_record(action="auth.recovery_codes_renewed", actor=user, office=user.office)
    return codes


def verify(*, user, code: str):
    """Returns the device that accepts ``code`` (the authenticator's 6 digits, or a recovery code, which is
    used up), or None. Devices throttle themselves after failures (django-otp's ThrottlingMixin)."""
    code = _normalise(code)
    if not code:
        return None
    devices = TOTPDevice if len(code) == 6 and code.isdigit() else StaticDevice
    for device in devices.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def used_recovery_code(device) -> bool:
    return isinstance(device, StaticDevice)
