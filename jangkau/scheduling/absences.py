"""Absences and assignment letters (surat penugasan).

When a ULT officer is away (leave, sick, official travel), the office's head records the absence: the
officer's open cases move to a colleague through ``cases.services.case_reassign`` (so every open step's
``responsible`` follows and each case's history shows who held it when), and a numbered assignment letter
lists them for the head to sign.

Who may record: the office's head only. ``case_reassign`` is the head's action (the workflow table allows
it to the head and the administrator), and the head signs the letter; letting officers record their own
absence would either fail there or put the head's name on a move the head never made. An officer who will
be away asks the head, as on paper.

The cases move when the absence is recorded, whatever its first day: the delegate holds them from now on.
Giving them back after the absence is an ordinary reassignment by the head.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from jangkau.accounts.models import Role, User
from jangkau.audit.services import audit_record
from jangkau.cases.documents import document_check, safe_filename
from jangkau.cases.models import Case
from jangkau.cases.services import case_reassign, office_today
from jangkau.cases.workflow import OPEN
from jangkau.core import clock
from jangkau.core.errors import InvalidFields, PermissionDenied
from jangkau.core.models import next_number
from jangkau.notifications.case_events import notify_letter_to_sign
from jangkau.offices.models import Office

from .models import Absence, AssignmentLetter

REASON_MAX = 2000


def letter_number(office: Office, year: int) -> str:
    """Takes the office's next letter number of ``year``: "001/ULT/ST/2026". Must run inside a transaction."""
    return f"{next_number(f'letter:{office.pk}:{year}'):03d}/ULT/ST/{year}"


def _check_head(actor, office: Office) -> None:
    if not isinstance(actor, User) or not actor.is_active or actor.office_id != office.pk or actor.role != Role.HEAD:
        raise PermissionDenied(_("Hanya Kepala kantor ini yang dapat mencatat ketidakhadiran dan surat penugasan."))


def _is_ult_of(user, office: Office, *, active: bool) -> bool:
    return (
        isinstance(user, User)
        and user.office_id == office.pk
        and user.role == Role.ULT_OFFICER
        and (user.is_active or not active)
    )


def _validate(*, office, officer, kind, starts_on, ends_on, delegate, reason) -> dict:
    errors: dict[str, str] = {}
    if not _is_ult_of(officer, office, active=False):
        errors["officer"] = _("Pilih Petugas ULT dari kantor ini yang tidak hadir.")
    if kind not in Absence.Kind.values:
        errors["kind"] = _("Pilih jenis ketidakhadiran.")
    if not isinstance(starts_on, date):
        errors["starts_on"] = _("Masukkan tanggal mulai.")
    if not isinstance(ends_on, date):
        errors["ends_on"] = _("Masukkan tanggal selesai.")
    elif isinstance(starts_on, date) and ends_on < starts_on:
        errors["ends_on"] = _("Tanggal selesai harus sama dengan atau sesudah tanggal mulai.")
    if not _is_ult_of(delegate, office, active=True):
        errors["delegate"] = _("Pilih Petugas ULT aktif dari kantor ini sebagai pengganti.")
    elif isinstance(officer, User) and delegate.pk == officer.pk:
        errors["delegate"] = _("Pengganti harus petugas lain, bukan petugas yang tidak hadir.")
    if not reason:
        errors["reason"] = _("Tuliskan alasan penugasan.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("Alasan paling banyak %(max)s karakter.") % {"max": REASON_MAX}
    return errors


def absence_record(
    *,
    office: Office,
    officer: User,
    kind: str,
    starts_on: date,
    ends_on: date,
    delegate: User,
    reason: str,
    actor: User,
) -> tuple[Absence, AssignmentLetter]:
    """Records an absence, moves the officer's open cases to ``delegate`` and issues the numbered letter.

    One transaction: on any error nothing is recorded, no case moves and no number is used. Raises
    PermissionDenied (the actor is not the office's head) or InvalidFields keyed by the argument names.
    """
    _check_head(actor, office)
    reason = (reason or "").strip()
    errors = _validate(
        office=office,
        officer=officer,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        delegate=delegate,
        reason=reason,
    )
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic(), clock.frozen_at(clock.now()):
        now = clock.now()
        today = office_today(office)
        absence = Absence.objects.create(
            office=office,
            officer=officer,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            delegate=delegate,
            reason=reason,
            recorded_by=actor,
            recorded_at=now,
        )
        letter = AssignmentLetter.objects.create(
            office=office,
            number=letter_number(office, today.year),
            issued_on=today,
            from_officer=officer,
            to_officer=delegate,
            absence=absence,
            reason=reason,
            signer=actor,
        )
        cases = list(
            Case.objects.filter(office=office, assigned_to=officer, status__in=OPEN).order_by("registration_number")
        )
        move_reason = _("Surat penugasan %(number)s: %(kind)s %(start)s s.d. %(end)s. %(reason)s") % {
            "number": letter.number,
            "kind": absence.get_kind_display().lower(),
            "start": starts_on.isoformat(),
            "end": ends_on.isoformat(),
            "reason": reason,
        }
        for case in cases:
            case_reassign(case=case, actor=actor, to=delegate, reason=move_reason)
        letter.cases.set(cases)
        audit_record(
            action="absence.record",
            actor=actor,
            office=office,
            changes={
                "absence": absence.pk,
                "officer": officer.get_username(),
                "kind": kind,
                "period": [starts_on.isoformat(), ends_on.isoformat()],
                "delegate": delegate.get_username(),
                "letter": letter.number,
                "cases": [case.registration_number for case in cases],
            },
        )
        notify_letter_to_sign(letter)
    return absence, letter


def letter_attach_signed_scan(*, letter: AssignmentLetter, filename: str, content: bytes, actor: User):
    """Stores the scan of the signed letter (PDF, JPEG or PNG, at most 5 MB, checked by its content) and marks
    the letter signed. A later scan replaces an earlier one; both are in the audit trail. Raises
    PermissionDenied or InvalidFields keyed "signed_scan"."""
    _check_head(actor, letter.office)
    content_type = document_check(field="signed_scan", filename=filename, content=content)
    with transaction.atomic():
        letter = AssignmentLetter.objects.select_for_update().get(pk=letter.pk)
        replaced = letter.signed_at is not None
        letter.signed_scan = base64.b64encode(content).decode()
        letter.signed_scan_type = content_type
        letter.signed_scan_name = safe_filename(filename)
        letter.signed_at = clock.now()
        letter.save(update_fields=["signed_scan", "signed_scan_type", "signed_scan_name", "signed_at"])
        audit_record(
            action="assignment_letter.signed_scan",
            actor=actor,
            office=letter.office,
            changes={
                "letter": letter.number,
                "sha256": hashlib.sha256(content).hexdigest(),
                "size": len(content),
                "replaced": replaced,
            },
        )
    return letter


def signed_scan_bytes(letter: AssignmentLetter) -> bytes:
    return base64.b64decode(letter.signed_scan) if letter.signed_scan else b""
