"""The recap's filter form: a GET form whose answers become :class:`jangkau.cases.recap.RecapFilters`."""

from datetime import date

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jangkau.accounts.models import Role, User
from jangkau.cases.models import Channel, Status
from jangkau.cases.recap import RecapFilters
from jangkau.cases.vocabulary import Vulnerability

ALL = ("", _("Semua"))
# Dates outside these years are typing mistakes, and would not fit a time-zone conversion either.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def check_period(form: forms.Form, cleaned: dict) -> None:
    """Adds the errors of a period's ``date_from`` and ``date_to`` to ``form``: each within EARLIEST..LATEST
    (a year outside is a typing mistake), and the end not before the start."""
    for name, label in (("date_from", _("awal")), ("date_to", _("akhir"))):
        value = cleaned.get(name)
        if value and not EARLIEST <= value <= LATEST:
            form.add_error(
                name,
                _("Tanggal %(which)s harus antara tahun %(first)s dan %(last)s.")
                % {"which": label, "first": EARLIEST.year, "last": LATEST.year},
            )
    start, end = cleaned.get("date_from"), cleaned.get("date_to")
    if start and end and end < start and not form.has_error("date_to"):
        form.add_error("date_to", _("Tanggal akhir harus sama dengan atau sesudah tanggal awal."))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


def _date_field(label, invalid):
    return forms.DateField(
        label=label,
        required=False,
        # The date picker sends YYYY-MM-DD; a browser without one shows a text box where people type 31/01/2025.
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
        widget=DateInput(),
        error_messages={"invalid": invalid},
    )


class RecapFilterForm(forms.Form):
    """Every question is optional: left empty, it does not narrow the recap.

    Choices come from the vocabularies and from the user's office (its services and its officers), so a
    code or an officer of another office is refused like any unknown value.
    """

    date_from = _date_field(
        _("Diajukan sejak tanggal berapa?"),
        _("Tanggal awal tidak dikenali. Tulis tanggal yang benar, misalnya 31/01/2025."),
    )
    date_to = _date_field(
        _("Sampai tanggal berapa?"),
        _("Tanggal akhir tidak dikenali. Tulis tanggal yang benar, misalnya 31/01/2025."),
    )
    vulnerability = forms.ChoiceField(
        label=_("Kelompok rentan mana?"),
        required=False,
        choices=[ALL, *Vulnerability.choices],
        error_messages={"invalid_choice": _("Pilih kelompok rentan dari daftar.")},
    )
    channel = forms.ChoiceField(
        label=_("Lewat saluran apa?"),
        required=False,
        choices=[ALL, *Channel.choices],
        error_messages={"invalid_choice": _("Pilih saluran dari daftar.")},
    )
    service_type = forms.ChoiceField(
        label=_("Jenis layanan apa?"),
        required=False,
        error_messages={"invalid_choice": _("Pilih jenis layanan dari daftar.")},
    )
    status = forms.ChoiceField(
        label=_("Status apa?"),
        required=False,
        choices=[ALL, *Status.choices],
        error_messages={"invalid_choice": _("Pilih status dari daftar.")},
    )
    officer = forms.ChoiceField(
        label=_("Dipegang petugas siapa?"),
        required=False,
        error_messages={"invalid_choice": _("Pilih petugas dari daftar.")},
    )

    def __init__(self, data, *, office):
        super().__init__(data)
        services = office.service_types.order_by("name")
        self.fields["service_type"].choices = [ALL, *((s.code, s.display_name) for s in services)]
        # ULT officers hold cases; anyone else who holds one of the office's cases (a head who took one
        # over) is listed too, so every holder can be chosen.
        officers = (
            User.objects.filter(office=office)
            .filter(Q(role=Role.ULT_OFFICER) | Q(assigned_cases__office=office))
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["officer"].choices = [ALL, *((str(u.pk), str(u)) for u in officers)]

    def clean(self):
        cleaned = super().clean()
        check_period(self, cleaned)
        return cleaned

    def filters(self) -> RecapFilters:
        """Returns the answers as filters; call only on a valid form."""
        data = self.cleaned_data
        return RecapFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            vulnerability=data["vulnerability"],
            channel=data["channel"],
            service_type=data["service_type"],
            status=data["status"],
            officer=int(data["officer"]) if data["officer"] else None,
        )
