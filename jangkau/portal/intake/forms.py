"""One form per page of the web intake. The forms only label and render the questions: every answer is
checked by the same intake rules as the API and the officers' form (``services.intake_check``)."""

from __future__ import annotations

from django import forms
from django.forms.utils import ErrorDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jangkau.cases import services
from jangkau.cases.intake import active_message_language
from jangkau.cases.vocabulary import (
    MESSAGE_LANGUAGES,
    MODES_NEEDING_ADDRESS,
    Accommodation,
    DeliveryMode,
    IdType,
    NotifyChannel,
    Vulnerability,
)

YES, NO = "ya", "tidak"


class Radios(forms.RadioSelect):
    """Radios with the label after the control, each a large target (GOV.UK radios)."""

    template_name = "portal/intake/widgets/choices.html"
    option_template_name = "portal/intake/widgets/choice.html"


class Checkboxes(forms.CheckboxSelectMultiple):
    template_name = "portal/intake/widgets/choices.html"
    option_template_name = "portal/intake/widgets/choice.html"


def text(label, help_text="", *, required=True, autocomplete=None, **attrs) -> forms.CharField:
    """A text answer. Length and content limits come from the intake rules, which say what is wrong;
    a maxlength attribute would cut a pasted text without a word."""
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return forms.CharField(
        label=label, help_text=help_text, required=required, strip=False, widget=forms.TextInput(attrs=attrs)
    )


def long_text(label, help_text="", *, required=True, rows=4) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, required=required, strip=False, widget=forms.Textarea(attrs={"rows": rows})
    )


class IntakePageForm(forms.Form):
    """A page of the intake: its answers are checked by ``services.intake_check`` limited to the page's
    fields (``check_fields``), and its messages are the intake rules' own.

    ``required`` on a field only decides whether its label says "(opsional)"; the browser's own
    validation is off so that every message comes back in the accessible error summary.
    """

    use_required_attribute = False
    # The intake fields this page asks and stores in the draft.
    intake_fields: tuple[str, ...] = ()

    def __init__(self, *args, office, draft, **kwargs):
        self.office = office
        self.draft = draft
        super().__init__(*args, **kwargs)

    def check_fields(self) -> tuple[str, ...]:
        return self.intake_fields

    def intake_data(self) -> dict:
        """Returns the raw answers of this page keyed by the intake's field names."""
        return {name: self[name].data for name in self.intake_fields}

    def full_clean(self):
        self._errors = ErrorDict()
        self.cleaned_data = {}
        if not self.is_bound:
            return
        cleaned, errors = services.intake_check(office=self.office, data=self.intake_data(), only=self.check_fields())
        self.cleaned_data = {name: cleaned[name] for name in self.intake_fields if name in cleaned}
        for name, message in errors.ordered():
            self.add_error(name if name in self.fields else None, message)
        self.clean_page()

    def clean_page(self) -> None:
        """Checks what the intake rules cannot know about the page (a question that is not an intake field)."""

    def answers(self) -> dict:
        """Returns the cleaned answers to store in the draft (valid forms only)."""
        return {name: self.cleaned_data.get(name) for name in self.intake_fields}


class NameForm(IntakePageForm):
    intake_fields = ("full_name",)

    full_name = text(
        _("Siapa nama lengkap orang yang membutuhkan layanan?"),
        _("Jika Anda mengisi untuk orang lain, tulis nama orang itu. Tulis seperti pada kartu identitas, jika ada."),
        autocomplete="name",
        spellcheck="false",
    )


class IdentityForm(IntakePageForm):
    """The identity document: the NIK for KTP, KIA or Kartu Keluarga, a number for a passport or another
    document, or the reason when there is none. Each follow-up question sits under its answer."""

    intake_fields = ("id_type", "nik", "id_number", "no_id_reason")

    id_type = forms.ChoiceField(
        label=_("Dokumen identitas apa yang dimiliki pemohon?"),
        help_text=_("Permohonan tetap kami terima walaupun pemohon tidak punya dokumen identitas."),
        choices=IdType.choices,
        widget=Radios,
    )
    nik = text(
        _("Berapa NIK pemohon?"),
        _("Nomor Induk Kependudukan, 16 angka yang tertera pada kartu."),
        autocomplete="off",
        inputmode="numeric",
        spellcheck="false",
    )
    id_number = text(_("Berapa nomor dokumen itu?"), autocomplete="off", spellcheck="false")
    no_id_reason = long_text(
        _("Mengapa pemohon tidak punya dokumen identitas?"),
        _("Misalnya: hilang karena banjir, atau belum pernah dibuatkan."),
        rows=3,
    )

    # Which follow-up question belongs under which answers, in the order the answers are listed.
    GROUPS = (
        ((IdType.KTP, IdType.KIA, IdType.KK), "nik"),
        ((IdType.PASSPORT, IdType.OTHER), "id_number"),
        ((IdType.NONE,), "no_id_reason"),
    )

    def intake_data(self) -> dict:
        # Only the follow-up under the chosen answer counts: text left in a hidden one is not checked.
        data = super().intake_data()
        for codes, field in self.GROUPS:
            if data.get("id_type") not in codes:
                data[field] = ""
        return data

    def groups(self):
        """Returns (radios, follow-up fields) pairs for the template, in the order of ``GROUPS``."""
        radios = {radio.data["value"]: radio for radio in self["id_type"]}
        return [([radios[code] for code in codes], [self[field]]) for codes, field in self.GROUPS]


class ContactForm(IntakePageForm):
    """The contact details, how the requester wants news of the request and in which language.

    The intake rules give a left-out channel a default (for the API's older clients); here the question is
    asked, so it must be answered. The language starts at the page's own language.
    """

    intake_fields = ("phone", "email", "notify_channel", "language")

    phone = text(
        _("Berapa nomor telepon atau WhatsApp pemohon?"),
        _("Contoh: 0812 3456 7890"),
        autocomplete="tel",
        type="tel",
    )
    email = forms.CharField(
        label=_("Apa alamat surel (e-mail) pemohon?"),
        strip=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    notify_channel = forms.ChoiceField(
        label=_("Bagaimana kami mengabari Anda tentang permohonan ini?"),
        help_text=_("Pesan kami berupa teks singkat, tidak pernah gambar."),
        choices=NotifyChannel.choices,
        widget=Radios,
    )
    language = forms.ChoiceField(
        label=_("Dalam bahasa apa Anda ingin menerima pesan?"), choices=MESSAGE_LANGUAGES, widget=Radios
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.initial.get("language"):
            self.initial["language"] = active_message_language()

    def clean_page(self) -> None:
        if not self["notify_channel"].data:
            self.add_error("notify_channel", _("Pilih cara kami mengabari Anda."))


class GroupForm(IntakePageForm):
    intake_fields = ("vulnerabilities", "disability_details")

    vulnerabilities = forms.MultipleChoiceField(
        label=_("Keadaan apa yang membuat pemohon sulit datang ke kantor?"),
        help_text=_("Pilih semua yang sesuai."),
        choices=Vulnerability.choices,
        widget=Checkboxes,
    )
    disability_details = long_text(
        _("Apa yang perlu petugas ketahui tentang keadaan pemohon?"),
        _("Misalnya: memakai kursi roda, tidak dapat membaca tulisan kecil, atau hanya dapat dihubungi lewat pesan."),
        required=False,
        rows=3,
    )


class ServiceForm(IntakePageForm):
    intake_fields = ("service_type", "need")

    service_type = forms.ChoiceField(label=_("Layanan apa yang pemohon butuhkan?"), widget=Radios)
    need = long_text(
        _("Apa keperluan pemohon?"),
        _("Ceritakan dengan kata-kata sendiri. Misalnya: data mutu sekolah anak saya untuk pendaftaran."),
        rows=5,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].choices = [
            (service.code, service.display_name)
            for service in self.office.service_types.filter(is_active=True).order_by("name", "pk")
        ]


class ModeForm(IntakePageForm):
    intake_fields = ("delivery_mode",)

    delivery_mode = forms.ChoiceField(
        label=_("Bagaimana pemohon ingin dilayani?"),
        help_text=_("Semua cara ini gratis, termasuk pengiriman dokumen."),
        choices=DeliveryMode.choices,
        widget=Radios,
    )


class AddressForm(IntakePageForm):
    """The address, needed only when the officer visits or sends documents (the mode was asked before)."""

    intake_fields = ("address", "area")

    address = long_text(
        _("Di mana alamat pemohon?"),
        _("Tulis nama jalan, nomor rumah, RT/RW, dan patokan yang memudahkan petugas."),
        rows=3,
    )
    area = text(
        _("Di kelurahan, kecamatan, dan kota mana?"),
        _("Misalnya: Cempaka Putih, Jakarta Pusat."),
        required=False,
        autocomplete="address-level2",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].required = self.address_needed()

    def address_needed(self) -> bool:
        return self.draft["answers"].get("delivery_mode") in MODES_NEEDING_ADDRESS

    def check_fields(self):
        # With the mode asked earlier, the rule "visits and deliveries need an address" can run here.
        return (*self.intake_fields, "delivery_mode")

    def intake_data(self) -> dict:
        return {**super().intake_data(), "delivery_mode": self.draft["answers"].get("delivery_mode")}


class AccommodationForm(IntakePageForm):
    intake_fields = ("accommodations",)

    accommodations = forms.MultipleChoiceField(
        label=_("Bantuan apa yang pemohon butuhkan saat dilayani?"),
        help_text=_("Pilih semua yang sesuai. Lewati pertanyaan ini jika tidak ada."),
        choices=Accommodation.choices,
        widget=Checkboxes,
        required=False,
    )


class CompanionForm(IntakePageForm):
    """Whether someone fills the form for the requester or comes with them, who, and their power of
    attorney. The upload itself is stored by the view (a document is written as soon as it is sent)."""

    intake_fields = ("companion_name", "companion_relation")

    has_companion = forms.ChoiceField(
        label=_("Apakah ada orang lain yang mengisi formulir ini atau mendampingi pemohon?"),
        help_text=_("Misalnya anggota keluarga, tetangga, atau pendamping dari sebuah lembaga."),
        choices=[(YES, _("Ya")), (NO, _("Tidak"))],
        widget=Radios,
    )
    companion_name = text(_("Siapa nama pendamping?"), spellcheck="false")
    companion_relation = text(
        _("Apa hubungan pendamping dengan pemohon?"), _("Misalnya: anak, suami, tetangga, atau relawan.")
    )
    power_of_attorney = forms.FileField(
        label=_("Surat kuasa dari pemohon"),
        help_text=_(
            "Unggah jika pendamping mengajukan permohonan atas nama pemohon. Berkas PDF, JPG, atau PNG, "
            "paling besar 5 MB. Jika belum ada, petugas dapat memintanya nanti."
        ),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        uploaded = [document["filename"] for document in self.draft.get("documents", [])]
        if uploaded:
            field = self.fields["power_of_attorney"]
            field.help_text = format_lazy(
                "{} {}",
                field.help_text,
                _("Sudah diunggah: %(filename)s. Pilih berkas lain hanya jika ingin menggantinya.")
                % {"filename": uploaded[-1]},
            )

    def groups(self):
        """Returns (radios, follow-up fields) pairs: the companion's questions sit under "Ya"."""
        yes, no = list(self["has_companion"])
        return [([yes], [self["companion_name"], self["companion_relation"], self["power_of_attorney"]]), ([no], [])]

    def clean_page(self) -> None:
        choice = self["has_companion"].data
        if choice not in (YES, NO):
            self.add_error("has_companion", _("Pilih Ya jika ada pendamping, atau Tidak."))
            return
        self.cleaned_data["has_companion"] = choice
        if choice == NO:
            # Answers typed under "Ya" before changing one's mind are not kept.
            for name in ("companion_name", "companion_relation", "power_of_attorney"):
                self.errors.pop(name, None)
            self.cleaned_data.update(companion_name="", companion_relation="")
            return
        if not self.cleaned_data.get("companion_name") and "companion_name" not in self.errors:
            self.add_error("companion_name", _("Tulis nama pendamping."))
        if not self.cleaned_data.get("companion_relation") and "companion_relation" not in self.errors:
            self.add_error("companion_relation", _("Tulis hubungan pendamping dengan pemohon."))

    def wants_upload(self):
        """Returns the uploaded file when the answer is "Ya" and a file was chosen, else None."""
        if self["has_companion"].data != YES:
            return None
        return self.files.get("power_of_attorney") or None


class ConsentForm(IntakePageForm):
    intake_fields = ("consent",)

    consent = forms.BooleanField(
        label=_(
            "Saya setuju data pribadi pemohon, termasuk data disabilitas dan data anak, diolah untuk memberikan "
            "layanan ini sesuai pemberitahuan privasi."
        ),
    )
