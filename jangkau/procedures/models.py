from django.db import models
from django.utils.translation import gettext_lazy as _


class Actor(models.TextChoices):
    """The POS's *Pelaksana* columns, in the seed's order."""

    PPID = "ppid_member", _("Tim PPID")
    ULT = "ult_officer", _("Petugas ULT")
    REQUESTER = "requester", _("Pengguna Layanan Kelompok Rentan")


class ProcedureVersion(models.Model):
    """One version of an office's POS: its identity section. Cases pin the version they started under."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        ACTIVE = "active", _("Berlaku")
        RETIRED = "retired", _("Tidak berlaku")

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="procedure_versions", verbose_name=_("kantor")
    )
    version = models.PositiveIntegerField(_("versi"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField(_("nomor POS"), max_length=120)
    title = models.CharField(_("nama POS"), max_length=200)
    made_on = models.DateField(_("tanggal pembuatan"), null=True, blank=True)
    revised_on = models.DateField(_("tanggal revisi"), null=True, blank=True)
    effective_date = models.DateField(_("tanggal efektif"))
    approver_position = models.CharField(_("jabatan pengesah"), max_length=120, blank=True)
    approver_name = models.CharField(_("nama pengesah"), max_length=200, blank=True)
    approver_nip = models.CharField(_("NIP pengesah"), max_length=30, blank=True)
    legal_basis = models.JSONField(_("dasar hukum"), default=list)
    qualifications = models.JSONField(_("kualifikasi pelaksana"), default=list)
    related_procedures = models.JSONField(_("keterkaitan"), default=list)
    equipment = models.JSONField(_("peralatan/perlengkapan"), default=list)
    warnings = models.JSONField(_("peringatan"), default=list)
    recording = models.JSONField(_("pencatatan dan pendataan"), default=list)
    source = models.CharField(_("berkas sumber"), max_length=200, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["office", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["office", "version"], name="procedure_version_per_office"),
            models.UniqueConstraint(
                fields=["office"], condition=models.Q(status="active"), name="procedure_one_active_per_office"
            ),
        ]
        verbose_name = _("versi POS")
        verbose_name_plural = _("versi POS")

    def __str__(self):
        return f"{self.number} (v{self.version})"


class ProcedureStep(models.Model):
    """One activity of the POS step table with its *mutu baku* (requirements, standard time, output)."""

    procedure = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="steps", verbose_name=_("versi POS")
    )
    no = models.PositiveSmallIntegerField(_("no."))
    activity = models.TextField(_("kegiatan"))
    actors = models.JSONField(
        _("pelaksana"), default=list, help_text=_("Kode pelaksana: ppid_member, ult_officer, requester.")
    )
    requirements = models.TextField(_("kelengkapan"))
    # Either minutes of office time, or (step 6) a window in working days that follows the SP.
    standard_minutes = models.PositiveIntegerField(_("waktu (menit)"), null=True, blank=True)
    standard_days_min = models.PositiveSmallIntegerField(_("waktu minimum (hari)"), null=True, blank=True)
    standard_days_max = models.PositiveSmallIntegerField(_("waktu maksimum (hari)"), null=True, blank=True)
    standard_label = models.CharField(_("waktu (sebagaimana tertulis)"), max_length=40)
    output = models.TextField(_("output"))
    remarks = models.TextField(_("keterangan"), blank=True)
    follows_service_standard = models.BooleanField(
        _("mengikuti Standar Pelayanan"), default=False, help_text=_("Jangka waktu mengikuti SP layanan.")
    )
    # A decision (the flowchart's diamond): "Ya" goes on to the next step, "Tidak" to the step named here.
    no_branch_to = models.PositiveSmallIntegerField(
        _("jika tidak, ke langkah"),
        null=True,
        blank=True,
        help_text=_("Hanya untuk langkah keputusan: nomor langkah yang dituju bila jawabannya tidak."),
    )

    class Meta:
        ordering = ["procedure", "no"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "no"], name="procedure_step_no_unique"),
            models.CheckConstraint(
                condition=models.Q(standard_minutes__isnull=False) | models.Q(standard_days_max__isnull=False),
                name="procedure_step_has_standard_time",
            ),
        ]
        verbose_name = _("langkah POS")
        verbose_name_plural = _("langkah POS")

    def __str__(self):
        return f"{self.no}. {self.activity[:60]}"

    @property
    def is_officer_step(self) -> bool:
        """True when an officer (ULT or PPID) carries the step and so must account for an overrun."""
        return any(actor != Actor.REQUESTER for actor in self.actors)

    @property
    def is_decision(self) -> bool:
        return self.no_branch_to is not None
