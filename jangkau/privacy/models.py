from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jangkau.cases.models import Channel
from jangkau.core.fields import EncryptedTextField


class RequestKind(models.TextChoices):
    """The rights of a data subject (UU 27/2022 art. 6-9 and 11) that the office answers for."""

    ACCESS = "access", _("Akses dan salinan data")
    CORRECTION = "correction", _("Perbaikan data")
    ERASURE = "erasure", _("Penghapusan data")
    RESTRICTION = "restriction", _("Penundaan atau pembatasan pemrosesan")
    WITHDRAWAL = "withdrawal", _("Penarikan persetujuan")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    DONE = "done", _("Selesai")
    REFUSED = "refused", _("Ditolak")


class DataSubjectRequest(models.Model):
    """A person's request about their own personal data held in the office's cases, from receipt to answer.

    The person is identified by what the officer searched with; only the kinds of search and masked forms
    are kept (``criteria``), never a clear NIK. The cases the officer confirmed as that person's are
    ``cases``. ``due_at`` is fixed when the request is recorded (``privacy.deadlines``).
    """

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("kantor"))
    number = models.CharField(_("nomor"), max_length=40)
    kind = models.CharField(_("jenis permintaan"), max_length=20, choices=RequestKind.choices)
    received_at = models.DateTimeField(_("diterima pada"))
    channel = models.CharField(_("saluran"), max_length=20, choices=Channel.choices)
    # As the person gave it: personal data, so encrypted like the case's own.
    requester_name = EncryptedTextField(_("nama pemohon"))
    identity_check = EncryptedTextField(_("cara identitas diperiksa"))
    details = EncryptedTextField(_("isi permintaan"), blank=True)
    reply_to = EncryptedTextField(_("jawaban dikirim ke"), blank=True)
    # {"by": ["nik", "phone", "name"], "nik": "3171********0001", "phone": "+62812****7890", "name": "S****"}
    criteria = models.JSONField(_("kriteria pencarian"), default=dict)
    cases = models.ManyToManyField("cases.Case", related_name="subject_requests", blank=True, verbose_name=_("kasus"))
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    due_at = models.DateTimeField(_("batas waktu"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("dicatat pada"))
    exported_at = models.DateTimeField(_("terakhir diekspor"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("terakhir diperbaiki"), null=True, blank=True)
    responded_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ditangani oleh"),
    )
    outcome = EncryptedTextField(_("hasil"), blank=True)
    refused_reason = EncryptedTextField(_("alasan penolakan"), blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="subject_request_number_per_office"),
        ]
        indexes = [models.Index(fields=["office", "status", "due_at"])]
        verbose_name = _("permintaan subjek data")
        verbose_name_plural = _("permintaan subjek data")

    def __str__(self):
        return self.number

    @property
    def response_minutes(self) -> int | None:
        """Whole minutes from receipt to answer; None while unanswered."""
        from .deadlines import response_minutes

        return response_minutes(self.received_at, self.responded_at)

    def is_overdue(self, now) -> bool:
        """True when the answer came, or is still missing, after ``due_at``."""
        from .deadlines import is_overdue

        return is_overdue(self.due_at, self.responded_at, now)
