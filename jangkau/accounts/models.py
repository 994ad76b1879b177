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
