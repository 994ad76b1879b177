"""Staff authentication for the API: a per-user API token (``Authorization: Bearer jgk_…``) for
integrations, or the back office's session cookie (ninja checks CSRF for it)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from jangkau.accounts.models import User
from jangkau.accounts.tokens import api_token_user
from jangkau.core.errors import PermissionDenied


def _staff_in_office(user: User | None) -> User | None:
    if user is None or not user.is_active:
        return None
    if user.office_id is None:
        raise PermissionDenied(_("Akun Anda tidak terhubung dengan kantor mana pun."))
    return user


class StaffTokenAuth(HttpBearer):
    """Returns the staff user of a valid, unrevoked API token (``python manage.py api_token_issue``)."""

    openapi_description = "A per-user staff API token: `Authorization: Bearer jgk_…`."

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return _staff_in_office(api_token_user(token))


class StaffSessionAuth(SessionAuth):
    """Returns the logged-in staff user when they are active and belong to an office.

    Requests without a session, anonymous or inactive sessions, and sessions that have not passed the second
    factor get 401 (a request without a session cookie skips the CSRF check: it carries no credentials); an
    account without an office (an installation-wide superuser) gets 403, because every staff endpoint works
    inside one office's data.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a session cookie there is nobody to forge a request for: the answer is 401 ("sign in"),
        # not ninja's 403 for the missing CSRF token. With one, the CSRF check stands.
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        # Only the session cookie, whose requests passed the CSRF check, identifies a user here.
        user = super().authenticate(request, key) if key is not None else None
        if user is not None and not user.is_verified():
            return None
        return _staff_in_office(user)


# The token first: a request that carries one is an integration and needs no CSRF token.
staff_auth = [StaffTokenAuth(), StaffSessionAuth()]
