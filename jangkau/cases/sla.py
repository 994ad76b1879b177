"""Service-level clock of case steps: due moments from the POS standard times, in office time."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import formats
from django.utils.translation import gettext as _

from jangkau.core.businesstime import (
    BusinessCalendar,
    add_business,
    add_working_days,
    business_between,
    due_with_pauses,
    explain_add_business,
    settle_pauses,
)
from jangkau.offices.calendar import calendar_for, describe_due

from .models import Case, StepRecord
from .queue import Group
from .queue_keys import rebuild_queue_keys


def compute_due(step: StepRecord, cal: BusinessCalendar) -> datetime | None:
    """Returns the step's due moment under ``cal``, counting out its pauses; None while it is on hold."""
    if step.standard_days is not None:
        return add_working_days(cal, step.opened_at, step.standard_days)
    # A record not saved yet has no pauses (and no relation to read them through).
    pauses = [(p.paused_at, p.resumed_at) for p in step.pauses.all()] if step.pk else []
    return due_with_pauses(cal, step.opened_at, timedelta(minutes=step.standard_minutes or 0), pauses)


# Share of a step's standard time after which the responsible officer is warned (issue 7: "80 %").
WARN_SHARE = 0.8


def compute_warn(step: StepRecord, cal: BusinessCalendar) -> datetime | None:
    """Returns when ``WARN_SHARE`` of the step's standard time is used (pauses not counted); None while on
    hold or without a standard time."""
    if step.standard_days is not None:
        # Working-day standards end at a closing time: 80 % of the office time from opening to that close.
        if step.due_at is None:
            return None
        return add_business(cal, step.opened_at, business_between(cal, step.opened_at, step.due_at) * WARN_SHARE)
    if not step.standard_minutes:
        return None
    pauses = [(p.paused_at, p.resumed_at) for p in step.pauses.all()] if step.pk else []
    return due_with_pauses(cal, step.opened_at, timedelta(minutes=step.standard_minutes * WARN_SHARE), pauses)


def set_due(step: StepRecord, cal: BusinessCalendar) -> None:
    """Sets the step's due moment and its warning moment (not saved): the two always move together."""
    step.due_at = compute_due(step, cal)
    step.warn_at = compute_warn(step, cal) if step.due_at is not None else None


# UU 14/2008 art. 22(7)-(8): a public-information request is answered within 10 working days; once, with a
# written notice, the office may extend by up to 7 more.
INFORMATION_DAYS = 10
INFORMATION_EXTENSION_MAX_DAYS = 7


def information_due(case: Case, cal: BusinessCalendar) -> datetime | None:
    """Returns the legal deadline of a public-information request under ``cal`` (None for other services):
    the close of the 10th working day after receipt, plus the extension once granted."""
    if not case.service_type.is_public_information:
        return None
    return add_working_days(cal, case.submitted_at, INFORMATION_DAYS + (case.information_extension_days or 0))


def information_answered_at(case: Case) -> datetime | None:
    """Returns when the request was answered in writing: the service delivered, or the request refused."""
    return case.delivered_at or (case.closed_at if case.rejection_reason else None)


def explain_information_due(case: Case) -> list[str]:
    """Returns the plain-language lines that show how the legal deadline was computed."""
    if case.information_due_at is None:
        return []
    cal = calendar_for(case.office)
    lines = [
        _("Diterima %(start)s; dijawab tertulis paling lambat %(days)s hari kerja sesudahnya (UU 14/2008 pasal 22).")
        % {
            "start": formats.date_format(case.submitted_at.astimezone(cal.tz), "l, j F Y H:i"),
            "days": INFORMATION_DAYS,
        }
    ]
    if case.information_extension_days:
        lines.append(
            _("Diperpanjang %(days)s hari kerja dengan pemberitahuan tertulis kepada pemohon.")
            % {"days": case.information_extension_days}
        )
    lines.append(
        _("Tenggat: %(due)s.")
        % {"due": formats.date_format(case.information_due_at.astimezone(cal.tz), "l, j F Y H:i")}
    )
    return lines


def recompute_open_steps(office) -> int:
    """Recomputes the due moment of every open step of the office's cases, and the legal deadline of every
    unanswered public-information request; returns how many moved.

    Called after any change to the office's calendar, so deadlines always follow the calendar in force.
    """
    # Lock the cases first: an action running now either finishes before (and its steps are recomputed
    # here) or waits and then reads the new calendar. The caller holds the office lock, so no case is
    # submitted meanwhile.
    open_cases = Case.objects.select_for_update(of=("self",), no_key=True).filter(
        office=office, steps__done_at__isnull=True
    )
    list(open_cases.values_list("pk", flat=True))
    cal = calendar_for(office)
    moved = 0
    for step in StepRecord.objects.filter(case__office=office, done_at__isnull=True).prefetch_related("pauses"):
        due = compute_due(step, cal)
        if due != step.due_at:
            set_due(step, cal)
            step.save(update_fields=["due_at", "warn_at"])
            moved += 1
    unanswered = Case.objects.filter(
        office=office, information_due_at__isnull=False, delivered_at__isnull=True, closed_at__isnull=True
    ).select_related("service_type")
    for case in unanswered:
        due = information_due(case, cal)
        if due != case.information_due_at:
            case.information_due_at = due
            case.save(update_fields=["information_due_at"])
            moved += 1
    # The queue is ordered by the running deadlines just moved.
    rebuild_queue_keys(Case.objects.filter(office=office, queue_group__lt=Group.ENDED))
    return moved


def explain_due(step: StepRecord) -> list[str]:
    """Returns the plain-language lines that show how the step's due moment was computed."""
    cal = calendar_for(step.case.office)
    if step.standard_days is not None:
        due = add_working_days(cal, step.opened_at, step.standard_days)
        return [
            _("Mulai %(start)s; jangka waktu %(days)s hari kerja, berakhir saat kantor tutup pada hari kerja terakhir.")
            % {
                "start": formats.date_format(step.opened_at.astimezone(cal.tz), "l, j F Y H:i"),
                "days": step.standard_days,
            },
            _("Batas waktu: %(due)s.") % {"due": formats.date_format(due.astimezone(cal.tz), "l, j F Y H:i")},
        ]
    pauses = list(step.pauses.all())
    moment, remaining, counted = settle_pauses(
        cal,
        step.opened_at,
        timedelta(minutes=step.standard_minutes or 0),
        [(p.paused_at, p.resumed_at) for p in pauses],
    )
    lines = [
        _("Dijeda %(start)s sampai %(end)s: %(reason)s.")
        % {
            "start": formats.date_format(pause.paused_at.astimezone(cal.tz), "j F Y H:i"),
            "end": formats.date_format(pause.resumed_at.astimezone(cal.tz), "j F Y H:i")
            if pause.resumed_at
            else _("sekarang"),
            "reason": pause.reason,
        }
        for pause in pauses[:counted]
    ]
    if moment is None:
        return lines
    return lines + describe_due(explain_add_business(cal, moment, remaining))
