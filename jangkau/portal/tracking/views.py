"""Following a request with its registration number and tracking code, and the requester's own actions:
sending the data an officer asked for, asking for another appointment, withdrawing.

The number and the code are asked once; the session then remembers the case (``portal.access``), so the
code never travels in a URL. Every page below the lookup answers 404 to a session that was not granted
the case, whether or not the case exists.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jangkau.audit.context import client_ip
from jangkau.cases import services as svc
from jangkau.cases import workflow
from jangkau.cases.documents import document_store_draft
from jangkau.cases.models import Case, CaseDocument
from jangkau.cases.selectors import case_for_requester
from jangkau.core.errors import DomainError, TransitionNotAllowed
from jangkau.core.ratelimit import rate_limit_exceeded
from jangkau.portal import access
from jangkau.scheduling.ics import appointment_download

from . import progress
from .forms import CancelForm, LookupForm, MissingDataForm, RescheduleRequestForm, add_domain_error

# How many lookups one client address may try in an hour. Every attempt counts, right or wrong: the limit
# is checked before the code is, so an address over it cannot keep guessing and learn from a success.
# Codes are ten characters of a 31-letter alphabet, far beyond guessing anyway; the limit keeps a script
# from hammering the form. It is five times intake's limit, since one village office or school network
# (one address) may help many people follow their requests, and each person may mistype once or twice.
LOOKUP_LIMIT_FACTOR = 5


@never_cache
def track(request):
    """The form that asks for the registration number and the tracking code; on a match, the case page."""
    if request.method == "POST":
        limit = settings.INTAKE_RATE_LIMIT * LOOKUP_LIMIT_FACTOR
        if rate_limit_exceeded(scope="track", client=client_ip(request.META), limit=limit):
            return render(request, "portal/tracking/too_many.html", status=429)
        form = LookupForm(request.POST)
        if form.is_valid():
            case = case_for_requester(form.cleaned_data["nomor"], form.cleaned_data["kode"])
            if case is not None:
                # A new session key when the session gains a case, so a key known before cannot read it.
                request.session.cycle_key()
                access.grant(request, case)
                return redirect("portal:track_case", registration_number=case.registration_number)
            # The same words whether the number is unknown or the code wrong: nothing tells them apart.
            mismatch = _("Nomor registrasi atau kode lacak tidak cocok. Periksa keduanya lalu coba lagi.")
            form.add_error("nomor", mismatch)
            form.add_error("kode", mismatch)
    else:
        form = LookupForm(initial={"nomor": request.GET.get("nomor", "")[:40]})
    return render(request, "portal/tracking/lookup.html", {"form": form})


def _granted(request, registration_number: str) -> Case:
    case = access.granted_case(request, registration_number)
    if case is None:
        raise Http404(_("Halaman tidak ditemukan."))
    return case


@never_cache
def track_case(request, registration_number):
    """The case as its requester sees it: the status in plain words, the legal deadline of a public-information
    request, the office's written notices, the steps, the schedule, what was delivered, the actions. Never
    the officers' internal thread, their delivery notes or the cost the office bore."""
    case = _granted(request, registration_number)
    appointment = progress.current_appointment(case)
    return render(
        request,
        "portal/tracking/case.html",
        {
            "case": case,
            "service_name": case.service_type.display_name,
            "sentence": progress.status_sentence(case),
            "timeline": progress.timeline(case),
            "appointment": appointment,
            "appointment_mode": progress.mode_label(appointment.mode) if appointment else "",
            "cancelled_appointment": progress.cancelled_appointment(case),
            "notices": progress.notices(case),
            "legal_deadline": progress.legal_deadline(case),
            "delivery": progress.delivery(case),
            "requested_data": progress.requested_data(case),
            "can_send_missing_data": progress.can_send_missing_data(case),
            "can_request_reschedule": progress.can_request_reschedule(case),
            "can_cancel": progress.can_cancel(case),
            "survey_url": progress.survey_url_for(case),
            "time_zone": case.office.time_zone,
        },
    )


@never_cache
def track_ics(request, registration_number):
    """The current appointment as a calendar file for the requester's phone (``scheduling.ics``); 404 when
    there is none or the session was not granted the case."""
    case = _granted(request, registration_number)
    appointment = progress.current_appointment(case)
    if appointment is None:
        raise Http404(_("Halaman tidak ditemukan."))
    return appointment_download(appointment, request, for_requester=True)


def _action_page(request, registration_number, *, allowed, form_class, template, perform, done, extra=None):
    """One requester action: a GET shows the form, a valid POST runs ``perform(case, cleaned_data)`` and
    returns to the case page with ``done`` as its message (post/redirect/get). A page whose action the
    case no longer allows sends the requester back to the case page, which says where things stand."""
    case = _granted(request, registration_number)
    if not allowed(case):
        return redirect("portal:track_case", registration_number=case.registration_number)
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                perform(case, form.cleaned_data)
            except TransitionNotAllowed:
                # The case moved on while the form was open (an officer acted): its page says where it stands.
                messages.info(request, _("Permohonan Anda baru saja berubah. Lihat keadaannya saat ini di bawah."))
                return redirect("portal:track_case", registration_number=case.registration_number)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, done)
                return redirect("portal:track_case", registration_number=case.registration_number)
    else:
        form = form_class()
    context = {"case": case, "form": form, **(extra(case) if extra else {})}
    return render(request, template, context)


def _send_missing_data(case: Case, data: dict) -> None:
    # One transaction: a file is not left behind when the case moved on and the message is refused.
    with transaction.atomic():
        _store_and_send(case, data)


def _store_and_send(case: Case, data: dict) -> None:
    tokens = []
    if data.get("document"):
        draft = document_store_draft(kind=CaseDocument.Kind.SUPPORTING, field="document", **data["document"])
        tokens.append(draft.draft_token)
    svc.case_send_missing_data(case=case, text=data["text"], document_tokens=tokens)


@never_cache
def track_missing_data(request, registration_number):
    """Sends the data an officer asked for (only while the case awaits it), with an optional file."""
    return _action_page(
        request,
        registration_number,
        allowed=progress.can_send_missing_data,
        form_class=MissingDataForm,
        template="portal/tracking/missing_data.html",
        perform=_send_missing_data,
        done=_("Terima kasih. Data Anda sudah terkirim dan petugas akan memeriksa permohonan Anda kembali."),
        extra=lambda case: {"requested_data": progress.requested_data(case)},
    )


@never_cache
def track_reschedule(request, registration_number):
    """Asks for another appointment (only while one is agreed); an officer then agrees the new one."""
    return _action_page(
        request,
        registration_number,
        allowed=progress.can_request_reschedule,
        form_class=RescheduleRequestForm,
        template="portal/tracking/reschedule.html",
        extra=lambda case: {"appointment": progress.current_appointment(case), "time_zone": case.office.time_zone},
        perform=lambda case, data: svc.case_request_reschedule(
            case=case, reason=data["reason"], preferred_times=data["preferred_times"]
        ),
        done=_(
            "Permintaan jadwal ulang Anda sudah terkirim. Petugas akan menghubungi Anda untuk menyepakati jadwal "
            "baru. Sampai saat itu, jadwal yang lama tetap berlaku."
        ),
    )


@never_cache
def track_cancel(request, registration_number):
    """Withdraws the request (while the service has not been delivered)."""
    return _action_page(
        request,
        registration_number,
        allowed=progress.can_cancel,
        form_class=CancelForm,
        template="portal/tracking/cancel.html",
        perform=lambda case, data: svc.case_cancel(case=case, actor=workflow.REQUESTER, reason=data["reason"]),
        done=_("Permohonan Anda sudah dibatalkan."),
    )


@require_POST
def track_forget(request, registration_number):
    """Removes the case from this browser session (a shared phone): the code is needed to see it again."""
    case = access.granted_case(request, registration_number)
    if case is not None:
        access.forget(request, case)
    messages.success(
        request,
        _(
            "Anda sudah keluar dari permohonan ini di perangkat ini. Untuk melihatnya lagi, masukkan nomor "
            "registrasi dan kode lacak."
        ),
    )
    return redirect("portal:track")
