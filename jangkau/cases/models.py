from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jangkau.core.fields import EncryptedTextField

from .vocabulary import MESSAGE_LANGUAGES, AccommodationsProvided, IdType, NeedMet, NotifyChannel


class Status(models.TextChoices):
    """Where a case stands; ``cases.workflow`` says which actions move it and who may take them."""

    SUBMITTED = "submitted", _("Diajukan")
    AWAITING_INFO = "awaiting_info", _("Menunggu kelengkapan data")
    ACCEPTED = "accepted", _("Diterima")
    WITH_PPID = "with_ppid", _("Diproses Tim PPID")
    READY_TO_SCHEDULE = "ready_to_schedule", _("Siap dijadwalkan")
    UNREACHABLE = "unreachable", _("Tidak dapat dihubungi")
    SCHEDULED = "scheduled", _("Terjadwal")
    DELIVERED = "delivered", _("Layanan diberikan")
    FEEDBACK_RECEIVED = "feedback_received", _("Umpan balik diterima")
    RECAPPED = "recapped", _("Survei direkap")
    CLOSED = "closed", _("Selesai")
    REJECTED = "rejected", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan")


class Channel(models.TextChoices):
    WEB = "web", _("Formulir web")
    WHATSAPP = "whatsapp", _("WhatsApp")
    PHONE = "phone", _("Telepon")
    EMAIL = "email", _("Surel")
    LETTER = "letter", _("Surat")
    WALK_IN = "walk_in", _("Datang langsung")
    SOCIAL_MEDIA = "social_media", _("Media sosial")
    LAPOR = "lapor", _("SP4N-LAPOR")
    API = "api", _("Integrasi (API)")


class Case(models.Model):
    """One request for outreach service, from intake to evaluation."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="cases", verbose_name=_("kantor")
    )
    procedure = models.ForeignKey(
        "procedures.ProcedureVersion", on_delete=models.PROTECT, related_name="cases", verbose_name=_("versi POS")
    )
    service_type = models.ForeignKey(
        "offices.ServiceType", on_delete=models.PROTECT, related_name="cases", verbose_name=_("jenis layanan")
    )
    registration_number = models.CharField(_("nomor registrasi"), max_length=40)
    tracking_code = models.CharField(_("kode lacak"), max_length=20, unique=True)
    # A client-chosen key that makes a retried or double-clicked submission return the first case.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True)
    # A keyed hash of the submitted data: the same key with other data is refused, not answered.
    idempotency_fingerprint = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    channel = models.CharField(_("saluran"), max_length=20, choices=Channel.choices, default=Channel.WEB)

    requester_name = models.CharField(_("nama lengkap"), max_length=200)
    id_document_type = models.CharField(_("jenis dokumen identitas"), max_length=10, choices=IdType.choices)
    id_document_number = EncryptedTextField(_("nomor dokumen identitas"), blank=True)
    nik_hash = models.CharField(max_length=64, blank=True, db_index=True)
    no_id_reason = models.TextField(_("alasan tidak ada dokumen identitas"), blank=True)
    phone = models.CharField(_("nomor telepon"), max_length=20, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    address = EncryptedTextField(_("alamat"), blank=True)
    area = models.CharField(_("wilayah"), max_length=200, blank=True)
    vulnerabilities = models.JSONField(_("kelompok rentan"), default=list)
    disability_details = EncryptedTextField(_("keterangan disabilitas"), blank=True)
    need = models.TextField(_("kebutuhan layanan"))
    delivery_mode = models.CharField(_("cara layanan"), max_length=30, blank=True)
    accommodations = models.JSONField(_("akomodasi yang layak"), default=list)
    companion_name = models.CharField(_("nama pendamping"), max_length=200, blank=True)
    companion_relation = models.CharField(_("hubungan pendamping"), max_length=100, blank=True)
    consent_given_at = models.DateTimeField(_("persetujuan diberikan"), null=True, blank=True)
    # How and in which language the requester is told about the request (``jangkau.notifications``).
    notify_channel = models.CharField(
        _("pemberitahuan lewat"), max_length=10, choices=NotifyChannel.choices, default=NotifyChannel.NONE
    )
    language = models.CharField(_("bahasa pesan"), max_length=5, choices=MESSAGE_LANGUAGES, default="id")

    urgent = models.BooleanField(_("mendesak"), default=False)
    urgent_reason = models.CharField(_("alasan mendesak"), max_length=300, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        verbose_name=_("petugas"),
    )
    ppid_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ppid_cases",
        verbose_name=_("anggota Tim PPID"),
    )
    submitted_at = models.DateTimeField(_("diajukan pada"))
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    referral = models.TextField(_("rujukan"), blank=True)
    cancellation_reason = models.TextField(_("alasan pembatalan"), blank=True)
    result_summary = models.TextField(_("hasil layanan"), blank=True)
    delivery_notes = models.TextField(_("catatan pemberian layanan"), blank=True)
    documents_handed_over = models.TextField(_("dokumen yang diserahkan"), blank=True)
    # What the office paid to bring the service (courier, transport), in rupiah. The requester is never
    # charged (POS step 5: "tidak dipungut biaya termasuk pengiriman dokumen"); there is no fee field.
    office_cost = models.PositiveIntegerField(_("biaya yang ditanggung kantor (Rp)"), default=0)
    office_cost_note = models.CharField(_("keterangan biaya"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("diberikan pada"), null=True, blank=True)
    # Public-information requests (UU 14/2008): the legal deadline runs beside the POS clock, 10 working days
    # from receipt, once extendable by up to 7 working days with a written notice to the requester.
    information_due_at = models.DateTimeField(_("tenggat informasi publik"), null=True, blank=True)
    information_extension_days = models.PositiveSmallIntegerField(_("perpanjangan (hari kerja)"), null=True, blank=True)
    information_extended_at = models.DateTimeField(_("diperpanjang pada"), null=True, blank=True)
    information_extension_reason = models.TextField(_("alasan perpanjangan"), blank=True)
    # Step 8's closing evaluation: three structured answers the periodic report counts, and free notes.
    evaluation_need_met = models.CharField(_("kebutuhan terpenuhi"), max_length=10, choices=NeedMet.choices, blank=True)
    evaluation_mode_right = models.BooleanField(_("cara layanan tepat"), null=True, blank=True)
    evaluation_accommodations = models.CharField(
        _("akomodasi disediakan"), max_length=15, choices=AccommodationsProvided.choices, blank=True
    )
    evaluation = models.TextField(_("catatan evaluasi"), blank=True)
    # Set when the personal data was anonymised (retention or an erasure request); statistics stay.
    anonymised_at = models.DateTimeField(_("dianonimkan pada"), null=True, blank=True)
    # The case's place in the officers' queue, kept by ``cases.queue_keys`` whenever its status, urgency or
    # open step changes, so that the database orders and pages a queue of 100,000 cases through one index
    # instead of the application sorting them all: the group (``cases.queue.Group``) and, in groups 1 and 2,
    # the running deadline.
    queue_group = models.PositiveSmallIntegerField(default=3)
    queue_due_at = models.DateTimeField(null=True, blank=True)

    # Keyed hashes that follow an encrypted field, recomputed by ``manage.py rotate_field_key``.
    SEARCH_HASHES = {"nik_hash": ("id_document_number", "nik")}

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            # Numbers run per office and year (JB-2026-000123): two offices may both have one.
            models.UniqueConstraint(
                fields=["office", "registration_number"], name="case_registration_number_per_office"
            ),
            models.UniqueConstraint(
                fields=["office", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="case_idempotency_key_per_office",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "status"]),
            # People served in a period (the SKM sample's N), counted beside every IKM.
            models.Index(fields=["office", "delivered_at"], name="case_delivered_per_office"),
            # The queue order (``cases.selectors.QUEUE_ORDER``): a page of the queue is read off this index.
            models.Index(
                fields=["office", "queue_group", "queue_due_at", "-urgent", "submitted_at", "id"],
                name="case_queue_order",
            ),
        ]
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")

    def __str__(self):
        return self.registration_number


class StepOutcome(models.TextChoices):
    DONE = "done", _("Selesai")
    REJECTED = "rejected", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan")
    UNREACHABLE = "unreachable", _("Tidak dapat dihubungi")
    EXPIRED = "expired", _("Jangka waktu berakhir")
    RESCHEDULED = "rescheduled", _("Dijadwalkan ulang")


class StepRecord(models.Model):
    """One occurrence of a POS step in a case: when it became actionable, when it is due, when done, by whom.

    The standard time is copied from the POS step when the record opens, so a later POS version never
    rewrites how a past step was measured.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps", verbose_name=_("kasus"))
    step_no = models.PositiveSmallIntegerField(_("langkah"))
    activity = models.TextField(_("kegiatan"))
    is_officer_step = models.BooleanField(default=True)
    standard_minutes = models.PositiveIntegerField(null=True, blank=True)
    standard_days = models.PositiveSmallIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(_("dapat dikerjakan sejak"))
    due_at = models.DateTimeField(_("batas waktu"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("penanggung jawab"),
    )
    done_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("hasil"), max_length=20, choices=StepOutcome.choices, blank=True)
    breached = models.BooleanField(_("melewati waktu standar"), default=False)
    breach_explanation = models.TextField(_("penjelasan keterlambatan"), blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    explained_at = models.DateTimeField(null=True, blank=True)
    # When 80 % of the standard time is used up; kept beside ``due_at`` so the SLA watch finds the steps
    # to warn about with one indexed query instead of recomputing every open step's business time.
    warn_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breach_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "opened_at", "id"]
        constraints = [
            # At most one open record per step of a case.
            models.UniqueConstraint(
                fields=["case", "step_no"], condition=models.Q(done_at__isnull=True), name="step_record_one_open"
            ),
        ]
        indexes = [
            models.Index(fields=["done_at", "due_at"]),
            models.Index(
                fields=["warn_at"],
                condition=models.Q(done_at__isnull=True, warned_at__isnull=True),
                name="step_to_warn",
            ),
            models.Index(
                fields=["due_at"],
                condition=models.Q(done_at__isnull=True, breach_alerted_at__isnull=True),
                name="step_to_alert",
            ),
        ]
        verbose_name = _("catatan langkah")
        verbose_name_plural = _("catatan langkah")

    def __str__(self):
        return f"{self.case} langkah {self.step_no}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    @property
    def needs_explanation(self) -> bool:
        return self.breached and self.is_officer_step and not self.breach_explanation


class StepPause(models.Model):
    """An interval during which a step's clock stood still (waiting for the requester)."""

    step = models.ForeignKey(StepRecord, on_delete=models.CASCADE, related_name="pauses")
    paused_at = models.DateTimeField()
    resumed_at = models.DateTimeField(null=True, blank=True)
    # Step 2's pause holds what the officer asked the requester for, shown on the tracking page.
    reason = models.TextField()

    class Meta:
        ordering = ["step", "paused_at"]

    def __str__(self):
        return f"{self.step} paused {self.paused_at:%Y-%m-%d %H:%M}"


class CaseDocument(models.Model):
    """A file given with a request (a power of attorney), encrypted at rest.

    It is uploaded before the case exists (the web form asks for it a few pages before the end), so it
    starts as a draft known only by ``draft_token`` and is attached to the case by the submission.
    """

    class Kind(models.TextChoices):
        POWER_OF_ATTORNEY = "power_of_attorney", _("Surat kuasa")
        # Sent from the tracking page with the data an officer asked for.
        SUPPORTING = "supporting", _("Dokumen pendukung")
        # Prepared by PPID inside the case (POS step 3): documents and data files for the requester.
        RESULT = "result", _("Hasil layanan")
        # Optional proof of delivery (POS step 5): a signed receipt or a photo.
        DELIVERY_PROOF = "delivery_proof", _("Bukti penyerahan")

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="documents", verbose_name=_("kasus")
    )
    draft_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    kind = models.CharField(_("jenis"), max_length=30, choices=Kind.choices)
    filename = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(max_length=100)  # XLSX: 65 characters
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(max_length=64)
    # The file's bytes as base64 inside a Fernet token: the same encryption and key rotation as other fields.
    content = EncryptedTextField()
    uploaded_at = models.DateTimeField(_("diunggah pada"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("dokumen permohonan")
        verbose_name_plural = _("dokumen permohonan")

    def __str__(self):
        return self.filename


class RequesterMessage(models.Model):
    """What the requester sent from the tracking page or the API: the data an officer asked for, or a wish
    to move the appointment. Officers read it on the case; the body is free text that may hold personal
    data, so it is encrypted at rest and never copied into the audit trail."""

    class Kind(models.TextChoices):
        MISSING_DATA = "missing_data", _("Data yang diminta")
        RESCHEDULE_REQUEST = "reschedule_request", _("Permintaan jadwal ulang")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requester_messages", verbose_name=_("kasus"))
    kind = models.CharField(_("jenis"), max_length=30, choices=Kind.choices)
    body = EncryptedTextField(_("isi pesan"))
    # Only for a reschedule request: when the requester could receive the service instead.
    preferred_times = models.CharField(_("waktu yang diinginkan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dikirim pada"))

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = _("pesan pemohon")
        verbose_name_plural = _("pesan pemohon")

    def __str__(self):
        return f"{self.case} {self.kind}"


class CaseNote(models.Model):
    """One message of the case's internal thread between ULT officers and PPID (POS step 3). The requester
    never sees it: it appears only on the staff case page and the staff API. Encrypted, since officers
    discuss the requester's situation in it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes", verbose_name=_("kasus"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("isi catatan"))
    created_at = models.DateTimeField(_("ditulis pada"))

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = _("catatan internal")
        verbose_name_plural = _("catatan internal")

    def __str__(self):
        return f"{self.case} {self.author} {self.created_at:%Y-%m-%d %H:%M}"


class RequesterNotice(models.Model):
    """A written notice from the office to the requester, shown on their tracking page: the extension of a
    public-information deadline (UU 14/2008 art. 22(7)) or the cancellation of an appointment."""

    class Kind(models.TextChoices):
        INFORMATION_EXTENSION = "information_extension", _("Pemberitahuan perpanjangan waktu")
        APPOINTMENT_CANCELLED = "appointment_cancelled", _("Pembatalan jadwal layanan")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices", verbose_name=_("kasus"))
    kind = models.CharField(_("jenis"), max_length=30, choices=Kind.choices)
    body = models.TextField(_("isi pemberitahuan"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("dikirim pada"))

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = _("pemberitahuan kepada pemohon")
        verbose_name_plural = _("pemberitahuan kepada pemohon")

    def __str__(self):
        return f"{self.case} {self.kind}"
