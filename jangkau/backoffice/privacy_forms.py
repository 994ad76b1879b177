"""Forms of the data-subject request pages. They only ask and shape the answers; the rules (what is a NIK,
which cases may be attached, what may be corrected) are ``jangkau.privacy.services``'s."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy

from jangkau.cases.models import Channel
from jangkau.privacy.models import RequestKind, RequestStatus

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
TIME_FORMATS = ["%H.%M", "%H:%M"]


def _text(label, *, help_text="", required=False, max_length=200, missing="", autocomplete="off", **attrs):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=max_length,
        error_messages={"required": missing} if missing else {},
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, "spellcheck": "false", **attrs}),
    )


def _area(label, *, help_text="", required=False, missing="", max_length=2000, rows=3):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=max_length,
        error_messages={"required": missing} if missing else {},
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _when(field_class, label, *, help_text, input_formats, missing, invalid):
    """A date or a time typed as digits (``forms.DateField`` or ``forms.TimeField``)."""
    return field_class(
        label=label,
        help_text=help_text,
        input_formats=input_formats,
        error_messages={"required": missing, "invalid": invalid},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "input--date"}),
    )


class SubjectRequestForm(forms.Form):
    """A request as received, and how to find the person's cases. Searching and recording are two buttons
    of the same form, so a NIK typed once travels in the POST body only, never in a URL."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Apa yang diminta?"),
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Pilih jenis permintaan")},
    )
    received_on = _when(
        forms.DateField,
        gettext_lazy("Tanggal permintaan diterima"),
        help_text=gettext_lazy("Tulis tanggal/bulan/tahun, contoh: 15/12/2026. Boleh lebih awal dari hari ini."),
        input_formats=DATE_FORMATS,
        missing=gettext_lazy("Tuliskan tanggal permintaan diterima"),
        invalid=gettext_lazy("Tuliskan tanggal seperti 15/12/2026"),
    )
    received_time = _when(
        forms.TimeField,
        gettext_lazy("Jam permintaan diterima"),
        help_text=gettext_lazy("Contoh: 09.30. Batas waktu 3 × 24 jam dihitung dari saat ini."),
        input_formats=TIME_FORMATS,
        missing=gettext_lazy("Tuliskan jam permintaan diterima"),
        invalid=gettext_lazy("Tuliskan jam seperti 09.30"),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Lewat saluran apa permintaan diterima?"),
        choices=[("", gettext_lazy("Pilih saluran")), *Channel.choices],
        error_messages={"required": gettext_lazy("Pilih saluran permintaan")},
    )
    requester_name = _text(
        gettext_lazy("Nama pemohon"),
        help_text=gettext_lazy("Seperti yang disebutkan pemohon."),
        required=True,
        missing=gettext_lazy("Tulis nama pemohon"),
    )
    identity_check = _area(
        gettext_lazy("Bagaimana identitas pemohon diperiksa?"),
        help_text=gettext_lazy("Contoh: KTP asli dicocokkan dengan data kasus; kuasa dengan surat kuasa bermeterai."),
        required=True,
        missing=gettext_lazy("Tulis bagaimana identitas pemohon diperiksa"),
    )
    details = _area(gettext_lazy("Isi permintaan"), help_text=gettext_lazy("Apa yang diminta, dengan kata pemohon."))
    reply_to = _text(
        gettext_lazy("Ke mana jawaban dikirim?"),
        help_text=gettext_lazy("Contoh: diambil langsung, atau alamat surel pemohon."),
        max_length=300,
    )
    nik = _text(
        gettext_lazy("NIK pemohon"),
        help_text=gettext_lazy("16 angka. Dicari lewat sidik kunci, tidak disimpan pada permintaan."),
        max_length=40,
        inputmode="numeric",
    )
    phone = _text(
        gettext_lazy("Nomor telepon pemohon"),
        help_text=gettext_lazy("Contoh: 0812 3456 7890."),
        max_length=40,
        inputmode="tel",
    )
    name = _text(
        gettext_lazy("Nama lengkap pada permohonan"),
        help_text=gettext_lazy("Dicocokkan utuh, tanpa membedakan huruf besar dan kecil."),
    )
    cases = forms.MultipleChoiceField(
        label=gettext_lazy("Kasus milik pemohon"),
        help_text=gettext_lazy("Hapus centang kasus yang ternyata milik orang lain."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The keyed hash of the criteria the shown cases were found with: recording with other criteria than
    # those searched shows the new search first instead.
    searched = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, case_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = list(case_choices)

    def received_at(self, time_zone: str) -> datetime:
        data = self.cleaned_data
        return datetime.combine(data["received_on"], data["received_time"], tzinfo=ZoneInfo(time_zone))


class ExportForm(forms.Form):
    include_internal_notes = forms.BooleanField(
        label=gettext_lazy("Sertakan catatan internal petugas (sudah saya periksa tidak memuat data orang lain)"),
        required=False,
    )
    format = forms.ChoiceField(choices=[("json", "JSON"), ("pdf", "PDF")])


class CorrectionForm(forms.Form):
    """Only the fields filled in change; the cases ticked are corrected together."""

    cases = forms.MultipleChoiceField(
        label=gettext_lazy("Kasus mana yang diperbaiki?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Pilih paling sedikit satu kasus")},
    )
    requester_name = _text(gettext_lazy("Nama lengkap yang benar"))
    id_number = _text(
        gettext_lazy("NIK atau nomor identitas yang benar"),
        help_text=gettext_lazy("NIK diperiksa strukturnya (16 angka, kode wilayah, tanggal lahir)."),
        max_length=40,
        inputmode="numeric",
    )
    phone = _text(gettext_lazy("Nomor telepon yang benar"), max_length=40, inputmode="tel")
    email = _text(gettext_lazy("Surel yang benar"), max_length=254, inputmode="email")
    address = _area(gettext_lazy("Alamat yang benar"), max_length=1000)
    area = _text(gettext_lazy("Wilayah yang benar"), help_text=gettext_lazy("Kecamatan atau kabupaten/kota."))

    CHANGEABLE = ("requester_name", "id_number", "phone", "email", "address", "area")

    def __init__(self, *args, case_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = list(case_choices)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CHANGEABLE if self.cleaned_data.get(name)}


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Saya sudah memastikan semua kasus di atas milik pemohon dan penghapusan ini tidak dapat dibatalkan"
        ),
        error_messages={"required": gettext_lazy("Centang konfirmasi untuk menghapus data pribadi")},
    )
    outcome = _area(gettext_lazy("Catatan jawaban kepada pemohon"))


class CloseForm(forms.Form):
    """The answer: done (with what was done) or refused (with the reason)."""

    status = forms.ChoiceField(
        label=gettext_lazy("Apa jawabannya?"),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Pilih jawaban")},
    )
    outcome = _area(gettext_lazy("Apa yang dilakukan atau disampaikan kepada pemohon?"))
    refused_reason = _area(
        gettext_lazy("Alasan penolakan"),
        help_text=gettext_lazy("Wajib bila ditolak. Contoh: akses akan mengungkap data pribadi orang lain (Pasal 33)."),
    )

    def __init__(self, *args, statuses=(RequestStatus.DONE, RequestStatus.REFUSED), **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            RequestStatus.DONE: gettext_lazy("Selesai: permintaan dipenuhi"),
            RequestStatus.REFUSED: gettext_lazy("Ditolak"),
        }
        self.fields["status"].choices = [(status, labels[status]) for status in statuses]
