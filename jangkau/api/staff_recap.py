"""The recap of requests (POS step 2's output) for staff integrations: the filtered rows as JSON, and the
same XLSX and PDF files the back office exports (each download audited as ``recap.export``).

The filters are the back office's (``backoffice.recap_forms``), with the holder named by username. Rows come
from ``cases.recap.recap_rows``, which masks the identity number and the phone before anything leaves it.
"""

from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from jangkau.accounts.models import User
from jangkau.cases import recap as recaps
from jangkau.cases.models import Channel, Status
from jangkau.cases.vocabulary import Vulnerability
from jangkau.core.downloads import attachment_response
from jangkau.core.errors import InvalidFields

from .auth import staff_auth
from .errors import with_errors
from .inputs import MAX_OFFSET, InputSchema, IsoDate

router = Router(tags=["staff"], auth=staff_auth)

STAFF_ERRORS = (401, 403)
# Dates outside these years are typing mistakes (the back office's bounds).
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
MAX_LIMIT = 500


class RecapQuery(InputSchema):
    """Every filter is optional: left out, it does not narrow the recap."""

    date_from: IsoDate | None = Field(None, description="Submitted on or after this day (office time), YYYY-MM-DD.")
    date_to: IsoDate | None = Field(None, description="Submitted on or before this day (office time), YYYY-MM-DD.")
    vulnerability: Vulnerability | None = None
    channel: Channel | None = None
    service_type: str | None = Field(None, max_length=50, description="A service code of the office's catalogue.")
    status: Status | None = None
    officer: str | None = Field(None, max_length=150, description="Username of the staff member holding the case.")


def _filters(request: HttpRequest, query: RecapQuery) -> recaps.RecapFilters:
    """Returns the query as recap filters. Raises InvalidFields naming each value the office does not know."""
    office = request.auth.office
    errors: dict[str, str] = {}
    for name, which in (("date_from", _("awal")), ("date_to", _("akhir"))):
        value = getattr(query, name)
        if value and not EARLIEST <= value <= LATEST:
            errors[name] = _("Tanggal %(which)s harus antara tahun %(first)s dan %(last)s.") % {
                "which": which,
                "first": EARLIEST.year,
                "last": LATEST.year,
            }
    if query.date_from and query.date_to and query.date_to < query.date_from and "date_to" not in errors:
        errors["date_to"] = _("Tanggal akhir harus sama dengan atau sesudah tanggal awal.")
    if query.service_type and not office.service_types.filter(code=query.service_type).exists():
        errors["service_type"] = _("Pilih jenis layanan dari daftar.")
    officer = None
    if query.officer:
        officer = User.objects.filter(office=office, username=query.officer).first()
        if officer is None:
            errors["officer"] = _("Pilih petugas dari daftar.")
    if errors:
        raise InvalidFields(errors)
    return recaps.RecapFilters(
        date_from=query.date_from,
        date_to=query.date_to,
        vulnerability=query.vulnerability or "",
        channel=query.channel or "",
        service_type=query.service_type or "",
        status=query.status or "",
        officer=officer.pk if officer else None,
    )


class FilterOut(Schema):
    label: str
    value: str


class RecapRowOut(Schema):
    """One case of the recap: labels in the request's language, identifiers masked, times in office time."""

    registration_number: str
    submitted_at: datetime
    requester_name: str
    id_type: str
    id_number: str = Field(description="Masked: 3171********0001.")
    phone: str = Field(description="Masked: +62812****7890.")
    vulnerabilities: list[str]
    channel: str
    service: str
    status: str
    officer: str
    current_step: int | None


class RecapOut(Schema):
    count: int = Field(description="How many cases the filters select.")
    filters: list[FilterOut] = Field(description="Every filter in words, as the exported files head them.")
    items: list[RecapRowOut]


@router.get(
    "/recap",
    response=with_errors({200: RecapOut}, *STAFF_ERRORS, 422),
    operation_id="recap",
    summary="The recap of requests, filtered",
)
def recap(
    request: HttpRequest,
    filters: Query[RecapQuery],
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    """Returns the office's cases the filters select, oldest submission first, with the NIK and the phone
    masked. Every staff role of the office may read it. 422 naming each filter the office does not know."""
    office = request.auth.office
    chosen = _filters(request, filters)
    cases = recaps.recap_cases(office, chosen)
    return {
        "count": cases.count(),
        "filters": [{"label": label, "value": value} for label, value in recaps.describe_filters(office, chosen)],
        "items": recaps.recap_rows(cases[offset : offset + limit]),
    }


def _export(request: HttpRequest, query: RecapQuery, file_format: str) -> HttpResponse:
    office = request.auth.office
    chosen = _filters(request, query)
    export = recaps.recap_export(actor=request.auth, office=office, filters=chosen, file_format=file_format)
    return attachment_response(export.content, export.content_type, export.filename)


def _file(media: str) -> dict:
    return {
        "responses": {
            200: {
                "description": "Every case the filters select (not only a page), identifiers masked.",
                "content": {media: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/recap.xlsx",
    response=with_errors({200: None}, *STAFF_ERRORS, 422),
    operation_id="recap_xlsx",
    summary="The filtered recap as a spreadsheet (the download is audited)",
    openapi_extra=_file(recaps.EXPORT_TYPES["xlsx"]),
)
def recap_xlsx(request: HttpRequest, filters: Query[RecapQuery]):
    """The sheet "Rekap" with one row per case, and "Keterangan" naming the office, the export time and the
    filters. Each download is recorded in the audit trail (who, format, filters, rows)."""
    return _export(request, filters, "xlsx")


@router.get(
    "/recap.pdf",
    response=with_errors({200: None}, *STAFF_ERRORS, 422),
    operation_id="recap_pdf",
    summary="The filtered recap as a landscape A4 PDF (the download is audited)",
    openapi_extra=_file(recaps.EXPORT_TYPES["pdf"]),
)
def recap_pdf(request: HttpRequest, filters: Query[RecapQuery]):
    """The office, the filters, the export time and the table. Each download is recorded in the audit trail."""
    return _export(request, filters, "pdf")
