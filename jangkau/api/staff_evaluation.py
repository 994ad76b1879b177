"""The periodic evaluation (POS step 8) for staff integrations: the same report as the back office's
``/staf/evaluasi/``, as JSON or as the XLSX and PDF files (each file download audited as
``evaluation.report_exported``, like the back office's).

The step figures are ``cases.sla_report``'s, the same as ``GET /reports/sla``; no requester is named, cases
appear by registration number only.
"""

from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from jangkau.cases.recap import EXPORT_TYPES
from jangkau.core.downloads import attachment_response
from jangkau.core.errors import PermissionDenied
from jangkau.reports.evaluation import custom_period, evaluation_report, report_json
from jangkau.reports.exports import evaluation_export

from .auth import staff_auth
from .errors import with_errors
from .inputs import InputSchema, IsoDate, period_in_range

router = Router(tags=["staff"], auth=staff_auth)


class EvaluationQuery(InputSchema):
    office: str = Field(..., max_length=50, description="The user's own office code.")
    date_from: IsoDate = Field(..., alias="from", description="First day, YYYY-MM-DD (office time).")
    date_to: IsoDate = Field(..., alias="to", description="Last day, YYYY-MM-DD (included).")
    format: Literal["json", "xlsx", "pdf"] = Field(
        "json", description="`json` (default), or the `xlsx` or `pdf` file the back office downloads."
    )


class PeriodOut(Schema):
    kind: str = Field(
        description="`month`, `quarter`, `semester` or `year` when the dates are exactly one; else `custom`."
    )
    year: int | None
    number: int | None = Field(description="Month 1-12, quarter 1-4 or semester 1-2; null for a year or custom dates.")
    label: str = Field(description='In words: "Triwulan IV 2025".')


class CountOut(Schema):
    code: str
    label: str
    count: int


class VolumeOut(Schema):
    key: str = Field(description="`vulnerability`, `channel`, `service_type`, `delivery_mode` or `area`.")
    title: str
    multiple: bool = Field(description="A case may count in several rows (vulnerability categories).")
    rows: list[CountOut]


class EvaluationStepOut(Schema):
    no: int
    activity: str
    done: int = Field(description="Step records finished in the period (cancelled ones left out).")
    within_standard: int
    within_standard_percent: float | None = Field(description="Share within the standard, one decimal.")
    median_minutes: float | None = Field(description="Office minutes from actionable to done, pauses left out.")
    p90_minutes: float | None = Field(description="Nearest-rank 90th percentile of the same.")
    standard_minutes: int | None = Field(description="The POS standard; null for a step measured in days.")
    standard_label: str = Field(description="The standard as the POS prints it.")
    breaches: int


class EvaluationBreachOut(Schema):
    registration_number: str
    step_no: int
    due_at: str
    done_at: str
    late_minutes: float = Field(description="Office minutes after the due moment, one decimal.")
    officer_step: bool = Field(description="False for the requester's steps (1 and 6), which need no explanation.")
    explained: bool
    explanation: str = Field(description='The officer\'s explanation, or "belum dijelaskan".')
    explained_by: str
    explained_at: str | None


class ExceptionOut(Schema):
    kind: Literal["rejected", "cancelled", "unreachable"]
    registration_number: str
    at: str = Field(description="When it was rejected, cancelled or marked unreachable (office time).")
    status: str = Field(description="The case's status now, in words.")
    reason: str
    referral: str
    contact_attempts: int = Field(description="For unreachable requesters: contact attempts recorded.")
    last_result: str = Field(description="For unreachable requesters: the last attempt's result.")


class ClosingNoteOut(Schema):
    registration_number: str
    need_met: str
    mode_right: str
    accommodations: str
    notes: str


class ClosingOut(Schema):
    closed: int = Field(description="Cases closed in the period.")
    need_met: list[CountOut]
    mode_right: list[CountOut]
    accommodations: list[CountOut]
    notes: list[ClosingNoteOut] = Field(description="The notes of cases whose service did not fully go well.")


class WeakElementOut(Schema):
    code: str
    name: str
    nrr: float


class IkmSummaryOut(Schema):
    respondents: int
    ikm_converted: float | None
    grade: str | None
    performance: str | None
    population_served: int
    sample_required: int
    sample_sufficient: bool
    weakest: list[WeakElementOut] = Field(description="The three elements with the lowest NRR.")


class EvaluationMonitoringOut(Schema):
    no: int
    activity: str
    ran_well: bool | None
    assessment: str
    notes: str
    action_to_take: str
    assessor: str
    assessed_at: str | None
    prefilled: bool = Field(description="True until the evaluator saved this step for this period.")


class FollowupOut(Schema):
    title: str
    description: str
    step_no: int | None
    owner: str
    due_date: str
    status: str
    status_label: str
    done_at: str | None
    done_note: str
    carried_over: bool = Field(description="Raised in an earlier period and still open when this one began.")
    overdue: bool


class EvaluationOut(Schema):
    office: str
    from_: str = Field(alias="from")
    to: str
    period: PeriodOut
    generated_at: str
    cases_submitted: int = Field(description="Cases submitted in the period: the base of the volumes.")
    volumes: list[VolumeOut]
    steps: list[EvaluationStepOut]
    breaches: list[EvaluationBreachOut]
    exceptions: list[ExceptionOut]
    closing: ClosingOut
    ikm: IkmSummaryOut
    monitoring: list[EvaluationMonitoringOut] = Field(description="The SOP monitoring table (PermenPANRB 35/2012).")
    followups: list[FollowupOut] = Field(description="Follow-up actions (RTL) of the period and carried over.")


BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/reports/evaluation",
    response=with_errors({200: EvaluationOut}, 401, 403, 422),
    operation_id="report_evaluation",
    summary="The periodic evaluation of a period, as JSON, XLSX or PDF",
    by_alias=True,
    openapi_extra={
        "responses": {
            200: {
                "content": {
                    EXPORT_TYPES["xlsx"]: BINARY,
                    EXPORT_TYPES["pdf"]: BINARY,
                }
            }
        }
    },
)
def report_evaluation(request: HttpRequest, query: Query[EvaluationQuery]):
    """Returns the office's evaluation of the days `from` to `to`: volumes of the requests submitted in the
    period, each step's figures for the steps finished in it, every breach with its explanation, the
    rejected, cancelled and unreachable requests, the closing evaluations, the IKM, the SOP monitoring table
    and the follow-up actions. With `format=xlsx` or `pdf` the file is returned and its download recorded
    in the audit trail. 403 for another office, 422 for a period that ends before it starts."""
    office = request.auth.office
    if query.office.strip().lower() != office.code.lower():
        raise PermissionDenied(_("Laporan ini milik kantor lain."))
    period_in_range(query.date_from, query.date_to)
    period = custom_period(query.date_from, query.date_to)
    if query.format != "json":
        export = evaluation_export(
            actor=request.auth, office=office, start=period.start, end=period.end, file_format=query.format
        )
        return attachment_response(export.content, export.content_type, export.filename)
    return report_json(evaluation_report(office, period.start, period.end))
