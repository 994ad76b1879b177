"""Absences and assignment letters (surat penugasan) in the back office.

The head records an officer's absence (the officer's open cases move to a colleague, and a numbered letter
lists them), downloads the letter to sign, and uploads the signed scan. Heads and administrators see every
absence of the office; other staff see the ones that concern them (as the absent officer or the delegate).
The rules are ``jangkau.scheduling.absences``'s; these views only ask and show.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from jangkau.accounts.models import Role, User
from jangkau.cases.documents import read_upload
from jangkau.core.errors import DomainError, InvalidFields
from jangkau.scheduling.absences import REASON_MAX, absence_record, letter_attach_signed_scan
from jangkau.scheduling.letters import assignment_letter_pdf
from jangkau.scheduling.models import Absence, AssignmentLetter

SUPERVISORS = {Role.HEAD, Role.ADMIN}
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def _date(label, missing):
    return forms.DateField(
        label=label,
        help_text=gettext_lazy("Tulis tanggal/bulan/tahun, contoh: 15/12/2026."),
        input_formats=DATE_FORMATS,
        error_messages={"required": missing, "invalid": gettext_lazy("Tuliskan tanggal seperti 15/12/2026")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "input--date"}),
    )


class OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class AbsenceForm(forms.Form):
    """What the head writes on the assignment letter; choices are the ULT officers of the head's office."""

    officer = OfficerChoice(
        label=gettext_lazy("Petugas ULT mana yang tidak hadir?"),
        queryset=User.objects.none(),
        empty_label=gettext_lazy("Pilih petugas"),
        error_messages={
            "required": gettext_lazy("Pilih petugas yang tidak hadir"),
            "invalid_choice": gettext_lazy("Pilih petugas dari daftar"),
        },
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Mengapa petugas tidak hadir?"),
        choices=Absence.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Pilih jenis ketidakhadiran")},
    )
    starts_on = _date(gettext_lazy("Mulai tanggal berapa?"), gettext_lazy("Tuliskan tanggal mulai"))
    ends_on = _date(gettext_lazy("Sampai tanggal berapa?"), gettext_lazy("Tuliskan tanggal selesai"))
    delegate = OfficerChoice(
        label=gettext_lazy("Siapa yang menggantikan?"),
        help_text=gettext_lazy("Semua permohonan terbuka petugas yang tidak hadir dialihkan kepada petugas ini."),
        queryset=User.objects.none(),
        empty_label=gettext_lazy("Pilih petugas pengganti"),
        error_messages={
            "required": gettext_lazy("Pilih petugas pengganti"),
            "invalid_choice": gettext_lazy("Pilih petugas pengganti dari daftar"),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Apa alasan penugasan ini?"),
        help_text=gettext_lazy(
            "Ditulis di surat penugasan. Contoh: cuti tahunan; permohonan tetap dilayani tepat waktu."
        ),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Tuliskan alasan penugasan")},
    )

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        officers = User.objects.filter(office=office, role=Role.ULT_OFFICER).order_by("first_name", "username")
        self.fields["officer"].queryset = officers
        self.fields["delegate"].queryset = officers.filter(is_active=True)


class SignedScanForm(forms.Form):
    signed_scan = forms.FileField(
        label=gettext_lazy("Pindaian surat yang sudah ditandatangani"),
        help_text=gettext_lazy("PDF, JPG, atau PNG, paling besar 5 MB."),
        error_messages={
            "required": gettext_lazy("Pilih berkas pindaian surat"),
            "empty": gettext_lazy("Berkas kosong. Pilih berkas lain."),
        },
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )


def _forbidden(request):
    return render(request, "backoffice/absence/forbidden.html", status=403)


def _is_head(user) -> bool:
    return user.office_id is not None and user.role == Role.HEAD


def _letters_for(user):
    letters = AssignmentLetter.objects.filter(office_id=user.office_id).select_related(
        "absence", "from_officer", "to_officer", "signer"
    )
    if user.role not in SUPERVISORS:
        letters = letters.filter(Q(from_officer=user) | Q(to_officer=user))
    return letters


@never_cache
@login_required
def absence_list(request):
    """The office's absences with their assignment letters: period, who stands in, how many cases moved, the
    letter to download and whether its signed scan is in."""
    if request.user.office_id is None:
        raise Http404
    letters = _letters_for(request.user).prefetch_related("cases")
    return render(request, "backoffice/absence/list.html", {"letters": letters, "is_head": _is_head(request.user)})


@login_required
def absence_new(request):
    """One page: the head records who is away, why, when, and who takes over their open cases."""
    if not _is_head(request.user):
        return _forbidden(request)
    office = request.user.office
    form = AbsenceForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _absence, letter = absence_record(
                office=office,
                officer=data["officer"],
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                delegate=data["delegate"],
                reason=data["reason"],
                actor=request.user,
            )
        except InvalidFields as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Ketidakhadiran tercatat. Surat penugasan %(number)s dibuat; %(count)s permohonan dialihkan.")
                % {"number": letter.number, "count": letter.cases.count()},
            )
            return redirect("backoffice:absences")
    return render(request, "backoffice/absence/form.html", {"form": form})


@never_cache
@login_required
def letter_pdf(request, pk: int):
    """The assignment letter to print and sign."""
    letter = get_object_or_404(_letters_for(request.user), pk=pk)
    response = HttpResponse(assignment_letter_pdf(letter), content_type="application/pdf")
    filename = "surat-penugasan-" + letter.number.replace("/", "-") + ".pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def letter_upload(request, pk: int):
    """The head uploads the scan of the signed letter."""
    if not _is_head(request.user):
        return _forbidden(request)
    letter = get_object_or_404(_letters_for(request.user), pk=pk)
    form = SignedScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["signed_scan"]
        try:
            letter_attach_signed_scan(
                letter=letter, filename=upload.name, content=read_upload(upload), actor=request.user
            )
        except InvalidFields as exc:
            for message in exc.errors.values():
                form.add_error("signed_scan", message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Pindaian surat %(number)s tersimpan.") % {"number": letter.number})
            return redirect("backoffice:absences")
    return render(request, "backoffice/absence/upload.html", {"form": form, "letter": letter})
