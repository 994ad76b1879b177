"""A case's progress as its requester reads it: a sentence for the status, the POS steps in plain words,
the schedule, and what the requester can do now. No officer names and no personal data: whoever holds the
tracking code sees this page, and a code can leak (a shared phone, a screenshot)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from jangkau.cases import workflow
from jangkau.cases.models import Case, RequesterNotice, Status, StepOutcome, StepRecord
from jangkau.cases.sla import information_answered_at
from jangkau.cases.vocabulary import DeliveryMode
from jangkau.core import clock
from jangkau.scheduling.selectors import current_of
from jangkau.surveys.invitations import survey_path
from jangkau.surveys.models import Invitation, Response

# What is happening and what comes next, for each status, written for the requester.
STATUS_SENTENCES = {
    Status.SUBMITTED: _(
        "Permohonan Anda sudah kami terima dan sedang diperiksa petugas. Jika ada data yang kurang, kami akan "
        "memberi tahu Anda."
    ),
    Status.AWAITING_INFO: _(
        "Petugas memerlukan data tambahan dari Anda sebelum permohonan dapat diproses. Kirim data yang diminta "
        "lewat halaman ini."
    ),
    Status.ACCEPTED: _("Permohonan Anda diterima. Petugas akan meneruskannya kepada Tim PPID untuk disiapkan."),
    Status.WITH_PPID: _(
        "Tim PPID sedang menyiapkan layanan yang Anda minta. Setelah siap, petugas akan menghubungi Anda untuk "
        "menyepakati jadwal."
    ),
    Status.READY_TO_SCHEDULE: _(
        "Layanan Anda sudah siap. Petugas akan segera menghubungi Anda untuk menyepakati jadwal layanan."
    ),
    Status.UNREACHABLE: _(
        "Petugas sudah beberapa kali mencoba menghubungi Anda, tetapi belum berhasil. Hubungi kantor kami agar "
        "jadwal layanan dapat disepakati."
    ),
    Status.SCHEDULED: _("Jadwal layanan sudah disepakati. Petugas akan melayani Anda sesuai jadwal di bawah ini."),
    Status.DELIVERED: _("Layanan sudah diberikan. Mohon beri penilaian Anda lewat survei kepuasan masyarakat."),
    Status.FEEDBACK_RECEIVED: _(
        "Layanan sudah diberikan dan masa survei sudah selesai. Petugas sedang merekap hasil survei."
    ),
    Status.RECAPPED: _(
        "Hasil survei sudah direkap. Kantor sedang mengevaluasi pelaksanaan layanan sebelum permohonan ditutup."
    ),
    Status.CLOSED: _("Layanan sudah selesai. Terima kasih telah menggunakan layanan kami."),
    Status.REJECTED: _(
        "Permohonan Anda tidak dapat kami layani. Alasannya, dan ke mana Anda dapat meminta layanan ini, tertulis "
        "di bawah."
    ),
    Status.CANCELLED: _(
        "Permohonan ini sudah dibatalkan. Jika Anda masih membutuhkan layanan, ajukan permohonan baru."
    ),
}

# The POS activities (``procedures/data/pos_*.toml``) in the requester's words; the workflow gives each step
# number a fixed meaning (``workflow.STEP_EFFECTS``), so the numbers key them.
STEP_WORDS = {
    1: _("Permohonan diajukan beserta data yang diperlukan."),
    2: _("Petugas mencatat permohonan dan memeriksa kelengkapannya."),
    3: _("Petugas dan Tim PPID menyiapkan layanan yang Anda minta."),
    4: _("Petugas menghubungi Anda dan menyepakati jadwal layanan."),
    5: _("Petugas memberikan layanan sesuai jadwal dan menyerahkan survei kepuasan."),
    6: _("Anda memberi penilaian lewat survei kepuasan masyarakat."),
    7: _("Petugas merekap hasil survei."),
    8: _("Kantor mengevaluasi pelaksanaan layanan."),
}

DONE_LABELS = {
    StepOutcome.DONE: _("Selesai"),
    StepOutcome.REJECTED: _("Selesai: permohonan tidak dapat dilayani"),
    StepOutcome.CANCELLED: _("Dihentikan karena permohonan dibatalkan"),
    StepOutcome.UNREACHABLE: _("Dihentikan: Anda tidak dapat dihubungi"),
    StepOutcome.EXPIRED: _("Masa survei berakhir"),
    StepOutcome.RESCHEDULED: _("Dijadwalkan ulang"),
}


@dataclass(frozen=True)
class TimelineItem:
    no: int
    words: str
    # "done", "now", "next" or "skipped" (a step the case will not reach: it ended before).
    state: str
    label: str
    moment: datetime | None = None


# Back in the contact queue because the office called the agreed appointment off (``case_cancel_appointment``).
APPOINTMENT_CANCELLED_SENTENCE = _(
    "Jadwal layanan Anda dibatalkan. Petugas akan menghubungi Anda lagi untuk menyepakati jadwal yang baru."
)


def status_sentence(case: Case) -> str:
    if cancelled_appointment(case) is not None:
        return str(APPOINTMENT_CANCELLED_SENTENCE)
    return str(STATUS_SENTENCES.get(case.status, case.get_status_display()))


def _latest_records(case: Case) -> dict[int, StepRecord]:
    latest: dict[int, StepRecord] = {}
    # The views prefetch the steps, ordered by opening: the last record of a step number is its current one.
    for record in case.steps.all():
        latest[record.step_no] = record
    return latest


def _open_label(case: Case, record: StepRecord) -> tuple[str, datetime | None]:
    if record.step_no == 2 and case.status == Status.AWAITING_INFO:
        return str(_("Menunggu data dari Anda")), None
    if record.step_no == 4 and case.status == Status.UNREACHABLE:
        return str(_("Menunggu kabar dari Anda")), None
    if record.opened_at > clock.now():
        # Step 5 opens at the appointment: until then it is scheduled, not running.
        return str(_("Dijadwalkan")), record.opened_at
    if record.step_no == 6 and record.due_at:
        return str(_("Sedang berjalan, batas waktu")), record.due_at
    return str(_("Sedang berjalan")), None


def timeline(case: Case) -> list[TimelineItem]:
    """Returns one item per step of the case's POS version, in order: what was done and when, what is
    happening now, and what comes next."""
    records = _latest_records(case)
    ended = case.status in workflow.TERMINAL
    items = []
    for pos_step in sorted(case.procedure.steps.all(), key=lambda step: step.no):
        words = str(STEP_WORDS.get(pos_step.no, pos_step.activity))
        record = records.get(pos_step.no)
        if record is not None and _called_off(case, record):
            # The office cancelled the appointment: step 5 waits for the next one, it did not end.
            items.append(TimelineItem(pos_step.no, words, "next", str(_("Jadwal dibatalkan, menunggu jadwal baru"))))
        elif record is not None and record.done_at is not None:
            label = str(DONE_LABELS.get(record.outcome, _("Selesai")))
            items.append(TimelineItem(pos_step.no, words, "done", label, record.done_at))
        elif record is not None:
            label, moment = _open_label(case, record)
            items.append(TimelineItem(pos_step.no, words, "now", label, moment))
        elif ended:
            items.append(TimelineItem(pos_step.no, words, "skipped", str(_("Tidak dilanjutkan"))))
        else:
            items.append(TimelineItem(pos_step.no, words, "next", str(_("Belum dimulai"))))
    return items


def _called_off(case: Case, record: StepRecord) -> bool:
    """Tells whether ``record`` is a step 5 ended by a cancelled appointment, not by a withdrawn request."""
    return record.step_no == 5 and record.outcome == StepOutcome.CANCELLED and case.status not in workflow.TERMINAL


def current_appointment(case: Case):
    """Returns the agreed appointment while the case is scheduled, None otherwise."""
    if case.status != Status.SCHEDULED:
        return None
    return current_of(case.appointments.all())


def cancelled_appointment(case: Case):
    """Returns the appointment the office called off while the case waits for a new one (back in the contact
    queue, ``ready_to_schedule``), None otherwise. It is never the current one: cancelling supersedes it."""
    if case.status != Status.READY_TO_SCHEDULE:
        return None
    latest = max(case.appointments.all(), key=lambda a: a.created_at, default=None)
    return latest if latest is not None and latest.cancellation_reason else None


def mode_label(mode: str) -> str:
    return str(DeliveryMode(mode).label) if mode in DeliveryMode.values else mode


@dataclass(frozen=True)
class Notice:
    """A written notice from the office, as the requester reads it: never who sent it."""

    kind: str
    label: str
    body: str
    sent_at: datetime
    # The extension of the legal deadline is the written notice UU 14/2008 art. 22(7) requires: it stands
    # out until the request is answered.
    important: bool


def notices(case: Case) -> list[Notice]:
    """Returns the office's written notices to the requester, newest first."""
    awaiting_answer = case.status not in workflow.TERMINAL and information_answered_at(case) is None
    return [
        Notice(
            kind=notice.kind,
            label=notice.get_kind_display(),
            body=notice.body,
            sent_at=notice.created_at,
            important=awaiting_answer and notice.kind == RequesterNotice.Kind.INFORMATION_EXTENSION,
        )
        for notice in case.notices.order_by("-created_at", "-id")
    ]


@dataclass(frozen=True)
class LegalDeadline:
    """The deadline of UU 14/2008 for a public-information request."""

    due_at: datetime
    extension_days: int | None
    answered_at: datetime | None
    # Unanswered past the deadline: the requester may object (keberatan) to the PPID's superior.
    overdue: bool = False


def legal_deadline(case: Case) -> LegalDeadline | None:
    """Returns the legal deadline of a public-information request, None for other services and for a
    request withdrawn before it was answered (no answer is owed any more)."""
    if case.information_due_at is None:
        return None
    answered_at = information_answered_at(case)
    if answered_at is None and case.status in workflow.TERMINAL:
        return None
    overdue = answered_at is None and clock.now() > case.information_due_at
    return LegalDeadline(case.information_due_at, case.information_extension_days or None, answered_at, overdue)


@dataclass(frozen=True)
class Delivery:
    """What the requester received. Only what they were handed: the officer's delivery notes, the result
    PPID prepared and the cost the office bore stay inside the office."""

    delivered_at: datetime | None
    mode: str
    documents: str


DELIVERED = frozenset({Status.DELIVERED, Status.FEEDBACK_RECEIVED, Status.RECAPPED, Status.CLOSED})


def delivery(case: Case) -> Delivery | None:
    """Returns the delivered service once step 5 is done, None before."""
    if case.delivered_at is None and case.status not in DELIVERED:
        return None
    return Delivery(
        case.delivered_at, mode_label(case.delivery_mode) if case.delivery_mode else "", case.documents_handed_over
    )


def requested_data(case: Case) -> str:
    """Returns what the officer asked the requester to send: the reason of step 2's running pause, which
    ``case_request_info`` writes; empty when nothing is awaited."""
    if case.status != Status.AWAITING_INFO:
        return ""
    record = _latest_records(case).get(2)
    if record is None:
        return ""
    pause = record.pauses.filter(resumed_at__isnull=True).order_by("-paused_at").first()
    return pause.reason if pause else ""


def can_send_missing_data(case: Case) -> bool:
    return case.status == Status.AWAITING_INFO


def can_request_reschedule(case: Case) -> bool:
    return case.status in workflow.TRANSITIONS["request_reschedule"].sources


def can_cancel(case: Case) -> bool:
    return case.status in workflow.CANCELLABLE


def survey_url_for(case: Case) -> str | None:
    """Returns the path of the case's satisfaction survey while its private link is open and unanswered,
    None otherwise (before delivery, once answered, after the link closed)."""
    invitation = Invitation.objects.filter(case=case).first()
    now = clock.now()
    if invitation is None or not invitation.opens_at <= now <= invitation.closes_at:
        return None
    if Response.objects.filter(case=case).exists():
        return None
    return survey_path(invitation)
