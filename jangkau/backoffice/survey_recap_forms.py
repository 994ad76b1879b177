"""The survey recap's filter form: a GET form for the period (default: the current quarter in office time)
and, optionally, one service of the office's catalogue."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from jangkau.cases.services import office_today

from .recap_forms import DateInput, check_period

ALL = ("", _("Semua jenis layanan"))


def quarter_of(day: date) -> tuple[date, date]:
    """Returns the first and the last day of the calendar quarter holding ``day``."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    following = date(day.year + 1, 1, 1) if first_month == 10 else date(day.year, first_month + 3, 1)
    return start, following - timedelta(days=1)


def _date_field(label, required, invalid):
    return forms.DateField(
        label=label,
        # The date picker sends YYYY-MM-DD; a browser without one shows a text box where people type 31/01/2025.
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
        widget=DateInput(),
        error_messages={"required": required, "invalid": invalid},
    )


class SurveyRecapForm(forms.Form):
    """Both dates are needed; an address without either (the menu link) means the current quarter."""

    date_from = _date_field(
        _("Dari tanggal berapa?"),
        _("Isi tanggal awal periode."),
        _("Tanggal awal tidak dikenali. Tulis tanggal yang benar, misalnya 01/01/2025."),
    )
    date_to = _date_field(
        _("Sampai tanggal berapa?"),
        _("Isi tanggal akhir periode."),
        _("Tanggal akhir tidak dikenali. Tulis tanggal yang benar, misalnya 31/03/2025."),
    )
    service_type = forms.ChoiceField(
        label=_("Jenis layanan apa?"),
        required=False,
        help_text=_("Survei kertas yang diimpor tanpa nomor registrasi hanya terhitung pada semua jenis layanan."),
        error_messages={"invalid_choice": _("Pilih jenis layanan dari daftar.")},
    )

    def __init__(self, data, *, office):
        if "date_from" not in data and "date_to" not in data:
            start, end = quarter_of(office_today(office))
            data = data.copy()
            data["date_from"], data["date_to"] = start.isoformat(), end.isoformat()
        super().__init__(data)
        self.office = office
        services = office.service_types.order_by("name")
        self.fields["service_type"].choices = [ALL, *((s.code, s.display_name) for s in services)]

    def clean(self):
        cleaned = super().clean()
        check_period(self, cleaned)
        return cleaned

    def period(self) -> dict:
        """Returns ``start``, ``end`` and ``service_type`` (a ServiceType or None); call on a valid form."""
        data = self.cleaned_data
        code = data["service_type"]
        return {
            "start": data["date_from"],
            "end": data["date_to"],
            "service_type": self.office.service_types.get(code=code) if code else None,
        }
