"""Forms of the SOP monitoring table and the follow-up actions (RTL). They only read the answers; the rules
are ``jangkau.reports.monitoring``'s and ``jangkau.reports.followups``'s, whose errors come back keyed by the
same field names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jangkau.cases.sla_report import STEP_NUMBERS
from jangkau.reports.followups import TEXT_MAX, TITLE_MAX, owner_choices
from jangkau.reports.models import FollowUpAction
from jangkau.reports.monitoring import EARLIEST, LATEST, NOTES_MAX, MonitoringInput, MonitoringRow

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
DATE_HINT = _("Tulis tanggal/bulan/tahun, contoh: 31/01/2025.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


def date_field(label, *, required=True, missing=None, help_text=DATE_HINT):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages={
            "required": missing or _("Masukkan tanggal"),
            "invalid": _("Tanggal tidak dikenali. Tulis tanggal yang benar, misalnya 31/01/2025."),
        },
    )


def _check_years(form: forms.Form, names) -> None:
    for name in names:
        value = form.cleaned_data.get(name)
        if value and not EARLIEST <= value <= LATEST:
            form.add_error(
                name,
                _("Tanggal harus antara tahun %(first)s dan %(last)s.") % {"first": EARLIEST.year, "last": LATEST.year},
            )


class PeriodForm(forms.Form):
    """The evaluation period, read from the query string ``?from=YYYY-MM-DD&to=YYYY-MM-DD``."""

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["from"] = date_field(_("Periode mulai tanggal berapa?"), missing=_("Masukkan tanggal awal periode"))
        self.fields["to"] = date_field(_("Sampai tanggal berapa?"), missing=_("Masukkan tanggal akhir periode"))

    def clean(self):
        cleaned = super().clean()
        _check_years(self, ("from", "to"))
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start and not self.has_error("to"):
            self.add_error("to", _("Tanggal akhir periode harus sama dengan atau sesudah tanggal awal."))
        return cleaned

    @property
    def period(self):
        return self.cleaned_data["from"], self.cleaned_data["to"]


ASSESSMENT_CHOICES = [
    ("baik", _("Berjalan dengan baik")),
    ("tidak", _("Tidak berjalan dengan baik")),
    ("belum", _("Belum dapat dinilai (tidak ada kegiatan)")),
]
TO_BOOL = {"baik": True, "tidak": False, "belum": None}
FROM_BOOL = {value: key for key, value in TO_BOOL.items()}


class MonitoringForm(forms.Form):
    """The eight rows of the monitoring table: per step the assessment, the notes and the action to take.

    Field names are ``step_<n>_ran_well``, ``step_<n>_notes`` and ``step_<n>_action_to_take``, the keys of
    the service's errors.
    """

    def __init__(self, data=None, *, rows: list[MonitoringRow]):
        initial = {}
        for row in rows:
            initial[f"step_{row.no}_ran_well"] = FROM_BOOL[row.ran_well]
            initial[f"step_{row.no}_notes"] = row.notes
            initial[f"step_{row.no}_action_to_take"] = row.action_to_take
        super().__init__(data, initial=initial)
        self.rows = rows
        for row in rows:
            self.fields[f"step_{row.no}_ran_well"] = forms.ChoiceField(
                label=_("Penilaian terhadap penerapan langkah %(no)s") % {"no": row.no},
                choices=ASSESSMENT_CHOICES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Pilih penilaian langkah %(no)s") % {"no": row.no},
                    "invalid_choice": _("Pilih penilaian langkah %(no)s dari pilihan yang ada") % {"no": row.no},
                },
            )
            self.fields[f"step_{row.no}_notes"] = forms.CharField(
                label=_("Catatan hasil penilaian langkah %(no)s") % {"no": row.no},
                required=False,
                max_length=NOTES_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"step_{row.no}_action_to_take"] = forms.CharField(
                label=_("Tindakan yang harus diambil untuk langkah %(no)s") % {"no": row.no},
                help_text=_("Wajib diisi bila langkah tidak berjalan dengan baik."),
                required=False,
                max_length=NOTES_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def step_groups(self):
        """Returns, per row, the row and its three bound fields, for the template."""
        return [
            (
                row,
                self[f"step_{row.no}_ran_well"],
                self[f"step_{row.no}_notes"],
                self[f"step_{row.no}_action_to_take"],
            )
            for row in self.rows
        ]

    def entries(self) -> list[MonitoringInput]:
        """Returns the answers for ``monitoring_save_all``; call only on a valid form."""
        data = self.cleaned_data
        return [
            MonitoringInput(
                step_no=no,
                ran_well=TO_BOOL[data[f"step_{no}_ran_well"]],
                notes=data[f"step_{no}_notes"],
                action_to_take=data[f"step_{no}_action_to_take"],
            )
            for no in STEP_NUMBERS
        ]


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.get_role_display()})"


STEP_CHOICES = [("", _("Tidak terkait langkah tertentu"))] + [
    (str(no), _("Langkah %(no)s") % {"no": no}) for no in STEP_NUMBERS
]


class FollowUpForm(forms.Form):
    """A new follow-up action (RTL). The owner is chosen from the office's active staff."""

    title = forms.CharField(
        label=_("Apa judul tindak lanjut ini?"),
        help_text=_("Singkat, contoh: Tambah petugas juru bahasa isyarat."),
        max_length=TITLE_MAX,
        error_messages={"required": _("Tuliskan judul tindak lanjut")},
    )
    description = forms.CharField(
        label=_("Tindakan apa yang akan dilakukan?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tuliskan tindakan yang akan dilakukan")},
    )
    owner = StaffChoice(
        label=_("Siapa penanggung jawabnya?"),
        queryset=FollowUpAction.objects.none(),
        empty_label=_("Pilih penanggung jawab"),
        error_messages={
            "required": _("Pilih penanggung jawab"),
            "invalid_choice": _("Pilih penanggung jawab dari daftar"),
        },
    )
    due_date = date_field(_("Kapan batas waktunya?"), missing=_("Masukkan batas waktu"))
    step_no = forms.TypedChoiceField(
        label=_("Langkah POS mana yang diperbaiki?"),
        choices=STEP_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Pilih langkah POS dari daftar")},
    )
    source_start = date_field(
        _("Dari evaluasi periode mulai tanggal"),
        required=False,
        help_text=_("Kosongkan bila tindak lanjut ini tidak berasal dari evaluasi berkala."),
    )
    source_end = date_field(_("Sampai tanggal"), required=False)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_choices(office)

    def clean(self):
        cleaned = super().clean()
        _check_years(self, ("due_date", "source_start", "source_end"))
        return cleaned


class StatusForm(forms.Form):
    """A new status for one action, with the note: what was done (done), why (cancelled), or progress."""

    status = forms.ChoiceField(
        label=_("Apa status tindak lanjut ini sekarang?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih status baru"),
            "invalid_choice": _("Pilih status dari pilihan yang ada"),
        },
    )
    note = forms.CharField(
        label=_("Catatan"),
        help_text=_("Wajib untuk Selesai (apa yang sudah dilakukan) dan Dibatalkan (alasannya)."),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, statuses: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(FollowUpAction.Status.choices)
        self.fields["status"].choices = [(status, labels[status]) for status in statuses]
