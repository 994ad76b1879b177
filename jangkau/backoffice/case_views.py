"""One case as officers work it: its steps, the requester's messages, the internal thread between ULT and
PPID, the legal deadline of a public-information request, the appointment, the delivery, who held the case
when, and the actions of POS steps 2 to 5.

Every case action is a row of ``ACTIONS``: its URL slug, the workflow action it takes, its form and the
service call. One view serves them all (``case_action``), so the actions of the later steps (forward to
PPID, contact attempts, scheduling, delivery) are added as rows, not as views. Uploads (PPID's result files,
the proof of delivery) are stored as drafts first (``_with_uploads``) and handed to the service as tokens.

PPID's result files are the office's own work products: staff of the case's office download them directly
(``case_result_document``). The proof of delivery (a signed receipt, a photo of the hand-over) shows the
requester, so like the requester's own documents it opens only through the logged personal-data view.

Personal data (the full identity number, contact details, address, disability details, the requester's
own words) never appears on the case page: it is opened through ``case_personal_data``, which asks why and
has ``services.case_view_personal_data`` record who opened it, when and for what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache

from jangkau.accounts.models import User
from jangkau.audit.models import AuditEvent
from jangkau.cases import holders, services, workflow
from jangkau.cases.documents import document_bytes, document_discard_drafts, document_store_upload, safe_filename
from jangkau.cases.models import Case, CaseDocument, RequesterMessage, Status, StepRecord
from jangkau.cases.queue import duration_words
from jangkau.cases.sla import explain_due, explain_information_due, information_answered_at
from jangkau.cases.vocabulary import Accommodation, DeliveryMode, IdType, Vulnerability, label_of
from jangkau.core import clock
from jangkau.core.businesstime import BusinessCalendar, business_between
from jangkau.core.errors import DomainError, InvalidFields, InvalidInput
from jangkau.core.masking import mask_email, mask_identifier, mask_phone
from jangkau.notifications.selectors import deliveries
from jangkau.offices.calendar import calendar_for
from jangkau.scheduling.ics import appointment_download
from jangkau.scheduling.models import Appointment
from jangkau.scheduling.selectors import current_appointment

from .case_forms import (
    CONTACT_CHANNELS,
    AcceptForm,
    CancelAppointmentForm,
    CaseActionForm,
    CloseForm,
    ConfirmForm,
    DeliverForm,
    ExtendInformationDeadlineForm,
    ForwardToPpidForm,
    NoteForm,
    PersonalDataForm,
    RecordContactForm,
    RecordResultForm,
    RejectForm,
    RequestInfoForm,
    RescheduleForm,
    ResumeContactForm,
    ScheduleForm,
)
from .notification_views import event_label, may_work_deliveries

# --- the actions ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseAction:
    """One action an officer takes on a case from its page.

    ``name`` is the workflow action (``workflow.TRANSITIONS``): it decides when the action's button shows.
    ``perform(case, actor, cleaned_data)`` calls the service; the form's field names are the service's
    argument names, so the service's field errors land beside the right fields.
    """

    slug: str
    name: str
    label: str  # the button on the case page, and the page's heading
    form_class: type[CaseActionForm]
    perform: Callable[..., Case]
    submit: str  # the form's button
    success: str  # shown on the case page afterwards; may use %(number)s
    intro: str = ""
    template: str = "backoffice/case/action.html"
    # The secondary (grey) button style on the case page, for actions that end or hold the case.
    secondary: bool = False
    # The section of the case page the officer lands on afterwards, its success message shown there (the
    # internal thread: the officer reads on where they wrote). Empty: the top of the page.
    anchor: str = ""
    # False for an action whose form sits in its own section of the case page (the internal thread).
    listed: bool = True


def _service(function: Callable[..., Case], *fields: str) -> Callable[..., Case]:
    """Returns a ``perform`` that calls ``function`` with the form's answers named ``fields`` (the forms'
    field names are the services' argument names)."""
    return lambda case, actor, data: function(case=case, actor=actor, **{name: data[name] for name in fields})


def _appointment_answers(data: dict) -> dict:
    """Returns the answers the two scheduling forms share, as ``case_schedule`` and ``case_reschedule``
    take them."""
    return {
        "starts_at": data["starts_at"],
        "mode": data["mode"],
        "place": data["place"],
        # None lets the service choose: the scheduling officer, or the team of the appointment being moved.
        "officers": list(data["officers"]) or None,
        "accommodations": data["accommodations"],
    }


def _store_uploads(uploads, *, kind: str, field: str) -> list[str]:
    """Stores each upload as a draft of ``kind`` and returns their tokens. Raises InvalidFields naming
    ``field`` and the refused file; the drafts stored before it are deleted, so a refusal leaves nothing."""
    tokens: list[str] = []
    for upload in uploads:
        try:
            tokens.append(document_store_upload(kind=kind, field=field, upload=upload).draft_token)
        except InvalidFields as exc:
            document_discard_drafts(tokens)
            # With several files chosen, the officer must know which one to replace.
            problem = _("%(file)s: %(problem)s") % {"file": safe_filename(upload.name), "problem": exc.errors[field]}
            raise InvalidFields({field: problem}) from exc
    return tokens


def _with_uploads(field: str, kind: str, call: Callable[[Case, object, dict, list[str]], Case]) -> Callable[..., Case]:
    """Returns a ``perform`` that stores the files of the form's ``field`` as drafts of ``kind`` (the services
    take uploads as draft tokens), then runs ``call(case, actor, data, tokens)``. A refused file comes back
    beside the field with nothing recorded; a refused action deletes the drafts it would have attached."""

    def perform(case: Case, actor, data: dict) -> Case:
        uploads = data.get(field) or []
        tokens = _store_uploads(uploads if isinstance(uploads, list) else [uploads], kind=kind, field=field)
        try:
            return call(case, actor, data, tokens)
        except DomainError:
            document_discard_drafts(tokens)
            raise

    return perform


ACTIONS: dict[str, CaseAction] = {
    action.slug: action
    for action in [
        CaseAction(
            slug="terima",
            name="accept",
            label=gettext_lazy("Terima permohonan"),
            form_class=AcceptForm,
            perform=_service(services.case_accept),
            submit=gettext_lazy("Ya, terima permohonan"),
            success=gettext_lazy("Permohonan %(number)s diterima. Langkah berikutnya: koordinasi dengan Tim PPID."),
            intro=gettext_lazy(
                "Terima permohonan bila datanya sudah lengkap dan layanan yang diminta termasuk layanan kantor ini. "
                "Bila belum ada yang memegang kasus ini, Anda menjadi petugasnya."
            ),
        ),
        CaseAction(
            slug="minta-data",
            name="request_info",
            label=gettext_lazy("Minta data yang kurang"),
            form_class=RequestInfoForm,
            perform=_service(services.case_request_info, "missing"),
            submit=gettext_lazy("Kirim permintaan data"),
            success=gettext_lazy(
                "Permintaan data untuk %(number)s tercatat dan tampil di halaman lacak pemohon. "
                "Waktu langkah 2 berhenti sampai pemohon menjawab."
            ),
            intro=gettext_lazy("Waktu standar langkah 2 berhenti dihitung sampai pemohon mengirim data yang diminta."),
            secondary=True,
        ),
        CaseAction(
            slug="tolak",
            name="reject",
            label=gettext_lazy("Tolak dengan rujukan"),
            form_class=RejectForm,
            perform=_service(services.case_reject, "reason", "referral"),
            submit=gettext_lazy("Tolak permohonan"),
            success=gettext_lazy(
                "Permohonan %(number)s ditolak. Alasan dan rujukannya tampil di halaman lacak pemohon."
            ),
            intro=gettext_lazy(
                "Tolak hanya permohonan yang bukan layanan kantor ini, dan sebutkan ke mana pemohon dapat pergi."
            ),
            secondary=True,
        ),
        # Step 3: coordinate with PPID, which prepares the result.
        CaseAction(
            slug="teruskan-ppid",
            name="forward_to_ppid",
            label=gettext_lazy("Teruskan ke Tim PPID"),
            form_class=ForwardToPpidForm,
            perform=_service(services.case_forward_to_ppid, "ppid_member", "note"),
            submit=gettext_lazy("Teruskan ke Tim PPID"),
            success=gettext_lazy("Kasus %(number)s diteruskan ke Tim PPID."),
            intro=gettext_lazy("Anggota Tim PPID yang dipilih menyiapkan hasil layanan dan mencatatnya di kasus ini."),
        ),
        CaseAction(
            slug="catat-hasil",
            name="record_result",
            label=gettext_lazy("Catat hasil layanan"),
            form_class=RecordResultForm,
            perform=_with_uploads(
                "files",
                CaseDocument.Kind.RESULT,
                lambda case, actor, data, tokens: services.case_record_result(
                    case=case, actor=actor, summary=data["summary"], document_tokens=tokens
                ),
            ),
            submit=gettext_lazy("Simpan hasil layanan"),
            success=gettext_lazy(
                "Hasil layanan %(number)s tercatat. Petugas ULT sekarang menghubungi pemohon untuk menjadwalkan."
            ),
        ),
        # The internal thread: its form sits in the thread's own section of the case page, not among the buttons.
        CaseAction(
            slug="catatan",
            name="add_note",
            label=gettext_lazy("Tulis catatan internal"),
            form_class=NoteForm,
            perform=lambda case, actor, data: services.case_add_note(case=case, actor=actor, body=data["body"]).case,
            submit=gettext_lazy("Kirim catatan"),
            success=gettext_lazy("Catatan internal untuk %(number)s tersimpan."),
            intro=gettext_lazy(
                "Catatan internal dibaca Petugas ULT, Tim PPID, dan Kepala kantor ini. Pemohon tidak pernah melihatnya."
            ),
            anchor="catatan",
            listed=False,
        ),
        # UU 14/2008: the legal deadline of a public-information request, extended once with a written notice.
        CaseAction(
            slug="perpanjang-tenggat",
            name="extend_information_deadline",
            label=gettext_lazy("Perpanjang tenggat informasi publik"),
            form_class=ExtendInformationDeadlineForm,
            perform=_service(services.case_extend_information_deadline, "days", "reason", "notice"),
            submit=gettext_lazy("Perpanjang dan kirim pemberitahuan"),
            success=gettext_lazy(
                "Tenggat informasi publik %(number)s diperpanjang. Pemberitahuannya tampil di halaman lacak pemohon."
            ),
            intro=gettext_lazy(
                "Undang-undang mengizinkan satu kali perpanjangan, paling lama 7 hari kerja, dengan pemberitahuan "
                "tertulis kepada pemohon sebelum tenggat lewat."
            ),
            secondary=True,
        ),
        # Step 4: contact the requester and agree a schedule.
        CaseAction(
            slug="catat-kontak",
            name="record_contact_attempt",
            label=gettext_lazy("Catat upaya kontak"),
            form_class=RecordContactForm,
            perform=_service(services.case_record_contact_attempt, "channel", "result", "notes"),
            submit=gettext_lazy("Simpan upaya kontak"),
            success=gettext_lazy("Upaya kontak untuk %(number)s tercatat."),
            intro=gettext_lazy(
                "Catat setiap upaya menghubungi pemohon, berhasil atau tidak. Nomor pemohon dibuka lewat "
                "“Data pribadi” di halaman kasus."
            ),
            secondary=True,
        ),
        CaseAction(
            slug="jadwalkan",
            name="schedule",
            label=gettext_lazy("Jadwalkan layanan"),
            form_class=ScheduleForm,
            perform=lambda case, actor, data: services.case_schedule(
                case=case, actor=actor, notes=data["notes"], **_appointment_answers(data)
            ),
            submit=gettext_lazy("Simpan jadwal"),
            success=gettext_lazy("Jadwal layanan %(number)s tersimpan dan tampil di halaman lacak pemohon."),
            intro=gettext_lazy("Isi jadwal yang sudah disepakati dengan pemohon."),
        ),
        CaseAction(
            slug="tidak-terhubungi",
            name="mark_unreachable",
            label=gettext_lazy("Tandai tidak dapat dihubungi"),
            form_class=ConfirmForm,
            perform=_service(services.case_mark_unreachable),
            submit=gettext_lazy("Ya, tandai tidak dapat dihubungi"),
            success=gettext_lazy(
                "Kasus %(number)s ditandai tidak dapat dihubungi. Waktu langkah 4 berhenti sampai pemohon "
                "dapat dihubungi lagi."
            ),
            intro=gettext_lazy(
                "Tandai hanya setelah upaya kontak gagal pada beberapa hari kerja berbeda. Waktu standar langkah 4 "
                "berhenti dihitung."
            ),
            secondary=True,
        ),
        CaseAction(
            slug="hubungi-lagi",
            name="resume_contact",
            label=gettext_lazy("Pemohon dapat dihubungi lagi"),
            form_class=ResumeContactForm,
            perform=_service(services.case_resume_contact, "note"),
            submit=gettext_lazy("Kembalikan ke antrean kontak"),
            success=gettext_lazy("Kasus %(number)s kembali ke antrean kontak; waktu langkah 4 berjalan lagi."),
        ),
        CaseAction(
            slug="jadwal-ulang",
            name="reschedule",
            label=gettext_lazy("Jadwalkan ulang"),
            form_class=RescheduleForm,
            perform=lambda case, actor, data: services.case_reschedule(
                case=case, actor=actor, reason=data["reason"], **_appointment_answers(data)
            ),
            submit=gettext_lazy("Simpan jadwal baru"),
            success=gettext_lazy("Jadwal baru %(number)s tersimpan; jadwal lama tetap tercatat."),
            secondary=True,
        ),
        CaseAction(
            slug="batalkan-jadwal",
            name="cancel_appointment",
            label=gettext_lazy("Batalkan jadwal"),
            form_class=CancelAppointmentForm,
            perform=_service(services.case_cancel_appointment, "reason", "notice"),
            submit=gettext_lazy("Batalkan jadwal"),
            success=gettext_lazy(
                "Jadwal %(number)s dibatalkan dan pemberitahuannya tampil di halaman lacak pemohon. Kasus kembali "
                "ke antrean kontak."
            ),
            intro=gettext_lazy(
                "Batalkan bila layanan tidak jadi diberikan pada waktu itu dan belum ada waktu baru. Bila sudah "
                "ada waktu baru, pakai “Jadwalkan ulang”."
            ),
            secondary=True,
        ),
        # Step 5: deliver.
        CaseAction(
            slug="serahkan",
            name="deliver",
            label=gettext_lazy("Catat layanan diberikan"),
            form_class=DeliverForm,
            perform=_with_uploads(
                "proof",
                CaseDocument.Kind.DELIVERY_PROOF,
                lambda case, actor, data, tokens: services.case_deliver(
                    case=case,
                    actor=actor,
                    proof_token=tokens[0] if tokens else None,
                    **{
                        name: data[name]
                        for name in ("notes", "mode", "documents_handed_over", "office_cost", "office_cost_note")
                    },
                ),
            ),
            submit=gettext_lazy("Simpan, layanan sudah diberikan"),
            success=gettext_lazy("Layanan %(number)s tercatat sudah diberikan. Survei kepuasan dibuka untuk pemohon."),
        ),
        # Step 6 ends without an answer once the survey window is over.
        CaseAction(
            slug="akhiri-survei",
            name="expire_feedback",
            label=gettext_lazy("Akhiri jangka waktu survei"),
            form_class=ConfirmForm,
            perform=_service(services.case_expire_feedback),
            submit=gettext_lazy("Ya, akhiri jangka waktu survei"),
            success=gettext_lazy("Jangka waktu survei %(number)s berakhir tanpa jawaban. Langkah 7 dibuka."),
            intro=gettext_lazy(
                "Pakai hanya setelah jangka waktu survei berakhir dan pemohon tidak menjawab. Jawaban yang masuk "
                "kemudian tetap dapat diketik lewat halaman survei."
            ),
            secondary=True,
        ),
        # Step 7: the case's answers are in the period's survey recap.
        CaseAction(
            slug="rekap-survei",
            name="recap_feedback",
            label=gettext_lazy("Catat survei sudah direkap"),
            form_class=ConfirmForm,
            perform=_service(services.case_recap_feedback),
            submit=gettext_lazy("Ya, survei sudah direkap"),
            success=gettext_lazy("Rekap survei %(number)s tercatat. Langkah berikutnya: evaluasi dan penutupan."),
            intro=gettext_lazy(
                "Tandai setelah jawaban survei kasus ini (atau ketiadaannya) masuk ke rekap survei periode berjalan."
            ),
        ),
        # Step 8: evaluate and close.
        CaseAction(
            slug="tutup",
            name="close",
            label=gettext_lazy("Evaluasi dan tutup kasus"),
            form_class=CloseForm,
            perform=lambda case, actor, data: services.case_close(
                case=case,
                actor=actor,
                late_explanation=data.get("late_explanation", ""),
                **{name: data[name] for name in ("need_met", "mode_right", "accommodations_provided", "evaluation")},
            ),
            submit=gettext_lazy("Simpan evaluasi dan tutup kasus"),
            success=gettext_lazy("Kasus %(number)s ditutup dengan evaluasinya."),
            intro=gettext_lazy(
                "Kasus hanya dapat ditutup bila setiap keterlambatan langkah sudah dijelaskan oleh petugas yang "
                "bertanggung jawab."
            ),
        ),
    ]
}


# --- helpers -------------------------------------------------------------------------------------------------


def _office_case(request, registration_number: str, *, for_page: bool = False) -> Case:
    """Returns the case of the user's office with this number. Raises Http404 for any other case, so that
    another office's numbers cannot even be confirmed to exist."""
    # U+0000 (a "%00" in the address) is in no number, and PostgreSQL refuses it in a query.
    if request.user.office_id is None or "\x00" in registration_number:
        raise Http404
    cases = Case.objects.select_related("office", "service_type", "assigned_to", "ppid_member")
    if for_page:
        cases = cases.prefetch_related(
            Prefetch(
                "steps",
                queryset=StepRecord.objects.select_related("responsible", "done_by", "explained_by").prefetch_related(
                    "pauses"
                ),
            ),
            # The page shows that a message or a file exists, never its content: leave the encrypted parts.
            Prefetch("requester_messages", queryset=RequesterMessage.objects.defer("body", "preferred_times")),
            Prefetch("documents", queryset=CaseDocument.objects.defer("content")),
        )
    return get_object_or_404(cases, office_id=request.user.office_id, registration_number=registration_number)


def _labels(choices, codes) -> list[str]:
    known = dict(choices.choices)
    return [str(known.get(code, code)) for code in codes or []]


def _available_actions(case: Case, user) -> list[CaseAction]:
    """Returns the rows of ``ACTIONS`` the workflow allows the user's role in the case's status."""
    allowed = set(workflow.actions_for_case(case, user.role))
    holder = services.holder_elsewhere(case, user)
    return [
        action
        for action in ACTIONS.values()
        if action.name in allowed and (holder is None or action.name in workflow.ANY_OFFICER_ACTIONS)
    ]


def _last_actor(case: Case):
    """Returns the staff member who made the latest change to the case, None for the requester or the
    system (opening personal data is not a change)."""
    event = (
        AuditEvent.objects.filter(case=case)
        .exclude(action="case.personal_data_viewed")
        .select_related("actor")
        .order_by("-seq")
        .first()
    )
    return event.actor if event else None


def _refusal(case: Case, user, action: CaseAction, seen_status: str, exc: DomainError | None = None) -> tuple:
    """Returns (message level, text) saying plainly why ``action`` was not taken; nothing was changed."""
    case.refresh_from_db(fields=["status", "assigned_to", "ppid_member"])
    status = Status(case.status).label
    unchanged = " " + _("Tindakan Anda tidak dijalankan dan tidak ada yang berubah.")
    if seen_status and seen_status != case.status:
        actor = _last_actor(case)
        if actor is not None and actor.pk == user.pk:
            return messages.INFO, _(
                "Anda sudah memproses kasus ini sebelumnya; statusnya sekarang “%(status)s”. Tindakan tidak "
                "dijalankan dua kali."
            ) % {"status": status}
        if actor is not None:
            return messages.ERROR, _(
                "Kasus ini sudah diproses petugas lain (%(name)s) sejak halaman Anda dibuka; statusnya sekarang "
                "“%(status)s”."
            ) % {"name": actor, "status": status} + unchanged
        return messages.ERROR, _("Status kasus ini berubah sejak halaman Anda dibuka; sekarang “%(status)s”.") % {
            "status": status
        } + unchanged
    transition = workflow.TRANSITIONS[action.name]
    if user.role not in transition.roles:
        return messages.ERROR, _("Peran Anda (%(role)s) tidak dapat melakukan “%(action)s”.") % {
            "role": user.get_role_display(),
            "action": action.label,
        } + unchanged
    if case.status not in transition.sources:
        return messages.ERROR, _("“%(action)s” tidak dapat dilakukan pada kasus berstatus “%(status)s”.") % {
            "action": action.label,
            "status": status,
        } + unchanged
    if exc is not None:
        return messages.ERROR, exc.message + unchanged
    holder = services.holder_elsewhere(case, user)
    if holder is not None:
        return messages.ERROR, _(
            "Kasus ini dipegang %(name)s. Minta Kepala mengalihkannya bila Anda perlu memprosesnya."
        ) % {"name": holder}
    return None, ""


@dataclass
class _StepRow:
    step: StepRecord
    explanation: list[str]
    overdue: bool
    paused: bool
    may_explain: bool


def _step_rows(case: Case, user) -> list[_StepRow]:
    now = clock.now()
    rows = []
    for step in case.steps.all():
        running = step.done_at is None
        paused = running and any(p.resumed_at is None for p in step.pauses.all())
        rows.append(
            _StepRow(
                step=step,
                explanation=explain_due(step) if running and step.is_officer_step else [],
                overdue=running and step.due_at is not None and now > step.due_at,
                paused=paused,
                may_explain=step.needs_explanation and user.pk in {step.responsible_id, step.done_by_id},
            )
        )
    return rows


def _case_summary(case: Case) -> dict:
    """The case's labels, with identifiers masked."""
    return {
        "id_document_type": label_of(IdType, case.id_document_type),
        "id_document_masked": mask_identifier(case.id_document_number) if case.id_document_number else "",
        "phone_masked": mask_phone(case.phone) if case.phone else "",
        "email_masked": mask_email(case.email) if case.email else "",
        "vulnerabilities": _labels(Vulnerability, case.vulnerabilities),
        "accommodations": _labels(Accommodation, case.accommodations),
        "delivery_mode": label_of(DeliveryMode, case.delivery_mode),
    }


# --- the legal deadline of a public-information request (UU 14/2008) ------------------------------------------


@dataclass(frozen=True)
class InformationDeadline:
    """Where the legal deadline stands. ``kind``: "on_time" and "late" while unanswered, "met" and "missed"
    once answered, "ended" when the case ended without an answer; ``label`` says it in words."""

    due_at: datetime
    kind: str
    label: str


def _moment(value: datetime, cal: BusinessCalendar) -> str:
    return formats.date_format(value.astimezone(cal.tz), "j M Y H:i")


def _working_days_left(cal: BusinessCalendar, now: datetime, due: datetime) -> int:
    """Returns the working days from now to the due moment on which the office is still to open or close:
    today counts while the office has not closed yet."""
    day, last = now.astimezone(cal.tz).date(), due.astimezone(cal.tz).date()
    count = 0
    while day <= last:
        window = cal.window(day)
        count += window is not None and window[1] > now
        day += timedelta(days=1)
    return count


def information_deadline(case: Case, *, now: datetime, cal: BusinessCalendar) -> InformationDeadline | None:
    """Returns the state of the case's legal deadline at ``now`` (None when the request has none), measured
    in office working time like the POS steps' standard times (``cases.queue.sla_state``)."""
    due = case.information_due_at
    if due is None:
        return None
    answered = information_answered_at(case)
    if answered is not None and answered <= due:
        return InformationDeadline(
            due, "met", _("Dijawab tepat waktu, %(moment)s") % {"moment": _moment(answered, cal)}
        )
    if answered is not None:
        late = duration_words(business_between(cal, due, answered))
        label = _("Dijawab terlambat %(amount)s waktu kerja, %(moment)s") % {
            "amount": late,
            "moment": _moment(answered, cal),
        }
        return InformationDeadline(due, "missed", label)
    if case.status in workflow.TERMINAL:
        label = _("Kasus berakhir tanpa jawaban tertulis (%(status)s)") % {"status": Status(case.status).label}
        return InformationDeadline(due, "ended", label)
    if now > due:
        late = duration_words(business_between(cal, due, now))
        return InformationDeadline(due, "late", _("Terlambat %(amount)s waktu kerja") % {"amount": late})
    days = _working_days_left(cal, now, due)
    label = ngettext(
        "Sisa %(days)d hari kerja (%(amount)s waktu kerja)",
        "Sisa %(days)d hari kerja (%(amount)s waktu kerja)",
        days,
    ) % {"days": days, "amount": duration_words(business_between(cal, now, due))}
    return InformationDeadline(due, "on_time", label)


# --- the sections of the case page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _HoldingRow:
    role: str
    name: str
    start: datetime
    end: datetime | None
    how: str
    reason: str


# How a holder got the case, by the audit action that gave it to them (``holders.Holding.how``).
HOLDING_HOW = {
    "case.submit": gettext_lazy("Mencatat permohonan"),
    "case.accept": gettext_lazy("Menerima permohonan"),
    "case.reassign": gettext_lazy("Dialihkan kepadanya"),
    "case.forward_to_ppid": gettext_lazy("Diteruskan kepadanya"),
}
HOLDING_ROLE = {holders.ULT: gettext_lazy("Petugas ULT"), holders.PPID: gettext_lazy("Tim PPID")}


def _holding_rows(case: Case) -> list[_HoldingRow]:
    """Returns who held the case when, with each officer's name (the audit trail keeps usernames)."""
    history = holders.case_holding_history(case)
    names = {user.username: str(user) for user in User.objects.filter(username__in={h.username for h in history})}
    return [
        _HoldingRow(
            role=str(HOLDING_ROLE.get(held.role, held.role)),
            name=names.get(held.username, held.username),
            start=held.start,
            end=held.end,
            how=str(HOLDING_HOW.get(held.how, held.how)),
            reason=held.reason,
        )
        for held in history
    ]


def _appointment_team(appointment: Appointment | None) -> dict:
    """Returns the appointment's officers and the labels of the accommodations to prepare."""
    if appointment is None:
        return {"officers": [], "accommodations": []}
    return {
        "officers": list(appointment.officers.order_by("first_name", "last_name", "username")),
        "accommodations": _labels(Accommodation, appointment.accommodations),
    }


def _contact_progress(case: Case) -> dict | None:
    """Returns on how many different working days contact failed and how many mark the requester
    unreachable, while contacting is the case's work (None otherwise)."""
    if case.status not in (Status.READY_TO_SCHEDULE, Status.UNREACHABLE):
        return None
    return {"failed": services.failed_contact_days(case), "needed": settings.JANGKAU_UNREACHABLE_AFTER_DAYS}


def _split_messages(request, anchor: str) -> tuple[list, list]:
    """Returns the pending messages for the top of the page and those of the section ``anchor`` (an action
    that lands there tags its success message with it)."""
    top, here = [], []
    for message in messages.get_messages(request):
        (here if anchor in (message.extra_tags or "").split() else top).append(message)
    return top, here


# --- views ---------------------------------------------------------------------------------------------------


@never_cache
@login_required
def case_detail(request, registration_number):
    """The case as officers work it: where it stands, what the requester needs, its steps against their
    standard times (with how each deadline was computed), the legal deadline of a public-information request,
    the internal thread, the result, the appointment, the delivery, the notices sent to the requester, who
    held it when, the messages and files it holds, and the actions the workflow allows the user now.
    Identifiers are masked; personal data opens through a logged view."""
    case = _office_case(request, registration_number, for_page=True)
    return render(request, "backoffice/case/detail.html", _page_context(request, case))


def _page_context(request, case: Case, personal_form: PersonalDataForm | None = None) -> dict:
    user = request.user
    actions = _available_actions(case, user)
    appointment = _current_appointment(case)
    documents = list(case.documents.all())
    may_note = ACTIONS["catatan"] in actions
    top_messages, thread_messages = _split_messages(request, ACTIONS["catatan"].anchor)
    cal = calendar_for(case.office)
    return {
        "case": case,
        "summary": _case_summary(case),
        "steps": _step_rows(case, user),
        "actions": [action for action in actions if action.listed],
        "holder_elsewhere": services.holder_elsewhere(case, user),
        "requester_messages": list(case.requester_messages.all()),
        # Files that show the requester open only through the logged personal-data view; results do not.
        "documents": [d for d in documents if d.kind != CaseDocument.Kind.RESULT],
        "result_documents": [d for d in documents if d.kind == CaseDocument.Kind.RESULT],
        "proof_documents": [d for d in documents if d.kind == CaseDocument.Kind.DELIVERY_PROOF],
        "personal_form": personal_form or PersonalDataForm(),
        "appointment": appointment,
        "appointment_mode": label_of(DeliveryMode, getattr(appointment, "mode", "")),
        "team": _appointment_team(appointment),
        "contact_attempts": _contact_attempts(case),
        "contact_progress": _contact_progress(case),
        "notes": list(case.notes.select_related("author")),
        "note_form": NoteForm(initial={"seen_status": case.status}, case=case, user=user) if may_note else None,
        "top_messages": top_messages,
        "thread_messages": thread_messages,
        "information": information_deadline(case, now=clock.now(), cal=cal),
        "information_explanation": explain_information_due(case),
        "delivery_mode": label_of(DeliveryMode, case.delivery_mode),
        "notices": list(case.notices.select_related("sent_by")),
        "holdings": _holding_rows(case),
        "outgoing_messages": _outgoing_messages(case),
        "may_work_deliveries": may_work_deliveries(user),
        "time_zone": cal.tz,
    }


def _outgoing_messages(case: Case) -> list:
    """Returns the case's messages to the requester with their delivery records, newest first; their
    contents stay encrypted (the page shows that a message went, not what it said)."""
    outgoing = list(deliveries(case.office, case=case).defer("body", "address"))
    for message in outgoing:
        message.event_label = event_label(message.event)
    return outgoing


def _contact_attempts(case: Case) -> list:
    channels = dict(CONTACT_CHANNELS)
    attempts = list(case.contact_attempts.select_related("officer").order_by("attempted_at"))
    for attempt in attempts:
        attempt.channel_label = str(channels.get(attempt.channel, attempt.channel))
    return attempts


def _current_appointment(case: Case) -> Appointment | None:
    """Returns the case's appointment that no reschedule has superseded, or None."""
    if not hasattr(case, "_current_appointment"):
        case._current_appointment = current_appointment(case)
    return case._current_appointment


@never_cache
@login_required
def case_personal_data(request, registration_number):
    """The requester's personal data, opened for a stated purpose and recorded (who, when, why).

    Shown only in answer to a POST, on a page no cache keeps. A GET shows only the question of purpose.
    With ``document`` the chosen file of the case is returned instead, and that opening is recorded too.
    """
    case = _office_case(request, registration_number)
    if request.method != "POST":
        return render(request, "backoffice/case/personal_data_form.html", {"case": case, "form": PersonalDataForm()})
    form = PersonalDataForm(request.POST)
    document = None
    if form.is_valid() and form.cleaned_data["document"]:
        document = case.documents.filter(pk=form.cleaned_data["document"]).first()
        if document is None:
            raise Http404
    if form.is_valid():
        purpose = form.cleaned_data["purpose"]
        if document is not None:
            # The service records the purpose only; the file opened is named in it so the trail says which.
            purpose = _("%(purpose)s [unduh dokumen %(id)s: %(kind)s]") % {
                "purpose": purpose,
                "id": document.pk,
                "kind": document.get_kind_display(),
            }
        try:
            data = services.case_view_personal_data(case=case, actor=request.user, purpose=purpose)
        except InvalidInput as exc:
            form.add_error("purpose", exc.message)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("backoffice:case_detail", registration_number=case.registration_number)
        else:
            if document is not None:
                return _document_response(document)
            return _personal_data_page(request, case, data, form.cleaned_data["purpose"])
    return render(request, "backoffice/case/personal_data_form.html", {"case": case, "form": form})


@never_cache
@login_required
def case_result_document(request, registration_number, document_id):
    """One of PPID's result files, as a download, for staff of the case's office (404 for anyone else, and
    for any other kind of file: the requester's own documents and the proof of delivery open only through
    the logged personal-data view).

    Result files are the office's own work product (a recap, a data table), prepared for the requester; a
    download is not an opening of personal data and is not audited."""
    case = _office_case(request, registration_number)
    document = get_object_or_404(case.documents, pk=document_id, kind=CaseDocument.Kind.RESULT)
    return _document_response(document)


def _document_response(document: CaseDocument) -> HttpResponse:
    response = HttpResponse(document_bytes(document), content_type=document.content_type)
    # Always a download, never shown inline in the staff site's origin.
    response["Content-Disposition"] = content_disposition_header(True, document.filename)
    return response


def _personal_data_page(request, case: Case, data: dict, purpose: str) -> HttpResponse:
    context = {
        "case": case,
        "data": data,
        "purpose": purpose,
        "opened_at": clock.now(),
        "id_document_type": label_of(IdType, data["id_document_type"]),
        "vulnerabilities": _labels(Vulnerability, data["vulnerabilities"]),
        "requester_messages": list(case.requester_messages.all()),
        "documents": list(case.documents.defer("content")),
    }
    return render(request, "backoffice/case/personal_data.html", context)


@never_cache
@login_required
def case_action(request, registration_number, action):
    """One action of ``ACTIONS``: its form (GET) and its taking (POST, then back to the case page).

    A refusal by the workflow or by the holder rule (another officer acted first, the role may not, someone
    else holds the case) goes back to the case page as a plain message; nothing changes. Wrong answers come
    back beside their fields.
    """
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    case = _office_case(request, registration_number)
    case_url = reverse("backoffice:case_detail", args=[case.registration_number])
    if request.method != "POST":
        if spec not in _available_actions(case, request.user):
            level, text = _refusal(case, request.user, spec, seen_status="")
            messages.add_message(request, level or messages.ERROR, text or _("Tindakan ini tidak tersedia."))
            return redirect(case_url)
        form = spec.form_class(initial={"seen_status": case.status}, case=case, user=request.user)
        return _render_action(request, case, spec, form)

    form = spec.form_class(request.POST, request.FILES, case=case, user=request.user)
    seen_status = request.POST.get("seen_status", "")
    if not form.is_valid() and spec not in _available_actions(case, request.user):
        # The answers do not matter any more: the case moved on, or the action was never the user's.
        level, text = _refusal(case, request.user, spec, seen_status)
        messages.add_message(request, level or messages.ERROR, text or _("Tindakan ini tidak tersedia."))
        return redirect(case_url)
    if form.is_valid():
        try:
            spec.perform(case, request.user, form.cleaned_data)
        except InvalidFields as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields and name != "seen_status" else None, message)
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        except DomainError as exc:
            level, text = _refusal(case, request.user, spec, seen_status, exc)
            messages.add_message(request, level or messages.ERROR, text or exc.message)
            return redirect(case_url)
        else:
            messages.success(request, spec.success % {"number": case.registration_number}, extra_tags=spec.anchor)
            return redirect(f"{case_url}#{spec.anchor}" if spec.anchor else case_url)
    return _render_action(request, case, spec, form)


def _render_action(request, case: Case, spec: CaseAction, form) -> HttpResponse:
    # The legal deadline and the current appointment are what the later forms' answers are about.
    context = {"case": case, "action": spec, "form": form, "appointment": _current_appointment(case)}
    return render(request, spec.template, context)


@never_cache
@login_required
def case_ics(request, registration_number):
    """The case's current appointment as a calendar file for the officers who go (``scheduling.ics``); 404
    when the case has no current appointment."""
    case = _office_case(request, registration_number)
    appointment = _current_appointment(case)
    if appointment is None:
        raise Http404
    return appointment_download(appointment, request)
