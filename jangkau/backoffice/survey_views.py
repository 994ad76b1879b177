"""Handing over the survey with the service (POS step 5): the private link and its QR code, the printable
paper form, and the officers' entry of a paper form or an assisted interview (POS step 6)."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from jangkau.accounts.models import Role
from jangkau.cases.services import office_today
from jangkau.core.errors import Conflict, InvalidFields, PermissionDenied
from jangkau.core.pdf import html_to_pdf
from jangkau.surveys.forms import SurveyForm
from jangkau.surveys.imports import COLUMNS, ImportFileError, skm_import
from jangkau.surveys.instrument import active_instrument
from jangkau.surveys.invitations import survey_path
from jangkau.surveys.models import Invitation, Response
from jangkau.surveys.services import survey_record_by_officer

from .case_views import _office_case

ENTRY_MODES = {
    "kertas": (Response.Mode.PAPER, gettext_lazy("Catat survei dari formulir kertas")),
    "wawancara": (Response.Mode.ASSISTED, gettext_lazy("Wawancara terbantu")),
}


def _handover(request, registration_number):
    case = _office_case(request, registration_number)
    invitation = Invitation.objects.filter(case=case).first()
    if invitation is None:
        raise Http404(_("Survei dibuka setelah layanan diberikan."))
    link = request.build_absolute_uri(survey_path(invitation))
    return case, invitation, link


def _qr_data_uri(link: str) -> str:
    # A data: URI: the page and the PDF carry the code themselves, nothing is fetched to show it.
    return segno.make(link, error="m").svg_data_uri(scale=5, border=2)


@login_required
@never_cache
def case_survey(request, registration_number):
    """The survey hand-over of a delivered case: link, QR code, paper form, and officer entry."""
    case, invitation, link = _handover(request, registration_number)
    response = Response.objects.filter(case=case).first()
    return render(
        request,
        "backoffice/survey/handover.html",
        {
            "case": case,
            "invitation": invitation,
            "link": link,
            "qr": _qr_data_uri(link),
            "response": response,
            "entry_modes": [(slug, label) for slug, (_mode, label) in ENTRY_MODES.items()],
        },
    )


@login_required
def case_survey_form_pdf(request, registration_number):
    """The printable SKM for the requester to fill on paper, with the case's number and the link's QR code."""
    case, invitation, link = _handover(request, registration_number)
    instrument = active_instrument(case.office)
    html = render_to_string(
        "surveys/paper_form.html",
        {
            "case": case,
            "office": case.office,
            "instrument": instrument,
            "elements": instrument.elements.all(),
            "qr": _qr_data_uri(link),
            "link": link,
            "closes_at": invitation.closes_at,
            "sexes": Response.Sex.choices,
            "educations": Response.Education.choices,
            "occupations": Response.Occupation.choices,
        },
        request=request,
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"survei-{case.registration_number}.pdf")
    return response


class OfficerSurveyForm(SurveyForm):
    """The SKM as an officer types it in: the same questions, plus the day the form was filled."""

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_on"] = forms.DateField(
            label=_("Tanggal pengisian"),
            help_text=_("Hari ketika pemohon mengisi formulir atau diwawancarai."),
            initial=office_today(office),
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={"required": _("Isian ini wajib dijawab."), "invalid": _("Tulis tanggal yang benar.")},
        )

    @property
    def profile_fields(self):
        return [*super().profile_fields, self["answered_on"]]


@login_required
@never_cache
def case_survey_entry(request, registration_number, mode):
    """An officer records a paper form or runs an assisted interview (flagged as such in the results)."""
    if mode not in ENTRY_MODES:
        raise Http404
    case, _invitation, _link = _handover(request, registration_number)
    response_mode, title = ENTRY_MODES[mode]
    handover_url = reverse("backoffice:case_survey", args=[case.registration_number])
    if Response.objects.filter(case=case).exists():
        messages.info(request, _("Survei untuk kasus ini sudah tercatat."))
        return redirect(handover_url)
    form = OfficerSurveyForm(request.POST or None, instrument=active_instrument(case.office), office=case.office)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey_record_by_officer(
                case=case, actor=request.user, mode=response_mode, data=data, answered_on=data["answered_on"]
            )
        except InvalidFields as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except (Conflict, PermissionDenied) as exc:
            messages.error(request, exc.message)
            return redirect(handover_url)
        else:
            messages.success(request, _("Survei %(number)s tercatat.") % {"number": case.registration_number})
            return redirect(handover_url)
    return render(
        request,
        "backoffice/survey/entry.html",
        {"case": case, "form": form, "title": title, "assisted": response_mode == Response.Mode.ASSISTED},
    )


# --- bulk import of paper surveys ---------------------------------------------------------------------------

IMPORT_ROLES = (Role.ULT_OFFICER, Role.HEAD)
# The whole file is read into memory to be checked before anything is written; 100,000 rows of CSV are
# about 6 MB.
IMPORT_MAX_BYTES = 20 * 1024 * 1024


class SkmImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas survei kertas"),
        help_text=gettext_lazy("CSV (UTF-8) atau XLSX, paling besar 20 MB, dengan kolom sesuai petunjuk di bawah."),
        error_messages={
            "required": gettext_lazy("Pilih berkas CSV atau XLSX"),
            "empty": gettext_lazy("Berkas kosong. Pilih berkas lain."),
        },
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Impor baris yang benar walaupun ada baris yang ditolak"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Berkas lebih dari 20 MB. Bagi menjadi beberapa berkas."))
        return upload


@login_required
@never_cache
def survey_import(request):
    """Upload of typed-in paper surveys (CSV or XLSX): checked row by row, imported all or nothing unless
    the officer asks for the good rows only; the report names each refused row by its line."""
    if request.user.office_id is None or request.user.role not in IMPORT_ROLES:
        raise Http404
    form = SkmImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = skm_import(
                office=request.user.office,
                content=upload.read(),
                filename=upload.name,
                actor=request.user,
                skip_invalid=form.cleaned_data["skip_invalid"],
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
    status = 400 if form.errors else 200
    return render(
        request,
        "backoffice/survey/import.html",
        {"form": form, "report": report, "columns": ",".join(COLUMNS)},
        status=status,
    )
