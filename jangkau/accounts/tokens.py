"""Issuing, checking and revoking staff API tokens (``ApiToken``)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from jangkau.audit.services import audit_record
from jangkau.core import clock
from jangkau.core.crypto import search_hash
from jangkau.core.errors import InvalidInput

from .models import ApiToken, User

PREFIX = "jgk_"


def _hash(key: str) -> str:
    return search_hash(key, purpose="api-token")


def api_token_issue(*, user: User, name: str, actor: User | None = None) -> tuple[ApiToken, str]:
    """Issues a token for ``user`` and returns it with its key, which is shown this once and never stored.

    Raises InvalidInput for a user without an office (staff endpoints work inside one office) or no name.
    """
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Beri nama token: untuk apa token ini dipakai."))
    if user.office_id is None or not user.is_active:
        raise InvalidInput(_("Token API hanya untuk staf aktif yang terhubung dengan kantor."))
    key = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], prefix=key[:10], key_hash=_hash(key), created_at=clock.now()
        )
        audit_record(
            action="api_token.issue",
            actor=actor or user,
            office=user.office,
            changes={"user": user.get_username(), "token": token.prefix, "name": token.name},
        )
    return token, key


def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revokes ``token``; every later request with it answers 401."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
            audit_record(
                action="api_token.revoke",
                actor=actor,
                office=token.user.office,
                changes={"user": token.user.get_username(), "token": token.prefix},
            )
    return token


def api_token_user(key: str) -> User | None:
    """Returns the active user a valid, unrevoked key belongs to (recording its use), None otherwise."""
    if not key or not key.startswith(PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=clock.now())
    return token.user
