"""The SOP monitoring table of a period (PermenPANRB 35/2012) and the follow-up actions (RTL) for staff
integrations: the same services as the back office (``jangkau.reports.monitoring`` and ``.followups``).

Every staff member of the office reads both. The head (the evaluator) fills in the monitoring table and
raises actions; the head or an action's owner changes its status, and only the head cancels one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from jangkau.cases.sla_report import sla_report
from jangkau.core.errors import InvalidFields, PermissionDenied
from jangkau.reports.followups import (
    followup_create,
    followup_update_status,
    followups_for_office,
)
from jangkau.reports.models import FollowUpAction
from jangkau.reports.monitoring import MonitoringInput, monitoring_save_all, monitoring_table

from .actions import _colleague
from .auth import staff_auth
from .errors import with_errors
from .inputs import BodySchema, Id, InputSchema, IsoDate, PosStep, period_in_range

router = Router(tags=["staff"], auth=staff_auth)

STAFF_ERRORS = (401, 403)
STATUSES = list(FollowUpAction.Status.values)


def _own_office(request: HttpRequest, code: str):
    office = request.auth.office
    if code.strip().lower() != office.code.lower():
        raise PermissionDenied(_("Data ini milik kantor lain."))
    return office


# --- the monitoring table ------------------------------------------------------------------------------------


class PeriodQuery(InputSchema):
    office: str = Field(..., max_length=50, description="The user's own office code.")
    date_from: IsoDate = Field(..., alias="from", description="First day of the period, YYYY-MM-DD.")
    date_to: IsoDate = Field(..., alias="to", description="Last day of the period, YYYY-MM-DD (included).")


class MonitoringRowOut(Schema):
    no: int = Field(description="The POS step, 1-8.")
    activity: str = Field(description="The step's activity in the office's active POS.")
    ran_well: bool | None = Field(description="Ran well (true), did not (false), could not be assessed (null).")
    notes: str
    action_to_take: str
    assessor: str = Field(description="Who assessed it; empty while the row is prefilled.")
    assessed_at: datetime | None
    prefilled: bool = Field(description="True while the head has not saved this step for this period.")


class MonitoringOut(Schema):
    office: str
    from_: str = Field(alias="from")
    to: str
    rows: list[MonitoringRowOut]


class MonitoringRowIn(BodySchema):
    no: PosStep = Field(..., description="The POS step, 1-8; each at most once.")
    ran_well: bool | None = Field(..., description="true, false, or null when it could not be assessed.")
    notes: str = Field("", max_length=2000)
    action_to_take: str = Field("", max_length=2000, description="Required when ran_well is false.")


class MonitoringIn(BodySchema):
    rows: list[MonitoringRowIn] = Field(..., max_length=8, description="The steps to save; others keep theirs.")


def _monitoring_answer(office, start: date, end: date) -> dict:
    rows = monitoring_table(office, start, end, sla_report(office, start, end))
    return {
        "office": office.code,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "rows": [row.__dict__ for row in rows],
    }


def _check_period(query: PeriodQuery) -> None:
    period_in_range(query.date_from, query.date_to)


@router.get(
    "/reports/monitoring",
    response=with_errors({200: MonitoringOut}, *STAFF_ERRORS, 422),
    operation_id="report_monitoring",
    summary="The SOP monitoring table of a period (PermenPANRB 35/2012)",
    by_alias=True,
)
def report_monitoring(request: HttpRequest, query: Query[PeriodQuery]):
    """Returns the eight rows (POS steps 1-8): the head's saved assessment for exactly this period, or one
    prefilled from the period's step figures (``prefilled: true``). 403 for another office, 422 for a period
    that ends before it starts."""
    office = _own_office(request, query.office)
    _check_period(query)
    return _monitoring_answer(office, query.date_from, query.date_to)


@router.put(
    "/reports/monitoring",
    response=with_errors({200: MonitoringOut}, 400, *STAFF_ERRORS, 422),
    operation_id="report_monitoring_save",
    summary="Save the head's assessment of steps of the monitoring table",
    by_alias=True,
)
def report_monitoring_save(request: HttpRequest, query: Query[PeriodQuery], payload: MonitoringIn):
    """Saves the given steps for the period at once (one audit event) and returns the whole table.

    403 unless the user is the office's head; 422 for a wrong period, a step given twice, or a step that did
    not run well without the action to take (field ``step_<n>_action_to_take``); nothing is saved then.
    """
    office = _own_office(request, query.office)
    _check_period(query)
    monitoring_save_all(
        office=office,
        start=query.date_from,
        end=query.date_to,
        entries=[
            MonitoringInput(step_no=row.no, ran_well=row.ran_well, notes=row.notes, action_to_take=row.action_to_take)
            for row in payload.rows
        ],
        actor=request.auth,
    )
    return _monitoring_answer(office, query.date_from, query.date_to)


# --- follow-up actions -------------------------------------------------------------------------------------


class FollowUpQuery(InputSchema):
    office: str = Field(..., max_length=50, description="The user's own office code.")
    status: Literal["unfinished", "open", "in_progress", "done", "cancelled"] | None = Field(
        None, description="Only this status; `unfinished` is open or in progress. All when left out."
    )


class FollowUpOut(Schema):
    id: int
    title: str
    description: str
    owner: str = Field(description="The owner's username.")
    owner_name: str
    due_date: date
    status: str = Field(json_schema_extra={"enum": STATUSES})
    overdue: bool = Field(description="The due date has passed and the action is not done or cancelled.")
    step_no: int | None
    source_from: date | None = Field(description="The evaluation period it came from; null for an ad-hoc one.")
    source_to: date | None
    progress_note: str
    done_at: datetime | None
    done_note: str = Field(description="What was done.")
    cancelled_at: datetime | None
    cancel_reason: str
    created_by: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_owner(obj: FollowUpAction) -> str:
        return obj.owner.get_username()

    @staticmethod
    def resolve_owner_name(obj: FollowUpAction) -> str:
        return str(obj.owner)

    @staticmethod
    def resolve_overdue(obj: FollowUpAction) -> bool:
        return bool(getattr(obj, "overdue", False))

    @staticmethod
    def resolve_source_from(obj: FollowUpAction):
        return obj.source_period_start

    @staticmethod
    def resolve_source_to(obj: FollowUpAction):
        return obj.source_period_end

    @staticmethod
    def resolve_created_by(obj: FollowUpAction) -> str:
        return obj.created_by.get_username()


class FollowUpIn(BodySchema):
    """A new follow-up action. The service checks every field and names each wrong one."""

    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=4000, description="The action to take.")
    owner: str | None = Field(None, max_length=150, description="Username of an active staff member of the office.")
    due_date: IsoDate | None = Field(None, description="YYYY-MM-DD; not before the evaluation period's start.")
    source_from: IsoDate | None = Field(None, description="First day of the evaluation period it came from.")
    source_to: IsoDate | None = Field(None, description="Last day of that period; give both or neither.")
    step_no: PosStep | None = Field(None, description="The POS step it improves.")


class StatusIn(BodySchema):
    status: Literal["open", "in_progress", "done", "cancelled"]
    note: str = Field("", max_length=4000, description="Required for done (what was done) and cancelled (why).")


def _with_overdue(actor, pk: int) -> FollowUpAction:
    for action in followups_for_office(actor.office):
        if action.pk == pk:
            return action
    raise Http404(_("Tindak lanjut tidak ditemukan."))


@router.get(
    "/followups",
    response=with_errors({200: list[FollowUpOut]}, *STAFF_ERRORS, 422),
    operation_id="followup_list",
    summary="The office's follow-up actions (RTL)",
)
def followup_list(request: HttpRequest, query: Query[FollowUpQuery]):
    """Returns the office's follow-up actions by due date, each with ``overdue`` as of today; 403 for another
    office."""
    office = _own_office(request, query.office)
    actions = followups_for_office(office, unfinished_only=query.status == "unfinished")
    if query.status and query.status != "unfinished":
        actions = [action for action in actions if action.status == query.status]
    return actions


@router.post(
    "/followups",
    response=with_errors({201: FollowUpOut}, 400, *STAFF_ERRORS, 422),
    operation_id="followup_create",
    summary="Raise a follow-up action (RTL)",
)
def followup_create_endpoint(request: HttpRequest, payload: FollowUpIn):
    """Raises an action in the user's office. 403 unless the user is the office's head; 422 naming each wrong
    field (``title``, ``description``, ``owner``, ``due_date``, ``source_from``, ``source_to``, ``step_no``);
    nothing is saved then."""
    actor = request.auth
    try:
        action = followup_create(
            office=actor.office,
            actor=actor,
            title=payload.title or "",
            description=payload.description or "",
            owner=_colleague(actor, payload.owner),
            due_date=payload.due_date,
            source_start=payload.source_from,
            source_end=payload.source_to,
            step_no=payload.step_no,
        )
    except InvalidFields as exc:
        names = {"source_start": "source_from", "source_end": "source_to"}
        raise InvalidFields({names.get(key, key): message for key, message in exc.errors.items()}) from None
    return Status(201, _with_overdue(actor, action.pk))


@router.post(
    "/followups/{followup_id}/status",
    response=with_errors({200: FollowUpOut}, 400, *STAFF_ERRORS, 404, 409, 422),
    operation_id="followup_status",
    summary="Change a follow-up action's status",
)
def followup_status_endpoint(request: HttpRequest, followup_id: Id, payload: StatusIn):
    """Moves the action to ``status``. 404 for an action of another office; 403 unless the user is the head or
    the action's owner (only the head cancels); 409 once it is done or cancelled; 422 for done or cancelled
    without ``note``, or the status it already has."""
    actor = request.auth
    action = FollowUpAction.objects.select_related("office").filter(pk=followup_id, office_id=actor.office_id).first()
    if action is None:
        raise Http404(_("Tindak lanjut tidak ditemukan."))
    followup_update_status(action=action, actor=actor, status=payload.status, note=payload.note)
    return _with_overdue(actor, action.pk)
