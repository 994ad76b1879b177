"""The SOP monitoring table of a period and the follow-up actions (RTL) in the back office (POS step 8).

- The monitoring table (``/staf/evaluasi/pemantauan/?from=&to=``): the office's head, who evaluates, reviews
  the eight rows prefilled from the period's figures and saves them at once; then goes back to the period's
  evaluation report.
- The RTL list (``/staf/tindak-lanjut/``): every staff member of the office reads it (the owners need to see
  what they owe); the head raises actions; the head or an action's owner changes its status.

The rules are ``jangkau.reports.monitoring``'s and ``jangkau.reports.followups``'s; these views only ask
and show. Another office's action answers 404, as if it did not exist.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from jangkau.cases.sla_report import sla_report
from jangkau.core.errors import DomainError, InvalidFields
from jangkau.reports.followups import (
    allowed_statuses,
    can_update_status,
    followup_create,
    followup_update_status,
    followups_for_office,
)
from jangkau.reports.models import FollowUpAction
from jangkau.reports.monitoring import is_evaluator, monitoring_save_all, monitoring_table

from .followup_forms import FollowUpForm, MonitoringForm, PeriodForm, StatusForm
from .scope import user_office


def _forbidden(request, message: str):
    return render(request, "backoffice/evaluation/followup_forbidden.html", {"reason": message}, status=403)


def _period_query(start, end) -> str:
    return urlencode({"from": start.isoformat(), "to": end.isoformat()})


def evaluation_report_url(start, end) -> str:
    """The period's evaluation report page; the monitoring page itself while the report page is not there."""
    try:
        base = reverse("backoffice:evaluation")
    except NoReverseMatch:
        base = reverse("backoffice:evaluation_monitoring")
    return f"{base}?{_period_query(start, end)}"


def _apply_errors(form, exc: InvalidFields, aliases: dict[str, str] | None = None) -> None:
    aliases = aliases or {}
    for key, message in exc.errors.items():
        name = aliases.get(key, key)
        form.add_error(name if name in form.fields else None, message)


@never_cache
@login_required
def monitoring_edit(request):
    """The monitoring table of a period as a form: per POS step the assessment (ran well or not), the notes
    and the action to take, prefilled from the figures until saved. One submit saves all eight rows."""
    office = user_office(request)
    if not is_evaluator(request.user, office):
        return _forbidden(request, _("Tabel pemantauan pelaksanaan POS diisi oleh Kepala kantor sebagai evaluator."))
    period_form = PeriodForm(request.GET if ("from" in request.GET or "to" in request.GET) else None)
    if not period_form.is_bound or not period_form.is_valid():
        return render(request, "backoffice/evaluation/monitoring_period.html", {"form": period_form})
    start, end = period_form.period
    rows = monitoring_table(office, start, end, sla_report(office, start, end))
    form = MonitoringForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            monitoring_save_all(office=office, start=start, end=end, entries=form.entries(), actor=request.user)
        except InvalidFields as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Tabel pemantauan pelaksanaan POS tersimpan."))
            return redirect(evaluation_report_url(start, end))
    context = {
        "form": form,
        "start": start,
        "end": end,
        "period_query": _period_query(start, end),
        "report_url": evaluation_report_url(start, end),
    }
    return render(request, "backoffice/evaluation/monitoring_form.html", context)


@never_cache
@login_required
def followup_list(request):
    """The office's follow-up actions by due date: by default those not finished yet, or all of them."""
    office = user_office(request)
    show_all = request.GET.get("tampil") == "semua"
    actions = followups_for_office(office, unfinished_only=not show_all)
    for action in actions:
        action.may_update = bool(allowed_statuses(request.user, action))
    context = {
        "actions": actions,
        "show_all": show_all,
        "is_head": is_evaluator(request.user, office),
    }
    return render(request, "backoffice/evaluation/followup_list.html", context)


def _initial_from_query(request) -> dict:
    """Prefills the source period and step from ``?from=&to=&step=`` (the evaluation report's link)."""
    initial = {}
    period = PeriodForm(request.GET)
    if "from" in request.GET and period.is_valid():
        initial["source_start"], initial["source_end"] = period.period
    step = request.GET.get("step", "")
    # Compared as text: int() refuses some of what str.isdigit() takes ("²", 5000 digits).
    if step in {str(no) for no in range(1, 9)}:
        initial["step_no"] = step
    return initial


@login_required
def followup_new(request):
    """One page: the head raises a follow-up action with its owner, due date and the period it came from."""
    office = user_office(request)
    if not is_evaluator(request.user, office):
        return _forbidden(request, _("Rencana tindak lanjut dibuat oleh Kepala kantor sebagai evaluator."))
    form = FollowUpForm(request.POST or None, office=office, initial=_initial_from_query(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = followup_create(
                office=office,
                actor=request.user,
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                due_date=data["due_date"],
                source_start=data["source_start"],
                source_end=data["source_end"],
                step_no=data["step_no"],
            )
        except InvalidFields as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Tindak lanjut “%(title)s” tercatat.") % {"title": action.title})
            return redirect("backoffice:followups")
    return render(request, "backoffice/evaluation/followup_form.html", {"form": form})


@login_required
def followup_status(request, pk: int):
    """The head or the action's owner records its new status: in progress, done (saying what was done) or,
    for the head, cancelled (saying why)."""
    office = user_office(request)
    action = get_object_or_404(FollowUpAction.objects.select_related("owner", "office"), pk=pk, office=office)
    if not can_update_status(request.user, action):
        return _forbidden(
            request, _("Status tindak lanjut diubah oleh Kepala kantor atau penanggung jawab tindak lanjut itu.")
        )
    statuses = allowed_statuses(request.user, action)
    form = StatusForm(request.POST or None, statuses=statuses)
    if request.method == "POST" and statuses and form.is_valid():
        try:
            followup_update_status(
                action=action, actor=request.user, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
            )
        except InvalidFields as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Status tindak lanjut “%(title)s” tersimpan.") % {"title": action.title})
            return redirect("backoffice:followups")
    return render(
        request, "backoffice/evaluation/followup_status.html", {"form": form, "action": action, "statuses": statuses}
    )
