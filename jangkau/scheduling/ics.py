"""An appointment as a calendar file (iCalendar), for the officers who go and for the requester.

A calendar is synced to phones and servers beyond the office's control, so neither version carries the
requester's identity number, phone or address: the officers' names the service, the mode, the team and what
to prepare; the requester's names the office, the service and the mode, and says the service is free.
"""

from __future__ import annotations

from datetime import UTC, timedelta

import icalendar
from django.utils.translation import gettext as _

from jangkau.cases.vocabulary import Accommodation, DeliveryMode, label_of
from jangkau.core import clock
from jangkau.core.downloads import attachment_response

from .models import Appointment

# How long an appointment lasts in the calendar: the service keeps only its start.
APPOINTMENT_LENGTH = timedelta(hours=1)


def _staff_description(appointment: Appointment) -> str:
    lines = [_("Cara layanan: %(mode)s") % {"mode": label_of(DeliveryMode, appointment.mode)}]
    officers = appointment.officers.order_by("first_name", "last_name", "username")
    if officers:
        lines.append(_("Petugas: %(names)s") % {"names": ", ".join(str(user) for user in officers)})
    if appointment.accommodations:
        labels = ", ".join(label_of(Accommodation, code) for code in appointment.accommodations)
        lines.append(_("Akomodasi yang disiapkan: %(items)s") % {"items": labels})
    return "\n".join(lines)


def _requester_description(appointment: Appointment) -> str:
    return "\n".join(
        [
            _("Cara layanan: %(mode)s") % {"mode": label_of(DeliveryMode, appointment.mode)},
            _("Nomor registrasi: %(number)s") % {"number": appointment.case.registration_number},
            _("Layanan ini gratis, termasuk pengiriman dokumen."),
        ]
    )


def appointment_ics(appointment: Appointment, *, host: str, for_requester: bool = False) -> bytes:
    """Returns the appointment as an iCalendar file; ``host`` makes its UID unique across installations.

    The UID is stable per appointment, so a re-download updates the same calendar entry and a reschedule is
    a new one.
    """
    case = appointment.case
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Jangkau//Jadwal layanan//ID")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", f"janji-{appointment.pk}-{case.registration_number}@{host or 'jangkau'}")
    event.add("dtstamp", clock.now())
    event.add("dtstart", appointment.starts_at.astimezone(UTC))
    event.add("dtend", (appointment.starts_at + APPOINTMENT_LENGTH).astimezone(UTC))
    service = case.service_type.display_name
    if for_requester:
        event.add(
            "summary", _("Layanan %(service)s dari %(office)s") % {"service": service, "office": case.office.name}
        )
        event.add("description", _requester_description(appointment))
    else:
        event.add(
            "summary", _("Layanan %(number)s: %(service)s") % {"number": case.registration_number, "service": service}
        )
        event.add("description", _staff_description(appointment))
    if appointment.place:
        event.add("location", appointment.place)
    calendar.add_component(event)
    return calendar.to_ical()


def appointment_download(appointment: Appointment, request, *, for_requester: bool = False):
    """Returns the appointment's calendar file as a download named after the case, for any interface."""
    content = appointment_ics(appointment, host=request.get_host().split(":")[0], for_requester=for_requester)
    filename = f"jadwal-{appointment.case.registration_number}.ics"
    return attachment_response(content, "text/calendar; charset=utf-8", filename)
