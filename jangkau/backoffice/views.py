from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from jangkau.accounts.middleware import second_factor_url
from jangkau.accounts.models import Role
from jangkau.cases.documents import document_store_upload, drafts
from jangkau.cases.models import Case, CaseDocument, Channel, StepRecord
from jangkau.cases.selectors import breaches_for_office, grouped_code
from jangkau.cases.services import case_submit_once, intake_check, step_explain_breach
from jangkau.core.errors import Conflict, DomainError, InvalidFields
from jangkau.portal.links import tracking_url

from .forms import BreachExplanationForm, LoginForm, OfficerIntakeForm, new_idempotency_key

# Who sees every breach of the office; others see the ones they must account for.
SUPERVISORS = {Role.HEAD, Role.ADMIN}


class LoginView(auth_views.LoginView):
    """Staff sign-in; a signed-in user who opens it goes straight to the dashboard."""

    template_name = "backoffice/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        # The password is only the first step: every staff role then passes the second factor.
        return second_factor_url(self.request.user, super().get_success_url())


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


# --- intake by officers for the other channels -------------------------------------------------------------


def _intake_refusal(request):
    """Returns the 403 page for a user who may not record requests, None for a ULT officer of an office."""
    user = request.user
    if user.office_id is None:
        reason = _("Akun Anda tidak terhubung dengan kantor mana pun, jadi tidak dapat mencatat permohonan.")
    elif user.role != Role.ULT_OFFICER:
        reason = _("Hanya Petugas ULT yang dapat mencatat permohonan atas nama pemohon.")
    else:
        return None
    return render(request, "backoffice/intake_forbidden.html", {"reason": reason}, status=403)


def _store_upload(form: OfficerIntakeForm, upload) -> None:
    """Stores the power of attorney as a draft and keeps its token in the form; records a field error instead
    when the file is refused."""
    try:
        document = document_store_upload(
            kind=CaseDocument.Kind.POWER_OF_ATTORNEY, field="power_of_attorney", upload=upload
        )
    except InvalidFields as exc:
        for message in exc.errors.values():
            form.add_error("power_of_attorney", message)
    else:
        form.set_hidden("document_token", document.draft_token)


def _add_intake_errors(form: OfficerIntakeForm, errors: dict) -> None:
    for name, message in errors.items():
        form.add_error(name if name in form.fields else None, message)


@login_required
def intake(request):
    """One page on which a ULT officer records a request received by WhatsApp, phone, e-mail, letter,
    walk-in, social media or SP4N-LAPOR. The officer becomes the case's holder.

    The hidden idempotency key, made when the form is first shown, makes a double click or a resubmitted
    page return the first case instead of making a second one.
    """
    refusal = _intake_refusal(request)
    if refusal is not None:
        return refusal
    office = request.user.office
    if request.method != "POST":
        form = OfficerIntakeForm(office=office)
        return _render_intake(request, form)

    form = OfficerIntakeForm(request.POST, request.FILES, office=office)
    key = form.submitted_key()
    if key is None:
        # A forged or truncated form: still recorded once, under a key of its own from now on.
        key = new_idempotency_key()
        form.set_hidden("idempotency_key", key)
    upload = request.FILES.get("power_of_attorney")
    if upload is not None:
        _store_upload(form, upload)
    data = form.intake_data()
    if form.errors:
        # Show every problem at once: the intake fields are checked too, and nothing is created.
        _cleaned, errors = intake_check(office=office, data=data)
        _add_intake_errors(form, dict(errors.ordered()))
        return _render_intake(request, form)
    token = form.data.get("document_token", "")
    try:
        case, created = case_submit_once(
            office=office,
            data=data,
            channel=form.cleaned_data["channel"],
            actor=request.user,
            idempotency_key=key,
            document_tokens=[token] if token else [],
        )
    except InvalidFields as exc:
        _add_intake_errors(form, exc.errors)
    except Conflict as exc:
        if exc.code != "idempotency_key_reused":
            form.add_error(None, exc.message)
        else:
            # This page was sent before with other answers (back, edit, send again): that request is
            # recorded. A new key lets the officer record these answers as a separate request on purpose.
            form.set_hidden("idempotency_key", new_idempotency_key())
            form.add_error(
                None,
                _(
                    "Formulir ini sudah pernah dikirim dengan isian lain dan permohonan itu sudah tercatat. "
                    "Bila ini permohonan yang berbeda, periksa isiannya lalu kirim lagi untuk mencatatnya "
                    "sebagai permohonan baru."
                ),
            )
    except DomainError as exc:
        form.add_error(None, exc.message)
    else:
        if not created:
            messages.info(request, _("Permohonan ini sudah tercatat sebelumnya; tidak dicatat dua kali."))
        return redirect("backoffice:intake_done", registration_number=case.registration_number)
    return _render_intake(request, form)


def _render_intake(request, form: OfficerIntakeForm):
    token = form.data.get("document_token", "") if form.is_bound else ""
    uploaded = next(iter(drafts([token])), None) if token else None
    if token and uploaded is None:
        form.set_hidden("document_token", "")
    return render(request, "backoffice/intake.html", {"form": form, "uploaded": uploaded})


@never_cache
@login_required
def intake_done(request, registration_number: str):
    """The confirmation: the registration number and the tracking code to read out to the requester.

    Only for the officer who recorded the request (and holds it): the tracking code is the requester's
    secret, and no colleague needs to read it from this page.
    """
    # U+0000 (a "%00" in the address) is in no number, and PostgreSQL refuses it in a query.
    if request.user.office_id is None or "\x00" in registration_number:
        raise Http404
    case = get_object_or_404(
        Case.objects.select_related("service_type", "assigned_to").exclude(channel__in=[Channel.WEB, Channel.API]),
        office_id=request.user.office_id,
        registration_number=registration_number,
        assigned_to=request.user,
    )
    return render(
        request,
        "backoffice/intake_done.html",
        {
            "case": case,
            "tracking_code": grouped_code(case.tracking_code),
            "tracking_url": request.build_absolute_uri(tracking_url(case)),
        },
    )
