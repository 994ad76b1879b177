"""Generated data for benchmarks and load tests (``manage.py generate_data``): many realistic cases in every
status and many SKM responses for one office, written with bulk inserts.

Each case is walked through the workflow in memory the way the services walk a real one
(``workflow.PATH_TO_STATUS``, ``workflow.STEP_EFFECTS``): the same step records open and close in the same
order and with the same outcomes, their due moments come from the same business-time functions
(``cases.sla``) under the office calendar, a case waiting for the requester has its paused step, and
registration numbers continue the office's counters. Only the writing differs: thousands of rows per
statement instead of one action at a time, and a single audit event for the whole run instead of one per
action. Pages, reports, the queue and the SLA watch then see the cases as if the services had made them.

Generation runs in two passes over the cases. The first (``plan``) draws each case's status, channel and
submission moment and walks it once to make sure its path fits before now (an old enough submission for a
closed case); the cases are then numbered in submission order. The second walks each case again from the
same seed (so the same moments come out) and builds the rows. Keeping only a few values per case between
the passes keeps memory flat for 100,000 cases.

On PostgreSQL the rows go in with COPY (``CopyWriter``), elsewhere with ``bulk_create``; either way each
value passes through its model field's own conversion, so encrypted fields are encrypted at rest.
"""

from __future__ import annotations

import base64
import functools
import math
import random
import secrets
import time
from bisect import bisect
from collections import Counter as Tally
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate, islice
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models, transaction
from django.utils.translation import gettext

from jangkau.accounts.models import Role, User
from jangkau.audit.services import audit_record
from jangkau.cases.models import Case, Channel, Status, StepOutcome, StepPause, StepRecord
from jangkau.cases.queue_keys import current_step, key_of, rebuild_queue_keys
from jangkau.cases.services import TRACKING_ALPHABET, TRACKING_LENGTH, standard_days
from jangkau.cases.sla import WARN_SHARE, set_due
from jangkau.cases.vocabulary import (
    Accommodation,
    AccommodationsProvided,
    DeliveryMode,
    IdType,
    NeedMet,
    NotifyChannel,
    Vulnerability,
)
from jangkau.cases.workflow import PATH_TO_STATUS, TERMINAL
from jangkau.core import clock
from jangkau.core.businesstime import BusinessCalendar, add_business, add_working_days, due_with_pauses
from jangkau.core.crypto import search_hash
from jangkau.core.errors import DomainError
from jangkau.core.models import Counter
from jangkau.offices.calendar import calendar_for
from jangkau.offices.models import DEFAULT_HOURS, Office, OfficeHours, ServiceType
from jangkau.procedures.selectors import active_procedure
from jangkau.procedures.services import procedure_ensure_default
from jangkau.scheduling.models import Appointment, ContactAttempt
from jangkau.surveys.instrument import active_instrument
from jangkau.surveys.models import Invitation, Response

Report = Callable[[str], None]
# A row to write: its attributes are the model's column attribute names (``case_id``, not ``case``).
Row = SimpleNamespace


class Pick:
    """A weighted choice whose cumulative weights are summed once: ``random.choices`` sums them on every
    call, which costs more than the rest of a draw when it is made millions of times."""

    def __init__(self, options, weights):
        self.options = list(options)
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    @classmethod
    def of(cls, weights: dict) -> Pick:
        return cls(weights, weights.values())

    def __call__(self, rng: random.Random):
        return self.options[bisect(self.cumulative, rng.random() * self.total)]


# --- how the generated office looks ----------------------------------------------------------------------

# Share of cases per status, in percent: the benchmark wants a long queue, so most cases are still open.
STATUS_WEIGHTS = {
    Status.SUBMITTED: 14,
    Status.AWAITING_INFO: 6,
    Status.ACCEPTED: 8,
    Status.WITH_PPID: 14,
    Status.READY_TO_SCHEDULE: 12,
    Status.UNREACHABLE: 4,
    Status.SCHEDULED: 12,
    Status.DELIVERED: 8,
    Status.FEEDBACK_RECEIVED: 5,
    Status.RECAPPED: 5,
    Status.CLOSED: 8,
    Status.REJECTED: 2,
    Status.CANCELLED: 2,
}
CHANNEL_WEIGHTS = {
    Channel.WEB: 44,
    Channel.WHATSAPP: 18,
    Channel.PHONE: 14,
    Channel.WALK_IN: 6,
    Channel.EMAIL: 5,
    Channel.LETTER: 3,
    Channel.SOCIAL_MEDIA: 4,
    Channel.LAPOR: 4,
    Channel.API: 2,
}
# The requester submits these themselves; an officer records every other channel during office hours.
SELF_SERVICE_CHANNELS = frozenset({Channel.WEB, Channel.API})
# Days a case in this status is at least old: a case closed today would need a whole path within hours.
MIN_AGE_DAYS = {
    Status.UNREACHABLE: 4,
    Status.SCHEDULED: 1,
    Status.DELIVERED: 2,
    Status.FEEDBACK_RECEIVED: 4,
    Status.RECAPPED: 5,
    Status.CLOSED: 7,
    Status.CANCELLED: 1,
}
# Most officer steps are done within their POS time; the others overrun, some by days (a backlog).
ON_TIME_SHARE = 0.65
OVERRUN_MEAN_MINUTES = 600
# Share of delivered requesters who answer the survey (the others let the window pass).
ANSWER_SHARE = 0.85
URGENT_SHARE = 0.06
ULT_TO_CREATE, PPID_TO_CREATE = 4, 2
# Unlinked paper forms are spread over this many days up to today.
SURVEY_DAYS = 365
# Survey rows are drawn from this many prepared respondents (profile and answers): drawing a whole row per
# response would cost more than writing it.
RESPONDENT_POOL = 1 << 16
COPY_CHUNK = 100_000

# --- requester vocabulary --------------------------------------------------------------------------------

MEN = ["Budi", "Ahmad", "Agus", "Joko", "Bambang", "Slamet", "Hendra", "Rudi", "Dedi", "Eko", "Hadi", "Fajar",
       "Rizky", "Yusuf", "Imam", "Wahyu", "Arif", "Dimas", "Andi", "Bayu", "Teguh", "Sutrisno", "Suparman",
       "Heru", "Made", "Ketut", "Yohanes", "Samuel", "Rahmat", "Sugeng"]  # fmt: skip
WOMEN = ["Siti", "Sri", "Dewi", "Wulan", "Rina", "Maria", "Nur", "Ayu", "Fitri", "Putri", "Lestari", "Ratna",
         "Yuliana", "Endang", "Suryani", "Ani", "Desi", "Indah", "Kartini", "Nining", "Wati", "Rahayu", "Dian",
         "Novi", "Sari", "Ketut", "Theresia", "Aminah", "Fatimah", "Ningsih"]  # fmt: skip
FAMILY = ["Santoso", "Wijaya", "Pratama", "Saputra", "Hidayat", "Nugroho", "Setiawan", "Kusuma", "Lubis",
          "Siregar", "Nasution", "Simanjuntak", "Tobing", "Sitompul", "Harahap", "Manurung", "Rahman",
          "Hasibuan", "Wibowo", "Susanto", "Purnomo", "Gunawan", "Halim", "Sinaga", "Pardede", "Tanjung",
          "Sembiring", "Ginting", "Daulay", "Situmorang"]  # fmt: skip
# NIK regency codes and the area they stand for (mostly DKI Jakarta, some from the commuter belt).
AREAS = [
    ("3171", "Jakarta Selatan"),
    ("3172", "Jakarta Timur"),
    ("3173", "Jakarta Pusat"),
    ("3174", "Jakarta Barat"),
    ("3175", "Jakarta Utara"),
    ("3101", "Kepulauan Seribu"),
    ("3275", "Kota Bekasi"),
    ("3276", "Kota Depok"),
    ("3671", "Kota Tangerang"),
]
AREA_WEIGHTS = [20, 22, 12, 16, 14, 2, 6, 5, 3]
STREETS = ["Melati", "Kenanga", "Mawar", "Anggrek", "Flamboyan", "Cempaka", "Dahlia", "Kamboja", "Teratai",
           "Merpati", "Rajawali", "Kutilang", "Pemuda", "Swadaya", "Masjid", "Sekolah", "Haji", "Nawi", "Raya",
           "Bogor", "Kalibata", "Condet", "Cipinang", "Cilincing", "Pademangan"]  # fmt: skip
MOBILE_PREFIXES = ["811", "812", "813", "821", "822", "852", "853", "814", "815", "856", "857", "858", "817",
                   "818", "819", "859", "877", "878", "895", "896", "897", "881", "882", "887"]  # fmt: skip
MAIL_DOMAINS = ["gmail.com", "yahoo.co.id", "yahoo.com", "outlook.com", "ymail.com"]
EXCLUSIVE = {
    Vulnerability.CHILD: {Vulnerability.ELDERLY, Vulnerability.PREGNANT, Vulnerability.BREASTFEEDING},
    Vulnerability.ELDERLY: {Vulnerability.PREGNANT, Vulnerability.BREASTFEEDING},
}
VULNERABILITY_WEIGHTS = {
    Vulnerability.ELDERLY: 22,
    Vulnerability.DISABILITY_PHYSICAL: 14,
    Vulnerability.POOR: 14,
    Vulnerability.DISABILITY_BLIND: 6,
    Vulnerability.DISABILITY_DEAF: 5,
    Vulnerability.DISABILITY_INTELLECTUAL: 4,
    Vulnerability.DISABILITY_MENTAL: 3,
    Vulnerability.DISABILITY_SPEECH: 2,
    Vulnerability.PREGNANT: 6,
    Vulnerability.BREASTFEEDING: 5,
    Vulnerability.CHILD: 8,
    Vulnerability.DISASTER_NATURAL: 4,
    Vulnerability.DISASTER_SOCIAL: 2,
    Vulnerability.OTHER: 3,
}
DISABILITY_DETAILS = {
    Vulnerability.DISABILITY_PHYSICAL: ["Pengguna kursi roda", "Memakai kruk, sulit naik tangga",
                                        "Lumpuh sebagian setelah stroke"],
    Vulnerability.DISABILITY_BLIND: ["Tunanetra, membaca dengan pembaca layar", "Low vision, perlu huruf besar"],
    Vulnerability.DISABILITY_DEAF: ["Tuli, berkomunikasi dengan bahasa isyarat", "Gangguan pendengaran berat"],
    Vulnerability.DISABILITY_INTELLECTUAL: ["Disabilitas intelektual ringan, didampingi orang tua"],
    Vulnerability.DISABILITY_MENTAL: ["Mudah cemas di tempat ramai, lebih nyaman di rumah"],
    Vulnerability.DISABILITY_SPEECH: ["Sulit berbicara, lebih nyaman lewat pesan tertulis"],
}  # fmt: skip
# Accommodations a requester with each vulnerability tends to ask for.
ACCOMMODATIONS_FOR = {
    Vulnerability.DISABILITY_PHYSICAL: [Accommodation.WHEELCHAIR],
    Vulnerability.DISABILITY_BLIND: [Accommodation.AUDIO, Accommodation.BRAILLE, Accommodation.LARGE_PRINT],
    Vulnerability.DISABILITY_DEAF: [Accommodation.SIGN_LANGUAGE],
    Vulnerability.DISABILITY_INTELLECTUAL: [Accommodation.PLAIN_LANGUAGE, Accommodation.COMPANION],
    Vulnerability.DISABILITY_MENTAL: [Accommodation.COMPANION],
    Vulnerability.DISABILITY_SPEECH: [Accommodation.OTHER],
    Vulnerability.ELDERLY: [Accommodation.LARGE_PRINT, Accommodation.COMPANION],
}
COMPANION_RELATIONS = ["Anak", "Orang tua", "Suami", "Istri", "Saudara", "Tetangga", "Pendamping sosial"]
NEEDS = {
    "data-informasi": [
        "Salinan rapor mutu sekolah anak saya untuk pendaftaran SMP",
        "Data akreditasi sekolah di kecamatan kami",
        "Hasil asesmen nasional sekolah tempat anak saya belajar",
        "Daftar sekolah inklusif terdekat dari rumah",
    ],
    "konsultasi": [
        "Konsultasi penyusunan rencana kerja sekolah untuk PAUD yang saya kelola",
        "Konsultasi pemilihan sekolah yang ramah disabilitas untuk anak saya",
        "Konsultasi rapor pendidikan sekolah komunitas",
    ],
    "informasi-publik": [
        "Informasi anggaran bantuan operasional sekolah di wilayah kami",
        "Salinan laporan kinerja BPMP tahun lalu",
        "Informasi jumlah sekolah yang menerima pendampingan mutu",
    ],
    "pengaduan": [
        "Pengaduan sekolah yang menolak anak saya karena disabilitas",
        "Pengaduan pungutan di sekolah negeri",
    ],
}
GENERIC_NEEDS = [
    "Penjelasan tentang layanan pendidikan bagi anak berkebutuhan khusus",
    "Bantuan memperoleh dokumen pendidikan yang hilang saat banjir",
    "Informasi program pendidikan kesetaraan untuk orang dewasa",
]
NO_ID_REASONS = ["KTP hilang saat banjir", "Belum pernah membuat KTP", "KTP rusak dan sedang diurus",
                 "Tinggal di panti, dokumen disimpan pengurus"]  # fmt: skip
URGENT_REASONS = [
    "Batas pendaftaran sekolah anak tinggal beberapa hari",
    "Dokumen dibutuhkan untuk beasiswa yang segera ditutup",
    "Pemohon akan menjalani operasi minggu depan",
    "Rumah pemohon terdampak banjir, dokumen hilang",
]
MISSING_DATA = ["Foto kartu identitas", "Nama dan alamat sekolah yang dimaksud", "Nomor telepon yang aktif",
                "Surat kuasa dari pemohon", "Rincian data yang dibutuhkan"]  # fmt: skip
REJECTIONS = [
    ("Permintaan di luar layanan BPMP", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("Penerbitan ijazah pengganti bukan kewenangan BPMP", "Dinas Pendidikan Provinsi"),
    ("Bantuan sosial bukan layanan BPMP", "Dinas Sosial"),
]
CANCELLATIONS = ["Sudah mendapatkan dokumen dari sekolah", "Pemohon pindah domisili", "Kebutuhan sudah terpenuhi",
                 "Pemohon sakit, akan mengajukan lagi nanti"]  # fmt: skip
RESULTS = ["Rapor mutu sekolah 2025 (PDF)", "Data hasil asesmen nasional sekolah", "Catatan hasil konsultasi",
           "Jawaban tertulis atas permohonan informasi", "Daftar sekolah inklusif dan kontaknya"]  # fmt: skip
DELIVERY_NOTES = ["Dokumen diantar dan dijelaskan kepada pemohon", "Konsultasi lewat panggilan video 30 menit",
                  "Penjelasan lewat telepon, dokumen dikirim lewat WhatsApp", "Dokumen dikirim lewat pos"]  # fmt: skip
BREACH_EXPLANATIONS = [
    "Antrean permohonan menumpuk setelah libur panjang",
    "Petugas sedang melayani kunjungan di luar kantor",
    "Menunggu data dari Tim PPID",
    "Gangguan jaringan di kantor",
]
EVALUATION_NOTES = ["Layanan berjalan sesuai POS", "Pemohon puas, dokumen diterima lengkap",
                    "Kunjungan perlu dijadwalkan lebih pagi karena lalu lintas"]  # fmt: skip
SHORTFALL_NOTES = ["Sebagian data belum tersedia; akan dikirim menyusul",
                   "Juru bahasa isyarat tidak tersedia pada hari layanan",
                   "Cara layanan kurang sesuai kebutuhan"]  # fmt: skip
SUGGESTIONS = ["Petugas ramah dan sabar.", "Mohon jadwal kunjungan lebih fleksibel.", "Terima kasih, sangat membantu.",
               "Informasi di situs web perlu diperjelas.", "Waktu tunggu jadwal masih lama."]  # fmt: skip


CHANNELS = Pick.of(CHANNEL_WEIGHTS)
# Requesters submit at any hour, mostly by day and in the evening.
WEB_HOURS = Pick(range(24), [1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 8, 7, 8, 8, 7, 6, 5, 6, 7, 7, 5, 3, 2])
DELIVERY_MODES = Pick([DeliveryMode.VISIT, DeliveryMode.VIDEO_CALL, DeliveryMode.PHONE, DeliveryMode.COURIER,
                       DeliveryMode.EMAIL_WHATSAPP, DeliveryMode.OFFICE_PRIORITY], [40, 12, 14, 14, 12, 8])  # fmt: skip
# A requester withdraws from these statuses in the generated data. Waiting statuses are left out: withdrawing
# there also ends a pause, a path the generator does not need to make the queue realistic.
CANCELLED_FROM = Pick(
    [Status.SUBMITTED, Status.ACCEPTED, Status.WITH_PPID, Status.READY_TO_SCHEDULE, Status.SCHEDULED],
    [30, 15, 25, 15, 15],
)
SURVEY_MODES = Pick([Response.Mode.ONLINE, Response.Mode.PAPER, Response.Mode.ASSISTED], [60, 30, 10])
NEED_MET = Pick([NeedMet.MET, NeedMet.PARTLY, NeedMet.NOT_MET], [82, 14, 4])
ACCOMMODATIONS_PROVIDED = Pick(
    [AccommodationsProvided.PROVIDED, AccommodationsProvided.PARTLY, AccommodationsProvided.NOT_PROVIDED], [86, 10, 4]
)
VULNERABILITY_COUNT = Pick([1, 2, 3], [60, 32, 8])
VULNERABILITIES = Pick.of(VULNERABILITY_WEIGHTS)
AREA = Pick(AREAS, AREA_WEIGHTS)
ID_TYPES = Pick([IdType.KTP, IdType.KK, IdType.PASSPORT, IdType.OTHER, IdType.NONE], [78, 8, 1, 3, 10])
CHILD_ID_TYPES = Pick([IdType.KIA, IdType.KK, IdType.NONE], [60, 30, 10])
NOTIFY_BY_PHONE = Pick([NotifyChannel.WHATSAPP, NotifyChannel.SMS, NotifyChannel.NONE], [55, 15, 30])
AGE_BANDS = Pick([(15, 24), (25, 59), (60, 90)], [15, 55, 30])
SATISFACTION = Pick([4, 3, 2, 1], [42, 46, 10, 2])
SPREAD = Pick([-1, 0, 1], [15, 70, 15])
EDUCATION = Pick(Response.Education.values, [22, 18, 34, 8, 15, 3])
OCCUPATION = Pick(Response.Occupation.values, [12, 2, 24, 18, 2, 42])


# --- the run's fixed facts -------------------------------------------------------------------------------


class FastCalendar:
    """The office calendar with its day lookups remembered: the business-time functions ask about the same
    few hundred days hundreds of thousands of times, and a holiday lookup costs more than the arithmetic."""

    def __init__(self, cal: BusinessCalendar):
        self.cal = BusinessCalendar(tz=cal.tz, hours=cal.hours, closed_reason=functools.cache(cal.closed_reason))
        self.tz = cal.tz
        self.window = functools.cache(self.cal.window)
        self._working_days = {}

    def add(self, start: datetime, minutes: float) -> datetime:
        """Returns the moment ``minutes`` of office time after ``start``."""
        return add_business(self.cal, start, timedelta(minutes=minutes))

    def working_days(self, start: datetime, days: int) -> datetime:
        # add_working_days depends only on the day of ``start``: one computation per day and length.
        key = (start.astimezone(self.tz).date(), days)
        if key not in self._working_days:
            self._working_days[key] = add_working_days(self.cal, start, days)
        return self._working_days[key]

    def working_day_after(self, day: date, count: int) -> date:
        """Returns the ``count``-th working day after ``day``."""
        while count:
            day += timedelta(days=1)
            count -= self.window(day) is not None
        return day


@dataclass(frozen=True)
class PosStep:
    no: int
    activity: str
    is_officer_step: bool
    standard_minutes: int | None


@dataclass
class Context:
    office: Office
    now: datetime
    fc: FastCalendar
    procedure_id: int
    steps: dict[int, PosStep]
    # Per service: (id, code, is public information, {step no: standard days}).
    services: list[tuple[int, str, bool, dict[int, int | None]]]
    # Survey window of each service (its Standar Pelayanan), by id.
    survey_window: dict[int, int]
    ult: list[int]
    ppid: list[int]
    instrument_id: int
    grace_days: int
    window_days: int

    @functools.cached_property
    def pick_service(self) -> Pick:
        return Pick(self.services, [_service_weight(code) for _id, code, _public, _days in self.services])


# --- a case's path, walked in memory ---------------------------------------------------------------------


@dataclass
class StepDraft:
    no: int
    opened_at: datetime
    responsible: int | None
    # The moment the record opened with; ``opened_at`` moves earlier when the step is done before it (the
    # service does the same), while the due moment stays the one computed at opening.
    opened_first: datetime | None = None
    done_at: datetime | None = None
    done_by: int | None = None
    outcome: str = ""
    # Open pauses: (paused_at, reason).
    pauses: list[tuple[datetime, str]] = field(default_factory=list)

    def __post_init__(self):
        self.opened_first = self.opened_at


class Walk:
    """One case walked from submission to ``status`` along the services' path, in memory.

    Draws only from ``rng``, in a fixed order, so the same seed gives the same moments in both passes.
    Requester details are not drawn here: they do not change the path.
    """

    def __init__(self, ctx: Context, rng: random.Random, status: str, channel: str, submitted_at: datetime, fast: bool):
        self.ctx, self.rng, self.fast = ctx, rng, fast
        self.status, self.channel = status, channel
        self.steps: list[StepDraft] = []
        self.case: dict = {"closed_at": None, "delivered_at": None, "ppid_member_id": None}
        self.attempts: list[tuple[datetime, str]] = []
        self.appointment: dict | None = None
        self.invitation_at: datetime | None = None
        self.answered: tuple[datetime, str] | None = None
        self.evaluation: tuple[str, bool, str] | None = None
        self.cancel_from = None
        self.service = ctx.pick_service(rng)
        self.mode = DELIVERY_MODES(rng)
        self._submit(submitted_at)
        for action in self._path():
            getattr(self, f"_{action}")()

    def _path(self) -> list[str]:
        if self.status == Status.CANCELLED:
            self.cancel_from = CANCELLED_FROM(self.rng)
            return [*PATH_TO_STATUS[self.cancel_from], "cancel"]
        return PATH_TO_STATUS[self.status]

    # Moments --------------------------------------------------------------------------------------------

    def _work(self, no: int) -> float:
        """Returns the office minutes an officer took for step ``no``."""
        standard = self.ctx.steps[no].standard_minutes or 5
        if self.fast or self.rng.random() < ON_TIME_SHARE:
            return standard * self.rng.uniform(0.2, 1.0)
        return standard + self.rng.expovariate(1 / OVERRUN_MEAN_MINUTES)

    def _done(self, no: int) -> datetime:
        """Returns when the officer finished step ``no``, counted from the later of its opening and the last
        action (an officer works one case at a time: forwarding to PPID comes before PPID's result)."""
        return self.ctx.fc.add(max(self._open(no).opened_at, self.at), self._work(no))

    def _open(self, no: int) -> StepDraft:
        return next(step for step in reversed(self.steps) if step.no == no and step.done_at is None)

    def _start(self, no: int, at: datetime, responsible: int | None) -> None:
        officer_step = self.ctx.steps[no].is_officer_step
        self.steps.append(StepDraft(no=no, opened_at=at, responsible=responsible if officer_step else None))

    def _finish(self, no: int, at: datetime, outcome: str, by: int | None) -> None:
        step = self._open(no)
        # A step done before it became actionable (before the appointment) was actionable then.
        step.opened_at = min(step.opened_at, at)
        step.done_at, step.done_by, step.outcome = at, by, outcome
        self.at = at

    def _officer(self) -> int:
        return self.case["assigned_to_id"] or self.rng.choice(self.ctx.ult)

    # Actions, named as in the transition table ----------------------------------------------------------

    def _submit(self, at: datetime) -> None:
        officer = None if self.channel in SELF_SERVICE_CHANNELS else self.rng.choice(self.ctx.ult)
        self.case["assigned_to_id"] = officer
        self.submitted_at = self.at = at
        # The web form takes a few minutes to fill in; an officer types a request in as it is told.
        started = at - timedelta(seconds=self.rng.randint(60, 900)) if officer is None else at
        self._start(1, started, None)
        self._finish(1, at, StepOutcome.DONE, officer)
        self._start(2, at, officer)

    def _request_info(self) -> None:
        at = self._done(2)
        self._open(2).pauses.append((at, self.rng.choice(MISSING_DATA)))
        self.at = at

    def _reject(self) -> None:
        self._finish(2, self._done(2), StepOutcome.REJECTED, self._officer())
        self.case["closed_at"] = self.at

    def _accept(self) -> None:
        officer = self._officer()
        self._finish(2, self._done(2), StepOutcome.DONE, officer)
        self.case["assigned_to_id"] = officer
        self._start(3, self.at, officer)

    def _forward_to_ppid(self) -> None:
        self.case["ppid_member_id"] = self.rng.choice(self.ctx.ppid)
        self.at = self.ctx.fc.add(self.at, self.rng.uniform(0.5, 3))

    def _record_result(self) -> None:
        self._finish(3, self._done(3), StepOutcome.DONE, self.case["ppid_member_id"])
        self._start(4, self.at, self.case["assigned_to_id"])

    def _mark_unreachable(self) -> None:
        # The rule counts failed tries on different working days: one on each of the next three.
        day = self.at.astimezone(self.ctx.fc.tz).date()
        for _ in range(settings.JANGKAU_UNREACHABLE_AFTER_DAYS):
            day = self.ctx.fc.working_day_after(day, 1)
            opens, closes = self.ctx.fc.window(day)
            moment = opens + (closes - opens) * self.rng.uniform(0.1, 0.9)
            self.attempts.append((moment, self.rng.choice(["no_answer", "no_answer", "wrong_number", "message_left"])))
        self.at = self.attempts[-1][0] + timedelta(minutes=1)
        # The same words the service stores (``case_mark_unreachable``).
        self._open(4).pauses.append((self.at, gettext("Pemohon tidak dapat dihubungi")))

    def _schedule(self) -> None:
        officer = self.case["assigned_to_id"]
        self._finish(4, self._done(4), StepOutcome.DONE, officer)
        gap = 1 if self.fast else self.rng.randint(1, 7)
        day = self.ctx.fc.working_day_after(self.at.astimezone(self.ctx.fc.tz).date(), gap)
        opens, closes = self.ctx.fc.window(day)
        slots = int((closes - opens).total_seconds() // 900) - 4
        starts_at = opens + timedelta(minutes=30 + 15 * self.rng.randrange(max(slots, 1)))
        team = [officer]
        if self.rng.random() < 0.2:
            team.append(self.case["ppid_member_id"] or self.rng.choice(self.ctx.ppid))
        self.appointment = {"starts_at": starts_at, "created_at": self.at, "officer": officer, "team": team}
        self._start(5, starts_at, officer)

    def _deliver(self) -> None:
        self._finish(5, self._done(5), StepOutcome.DONE, self.case["assigned_to_id"])
        self.case["delivered_at"] = self.invitation_at = self.at
        self._start(6, self.at, None)

    def _record_feedback(self) -> None:
        opened = self._open(6).opened_at
        due = self._due(6, opened)
        officer = self.case["assigned_to_id"]
        if self.rng.random() < ANSWER_SHARE:
            at = opened + (due - opened) * self.rng.uniform(0.02, 0.2 if self.fast else 0.9)
            mode = SURVEY_MODES(self.rng)
            if mode != Response.Mode.ONLINE:
                # A paper form or an interview is typed in by an officer, in office hours (never past ``due``,
                # which is a closing time).
                at = self.ctx.fc.add(at, 0)
            self.answered = (at, mode)
            self._finish(6, at, StepOutcome.DONE, None if mode == Response.Mode.ONLINE else officer)
        else:
            # Nobody answered: an officer ends the window once it has passed (``case_expire_feedback``).
            self._finish(6, self.ctx.fc.add(due, self.rng.uniform(5, 600)), StepOutcome.EXPIRED, officer)
        self._start(7, self.at, officer)

    def _recap_feedback(self) -> None:
        self._finish(7, self._done(7), StepOutcome.DONE, self.case["assigned_to_id"])
        self._start(8, self.at, self.case["assigned_to_id"])

    def _close(self) -> None:
        self._finish(8, self._done(8), StepOutcome.DONE, self.case["assigned_to_id"])
        self.case["closed_at"] = self.at
        need, provided = NEED_MET(self.rng), ACCOMMODATIONS_PROVIDED(self.rng)
        self.evaluation = (need, self.rng.random() < 0.92, provided)

    def _cancel(self) -> None:
        at = self.ctx.fc.add(self.at, self.rng.uniform(10, 60) if self.fast else self.rng.expovariate(1 / 500))
        by = None if self.rng.random() < 0.6 else self._officer()
        for step in self.steps:
            if step.done_at is None:
                self._finish(step.no, at, StepOutcome.CANCELLED, by)
        self.case["closed_at"] = at

    def _due(self, no: int, opened: datetime) -> datetime:
        """Returns step ``no``'s due moment from ``opened`` (no pauses): working days or office minutes."""
        days = self.service[3][no]
        if days is not None:
            return self.ctx.fc.working_days(opened, days)
        return self.ctx.fc.add(opened, self.ctx.steps[no].standard_minutes or 0)


def _service_weight(code: str) -> int:
    return {"data-informasi": 40, "konsultasi": 25, "informasi-publik": 15, "pengaduan": 10}.get(code, 10)


# --- pass 1: the plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    submitted_at: datetime
    status: str
    channel: str
    seed: int
    fast: bool


def _status_counts(n: int) -> dict[str, int]:
    """Returns how many cases of each status, by largest remainder: exact shares, and every status present
    as soon as there are enough cases."""
    total = sum(STATUS_WEIGHTS.values())
    exact = {status: n * weight / total for status, weight in STATUS_WEIGHTS.items()}
    counts = {status: int(value) for status, value in exact.items()}
    if n >= len(STATUS_WEIGHTS):
        counts = {status: max(count, 1) for status, count in counts.items()}
    by_remainder = sorted(exact, key=lambda status: exact[status] - int(exact[status]), reverse=True)
    for status in by_remainder[: max(n - sum(counts.values()), 0)]:
        counts[status] += 1
    while sum(counts.values()) > n:  # the minimum of one per status took from the largest
        largest = max(counts, key=counts.get)
        counts[largest] -= 1
    return counts


def _submission_moment(ctx: Context, rng: random.Random, status: str, channel: str) -> datetime:
    """Returns a submission moment in the history window, old enough for the status's path. A requester
    submits at any hour, more often by day; an officer records a request during office hours."""
    latest = ctx.now - timedelta(days=MIN_AGE_DAYS.get(status, 0))
    earliest = ctx.now - timedelta(days=ctx.window_days)
    moment = earliest + (latest - earliest) * rng.random()
    local = moment.astimezone(ctx.fc.tz)
    if channel in SELF_SERVICE_CHANNELS:
        moment = local.replace(hour=WEB_HOURS(rng), minute=rng.randrange(60), second=rng.randrange(60))
    else:
        day = local.date()
        while ctx.fc.window(day) is None:
            day -= timedelta(days=1)
        opens, closes = ctx.fc.window(day)
        moment = opens + (closes - opens) * rng.random()
    return min(moment, latest)


def _fitted(ctx: Context, planned: Planned) -> Planned:
    """Returns ``planned`` with a path that ends before now: as drawn, else with every step done promptly,
    else submitted earlier by what the path overshot."""
    submitted_at = planned.submitted_at
    for _attempt in range(20):
        for fast in (False, True):
            walk = Walk(ctx, random.Random(planned.seed), planned.status, planned.channel, submitted_at, fast)
            if walk.at <= ctx.now:
                return Planned(submitted_at, planned.status, planned.channel, planned.seed, fast)
        submitted_at -= timedelta(days=math.ceil((walk.at - ctx.now) / timedelta(days=1)) + 1)
    raise RuntimeError(f"no path to {planned.status} fits before {ctx.now}")  # pragma: no cover


def plan(ctx: Context, rng: random.Random, n: int) -> list[Planned]:
    """Returns ``n`` planned cases in submission order."""
    statuses = [status for status, count in _status_counts(n).items() for _ in range(count)]
    rng.shuffle(statuses)
    planned = []
    for status in statuses:
        channel = CHANNELS(rng)
        moment = _submission_moment(ctx, rng, status, channel)
        planned.append(_fitted(ctx, Planned(moment, status, channel, rng.getrandbits(64), False)))
    planned.sort(key=lambda p: p.submitted_at)
    return planned


# --- pass 2: the rows ------------------------------------------------------------------------------------


def _nik(rng: random.Random, regency: str, born: date, female: bool) -> str:
    day = born.day + (40 if female else 0)
    return f"{regency}{rng.randint(1, 10):02d}{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(1, 9999):04d}"


def _requester(ctx: Context, rng: random.Random, walk: Walk) -> dict:
    """Returns the requester's details as Case fields (plaintext: the model's fields encrypt on save)."""
    vulnerabilities = list(dict.fromkeys(VULNERABILITIES(rng) for _ in range(VULNERABILITY_COUNT(rng))))
    # A child is not also elderly or expecting, nor an elderly person expecting.
    for group, excluded in EXCLUSIVE.items():
        if group in vulnerabilities:
            vulnerabilities = [v for v in vulnerabilities if v not in excluded]
    female = bool({Vulnerability.PREGNANT, Vulnerability.BREASTFEEDING} & set(vulnerabilities)) or rng.random() < 0.5
    today = ctx.now.date()
    if Vulnerability.CHILD in vulnerabilities:
        age = rng.randint(6, 17)
    elif Vulnerability.ELDERLY in vulnerabilities:
        age = rng.randint(60, 92)
    else:
        age = rng.randint(19, 59)
    born = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
    name = f"{rng.choice(WOMEN if female else MEN)} {rng.choice(FAMILY)}"
    regency, area = AREA(rng)
    id_type = (CHILD_ID_TYPES if age < 17 else ID_TYPES)(rng)
    nik = _nik(rng, regency, born, female) if id_type in (IdType.KTP, IdType.KIA, IdType.KK) else ""
    if id_type == IdType.PASSPORT:
        id_number = f"C{rng.randint(1_000_000, 9_999_999)}"
    elif id_type == IdType.OTHER:
        id_number = f"SKTM-{rng.randint(100, 999)}/{today.year}"
    else:
        id_number = nik
    phone = f"+62{rng.choice(MOBILE_PREFIXES)}{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.93 else ""
    email = ""
    if not phone or rng.random() < 0.25:
        first, *rest = name.lower().split()
        email = f"{first}.{rest[-1]}{rng.randint(1, 999)}@{rng.choice(MAIL_DOMAINS)}"
    disabilities = [DISABILITY_DETAILS[v] for v in vulnerabilities if v in DISABILITY_DETAILS]
    accommodations = sorted({a for v in vulnerabilities for a in ACCOMMODATIONS_FOR.get(v, []) if rng.random() < 0.6})
    companion = age < 17 or Vulnerability.DISABILITY_INTELLECTUAL in vulnerabilities or rng.random() < 0.12
    urgent = rng.random() < URGENT_SHARE
    return {
        "requester_name": name,
        "id_document_type": id_type,
        "id_document_number": id_number,
        "nik_hash": search_hash(nik, purpose="nik") if nik else "",
        "no_id_reason": rng.choice(NO_ID_REASONS) if id_type == IdType.NONE else "",
        "phone": phone,
        "email": email,
        "address": f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 150)}, RT {rng.randint(1, 15):03d}/RW "
        f"{rng.randint(1, 12):03d}, {area}",
        "area": area,
        "vulnerabilities": vulnerabilities,
        "disability_details": "; ".join(rng.choice(options) for options in disabilities),
        "need": rng.choice(NEEDS.get(walk.service[1], GENERIC_NEEDS)),
        "delivery_mode": walk.mode,
        "accommodations": accommodations,
        "companion_name": f"{rng.choice(MEN + WOMEN)} {name.split()[-1]}" if companion else "",
        "companion_relation": rng.choice(COMPANION_RELATIONS) if companion else "",
        "notify_channel": NOTIFY_BY_PHONE(rng) if phone else NotifyChannel.EMAIL,
        "language": "en" if rng.random() < 0.03 else "id",
        "urgent": urgent,
        "urgent_reason": rng.choice(URGENT_REASONS) if urgent else "",
    }


def _tracking_code(rng: random.Random) -> str:
    return "".join(rng.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def _outcome_fields(rng: random.Random, walk: Walk, person: dict) -> dict:
    """Returns what the path wrote on the case besides its status: result, delivery, closing, reasons."""
    fields = {}
    status = walk.status
    if walk.steps[1].outcome == StepOutcome.REJECTED:
        fields["rejection_reason"], fields["referral"] = rng.choice(REJECTIONS)
    if status == Status.CANCELLED:
        fields["cancellation_reason"] = rng.choice(CANCELLATIONS)
    if any(step.no == 4 for step in walk.steps):
        fields["result_summary"] = rng.choice(RESULTS)
    if walk.case["delivered_at"]:
        fields["delivery_notes"] = rng.choice(DELIVERY_NOTES)
        fields["documents_handed_over"] = rng.choice(RESULTS) if rng.random() < 0.6 else ""
        if walk.mode in (DeliveryMode.VISIT, DeliveryMode.COURIER) and rng.random() < 0.4:
            fields["office_cost"] = rng.randrange(15_000, 150_000, 5_000)
            fields["office_cost_note"] = "Ongkos transportasi" if walk.mode == DeliveryMode.VISIT else "Biaya kurir"
    if walk.evaluation:
        need, mode_right, provided = walk.evaluation
        if not person["accommodations"]:
            provided = AccommodationsProvided.NONE_ASKED
        # The service demands notes whenever something did not go well.
        unmet = provided in (AccommodationsProvided.PARTLY, AccommodationsProvided.NOT_PROVIDED)
        shortfall = need != NeedMet.MET or not mode_right or unmet
        fields.update(
            evaluation_need_met=need,
            evaluation_mode_right=mode_right,
            evaluation_accommodations=provided,
            evaluation=rng.choice(SHORTFALL_NOTES) if shortfall else rng.choice(["", *EVALUATION_NOTES]),
        )
    return fields


def _deadline(fc: FastCalendar, record: Row, draft: StepDraft) -> None:
    """Sets the record's due and warning moments as the services do when it opens (``sla.set_due``)."""
    if not draft.pauses:
        set_due(record, fc.cal)
        return
    # ``sla.compute_due`` reads the pauses of a saved record; these are not saved yet, so the same rule is
    # applied to them here: a step paused before its time ran out has no due moment while on hold.
    spans = [(paused, None) for paused, _reason in draft.pauses]
    minutes = record.standard_minutes or 0
    record.due_at = due_with_pauses(fc.cal, record.opened_at, timedelta(minutes=minutes), spans)
    record.warn_at = None
    if record.due_at is not None and minutes:
        record.warn_at = due_with_pauses(fc.cal, record.opened_at, timedelta(minutes=minutes * WARN_SHARE), spans)


def _alerts(record: Row, now: datetime) -> None:
    """Marks the warnings and breach alerts the SLA watch (every minute) would already have sent, so the
    first watch after generation does not send one for each of a hundred thousand old steps."""
    if not record.is_officer_step:
        return
    end = record.done_at or now
    if record.due_at is not None and record.due_at < end:
        record.breach_alerted_at = min(record.due_at + timedelta(minutes=1), end)
    if record.warn_at is not None and record.warn_at < end:
        record.warned_at = min(record.warn_at + timedelta(minutes=1), end)


def _explain(rng: random.Random, fc: FastCalendar, record: Row, closed_at: datetime | None, now: datetime) -> None:
    """Writes the responsible officer's explanation of an overrun. ``closed_at`` is the closing moment of a
    closed case, which cannot close while one is missing; on other cases some are still to be written."""
    if not (record.breached and record.is_officer_step):
        return
    if closed_at is None and rng.random() < 0.6:
        return
    latest = min(closed_at or now, now)
    record.breach_explanation = rng.choice(BREACH_EXPLANATIONS)
    record.explained_by_id = record.responsible_id or record.done_by_id
    record.explained_at = min(fc.add(record.done_at, rng.uniform(5, 600)), latest)


@dataclass
class Bundle:
    """The rows of one case. Child rows name their parent row, whose id exists only once it is written."""

    case: Row
    steps: list[Row]
    pauses: list[tuple[Row, Row]]
    appointment: tuple[Row, list[int]] | None
    attempts: list[Row]
    invitation: Row | None
    response: Row | None


class Builder:
    """Turns planned cases into rows (pass 2), remembering the tracking codes and linked surveys so far."""

    def __init__(self, ctx: Context, surveys_budget: int, respondents: list[dict]):
        self.ctx = ctx
        self.surveys_budget = surveys_budget
        self.respondents = respondents
        self.tracking_codes: set[str] = set()
        self.linked = 0

    def bundle(self, planned: Planned, number: str) -> Bundle:
        ctx = self.ctx
        walk = Walk(ctx, random.Random(planned.seed), planned.status, planned.channel, planned.submitted_at,
                    planned.fast)  # fmt: skip
        # The requester's details come from a second stream, so drawing them never moves the path's moments.
        rng = random.Random(planned.seed ^ 0x5EED)
        person = _requester(ctx, rng, walk)
        code = _tracking_code(rng)
        while code in self.tracking_codes:
            code = _tracking_code(rng)
        self.tracking_codes.add(code)
        service_id, _code, public_information, step_days = walk.service
        case = Row(
            office_id=ctx.office.pk,
            procedure_id=ctx.procedure_id,
            service_type_id=service_id,
            registration_number=number,
            tracking_code=code,
            status=planned.status,
            channel=planned.channel,
            submitted_at=walk.submitted_at,
            consent_given_at=walk.submitted_at,
            information_due_at=ctx.fc.working_days(walk.submitted_at, 10) if public_information else None,
            **walk.case,
            **person,
            **_outcome_fields(rng, walk, person),
        )
        steps, pauses = [], []
        for draft in walk.steps:
            step = self._step(rng, case, draft, step_days)
            steps.append(step)
            pauses.extend((step, Row(paused_at=at, reason=reason)) for at, reason in draft.pauses)
        # Stored here from the steps just built, as ``queue_keys`` would store them: rebuilding the keys
        # afterwards then only reads (and confirms) them instead of rewriting every case.
        open_steps = sorted((s for s in steps if s.done_at is None), key=lambda s: (s.step_no, s.opened_at))
        case.queue_group, case.queue_due_at = key_of(
            status=case.status, urgent=case.urgent, step=current_step(open_steps)
        )
        attempts = [Row(channel="phone", attempted_at=at, result=result, officer_id=case.assigned_to_id)
                    for at, result in walk.attempts]  # fmt: skip
        return Bundle(
            case=case,
            steps=steps,
            pauses=pauses,
            appointment=self._appointment(walk, person),
            attempts=attempts,
            invitation=self._invitation(rng, walk, service_id),
            response=self._response(rng, case, walk, steps),
        )

    def _step(self, rng, case: Row, draft: StepDraft, step_days) -> Row:
        pos = self.ctx.steps[draft.no]
        step = Row(
            pk=None,
            step_no=draft.no,
            activity=pos.activity,
            is_officer_step=pos.is_officer_step,
            standard_minutes=pos.standard_minutes,
            standard_days=step_days[draft.no],
            opened_at=draft.opened_first,
            responsible_id=draft.responsible,
            done_at=None,
            breached=False,
        )
        _deadline(self.ctx.fc, step, draft)
        step.opened_at = draft.opened_at
        if draft.done_at is not None:
            step.done_at, step.done_by_id, step.outcome = draft.done_at, draft.done_by, draft.outcome
            step.breached = step.due_at is not None and step.done_at > step.due_at
        _alerts(step, self.ctx.now)
        _explain(rng, self.ctx.fc, step, case.closed_at if case.status == Status.CLOSED else None, self.ctx.now)
        return step

    def _appointment(self, walk: Walk, person: dict) -> tuple[Row, list[int]] | None:
        if walk.appointment is None:
            return None
        a = walk.appointment
        appointment = Row(
            starts_at=a["starts_at"],
            mode=walk.mode,
            place="Rumah pemohon" if walk.mode == DeliveryMode.VISIT else "",
            officer_id=a["officer"],
            accommodations=person["accommodations"],
            created_at=a["created_at"],
        )
        return appointment, a["team"]

    def _invitation(self, rng, walk: Walk, service_id: int) -> Row | None:
        if walk.invitation_at is None:
            return None
        # The same shape as ``secrets.token_urlsafe(24)``, drawn from the seed for reproducible runs.
        token = base64.urlsafe_b64encode(rng.getrandbits(192).to_bytes(24, "big")).rstrip(b"=").decode()
        window = self.ctx.survey_window[service_id] + self.ctx.grace_days
        return Row(
            token=token,
            token_hash=search_hash(token, purpose="survey-invitation"),
            opens_at=walk.invitation_at,
            closes_at=self.ctx.fc.working_days(walk.invitation_at, window),
            created_at=walk.invitation_at,
        )

    def _response(self, rng, case: Row, walk: Walk, steps: list[Row]) -> Row | None:
        if walk.answered is None:
            return None
        at, mode = walk.answered
        if self.linked >= self.surveys_budget:
            # No survey left to link: the officer recorded the feedback heard some other way.
            next(s for s in steps if s.step_no == 6).done_by_id = case.assigned_to_id
            return None
        self.linked += 1
        return Row(
            office_id=self.ctx.office.pk,
            instrument_id=self.ctx.instrument_id,
            mode=mode,
            answered_on=at.astimezone(self.ctx.fc.tz).date(),
            recorded_by_id=None if mode == Response.Mode.ONLINE else case.assigned_to_id,
            created_at=at,
            **self.respondents[rng.randrange(len(self.respondents))],
        )


def insert(writer: Writer, bundles: list[Bundle]) -> int:
    """Writes the bundles' rows, parents first so that each child row gets its parent's id; returns how many
    step records. Runs inside the caller's transaction."""
    writer.write(Case, [b.case for b in bundles], ids=True)
    for b in bundles:
        for row in (*b.steps, *b.attempts, b.invitation, b.response, b.appointment and b.appointment[0]):
            if row:
                row.case_id = b.case.id
    steps = [step for b in bundles for step in b.steps]
    writer.write(StepRecord, steps, ids=True)
    pauses = [pause for b in bundles for pause in b.pauses]
    for step, pause in pauses:
        pause.step_id = step.id
    writer.write(StepPause, [pause for _step, pause in pauses])
    appointments = [b.appointment for b in bundles if b.appointment]
    writer.write(Appointment, [a for a, _team in appointments], ids=True)
    team = [Row(appointment_id=a.id, user_id=user) for a, users in appointments for user in users]
    writer.write(Appointment.officers.through, team)
    writer.write(ContactAttempt, [a for b in bundles for a in b.attempts])
    writer.write(Invitation, [b.invitation for b in bundles if b.invitation])
    writer.write(Response, [b.response for b in bundles if b.response])
    return len(steps)


# --- writing rows ----------------------------------------------------------------------------------------

# Fields whose Python value the database driver takes as it is. Every other field (encrypted text, JSON,
# e-mail) converts its value with its own ``get_db_prep_save``, exactly as a save would: an encrypted field
# encrypts there.
PLAIN_FIELDS = frozenset({
    models.AutoField, models.BigAutoField, models.ForeignKey, models.CharField, models.TextField,
    models.BooleanField, models.DateField, models.DateTimeField, models.IntegerField, models.PositiveIntegerField,
    models.PositiveSmallIntegerField, models.SmallIntegerField,
})  # fmt: skip


class Table:
    """One model's columns, their defaults and how each value is converted for the database."""

    def __init__(self, model, *, with_ids: bool):
        # Without ids the database numbers the rows itself: the primary key is left out.
        self.fields = [f for f in model._meta.concrete_fields if with_ids or not f.primary_key]
        self.attnames = [f.attname for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields if not f.primary_key}
        self.converters = [None if type(f) in PLAIN_FIELDS else f for f in self.fields]

    def values(self, row: Row) -> list:
        given = vars(row)
        values = []
        for name, converter in zip(self.attnames, self.converters, strict=True):
            value = given[name] if name in given else self.defaults.get(name)
            values.append(value if converter is None else converter.get_db_prep_save(value, connection))
        return values


class Writer:
    """Writes rows of a model in bulk; ``ids=True`` sets each row's ``id`` for its children to point at."""

    def __init__(self, batch: int):
        self.batch = batch
        self.tables: dict = {}

    def table(self, model, *, with_ids: bool) -> Table:
        if (model, with_ids) not in self.tables:
            self.tables[model, with_ids] = Table(model, with_ids=with_ids)
        return self.tables[model, with_ids]

    def write(self, model, rows: list[Row], *, ids: bool = False) -> None:
        raise NotImplementedError


class BulkWriter(Writer):
    """Through ``bulk_create``: any database (SQLite reads the new ids back with RETURNING)."""

    def write(self, model, rows: list[Row], *, ids: bool = False) -> None:
        known = set(self.table(model, with_ids=False).attnames)
        objects = [model(**{name: value for name, value in vars(row).items() if name in known}) for row in rows]
        model.objects.bulk_create(objects, batch_size=self.batch)
        for row, obj in zip(rows, objects, strict=True):
            row.id = obj.pk


class CopyWriter(Writer):
    """Through COPY (PostgreSQL), several times faster than INSERT. COPY returns no ids, so the ids are
    taken from the table's sequence first and written with the rows."""

    def write(self, model, rows: list[Row], *, ids: bool = False) -> None:
        if not rows:
            return
        table = self.table(model, with_ids=ids)
        name = model._meta.db_table
        with connection.cursor() as cursor:
            if ids:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [name, len(rows)]
                )
                for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                    row.id = pk
            columns = ", ".join(connection.ops.quote_name(f.column) for f in table.fields)
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(name)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(table.values(row))


# --- survey responses ------------------------------------------------------------------------------------


def respondents(rng: random.Random, size: int = RESPONDENT_POOL) -> list[dict]:
    """Returns ``size`` plausible respondents: a profile and nine answers (1-4). Each has an overall
    satisfaction that the elements vary around; the cost element (U4) is high, since the service is free."""
    pool = []
    for _ in range(size):
        low, high = AGE_BANDS(rng)
        age = rng.randint(low, high)
        level = SATISFACTION(rng)
        answers = {f"u{n}": min(4, max(1, level + SPREAD(rng))) for n in range(1, 10)}
        answers["u4"] = max(answers["u4"], 3)
        pool.append(
            {
                "sex": rng.choice(Response.Sex.values),
                "age": age,
                "education": EDUCATION(rng),
                "occupation": Response.Occupation.STUDENT if age < 23 else OCCUPATION(rng),
                "suggestion": rng.choice(SUGGESTIONS) if rng.random() < 0.12 else "",
                **answers,
            }
        )
    return pool


COPY_FIELDS = ["office", "instrument", "case", "mode", "answered_on", "sex", "age", "education", "occupation",
               *(f"u{n}" for n in range(1, 10)), "suggestion", "recorded_by", "created_at"]  # fmt: skip
RESPONDENT_FIELDS = COPY_FIELDS[5:-2]


def _paper_days(ctx: Context, rng: random.Random) -> list[tuple[date, list[datetime]]]:
    """Returns the days paper forms were filled on (the last year up to today), each with 64 moments an
    officer typed one in: during office hours, that day or within two weeks, never after now."""
    today = ctx.now.astimezone(ctx.fc.tz).date()
    days = []
    for back in range(SURVEY_DAYS):
        day = today - timedelta(days=back)
        moments = []
        for _ in range(64):
            same_day = ctx.fc.window(day) is not None and rng.random() < 0.3
            entry = day if same_day else ctx.fc.working_day_after(day, rng.randint(1, 10))
            opens, closes = ctx.fc.window(entry)
            moments.append(min(opens + (closes - opens) * rng.random(), ctx.now))
        days.append((day, moments))
    return days


def _paper_rows(ctx: Context, rng: random.Random, count: int) -> Iterator[tuple[date, datetime, str, int, int]]:
    """Yields ``count`` unlinked paper (or assisted) forms: (answered_on, created_at, mode, officer id,
    respondent index)."""
    days = _paper_days(ctx, rng)
    officers = ctx.ult
    for _ in range(count):
        day, moments = days[int(rng.random() * len(days))]
        mode = Response.Mode.ASSISTED if rng.random() < 0.15 else Response.Mode.PAPER
        yield day, moments[rng.getrandbits(6)], mode, officers[int(rng.random() * len(officers))], rng.getrandbits(16)


def _copy_text(value) -> str:
    # PostgreSQL COPY text format: backslash, tab and line ends are escaped.
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _write_surveys_copy(ctx: Context, rows, count: int, pool: list[dict], report: Report) -> None:
    """Writes the forms with COPY (PostgreSQL): a stream per chunk instead of INSERT statements."""
    meta = Response._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in COPY_FIELDS)
    sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
    prefix = f"{ctx.office.pk}\t{ctx.instrument_id}\t\\N\t"
    # Each respondent's columns as COPY text, once: a million rows repeat 65,536 respondents.
    texts = ["\t".join(_copy_text(answers[name]) for name in RESPONDENT_FIELDS) for answers in pool]
    written = 0
    while written < count:
        size = min(COPY_CHUNK, count - written)
        lines = [
            f"{prefix}{mode}\t{day.isoformat()}\t{texts[index % len(texts)]}\t{officer}\t{moment.isoformat()}\n"
            for day, moment, mode, officer, index in islice(rows, size)
        ]
        with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.write("".join(lines))
        written += size
        report(f"  survey responses {written:,}/{count:,}")


def _write_surveys_bulk(ctx: Context, rows, count: int, pool: list[dict], batch: int, report: Report) -> None:
    """Writes the forms with bulk inserts (SQLite, and any database without COPY)."""
    written = 0
    while written < count:
        size = min(batch, count - written)
        objects = [
            Response(office=ctx.office, instrument_id=ctx.instrument_id, mode=mode, answered_on=day,
                     recorded_by_id=officer, created_at=moment, **pool[index % len(pool)])
            for day, moment, mode, officer, index in islice(rows, size)
        ]  # fmt: skip
        with transaction.atomic():
            Response.objects.bulk_create(objects, batch_size=batch)
        written += size
        report(f"  survey responses {written:,}/{count:,}")


# --- set-up and the whole run ----------------------------------------------------------------------------


class GenerationError(Exception):
    """Raised when the office cannot take generated data (no POS, no service); nothing has been written."""


def office_create_like_demo(code: str) -> Office:
    """Creates office ``code`` set up as the demo's office: hours, service catalogue with its Standar
    Pelayanan, Maklumat and the seed's POS."""
    from jangkau.core import demo

    with transaction.atomic():
        office = Office.objects.create(code=code, name=f"Kantor {code}", address="Alamat kantor (data uji)")
        OfficeHours.objects.bulk_create(
            OfficeHours(office=office, weekday=day, opens=opens, closes=closes)
            for day, (opens, closes) in DEFAULT_HOURS.items()
        )
        ServiceType.objects.bulk_create(
            ServiceType(office=office, code=c, name=name, name_en=name_en, is_public_information=public)
            for c, name, name_en, public in demo.SERVICES
        )
        demo._transparency(office)
        procedure_ensure_default(office=office)
    return office


def _staff(office: Office, role: str, count: int, label: str) -> tuple[list[int], list[str]]:
    """Returns the ids of the office's active staff in ``role``, creating ``count`` when it has none (their
    passwords are unusable: an administrator sets one to sign in as them)."""
    ids = list(
        User.objects.filter(office=office, role=role, is_active=True).order_by("pk").values_list("pk", flat=True)
    )
    created = []
    for n in range(1, count + 1 if not ids else 1):
        username = f"{office.code}-{label}{n}"
        while User.objects.filter(username=username).exists():
            username += "x"
        user = User.objects.create_user(
            username=username, password=None, office=office, role=role, first_name=label.title(), last_name=str(n)
        )
        ids.append(user.pk)
        created.append(username)
    return ids, created


def _context(office: Office, now: datetime, months: int) -> Context:
    """Reads the office's POS, catalogue and calendar. Raises GenerationError when it lacks one."""
    try:
        procedure = active_procedure(office)
    except DomainError:
        raise GenerationError(f"office {office.code} has no active POS") from None
    services = list(ServiceType.objects.filter(office=office, is_active=True).order_by("pk"))
    if not services:
        raise GenerationError(f"office {office.code} has no active service type")
    pos_steps = list(procedure.steps.all())
    steps = {s.no: PosStep(s.no, s.activity, s.is_officer_step, s.standard_minutes) for s in pos_steps}
    if set(steps) != set(range(1, 9)):
        raise GenerationError(f"office {office.code}'s POS does not have the eight steps the workflow follows")
    ctx = Context(
        office=office,
        now=now,
        fc=FastCalendar(calendar_for(office)),
        procedure_id=procedure.pk,
        steps=steps,
        services=[
            (s.pk, s.code, s.is_public_information, {p.no: standard_days(p, s) for p in pos_steps}) for s in services
        ],
        survey_window={s.pk: s.survey_window_days for s in services},
        ult=[],
        ppid=[],
        instrument_id=0,
        grace_days=settings.JANGKAU_SURVEY_GRACE_DAYS,
        window_days=max(1, round(months * 30.4)),
    )
    return ctx


def _reserve_numbers(office: Office, planned: list[Planned], tz: ZoneInfo) -> Iterator[str]:
    """Advances the office's registration counters (one per year, as ``case_submit`` numbers) past the
    generated cases and yields their numbers in submission order. The counters move first, in their own
    transaction, so a real intake during the run takes a number after the generated ones."""
    per_year = Tally(p.submitted_at.astimezone(tz).year for p in planned)
    first = {}
    with transaction.atomic():
        for year, count in sorted(per_year.items()):
            counter, _ = Counter.objects.select_for_update().get_or_create(key=f"case:{office.pk}:{year}")
            first[year] = counter.value + 1
            counter.value += count
            counter.save(update_fields=["value"])
    for p in planned:
        year = p.submitted_at.astimezone(tz).year
        yield f"{office.registration_prefix}-{year}-{first[year]:06d}"
        first[year] += 1


@dataclass
class GenerationResult:
    office: Office
    cases: int = 0
    open_cases: int = 0
    steps: int = 0
    surveys: int = 0
    linked_surveys: int = 0
    seed: int = 0
    staff_created: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    case_seconds: float = 0.0
    survey_seconds: float = 0.0
    queue_keys_changed: int = 0


def generate_data(
    *,
    office: Office,
    cases: int,
    surveys: int,
    seed: int | None = None,
    batch: int = 5000,
    months: int = 6,
    report: Report | None = None,
) -> GenerationResult:
    """Generates ``cases`` cases (submitted over the last ``months`` months, most still open) and ``surveys``
    SKM responses (some linked to the cases that answered, the rest paper forms of the last year) for
    ``office``, then stores the cases' queue keys and writes one audit event. Returns what it made.

    The same ``seed`` on the same database state at the same moment gives the same data; at another moment,
    the same requesters and statuses with moments relative to then. Each batch of ``batch`` cases is one
    transaction: an interrupted run leaves the batches already written, and the registration numbers it
    reserved stay used. Raises GenerationError (nothing written) when the office lacks a POS or a service.
    """
    report = report or (lambda message: None)
    seed = secrets.randbits(32) if seed is None else seed
    result = GenerationResult(office=office, seed=seed)
    ctx = _context(office, clock.now(), months)
    # Mixing in the office's case count keeps a second run with the same seed from drawing the same tracking
    # codes and survey tokens as the first.
    rng = random.Random(f"{seed}:{office.code}:{Case.objects.filter(office=office).count()}")
    with transaction.atomic():
        ctx.ult, created_ult = _staff(office, Role.ULT_OFFICER, ULT_TO_CREATE, "petugas")
        ctx.ppid, created_ppid = _staff(office, Role.PPID_MEMBER, PPID_TO_CREATE, "ppid")
        ctx.instrument_id = active_instrument(office).pk
    result.staff_created = created_ult + created_ppid

    started = time.perf_counter()
    planned = plan(ctx, rng, cases)
    report(f"  planned {cases:,} cases ({time.perf_counter() - started:.1f} s)")
    numbers = _reserve_numbers(office, planned, ctx.fc.tz)
    # As many prepared respondents as surveys, up to the pool's size: small runs stay quick.
    pool = respondents(rng, min(RESPONDENT_POOL, max(surveys, 256)))
    builder = Builder(ctx, surveys, pool)
    writer = CopyWriter(batch) if connection.vendor == "postgresql" else BulkWriter(batch)
    for start in range(0, len(planned), batch):
        bundles = [builder.bundle(p, next(numbers)) for p in planned[start : start + batch]]
        _avoid_existing_codes(builder, bundles, rng)
        with transaction.atomic():
            result.steps += insert(writer, bundles)
        done = min(start + batch, len(planned))
        report(f"  cases {done:,}/{len(planned):,} ({time.perf_counter() - started:.1f} s)")
    with transaction.atomic():
        result.queue_keys_changed = rebuild_queue_keys(Case.objects.filter(office=office))
    # The generated cases carry their keys already: a change here is an older case of the office, or a sign
    # that the generator and ``queue_keys`` disagree (the tests check that they do not).
    report(f"  queue keys of the office's cases rebuilt: {result.queue_keys_changed} changed")
    result.case_seconds = time.perf_counter() - started

    started = time.perf_counter()
    result.linked_surveys = builder.linked
    unlinked = max(surveys - builder.linked, 0)
    rows = _paper_rows(ctx, rng, unlinked)
    if connection.vendor == "postgresql":
        _write_surveys_copy(ctx, rows, unlinked, pool, report)
    else:
        _write_surveys_bulk(ctx, rows, unlinked, pool, batch, report)
    result.survey_seconds = time.perf_counter() - started

    result.cases = len(planned)
    result.surveys = builder.linked + unlinked
    result.statuses = dict(Tally(p.status for p in planned))
    result.open_cases = sum(n for status, n in result.statuses.items() if status not in TERMINAL)
    with transaction.atomic():
        audit_record(
            action="data.generated",
            actor_label="system",
            office=office,
            changes={
                "cases": result.cases,
                "steps": result.steps,
                "surveys": result.surveys,
                "linked_surveys": result.linked_surveys,
                "statuses": result.statuses,
                "seed": seed,
                "staff_created": result.staff_created,
            },
        )
    return result


def _avoid_existing_codes(builder: Builder, bundles: list[Bundle], rng: random.Random) -> None:
    """Draws a new tracking code for any that an earlier case (of any office) already has: they are unique
    across the installation. One query per batch; a clash is all but impossible, but costly if it happened."""
    codes = {b.case.tracking_code: b.case for b in bundles}
    drawn = list(codes)
    # In slices: SQLite limits the parameters of one statement.
    taken = [
        code
        for start in range(0, len(drawn), 1000)
        for code in Case.objects.filter(tracking_code__in=drawn[start : start + 1000]).values_list(
            "tracking_code", flat=True
        )
    ]
    for taken_code in taken:
        code = _tracking_code(rng)
        while code in builder.tracking_codes:
            code = _tracking_code(rng)
        builder.tracking_codes.add(code)
        codes[taken_code].tracking_code = code
