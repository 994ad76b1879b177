"""The SKM (PermenPANRB 14/2017): the instrument as versioned data, the private link each delivered case
gets (POS step 5 hands it over), and the responses (POS step 6), online, on paper or assisted."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jangkau.core.fields import EncryptedTextField

ELEMENT_CODES = [f"U{n}" for n in range(1, 10)]
SCALE = (1, 2, 3, 4)


class Instrument(models.Model):
    """One version of an office's SKM questionnaire. Like the POS, a version is never edited once used:
    a correction is a new version, and each response pins the version it was given under."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("kantor"))
    version = models.PositiveIntegerField(_("versi"))
    title = models.CharField(_("judul"), max_length=200)
    title_en = models.CharField(_("judul (Inggris)"), max_length=200, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    source = models.CharField(_("berkas sumber"), max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["office", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["office", "version"], name="instrument_version_per_office"),
            models.UniqueConstraint(
                fields=["office"], condition=models.Q(is_active=True), name="instrument_one_active_per_office"
            ),
        ]
        verbose_name = _("instrumen SKM")
        verbose_name_plural = _("instrumen SKM")

    def __str__(self):
        return f"{self.title} v{self.version}"


def _in_language(indonesian: str, english: str):
    return english if english and (get_language() or "").startswith("en") else indonesian


class Element(models.Model):
    """One unsur: its fixed code, its question and the labels of its four answers (1 worst .. 4 best)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="elements")
    code = models.CharField(_("kode"), max_length=2)
    order = models.PositiveSmallIntegerField(_("urutan"))
    name = models.CharField(_("unsur"), max_length=120)
    name_en = models.CharField(_("unsur (Inggris)"), max_length=120, blank=True)
    question = models.TextField(_("pertanyaan"))
    question_en = models.TextField(_("pertanyaan (Inggris)"), blank=True)
    labels = models.JSONField(_("pilihan jawaban"))
    labels_en = models.JSONField(_("pilihan jawaban (Inggris)"), default=list)

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="element_code_per_instrument")]
        verbose_name = _("unsur SKM")
        verbose_name_plural = _("unsur SKM")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def display_name(self) -> str:
        return _in_language(self.name, self.name_en)

    @property
    def display_question(self) -> str:
        return _in_language(self.question, self.question_en)

    @property
    def display_labels(self) -> list[str]:
        return self.labels_en if self.labels_en and (get_language() or "").startswith("en") else self.labels


class Invitation(models.Model):
    """The private, single-use survey link of a delivered case. Opens at delivery and closes after the
    service's survey window (its Standar Pelayanan) plus a grace period. The token is kept encrypted so the
    officer can show the link and QR code again; it is found through its keyed hash."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="survey_invitation")
    token = EncryptedTextField()
    token_hash = models.CharField(max_length=64, unique=True)
    opens_at = models.DateTimeField(_("dibuka"))
    closes_at = models.DateTimeField(_("ditutup"))
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("undangan survei")
        verbose_name_plural = _("undangan survei")

    def __str__(self):
        return f"{self.case}"


class Response(models.Model):
    """One filled SKM: the nine answers (1-4), the respondent's profile, a suggestion, and how it was given."""

    class Mode(models.TextChoices):
        ONLINE = "online", _("Daring (tautan pribadi)")
        PAPER = "paper", _("Formulir kertas")
        # Flagged: answers given to an officer are less free than those given alone.
        ASSISTED = "assisted", _("Wawancara terbantu")

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class Education(models.TextChoices):
        SD = "sd", _("SD ke bawah")
        SMP = "smp", _("SMP")
        SMA = "sma", _("SMA/SMK")
        D1_D3 = "d1_d3", _("D1–D3")
        D4_S1 = "d4_s1", _("D4/S1")
        S2 = "s2", _("S2 ke atas")

    class Occupation(models.TextChoices):
        PNS = "pns", _("PNS")
        TNI_POLRI = "tni_polri", _("TNI/POLRI")
        PRIVATE = "private", _("Pegawai swasta")
        SELF_EMPLOYED = "self_employed", _("Wirausaha")
        STUDENT = "student", _("Pelajar/Mahasiswa")
        OTHER = "other", _("Lainnya")

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("kantor"))
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="survey_response"
    )
    mode = models.CharField(_("cara pengisian"), max_length=10, choices=Mode.choices)
    answered_on = models.DateField(_("tanggal pengisian"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    age = models.PositiveSmallIntegerField(_("usia"))
    education = models.CharField(_("pendidikan"), max_length=10, choices=Education.choices)
    occupation = models.CharField(_("pekerjaan"), max_length=20, choices=Occupation.choices)
    u1 = models.PositiveSmallIntegerField()
    u2 = models.PositiveSmallIntegerField()
    u3 = models.PositiveSmallIntegerField()
    u4 = models.PositiveSmallIntegerField()
    u5 = models.PositiveSmallIntegerField()
    u6 = models.PositiveSmallIntegerField()
    u7 = models.PositiveSmallIntegerField()
    u8 = models.PositiveSmallIntegerField()
    u9 = models.PositiveSmallIntegerField()
    suggestion = models.TextField(_("saran"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["office", "answered_on", "id"]
        indexes = [models.Index(fields=["office", "answered_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"u{n}__gte": 1 for n in range(1, 10)})
                & models.Q(**{f"u{n}__lte": 4 for n in range(1, 10)}),
                name="response_answers_on_the_scale",
            )
        ]
        verbose_name = _("jawaban SKM")
        verbose_name_plural = _("jawaban SKM")

    def __str__(self):
        return f"{self.office} {self.answered_on} {self.mode}"


class IkmPublication(models.Model):
    """A period's IKM as the head published it (POS step 7). ``report`` is the ``ikm_report`` of the moment
    of publication, frozen: paper forms typed in later never change a published figure. A withdrawn
    publication leaves the public pages but stays here, with who withdrew it and why."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("kantor"))
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    # Empty: every service of the office.
    service_type = models.ForeignKey(
        "offices.ServiceType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("jenis layanan"),
    )
    report = models.JSONField(_("hasil IKM"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dipublikasikan oleh")
    )
    published_at = models.DateTimeField(_("dipublikasikan"))
    withdrawn_at = models.DateTimeField(_("ditarik"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ditarik oleh"),
    )
    withdraw_reason = models.TextField(_("alasan penarikan"), blank=True)

    class Meta:
        ordering = ["office", "-period_end", "-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="ikm_publication_period_in_order"
            ),
            # NULLs are distinct in a unique index, so the "every service" publication has its own constraint.
            models.UniqueConstraint(
                fields=["office", "period_start", "period_end", "service_type"],
                condition=models.Q(withdrawn_at__isnull=True, service_type__isnull=False),
                name="ikm_publication_one_live_per_service_period",
            ),
            models.UniqueConstraint(
                fields=["office", "period_start", "period_end"],
                condition=models.Q(withdrawn_at__isnull=True, service_type__isnull=True),
                name="ikm_publication_one_live_per_office_period",
            ),
        ]
        verbose_name = _("publikasi IKM")
        verbose_name_plural = _("publikasi IKM")

    def __str__(self):
        return f"{self.office} {self.period_start}–{self.period_end}"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None
