"""Masking identifiers for lists, exports and pages that need to tell requesters apart without exposing
their data (UU 27/2022): the full value is shown only through the logged personal-data view."""

from __future__ import annotations


def mask_identifier(value: str) -> str:
    """Returns ``value`` with all but its first and last four characters replaced by ``*``.

    A NIK becomes "3171********0001": enough to tell two requesters apart on the phone, not enough to use.
    Identifiers too short to keep eight characters show only their last two.
    """
    value = value or ""
    if len(value) >= 12:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    if len(value) > 2:
        return "*" * (len(value) - 2) + value[-2:]
    return "*" * len(value)


def mask_phone(value: str) -> str:
    """Returns a phone number with its middle hidden: +6281234567890 becomes +62812****7890.

    The country and operator prefix and the last four digits stay, enough to recognise the number when the
    requester reads it out; at least four digits are always hidden.
    """
    value = value or ""
    if len(value) < 8:
        return mask_identifier(value)
    head = min(6, len(value) - 8)
    return value[:head] + "*" * (len(value) - head - 4) + value[-4:]


def mask_email(value: str) -> str:
    """Returns the e-mail address with its local part hidden but its first letter: s*****@contoh.id."""
    local, at, domain = (value or "").partition("@")
    if not at:
        return mask_identifier(value)
    return (local[:1] + "*" * max(len(local) - 1, 1)) + "@" + domain
