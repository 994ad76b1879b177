"""The periodic evaluation (POS step 8) of a period: volumes, the time of each step against the POS standard,
breaches and their explanations, the exceptions, the closing evaluations, the IKM, the SOP monitoring table
and the follow-up actions, on one page with its charts, and as XLSX and PDF.

Every staff role of the office may read it (as the recap): the head evaluates with it, the officers and
Tim PPID see how their steps went. Only the head fills in the monitoring table and raises follow-up actions
(``followup_views``); the page links there. Each download is audited.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jangkau.cases.services import office_today
from jangkau.core.downloads import attachment_response
from jangkau.reports.evaluation import evaluation_report, report_charts
from jangkau.reports.exports import evaluation_export
from jangkau.reports.monitoring import is_evaluator

from .evaluation_forms import EvaluationPeriodForm
from .scope import user_office


def _form(request, office) -> EvaluationPeriodForm:
    return EvaluationPeriodForm(request.GET, today=office_today(office))


def _render_page(request, form: EvaluationPeriodForm):
    office = request.user.office
    context = {"form": form, "office": office, "evaluator": is_evaluator(request.user, office)}
    status = 200
    if form.is_valid():
        period = form.period()
        report = evaluation_report(office, period.start, period.end)
        charts = report_charts(report)
        context.update(
            report=report,
            charts=charts,
            volume_parts=[(group, charts[group.key]) for group in report.volumes],
            query=urlencode({"from": period.start.isoformat(), "to": period.end.isoformat()}),
        )
    else:
        # A period that means nothing computes nothing: the page says what to correct.
        status = 400
    return render(request, "backoffice/evaluation/report.html", context, status=status)


@login_required
def evaluation(request):
    """The evaluation of a period (default: the current quarter) for any staff member of the office."""
    office = user_office(request)
    return _render_page(request, _form(request, office))


def _export(request, file_format: str):
    office = user_office(request)
    form = _form(request, office)
    if not form.is_valid():
        return _render_page(request, form)
    period = form.period()
    export = evaluation_export(
        actor=request.user, office=office, start=period.start, end=period.end, file_format=file_format
    )
    return attachment_response(export.content, export.content_type, export.filename)


@login_required
def evaluation_xlsx(request):
    """The evaluation as a spreadsheet, one sheet per part, numbers as numbers."""
    return _export(request, "xlsx")


@login_required
def evaluation_pdf(request):
    """The evaluation as an A4 PDF with its charts, for signing off and archiving."""
    return _export(request, "pdf")
