"""Which messages a case's actions and its clock send, to whom, with which facts.

``on_case_action`` is called by ``cases.services`` inside every action's transaction, right after the
action's audit event; the event's id makes each message's key, so an action repeated (data asked for a
second time, a second reschedule) is a new message while the same action never sends twice.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from jangkau.accounts.models import Role
from jangkau.cases.models import Case, RequesterNotice, Status
from jangkau.cases.vocabulary import DeliveryMode, NotifyChannel, label_of
from jangkau.core import clock
from jangkau.portal.links import tracking_url
from jangkau.scheduling.selectors import current_appointment

from .emit import absolute, heads_of, moment_text, notify_staff, office_staff, queue_message
from .models import Channel

# Case action -> the requester's event.
REQUESTER_EVENTS = {
    "submit": "received",
    "request_info": "info_requested",
    "accept": "accepted",
    "reject": "rejected",
    "extend_information_deadline": "information_extended",
    "schedule": "scheduled",
    "reschedule": "rescheduled",
    "cancel_appointment": "appointment_cancelled",
    "deliver": "delivered",
    "close": "closed",
}
# Events whose e-mail carries the appointment's calendar file.
WITH_CALENDAR = {"scheduled", "rescheduled", "visit_reminder"}
REQUESTER_CHANNELS = {
    NotifyChannel.EMAIL: Channel.EMAIL,
    NotifyChannel.WHATSAPP: Channel.WHATSAPP,
    NotifyChannel.SMS: Channel.SMS,
}


def _case_link(case: Case) -> str:
    return absolute(reverse("backoffice:case_detail", args=[case.registration_number]))


def case_context(case: Case, language: str) -> dict:
    """Returns the facts every message about ``case`` may name, in ``language``."""
    with translation.override(language):
        return {
            "kantor": case.office.name,
            "nomor_registrasi": case.registration_number,
            "tautan_lacak": absolute(tracking_url(case)),
            "layanan": case.service_type.display_name,
            "tautan_kasus": _case_link(case),
        }


def _visit_context(appointment, case: Case, language: str) -> dict:
    if appointment is None:
        return {}
    with translation.override(language):
        return {
            "jadwal": moment_text(appointment.starts_at, case.office.time_zone, language),
            "cara_layanan": label_of(DeliveryMode, appointment.mode),
            "tempat": appointment.place,
        }


def _latest_notice(case: Case, kind: str) -> str:
    notice = case.notices.filter(kind=kind).order_by("-created_at", "-id").first()
    return notice.body if notice else ""


def _survey_context(case: Case, language: str) -> dict:
    from jangkau.surveys.invitations import survey_path

    invitation = getattr(case, "survey_invitation", None)
    if invitation is None:
        return {}
    return {
        "tautan_survei": absolute(survey_path(invitation)),
        "survei_ditutup": moment_text(invitation.closes_at, case.office.time_zone, language),
    }


def requester_facts(case: Case, event: str, changes: dict, language: str) -> tuple[dict, object]:
    """Returns ``(context, appointment)`` for the requester's ``event``: the case's facts plus the event's own."""
    context = case_context(case, language)
    appointment = None
    if event == "received":
        context["kode_lacak"] = case.tracking_code
    elif event == "info_requested":
        context["data_diminta"] = changes.get("missing", "")
    elif event == "rejected":
        context.update(alasan=case.rejection_reason, rujukan=case.referral)
    elif event == "information_extended":
        context.update(
            pemberitahuan=_latest_notice(case, RequesterNotice.Kind.INFORMATION_EXTENSION),
            batas_waktu=moment_text(case.information_due_at, case.office.time_zone, language),
        )
    elif event in WITH_CALENDAR:
        appointment = current_appointment(case)
        context.update(_visit_context(appointment, case, language))
        context["alasan"] = changes.get("reason", "")
    elif event == "appointment_cancelled":
        context["pemberitahuan"] = _latest_notice(case, RequesterNotice.Kind.APPOINTMENT_CANCELLED)
    elif event in ("delivered", "survey_reminder"):
        context.update(_survey_context(case, language))
    return context, appointment


def notify_requester(case: Case, event: str, key: str, changes: dict | None = None, *, fresh_key: bool = False):
    """Writes the requester's message for ``event`` on the channel and in the language they chose at intake;
    nothing when they asked not to be messaged. Returns the message or None. ``fresh_key``: see
    ``emit.queue_message``."""
    channel = REQUESTER_CHANNELS.get(case.notify_channel)
    if channel is None or case.anonymised_at is not None:
        return None
    context, appointment = requester_facts(case, event, changes or {}, case.language)
    return queue_message(
        office=case.office,
        case=case,
        event=event,
        key=f"{key}:r:{channel}",
        channel=channel,
        language=case.language,
        context=context,
        address=case.email if channel == Channel.EMAIL else case.phone,
        link=context["tautan_lacak"],
        appointment=appointment if channel == Channel.EMAIL else None,
        fresh_key=fresh_key,
    )


def on_case_action(case: Case, action: str, actor, changes: dict, event_id: int) -> None:
    """Writes the messages ``action`` sends: the requester's, and the staff's (new request, forwarded,
    reassigned). Runs inside the action's transaction."""
    # The keys name the audit event this transaction just wrote: no message can have one yet (fresh_key).
    key = f"audit{event_id}"
    event = REQUESTER_EVENTS.get(action)
    if event:
        notify_requester(case, event, f"{key}:{event}", changes, fresh_key=True)
    context = case_context(case, "id")
    link = context["tautan_kasus"]
    if action == "submit":
        ult = office_staff(case.office, Role.ULT_OFFICER).exclude(pk=getattr(actor, "pk", None))
        notify_staff(
            office=case.office, case=case, event="new_request", key=key, users=ult, context=context, link=link,
            fresh_key=True,
        )  # fmt: skip
    elif action == "forward_to_ppid":
        context.update(pengirim=str(actor), catatan=changes.get("note", ""))
        notify_staff(
            office=case.office, case=case, event="forwarded", key=key, users=[case.ppid_member], context=context,
            link=link, fresh_key=True,
        )  # fmt: skip
    elif action == "reassign":
        context["alasan"] = changes.get("reason", "")
        notify_staff(
            office=case.office, case=case, event="reassigned", key=key, users=[case.assigned_to], context=context,
            link=link, fresh_key=True,
        )  # fmt: skip


# --- the clock: steps running late ----------------------------------------------------------------------


def _step_people(step) -> list:
    """Returns who answers for an open step: its responsible officer (else the case's holder, else every
    ULT officer of the office, since an unheld case is everyone's queue), and the PPID member while the
    case is with PPID."""
    case = step.case
    people = [step.responsible or case.assigned_to]
    if people[0] is None:
        people = list(office_staff(case.office, Role.ULT_OFFICER))
    if case.status == Status.WITH_PPID and case.ppid_member is not None:
        people.append(case.ppid_member)
    return people


def _step_context(step) -> dict:
    case = step.case
    context = case_context(case, "id")
    responsible = step.responsible or case.assigned_to
    context.update(
        langkah=str(step.step_no),
        kegiatan=step.activity,
        batas_waktu=moment_text(step.due_at, case.office.time_zone, "id"),
        petugas=str(responsible) if responsible else "",
    )
    return context


def alert_step_warning(step) -> list:
    """Warns the step's people that 80 % of its standard time is used; marks the step warned."""
    step.warned_at = clock.now()
    step.save(update_fields=["warned_at"])
    context = _step_context(step)
    return notify_staff(
        office=step.case.office, case=step.case, event="step_warning", key=f"step{step.pk}:warning",
        users=_step_people(step), context=context, link=context["tautan_kasus"],
    )  # fmt: skip


def alert_step_breach(step) -> list:
    """Tells the step's people and the office's heads (their supervisors) that the step overran its
    standard time; marks the step alerted."""
    step.breach_alerted_at = clock.now()
    step.save(update_fields=["breach_alerted_at"])
    context = _step_context(step)
    return notify_staff(
        office=step.case.office, case=step.case, event="step_breach", key=f"step{step.pk}:breach",
        users=[*_step_people(step), *heads_of(step.case.office)], context=context, link=context["tautan_kasus"],
    )  # fmt: skip


def notify_letter_to_sign(letter) -> list:
    """Tells the office's heads that an assignment letter waits for their signature."""
    context = {
        "kantor": letter.office.name,
        "nomor_surat": letter.number,
        "petugas": str(letter.to_officer),
        "tautan_surat": absolute(reverse("backoffice:letter_upload", args=[letter.pk])),
    }
    return notify_staff(
        office=letter.office, event="letter_to_sign", key=f"letter{letter.pk}:sign", users=heads_of(letter.office),
        context=context, link=context["tautan_surat"],
    )  # fmt: skip
