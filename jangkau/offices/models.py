from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Default office hours of the seed's office (Mon–Thu 07:30–16:00, Fri 07:30–16:30), weekday 0 = Monday.
DEFAULT_HOURS = {
    0: (time(7, 30), time(16, 0)),
    1: (time(7, 30), time(16, 0)),
    2: (time(7, 30), time(16, 0)),
    3: (time(7, 30), time(16, 0)),
    4: (time(7, 30), time(16, 30)),
}


class Office(models.Model):
    """A public office (e.g. a BPMP) that runs the outreach service; every case and officer belongs to one."""

    code = models.SlugField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    address = models.TextField(_("alamat"), blank=True)
    time_zone = models.CharField(_("zona waktu"), max_length=64, default="Asia/Jakarta")
    is_active = models.BooleanField(_("aktif"), default=True)
    registration_prefix = models.CharField(
        _("awalan nomor registrasi"),
        max_length=10,
        default="JB",
        validators=[RegexValidator(r"^[A-Z0-9]+$", _("Gunakan huruf besar dan angka saja."))],
        help_text=_("Nomor registrasi berbentuk AWALAN-TAHUN-NOMOR, misalnya JB-2026-000123."),
    )
    # How long a closed case keeps its personal data (the office's records retention schedule); after it,
    # ``manage.py apply_retention`` anonymises the case and keeps its statistics.
    retention_years = models.PositiveSmallIntegerField(
        _("masa retensi data pribadi (tahun)"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("Data pribadi kasus yang sudah ditutup dianonimkan setelah masa ini; statistik tetap disimpan."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("kantor")
        verbose_name_plural = _("kantor")

    def __str__(self):
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Senin")
    TUESDAY = 1, _("Selasa")
    WEDNESDAY = 2, _("Rabu")
    THURSDAY = 3, _("Kamis")
    FRIDAY = 4, _("Jumat")
    SATURDAY = 5, _("Sabtu")
    SUNDAY = 6, _("Minggu")


class OfficeHours(models.Model):
    """Opening hours of one weekday; a weekday without a row is closed."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="hours", verbose_name=_("kantor"))
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    opens = models.TimeField(_("buka"))
    closes = models.TimeField(_("tutup"))

    class Meta:
        ordering = ["office", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["office", "weekday"], name="office_hours_one_per_weekday"),
            models.CheckConstraint(condition=models.Q(opens__lt=models.F("closes")), name="office_hours_opens_first"),
        ]
        verbose_name = _("jam layanan")
        verbose_name_plural = _("jam layanan")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError(_("Jam buka harus sebelum jam tutup."))


class CalendarOverride(models.Model):
    """A day an administrator closed (an extra holiday) or opened (a national holiday the office works)."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Libur (ditambahkan)")
        OPEN = "open", _("Hari kerja (libur nasional dibatalkan)")

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="calendar_overrides", verbose_name=_("kantor")
    )
    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("alasan"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("dibuat oleh")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["office", "date"]
        constraints = [models.UniqueConstraint(fields=["office", "date"], name="calendar_override_one_per_day")]
        verbose_name = _("perubahan kalender")
        verbose_name_plural = _("perubahan kalender")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}: {self.reason}"


class ServiceType(models.Model):
    """One service of the office's catalogue, with the Standar Pelayanan figures the workflow needs."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="service_types", verbose_name=_("kantor"))
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama layanan"), max_length=200)
    name_en = models.CharField(_("nama layanan (Inggris)"), max_length=200, blank=True)
    description = models.TextField(_("uraian"), blank=True)
    # The survey window of POS step 6 follows the SP completion time: "1 s.d. 3 hari".
    survey_window_days = models.PositiveSmallIntegerField(_("jangka waktu survei (hari kerja)"), default=3)
    is_public_information = models.BooleanField(
        _("permohonan informasi publik"),
        default=False,
        help_text=_("Berlaku tenggat UU 14/2008: 10 hari kerja, dapat diperpanjang 7 hari kerja."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["office", "name"]
        constraints = [models.UniqueConstraint(fields=["office", "code"], name="service_type_code_per_office")]
        verbose_name = _("jenis layanan")
        verbose_name_plural = _("jenis layanan")

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language: English when chosen and given; Indonesian is the name of record."""
        english = (get_language() or "").startswith("en")
        return self.name_en if english and self.name_en else self.name


class ServiceStandard(models.Model):
    """The six public components of a service's Standar Pelayanan (PermenPANRB 15/2014), published as is."""

    service_type = models.OneToOneField(
        ServiceType, on_delete=models.CASCADE, related_name="standard", verbose_name=_("jenis layanan")
    )
    requirements = models.TextField(_("persyaratan"))
    procedure = models.TextField(_("sistem, mekanisme, dan prosedur"))
    completion_time = models.TextField(_("jangka waktu penyelesaian"))
    cost = models.TextField(_("biaya/tarif"), default="Gratis")
    product = models.TextField(_("produk layanan"))
    complaints = models.TextField(_("penanganan pengaduan, saran, dan masukan"))
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        ordering = ["service_type__office", "service_type__name"]
        verbose_name = _("standar pelayanan")
        verbose_name_plural = _("standar pelayanan")

    def __str__(self):
        return str(self.service_type)


class ServiceCharter(models.Model):
    """The office's Maklumat Pelayanan: its signed public promise to serve per the standard."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="charter", verbose_name=_("kantor"))
    text = models.TextField(_("isi maklumat"))
    signed_by_name = models.CharField(_("nama penanda tangan"), max_length=200)
    signed_by_position = models.CharField(_("jabatan penanda tangan"), max_length=200)
    signed_on = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=100)

    class Meta:
        ordering = ["office"]
        verbose_name = _("maklumat pelayanan")
        verbose_name_plural = _("maklumat pelayanan")

    def __str__(self):
        return str(self.office)
