import re
import secrets

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from jangkau.cases.intake import FIELD_ORDER
from jangkau.cases.models import Channel
from jangkau.cases.vocabulary import (
    MESSAGE_LANGUAGES,
    Accommodation,
    DeliveryMode,
    IdType,
    NotifyChannel,
    Vulnerability,
)


class LoginForm(AuthenticationForm):
    """Staff sign-in with Indonesian labels and messages.

    The browser's own validation is switched off in the template (novalidate) so that errors always come
    back as the accessible error summary. Nothing is autofocused: focus would skip the page's header and
    the skip link for screen-reader users.
    """

    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": _("Masukkan nama pengguna Anda")},
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Masukkan kata sandi Anda")},
    )

    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Periksa keduanya lalu coba lagi. Huruf besar dan kecil dibedakan."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi administrator kantor Anda."),
    }


class BreachExplanationForm(forms.Form):
    explanation = forms.CharField(
        label=_("Mengapa langkah ini melewati waktu standar?"),
        help_text=_("Tuliskan sebabnya dengan jelas. Penjelasan ini disimpan sebagai bahan pertanggungjawaban."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Tuliskan penjelasan keterlambatan")},
    )


# --- intake by officers (issue 3, item 2) ------------------------------------------------------------------

# The channels an officer records on the requester's behalf: the web form and the API are the requester's own.
OFFICER_CHANNELS = [(value, label) for value, label in Channel.choices if value not in (Channel.WEB, Channel.API)]
# Intake fields that hold several choices (checkboxes) or a yes/no (one checkbox).
LIST_FIELDS = ("vulnerabilities", "accommodations")
BOOLEAN_FIELDS = ("urgent", "consent")
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)


class TelInput(forms.TextInput):
    input_type = "tel"


def _text(label, *, help_text="", required=True, max_length=None, textarea=False, **attrs):
    widget = forms.Textarea(attrs={"rows": 4, **attrs}) if textarea else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, help_text=help_text, required=required, max_length=max_length, widget=widget)


class OfficerIntakeForm(forms.Form):
    """An officer records a request received by another channel, on the requester's behalf.

    The form only asks and shows: the intake rules (the same for the web form, this form and the API) are
    ``services.case_submit_once``'s, whose errors the view puts back beside the fields. The field names are
    the API's, so those errors map one to one. The form itself checks only what is not intake data (the
    channel, the hidden idempotency key and the uploaded file's presence) and that the officer asked how the
    requester wants news: the intake rules would otherwise choose for the requester.

    ``required`` decides only whether a label says "(opsional)". Fields needed in some cases only (the NIK,
    the address) are not marked optional; their hint says when they are needed. The browser's own
    validation stays off (``use_required_attribute``, ``novalidate``) so errors always come back as the
    error summary.
    """

    use_required_attribute = False

    channel = forms.ChoiceField(
        label=_("Lewat saluran apa permohonan ini diterima?"),
        choices=OFFICER_CHANNELS,
        widget=forms.RadioSelect(attrs={"class": "intake-choices"}),
    )

    # autocomplete="off": the officer's browser must not offer the officer's own name, phone or address.
    full_name = _text(_("Siapa nama lengkap pemohon?"), autocomplete="off", spellcheck="false")
    id_type = forms.ChoiceField(
        label=_("Dokumen identitas apa yang dimiliki pemohon?"),
        choices=IdType.choices,
        widget=forms.RadioSelect(attrs={"class": "intake-choices"}),
    )
    nik = _text(
        _("NIK"),
        help_text=_("Untuk KTP, KIA, atau Kartu Keluarga: 16 angka yang tertera pada kartu."),
        autocomplete="off",
        inputmode="numeric",
        spellcheck="false",
    )
    id_number = _text(
        _("Nomor dokumen identitas"),
        help_text=_("Untuk paspor atau dokumen lain."),
        autocomplete="off",
        spellcheck="false",
    )
    no_id_reason = _text(
        _("Mengapa pemohon tidak punya dokumen identitas?"),
        help_text=_("Bila pemohon tidak punya dokumen identitas. Permohonan tetap diterima."),
        textarea=True,
        rows=3,
    )

    phone = forms.CharField(
        label=_("Nomor telepon atau WhatsApp"),
        help_text=_("Contoh: 0812 3456 7890."),
        widget=TelInput(attrs={"autocomplete": "off"}),
    )
    email = forms.CharField(
        label=_("Alamat surel"),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    notify_channel = forms.ChoiceField(
        label=_("Bagaimana pemohon ingin dikabari tentang permohonan ini?"),
        help_text=_("Pesan kami berupa teks singkat, tidak pernah gambar. WhatsApp dan SMS perlu nomor telepon."),
        choices=NotifyChannel.choices,
        widget=forms.RadioSelect(attrs={"class": "intake-choices"}),
    )
    # Indonesian first: the officer's own page language says nothing about the requester's.
    language = forms.ChoiceField(
        label=_("Dalam bahasa apa pemohon ingin menerima pesan?"),
        choices=MESSAGE_LANGUAGES,
        initial="id",
        widget=forms.RadioSelect(attrs={"class": "intake-choices"}),
    )

    address = _text(
        _("Alamat pemohon"),
        help_text=_("Wajib untuk kunjungan ke rumah dan pengiriman lewat kurir atau pos."),
        textarea=True,
        rows=3,
        autocomplete="off",
    )
    area = _text(
        _("Kabupaten/kota atau kecamatan"), help_text=_("Contoh: Jakarta Pusat."), required=False, autocomplete="off"
    )

    vulnerabilities = forms.MultipleChoiceField(
        label=_("Pemohon termasuk kelompok rentan yang mana?"),
        help_text=_("Pilih semua yang sesuai."),
        choices=Vulnerability.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "intake-choices"}),
    )
    disability_details = _text(
        _("Keterangan disabilitas atau kebutuhan khusus"),
        help_text=_("Misalnya pengguna kursi roda, atau hanya dapat dihubungi lewat pesan tertulis."),
        required=False,
        textarea=True,
        rows=3,
    )

    service_type = forms.ChoiceField(
        label=_("Layanan apa yang dibutuhkan?"), widget=forms.RadioSelect(attrs={"class": "intake-choices"})
    )
    need = _text(
        _("Apa yang dibutuhkan pemohon?"),
        help_text=_("Tuliskan dengan kata-kata pemohon sendiri sejauh mungkin."),
        textarea=True,
        rows=5,
    )
    delivery_mode = forms.ChoiceField(
        label=_("Bagaimana pemohon ingin dilayani?"),
        choices=DeliveryMode.choices,
        widget=forms.RadioSelect(attrs={"class": "intake-choices"}),
    )
    accommodations = forms.MultipleChoiceField(
        label=_("Akomodasi yang layak apa yang dibutuhkan pemohon?"),
        help_text=_("Pilih semua yang sesuai."),
        choices=Accommodation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "intake-choices"}),
    )

    companion_name = _text(_("Nama pendamping atau kuasa"), required=False, autocomplete="off")
    companion_relation = _text(
        _("Hubungan pendamping dengan pemohon"), help_text=_("Contoh: anak, tetangga, kader."), required=False
    )
    power_of_attorney = forms.FileField(
        label=_("Surat kuasa"),
        help_text=_("Bila seseorang bertindak atas nama pemohon. PDF, JPG, atau PNG, paling besar 5 MB."),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    urgent = forms.BooleanField(label=_("Permohonan ini mendesak"), required=False)
    urgent_reason = _text(
        _("Mengapa mendesak?"),
        help_text=_("Bila permohonan ditandai mendesak. Contoh: batas waktu pendaftaran sekolah besok."),
    )

    consent = forms.BooleanField(
        label=_("Pemohon sudah diberi tahu pemberitahuan privasi dan menyetujuinya"),
        help_text=_(
            "Sampaikan kepada pemohon data apa yang dicatat, untuk apa, siapa yang melihatnya, dan berapa lama "
            "disimpan, seperti tertulis di pemberitahuan privasi."
        ),
    )

    idempotency_key = forms.CharField(widget=forms.HiddenInput)
    document_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        services = office.service_types.filter(is_active=True).order_by("name", "pk")
        self.fields["service_type"].choices = [(service.code, service.display_name) for service in services]
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", new_idempotency_key())

    def full_clean(self):
        """Checks the channel and that a notify channel is chosen; the intake fields are checked by the service
        (see the class docstring)."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        if not self.is_bound:
            return
        channel = self.data.get("channel")
        if channel in dict(OFFICER_CHANNELS):
            self.cleaned_data["channel"] = channel
        else:
            self.add_error("channel", _("Pilih saluran tempat permohonan ini diterima."))
        if not self.data.get("notify_channel"):
            self.add_error("notify_channel", _("Pilih cara pemohon ingin dikabari."))

    def intake_data(self) -> dict:
        """Returns the intake data as the service and the API take it (raw text; the service cleans it)."""
        data = {}
        for name in FIELD_ORDER:
            if name in LIST_FIELDS:
                data[name] = self.data.getlist(name)
            elif name in BOOLEAN_FIELDS:
                data[name] = self.data.get(name) in ("on", "true", "1")
            else:
                data[name] = self.data.get(name, "")
        return data

    def submitted_key(self) -> str | None:
        """Returns the hidden idempotency key sent with the form, None when it is missing or malformed."""
        key = self.data.get("idempotency_key", "")
        return key if IDEMPOTENCY_KEY.match(key) else None

    def set_hidden(self, name: str, value: str) -> None:
        """Replaces a hidden field's value in the re-rendered form (bound data is otherwise immutable)."""
        self.data = self.data.copy()
        self.data[name] = value
