"""Data-subject requests (UU 27/2022) in the back office: the list with deadlines, recording a request and
finding the person's cases, the request with its cases, the export (JSON, PDF), the correction, the erasure
with a confirmation step, and the answer.

Tim PPID and the head handle them (``privacy.services.PRIVACY_ROLES``, where the choice is explained); other
staff get a page saying whom to pass the request to. Identifiers are masked on every page; the full data
leaves only in the export, which is audited. The rules are the services'; these views only ask and show.
"""

from __future__ import annotations

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jangkau.cases.models import Case
from jangkau.cases.queue import duration_words
from jangkau.core import clock
from jangkau.core.crypto import search_hash
from jangkau.core.downloads import attachment_response
from jangkau.core.errors import DomainError, InvalidFields
from jangkau.core.masking import mask_identifier, mask_phone
from jangkau.privacy import deadlines
from jangkau.privacy import services as privacy
from jangkau.privacy.models import DataSubjectRequest, RequestKind, RequestStatus

from .privacy_forms import CloseForm, CorrectionForm, EraseForm, ExportForm, SubjectRequestForm

# Service error keys that are not form fields land on the form's own fields or its top.
_CRITERIA = ("nik", "phone", "name")


def _forbidden(request):
    return render(request, "backoffice/privacy/forbidden.html", status=403)


def _allowed(request) -> bool:
    return privacy.privacy_may_handle(request.user)


def _office_request(request, pk: int) -> DataSubjectRequest:
    return get_object_or_404(
        DataSubjectRequest.objects.select_related("office"), pk=pk, office_id=request.user.office_id
    )


def _tz(request) -> ZoneInfo:
    return ZoneInfo(request.user.office.time_zone)


def _case_row(case: Case) -> dict:
    """A case as lists show it: identifiers masked."""
    return {
        "case": case,
        "id_number": mask_identifier(case.id_document_number) if case.id_document_number else "—",
        "phone": mask_phone(case.phone) if case.phone else "—",
    }


def _case_label(case: Case, tz: ZoneInfo) -> str:
    submitted = case.submitted_at.astimezone(tz).strftime("%d/%m/%Y")
    return _("%(number)s – %(name)s, diajukan %(date)s, NIK %(nik)s, telepon %(phone)s") % {
        "number": case.registration_number,
        "name": case.requester_name,
        "date": submitted,
        "nik": mask_identifier(case.id_document_number) if case.id_document_number else "—",
        "phone": mask_phone(case.phone) if case.phone else "—",
    }


def _add_errors(form, errors: dict[str, str], aliases: dict[str, str] | None = None) -> None:
    for name, message in errors.items():
        name = (aliases or {}).get(name, name)
        form.add_error(name if name in form.fields else None, message)


def _deadline(req: DataSubjectRequest, now) -> dict:
    minutes = req.response_minutes
    return {
        "overdue": req.is_overdue(now),
        "source": deadlines.SOURCES[req.kind],
        "response_time": duration_words(timedelta(minutes=minutes)) if minutes is not None else "",
    }


# --- list ---------------------------------------------------------------------------------------------------


@never_cache
@login_required
def privacy_list(request):
    """Every request of the office: open ones first by nearest deadline, with overdue ones marked."""
    if not _allowed(request):
        return _forbidden(request)
    now = clock.now()
    rows = [{"request": req, **_deadline(req, now)} for req in privacy.subject_requests_for(request.user.office)]
    return render(
        request,
        "backoffice/privacy/list.html",
        {"rows": rows, "tz_name": now.astimezone(_tz(request)).tzname(), "overdue": sum(r["overdue"] for r in rows)},
    )


# --- new request ------------------------------------------------------------------------------------------------


def _criteria_key(data: dict) -> str:
    criteria = {name: (data.get(name) or "").strip() for name in _CRITERIA}
    return search_hash(json.dumps(criteria, sort_keys=True), purpose="privacy-search")


@never_cache
@login_required
def privacy_new(request):
    """Record a request: the first button finds the person's cases (shown masked, all ticked), the second
    records the request with the cases still ticked. A POST-only form keeps the NIK out of URLs."""
    if not _allowed(request):
        return _forbidden(request)
    office = request.user.office
    tz = ZoneInfo(office.time_zone)
    if request.method != "POST":
        now = clock.now().astimezone(tz)
        form = SubjectRequestForm(initial={"received_on": now.date(), "received_time": now.strftime("%H.%M")})
        return render(request, "backoffice/privacy/new.html", {"form": form, "searched": False})

    found: list[Case] = []
    search_errors: dict[str, str] = {}
    try:
        found = list(privacy.subject_find(**{name: request.POST.get(name, "") for name in _CRITERIA}, office=office))
    except InvalidFields as exc:
        search_errors = exc.errors
    form = SubjectRequestForm(request.POST, case_choices=[(str(case.pk), _case_label(case, tz)) for case in found])
    key = _criteria_key(request.POST)
    recording = request.POST.get("action") == "record" and request.POST.get("searched") == key
    if not recording:
        # A search (or criteria changed since the last one): show what they find, every case ticked.
        data = request.POST.copy()
        data.setlist("cases", [str(case.pk) for case in found])
        data["searched"] = key
        form = SubjectRequestForm(data, case_choices=form.fields["cases"].choices)
        form.is_valid()
        # Only the search's own problems are shown at this point; the rest are asked when recording.
        form.errors.clear()
        _add_errors(form, search_errors)
        return render(
            request,
            "backoffice/privacy/new.html",
            {"form": form, "searched": not search_errors, "found": [_case_row(case) for case in found]},
            status=400 if search_errors else 200,
        )
    if form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["cases"]}
        try:
            req = privacy.subject_request_open(
                office=office,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                channel=form.cleaned_data["channel"],
                requester_name=form.cleaned_data["requester_name"],
                identity_check=form.cleaned_data["identity_check"],
                details=form.cleaned_data["details"],
                reply_to=form.cleaned_data["reply_to"],
                received_at=form.received_at(office.time_zone),
                nik=form.cleaned_data["nik"],
                phone=form.cleaned_data["phone"],
                name=form.cleaned_data["name"],
                cases=[case for case in found if case.pk in chosen],
            )
        except InvalidFields as exc:
            _add_errors(form, exc.errors, {"received_at": "received_on"})
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Permintaan %(number)s tercatat. Jawab paling lambat %(due)s.")
                % {"number": req.number, "due": req.due_at.astimezone(tz).strftime("%d/%m/%Y %H.%M")},
            )
            return redirect("backoffice:privacy_detail", pk=req.pk)
    return render(
        request,
        "backoffice/privacy/new.html",
        {"form": form, "searched": True, "found": [_case_row(case) for case in found]},
        status=400,
    )


# --- one request ------------------------------------------------------------------------------------------------


@never_cache
@login_required
def privacy_detail(request, pk: int):
    """The request, its deadline and how it was computed, the person's cases (masked), and its actions."""
    if not _allowed(request):
        return _forbidden(request)
    req = _office_request(request, pk)
    now = clock.now()
    cases = req.cases.select_related("service_type").order_by("submitted_at", "id")
    return render(
        request,
        "backoffice/privacy/detail.html",
        {
            "req": req,
            **_deadline(req, now),
            "rows": [_case_row(case) for case in cases],
            "is_open": req.status == RequestStatus.OPEN,
            "export_form": ExportForm(),
            "kinds": RequestKind,
            "tz_name": now.astimezone(_tz(request)).tzname(),
        },
    )


@require_POST
@login_required
def privacy_export(request, pk: int):
    """The person's data as a JSON or PDF download (audited)."""
    if not _allowed(request):
        return _forbidden(request)
    req = _office_request(request, pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih format JSON atau PDF."))
        return redirect("backoffice:privacy_detail", pk=req.pk)
    try:
        export = privacy.subject_export_file(
            request=req,
            actor=request.user,
            file_format=form.cleaned_data["format"],
            include_internal_notes=form.cleaned_data["include_internal_notes"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("backoffice:privacy_detail", pk=req.pk)
    return attachment_response(export.content, export.content_type, export.filename)


@never_cache
@login_required
def privacy_correct(request, pk: int):
    """Correct the person's data on the cases ticked; only the fields filled in change."""
    if not _allowed(request):
        return _forbidden(request)
    req = _office_request(request, pk)
    tz = _tz(request)
    cases = list(req.cases.order_by("submitted_at", "id"))
    choices = [(str(case.pk), _case_label(case, tz)) for case in cases]
    if req.status != RequestStatus.OPEN or req.kind != RequestKind.CORRECTION:
        messages.error(request, _("Perbaikan hanya untuk permintaan perbaikan yang masih terbuka."))
        return redirect("backoffice:privacy_detail", pk=req.pk)
    if request.method != "POST":
        form = CorrectionForm(case_choices=choices, initial={"cases": [pk for pk, _label in choices]})
        return render(request, "backoffice/privacy/correct.html", {"req": req, "form": form})
    form = CorrectionForm(request.POST, case_choices=choices)
    if form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["cases"]}
        try:
            privacy.subject_correct(
                request=req,
                actor=request.user,
                cases=[case for case in cases if case.pk in chosen],
                changes=form.changes(),
            )
        except InvalidFields as exc:
            _add_errors(form, exc.errors, {"changes": "requester_name"} if "changes" in exc.errors else None)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Data pada %(count)s kasus diperbaiki.") % {"count": len(chosen)})
            return redirect("backoffice:privacy_detail", pk=req.pk)
    return render(request, "backoffice/privacy/correct.html", {"req": req, "form": form}, status=400)


@never_cache
@login_required
def privacy_erase(request, pk: int):
    """Erasure in two steps: the page lists what will be anonymised and asks for confirmation."""
    if not _allowed(request):
        return _forbidden(request)
    req = _office_request(request, pk)
    if req.status != RequestStatus.OPEN or req.kind != RequestKind.ERASURE:
        messages.error(request, _("Penghapusan hanya untuk permintaan penghapusan yang masih terbuka."))
        return redirect("backoffice:privacy_detail", pk=req.pk)
    rows = [_case_row(case) for case in req.cases.select_related("service_type").order_by("submitted_at", "id")]
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.subject_erase(request=req, actor=request.user, outcome=form.cleaned_data["outcome"])
        except InvalidFields as exc:
            _add_errors(form, exc.errors)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Data pribadi pada %(count)s kasus telah dihapus.") % {"count": len(rows)})
            return redirect("backoffice:privacy_detail", pk=req.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "backoffice/privacy/erase.html", {"req": req, "form": form, "rows": rows}, status=status)


@never_cache
@login_required
def privacy_close(request, pk: int):
    """The answer to the request: done (for restriction and withdrawal, that it was carried out) or refused."""
    if not _allowed(request):
        return _forbidden(request)
    req = _office_request(request, pk)
    if req.status != RequestStatus.OPEN:
        messages.error(request, _("Permintaan ini sudah dijawab."))
        return redirect("backoffice:privacy_detail", pk=req.pk)
    # An erasure is done by its own page; here it can only be refused.
    statuses = (
        (RequestStatus.REFUSED,) if req.kind == RequestKind.ERASURE else (RequestStatus.DONE, RequestStatus.REFUSED)
    )
    form = CloseForm(request.POST if request.method == "POST" else None, statuses=statuses)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["status"] == RequestStatus.DONE and req.kind == RequestKind.RESTRICTION:
                privacy.subject_restrict(request=req, actor=request.user, outcome=data["outcome"])
            elif data["status"] == RequestStatus.DONE and req.kind == RequestKind.WITHDRAWAL:
                privacy.subject_withdraw(request=req, actor=request.user, outcome=data["outcome"])
            else:
                privacy.subject_request_close(
                    request=req,
                    actor=request.user,
                    status=data["status"],
                    outcome=data["outcome"],
                    refused_reason=data["refused_reason"],
                )
        except InvalidFields as exc:
            _add_errors(form, exc.errors)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Jawaban permintaan %(number)s tercatat.") % {"number": req.number})
            return redirect("backoffice:privacy_detail", pk=req.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "backoffice/privacy/close.html", {"req": req, "form": form}, status=status)
