"""No staff page opens on a password alone: a signed-in user who has not passed the second factor in this
session is sent to it (or, without an authenticator yet, to enrol one) from every back-office and admin
page. The session-authenticated API checks the same thing in ``jangkau.api.auth``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .two_factor import is_enrolled

# Paths that need a signed-in staff member; the portal and the public API are for everyone.
PROTECTED_PREFIXES = ("/staf/", "/admin/")


class SecondFactorRequired:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and request.path.startswith(PROTECTED_PREFIXES)
            and request.path not in _open_paths()
        ):
            return redirect(second_factor_url(user, request.get_full_path()))
        return self.get_response(request)


def _open_paths() -> set[str]:
    """The pages a half-signed-in user may open: the second factor itself, and the ways out."""
    names = ("login", "logout", "two_factor_verify", "two_factor_enrol")
    return {reverse(f"backoffice:{name}") for name in names}


def second_factor_url(user, next_url: str) -> str:
    """Where a user goes once their password is accepted: the code page, or enrolment if they have no app."""
    name = "backoffice:two_factor_verify" if is_enrolled(user) else "backoffice:two_factor_enrol"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"
