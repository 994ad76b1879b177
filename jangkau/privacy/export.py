"""A data subject's own data, as JSON (portable, for machines) and PDF (to read and hand over).

What it holds, per case attached to the request and nothing from any other case:
- everything the person gave: name, identity document and number, contact details, address, area,
  vulnerability categories, disability details, need, delivery mode, accommodations, companion, consent
  moment, urgency; their messages from the tracking page; their uploads (listed: name, kind, size, moment;
  the files themselves open through the case's logged personal-data view);
- everything the office told or gave them: status, rejection reason and referral, cancellation reason,
  results, delivery notes, documents handed over, written notices, what data was asked of them, the
  appointments (moment, mode, place), the contact attempts (moment, channel, result), the public
  information deadline, the survey they answered;
- the record of processing (art. 32(1): "beserta rekam jejak pemrosesan"): each POS step with its times,
  and each audit event of the case by action and moment.

What it leaves out: officers' internal working notes (the ULT-PPID thread, notes of contact attempts and of
appointments) unless ``include_internal_notes``. They are about the person's request, but they are free
text written between officers that may name other people (another requester, a colleague's situation),
and art. 33(b) obliges the controller to refuse access that would disclose another person's data. The
export says how many there are; an officer who has read them on the case page and found nothing about
anybody else can include them. Officers are named nowhere: the person's data is the subject, not the staff.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from jangkau.cases.models import Case, CaseDocument, Channel, Status
from jangkau.cases.vocabulary import Accommodation, DeliveryMode, IdType, Vulnerability, label_of
from jangkau.core import clock
from jangkau.core.pdf import html_to_pdf

from . import deadlines
from .models import DataSubjectRequest, RequestKind

CONTENT_TYPES = {"json": "application/json", "pdf": "application/pdf"}
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def filename(request: DataSubjectRequest, file_format: str) -> str:
    return f"data-pribadi-{request.number}.{file_format}"


def _at(value: datetime | None, tz: ZoneInfo) -> str | None:
    return value.astimezone(tz).isoformat(timespec="minutes") if value else None


def _coded(choices, code: str) -> dict | None:
    return {"code": code, "label": label_of(choices, code)} if code else None


def _labels(choices, codes) -> list[dict]:
    return [{"code": code, "label": label_of(choices, code)} for code in codes or []]


def _case_payload(case: Case, tz: ZoneInfo, include_internal_notes: bool) -> dict:
    steps = list(case.steps.all().prefetch_related("pauses"))
    survey = getattr(case, "survey_response", None)  # the reverse one-to-one raises AttributeError when absent
    notes = list(case.notes.all())
    attempts = list(case.contact_attempts.all())
    appointments = list(case.appointments.all())
    internal_count = len(notes) + sum(1 for a in attempts if a.notes) + sum(1 for a in appointments if a.notes)
    payload = {
        "registration_number": case.registration_number,
        "office": case.office.name,
        "service": case.service_type.name,
        "status": _coded(Status, case.status),
        "channel": _coded(Channel, case.channel),
        "submitted_at": _at(case.submitted_at, tz),
        "anonymised_at": _at(case.anonymised_at, tz),
        "personal_data": {
            "full_name": case.requester_name,
            "id_type": _coded(IdType, case.id_document_type),
            "id_number": case.id_document_number,
            "no_id_reason": case.no_id_reason,
            "phone": case.phone,
            "email": case.email,
            "address": case.address,
            "area": case.area,
            "vulnerabilities": _labels(Vulnerability, case.vulnerabilities),
            "disability_details": case.disability_details,
            "companion_name": case.companion_name,
            "companion_relation": case.companion_relation,
            "consent_given_at": _at(case.consent_given_at, tz),
        },
        "request": {
            "need": case.need,
            "delivery_mode": _coded(DeliveryMode, case.delivery_mode),
            "accommodations": _labels(Accommodation, case.accommodations),
            "urgent": case.urgent,
            "urgent_reason": case.urgent_reason,
        },
        "answer": {
            "rejection_reason": case.rejection_reason,
            "referral": case.referral,
            "cancellation_reason": case.cancellation_reason,
            "result_summary": case.result_summary,
            "delivery_notes": case.delivery_notes,
            "documents_handed_over": case.documents_handed_over,
            "delivered_at": _at(case.delivered_at, tz),
            "closed_at": _at(case.closed_at, tz),
            "information_due_at": _at(case.information_due_at, tz),
            "information_extension_days": case.information_extension_days,
            "information_extension_reason": case.information_extension_reason,
        },
        "data_asked_of_you": [
            {"asked_at": _at(pause.paused_at, tz), "what": pause.reason}
            for step in steps
            if step.step_no == 2
            for pause in step.pauses.all()
        ],
        "your_messages": [
            {
                "sent_at": _at(message.created_at, tz),
                "kind": _coded(type(message).Kind, message.kind),
                "text": message.body,
                "preferred_times": message.preferred_times,
            }
            for message in case.requester_messages.all()
        ],
        "notices_to_you": [
            {"sent_at": _at(notice.created_at, tz), "kind": _coded(type(notice).Kind, notice.kind), "text": notice.body}
            for notice in case.notices.all()
        ],
        "documents": [
            {
                "kind": _coded(CaseDocument.Kind, document.kind),
                "filename": document.filename,
                "size": document.size,
                "uploaded_at": _at(document.uploaded_at, tz),
            }
            for document in case.documents.all()
        ],
        "appointments": [
            {
                "starts_at": _at(appointment.starts_at, tz),
                "mode": _coded(DeliveryMode, appointment.mode),
                "place": appointment.place,
                "accommodations": _labels(Accommodation, appointment.accommodations),
                "replaced": appointment.superseded_at is not None,
                "cancellation_reason": appointment.cancellation_reason,
                **({"notes": appointment.notes} if include_internal_notes else {}),
            }
            for appointment in appointments
        ],
        "contact_attempts": [
            {
                "attempted_at": _at(attempt.attempted_at, tz),
                "channel": attempt.channel,
                "result": _coded(type(attempt).Result, attempt.result),
                **({"notes": attempt.notes} if include_internal_notes else {}),
            }
            for attempt in attempts
        ],
        "survey": None,
        "processing_record": {
            "steps": [
                {
                    "step": step.step_no,
                    "activity": step.activity,
                    "opened_at": _at(step.opened_at, tz),
                    "due_at": _at(step.due_at, tz),
                    "done_at": _at(step.done_at, tz),
                }
                for step in steps
            ],
            "events": [
                {"at": _at(event.occurred_at, tz), "action": event.action}
                for event in case.audit_events.order_by("seq").only("occurred_at", "action")
            ],
        },
        "internal_notes": {
            "count": internal_count,
            "included": include_internal_notes,
            "items": [{"written_at": _at(note.created_at, tz), "text": note.body} for note in notes]
            if include_internal_notes
            else [],
        },
    }
    if survey is not None:
        payload["survey"] = {
            "answered_on": survey.answered_on.isoformat(),
            "mode": _coded(type(survey).Mode, survey.mode),
            "sex": _coded(type(survey).Sex, survey.sex),
            "age": survey.age,
            "education": _coded(type(survey).Education, survey.education),
            "occupation": _coded(type(survey).Occupation, survey.occupation),
            "answers": {f"u{n}": getattr(survey, f"u{n}") for n in range(1, 10)},
            "suggestion": survey.suggestion,
        }
    return payload


def export_payload(request: DataSubjectRequest, *, include_internal_notes: bool = False) -> dict:
    """Returns the export of ``request``: the request's own record (without the officers handling it) and
    one entry per attached case, oldest first. Reads nothing outside those cases."""
    office = request.office
    tz = ZoneInfo(office.time_zone)
    cases = (
        request.cases.all()
        .select_related("office", "service_type")
        .prefetch_related("requester_messages", "notices", "documents", "notes", "contact_attempts", "appointments")
        .order_by("submitted_at", "id")
    )
    return {
        "format_version": FORMAT_VERSION,
        "controller": office.name,
        "exported_at": _at(clock.now(), tz),
        "time_zone": office.time_zone,
        "legal_basis": _("UU 27/2022 Pasal 7 dan Pasal 32: hak mengakses dan memperoleh salinan data pribadi."),
        "request": {
            "number": request.number,
            "kind": _coded(RequestKind, request.kind),
            "received_at": _at(request.received_at, tz),
            "due_at": _at(request.due_at, tz),
            "deadline_source": deadlines.SOURCES[request.kind],
            "requester_name": request.requester_name,
        },
        "cases": [_case_payload(case, tz, include_internal_notes) for case in cases],
    }


def render_json(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


_ISO_MOMENT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})([+-]\d{2}:\d{2}|Z)$")


def _readable(value):
    """Returns ``value`` with every ISO moment written as people read it: 06/01/2025 08.00."""
    if isinstance(value, dict):
        return {key: _readable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_readable(item) for item in value]
    if isinstance(value, str) and (match := _ISO_MOMENT.match(value)):
        year, month, day, hour, minute, _offset = match.groups()
        return f"{day}/{month}/{year} {hour}.{minute}"
    return value


def render_pdf(payload: dict) -> bytes:
    context = {"data": _readable(payload), "time_zone": payload.get("time_zone", "")}
    return html_to_pdf(render_to_string("backoffice/privacy/export_pdf.html", context))


def render(payload: dict, file_format: str) -> bytes:
    """Returns ``payload`` as ``file_format`` ("json" or "pdf")."""
    return {"json": render_json, "pdf": render_pdf}[file_format](payload)
