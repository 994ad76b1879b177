"""Follow-up actions (RTL, *rencana tindak lanjut*): what the evaluation decided to improve, who does it and by
when, tracked until it is done and carried into every later period's report until then.

Who may do what:
- the office's head (the evaluator, who raises RTL from the evaluation) creates actions and may move any of
  them to any status, including cancelling one that is no longer needed;
- the owner (any active staff member of the office the head names) reports progress on their own action
  and marks it done, saying what was done; only the head cancels.
Done and cancelled are final: an action closed by mistake is raised again, so the trail stays readable.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from jangkau.accounts.models import User
from jangkau.audit.services import audit_record
from jangkau.cases.services import office_today
from jangkau.cases.sla_report import STEP_NUMBERS
from jangkau.core import clock
from jangkau.core.errors import Conflict, InvalidFields, PermissionDenied

from .models import FollowUpAction
from .monitoring import EARLIEST, LATEST, check_period, is_evaluator

Status = FollowUpAction.Status
TITLE_MAX = 200
TEXT_MAX = 4000
CLOSED = (Status.DONE, Status.CANCELLED)


def _local_date(office, moment: datetime | None) -> date | None:
    return moment.astimezone(ZoneInfo(office.time_zone)).date() if moment is not None else None


def _source_range(office, action: FollowUpAction) -> tuple[date, date]:
    """The period an action belongs to: its evaluation period, or the day it was raised for an ad-hoc one."""
    if action.source_period_start and action.source_period_end:
        return action.source_period_start, action.source_period_end
    raised = _local_date(office, action.created_at)
    return raised, raised


def _is_overdue(office, action: FollowUpAction, reference: date) -> bool:
    """True when the due date had passed on ``reference`` and the action was not closed by then."""
    closed_on = _local_date(office, action.closed_at)
    return action.due_date < reference and (closed_on is None or closed_on > reference)


def followups_for_period(office, start: date, end: date) -> list[FollowUpAction]:
    """Returns the office's follow-up actions that belong in the report of ``start``..``end``, by due date.

    These are the actions raised in the period (their evaluation period overlaps it; an ad-hoc action counts
    on the day it was created) and every action of an earlier period that was still open when the period
    began: not yet closed, or closed (done or cancelled) inside or after this period, so the next report
    shows it done and the one after no longer lists it.

    Each returned action carries three extra attributes:
    - ``carried_over``: it comes from an earlier period;
    - ``overdue``: its due date had passed and it was not closed on the period's last day, or today while
      the period is still running;
    - ``closed_in_period``: it was done or cancelled between ``start`` and ``end``.
    """
    tz = ZoneInfo(office.time_zone)
    since = datetime.combine(start, time.min, tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tz)
    candidates = (
        FollowUpAction.objects.filter(office=office)
        .filter(Q(source_period_start__lte=end) | Q(source_period_start__isnull=True, created_at__lt=until))
        .exclude(Q(done_at__lt=since) | Q(cancelled_at__lt=since))
        .select_related("owner", "created_by")
    )
    reference = min(end, office_today(office))
    chosen = []
    for action in candidates:
        first, last = _source_range(office, action)
        if first > end:
            continue
        action.carried_over = last < start
        action.overdue = _is_overdue(office, action, reference)
        closed_on = _local_date(office, action.closed_at)
        action.closed_in_period = closed_on is not None and start <= closed_on <= end
        chosen.append(action)
    chosen.sort(key=lambda action: (action.due_date, action.pk))
    return chosen


def followups_for_office(office, *, unfinished_only: bool = False) -> list[FollowUpAction]:
    """Returns the office's follow-up actions by due date (only those open or in progress when
    ``unfinished_only``), each with an ``overdue`` attribute relative to the office's today."""
    actions = FollowUpAction.objects.filter(office=office).select_related("owner", "created_by")
    if unfinished_only:
        actions = actions.exclude(status__in=CLOSED)
    today = office_today(office)
    result = list(actions.order_by("due_date", "pk"))
    for action in result:
        action.overdue = _is_overdue(office, action, today)
    return result


def owner_choices(office):
    """The staff who may own an action: the office's active staff members."""
    return User.objects.filter(office=office, is_active=True).order_by("first_name", "last_name", "username")


def _is_owner_candidate(user, office) -> bool:
    return isinstance(user, User) and user.is_active and user.office_id is not None and user.office_id == office.pk


def _validate_create(*, office, title, description, owner, due_date, source_start, source_end, step_no) -> dict:
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Tuliskan judul tindak lanjut.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Judul paling banyak %(max)s karakter.") % {"max": TITLE_MAX}
    if not description:
        errors["description"] = _("Tuliskan tindakan yang akan dilakukan.")
    elif len(description) > TEXT_MAX:
        errors["description"] = _("Tindakan paling banyak %(max)s karakter.") % {"max": TEXT_MAX}
    if not _is_owner_candidate(owner, office):
        errors["owner"] = _("Pilih penanggung jawab dari staf aktif kantor ini.")
    if (source_start is None) != (source_end is None):
        key = "source_end" if source_end is None else "source_start"
        errors[key] = _("Isi tanggal awal dan akhir periode evaluasi, atau kosongkan keduanya.")
    elif source_start is not None:
        for key, message in check_period(source_start, source_end).items():
            errors["source_" + key] = message
    if step_no is not None and (isinstance(step_no, bool) or step_no not in STEP_NUMBERS):
        errors["step_no"] = _("Pilih langkah POS 1 sampai 8.")
    if not isinstance(due_date, date) or isinstance(due_date, datetime):
        errors["due_date"] = _("Masukkan batas waktu.")
    elif not EARLIEST <= due_date <= LATEST:
        errors["due_date"] = _("Batas waktu harus antara tahun %(first)s dan %(last)s.") % {
            "first": EARLIEST.year,
            "last": LATEST.year,
        }
    elif isinstance(source_start, date) and "source_start" not in errors and due_date < source_start:
        errors["due_date"] = _("Batas waktu tidak boleh sebelum awal periode evaluasi.")
    elif source_start is None and due_date < office_today(office):
        errors["due_date"] = _("Batas waktu tidak boleh sebelum hari ini.")
    return errors


def followup_create(
    *,
    office,
    actor,
    title: str,
    description: str,
    owner,
    due_date: date,
    source_start: date | None = None,
    source_end: date | None = None,
    step_no: int | None = None,
) -> FollowUpAction:
    """Raises a follow-up action and returns it (status "open").

    ``source_start``/``source_end`` name the evaluation period it came from (both or neither; neither for an
    action raised outside an evaluation, which then counts on the day it is created), ``step_no`` the POS
    step it improves. The due date may not fall before the evaluation period's start (or, for an ad-hoc
    action, before today). One transaction, one audit event ``evaluation.followup_created``.

    Raises PermissionDenied (the actor is not the office's head) or InvalidFields keyed by the argument
    names (``title``, ``description``, ``owner``, ``due_date``, ``source_start``, ``source_end``,
    ``step_no``) with nothing saved.
    """
    if not is_evaluator(actor, office):
        raise PermissionDenied(_("Hanya Kepala kantor ini (evaluator) yang dapat membuat rencana tindak lanjut."))
    title = (title or "").strip()
    description = (description or "").strip()
    errors = _validate_create(
        office=office,
        title=title,
        description=description,
        owner=owner,
        due_date=due_date,
        source_start=source_start,
        source_end=source_end,
        step_no=step_no,
    )
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic(), clock.frozen_at(clock.now()):
        now = clock.now()
        action = FollowUpAction.objects.create(
            office=office,
            title=title,
            description=description,
            source_period_start=source_start,
            source_period_end=source_end,
            step_no=step_no,
            owner=owner,
            due_date=due_date,
            status=Status.OPEN,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        audit_record(
            action="evaluation.followup_created",
            actor=actor,
            office=office,
            changes={
                "followup": action.pk,
                "title": title,
                "description": description,
                "owner": owner.get_username(),
                "due_date": due_date.isoformat(),
                "source_period": [source_start.isoformat(), source_end.isoformat()] if source_start else None,
                "step_no": step_no,
            },
        )
    return action


def can_update_status(user, action: FollowUpAction) -> bool:
    """True when ``user`` may change the action's status: the office's head, or the action's owner."""
    return is_evaluator(user, action.office) or (
        _is_owner_candidate(user, action.office) and user.pk == action.owner_id
    )


def allowed_statuses(user, action: FollowUpAction) -> list[str]:
    """The statuses ``user`` may move the action to now: none once it is closed; the owner cannot cancel."""
    if action.is_closed or not can_update_status(user, action):
        return []
    choices = [status for status in Status.values if status != action.status]
    if not is_evaluator(user, action.office):
        choices = [status for status in choices if status != Status.CANCELLED]
    return choices


def followup_update_status(*, action: FollowUpAction, actor, status: str, note: str) -> FollowUpAction:
    """Moves a follow-up action to ``status`` and returns it.

    Done needs ``note`` saying what was done (kept as ``done_note``, with ``done_at`` the moment now);
    cancelled needs the reason (``cancel_reason``, ``cancelled_at``); for open and in progress the note is
    optional and kept as ``progress_note``. One transaction, one audit event
    ``evaluation.followup_status_changed``.

    Raises PermissionDenied (neither the office's head nor the owner; or the owner cancelling), Conflict
    (the action is already done or cancelled) or InvalidFields keyed ``status`` or ``note``, changing nothing.
    """
    office = action.office
    if not can_update_status(actor, action):
        raise PermissionDenied(
            _("Hanya Kepala kantor ini atau penanggung jawabnya yang dapat mengubah status tindak lanjut ini.")
        )
    note = (note or "").strip()
    with transaction.atomic(), clock.frozen_at(clock.now()):
        action = FollowUpAction.objects.select_for_update().select_related("office", "owner").get(pk=action.pk)
        if action.is_closed:
            raise Conflict(_("Tindak lanjut ini sudah selesai atau dibatalkan; statusnya tidak dapat diubah lagi."))
        errors: dict[str, str] = {}
        if status not in Status.values:
            errors["status"] = _("Pilih status dari daftar.")
        elif status == action.status:
            errors["status"] = _("Pilih status yang berbeda dari status sekarang.")
        elif status == Status.CANCELLED and not is_evaluator(actor, office):
            raise PermissionDenied(_("Hanya Kepala kantor yang dapat membatalkan tindak lanjut."))
        if len(note) > TEXT_MAX:
            errors["note"] = _("Catatan paling banyak %(max)s karakter.") % {"max": TEXT_MAX}
        elif status == Status.DONE and not note:
            errors["note"] = _("Tuliskan apa yang sudah dilakukan.")
        elif status == Status.CANCELLED and not note:
            errors["note"] = _("Tuliskan alasan pembatalan.")
        if errors:
            raise InvalidFields(errors)
        now = clock.now()
        previous = action.status
        action.status = status
        action.updated_at = now
        fields = ["status", "updated_at"]
        if status == Status.DONE:
            action.done_at, action.done_note = now, note
            fields += ["done_at", "done_note"]
        elif status == Status.CANCELLED:
            action.cancelled_at, action.cancel_reason = now, note
            fields += ["cancelled_at", "cancel_reason"]
        elif note:
            action.progress_note = note
            fields.append("progress_note")
        action.save(update_fields=fields)
        audit_record(
            action="evaluation.followup_status_changed",
            actor=actor,
            office=office,
            changes={"followup": action.pk, "from": previous, "to": status, "note": note},
        )
    return action
