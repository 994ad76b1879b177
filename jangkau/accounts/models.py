from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles. Requesters have no account; they act through their private tracking code."""

    ULT_OFFICER = "ult_officer", _("Petugas ULT")
    PPID_MEMBER = "ppid_member", _("Tim PPID")
    HEAD = "head", _("Kepala / evaluator")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A staff member of one office. Superusers may have no office (installation-wide administration)."""

    office = models.ForeignKey(
        "offices.Office",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("kantor"),
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.ULT_OFFICER)

    class Meta:
        verbose_name = _("staf")
        verbose_name_plural = _("staf")

    def __str__(self):
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A staff member's key to the JSON API for integrations (a call-centre tool, a chatbot's back end).

    Only a hash of the key is stored: the key is shown once, when it is issued, and cannot be read back.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("staf"))
    name = models.CharField(_("nama"), max_length=100, help_text=_("Untuk apa token ini dipakai."))
    # The first characters of the key, to recognise it in lists without revealing it.
    prefix = models.CharField(_("awalan"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("dibuat pada"))
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self):
        return f"{self.prefix}… ({self.name})"
