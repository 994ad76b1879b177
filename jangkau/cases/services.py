"""Case actions. One function per action; each is one transaction that locks the case row, checks the
transition table and the actor's role and office, changes the case, and writes one audit event.

``actor`` is a staff ``User``, or ``workflow.REQUESTER`` / ``workflow.SYSTEM`` for the requester (already
identified by the interface through the private tracking code) and for scheduled jobs.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from jangkau.accounts.models import Role, User
from jangkau.audit.services import audit_record
from jangkau.core import clock
from jangkau.core.crypto import search_hash
from jangkau.core.errors import Conflict, Gone, InvalidFields, InvalidInput, PermissionDenied
from jangkau.core.models import next_number
from jangkau.notifications.case_events import alert_step_breach, on_case_action
from jangkau.offices.calendar import calendar_for
from jangkau.offices.models import Office, ServiceType
from jangkau.procedures.selectors import active_procedure
from jangkau.scheduling.models import Appointment, ContactAttempt
from jangkau.scheduling.selectors import current_appointment
from jangkau.surveys.invitations import invitation_open

from . import workflow
from .documents import drafts
from .intake import CASE_FIELDS, Text, clean_intake, clean_text
from .models import (
    Case,
    CaseDocument,
    CaseNote,
    Channel,
    RequesterMessage,
    RequesterNotice,
    StepOutcome,
    StepPause,
    StepRecord,
)
from .queue_keys import refresh_queue_key
from .sla import INFORMATION_EXTENSION_MAX_DAYS, information_due, set_due
from .vocabulary import Accommodation, AccommodationsProvided, DeliveryMode, NeedMet

Actor = User | str

# Letters and digits that cannot be mistaken for each other when read aloud or typed from paper.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 10


def role_of(actor: Actor) -> str:
    return actor if isinstance(actor, str) else actor.role


def _check_office(actor: Actor, case: Case) -> None:
    if isinstance(actor, User) and actor.office_id != case.office_id:
        raise PermissionDenied(_("Kasus ini milik kantor lain."))


def _audit(case: Case, action: str, actor: Actor, changes: dict) -> None:
    """Writes the action's audit event and, in the same transaction, the messages it sends."""
    event = audit_record(
        action=f"case.{action}",
        actor=actor if isinstance(actor, User) else None,
        actor_label=actor if isinstance(actor, str) else None,
        case=case,
        changes=changes,
    )
    on_case_action(case, action, actor, changes, event.pk)


def _done_by(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


# --- steps -----------------------------------------------------------------------------------------------


def standard_days(pos_step, service_type) -> int | None:
    """Returns the working days of a step measured in days (None for one measured in minutes): the
    service's Standar Pelayanan window when the step follows it, kept within the POS's own range (step 6:
    "1 s.d. 3 hari")."""
    if pos_step.standard_minutes is not None:
        return None
    days = service_type.survey_window_days if pos_step.follows_service_standard else pos_step.standard_days_max
    return max(pos_step.standard_days_min or 0, min(days, pos_step.standard_days_max))


def _open_step(
    case: Case, step_no: int, *, opened_at: datetime | None = None, pos_steps=None, cal=None, save: bool = True
) -> StepRecord:
    """Opens the record of POS step ``step_no``, copying its standard time and computing its due moment.
    ``pos_steps`` ({no: step}) and ``cal`` spare the queries when the caller already has them; ``save=False``
    leaves the record for the caller to save (intake finishes step 1 before it is ever written)."""
    pos_step = pos_steps[step_no] if pos_steps else case.procedure.steps.get(no=step_no)
    step = StepRecord(
        case=case,
        step_no=step_no,
        activity=pos_step.activity,
        is_officer_step=pos_step.is_officer_step,
        standard_minutes=pos_step.standard_minutes,
        standard_days=standard_days(pos_step, case.service_type),
        opened_at=opened_at or clock.now(),
        responsible=case.assigned_to if pos_step.is_officer_step else None,
    )
    set_due(step, cal or calendar_for(case.office))
    if save:
        step.save()
    return step


def _open_record(case: Case, step_no: int) -> StepRecord:
    step = case.steps.filter(step_no=step_no, done_at__isnull=True).first()
    if step is None:
        raise Conflict(_("Langkah %(no)s tidak sedang berjalan.") % {"no": step_no}, code="step_not_running")
    return step


def _finish_record(step: StepRecord, actor: Actor, outcome: str, now: datetime) -> StepRecord:
    """Ends a step record at ``now``: closes a running pause, settles its due moment, judges the breach. A record
    not yet saved (it never paused) is saved whole."""
    if step.pk is not None and step.pauses.filter(resumed_at__isnull=True).exists():
        step.pauses.filter(resumed_at__isnull=True).update(resumed_at=now)
        set_due(step, calendar_for(step.case.office))
    # Done before it became actionable (delivered ahead of the appointment): it was actionable then.
    step.opened_at = min(step.opened_at, now)
    step.done_at, step.done_by, step.outcome = now, _done_by(actor), outcome
    step.breached = step.due_at is not None and now > step.due_at
    step.save(
        update_fields=None
        if step.pk is None
        else ["opened_at", "due_at", "warn_at", "done_at", "done_by", "outcome", "breached"]
    )
    if step.breached and step.is_officer_step and step.breach_alerted_at is None:
        # Overran between two rounds of the SLA watch: the supervisor still hears of it.
        alert_step_breach(step)
    return step


def _finish_step(case: Case, step_no: int, actor: Actor, outcome: str = StepOutcome.DONE) -> StepRecord:
    return _finish_record(_open_record(case, step_no), actor, outcome, clock.now())


def _pause_step(case: Case, step_no: int, reason: str) -> None:
    step = _open_record(case, step_no)
    StepPause.objects.create(step=step, paused_at=clock.now(), reason=reason)
    # None while on hold, unless the time had already run out before the pause: that due moment stays.
    set_due(step, calendar_for(case.office))
    step.save(update_fields=["due_at", "warn_at"])


def _resume_step(case: Case, step_no: int) -> None:
    step = _open_record(case, step_no)
    step.pauses.filter(resumed_at__isnull=True).update(resumed_at=clock.now())
    set_due(step, calendar_for(case.office))
    step.save(update_fields=["due_at", "warn_at"])


# --- the common shape of an action -----------------------------------------------------------------------


def holder_elsewhere(case: Case, actor: Actor) -> User | None:
    """Returns the colleague who holds ``case`` for the actor's role, None when the actor may work it.

    Once an officer holds a case (``assigned_to``) or a PPID member has it (``ppid_member``), only they work
    it; the head reassigns it when they cannot.
    """
    if not isinstance(actor, User):
        return None
    holder = {Role.ULT_OFFICER: case.assigned_to, Role.PPID_MEMBER: case.ppid_member}.get(actor.role)
    return holder if holder is not None and holder.pk != actor.pk else None


def _check_holder(action: str, case: Case, actor: Actor) -> None:
    """Raises PermissionDenied when a colleague acts on a case someone else holds (``holder_elsewhere``).
    Cancelling for the requester stays open to any officer."""
    if action in workflow.ANY_OFFICER_ACTIONS:
        return
    if holder_elsewhere(case, actor) is not None:
        raise PermissionDenied(_("Kasus ini dipegang petugas lain. Minta Kepala mengalihkannya bila perlu."))


def _act(
    case: Case,
    action: str,
    actor: Actor,
    change: Callable[[Case], dict] | None = None,
    *,
    opens_at: datetime | None = None,
) -> Case:
    """Runs one action: lock, check, change, move the steps, set the status, audit; all in one transaction.

    The whole action happens at one moment: the clock is read once, so a check and the record it guards
    cannot fall on either side of a deadline.
    """
    with transaction.atomic(), clock.frozen_at(clock.now()):
        # of=("self",): lock the case row only, not the office, POS and service rows joined for reading.
        # no_key=True (FOR NO KEY UPDATE): still one action at a time on the case, but other transactions
        # may insert rows pointing at it (their foreign-key check takes FOR KEY SHARE, at COMMIT since
        # Django's foreign keys are deferred). One that audits the case without locking it (a message
        # retried, a dossier exported) holds the audit chain head by then; with FOR UPDATE here, this action
        # waited for it on the chain head while it waited for us on the case row: a deadlock.
        case = (
            Case.objects.select_for_update(of=("self",), no_key=True)
            .select_related("office", "procedure", "service_type")
            .get(pk=case.pk)
        )
        _check_office(actor, case)
        transition = workflow.check_transition(action, case.status, role_of(actor))
        _check_holder(action, case, actor)
        before = case.status
        changes = change(case) if change else {}
        effect = workflow.STEP_EFFECTS.get(action)
        if effect and effect.finishes:
            _finish_step(case, effect.finishes, actor, effect.outcome)
        if transition.target is not None:
            case.status = transition.target
        case.save()
        if effect and effect.opens:
            _open_step(case, effect.opens, opened_at=opens_at)
        refresh_queue_key(case)
        _audit(case, action, actor, {"status": [before, case.status], **changes})
    return case


def _require(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message)
    return value


# Free text a requester writes (tracking page, API) or an officer asks of them: intake's limits and checks.
REQUESTER_TEXT = Text(2000, multiline=True)
PREFERRED_TIMES_TEXT = Text(300)


def _requester_text(value, field: str, missing: str) -> str:
    """Returns the cleaned text. Raises InvalidFields naming ``field`` when it is empty, too long or holds
    control characters."""
    text, problem = clean_text(value, REQUESTER_TEXT)
    if problem:
        raise InvalidFields({field: problem})
    if not text:
        raise InvalidFields({field: missing})
    return text


def _text_errors(*fields: tuple[str, str, str]) -> dict[str, str]:
    """Returns, for each ``(field, value, message when empty)``, why its text is refused: empty, too long or
    unreadable. Empty when all are fine."""
    errors = {}
    for field, value, missing in fields:
        text, problem = clean_text(value, REQUESTER_TEXT)
        if problem or not text:
            errors[field] = problem or missing
    return errors


def _staff_of(case: Case, user: User, role: str, message: str) -> User:
    if not isinstance(user, User) or user.office_id != case.office_id or user.role != role or not user.is_active:
        raise InvalidInput(message)
    return user


# --- step 1: submission ----------------------------------------------------------------------------------


def _new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def office_today(office: Office):
    return clock.now().astimezone(ZoneInfo(office.time_zone)).date()


def intake_check(*, office: Office, data: dict, only=None) -> tuple[dict, dict[str, str]]:
    """Returns ``(cleaned, errors)`` for intake ``data`` against ``office``'s catalogue (see ``clean_intake``)."""
    catalogue = set(office.service_types.filter(is_active=True).values_list("code", flat=True))
    return clean_intake(data, catalogue=catalogue, today=office_today(office), only=only)


def _validated_intake(office: Office, data: dict) -> dict:
    """Returns the Case fields from raw intake data. Raises InvalidFields naming every wrong field."""
    data = dict(data)
    if isinstance(data.get("service_type"), ServiceType):
        data["service_type"] = data["service_type"].code
    cleaned, errors = intake_check(office=office, data=data)
    if errors:
        raise InvalidFields(dict(errors.ordered()))
    cleaned.pop("consent")
    nik, id_number = cleaned.pop("nik"), cleaned.pop("id_number")
    fields = {CASE_FIELDS.get(name, name): value for name, value in cleaned.items()}
    fields["service_type"] = office.service_types.get(code=cleaned["service_type"])
    fields["id_document_number"] = nik or id_number
    fields["nik_hash"] = search_hash(nik, purpose="nik") if nik else ""
    return fields


def _hold_office_steady(office: Office) -> None:
    """Keeps the office's calendar and POS from changing until this intake commits, without holding other
    intakes back: a shared row lock (FOR SHARE) on PostgreSQL. Calendar, POS and instrument changes take the
    office row FOR NO KEY UPDATE (``offices.services``), which waits for every intake holding it and makes new
    ones wait, so the deadlines of a new case are always computed under the calendar it commits with. Many
    intakes hold it at once; the numbering counter alone puts them in line, for as short a time as it can.

    A shared lock also lets other transactions insert rows pointing at the office (their foreign-key check
    takes FOR KEY SHARE): an officer's action holding the audit chain head while it records an event of this
    office never waits for an intake here (a FOR UPDATE here once deadlocked the two). SQLite has no row
    locks: its writers take turns on the whole database anyway."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Office._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR SHARE", [office.pk])


def case_submit(
    *,
    office: Office,
    data: dict,
    channel: str = Channel.WEB,
    actor: Actor = workflow.REQUESTER,
    idempotency_key: str | None = None,
    started_at: datetime | None = None,
    document_tokens: list[str] | None = None,
) -> Case:
    """Creates a case and returns it (the first one for a repeated key); see ``case_submit_once``."""
    case, _created = case_submit_once(
        office=office,
        data=data,
        channel=channel,
        actor=actor,
        idempotency_key=idempotency_key,
        started_at=started_at,
        document_tokens=document_tokens,
    )
    return case


def case_submit_once(
    *,
    office: Office,
    data: dict,
    channel: str = Channel.WEB,
    actor: Actor = workflow.REQUESTER,
    idempotency_key: str | None = None,
    started_at: datetime | None = None,
    document_tokens: list[str] | None = None,
) -> tuple[Case, bool]:
    """Creates a case (POS step 1 done, step 2 open) and returns ``(case, True)``; for a repeated
    ``idempotency_key`` with the same data, returns ``(first case, False)`` and creates nothing.

    A requester submits through the web form or the API; an officer records any other channel on the
    requester's behalf. The same ``idempotency_key`` returns the first case instead of a second one.
    ``document_tokens`` name draft uploads (``documents.document_store_draft``) to attach to the case.
    Raises InvalidFields / InvalidInput (nothing is created) and PermissionDenied.
    """
    role = role_of(actor)
    if role not in (workflow.REQUESTER, Role.ULT_OFFICER):
        raise PermissionDenied(_("Hanya pemohon atau Petugas ULT yang dapat mencatat permohonan."))
    if isinstance(actor, User) and actor.office_id != office.pk:
        raise PermissionDenied(_("Anda hanya dapat mencatat permohonan untuk kantor Anda."))
    if channel not in Channel.values:
        raise InvalidInput(_("Saluran tidak dikenal."))
    if isinstance(actor, User) and channel in (Channel.WEB, Channel.API):
        # Web and API requests come from requesters themselves; an officer records the channel it came by.
        raise InvalidInput(_("Petugas mencatat permohonan dari saluran lain, bukan formulir web atau API."))
    if not office.is_active:
        raise InvalidInput(_("Kantor ini tidak lagi menerima permohonan."))
    fingerprint = _fingerprint(data, channel, actor) if idempotency_key else ""
    if idempotency_key:
        existing = _same_submission(office, idempotency_key, fingerprint)
        if existing:
            return existing, False
    fields = _validated_intake(office, data)
    now = clock.now()
    try:
        with transaction.atomic(), clock.frozen_at(now):
            _hold_office_steady(office)
            procedure = active_procedure(office)
            # The POS steps and the calendar are read once for the deadline and both step records.
            pos_steps, cal = {step.no: step for step in procedure.steps.all()}, calendar_for(office)
            # Numbers restart each calendar year of the office's own time zone, not UTC's.
            year = now.astimezone(ZoneInfo(office.time_zone)).year
            number = next_number(f"case:{office.pk}:{year}")
            case = Case(
                office=office,
                procedure=procedure,
                registration_number=f"{office.registration_prefix}-{year}-{number:06d}",
                tracking_code=_new_tracking_code(),
                idempotency_key=idempotency_key or None,
                idempotency_fingerprint=fingerprint,
                channel=channel,
                submitted_at=now,
                consent_given_at=now,
                assigned_to=actor if isinstance(actor, User) else None,
                **fields,
            )
            # Only public-information requests carry the legal deadline (UU 14/2008), from the moment of receipt.
            if case.service_type.is_public_information:
                case.information_due_at = information_due(case, cal)
            case.save(force_insert=True)
            attached = _attach_drafts(case, document_tokens)
            step1 = _open_step(case, 1, opened_at=min(started_at or now, now), pos_steps=pos_steps, cal=cal, save=False)
            _finish_record(step1, actor, StepOutcome.DONE, now)
            refresh_queue_key(case, open_step=_open_step(case, 2, pos_steps=pos_steps, cal=cal))
            _audit(
                case,
                "submit",
                actor,
                {
                    "status": [None, case.status],
                    "channel": channel,
                    "registration_number": case.registration_number,
                    "documents": attached,
                },
            )
    except IntegrityError:
        # Two identical submissions raced: the other one won; answer with its case.
        if idempotency_key:
            existing = _same_submission(office, idempotency_key, fingerprint)
            if existing:
                return existing, False
        raise
    return case, True


def _fingerprint(data: dict, channel: str, actor: Actor) -> str:
    # Keyed, because the data holds a NIK: a plain hash of it could be brute-forced from the database.
    canonical = json.dumps([data, channel, role_of(actor), getattr(actor, "pk", None)], sort_keys=True, default=str)
    return search_hash(canonical, purpose="idempotency")


def _same_submission(office: Office, key: str, fingerprint: str) -> Case | None:
    """Returns the case made earlier with ``key`` from the same data, None when there is none.

    Raises Conflict when the key was used for different data: returning that case would hand one
    requester's tracking code to another.
    """
    existing = Case.objects.filter(office=office, idempotency_key=key).first()
    if existing is not None and existing.idempotency_fingerprint != fingerprint:
        raise Conflict(
            _("Kunci idempotensi ini sudah dipakai untuk permohonan lain. Gunakan kunci baru."),
            code="idempotency_key_reused",
        )
    return existing


# --- step 2: record, check, accept or reject ------------------------------------------------------------


def case_request_info(*, case: Case, actor: Actor, missing: str) -> Case:
    """Asks the requester for missing data; step 2's clock stops until they answer."""
    missing = _requester_text(missing, "missing", _("Tuliskan data apa yang kurang."))

    def change(c: Case) -> dict:
        _pause_step(c, 2, reason=missing)
        return {"missing": missing}

    return _act(case, "request_info", actor, change)


def case_provide_info(*, case: Case, actor: Actor, note: str = "") -> Case:
    """Records that the requester completed the data; step 2's clock runs again."""

    def change(c: Case) -> dict:
        _resume_step(c, 2)
        return {"note": note.strip()} if note.strip() else {}

    return _act(case, "provide_info", actor, change)


def case_reject(*, case: Case, actor: Actor, reason: str, referral: str) -> Case:
    """Rejects an out-of-scope request, with the reason and where the requester can go instead."""
    reason = _require(reason, _("Alasan penolakan wajib diisi."))
    referral = _require(referral, _("Rujukan wajib diisi agar pemohon tahu ke mana harus pergi."))

    def change(c: Case) -> dict:
        c.rejection_reason, c.referral, c.closed_at = reason, referral, clock.now()
        return {"reason": reason, "referral": referral}

    return _act(case, "reject", actor, change)


def case_accept(*, case: Case, actor: Actor) -> Case:
    """Accepts a complete request; the accepting officer holds the case unless someone already does."""

    def change(c: Case) -> dict:
        if c.assigned_to_id is None:
            c.assigned_to = actor
        return {"assigned_to": c.assigned_to.get_username()}

    return _act(case, "accept", actor, change)


# --- step 3: PPID ---------------------------------------------------------------------------------------


def case_forward_to_ppid(*, case: Case, actor: Actor, ppid_member: User, note: str) -> Case:
    """Hands the case to a PPID member of the same office with a note on what is needed."""
    note = _require(note, _("Tuliskan catatan untuk Tim PPID."))

    def change(c: Case) -> dict:
        c.ppid_member = _staff_of(c, ppid_member, Role.PPID_MEMBER, _("Pilih anggota Tim PPID dari kantor ini."))
        return {"ppid_member": ppid_member.get_username(), "note": note}

    return _act(case, "forward_to_ppid", actor, change)


def case_record_result(*, case: Case, actor: Actor, summary: str, document_tokens: list[str] | None = None) -> Case:
    """PPID records the prepared result (text, and the documents and data files named by ``document_tokens``,
    uploaded first as drafts of kind "result"); the case is ready for contact and scheduling (step 4)."""
    summary = _require(summary, _("Tuliskan hasil layanan yang disiapkan."))
    _check_drafts(document_tokens, CaseDocument.Kind.RESULT, "document_tokens")

    def change(c: Case) -> dict:
        c.result_summary = summary
        return {"result_summary": summary, "documents": _attach_drafts(c, document_tokens, CaseDocument.Kind.RESULT)}

    return _act(case, "record_result", actor, change)


NOTE_TEXT = Text(4000, multiline=True)


def case_add_note(*, case: Case, actor: Actor, body: str) -> CaseNote:
    """Adds a message to the case's internal thread (ULT and PPID; the requester never sees it) and returns
    it. Any staff member of the office may write while the case is open. Raises InvalidFields ("body")."""
    body, problem = clean_text(body, NOTE_TEXT)
    if problem or not body:
        raise InvalidFields({"body": problem or _("Tuliskan isi catatan.")})
    notes: list[CaseNote] = []

    def change(c: Case) -> dict:
        notes.append(CaseNote.objects.create(case=c, author=actor, body=body, created_at=clock.now()))
        # The words may hold personal data: the audit trail names the note, never its text.
        return {"note": notes[0].pk}

    _act(case, "add_note", actor, change)
    return notes[0]


def case_extend_information_deadline(*, case: Case, actor: Actor, days: int, reason: str, notice: str) -> Case:
    """Extends the legal deadline of a public-information request once, by 1 to 7 working days, and sends
    the requester the written notice (shown on their tracking page). Raises InvalidFields ("days",
    "reason", "notice"), Conflict when the request is not a public-information one, was already extended,
    or its deadline has passed."""
    errors = {}
    if not isinstance(days, int) or not 1 <= days <= INFORMATION_EXTENSION_MAX_DAYS:
        errors["days"] = _("Perpanjangan 1 sampai %(max)s hari kerja.") % {"max": INFORMATION_EXTENSION_MAX_DAYS}
    errors.update(
        _text_errors(
            ("reason", reason, _("Tuliskan alasan perpanjangan.")),
            ("notice", notice, _("Tuliskan pemberitahuan tertulis untuk pemohon.")),
        )
    )
    if errors:
        raise InvalidFields(errors)
    reason, notice = reason.strip(), notice.strip()

    def change(c: Case) -> dict:
        if c.information_due_at is None:
            raise Conflict(
                _("Tenggat informasi publik hanya berlaku untuk permohonan informasi publik."),
                code="not_public_information",
            )
        if c.information_extension_days:
            raise Conflict(
                _("Tenggat ini sudah pernah diperpanjang; undang-undang mengizinkan sekali."), code="already_extended"
            )
        now = clock.now()
        if now > c.information_due_at:
            raise Conflict(
                _("Tenggat sudah lewat; perpanjangan harus diberitahukan sebelum tenggat."), code="deadline_passed"
            )
        before = c.information_due_at
        c.information_extension_days, c.information_extended_at, c.information_extension_reason = days, now, reason
        c.information_due_at = information_due(c, calendar_for(c.office))
        RequesterNotice.objects.create(
            case=c, kind=RequesterNotice.Kind.INFORMATION_EXTENSION, body=notice, sent_by=actor, created_at=now
        )
        return {
            "information_due_at": [before.isoformat(), c.information_due_at.isoformat()],
            "days": days,
            "reason": reason,
        }

    return _act(case, "extend_information_deadline", actor, change)


# --- step 4: contact and schedule -----------------------------------------------------------------------


def case_record_contact_attempt(*, case: Case, actor: Actor, channel: str, result: str, notes: str = "") -> Case:
    """Records one try to reach the requester; the status does not change."""
    if result not in ContactAttempt.Result.values:
        raise InvalidInput(_("Hasil kontak tidak dikenal."))
    channel = _require(channel, _("Saluran kontak wajib diisi."))

    def change(c: Case) -> dict:
        ContactAttempt.objects.create(
            case=c, channel=channel, attempted_at=clock.now(), result=result, notes=notes.strip(), officer=actor
        )
        return {"channel": channel, "result": result}

    return _act(case, "record_contact_attempt", actor, change)


def failed_contact_days(case: Case) -> int:
    """Returns on how many different working days the requester could not be reached, counting only the
    attempts since the case last came back from "unreachable". Three tries in one morning are one day."""
    resumed = case.steps.filter(step_no=4).values_list("pauses__resumed_at", flat=True)
    since = max((moment for moment in resumed if moment is not None), default=None)
    attempts = case.contact_attempts.exclude(result=ContactAttempt.Result.REACHED)
    if since is not None:
        attempts = attempts.filter(attempted_at__gt=since)
    cal = calendar_for(case.office)
    days = {moment.astimezone(cal.tz).date() for moment in attempts.values_list("attempted_at", flat=True)}
    return sum(1 for day in days if cal.window(day) is not None)


def case_mark_unreachable(*, case: Case, actor: Actor) -> Case:
    """Marks the requester unreachable after failed contacts on enough different working days (three by
    default); step 4's clock stops."""

    def change(c: Case) -> dict:
        needed = settings.JANGKAU_UNREACHABLE_AFTER_DAYS
        failed = failed_contact_days(c)
        if failed < needed:
            raise InvalidInput(
                _("Pemohon baru gagal dihubungi pada %(failed)s hari kerja berbeda; diperlukan %(needed)s.")
                % {"failed": failed, "needed": needed}
            )
        _pause_step(c, 4, reason=_("Pemohon tidak dapat dihubungi"))
        return {"failed_days": failed}

    return _act(case, "mark_unreachable", actor, change)


def case_resume_contact(*, case: Case, actor: Actor, note: str = "") -> Case:
    """Brings an unreachable case back to the contact queue (the requester got in touch)."""

    def change(c: Case) -> dict:
        _resume_step(c, 4)
        return {"note": note.strip()} if note.strip() else {}

    return _act(case, "resume_contact", actor, change)


# The last year an appointment may fall in: a later one is a typing mistake, and the office calendar's day
# after 31 December 9999 does not exist.
LATEST_APPOINTMENT_YEAR = 2099


def _validated_schedule(starts_at: datetime, mode: str) -> None:
    if starts_at is None or starts_at < clock.now():
        raise InvalidFields({"starts_at": _("Jadwal layanan harus di masa depan.")})
    if starts_at.year > LATEST_APPOINTMENT_YEAR:
        raise InvalidFields(
            {
                "starts_at": _("Tanggal harus antara tahun %(first)s dan %(last)s.")
                % {"first": clock.now().year, "last": LATEST_APPOINTMENT_YEAR}
            }
        )
    if mode not in DeliveryMode.values:
        raise InvalidFields({"mode": _("Pilih cara layanan.")})


def _appointment_team(case: Case, actor: Actor, officers, accommodations) -> tuple[list[User], list[str]]:
    """Returns the officers who go (the scheduling officer when none are named) and the accommodations to
    prepare (default: those the requester asked for). Raises InvalidFields ("officers", "accommodations")."""
    team = list(officers) if officers else [actor]
    if any(
        not isinstance(user, User)
        or user.office_id != case.office_id
        or not user.is_active
        or user.role not in (Role.ULT_OFFICER, Role.PPID_MEMBER)
        for user in team
    ):
        raise InvalidFields({"officers": _("Pilih petugas ULT atau anggota Tim PPID dari kantor ini.")})
    prepared = list(dict.fromkeys(case.accommodations if accommodations is None else accommodations))
    if any(code not in Accommodation.values for code in prepared):
        raise InvalidFields({"accommodations": _("Akomodasi tidak dikenal.")})
    return team, prepared


def _new_appointment(c: Case, actor: Actor, *, starts_at, mode, place, notes, officers, accommodations) -> dict:
    team, prepared = _appointment_team(c, actor, officers, accommodations)
    appointment = Appointment.objects.create(
        case=c,
        starts_at=starts_at,
        mode=mode,
        place=place.strip(),
        notes=notes.strip(),
        officer=actor,
        accommodations=prepared,
        created_at=clock.now(),
    )
    appointment.officers.set(team)
    c.delivery_mode = mode
    return {
        "starts_at": starts_at.isoformat(),
        "mode": mode,
        "officers": [user.get_username() for user in team],
        "accommodations": prepared,
    }


def case_schedule(
    *,
    case: Case,
    actor: Actor,
    starts_at: datetime,
    mode: str,
    place: str = "",
    notes: str = "",
    officers: list[User] | None = None,
    accommodations: list[str] | None = None,
) -> Case:
    """Agrees the service schedule: moment, mode, place, the officers who go (default: the actor) and the
    accommodations to prepare (default: those the requester asked for). Step 4 is done; step 5 becomes
    actionable at the appointment. Raises InvalidFields."""
    _validated_schedule(starts_at, mode)

    def change(c: Case) -> dict:
        return _new_appointment(
            c, actor, starts_at=starts_at, mode=mode, place=place, notes=notes, officers=officers,
            accommodations=accommodations,
        )  # fmt: skip

    # Step 5 becomes actionable when the appointment starts, not when it was agreed.
    return _act(case, "schedule", actor, change, opens_at=starts_at)


def case_reschedule(
    *,
    case: Case,
    actor: Actor,
    starts_at: datetime,
    mode: str,
    reason: str,
    place: str = "",
    officers: list[User] | None = None,
    accommodations: list[str] | None = None,
) -> Case:
    """Moves the appointment; the previous one is kept as superseded and step 5's clock follows the new one.
    The officers and accommodations stay those of the previous appointment unless given."""
    _validated_schedule(starts_at, mode)
    reason = _requester_text(reason, "reason", _("Alasan penjadwalan ulang wajib diisi."))

    def change(c: Case) -> dict:
        now = clock.now()
        previous = current_appointment(c)
        c.appointments.filter(superseded_at__isnull=True).update(superseded_at=now)
        team = officers or (list(previous.officers.all()) if previous else None)
        prepared = accommodations if accommodations is not None else (previous.accommodations if previous else None)
        changes = _new_appointment(
            c, actor, starts_at=starts_at, mode=mode, place=place, notes=reason, officers=team,
            accommodations=prepared,
        )  # fmt: skip
        step = _open_record(c, 5)
        if step.due_at is not None and now > step.due_at:
            # The appointment was missed: that record ends as it stands (a breach to account for), and the
            # new appointment gets a record of its own.
            _finish_record(step, actor, StepOutcome.RESCHEDULED, now)
            _open_step(c, 5, opened_at=starts_at)
        else:
            step.opened_at = starts_at
            set_due(step, calendar_for(c.office))
            step.save(update_fields=["opened_at", "due_at", "warn_at"])
        return {**changes, "reason": reason}

    return _act(case, "reschedule", actor, change)


def case_cancel_appointment(*, case: Case, actor: Actor, reason: str, notice: str) -> Case:
    """Calls off the agreed appointment without a new one: the case goes back to the contact queue (step 4
    opens again) and the requester gets ``notice`` on their tracking page. Raises InvalidFields ("reason",
    "notice")."""
    errors = _text_errors(
        ("reason", reason, _("Alasan pembatalan jadwal wajib diisi.")),
        ("notice", notice, _("Tuliskan pemberitahuan untuk pemohon.")),
    )
    if errors:
        raise InvalidFields(errors)
    reason, notice = reason.strip(), notice.strip()

    def change(c: Case) -> dict:
        now = clock.now()
        c.appointments.filter(superseded_at__isnull=True).update(superseded_at=now, cancellation_reason=reason)
        RequesterNotice.objects.create(
            case=c, kind=RequesterNotice.Kind.APPOINTMENT_CANCELLED, body=notice, sent_by=actor, created_at=now
        )
        return {"reason": reason}

    return _act(case, "cancel_appointment", actor, change)


# --- steps 5 to 8 ---------------------------------------------------------------------------------------


# Far above any courier fare or day of transport: a typo of extra zeros is refused, not recorded.
OFFICE_COST_MAX = 100_000_000


def case_deliver(
    *,
    case: Case,
    actor: Actor,
    notes: str,
    mode: str = "",
    documents_handed_over: str = "",
    office_cost: int = 0,
    office_cost_note: str = "",
    proof_token: str | None = None,
) -> Case:
    """Records the service delivered (step 5): what (``notes``), how (``mode``, default the agreed one), the
    documents handed over, the cost the office bore (the requester is never charged), and an optional proof
    (a draft upload of kind "delivery_proof": signed receipt or photo). The survey window (step 6) opens.
    Raises InvalidFields."""
    errors = {}
    notes, problem = clean_text(notes, REQUESTER_TEXT)
    if problem or not notes:
        errors["notes"] = problem or _("Tuliskan layanan yang diberikan.")
    if mode and mode not in DeliveryMode.values:
        errors["mode"] = _("Pilih cara layanan.")
    documents_handed_over, problem = clean_text(documents_handed_over, REQUESTER_TEXT)
    if problem:
        errors["documents_handed_over"] = problem
    if not isinstance(office_cost, int) or not 0 <= office_cost <= OFFICE_COST_MAX:
        errors["office_cost"] = _("Biaya berupa bilangan bulat rupiah, 0 sampai %(max)s.") % {
            "max": f"{OFFICE_COST_MAX:,}".replace(",", ".")
        }
    office_cost_note, problem = clean_text(office_cost_note, PREFERRED_TIMES_TEXT)
    if problem:
        errors["office_cost_note"] = problem
    try:
        _check_drafts([proof_token] if proof_token else [], CaseDocument.Kind.DELIVERY_PROOF, "proof_token")
    except InvalidFields as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidFields(errors)

    def change(c: Case) -> dict:
        c.delivery_notes, c.documents_handed_over = notes, documents_handed_over
        c.delivery_mode = mode or c.delivery_mode
        c.office_cost, c.office_cost_note = office_cost, office_cost_note
        c.delivered_at = clock.now()
        # The survey is handed over with the service: its private link opens now (POS step 5).
        invitation_open(c, c.delivered_at)
        return {
            "delivery_notes": notes,
            "mode": c.delivery_mode,
            "documents_handed_over": documents_handed_over,
            "office_cost": office_cost,
            "proof": _attach_drafts(c, [proof_token] if proof_token else [], CaseDocument.Kind.DELIVERY_PROOF),
        }

    return _act(case, "deliver", actor, change)


def case_record_feedback(
    *, case: Case, actor: Actor, note: str = "", survey_response: int | None = None, mode: str = ""
) -> Case:
    """Records that the requester gave feedback (step 6 done); the recap (step 7) opens. The survey's
    services pass the response they recorded, so its audit event names it."""

    def change(c: Case) -> dict:
        changes = {"note": note.strip()} if note.strip() else {}
        if survey_response is not None:
            changes.update(survey_response=survey_response, mode=mode)
        return changes

    return _act(case, "record_feedback", actor, change)


def case_expire_feedback(*, case: Case, actor: Actor) -> Case:
    """Ends the survey window without an answer. Raises InvalidInput while the window is still open."""

    def change(c: Case) -> dict:
        step = _open_record(c, 6)
        if step.due_at and clock.now() <= step.due_at:
            raise InvalidInput(_("Jangka waktu survei belum berakhir."))
        return {}

    return _act(case, "expire_feedback", actor, change)


def case_recap_feedback(*, case: Case, actor: Actor) -> Case:
    """Records the survey recap for the case (step 7); the evaluation (step 8) opens."""
    return _act(case, "recap_feedback", actor)


# Answers of the closing evaluation that say something did not go well: the notes must then say why.
UNMET_ACCOMMODATIONS = frozenset({AccommodationsProvided.PARTLY, AccommodationsProvided.NOT_PROVIDED})


def case_close(
    *,
    case: Case,
    actor: Actor,
    need_met: str,
    mode_right: bool | None,
    accommodations_provided: str,
    evaluation: str = "",
    late_explanation: str = "",
) -> Case:
    """Closes the case with its evaluation (step 8): was the need met, was the delivery mode right, were the
    accommodations asked for provided, and free notes.

    Raises InvalidFields naming every missing or unknown answer (notes are required when the need was not
    fully met, since the periodic evaluation reads why). Raises Conflict while any overrun officer step lacks
    its explanation; when step 8 itself is late, ``late_explanation`` must give the reason.
    """
    errors = {}
    if need_met not in NeedMet.values:
        errors["need_met"] = _("Pilih apakah kebutuhan pemohon terpenuhi.")
    if not isinstance(mode_right, bool):
        errors["mode_right"] = _("Pilih apakah cara layanan sudah tepat.")
    if accommodations_provided not in AccommodationsProvided.values:
        errors["accommodations_provided"] = _("Pilih apakah akomodasi yang diminta sudah disediakan.")
    elif accommodations_provided == AccommodationsProvided.NONE_ASKED and case.accommodations:
        errors["accommodations_provided"] = _(
            "Pemohon meminta akomodasi; pilih apakah semuanya, sebagian, atau tidak disediakan."
        )
    notes, problem = clean_text(evaluation or "", REQUESTER_TEXT)
    if problem:
        errors["evaluation"] = problem
    elif not notes and (
        need_met != NeedMet.MET or mode_right is False or accommodations_provided in UNMET_ACCOMMODATIONS
    ):
        errors["evaluation"] = _("Jelaskan apa yang belum berjalan baik dan mengapa.")
    if errors:
        raise InvalidFields(errors)

    def change(c: Case) -> dict:
        missing = [s.step_no for s in c.steps.filter(breached=True, is_officer_step=True, breach_explanation="")]
        if missing:
            raise Conflict(
                _("Kasus belum dapat ditutup: keterlambatan langkah %(steps)s belum dijelaskan.")
                % {"steps": ", ".join(str(no) for no in missing)},
                code="breach_unexplained",
            )
        step8 = _open_record(c, 8)
        now = clock.now()
        if step8.due_at and now > step8.due_at:
            step8.breach_explanation = _require(
                late_explanation, _("Langkah 8 melewati waktu standar: tuliskan penjelasannya.")
            )
            step8.explained_by, step8.explained_at = _done_by(actor), now
            step8.save(update_fields=["breach_explanation", "explained_by", "explained_at"])
        c.evaluation_need_met, c.evaluation_mode_right = need_met, mode_right
        c.evaluation_accommodations, c.evaluation, c.closed_at = accommodations_provided, notes, now
        return {
            "need_met": need_met,
            "mode_right": mode_right,
            "accommodations_provided": accommodations_provided,
            "evaluation": notes,
        }

    return _act(case, "close", actor, change)


# --- exceptional paths ----------------------------------------------------------------------------------


def case_cancel(*, case: Case, actor: Actor, reason: str) -> Case:
    """Cancels the case at the requester's wish; every open step ends as cancelled."""
    reason = _require(reason, _("Alasan pembatalan wajib diisi."))

    def change(c: Case) -> dict:
        now = clock.now()
        for step in c.steps.filter(done_at__isnull=True):
            _finish_record(step, actor, StepOutcome.CANCELLED, now)
        c.cancellation_reason, c.closed_at = reason, now
        # A requester's own words may hold personal data (an illness, a family matter): the case keeps
        # them, the permanent audit trail records only that a reason was given.
        return {"reason_given": True} if role_of(actor) == workflow.REQUESTER else {"reason": reason}

    return _act(case, "cancel", actor, change)


def case_reassign(*, case: Case, actor: Actor, to: User, reason: str) -> Case:
    """Moves the case (and its open officer steps) to another ULT officer of the office."""
    reason = _require(reason, _("Alasan pengalihan wajib diisi."))

    def change(c: Case) -> dict:
        previous = c.assigned_to.get_username() if c.assigned_to else None
        # Only what the previous holder answered for moves; a step someone else is responsible for stays.
        theirs = Q(responsible_id=c.assigned_to_id) | Q(responsible__isnull=True)
        c.assigned_to = _staff_of(c, to, Role.ULT_OFFICER, _("Pilih Petugas ULT dari kantor ini."))
        c.steps.filter(theirs, done_at__isnull=True, is_officer_step=True).update(responsible=to)
        # Overruns nobody has explained yet move too: the new holder accounts for them, so the case can close.
        c.steps.filter(theirs, breached=True, is_officer_step=True, breach_explanation="").update(responsible=to)
        return {"assigned_to": [previous, to.get_username()], "reason": reason}

    return _act(case, "reassign", actor, change)


def step_explain_breach(*, step: StepRecord, actor: User, explanation: str) -> StepRecord:
    """Records the responsible officer's explanation of an overrun step. Raises Conflict otherwise."""
    explanation = _require(explanation, _("Penjelasan keterlambatan wajib diisi."))
    with transaction.atomic():
        step = StepRecord.objects.select_for_update().select_related("case").get(pk=step.pk)
        _check_office(actor, step.case)
        if not step.breached or not step.is_officer_step:
            raise Conflict(_("Langkah ini tidak melewati waktu standar."), code="no_breach")
        if step.breach_explanation:
            raise Conflict(_("Keterlambatan ini sudah dijelaskan."), code="already_explained")
        if actor.pk not in {step.responsible_id, step.done_by_id}:
            raise PermissionDenied(_("Hanya pelaksana yang bertanggung jawab yang dapat menjelaskan keterlambatan."))
        step.breach_explanation, step.explained_by, step.explained_at = explanation, actor, clock.now()
        step.save(update_fields=["breach_explanation", "explained_by", "explained_at"])
        _audit(step.case, "explain_breach", actor, {"step": step.step_no, "explanation": explanation})
    return step


def case_view_personal_data(*, case: Case, actor: User, purpose: str) -> dict:
    """Returns the case's contact details, identifying and specific personal data for a staff member of its office, and
    records the view (who, when, why) in the audit trail. Raises PermissionDenied, InvalidInput, and Gone once
    the case is anonymised."""
    purpose = _require(purpose, _("Tuliskan keperluan membuka data pribadi."))
    with transaction.atomic():
        # FOR NO KEY UPDATE, as in ``_act``: a lock that writers auditing this case need not wait for.
        case = Case.objects.select_for_update(no_key=True).get(pk=case.pk)
        _check_office(actor, case)
        if not isinstance(actor, User) or not actor.is_active:
            raise PermissionDenied(_("Hanya staf kantor ini yang dapat membuka data pribadi."))
        if case.anonymised_at is not None:
            raise Gone(_("Data pribadi kasus ini sudah dianonimkan; tidak ada lagi yang dapat dibuka."))
        _audit(case, "personal_data_viewed", actor, {"purpose": purpose})
    return {
        "id_document_type": case.id_document_type,
        "id_document_number": case.id_document_number,
        "address": case.address,
        "disability_details": case.disability_details,
        "vulnerabilities": case.vulnerabilities,
        "phone": case.phone,
        "email": case.email,
        "companion_name": case.companion_name,
        "companion_relation": case.companion_relation,
    }


# --- the requester's own messages (tracking page and API) -------------------------------------------------


def _check_drafts(tokens: list[str] | None, kind: str, field: str) -> None:
    """Raises InvalidFields naming ``field`` unless every token names an unexpired draft of ``kind``: a file
    that silently failed to attach would leave the record claiming what it does not hold."""
    tokens = [token for token in tokens or [] if token]
    found = {document.draft_token for document in drafts(tokens) if document.kind == kind}
    if any(token not in found for token in tokens):
        raise InvalidFields({field: _("Berkas tidak ditemukan atau sudah kedaluwarsa. Unggah lagi.")})


def _attach_drafts(case: Case, document_tokens: list[str] | None, kind: str | None = None) -> int:
    """Attaches the unexpired drafts named by ``document_tokens`` (of ``kind`` when given) to ``case``."""
    ids = [document.pk for document in drafts(document_tokens) if kind is None or document.kind == kind]
    return CaseDocument.objects.filter(pk__in=ids, case__isnull=True).update(case=case, draft_token=None)


def case_send_missing_data(
    *, case: Case, actor: Actor = workflow.REQUESTER, text: str, document_tokens: list[str] | None = None
) -> Case:
    """Records the data the requester sends when an officer asked for it (status "awaiting info"), attaches
    the draft uploads named by ``document_tokens``, and sets step 2's clock running again.

    Raises InvalidFields ("text") for an empty, overlong or unreadable text, TransitionNotAllowed unless the
    case awaits data; nothing is changed then.
    """
    text = _requester_text(text, "text", _("Tuliskan data yang diminta petugas."))

    def change(c: Case) -> dict:
        _resume_step(c, 2)
        message = RequesterMessage.objects.create(
            case=c, kind=RequesterMessage.Kind.MISSING_DATA, body=text, created_at=clock.now()
        )
        # The text may hold personal data: the audit trail names the message, never its words.
        return {"message": message.pk, "documents": _attach_drafts(c, document_tokens)}

    return _act(case, "provide_info", actor, change)


def case_request_reschedule(
    *, case: Case, actor: Actor = workflow.REQUESTER, reason: str, preferred_times: str = ""
) -> Case:
    """Records the requester's wish to move the agreed appointment, for an officer to agree a new one
    (``case_reschedule``). The status and the appointment stay as they are.

    Raises InvalidFields ("reason", "preferred_times") for bad text, TransitionNotAllowed unless the case
    is scheduled; nothing is changed then.
    """
    reason = _requester_text(reason, "reason", _("Tuliskan mengapa jadwal perlu diubah."))
    preferred_times, problem = clean_text(preferred_times, PREFERRED_TIMES_TEXT)
    if problem:
        raise InvalidFields({"preferred_times": problem})

    def change(c: Case) -> dict:
        message = RequesterMessage.objects.create(
            case=c,
            kind=RequesterMessage.Kind.RESCHEDULE_REQUEST,
            body=reason,
            preferred_times=preferred_times,
            created_at=clock.now(),
        )
        return {"message": message.pk}

    return _act(case, "request_reschedule", actor, change)
