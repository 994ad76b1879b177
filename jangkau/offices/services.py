"""Changing an office's calendar. Each change recomputes the due moments of the office's open steps in the
same transaction, so no deadline is ever computed against a calendar that is no longer in force."""

from __future__ import annotations

from datetime import date, time

from django.db import transaction
from django.utils.translation import gettext as _

from jangkau.accounts.models import Role, User
from jangkau.audit.services import audit_record
from jangkau.core.errors import InvalidInput, PermissionDenied

from .models import CalendarOverride, Office, OfficeHours


def _check_admin(actor: User, office: Office) -> None:
    if actor.is_superuser:
        return
    if actor.role != Role.ADMIN or actor.office_id != office.pk:
        raise PermissionDenied(_("Hanya administrator kantor ini yang dapat mengubah kalender."))


def _lock(office: Office) -> None:
    # Serialises calendar changes with each other and with new submissions (which take the same lock).
    Office.objects.select_for_update(no_key=True).get(pk=office.pk)


def _recompute(office: Office) -> int:
    # Imported here: cases depend on offices, not the other way round, except for this one call.
    from jangkau.cases.sla import recompute_open_steps

    return recompute_open_steps(office)


def calendar_day_set(*, office: Office, actor: User, day: date, kind: str, reason: str) -> CalendarOverride:
    """Closes (an extra holiday) or opens (a cancelled national holiday) ``day`` for the office.

    Replaces an earlier override of the same day. Returns the override. Raises InvalidInput, PermissionDenied.
    """
    _check_admin(actor, office)
    reason = (reason or "").strip()
    if kind not in CalendarOverride.Kind.values:
        raise InvalidInput(_("Jenis perubahan kalender tidak dikenal."))
    if not reason:
        raise InvalidInput(_("Alasan perubahan kalender wajib diisi."))
    if kind == CalendarOverride.Kind.OPEN and not office.hours.filter(weekday=day.weekday()).exists():
        # Opening a day only lifts a holiday; a weekday without office hours would stay closed, silently.
        raise InvalidInput(_("Kantor tidak punya jam layanan pada hari itu; atur jam layanannya lebih dulu."))
    with transaction.atomic():
        _lock(office)
        override, _created = CalendarOverride.objects.update_or_create(
            office=office, date=day, defaults={"kind": kind, "reason": reason, "created_by": actor}
        )
        moved = _recompute(office)
        audit_record(
            action="calendar.day_set",
            actor=actor,
            office=office,
            changes={"date": day.isoformat(), "kind": kind, "reason": reason, "steps_recomputed": moved},
        )
    return override


def calendar_day_remove(*, office: Office, actor: User, day: date) -> None:
    """Removes the office's override of ``day`` (the national calendar applies again)."""
    _check_admin(actor, office)
    with transaction.atomic():
        _lock(office)
        deleted, _details = CalendarOverride.objects.filter(office=office, date=day).delete()
        if not deleted:
            raise InvalidInput(_("Tidak ada perubahan kalender pada tanggal itu."))
        moved = _recompute(office)
        audit_record(
            action="calendar.day_removed",
            actor=actor,
            office=office,
            changes={"date": day.isoformat(), "steps_recomputed": moved},
        )


def office_hours_set(*, office: Office, actor: User, weekday: int, opens: time | None, closes: time | None) -> None:
    """Sets one weekday's hours; ``opens`` and ``closes`` both None closes the office that weekday."""
    _check_admin(actor, office)
    if not 0 <= weekday <= 6:
        raise InvalidInput(_("Hari tidak dikenal."))
    if (opens is None) != (closes is None) or (opens is not None and opens >= closes):
        raise InvalidInput(_("Jam buka harus sebelum jam tutup."))
    with transaction.atomic():
        _lock(office)
        if opens is None:
            OfficeHours.objects.filter(office=office, weekday=weekday).delete()
        else:
            OfficeHours.objects.update_or_create(
                office=office, weekday=weekday, defaults={"opens": opens, "closes": closes}
            )
        moved = _recompute(office)
        audit_record(
            action="calendar.hours_set",
            actor=actor,
            office=office,
            changes={
                "weekday": weekday,
                "opens": opens.isoformat() if opens else None,
                "closes": closes.isoformat() if closes else None,
                "steps_recomputed": moved,
            },
        )
