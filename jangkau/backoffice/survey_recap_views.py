"""The survey recap (POS step 7): the period's IKM, a chart and a table per element, the respondent profile,
the weakest elements and the suggestions, with XLSX and PDF downloads.

Every staff role of an office may read it: the ULT makes the recap, the head publishes and evaluates with it.
Only the user's own office is ever recapped; each download is audited.
"""

from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jangkau.core import clock
from jangkau.core.downloads import attachment_response
from jangkau.surveys import recap as survey_recaps

from .scope import user_office
from .survey_recap_forms import SurveyRecapForm

# The screen lists this many suggestions at most; the files hold them all.
SUGGESTIONS_ON_SCREEN = 200


def _render_page(request, form: SurveyRecapForm, *, status: int = 200):
    office = request.user.office
    context = {
        "form": form,
        "office": office,
        "suggestions_limit": SUGGESTIONS_ON_SCREEN,
        "tz_name": clock.now().astimezone(ZoneInfo(office.time_zone)).tzname(),
    }
    if form.is_valid():
        recap = survey_recaps.survey_recap(office, **form.period())
        context.update(recap=recap, chart=recap.chart, query=recap.as_query())
    else:
        # A period that means nothing computes nothing: the page says what to correct.
        status = 400
    return render(request, "backoffice/survey/recap.html", context, status=status)


@login_required
def survey_recap(request):
    """The survey recap of a period (default: the current quarter), for any staff member of the office."""
    office = user_office(request)
    return _render_page(request, SurveyRecapForm(request.GET, office=office))


def _export(request, file_format: str):
    office = user_office(request)
    form = SurveyRecapForm(request.GET, office=office)
    if not form.is_valid():
        return _render_page(request, form)
    export = survey_recaps.recap_export(actor=request.user, office=office, file_format=file_format, **form.period())
    return attachment_response(export.content, export.content_type, export.filename)


@login_required
def survey_recap_xlsx(request):
    """The survey recap as a spreadsheet: figures, elements, weakest three, profile and every suggestion."""
    return _export(request, "xlsx")


@login_required
def survey_recap_pdf(request):
    """The survey recap as an A4 PDF with the chart, for printing and publishing."""
    return _export(request, "pdf")
