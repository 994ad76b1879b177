"""Forms of the case page: the purpose of opening personal data, and the small form of each case action.

The forms only ask and show: the rules are the services'. A form checks that a required answer is there
(so every missing answer is listed at once); the service checks everything again and its errors come back
beside the fields, whose names are the service's argument names.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from jangkau.accounts.models import Role, User
from jangkau.cases.vocabulary import DeliveryMode
from jangkau.core import clock
from jangkau.scheduling.models import ContactAttempt

# Free text the services take for step 2 (services.REQUESTER_TEXT allows 2000 characters).
STEP_TEXT_MAX = 2000


class CaseActionForm(forms.Form):
    """The base of every action form: it carries the status the officer saw when the form was shown, so a
    refusal can say that the case moved on meanwhile (another officer acted) rather than a bare "not allowed".
    """

    use_required_attribute = False

    seen_status = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, case, **kwargs):
        # The case lets a later action's form offer choices of its office (the PPID members to forward to).
        super().__init__(*args, **kwargs)
        self.case = case


def _text(label, help_text, required_message, *, rows=4, max_length=STEP_TEXT_MAX):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message,
            "max_length": _("Tuliskan paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."),
        },
    )


class AcceptForm(CaseActionForm):
    """Accepting asks nothing: the page is the confirmation."""


class RequestInfoForm(CaseActionForm):
    missing = _text(
        _("Data apa yang kurang?"),
        _(
            "Pemohon membaca teks ini di halaman lacak, jadi tulis dengan bahasa yang mudah dipahami. "
            "Contoh: foto KTP pemohon dan surat kuasa yang ditandatangani."
        ),
        _("Tuliskan data apa yang kurang"),
    )


class RejectForm(CaseActionForm):
    reason = _text(
        _("Mengapa permohonan ini ditolak?"),
        _("Pemohon membaca alasan ini di halaman lacak."),
        _("Tuliskan alasan penolakan"),
        rows=3,
    )
    referral = _text(
        _("Ke instansi mana pemohon sebaiknya pergi?"),
        _("Sebutkan instansi yang berwenang dan cara menghubunginya. Contoh: Disdukcapil Jakarta Pusat."),
        _("Tuliskan rujukan agar pemohon tahu ke mana harus pergi"),
        rows=3,
    )


class PersonalDataForm(forms.Form):
    """Why the officer opens the requester's personal data; kept in the audit trail with who and when."""

    use_required_attribute = False

    purpose = forms.CharField(
        label=_("Untuk apa Anda membuka data pribadi pemohon?"),
        help_text=_(
            "Contoh: menelepon pemohon untuk menjadwalkan kunjungan. Setiap pembukaan dicatat: siapa, kapan, "
            "dan untuk apa."
        ),
        max_length=500,
        error_messages={
            "required": _("Tuliskan keperluan membuka data pribadi"),
            "max_length": _("Tuliskan paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."),
        },
    )
    # Set by a document's download button on the personal-data page: that file is returned instead.
    document = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


# --- steps 3 to 5 --------------------------------------------------------------------------------------------


class ConfirmForm(CaseActionForm):
    """An action that asks nothing (marking the requester unreachable): the page is the confirmation."""


class ForwardToPpidForm(CaseActionForm):
    ppid_member = forms.ModelChoiceField(
        label=_("Kepada anggota Tim PPID siapa kasus ini diteruskan?"),
        queryset=None,
        empty_label=_("Pilih anggota Tim PPID"),
        error_messages={
            "required": _("Pilih anggota Tim PPID"),
            "invalid_choice": _("Pilih anggota Tim PPID dari daftar"),
        },
    )
    note = _text(
        _("Apa yang perlu disiapkan Tim PPID?"),
        _("Contoh: rekap data mutu SD Negeri 01 tahun 2024, dicetak huruf besar."),
        _("Tuliskan catatan untuk Tim PPID"),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["ppid_member"].queryset = User.objects.filter(
            office_id=case.office_id, role=Role.PPID_MEMBER, is_active=True
        ).order_by("first_name", "last_name", "username")


class RecordResultForm(CaseActionForm):
    summary = _text(
        _("Hasil layanan apa yang sudah disiapkan?"),
        _("Petugas ULT membaca teks ini saat menghubungi pemohon dan menyerahkan hasilnya."),
        _("Tuliskan hasil layanan yang disiapkan"),
    )


# The channel is free text in the model (the API takes any); the page offers the usual ones.
CONTACT_CHANNELS = [
    ("phone", _("Telepon")),
    ("whatsapp", _("WhatsApp")),
    ("sms", _("SMS")),
    ("email", _("Surel")),
    ("visit", _("Kunjungan langsung")),
]


class RecordContactForm(CaseActionForm):
    channel = forms.ChoiceField(
        label=_("Lewat saluran apa Anda menghubungi pemohon?"),
        choices=CONTACT_CHANNELS,
        widget=forms.RadioSelect(attrs={"class": "intake-choices"}),
        error_messages={"required": _("Pilih saluran kontak"), "invalid_choice": _("Pilih saluran kontak")},
    )
    result = forms.ChoiceField(
        label=_("Apa hasilnya?"),
        choices=ContactAttempt.Result.choices,
        widget=forms.RadioSelect(attrs={"class": "intake-choices"}),
        error_messages={"required": _("Pilih hasil kontak"), "invalid_choice": _("Pilih hasil kontak")},
    )
    notes = forms.CharField(
        label=_("Catatan"),
        help_text=_("Contoh: pemohon minta dihubungi lagi sore hari. Jangan menulis nomor telepon di sini."),
        required=False,
        max_length=STEP_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResumeContactForm(CaseActionForm):
    note = forms.CharField(
        label=_("Bagaimana pemohon dapat dihubungi lagi?"),
        help_text=_("Contoh: pemohon menelepon kantor dan meminta dijadwalkan."),
        required=False,
        max_length=STEP_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
TIME_FORMATS = ["%H:%M", "%H.%M"]


class ScheduleForm(CaseActionForm):
    """The appointment: a date and a time in the office's time zone, the mode, where, and notes.

    ``cleaned_data["starts_at"]`` is the aware moment the service takes.
    """

    date = forms.DateField(
        label=_("Tanggal berapa layanan diberikan?"),
        help_text=_("Tulis tanggal/bulan/tahun, contoh: 15/12/2026."),
        input_formats=DATE_FORMATS,
        error_messages={
            "required": _("Tuliskan tanggal layanan"),
            "invalid": _("Tuliskan tanggal seperti 15/12/2026"),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "input--date"}),
    )
    time = forms.TimeField(
        label=_("Pukul berapa?"),
        help_text=_("Waktu setempat kantor, contoh: 09:30."),
        input_formats=TIME_FORMATS,
        error_messages={"required": _("Tuliskan jam layanan"), "invalid": _("Tuliskan jam seperti 09:30")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "input--time"}),
    )
    mode = forms.ChoiceField(
        label=_("Bagaimana layanan diberikan?"),
        choices=DeliveryMode.choices,
        widget=forms.RadioSelect(attrs={"class": "intake-choices"}),
        error_messages={"required": _("Pilih cara layanan"), "invalid_choice": _("Pilih cara layanan")},
    )
    place = forms.CharField(
        label=_("Di mana?"),
        help_text=_(
            "Tempat yang disepakati dengan pemohon, contoh: rumah pemohon di Cempaka Putih, atau tautan panggilan "
            "video. Teks ini masuk ke berkas kalender."
        ),
        required=False,
        max_length=300,
    )
    notes = forms.CharField(
        label=_("Catatan"),
        help_text=_("Contoh: bawa dokumen cetak huruf besar."),
        required=False,
        max_length=STEP_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if not self.is_bound and case.delivery_mode:
            self.initial.setdefault("mode", case.delivery_mode)

    def clean(self):
        cleaned = super().clean()
        day, moment = cleaned.get("date"), cleaned.get("time")
        if day is not None and moment is not None:
            starts_at = datetime.combine(day, moment).replace(tzinfo=ZoneInfo(self.case.office.time_zone))
            if starts_at <= clock.now():
                self.add_error("date", _("Jadwal layanan harus di masa depan"))
            else:
                cleaned["starts_at"] = starts_at
        return cleaned


class RescheduleForm(ScheduleForm):
    reason = _text(
        _("Mengapa jadwal diubah?"),
        _("Contoh: pemohon sakit dan meminta jadwal minggu depan."),
        _("Tuliskan alasan penjadwalan ulang"),
        rows=3,
    )

    field_order = ["date", "time", "mode", "place", "reason"]

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        # The service keeps the reason as the new appointment's notes.
        del self.fields["notes"]


class DeliverForm(CaseActionForm):
    notes = _text(
        _("Layanan apa yang diberikan?"),
        _("Contoh: rekap data mutu sekolah diserahkan dalam cetak huruf besar dan dijelaskan langsung."),
        _("Tuliskan layanan yang diberikan"),
    )
