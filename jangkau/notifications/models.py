"""Messages to requesters and staff, each with its delivery record, and the offices' own message texts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jangkau.cases.vocabulary import MESSAGE_LANGUAGES
from jangkau.core.fields import EncryptedTextField


class Channel(models.TextChoices):
    EMAIL = "email", _("Surel")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    # Shown in the back office's inbox; never leaves the system.
    IN_APP = "in_app", _("Di aplikasi")


class Status(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    SENDING = "sending", _("Sedang dikirim")
    RETRYING = "retrying", _("Gagal, akan dicoba lagi")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal terkirim")


class Message(models.Model):
    """One message to one recipient over one channel, and its delivery record.

    Written in the transaction of the action that causes it and sent by the task worker only after that
    transaction commits. ``idempotency_key`` names the event and the recipient, so the same event never
    reaches the same person twice, however often the action's follow-up or the SLA watch runs.
    """

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("kantor"))
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="messages", verbose_name=_("kasus")
    )
    event = models.CharField(_("peristiwa"), max_length=40)
    idempotency_key = models.CharField(max_length=200, unique=True)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    # The staff member it is for; empty for the requester, who has no account.
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("penerima"),
    )
    # The e-mail address or phone number it goes to (personal data: encrypted), and the masked form lists show.
    address = EncryptedTextField(blank=True)
    address_masked = models.CharField(_("alamat tujuan"), max_length=80, blank=True)
    language = models.CharField(_("bahasa"), max_length=5, choices=MESSAGE_LANGUAGES, default="id")
    subject = models.CharField(_("judul"), max_length=200)
    # May name a place or a time of a home visit: encrypted like the case's own personal data.
    body = EncryptedTextField(_("isi"))
    link = models.CharField(_("tautan"), max_length=500, blank=True)
    # The agreed visit whose calendar file an e-mail carries.
    appointment = models.ForeignKey(
        "scheduling.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    provider_reference = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"))
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    # In-app notifications: when the staff member opened them.
    read_at = models.DateTimeField(_("dibaca pada"), null=True, blank=True)
    # A failed message an officer dealt with another way (called the requester, met them at the office).
    handled_at = models.DateTimeField(_("ditangani pada"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_note = models.TextField(_("catatan penanganan"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due"),
            models.Index(fields=["recipient_user", "channel", "read_at"], name="message_inbox"),
            models.Index(fields=["office", "status"], name="message_office_status"),
        ]
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")

    def __str__(self):
        return f"{self.event} → {self.address_masked or self.recipient_user_id} ({self.channel})"


class MessageTemplate(models.Model):
    """An office's own wording of one event's message in one language; the built-in text applies otherwise."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.CASCADE, related_name="message_templates", verbose_name=_("kantor")
    )
    event = models.CharField(_("peristiwa"), max_length=40)
    language = models.CharField(_("bahasa"), max_length=5, choices=MESSAGE_LANGUAGES)
    subject = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    updated_at = models.DateTimeField(_("diubah pada"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "event", "language"], name="message_template_per_language")
        ]
        verbose_name = _("templat pesan")
        verbose_name_plural = _("templat pesan")

    def __str__(self):
        return f"{self.office} {self.event} ({self.language})"
