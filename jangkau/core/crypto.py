"""Field-level encryption of specific personal data (UU 27/2022) and keyed hashes for searching it.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under ``FIELD_ENCRYPTION_KEY``; old keys in
``FIELD_ENCRYPTION_OLD_KEYS`` still decrypt during a rotation (docs/key-rotation.md). A ciphertext is
random each time, so equality search goes through ``search_hash``: an HMAC under a key derived from the
current field key, which never leaves the server.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class DecryptionError(RuntimeError):
    """Raised when a stored value cannot be decrypted with any configured key."""


@lru_cache(maxsize=8)
def _fernet(current: str, old: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(current.encode()), *(Fernet(key.encode()) for key in old)])


def _keys() -> MultiFernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY, tuple(settings.FIELD_ENCRYPTION_OLD_KEYS))


def encrypt(plaintext: str) -> str:
    """Returns the Fernet token of ``plaintext`` under the current key."""
    return _keys().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    """Returns the plaintext of a token made under the current or an old key. Raises DecryptionError."""
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError("stored value does not decrypt with any configured key") from exc


def reencrypt(token: str) -> str:
    """Returns ``token`` re-encrypted under the current key (used by the rotation command)."""
    try:
        return _keys().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError("stored value does not decrypt with any configured key") from exc


def search_hash(value: str, *, purpose: str) -> str:
    """Returns a hex HMAC-SHA256 of ``value`` for equality search; ``purpose`` separates uses (e.g. "nik")."""
    key = hmac.new(settings.FIELD_ENCRYPTION_KEY.encode(), f"jangkau-search:{purpose}".encode(), hashlib.sha256)
    return hmac.new(key.digest(), value.encode(), hashlib.sha256).hexdigest()
