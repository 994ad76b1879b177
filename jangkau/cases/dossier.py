"""The case dossier (issue 6 item 4; SPEC "Everything is recorded electronically"): one PDF per case for the
archive. It gathers the request, every step with its times, actors, outputs and POS standard, the contact
attempts, the schedule (cancelled and rescheduled appointments too), the delivery, the documents (names,
kinds and sizes, never their content), the survey, breaches and their explanations, who held the case and
the assignment letters that moved it, the closing evaluation, and the case's audit events with the result
of verifying the whole audit chain.

``dossier_gather`` reads everything in a fixed number of queries and returns display-ready strings
(``Dossier``); the formatting helpers are pure. ``dossier_export`` builds the PDF and records the download.

Personal data. The dossier is masked by default, by the rules of the staff case page: the NIK (or other
identity number), phone and e-mail are masked; the address, disability details, the reason for having no
identity document, the survey respondent's profile, the bodies of the requester's messages and of the
internal thread are left out; the appointment's place is left out too, since for a home visit it is the
address. Audit event changes show field names, and values only for fields that never hold personal data.
The unmasked dossier is the personal-data view (``services.case_view_personal_data``) in another form: any
active staff member of the case's office may have it (the same rule as the personal-data page), only by
stating a purpose, and the download is logged exactly as that view is, plus the export event.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jangkau.accounts.models import User
from jangkau.audit.models import AuditEvent, ChainHead
from jangkau.audit.services import KEPT_ON_REDACTION, REDACTED_EVENTS, ChainProblem, audit_record, verify_chain
from jangkau.core import clock
from jangkau.core.errors import Gone, InvalidFields, PermissionDenied
from jangkau.core.masking import mask_email, mask_identifier, mask_phone
from jangkau.core.pdf import html_to_pdf
from jangkau.offices.calendar import calendar_for
from jangkau.scheduling.models import Appointment, AssignmentLetter, ContactAttempt

from . import holders
from .models import Case, CaseDocument, CaseNote, Channel, RequesterNotice, Status, StepOutcome, StepRecord
from .queue import duration_words
from .sla_report import worked_minutes
from .vocabulary import Accommodation, AccommodationsProvided, DeliveryMode, IdType, NeedMet, Vulnerability, label_of

EMPTY = "—"
CONTENT_TYPE = "application/pdf"
PURPOSE_MAX_LENGTH = 500
# The personal-data view's words (``services.case_view_personal_data``) for an anonymised case.
NOTHING_TO_UNMASK = gettext_lazy("Data pribadi kasus ini sudah dianonimkan; tidak ada lagi yang dapat dibuka.")
# Longest value of an audit change written out in an unmasked dossier; the trail itself keeps all of it.
CHANGE_VALUE_MAX = 160
# Problems of the chain listed one by one; a broken chain past that is summed up in one line.
PROBLEMS_LISTED = 50

# Audit change fields whose values are codes, numbers, moments or staff usernames, never a requester's
# personal data or free text: the masked dossier shows their values, every other field its name only. The
# fields an anonymisation keeps (one list for both), and those of a contact attempt and of this export.
SHOWN_CHANGE_VALUES = KEPT_ON_REDACTION | {
    "proof", "result", "masked", "events", "chain_intact", "letter", REDACTED_EVENTS,
}  # fmt: skip
# The channels of a contact attempt, as the back office's form names them (``backoffice.case_forms``).
CONTACT_CHANNEL_LABELS = {
    "phone": gettext_lazy("Telepon"),
    "whatsapp": gettext_lazy("WhatsApp"),
    "sms": gettext_lazy("SMS"),
    "email": gettext_lazy("Surel"),
    "visit": gettext_lazy("Kunjungan langsung"),
}


# --- what the dossier holds -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepEntry:
    """One step record, every value as it is printed."""

    no: int
    activity: str
    opened_at: str
    due_at: str
    done_at: str
    worked: str  # office time from actionable to done, less pauses; "berjalan" while open
    worked_minutes: float | None
    standard: str  # the standard copied into the record when it opened
    pos_standard: str  # the POS's own wording ("5 menit", "1 s.d. 3 hari")
    pos_output: str
    responsible: str
    done_by: str
    outcome: str
    breached: bool
    breach_explanation: str
    explained: str  # who explained the breach, and when
    pauses: tuple[str, ...]


@dataclass(frozen=True)
class EventEntry:
    seq: int
    occurred_at: str
    actor: str
    action: str
    summary: str
    problem: str  # the chain problem found at this event, empty when none


@dataclass(frozen=True)
class ChainCheck:
    """The result of verifying the whole audit chain: how many events were checked up to which number, and
    each problem found, in words."""

    checked: int
    last_seq: int
    problems: tuple[tuple[int, str], ...]

    @property
    def intact(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class SurveyAnswer:
    code: str
    element: str
    value: int
    label: str


@dataclass
class Dossier:
    registration_number: str
    office_name: str
    masked: bool
    generated_at: str
    generated_by: str
    time_zone: str
    purpose: str = ""
    request: list[tuple[str, str]] = field(default_factory=list)
    requester: list[tuple[str, str]] = field(default_factory=list)
    steps: list[StepEntry] = field(default_factory=list)
    contact_attempts: list[dict] = field(default_factory=list)
    appointments: list[dict] = field(default_factory=list)
    delivery: list[tuple[str, str]] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    survey: list[tuple[str, str]] = field(default_factory=list)
    survey_answers: list[SurveyAnswer] = field(default_factory=list)
    holdings: list[dict] = field(default_factory=list)
    letters: list[dict] = field(default_factory=list)
    evaluation: list[tuple[str, str]] = field(default_factory=list)
    notices: list[dict] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    events: list[EventEntry] = field(default_factory=list)
    chain: ChainCheck | None = None

    @property
    def breaches(self) -> list[StepEntry]:
        return [step for step in self.steps if step.breached]


# --- pure formatting helpers --------------------------------------------------------------------------------


def moment(value: datetime | None, tz: ZoneInfo) -> str:
    """Returns ``value`` in the office's time zone as "06/01/2025 08.05", or "—"."""
    if value is None:
        return EMPTY
    return dateformat.format(value.astimezone(tz), "d/m/Y H.i")


def minutes_words(minutes: float | None) -> str:
    """Returns office minutes in words ("1 jam 5 menit"), or "—"."""
    if minutes is None:
        return EMPTY
    return duration_words(timedelta(minutes=minutes))


def standard_words(standard_minutes: int | None, standard_days: int | None) -> str:
    """Returns a step record's standard time: "5 menit", "3 hari kerja", or "—"."""
    if standard_minutes is not None:
        return minutes_words(standard_minutes)
    if standard_days is not None:
        return ngettext("%(days)d hari kerja", "%(days)d hari kerja", standard_days) % {"days": standard_days}
    return EMPTY


def person(user: User | None, fallback: str = EMPTY) -> str:
    """Returns a staff member as printed: "Full Name (username)", or the username alone when it is the name."""
    if user is None:
        return fallback
    name, username = str(user), user.get_username()
    return name if name == username else f"{name} ({username})"


def actor_words(label: str, user: User | None) -> str:
    """Returns who made an audit event: the staff member, or the requester or the system in words."""
    if user is not None:
        return person(user)
    return {"requester": _("Pemohon"), "system": _("Sistem")}.get(label, label or _("Sistem"))


def yes_no(value: bool | None) -> str:
    return EMPTY if value is None else (_("Ya") if value else _("Tidak"))


def labels(choices, codes: Iterable[str] | None) -> str:
    return "; ".join(label_of(choices, code) for code in codes or []) or EMPTY


def hidden() -> str:
    return _("(disamarkan; dibuka lewat “Data pribadi” atau berkas tanpa samaran)")


def _short(value, limit: int = CHANGE_VALUE_MAX) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _coded(key: str, value) -> bool:
    # A contact attempt's channel comes from the API as free text: shown only when it is a known code.
    return key != "channel" or value in Channel.values or value in CONTACT_CHANNEL_LABELS


def change_summary(changes: dict, *, masked: bool) -> str:
    """Returns an audit event's changes in one line. A status move is written with its labels; in a masked
    dossier, a field whose value may be personal data or free text shows its name only."""
    parts = []
    for key, value in (changes or {}).items():
        if key == "status" and isinstance(value, list) and len(value) == 2:
            before, after = (label_of(Status, code) if code else EMPTY for code in value)
            parts.append(f"status: {before} → {after}")
        elif not masked or (key in SHOWN_CHANGE_VALUES and _coded(key, value)):
            parts.append(f"{key}: {_short(value)}")
        else:
            parts.append(key)
    return "; ".join(parts) or EMPTY


_MISSING_NEXT = re.compile(r"missing \(deleted\?\); next present event is #(\d+)")
_MISSING_HEAD = re.compile(r"missing \(deleted\?\); the chain head records #(\d+)")


def problem_words(problem: ChainProblem) -> str:
    """Returns a chain problem in words (``verify_chain`` states them in English for the command line)."""
    reason = problem.reason
    if reason == "content changed since it was recorded":
        text = _("isinya berubah sejak dicatat")
    elif reason == "content erased without a recorded anonymisation":
        text = _("isinya dihapus tanpa anonimisasi yang tercatat")
    elif reason == "does not link to the previous event":
        text = _("tidak tersambung ke peristiwa sebelumnya")
    elif found := _MISSING_NEXT.fullmatch(reason):
        text = _("hilang (dihapus?); peristiwa berikutnya yang ada #%(seq)s") % {"seq": found.group(1)}
    elif found := _MISSING_HEAD.fullmatch(reason):
        text = _("hilang (dihapus?); kepala rantai mencatat sampai #%(seq)s") % {"seq": found.group(1)}
    else:
        text = reason
    return _("Peristiwa #%(seq)s: %(problem)s") % {"seq": problem.seq, "problem": text}


def chain_sentence(chain: ChainCheck) -> str:
    """Returns the chain check's result as the dossier states it."""
    if chain.intact:
        return _("Rantai jejak audit utuh: diperiksa %(count)s peristiwa, tidak ada masalah.") % {
            "count": chain.checked
        }
    return ngettext(
        "Rantai jejak audit TIDAK utuh: diperiksa %(count)s peristiwa, ditemukan %(problems)s masalah.",
        "Rantai jejak audit TIDAK utuh: diperiksa %(count)s peristiwa, ditemukan %(problems)s masalah.",
        len(chain.problems),
    ) % {"count": chain.checked, "problems": len(chain.problems)}


# --- reading ------------------------------------------------------------------------------------------------


def chain_check() -> ChainCheck:
    """Verifies the whole audit chain and returns its result.

    The whole chain, not only the case's events: each event's hash covers its predecessor's, so whether the
    case's events are what was recorded depends on every event before them. The cost grows with the whole
    trail (one HMAC per event, read in batches; a few seconds per hundred thousand events), paid on each
    download: the archive copy is worth a verified statement. The head is read first; events written while
    the check runs are left to the next check, like ``verify_chain`` does.
    """
    head = ChainHead.objects.filter(id=1).first()
    last_seq = head.last_seq if head else 0
    problems = tuple((problem.seq, problem_words(problem)) for problem in verify_chain())
    checked = AuditEvent.objects.filter(seq__lte=last_seq).count()
    return ChainCheck(checked=checked, last_seq=last_seq, problems=problems)


def _case_with_history(case: Case) -> Case:
    return (
        Case.objects.select_related("office", "service_type", "procedure", "assigned_to", "ppid_member")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=StepRecord.objects.select_related("responsible", "done_by", "explained_by")
                .prefetch_related("pauses")
                .order_by("opened_at", "id"),
            ),
            "procedure__steps",
            Prefetch("contact_attempts", queryset=ContactAttempt.objects.select_related("officer")),
            Prefetch(
                "appointments",
                queryset=Appointment.objects.select_related("officer").prefetch_related("officers"),
            ),
            # Names, kinds and sizes only: the encrypted content is never read.
            Prefetch("documents", queryset=CaseDocument.objects.defer("content")),
            Prefetch("notices", queryset=RequesterNotice.objects.select_related("sent_by")),
            Prefetch("notes", queryset=CaseNote.objects.select_related("author")),
            "requester_messages",
        )
        .get(pk=case.pk)
    )


def _step_entries(case: Case, cal, tz: ZoneInfo) -> list[StepEntry]:
    pos_steps = {step.no: step for step in case.procedure.steps.all()}
    entries = []
    for step in case.steps.all():
        pos = pos_steps.get(step.step_no)
        minutes = worked_minutes(cal, step) if step.done_at is not None else None
        if step.done_at is None:
            done_by = EMPTY
        elif step.done_by is not None:
            done_by = person(step.done_by)
        else:
            done_by = _("Pemohon") if not step.is_officer_step else _("Sistem")
        pauses = tuple(
            _("dijeda %(start)s sampai %(end)s: %(reason)s")
            % {"start": moment(p.paused_at, tz), "end": moment(p.resumed_at, tz), "reason": p.reason}
            for p in step.pauses.all()
        )
        entries.append(
            StepEntry(
                no=step.step_no,
                activity=step.activity,
                opened_at=moment(step.opened_at, tz),
                due_at=moment(step.due_at, tz),
                done_at=moment(step.done_at, tz) if step.done_at else _("berjalan"),
                worked=minutes_words(minutes) if minutes is not None else _("berjalan"),
                worked_minutes=minutes,
                standard=standard_words(step.standard_minutes, step.standard_days),
                pos_standard=pos.standard_label if pos else EMPTY,
                pos_output=pos.output if pos else EMPTY,
                responsible=person(step.responsible, _("Pemohon") if not step.is_officer_step else EMPTY),
                done_by=done_by,
                outcome=label_of(StepOutcome, step.outcome) or EMPTY,
                breached=step.breached,
                breach_explanation=step.breach_explanation,
                explained=(
                    f"{person(step.explained_by)}, {moment(step.explained_at, tz)}" if step.explained_by else ""
                ),
                pauses=pauses,
            )
        )
    return entries


def _request_rows(case: Case, tz: ZoneInfo) -> list[tuple[str, str]]:
    rows = [
        (_("Nomor registrasi"), case.registration_number),
        (_("Kantor"), case.office.name),
        (_("Versi POS"), str(case.procedure)),
        (_("Status"), case.get_status_display()),
        (_("Saluran"), case.get_channel_display()),
        (_("Diajukan"), moment(case.submitted_at, tz)),
        (_("Persetujuan data pribadi"), moment(case.consent_given_at, tz)),
        (_("Jenis layanan"), case.service_type.display_name),
        (_("Kelompok rentan"), labels(Vulnerability, case.vulnerabilities)),
        (_("Kebutuhan"), case.need or EMPTY),
        (_("Cara layanan"), label_of(DeliveryMode, case.delivery_mode) or EMPTY),
        (_("Akomodasi yang diminta"), labels(Accommodation, case.accommodations)),
        (_("Wilayah"), case.area or EMPTY),
        (_("Mendesak"), yes_no(case.urgent) + (f": {case.urgent_reason}" if case.urgent_reason else "")),
    ]
    if case.information_due_at:
        rows.append((_("Tenggat informasi publik"), moment(case.information_due_at, tz)))
        if case.information_extension_days:
            rows.append(
                (
                    _("Perpanjangan tenggat"),
                    _("%(days)s hari kerja, %(moment)s: %(reason)s")
                    % {
                        "days": case.information_extension_days,
                        "moment": moment(case.information_extended_at, tz),
                        "reason": case.information_extension_reason,
                    },
                )
            )
    if case.rejection_reason:
        rows += [(_("Alasan penolakan"), case.rejection_reason), (_("Rujukan"), case.referral or EMPTY)]
    if case.cancellation_reason:
        rows.append((_("Alasan pembatalan"), case.cancellation_reason))
    rows.append((_("Ditutup"), moment(case.closed_at, tz)))
    if case.anonymised_at:
        rows.append((_("Data pribadi dianonimkan"), moment(case.anonymised_at, tz)))
    return rows


def _requester_rows(case: Case, *, masked: bool) -> list[tuple[str, str]]:
    number, phone, email = case.id_document_number, case.phone, case.email
    if masked:
        number = mask_identifier(number) if number else ""
        phone = mask_phone(phone) if phone else ""
        email = mask_email(email) if email else ""
    rows = [
        (_("Nama"), case.requester_name),
        (_("Dokumen identitas"), label_of(IdType, case.id_document_type) or EMPTY),
        (_("Nomor dokumen identitas"), number or EMPTY),
    ]
    if case.no_id_reason:
        rows.append((_("Alasan tidak ada dokumen identitas"), hidden() if masked else case.no_id_reason))
    rows += [
        (_("Telepon"), phone or EMPTY),
        (_("Surel"), email or EMPTY),
        (_("Alamat"), (hidden() if masked else case.address) if case.address else EMPTY),
        (
            _("Keterangan disabilitas"),
            (hidden() if masked else case.disability_details) if case.disability_details else EMPTY,
        ),
        (
            _("Pendamping"),
            f"{case.companion_name} ({case.companion_relation})"
            if case.companion_name and case.companion_relation
            else case.companion_name or EMPTY,
        ),
    ]
    return rows


def _appointment_rows(case: Case, tz: ZoneInfo, *, masked: bool) -> list[dict]:
    rows = []
    for appointment in sorted(case.appointments.all(), key=lambda a: (a.created_at, a.pk)):
        if appointment.superseded_at is None:
            state = _("Berlaku")
        elif appointment.cancellation_reason:
            state = _("Dibatalkan %(moment)s: %(reason)s") % {
                "moment": moment(appointment.superseded_at, tz),
                "reason": appointment.cancellation_reason,
            }
        else:
            state = _("Dijadwalkan ulang %(moment)s") % {"moment": moment(appointment.superseded_at, tz)}
        place = appointment.place or EMPTY
        rows.append(
            {
                "agreed_at": moment(appointment.created_at, tz),
                "agreed_by": person(appointment.officer),
                "starts_at": moment(appointment.starts_at, tz),
                "mode": label_of(DeliveryMode, appointment.mode) or EMPTY,
                "place": hidden() if masked and appointment.place else place,
                "officers": "; ".join(person(o) for o in appointment.officers.all()) or EMPTY,
                "accommodations": labels(Accommodation, appointment.accommodations),
                "notes": appointment.notes or EMPTY,
                "state": state,
            }
        )
    return rows


def _delivery_rows(case: Case, tz: ZoneInfo) -> list[tuple[str, str]]:
    cost = _("Tidak ada biaya")
    if case.office_cost:
        cost = "Rp" + f"{case.office_cost:,}".replace(",", ".")
        if case.office_cost_note:
            cost += f" ({case.office_cost_note})"
    return [
        (_("Hasil layanan (Tim PPID)"), case.result_summary or EMPTY),
        (_("Diberikan"), moment(case.delivered_at, tz)),
        (_("Cara layanan"), label_of(DeliveryMode, case.delivery_mode) or EMPTY),
        (_("Layanan yang diberikan"), case.delivery_notes or EMPTY),
        (_("Dokumen yang diserahkan"), case.documents_handed_over or EMPTY),
        (_("Biaya yang ditanggung kantor"), cost + ". " + _("Pemohon tidak dikenai biaya.")),
    ]


def _survey(case: Case, tz: ZoneInfo, *, masked: bool) -> tuple[list[tuple[str, str]], list[SurveyAnswer]]:
    from jangkau.surveys.models import Invitation, Response

    invitation = Invitation.objects.filter(case=case).defer("token").first()
    response = Response.objects.filter(case=case).select_related("instrument", "recorded_by").first()
    rows: list[tuple[str, str]] = []
    if invitation is not None:
        rows.append(
            (
                _("Tautan survei"),
                _("dibuka %(opens)s, ditutup %(closes)s")
                % {"opens": moment(invitation.opens_at, tz), "closes": moment(invitation.closes_at, tz)},
            )
        )
    if response is None:
        rows.append((_("Jawaban"), _("Belum ada jawaban survei.")))
        return rows, []
    answers = [
        SurveyAnswer(
            code=element.code,
            element=element.display_name,
            value=getattr(response, element.code.lower()),
            label=element.display_labels[getattr(response, element.code.lower()) - 1],
        )
        for element in response.instrument.elements.all()
    ]
    average = sum(a.value for a in answers) / len(answers) if answers else 0
    rows += [
        (_("Diisi pada"), dateformat.format(response.answered_on, "d/m/Y")),
        (_("Cara pengisian"), response.get_mode_display()),
        (_("Wawancara terbantu"), yes_no(response.mode == Response.Mode.ASSISTED)),
        (_("Dicatat oleh"), person(response.recorded_by, _("Pemohon sendiri"))),
        (_("Instrumen"), str(response.instrument)),
        (_("Rata-rata jawaban"), f"{average:.2f}".replace(".", ",") + " " + _("dari 4")),
        (_("Saran"), response.suggestion or EMPTY),
    ]
    if masked:
        rows.append((_("Profil responden"), hidden()))
    else:
        rows.append(
            (
                _("Profil responden"),
                f"{response.get_sex_display()}, {response.age} {_('tahun')}, {response.get_education_display()}, "
                f"{response.get_occupation_display()}",
            )
        )
    return rows, answers


def _holding_rows(events: list[AuditEvent], tz: ZoneInfo) -> list[dict]:
    history = holders.holding_history(
        holders.HolderEvent(e.occurred_at, e.action, e.actor.get_username() if e.actor else None, e.changes)
        for e in events
    )
    users = {u.get_username(): u for u in User.objects.filter(username__in={h.username for h in history})}
    roles = {holders.ULT: _("Petugas ULT"), holders.PPID: _("Tim PPID")}
    how = {
        "case.submit": _("Mencatat permohonan"),
        "case.accept": _("Menerima permohonan"),
        "case.reassign": _("Dialihkan kepadanya"),
        "case.forward_to_ppid": _("Diteruskan kepadanya"),
    }
    return [
        {
            "role": roles.get(held.role, held.role),
            "name": person(users.get(held.username), held.username),
            "start": moment(held.start, tz),
            "end": moment(held.end, tz) if held.end else _("sekarang"),
            "how": how.get(held.how, held.how),
            "reason": held.reason,
        }
        for held in history
    ]


def _letter_rows(case: Case, tz: ZoneInfo) -> list[dict]:
    letters = (
        AssignmentLetter.objects.filter(cases=case)
        .select_related("from_officer", "to_officer", "signer")
        .order_by("issued_on", "pk")
        .defer("signed_scan")
    )
    return [
        {
            "number": letter.number,
            "issued_on": dateformat.format(letter.issued_on, "d/m/Y"),
            "from": person(letter.from_officer),
            "to": person(letter.to_officer),
            "signer": person(letter.signer),
            "signed": moment(letter.signed_at, tz) if letter.signed_at else _("belum diunggah"),
        }
        for letter in letters
    ]


def _evaluation_rows(case: Case, tz: ZoneInfo) -> list[tuple[str, str]]:
    return [
        (_("Kebutuhan terpenuhi"), label_of(NeedMet, case.evaluation_need_met) or EMPTY),
        (_("Cara layanan tepat"), yes_no(case.evaluation_mode_right)),
        (_("Akomodasi disediakan"), label_of(AccommodationsProvided, case.evaluation_accommodations) or EMPTY),
        (_("Catatan evaluasi"), case.evaluation or EMPTY),
        (_("Ditutup"), moment(case.closed_at, tz)),
    ]


def dossier_gather(case: Case, *, viewer: User, masked: bool = True, purpose: str = "") -> Dossier:
    """Returns everything the dossier of ``case`` prints, read in a fixed number of queries (plus the chain
    check, which reads the whole trail in batches). ``masked`` hides identifiers (see the module's notes)."""
    case = _case_with_history(case)
    tz = ZoneInfo(case.office.time_zone)
    cal = calendar_for(case.office)
    events = list(AuditEvent.objects.filter(case=case).select_related("actor").order_by("seq"))
    chain = chain_check()
    problems = dict(chain.problems)
    dossier = Dossier(
        registration_number=case.registration_number,
        office_name=case.office.name,
        masked=masked,
        generated_at=moment(clock.now(), tz),
        generated_by=person(viewer),
        time_zone=case.office.time_zone,
        purpose=purpose,
    )
    dossier.request = _request_rows(case, tz)
    dossier.requester = _requester_rows(case, masked=masked)
    dossier.steps = _step_entries(case, cal, tz)
    dossier.contact_attempts = [
        {
            "at": moment(a.attempted_at, tz),
            "channel": str(CONTACT_CHANNEL_LABELS.get(a.channel, a.channel)),
            "result": a.get_result_display(),
            "notes": a.notes or EMPTY,
            "officer": person(a.officer),
        }
        for a in case.contact_attempts.all()
    ]
    dossier.appointments = _appointment_rows(case, tz, masked=masked)
    dossier.delivery = _delivery_rows(case, tz)
    dossier.documents = [
        {
            "filename": d.filename,
            "kind": d.get_kind_display(),
            "size": d.size,
            "uploaded_at": moment(d.uploaded_at, tz),
        }
        for d in case.documents.all()
    ]
    dossier.survey, dossier.survey_answers = _survey(case, tz, masked=masked)
    dossier.holdings = _holding_rows(events, tz)
    dossier.letters = _letter_rows(case, tz)
    dossier.evaluation = _evaluation_rows(case, tz)
    dossier.notices = [
        {"kind": n.get_kind_display(), "by": person(n.sent_by), "at": moment(n.created_at, tz), "body": n.body}
        for n in case.notices.all()
    ]
    dossier.messages = [
        {"kind": m.get_kind_display(), "at": moment(m.created_at, tz), "body": "" if masked else m.body}
        for m in case.requester_messages.all()
    ]
    dossier.notes = [
        {"by": person(n.author), "at": moment(n.created_at, tz), "body": "" if masked else n.body}
        for n in case.notes.all()
    ]
    dossier.events = [
        EventEntry(
            seq=e.seq,
            occurred_at=moment(e.occurred_at, tz),
            actor=actor_words(e.actor_label, e.actor),
            action=e.action,
            summary=change_summary(e.changes, masked=masked)
            + (" " + _("[dianonimkan %(moment)s]") % {"moment": moment(e.redacted_at, tz)} if e.redacted_at else ""),
            problem=problems.get(e.seq, ""),
        )
        for e in events
    ]
    dossier.chain = chain
    return dossier


# --- the document -------------------------------------------------------------------------------------------


def dossier_html(dossier: Dossier) -> str:
    chain = dossier.chain
    return render_to_string(
        "cases/dossier.html",
        {
            "d": dossier,
            "chain_sentence": chain_sentence(chain) if chain else "",
            "problems": chain.problems[:PROBLEMS_LISTED] if chain else (),
            "more_problems": max(len(chain.problems) - PROBLEMS_LISTED, 0) if chain else 0,
        },
    )


def dossier_pdf(dossier: Dossier) -> bytes:
    """Returns the dossier as an A4 PDF; it fetches nothing (``core.pdf``)."""
    return html_to_pdf(dossier_html(dossier))


# --- the download -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierExport:
    content: bytes
    content_type: str
    filename: str
    masked: bool


def clean_purpose(purpose: str | None) -> str:
    """Returns the purpose of an unmasked dossier, stripped. Raises InvalidFields ("purpose")."""
    purpose = (purpose or "").strip()
    if not purpose:
        raise InvalidFields({"purpose": _("Tuliskan keperluan membuka data pribadi.")})
    if len(purpose) > PURPOSE_MAX_LENGTH:
        raise InvalidFields(
            {"purpose": _("Tuliskan paling banyak %(limit)s karakter.") % {"limit": PURPOSE_MAX_LENGTH}}
        )
    return purpose


def _check_viewer(case: Case, actor) -> None:
    # The personal-data view's rule (services.case_view_personal_data): active staff of the case's office.
    if not isinstance(actor, User) or not actor.is_active or actor.office_id != case.office_id:
        raise PermissionDenied(_("Kasus ini milik kantor lain."))


def dossier_export(*, case: Case, actor: User, unmasked: bool = False, purpose: str = "") -> DossierExport:
    """Builds the dossier PDF of ``case`` for ``actor`` and records the download; the back office and the API
    hand it out as is.

    Masked by default. ``unmasked`` needs a ``purpose`` and is open to every active staff member of the
    case's office, like the personal-data view: that download is recorded exactly as such a view
    (``case.personal_data_viewed`` with the purpose, naming the dossier) and, in the same transaction, as
    ``case.dossier_exported`` like every download. The file is built before anything is written (WeasyPrint
    takes seconds; the chain's lock must not wait on it) and handed out only once the record is committed.

    Raises PermissionDenied (another office's case, an inactive account), InvalidFields ("purpose"), and Gone
    for the unmasked dossier of an anonymised case.
    """
    _check_viewer(case, actor)
    purpose = clean_purpose(purpose) if unmasked else ""
    if unmasked and Case.objects.filter(pk=case.pk, anonymised_at__isnull=False).exists():
        # Nothing left to unmask; refused before the file is built (the personal-data view refuses alike).
        raise Gone(str(NOTHING_TO_UNMASK))
    dossier = dossier_gather(case, viewer=actor, masked=not unmasked, purpose=purpose)
    content = dossier_pdf(dossier)
    with transaction.atomic():
        if unmasked:
            from .services import case_view_personal_data

            case_view_personal_data(
                case=case,
                actor=actor,
                purpose=_("%(purpose)s [berkas kasus (PDF) tanpa samaran]") % {"purpose": purpose},
            )
        audit_record(
            action="case.dossier_exported",
            actor=actor,
            case=case,
            changes={
                "masked": not unmasked,
                "events": len(dossier.events),
                "chain_intact": dossier.chain.intact if dossier.chain else None,
            },
        )
    suffix = "-lengkap" if unmasked else ""
    return DossierExport(content, CONTENT_TYPE, f"berkas-kasus-{case.registration_number}{suffix}.pdf", not unmasked)
