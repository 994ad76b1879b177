"""Every sign-in, sign-out and failure goes into the audit chain (the second factor's own events are
recorded by the views that check it)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from jangkau.audit.services import audit_record

# What a failed attempt keeps of the name typed: enough to see an attack on one account, no more.
_MAX_USERNAME = 150


@receiver(user_login_failed, dispatch_uid="jangkau.audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))[:_MAX_USERNAME]
    stage = (credentials or {}).get("stage", "password")
    with transaction.atomic():
        audit_record(
            action="auth.login_failed", actor_label="anonymous", changes={"username": username, "stage": stage}
        )


@receiver(user_logged_out, dispatch_uid="jangkau.audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is None:
        return
    with transaction.atomic():
        audit_record(action="auth.logout", actor=user, office=user.office)
