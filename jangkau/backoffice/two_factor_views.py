"""The second step of staff sign-in (a code from the authenticator app, or a recovery code), enrolling an
authenticator, and the account's security page where recovery codes are renewed.

Wrong codes count towards the same lockout as wrong passwords (django-axes, per user and address), so the
six digits cannot be guessed faster than a password.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from jangkau.accounts import two_factor
from jangkau.accounts.middleware import second_factor_url
from jangkau.audit.services import audit_record
from jangkau.core.errors import InvalidFields

from .two_factor_forms import EnrolForm, SecondFactorForm

# The secret shown on the enrolment page lives here until a first code proves the app holds it.
_PENDING_SECRET = "jangkau_pending_totp_secret"


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("backoffice:dashboard")


@never_cache
@login_required
def two_factor_verify(request):
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not two_factor.is_enrolled(user):
        return redirect(second_factor_url(user, _next_url(request)))
    credentials = {"username": user.get_username(), "stage": "second_factor"}
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if AxesProxyHandler.is_locked(request, credentials):
            return _locked_out(request, credentials)
        device = two_factor.verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            recovery = two_factor.used_recovery_code(device)
            with transaction.atomic():
                audit_record(
                    action="auth.login",
                    actor=user,
                    office=user.office,
                    changes={"second_factor": "recovery_code" if recovery else "authenticator"},
                )
            if recovery:
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "Anda masuk dengan kode pemulihan. Tersisa %(left)s kode; buat yang baru di Keamanan akun.",
                        "Anda masuk dengan kode pemulihan. Tersisa %(left)s kode; buat yang baru di Keamanan akun.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            return _locked_out(request, credentials)
        form.add_error(
            "code",
            _("Kode salah atau sudah dipakai. Periksa jam ponsel Anda, tunggu kode berikutnya, lalu coba lagi."),
        )
    return render(request, "backoffice/two_factor/verify.html", {"form": form, "next": _next_url(request)})


def _locked_out(request, credentials):
    # The password alone must not keep a session alive once the codes are being guessed.
    logout(request)
    return get_lockout_response(request, credentials=credentials)


@never_cache
@login_required
def two_factor_enrol(request):
    """Shows a new secret as a QR code and as text, and saves it once the first code from the app matches.
    A password alone may enrol only an account that has no authenticator yet; replacing one (a new phone)
    needs a session that has passed the second factor."""
    user = request.user
    if two_factor.is_enrolled(user) and not user.is_verified():
        return redirect(second_factor_url(user, _next_url(request)))
    secret = request.session.get(_PENDING_SECRET) or two_factor.new_secret()
    request.session[_PENDING_SECRET] = secret
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor.enrol(user=user, secret_hex=secret, code=form.cleaned_data["code"])
        except InvalidFields as exc:
            form.add_error("code", exc.errors["code"])
        else:
            del request.session[_PENDING_SECRET]
            otp_login(request, device)
            return _show_recovery_codes(request, codes, enrolled=True)
    context = {
        "form": form,
        "qr_src": two_factor.qr_data_uri(two_factor.provisioning_uri(user, secret)),
        "secret_text": two_factor.secret_text(secret),
        "replacing": two_factor.is_enrolled(user),
        "next": _next_url(request),
    }
    return render(request, "backoffice/two_factor/enrol.html", context)


def _show_recovery_codes(request, codes: list[str], *, enrolled: bool):
    context = {"codes": codes, "enrolled": enrolled, "next": _next_url(request)}
    return render(request, "backoffice/two_factor/recovery_codes.html", context)


@never_cache
@login_required
def account_security(request):
    """The staff member's second factor: the app is set up, how many recovery codes are left, new codes."""
    if request.method == "POST":
        return _show_recovery_codes(request, two_factor.renew_recovery_codes(user=request.user), enrolled=False)
    context = {"codes_left": two_factor.recovery_codes_left(request.user)}
    return render(request, "backoffice/two_factor/security.html", context)
