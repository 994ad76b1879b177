"""One case as officers work it: its steps, the requester's messages, and the actions of POS step 2.

Every case action is a row of ``ACTIONS``: its URL slug, the workflow action it takes, its form and the
service call. One view serves them all (``case_action``), so the actions of the later steps (forward to
PPID, contact attempts, scheduling, delivery) are added as rows, not as views.

Personal data (the full identity number, contact details, address, disability details, the requester's
own words) never appears on the case page: it is opened through ``case_personal_data``, which asks why and
has ``services.case_view_personal_data`` record who opened it, when and for what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from jangkau.api.schemas import mask_identifier
from jangkau.audit.models import AuditEvent
from jangkau.cases import services, workflow
from jangkau.cases.documents import document_bytes
from jangkau.cases.models import Case, CaseDocument, RequesterMessage, Status, StepRecord
from jangkau.cases.sla import explain_due
from jangkau.cases.vocabulary import Accommodation, DeliveryMode, IdType, Vulnerability
from jangkau.core import clock
from jangkau.core.errors import DomainError, InvalidFields, InvalidInput

from .case_forms import AcceptForm, CaseActionForm, PersonalDataForm, RejectForm, RequestInfoForm

# --- the actions ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseAction:
    """One action an officer takes on a case from its page.

    ``name`` is the workflow action (``workflow.TRANSITIONS``): it decides when the action's button shows.
    ``perform(case, actor, cleaned_data)`` calls the service; the form's field names are the service's
    argument names, so the service's field errors land beside the right fields.
    """

    slug: str
    name: str
    label: str  # the button on the case page, and the page's heading
    form_class: type[CaseActionForm]
    perform: Callable[..., Case]
    submit: str  # the form's button
    success: str  # shown on the case page afterwards; may use %(number)s
    intro: str = ""
    template: str = "backoffice/case/action.html"
    # The secondary (grey) button style on the case page, for actions that end or hold the case.
    secondary: bool = False


ACTIONS: dict[str, CaseAction] = {
    action.slug: action
    for action in [
        CaseAction(
            slug="terima",
            name="accept",
            label=gettext_lazy("Terima permohonan"),
            form_class=AcceptForm,
            perform=lambda case, actor, data: services.case_accept(case=case, actor=actor),
            submit=gettext_lazy("Ya, terima permohonan"),
            success=gettext_lazy("Permohonan %(number)s diterima. Langkah berikutnya: koordinasi dengan Tim PPID."),
            intro=gettext_lazy(
                "Terima permohonan bila datanya sudah lengkap dan layanan yang diminta termasuk layanan kantor ini. "
                "Bila belum ada yang memegang kasus ini, Anda menjadi petugasnya."
            ),
        ),
        CaseAction(
            slug="minta-data",
            name="request_info",
            label=gettext_lazy("Minta data yang kurang"),
            form_class=RequestInfoForm,
            perform=lambda case, actor, data: services.case_request_info(
                case=case, actor=actor, missing=data["missing"]
            ),
            submit=gettext_lazy("Kirim permintaan data"),
            success=gettext_lazy(
                "Permintaan data untuk %(number)s tercatat dan tampil di halaman lacak pemohon. "
                "Waktu langkah 2 berhenti sampai pemohon menjawab."
            ),
            intro=gettext_lazy("Waktu standar langkah 2 berhenti dihitung sampai pemohon mengirim data yang diminta."),
            secondary=True,
        ),
        CaseAction(
            slug="tolak",
            name="reject",
            label=gettext_lazy("Tolak dengan rujukan"),
            form_class=RejectForm,
            perform=lambda case, actor, data: services.case_reject(
                case=case, actor=actor, reason=data["reason"], referral=data["referral"]
            ),
            submit=gettext_lazy("Tolak permohonan"),
            success=gettext_lazy(
                "Permohonan %(number)s ditolak. Alasan dan rujukannya tampil di halaman lacak pemohon."
            ),
            intro=gettext_lazy(
                "Tolak hanya permohonan yang bukan layanan kantor ini, dan sebutkan ke mana pemohon dapat pergi."
            ),
            secondary=True,
        ),
    ]
}


# --- helpers -------------------------------------------------------------------------------------------------


def _office_case(request, registration_number: str, *, for_page: bool = False) -> Case:
    """Returns the case of the user's office with this number. Raises Http404 for any other case, so that
    another office's numbers cannot even be confirmed to exist."""
    if request.user.office_id is None:
        raise Http404
    cases = Case.objects.select_related("office", "service_type", "assigned_to", "ppid_member")
    if for_page:
        cases = cases.prefetch_related(
            Prefetch(
                "steps",
                queryset=StepRecord.objects.select_related("responsible", "done_by", "explained_by").prefetch_related(
                    "pauses"
                ),
            ),
            # The page shows that a message or a file exists, never its content: leave the encrypted parts.
            Prefetch("requester_messages", queryset=RequesterMessage.objects.defer("body", "preferred_times")),
            Prefetch("documents", queryset=CaseDocument.objects.defer("content")),
        )
    return get_object_or_404(cases, office_id=request.user.office_id, registration_number=registration_number)


def _labels(choices, codes) -> list[str]:
    known = dict(choices.choices)
    return [str(known.get(code, code)) for code in codes or []]


def _label(choices, code) -> str:
    return str(dict(choices.choices).get(code, code)) if code else ""


def mask_email(value: str) -> str:
    """Returns the e-mail address with its local part hidden but its first letter: s*****@contoh.id."""
    local, at, domain = (value or "").partition("@")
    if not at:
        return mask_identifier(value)
    return (local[:1] + "*" * max(len(local) - 1, 1)) + "@" + domain


def _available_actions(case: Case, user) -> list[CaseAction]:
    """Returns the rows of ``ACTIONS`` the workflow allows the user's role in the case's status."""
    allowed = set(workflow.allowed_actions(case.status, user.role))
    holder = services.holder_elsewhere(case, user)
    return [
        action
        for action in ACTIONS.values()
        if action.name in allowed and (holder is None or action.name in workflow.ANY_OFFICER_ACTIONS)
    ]


def _last_actor(case: Case):
    """Returns the staff member who made the latest change to the case, None for the requester or the
    system (opening personal data is not a change)."""
    event = (
        AuditEvent.objects.filter(case=case)
        .exclude(action="case.personal_data_viewed")
        .select_related("actor")
        .order_by("-seq")
        .first()
    )
    return event.actor if event else None


def _refusal(case: Case, user, action: CaseAction, seen_status: str, exc: DomainError | None = None) -> tuple:
    """Returns (message level, text) saying plainly why ``action`` was not taken; nothing was changed."""
    case.refresh_from_db(fields=["status", "assigned_to", "ppid_member"])
    status = Status(case.status).label
    unchanged = " " + _("Tindakan Anda tidak dijalankan dan tidak ada yang berubah.")
    if seen_status and seen_status != case.status:
        actor = _last_actor(case)
        if actor is not None and actor.pk == user.pk:
            return messages.INFO, _(
                "Anda sudah memproses kasus ini sebelumnya; statusnya sekarang “%(status)s”. Tindakan tidak "
                "dijalankan dua kali."
            ) % {"status": status}
        if actor is not None:
            return messages.ERROR, _(
                "Kasus ini sudah diproses petugas lain (%(name)s) sejak halaman Anda dibuka; statusnya sekarang "
                "“%(status)s”."
            ) % {"name": actor, "status": status} + unchanged
        return messages.ERROR, _("Status kasus ini berubah sejak halaman Anda dibuka; sekarang “%(status)s”.") % {
            "status": status
        } + unchanged
    transition = workflow.TRANSITIONS[action.name]
    if user.role not in transition.roles:
        return messages.ERROR, _("Peran Anda (%(role)s) tidak dapat melakukan “%(action)s”.") % {
            "role": user.get_role_display(),
            "action": action.label,
        } + unchanged
    if case.status not in transition.sources:
        return messages.ERROR, _("“%(action)s” tidak dapat dilakukan pada kasus berstatus “%(status)s”.") % {
            "action": action.label,
            "status": status,
        } + unchanged
    if exc is not None:
        return messages.ERROR, exc.message + unchanged
    holder = services.holder_elsewhere(case, user)
    if holder is not None:
        return messages.ERROR, _(
            "Kasus ini dipegang %(name)s. Minta Kepala mengalihkannya bila Anda perlu memprosesnya."
        ) % {"name": holder}
    return None, ""


@dataclass
class _StepRow:
    step: StepRecord
    explanation: list[str]
    overdue: bool
    paused: bool
    may_explain: bool


def _step_rows(case: Case, user) -> list[_StepRow]:
    now = clock.now()
    rows = []
    for step in case.steps.all():
        running = step.done_at is None
        paused = running and any(p.resumed_at is None for p in step.pauses.all())
        rows.append(
            _StepRow(
                step=step,
                explanation=explain_due(step) if running and step.is_officer_step else [],
                overdue=running and step.due_at is not None and now > step.due_at,
                paused=paused,
                may_explain=step.needs_explanation and user.pk in {step.responsible_id, step.done_by_id},
            )
        )
    return rows


def _case_summary(case: Case) -> dict:
    """The case's labels, with identifiers masked."""
    return {
        "id_document_type": _label(IdType, case.id_document_type),
        "id_document_masked": mask_identifier(case.id_document_number) if case.id_document_number else "",
        "phone_masked": mask_identifier(case.phone) if case.phone else "",
        "email_masked": mask_email(case.email) if case.email else "",
        "vulnerabilities": _labels(Vulnerability, case.vulnerabilities),
        "accommodations": _labels(Accommodation, case.accommodations),
        "delivery_mode": _label(DeliveryMode, case.delivery_mode),
    }


# --- views ---------------------------------------------------------------------------------------------------


@never_cache
@login_required
def case_detail(request, registration_number):
    """The case as officers work it: where it stands, what the requester needs, its steps against their
    standard times (with how each deadline was computed), the messages and files it holds, and the actions
    the workflow allows the user now. Identifiers are masked; personal data opens through a logged view."""
    case = _office_case(request, registration_number, for_page=True)
    return render(request, "backoffice/case/detail.html", _page_context(request, case))


def _page_context(request, case: Case, personal_form: PersonalDataForm | None = None) -> dict:
    user = request.user
    return {
        "case": case,
        "summary": _case_summary(case),
        "steps": _step_rows(case, user),
        "actions": _available_actions(case, user),
        "holder_elsewhere": services.holder_elsewhere(case, user),
        "requester_messages": list(case.requester_messages.all()),
        "documents": list(case.documents.all()),
        "personal_form": personal_form or PersonalDataForm(),
    }


@never_cache
@login_required
def case_personal_data(request, registration_number):
    """The requester's personal data, opened for a stated purpose and recorded (who, when, why).

    Shown only in answer to a POST, on a page no cache keeps. A GET shows only the question of purpose.
    With ``document`` the chosen file of the case is returned instead, and that opening is recorded too.
    """
    case = _office_case(request, registration_number)
    if request.method != "POST":
        return render(request, "backoffice/case/personal_data_form.html", {"case": case, "form": PersonalDataForm()})
    form = PersonalDataForm(request.POST)
    document = None
    if form.is_valid() and form.cleaned_data["document"]:
        document = case.documents.filter(pk=form.cleaned_data["document"]).first()
        if document is None:
            raise Http404
    if form.is_valid():
        purpose = form.cleaned_data["purpose"]
        if document is not None:
            # The service records the purpose only; the file opened is named in it so the trail says which.
            purpose = _("%(purpose)s [unduh dokumen %(id)s: %(kind)s]") % {
                "purpose": purpose,
                "id": document.pk,
                "kind": document.get_kind_display(),
            }
        try:
            data = services.case_view_personal_data(case=case, actor=request.user, purpose=purpose)
        except InvalidInput as exc:
            form.add_error("purpose", exc.message)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("backoffice:case_detail", registration_number=case.registration_number)
        else:
            if document is not None:
                return _document_response(document)
            return _personal_data_page(request, case, data, form.cleaned_data["purpose"])
    return render(request, "backoffice/case/personal_data_form.html", {"case": case, "form": form})


def _document_response(document: CaseDocument) -> HttpResponse:
    response = HttpResponse(document_bytes(document), content_type=document.content_type)
    # Always a download, never shown inline in the staff site's origin.
    response["Content-Disposition"] = content_disposition_header(True, document.filename)
    return response


def _personal_data_page(request, case: Case, data: dict, purpose: str) -> HttpResponse:
    context = {
        "case": case,
        "data": data,
        "purpose": purpose,
        "opened_at": clock.now(),
        "id_document_type": _label(IdType, data["id_document_type"]),
        "vulnerabilities": _labels(Vulnerability, data["vulnerabilities"]),
        "requester_messages": list(case.requester_messages.all()),
        "documents": list(case.documents.defer("content")),
    }
    return render(request, "backoffice/case/personal_data.html", context)


@never_cache
@login_required
def case_action(request, registration_number, action):
    """One action of ``ACTIONS``: its form (GET) and its taking (POST, then back to the case page).

    A refusal by the workflow or by the holder rule (another officer acted first, the role may not, someone
    else holds the case) goes back to the case page as a plain message; nothing changes. Wrong answers come
    back beside their fields.
    """
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    case = _office_case(request, registration_number)
    case_url = reverse("backoffice:case_detail", args=[case.registration_number])
    if request.method != "POST":
        if spec not in _available_actions(case, request.user):
            level, text = _refusal(case, request.user, spec, seen_status="")
            messages.add_message(request, level or messages.ERROR, text or _("Tindakan ini tidak tersedia."))
            return redirect(case_url)
        form = spec.form_class(initial={"seen_status": case.status}, case=case)
        return _render_action(request, case, spec, form)

    form = spec.form_class(request.POST, case=case)
    seen_status = request.POST.get("seen_status", "")
    if not form.is_valid() and spec not in _available_actions(case, request.user):
        # The answers do not matter any more: the case moved on, or the action was never the user's.
        level, text = _refusal(case, request.user, spec, seen_status)
        messages.add_message(request, level or messages.ERROR, text or _("Tindakan ini tidak tersedia."))
        return redirect(case_url)
    if form.is_valid():
        try:
            spec.perform(case, request.user, form.cleaned_data)
        except InvalidFields as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields and name != "seen_status" else None, message)
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        except DomainError as exc:
            level, text = _refusal(case, request.user, spec, seen_status, exc)
            messages.add_message(request, level or messages.ERROR, text or exc.message)
            return redirect(case_url)
        else:
            messages.success(request, spec.success % {"number": case.registration_number})
            return redirect(case_url)
    return _render_action(request, case, spec, form)


def _render_action(request, case: Case, spec: CaseAction, form) -> HttpResponse:
    context = {"case": case, "action": spec, "form": form}
    return render(request, spec.template, context)
