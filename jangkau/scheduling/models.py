from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "created_at"]

    def __str__(self):
        return f"{self.case} {self.starts_at:%Y-%m-%d %H:%M}"
