"""The tracking forms. They check the input the way the services do (same limits, same messages), so the
page can report every problem at once before anything is stored; the services check again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jangkau.cases import services as svc
from jangkau.cases.documents import document_check, read_upload
from jangkau.cases.intake import Text, clean_text
from jangkau.core.errors import DomainError, InvalidFields

_PLAIN = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}


class LookupForm(forms.Form):
    # A mismatch marks both fields with the same words; the error summary lists it once.
    summary_distinct_messages = True

    nomor = forms.CharField(
        label=_("Apa nomor registrasi permohonan Anda?"),
        help_text=_("Contoh: JB-2026-000123"),
        max_length=40,
        widget=forms.TextInput(attrs=_PLAIN),
        error_messages={
            "required": _("Tulis nomor registrasi"),
            "max_length": _("Nomor registrasi paling banyak 40 karakter"),
        },
    )
    kode = forms.CharField(
        label=_("Apa kode lacak Anda?"),
        help_text=_("Sepuluh huruf dan angka yang Anda terima bersama nomor registrasi, misalnya K7QM-4XPA-2R"),
        max_length=40,
        widget=forms.TextInput(attrs=_PLAIN),
        error_messages={
            "required": _("Tulis kode lacak"),
            "max_length": _("Kode lacak paling banyak 40 karakter"),
        },
    )


def _checked(value: str, spec: Text, missing=None) -> str:
    text, problem = clean_text(value, spec)
    if problem:
        raise forms.ValidationError(problem)
    if missing and not text:
        raise forms.ValidationError(missing)
    return text


def _text_area(label, help_text, missing, *, required: bool = True) -> forms.CharField:
    # No max_length: a browser would cut the text silently; the check below says how much is too much.
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": missing},
    )


class MissingDataForm(forms.Form):
    MISSING = _("Tuliskan data yang diminta petugas.")

    text = _text_area(
        _("Apa data yang diminta petugas?"),
        _("Tuliskan datanya di sini. Jika berupa dokumen, Anda juga dapat melampirkan berkasnya di bawah."),
        MISSING,
    )
    document = forms.FileField(
        label=_("Lampirkan berkas"),
        help_text=_("PDF, JPG, atau PNG, paling besar 5 MB."),
        required=False,
        error_messages={
            "empty": _("Berkas kosong. Pilih berkas lain."),
            "invalid": _("Berkas tidak terbaca. Pilih berkas lain."),
            "missing": _("Berkas tidak terbaca. Pilih berkas lain."),
        },
    )

    def clean_text(self):
        return _checked(self.cleaned_data["text"], svc.REQUESTER_TEXT, self.MISSING)

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not upload:
            return None
        content = read_upload(upload)
        try:
            document_check(field="document", filename=upload.name, content=content)
        except InvalidFields as exc:
            raise forms.ValidationError(exc.errors["document"]) from exc
        return {"filename": upload.name, "content": content}


class RescheduleRequestForm(forms.Form):
    MISSING = _("Tuliskan mengapa jadwal perlu diubah.")

    reason = _text_area(
        _("Mengapa jadwal perlu diubah?"),
        _("Misalnya: Anda sedang dirawat, atau ada keperluan lain pada hari itu."),
        MISSING,
    )
    preferred_times = forms.CharField(
        label=_("Kapan Anda dapat dilayani?"),
        help_text=_("Misalnya: Senin atau Selasa pagi, minggu depan."),
        required=False,
    )

    def clean_reason(self):
        return _checked(self.cleaned_data["reason"], svc.REQUESTER_TEXT, self.MISSING)

    def clean_preferred_times(self):
        return _checked(self.cleaned_data["preferred_times"], svc.PREFERRED_TIMES_TEXT)


class CancelForm(forms.Form):
    MISSING = _("Tuliskan alasan pembatalan.")

    reason = _text_area(
        _("Mengapa Anda membatalkan permohonan?"),
        _("Alasan Anda membantu kami memperbaiki layanan."),
        MISSING,
    )

    def clean_reason(self):
        return _checked(self.cleaned_data["reason"], svc.REQUESTER_TEXT, self.MISSING)


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Shows a service's refusal on the form: beside the field it names, or above the form."""
    errors = exc.errors if isinstance(exc, InvalidFields) else {None: exc.message}
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)
