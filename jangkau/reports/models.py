"""The periodic evaluation's own records (POS step 8): the SOP monitoring table of PermenPANRB 35/2012 and
the follow-up actions (RTL, *rencana tindak lanjut*) it raises.

Both are written only through ``monitoring.py`` and ``followups.py`` (one action, one transaction, one audit
event); the figures of a period are never stored: they are computed from the cases each time.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

STEP_VALIDATORS = [MinValueValidator(1), MaxValueValidator(8)]


class MonitoringEntry(models.Model):
    """One row of the *Formulir Monitoring Pelaksanaan SOP*: the evaluator's assessment of one POS step for one
    office and one period. Rows not saved yet are prefilled from the period's figures
    (``monitoring.monitoring_table``)."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("kantor"))
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    step_no = models.PositiveSmallIntegerField(_("langkah POS"), validators=STEP_VALIDATORS)
    # None: could not be assessed (nothing of this step happened in the period).
    ran_well = models.BooleanField(_("berjalan dengan baik"), null=True, blank=True)
    notes = models.TextField(_("catatan hasil penilaian"), blank=True)
    action_to_take = models.TextField(_("tindakan yang harus diambil"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("yang menilai")
    )
    assessed_at = models.DateTimeField(_("dinilai pada"))

    class Meta:
        ordering = ["office", "-period_start", "period_end", "step_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "period_start", "period_end", "step_no"], name="monitoring_entry_unique"
            )
        ]
        verbose_name = _("pemantauan pelaksanaan POS")
        verbose_name_plural = _("pemantauan pelaksanaan POS")

    def __str__(self):
        return f"{self.office} {self.period_start}–{self.period_end} #{self.step_no}"


class FollowUpAction(models.Model):
    """A follow-up action (RTL): what must be done to improve the service, by whom and by when, tracked until
    it is done (or cancelled, with a reason) and carried into every later period's report until then."""

    class Status(models.TextChoices):
        OPEN = "open", _("Belum dikerjakan")
        IN_PROGRESS = "in_progress", _("Sedang dikerjakan")
        DONE = "done", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("kantor"))
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("tindakan"))
    # The evaluation period the action came from; empty for an action raised outside an evaluation.
    source_period_start = models.DateField(_("awal periode evaluasi"), null=True, blank=True)
    source_period_end = models.DateField(_("akhir periode evaluasi"), null=True, blank=True)
    step_no = models.PositiveSmallIntegerField(_("langkah POS"), null=True, blank=True, validators=STEP_VALIDATORS)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="followup_actions",
        verbose_name=_("penanggung jawab"),
    )
    due_date = models.DateField(_("batas waktu"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    # The latest note given while the action was still being worked on ("ordered the ramp, arrives in May").
    progress_note = models.TextField(_("catatan perkembangan"), blank=True)
    # Set when the action closes: ``done_*`` for done, ``cancelled_*`` for cancelled.
    done_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    done_note = models.TextField(_("yang sudah dilakukan"), blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dibuat oleh")
    )
    created_at = models.DateTimeField(_("dibuat pada"))
    updated_at = models.DateTimeField(_("diubah pada"))

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["office", "status"], name="followup_office_status")]
        verbose_name = _("rencana tindak lanjut")
        verbose_name_plural = _("rencana tindak lanjut")

    def __str__(self):
        return self.title

    @property
    def closed_at(self):
        """When the action stopped needing work (done or cancelled); None while it is open or in progress."""
        return self.done_at or self.cancelled_at

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.CANCELLED)
