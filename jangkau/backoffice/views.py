from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jangkau.accounts.models import Role
from jangkau.cases.models import StepRecord
from jangkau.cases.selectors import breaches_for_office
from jangkau.cases.services import step_explain_breach
from jangkau.core.errors import DomainError

from .forms import BreachExplanationForm, LoginForm

# Who sees every breach of the office; others see the ones they must account for.
SUPERVISORS = {Role.HEAD, Role.ADMIN}


class LoginView(auth_views.LoginView):
    """Staff sign-in; a signed-in user who opens it goes straight to the dashboard."""

    template_name = "backoffice/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _visible_breaches(user, *, unexplained_only=False) -> list[StepRecord]:
    if user.office is None:
        return []
    steps = breaches_for_office(user.office, unexplained_only=unexplained_only)
    if user.role in SUPERVISORS:
        return steps
    return [s for s in steps if user.pk in {s.responsible_id, s.done_by_id}]


@login_required
def dashboard(request):
    """The officer's start page: who they are, for which office, in which role, and breaches to explain."""
    to_explain = [s for s in _visible_breaches(request.user, unexplained_only=True) if s.done_at]
    return render(request, "backoffice/dashboard.html", {"unexplained_count": len(to_explain)})


@login_required
def breach_list(request):
    """Steps done later than their POS standard time. Heads and administrators see the whole office;
    officers see the steps they carried, each with its explanation or a link to write one."""
    steps = _visible_breaches(request.user)
    return render(
        request,
        "backoffice/breaches.html",
        {"steps": steps, "supervisor": request.user.role in SUPERVISORS, "user_id": request.user.pk},
    )


@login_required
def breach_explain(request, step_id: int):
    """One question: why the step overran. Only the officer responsible for it may answer, once."""
    if request.user.office_id is None:
        raise Http404
    step = get_object_or_404(
        StepRecord.objects.select_related("case"), pk=step_id, case__office_id=request.user.office_id, breached=True
    )
    form = BreachExplanationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            step_explain_breach(step=step, actor=request.user, explanation=form.cleaned_data["explanation"])
        except DomainError as exc:
            form.add_error("explanation", exc.message)
        else:
            messages.success(request, _("Penjelasan keterlambatan tersimpan."))
            return redirect("backoffice:breaches")
    return render(request, "backoffice/breach_explain.html", {"form": form, "step": step})
