"""Reports for staff: the IKM of a period (PermenPANRB 14/2017), the same figures as ``manage.py ikm``, and
the time spent in each POS step against its standard."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from jangkau.cases.sla_report import sla_report
from jangkau.core.errors import InvalidFields, PermissionDenied
from jangkau.offices.models import ServiceType
from jangkau.surveys.reports import ikm_report

from .auth import staff_auth
from .errors import with_errors
from .inputs import InputSchema, IsoDate, period_in_range

router = Router(tags=["staff"], auth=staff_auth)


class IkmQuery(InputSchema):
    office: str = Field(..., max_length=50, description="The user's own office code.")
    date_from: IsoDate = Field(..., alias="from", description="First day, YYYY-MM-DD.")
    date_to: IsoDate = Field(..., alias="to", description="Last day, YYYY-MM-DD (included).")
    service: str | None = Field(None, max_length=50, description="Only this service type's code.")


class IkmElementOut(Schema):
    code: str
    name: str
    nrr: float | None = Field(description="Mean score of those who answered the element, 1-4, ten decimals.")
    nrr_weighted: float | None = Field(description="NRR x 1/9.")


class IkmOut(Schema):
    office: str
    from_: str = Field(alias="from")
    to: str
    respondents: int
    unsur: list[IkmElementOut]
    ikm: float | None = Field(description="1-4 scale, ten decimals; null while an element has no answer.")
    ikm_converted: float | None = Field(description="x 25, rounded half up to two decimals.")
    grade: str | None
    performance: str | None
    population_served: int = Field(description="Cases delivered in the period: the N of the sample.")
    sample_required: int = Field(description="Krejcie-Morgan sample for that N.")
    sample_sufficient: bool


@router.get(
    "/reports/ikm",
    response=with_errors({200: IkmOut}, 401, 403, 422),
    operation_id="report_ikm",
    summary="The IKM of a period",
    by_alias=True,
)
def report_ikm(request: HttpRequest, query: Query[IkmQuery]):
    """Returns the period's IKM exactly as ``manage.py ikm --format json`` prints it; 403 for another
    office, 422 for a period outside 2000-2099 or that ends before it starts, or an unknown service."""
    office = request.auth.office
    if query.office.strip().lower() != office.code.lower():
        raise PermissionDenied(_("Laporan ini milik kantor lain."))
    period_in_range(query.date_from, query.date_to)
    service_type = None
    if query.service:
        service_type = ServiceType.objects.filter(office=office, code=query.service).first()
        if service_type is None:
            raise InvalidFields({"service": _("Jenis layanan tidak dikenal di kantor ini.")})
    return ikm_report(office, query.date_from, query.date_to, service_type)


class SlaQuery(InputSchema):
    office: str = Field(..., max_length=50, description="The user's own office code.")
    date_from: IsoDate = Field(..., alias="from", description="First day, YYYY-MM-DD (steps finished from then).")
    date_to: IsoDate = Field(..., alias="to", description="Last day, YYYY-MM-DD (included).")


class StepSlaOut(Schema):
    no: int
    done: int = Field(description="Step records finished in the period (cancelled ones left out).")
    within_standard: int
    median_minutes: float | None = Field(description="Office minutes from actionable to done, pauses left out.")
    p90_minutes: float | None = Field(description="Nearest-rank 90th percentile of the same.")
    standard_minutes: int | None = Field(description="The POS standard; null for a step measured in days.")
    breaches: int


class SlaReportOut(Schema):
    office: str
    from_: str = Field(alias="from")
    to: str
    steps: list[StepSlaOut]


@router.get(
    "/reports/sla",
    response=with_errors({200: SlaReportOut}, 401, 403, 422),
    operation_id="report_sla",
    summary="Time spent in each POS step against its standard, for a period",
    by_alias=True,
)
def report_sla(request: HttpRequest, query: Query[SlaQuery]):
    """Returns the eight steps' figures for the records finished in the period; 403 for another office, 422
    for a period outside 2000-2099 or that ends before it starts."""
    office = request.auth.office
    if query.office.strip().lower() != office.code.lower():
        raise PermissionDenied(_("Laporan ini milik kantor lain."))
    period_in_range(query.date_from, query.date_to)
    steps = sla_report(office, query.date_from, query.date_to)
    return {
        "office": office.code,
        "from": query.date_from.isoformat(),
        "to": query.date_to.isoformat(),
        "steps": [step.__dict__ for step in steps],
    }
