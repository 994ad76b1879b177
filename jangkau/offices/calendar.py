"""Builds an office's BusinessCalendar from its hours, Indonesia's holidays and the administrator's overrides."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import formats
from django.utils.translation import gettext as _

from jangkau.core.businesstime import BusinessCalendar, DueExplanation, Segment

from .models import CalendarOverride, Office


@lru_cache(maxsize=4)
def _indonesian_holidays(language: str) -> holidays.HolidayBase:
    # National holidays ("public") and cuti bersama ("government"); the object expands to new years lazily.
    return holidays.country_holidays("ID", categories=("public", "government"), language=language)


def national_holiday(day: date, language: str = "id") -> str | None:
    """Returns the name of the Indonesian national holiday or cuti bersama on ``day``, or None."""
    return _indonesian_holidays(language).get(day)


def calendar_for(office: Office) -> BusinessCalendar:
    """Returns the office's calendar as it stands in the database now.

    Added closed days win over normal days; an "open" override cancels a national holiday.
    """
    hours = {row.weekday: (row.opens, row.closes) for row in office.hours.all()}
    overrides = {row.date: row for row in CalendarOverride.objects.filter(office=office)}

    def closed_reason(day: date) -> str | None:
        override = overrides.get(day)
        if override is not None:
            return override.reason if override.kind == CalendarOverride.Kind.CLOSED else None
        return national_holiday(day)

    return BusinessCalendar(tz=ZoneInfo(office.time_zone), hours=hours, closed_reason=closed_reason)


def describe_due(explanation: DueExplanation) -> list[str]:
    """Returns the plain-language lines that show how a due moment was computed, one per day touched."""

    def minutes(delta) -> int:
        return int(delta.total_seconds() // 60)

    tz = explanation.due.tzinfo
    lines = [
        _("Mulai %(start)s; waktu standar %(minutes)s menit jam kerja.")
        % {
            "start": formats.date_format(explanation.start.astimezone(tz), "l, j F Y H:i"),
            "minutes": minutes(explanation.duration),
        }
    ]
    for item in explanation.trace:
        if isinstance(item, Segment):
            lines.append(
                _("%(day)s: %(minutes)s menit dipakai, %(start)s–%(end)s.")
                % {
                    "day": formats.date_format(item.start, "l, j F Y"),
                    "minutes": minutes(item.duration),
                    "start": item.start.strftime("%H:%M"),
                    "end": item.end.strftime("%H:%M"),
                }
            )
        else:
            reason = _("akhir pekan") if item.reason == "weekend" else item.reason
            lines.append(
                _("%(day)s dilewati: %(reason)s.")
                % {"day": formats.date_format(item.day, "l, j F Y"), "reason": reason}
            )
    lines.append(
        _("Batas waktu: %(due)s.") % {"due": formats.date_format(explanation.due.astimezone(tz), "l, j F Y H:i")}
    )
    return lines
