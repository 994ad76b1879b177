"""The case dossier for the archive (``cases.dossier``): one PDF with the case's whole history.

Who may download it. Every staff role of the case's office may open the case page and the recap (ULT
officers work the case, Tim PPID prepares its result, the head evaluates it, the administrator keeps the
archive), so every role may download the masked dossier. The unmasked one holds what the personal-data page
shows, so it follows that page's rule: any active staff member of the office, only by stating a purpose,
and the download is logged exactly like a personal-data view. Another office's case answers 404, as the case
page does, so its number cannot even be confirmed to exist.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from jangkau.cases.dossier import NOTHING_TO_UNMASK, PURPOSE_MAX_LENGTH, dossier_export
from jangkau.cases.models import Case
from jangkau.core.downloads import attachment_response
from jangkau.core.errors import DomainError, InvalidFields


class DossierPurposeForm(forms.Form):
    """Why the staff member needs the dossier without masking; kept in the audit trail with who and when."""

    use_required_attribute = False

    purpose = forms.CharField(
        label=_("Untuk apa Anda memerlukan berkas kasus tanpa samaran?"),
        help_text=_(
            "Contoh: permintaan salinan data oleh pemohon sendiri. Berkas ini memuat nomor identitas, kontak, "
            "alamat, dan keterangan disabilitas pemohon. Setiap unduhan dicatat: siapa, kapan, dan untuk apa."
        ),
        max_length=PURPOSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Tuliskan keperluan membuka data pribadi"),
            "max_length": _("Tuliskan paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."),
        },
    )


def _office_case(request, registration_number: str) -> Case:
    """Returns the case of the user's office with this number; Http404 for any other."""
    # U+0000 (a "%00" in the address) is in no number, and PostgreSQL refuses it in a query.
    if request.user.office_id is None or "\x00" in registration_number:
        raise Http404
    return get_object_or_404(
        Case.objects.select_related("office"), office_id=request.user.office_id, registration_number=registration_number
    )


def _nothing_to_unmask(request, case: Case, message: str):
    messages.error(request, message)
    return redirect("backoffice:case_detail", registration_number=case.registration_number)


def _download(export):
    return attachment_response(export.content, export.content_type, export.filename)


@never_cache
@login_required
def case_dossier_pdf(request, registration_number):
    """The masked dossier as a PDF download; each download is recorded in the audit trail."""
    case = _office_case(request, registration_number)
    return _download(dossier_export(case=case, actor=request.user))


@never_cache
@login_required
def case_dossier_unmasked(request, registration_number):
    """The question of purpose (GET), and the unmasked dossier in answer to it (POST), logged like a
    personal-data view. Wrong answers come back beside the field."""
    case = _office_case(request, registration_number)
    if case.anonymised_at is not None:
        return _nothing_to_unmask(request, case, str(NOTHING_TO_UNMASK))
    form = DossierPurposeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            export = dossier_export(case=case, actor=request.user, unmasked=True, purpose=form.cleaned_data["purpose"])
        except InvalidFields as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except DomainError as exc:
            # Anonymised meanwhile: nothing is left to unmask.
            return _nothing_to_unmask(request, case, exc.message)
        else:
            return _download(export)
    return render(request, "backoffice/case/dossier_unmasked.html", {"case": case, "form": form})
