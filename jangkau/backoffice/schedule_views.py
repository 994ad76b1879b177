"""The scheduled users of one day (the POS step 4 output "daftar pengguna terjadwal secara daring").

Officers open it to plan their day: each current appointment of their office that day, in time order, with
who goes, what to prepare and the calendar file. It names the requester as the queue does; their contact
details and address stay behind the case page's logged personal-data view.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from jangkau.accounts.models import User
from jangkau.cases.models import Status
from jangkau.cases.vocabulary import Accommodation, DeliveryMode, label_of
from jangkau.core import clock
from jangkau.offices.calendar import calendar_for
from jangkau.scheduling.models import Appointment

from .recap_forms import EARLIEST, LATEST

# The URL's own format first (the previous/next links and the browser's date field send it), then the
# way officers write dates elsewhere in the back office.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


class DayForm(forms.Form):
    use_required_attribute = False

    tanggal = forms.DateField(
        label=_("Jadwal tanggal berapa?"),
        help_text=_("Tulis tanggal/bulan/tahun, contoh: 15/12/2026. Bila dikosongkan, jadwal hari ini."),
        input_formats=DATE_FORMATS,
        required=False,
        error_messages={"invalid": _("Tuliskan tanggal seperti 15/12/2026")},
        # A text field as on the scheduling form: typed the same way everywhere, with or without a date picker.
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"inputmode": "numeric", "autocomplete": "off", "class": "input--date"}
        ),
    )

    def clean_tanggal(self):
        # A year outside these is a typing mistake, and the day before or after it would not exist.
        day = self.cleaned_data["tanggal"]
        if day and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(
                _("Tanggal harus antara tahun %(first)s dan %(last)s.") % {"first": EARLIEST.year, "last": LATEST.year}
            )
        return day


def _day_url(day: date) -> str:
    return f"{reverse('backoffice:schedule')}?{urlencode({'tanggal': day.isoformat()})}"


@never_cache
@login_required
def schedule_day(request):
    """The office's current appointments of ``?tanggal=`` (today in the office's time zone when absent), in
    time order. A date that cannot be read is shown as an error beside the date field, with no list."""
    office = request.user.office
    if office is None:
        raise Http404
    tz = calendar_for(office).tz
    today = clock.now().astimezone(tz).date()
    form = DayForm(request.GET or None, initial={"tanggal": today})
    day = today
    if form.is_bound and form.is_valid():
        day = form.cleaned_data["tanggal"] or today
    context = {"form": form, "day": day, "today": today, "time_zone": tz}
    if form.errors:
        return render(request, "backoffice/schedule/day.html", context)
    start = datetime.combine(day, datetime.min.time(), tz)
    appointments = (
        Appointment.objects.filter(
            case__office=office,
            superseded_at__isnull=True,
            starts_at__gte=start,
            # The next midnight, not +24 h: a day with a clock change would otherwise gain or lose an hour.
            starts_at__lt=datetime.combine(day + timedelta(days=1), datetime.min.time(), tz),
        )
        # A case the requester withdrew keeps its appointment row, but nobody goes.
        .exclude(case__status=Status.CANCELLED)
        .select_related("case", "case__service_type")
        .prefetch_related(Prefetch("officers", queryset=User.objects.order_by("first_name", "last_name", "username")))
        .order_by("starts_at", "pk")
    )
    rows = [
        {
            "appointment": appointment,
            "case": appointment.case,
            "mode": label_of(DeliveryMode, appointment.mode),
            "officers": list(appointment.officers.all()),
            "accommodations": [label_of(Accommodation, code) for code in appointment.accommodations],
        }
        for appointment in appointments
    ]
    context |= {
        "rows": rows,
        "previous_url": _day_url(day - timedelta(days=1)),
        "next_url": _day_url(day + timedelta(days=1)),
        "today_url": _day_url(today),
    }
    return render(request, "backoffice/schedule/day.html", context)
