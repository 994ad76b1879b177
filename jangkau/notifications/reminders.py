"""Reminders to requesters: the day before a visit, and the survey before its window ends."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from jangkau.cases.models import Case, Status, StepRecord
from jangkau.core import clock
from jangkau.scheduling.models import Appointment

from .case_events import notify_requester

# Reminders go out from this hour of the office's day, never at night.
REMINDER_HOUR = 7
LATEST_HOUR = 20


def _daytime(moment, time_zone: str) -> bool:
    return REMINDER_HOUR <= moment.astimezone(ZoneInfo(time_zone)).hour < LATEST_HOUR


def visit_reminders() -> int:
    """Reminds requesters of tomorrow's appointment (office time), once per appointment. An appointment
    agreed today needs none: the schedule message has just gone."""
    now = clock.now()
    sent = 0
    upcoming = (
        Appointment.objects.filter(
            superseded_at__isnull=True,
            case__status=Status.SCHEDULED,
            starts_at__gt=now,
            starts_at__lt=now + timedelta(hours=48),
        )
        .exclude(case__notify_channel="none")
        .select_related("case__office", "case__service_type")
    )
    for appointment in upcoming:
        case = appointment.case
        tz = ZoneInfo(case.office.time_zone)
        today = now.astimezone(tz).date()
        if appointment.starts_at.astimezone(tz).date() != today + timedelta(days=1):
            continue
        if appointment.created_at.astimezone(tz).date() == today or not _daytime(now, case.office.time_zone):
            continue
        with transaction.atomic():
            if notify_requester(case, "visit_reminder", f"appointment{appointment.pk}:visit_reminder"):
                sent += 1
    return sent


def survey_reminders() -> int:
    """Reminds requesters who have not answered the survey once 80 % of its window is used."""
    now = clock.now()
    sent = 0
    steps = StepRecord.objects.filter(
        step_no=6, done_at__isnull=True, warn_at__lte=now, due_at__gt=now, case__status=Status.DELIVERED
    ).exclude(case__notify_channel="none")
    for case in Case.objects.filter(pk__in=steps.values("case_id")).select_related("office", "service_type"):
        if not _daytime(now, case.office.time_zone):
            continue
        with transaction.atomic():
            if notify_requester(case, "survey_reminder", f"case{case.pk}:survey_reminder"):
                sent += 1
    return sent


def send_reminders() -> dict:
    return {"visits": visit_reminders(), "surveys": survey_reminders()}
