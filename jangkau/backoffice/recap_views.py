"""The recap of requests (POS step 2's output): a filtered list on screen, and as XLSX and PDF.

Every staff role of the office may read it: ULT officers make it, the head and Tim PPID evaluate the
service with it (POS step 8). Identifiers are masked in every form of it. Each download is audited.
"""

from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jangkau.cases import recap as recaps
from jangkau.core import clock
from jangkau.core.downloads import attachment_response

from .recap_forms import RecapFilterForm
from .scope import user_office

# The screen shows this many rows at most; the files hold every row.
SCREEN_LIMIT = 200


def _render_page(request, form: RecapFilterForm, *, status: int = 200):
    office = request.user.office
    context = {
        "form": form,
        "office": office,
        "screen_limit": SCREEN_LIMIT,
        "tz_name": clock.now().astimezone(ZoneInfo(office.time_zone)).tzname(),
    }
    if form.is_valid():
        filters = form.filters()
        cases = recaps.recap_cases(office, filters)
        total = cases.count()
        context.update(
            rows=recaps.recap_rows(cases[:SCREEN_LIMIT]),
            total=total,
            query=filters.as_query(),
            filter_summary=recaps.describe_filters(office, filters),
        )
    return render(request, "backoffice/recap/recap.html", context, status=status)


@login_required
def recap(request):
    """The recap page: the filter form (GET) and the matching cases, with links to download them."""
    office = user_office(request)
    return _render_page(request, RecapFilterForm(request.GET, office=office))


def _export(request, file_format: str):
    office = user_office(request)
    form = RecapFilterForm(request.GET, office=office)
    if not form.is_valid():
        # Nothing is exported with filters that mean nothing: the page explains what to correct.
        return _render_page(request, form, status=400)
    filters: recaps.RecapFilters = form.filters()
    export = recaps.recap_export(actor=request.user, office=office, filters=filters, file_format=file_format)
    return attachment_response(export.content, export.content_type, export.filename)


@login_required
def recap_xlsx(request):
    """The filtered recap as a spreadsheet: every matching case, not only the rows the page shows."""
    return _export(request, "xlsx")


@login_required
def recap_pdf(request):
    """The filtered recap as a landscape A4 PDF for printing and signing off."""
    return _export(request, "pdf")
