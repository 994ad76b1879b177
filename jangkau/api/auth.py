"""Staff authentication for the API: the back office's session cookie (ninja checks CSRF for it)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import SessionAuth

from jangkau.accounts.models import User
from jangkau.core.errors import PermissionDenied


class StaffSessionAuth(SessionAuth):
    """Returns the logged-in staff user when they are active and belong to an office.

    Anonymous or inactive sessions get 401; an account without an office (an installation-wide superuser)
    gets 403, because every staff endpoint works inside one office's data.
    """

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        if user.office_id is None:
            raise PermissionDenied(_("Akun Anda tidak terhubung dengan kantor mana pun."))
        return user


staff_auth = StaffSessionAuth()
