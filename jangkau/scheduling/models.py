from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jangkau.core.fields import EncryptedTextField


class ContactAttempt(models.Model):
    """One try to reach the requester (POS step 4): channel, moment, result."""

    class Result(models.TextChoices):
        REACHED = "reached", _("Terhubung")
        NO_ANSWER = "no_answer", _("Tidak dijawab")
        WRONG_NUMBER = "wrong_number", _("Nomor salah")
        MESSAGE_LEFT = "message_left", _("Pesan ditinggalkan")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contact_attempts")
    channel = models.CharField(_("saluran"), max_length=20)
    attempted_at = models.DateTimeField(_("waktu"))
    result = models.CharField(_("hasil"), max_length=20, choices=Result.choices)
    notes = models.TextField(_("catatan"), blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "attempted_at"]

    def __str__(self):
        return f"{self.case} {self.attempted_at:%Y-%m-%d %H:%M} {self.result}"


class Appointment(models.Model):
    """The agreed service schedule (POS step 4 output); a reschedule supersedes the previous row."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="appointments")
    starts_at = models.DateTimeField(_("waktu"))
    mode = models.CharField(_("cara layanan"), max_length=30)
    place = models.CharField(_("tempat"), max_length=300, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    # Who agreed it; ``officers`` are those who go (a visit may need two, or a sign-language interpreter).
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("petugas"))
    # Accommodation codes (cases.vocabulary.Accommodation) to prepare for this appointment.
    accommodations = models.JSONField(_("akomodasi yang disiapkan"), default=list)
    superseded_at = models.DateTimeField(null=True, blank=True)
    # Set when the appointment was called off without a new one (the case goes back to the contact queue).
    cancellation_reason = models.TextField(_("alasan pembatalan"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "created_at"]

    def __str__(self):
        return f"{self.case} {self.starts_at:%Y-%m-%d %H:%M}"


class Absence(models.Model):
    """An officer away for a period (leave, sick, official travel) and the colleague who holds their cases.

    Recorded by the office's head through ``scheduling.absences.absence_record``, which moves the officer's
    open cases to the delegate and issues the numbered assignment letter (``AssignmentLetter``).
    """

    class Kind(models.TextChoices):
        LEAVE = "leave", _("Cuti")
        SICK = "sick", _("Sakit")
        OFFICIAL_TRAVEL = "official_travel", _("Dinas luar")

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("kantor"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="absences", verbose_name=_("petugas")
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("sampai"))
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("pengganti")
    )
    reason = models.TextField(_("alasan"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("dicatat pada"))

    class Meta:
        ordering = ["-starts_on", "-recorded_at"]
        verbose_name = _("ketidakhadiran")
        verbose_name_plural = _("ketidakhadiran")

    def __str__(self):
        return f"{self.officer} {self.kind} {self.starts_on}–{self.ends_on}"


class AssignmentLetter(models.Model):
    """A surat penugasan: the head assigns an absent officer's cases to a colleague, numbered per office and
    year ("001/ULT/ST/2026"). The signed paper is scanned back (``signed_scan``, checked like any upload and
    stored encrypted)."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("kantor"))
    number = models.CharField(_("nomor"), max_length=40)
    issued_on = models.DateField(_("tanggal"))
    from_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dari")
    )
    to_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("kepada")
    )
    absence = models.OneToOneField(
        Absence,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letter",
        verbose_name=_("ketidakhadiran"),
    )
    cases = models.ManyToManyField("cases.Case", related_name="assignment_letters", verbose_name=_("kasus"), blank=True)
    reason = models.TextField(_("alasan"))
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("penanda tangan")
    )
    signed_scan = EncryptedTextField(blank=True)  # base64 of the checked file
    signed_scan_type = models.CharField(max_length=40, blank=True)
    signed_scan_name = models.CharField(max_length=160, blank=True)
    signed_at = models.DateTimeField(_("ditandatangani pada"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["office", "number"], name="assignment_letter_number_unique")]
        verbose_name = _("surat penugasan")
        verbose_name_plural = _("surat penugasan")

    def __str__(self):
        return self.number
