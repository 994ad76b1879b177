"""The evaluation's period picker: a GET form choosing a month, a quarter, a semester or a year (kind + year
+ number), or any dates (``from`` and ``to``, the same names the monitoring page and the API use).

An address without any of them (the menu link) means the current quarter in office time; an address with
only ``from`` and ``to`` (the monitoring page's link back) means those dates.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from jangkau.reports.evaluation import Period, PeriodError, PeriodKind, custom_period, period_of, quarter_containing

from .recap_forms import DateInput

# PeriodError's field names -> this form's.
FIELDS = {"kind": "kind", "year": "year", "number": "number", "date_from": "from", "date_to": "to"}


def _date_field(label, invalid):
    return forms.DateField(
        label=label,
        required=False,
        # The date picker sends YYYY-MM-DD; a browser without one shows a text box where people type 31/01/2025.
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
        widget=DateInput(),
        error_messages={"invalid": invalid},
    )


class EvaluationPeriodForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Periode apa?"),
        choices=PeriodKind.choices,
        widget=forms.RadioSelect(attrs={"class": "intake-choices"}),
        error_messages={
            "required": _("Pilih jenis periode."),
            "invalid_choice": _("Pilih bulan, triwulan, semester, tahun, atau tanggal tertentu."),
        },
    )
    year = forms.IntegerField(
        label=_("Tahun berapa?"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input--number", "autocomplete": "off"}),
        error_messages={"invalid": _("Tulis tahun dengan empat angka, misalnya 2025.")},
    )
    number = forms.IntegerField(
        label=_("Bulan, triwulan, atau semester ke berapa?"),
        help_text=_("Bulan 1 sampai 12, triwulan 1 sampai 4, semester 1 atau 2. Kosongkan untuk satu tahun penuh."),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input--number", "autocomplete": "off"}),
        error_messages={"invalid": _("Tulis angka, misalnya 4 untuk triwulan IV.")},
    )

    def __init__(self, data, *, today: date):
        data = data.copy()
        if not any(name in data for name in ("kind", "year", "number", "from", "to")):
            current = quarter_containing(today)
            data.update({"kind": current.kind, "year": str(current.year), "number": str(current.number)})
        elif "kind" not in data and ("from" in data or "to" in data):
            data["kind"] = PeriodKind.CUSTOM
        super().__init__(data)
        # "from" is a Python keyword: these two fields cannot be declared as class attributes.
        self.fields["from"] = _date_field(
            _("Dari tanggal berapa?"), _("Tanggal awal tidak dikenali. Tulis tanggal yang benar, misalnya 01/10/2025.")
        )
        self.fields["to"] = _date_field(
            _("Sampai tanggal berapa?"),
            _("Tanggal akhir tidak dikenali. Tulis tanggal yang benar, misalnya 31/12/2025."),
        )
        for name in ("from", "to"):
            self.fields[name].widget.attrs["class"] = "input--date"

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not kind or self.errors:
            return cleaned
        try:
            if kind == PeriodKind.CUSTOM:
                cleaned["period"] = custom_period(cleaned.get("from"), cleaned.get("to"))
            else:
                if cleaned.get("year") is None:
                    raise PeriodError("year", _("Isi tahun, misalnya 2025."))
                cleaned["period"] = period_of(kind, cleaned["year"], cleaned.get("number"))
        except PeriodError as error:
            self.add_error(FIELDS.get(error.field, "kind"), error.message)
        return cleaned

    def period(self) -> Period:
        """The chosen period; call only on a valid form."""
        return self.cleaned_data["period"]
