"""The private survey link a delivered case gets (POS step 5 hands it over; step 6 answers through it)."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.urls import reverse

from jangkau.core.businesstime import add_working_days
from jangkau.core.crypto import search_hash
from jangkau.offices.calendar import calendar_for

from .models import Invitation

TOKEN_BYTES = 24


def _hash(token: str) -> str:
    return search_hash(token, purpose="survey-invitation")


def invitation_open(case, now: datetime) -> Invitation:
    """Creates the case's survey link at delivery: open from ``now`` for the service's survey window plus
    ``JANGKAU_SURVEY_GRACE_DAYS`` working days. Called inside the delivery's transaction."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    days = case.service_type.survey_window_days + settings.JANGKAU_SURVEY_GRACE_DAYS
    return Invitation.objects.create(
        case=case,
        token=token,
        token_hash=_hash(token),
        opens_at=now,
        closes_at=add_working_days(calendar_for(case.office), now, days),
        created_at=now,
    )


def invitation_for_token(token: str) -> Invitation | None:
    """Returns the invitation of ``token`` (with its case), None for an unknown one."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("case__office", "case__service_type").filter(token_hash=_hash(token)).first()
    )


def survey_path(invitation: Invitation) -> str:
    """Returns the path of the survey page; pages make it absolute for the QR code and the paper form.

    Unlike the tracking code, this token may travel in a link: it opens one survey, once, for a few days,
    and shows nothing of the case."""
    return reverse("surveys:answer", args=[invitation.token])
