"""Forms of the case page: the purpose of opening personal data, and the small form of each case action.

The forms only ask and show: the rules are the services'. A form checks that a required answer is there
(so every missing answer is listed at once); the service checks everything again and its errors come back
beside the fields, whose names are the service's argument names.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from jangkau.accounts.models import Role, User
from jangkau.cases.services import OFFICE_COST_MAX
from jangkau.cases.sla import INFORMATION_EXTENSION_MAX_DAYS
from jangkau.cases.vocabulary import Accommodation, AccommodationsProvided, DeliveryMode, NeedMet
from jangkau.core import clock
from jangkau.scheduling.models import ContactAttempt
from jangkau.scheduling.selectors import current_appointment

# Free text the services take for step 2 (services.REQUESTER_TEXT allows 2000 characters).
STEP_TEXT_MAX = 2000


def _filled(message, **params) -> str:
    """Returns ``message % params`` lazily: the hint is translated when shown, in that request's language
    (``%`` on a lazy string would translate it once, at import)."""
    return lazy(lambda: str(message) % params, str)()


class CaseActionForm(forms.Form):
    """The base of every action form: it carries the status the officer saw when the form was shown, so a
    refusal can say that the case moved on meanwhile (another officer acted) rather than a bare "not allowed".
    """

    use_required_attribute = False

    seen_status = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, case, user=None, **kwargs):
        # The case lets a later action's form offer choices of its office (the PPID members to forward to);
        # the user is the default of questions about who does the work (the officers of an appointment).
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user


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


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); ``cleaned_data`` is a list, empty when none
    was chosen. Their content is checked when they are stored (``documents.document_store_upload``)."""

    def __init__(self, *args, max_files: int, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)
        self.max_files = max_files

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > self.max_files:
            raise forms.ValidationError(
                _("Pilih paling banyak %(count)d berkas sekaligus."), params={"count": self.max_files}
            )
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        single = super().clean
        return [single(f, initial) for f in files]


# Both the file picker's filter and what ``documents.document_check`` accepts (it looks at the content).
DOCUMENT_TYPES = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
DATA_FILE_TYPES = (
    DOCUMENT_TYPES + ",.xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
# Enough for a result's documents and data tables; more would be one archive the requester cannot open.
RESULT_FILES_MAX = 10
# Django's own words for a file it cannot take, in the words ``documents.document_check`` uses.
FILE_ERRORS = {
    "empty": _("Berkas kosong. Pilih berkas lain."),
    "invalid": _("Berkas tidak terbaca. Pilih berkas lain."),
    "missing": _("Berkas tidak terbaca. Pilih berkas lain."),
}
# Browsers cannot keep a chosen file when the form comes back with an error: the hint says so up front.
CHOOSE_AGAIN = _("Bila formulir kembali dengan pesan galat, pilih berkasnya lagi.")


class RecordResultForm(CaseActionForm):
    summary = _text(
        _("Hasil layanan apa yang sudah disiapkan?"),
        _("Petugas ULT membaca teks ini saat menghubungi pemohon dan menyerahkan hasilnya."),
        _("Tuliskan hasil layanan yang disiapkan"),
    )
    files = MultipleFileField(
        label=_("Berkas hasil layanan"),
        help_text=_filled(
            _(
                "Dokumen dan berkas data untuk pemohon: PDF, JPG, PNG, XLSX, atau CSV, masing-masing paling besar "
                "5 MB, paling banyak %(count)d berkas. Di jendela pemilih berkas, tahan Ctrl (atau Cmd) untuk "
                "memilih beberapa berkas. %(again)s"
            ),
            count=RESULT_FILES_MAX,
            again=CHOOSE_AGAIN,
        ),
        required=False,
        max_files=RESULT_FILES_MAX,
        error_messages=FILE_ERRORS,
        widget=MultipleFileInput(attrs={"accept": DATA_FILE_TYPES}),
    )


class NoteForm(CaseActionForm):
    """One message of the case's internal thread (ULT, PPID and the head; never shown to the requester)."""

    body = _text(
        _("Catatan untuk Petugas ULT dan Tim PPID"),
        _("Pemohon tidak pernah melihat catatan internal. Contoh: data tahun 2024 baru tersedia Jumat."),
        _("Tuliskan isi catatan"),
        max_length=4000,
    )


EXTENSION_RANGE = _filled(_("Perpanjangan 1 sampai %(max)d hari kerja"), max=INFORMATION_EXTENSION_MAX_DAYS)


class ExtendInformationDeadlineForm(CaseActionForm):
    days = forms.IntegerField(
        label=_("Diperpanjang berapa hari kerja?"),
        help_text=_filled(
            _("Paling lama %(max)d hari kerja, dan hanya sekali (UU 14/2008 pasal 22)."),
            max=INFORMATION_EXTENSION_MAX_DAYS,
        ),
        min_value=1,
        max_value=INFORMATION_EXTENSION_MAX_DAYS,
        error_messages={
            "required": _("Tuliskan lama perpanjangan dalam hari kerja"),
            "invalid": _("Tuliskan lama perpanjangan sebagai angka, contoh: 5"),
            "min_value": EXTENSION_RANGE,
            "max_value": EXTENSION_RANGE,
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "input--number"}),
    )
    reason = _text(
        _("Mengapa tenggat perlu diperpanjang?"),
        _("Dicatat untuk kantor. Contoh: data tersebar di tiga unit kerja dan sedang dihimpun."),
        _("Tuliskan alasan perpanjangan"),
        rows=3,
    )
    notice = _text(
        _("Pemberitahuan tertulis untuk pemohon"),
        _(
            "Pemohon membaca pemberitahuan ini di halaman lacak permohonannya, jadi tulis dengan bahasa yang mudah "
            "dipahami: mengapa diperpanjang dan kapan jawaban diberikan."
        ),
        _("Tuliskan pemberitahuan untuk pemohon"),
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
    officers = forms.ModelMultipleChoiceField(
        label=_("Petugas yang memberikan layanan"),
        help_text=_("Bila tidak ada yang dipilih, Anda sendiri yang tercatat."),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "intake-choices"}),
        error_messages={"invalid_choice": _("Pilih petugas dari daftar")},
    )
    accommodations = forms.MultipleChoiceField(
        label=_("Akomodasi yang disiapkan"),
        help_text=_("Sudah dipilih sesuai permintaan pemohon; ubah bila sudah disepakati lain."),
        choices=Accommodation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "intake-choices"}),
        error_messages={"invalid_choice": _("Pilih akomodasi dari daftar")},
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
        # Who may go: the office's active ULT officers and PPID members (``services._appointment_team``);
        # "ult_officer" sorts after "ppid_member", so descending lists the front office first.
        officers = User.objects.filter(
            office_id=case.office_id, role__in=[Role.ULT_OFFICER, Role.PPID_MEMBER], is_active=True
        ).order_by("-role", "first_name", "last_name", "username")
        self.fields["officers"].queryset = officers
        self.fields["officers"].label_from_instance = lambda user: f"{user} ({user.get_role_display()})"
        if not self.is_bound:
            team, prepared = self.initial_team()
            self.initial.setdefault("officers", [user.pk for user in team])
            self.initial.setdefault("accommodations", prepared)
            if case.delivery_mode:
                self.initial.setdefault("mode", case.delivery_mode)

    def initial_team(self) -> tuple[list[User], list[str]]:
        """Returns the officers and accommodations ticked when the form opens: the user, and what the
        requester asked for."""
        return [self.user] if self.user is not None else [], list(self.case.accommodations or [])

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

    field_order = ["date", "time", "mode", "place", "officers", "accommodations", "reason"]

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        # The service keeps the reason as the new appointment's notes.
        del self.fields["notes"]

    def initial_team(self) -> tuple[list[User], list[str]]:
        """Returns the current appointment's officers and accommodations: a new time rarely changes them."""
        current = current_appointment(self.case)
        if current is None:
            return super().initial_team()
        return list(current.officers.all()), list(current.accommodations)


class CancelAppointmentForm(CaseActionForm):
    reason = _text(
        _("Mengapa jadwal dibatalkan?"),
        _("Dicatat untuk kantor. Contoh: petugas yang dijadwalkan sakit."),
        _("Tuliskan alasan pembatalan jadwal"),
        rows=3,
    )
    notice = _text(
        _("Pemberitahuan untuk pemohon"),
        _(
            "Pemohon membaca pemberitahuan ini di halaman lacak permohonannya. Katakan bahwa jadwal dibatalkan "
            "dan bahwa petugas akan menghubunginya lagi untuk jadwal baru."
        ),
        _("Tuliskan pemberitahuan untuk pemohon"),
    )


class RupiahField(forms.IntegerField):
    """Whole rupiah, as officers write them: "25000", "25.000" or "Rp 25.000" are all 25000."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            value = value[2:] if value[:2].lower() == "rp" else value
            value = "".join(value.split()).replace(".", "")
        return super().to_python(value)


class DeliverForm(CaseActionForm):
    mode = forms.ChoiceField(
        label=_("Bagaimana layanan diberikan?"),
        help_text=_("Sudah dipilih sesuai jadwal yang disepakati; ubah bila layanan diberikan dengan cara lain."),
        choices=DeliveryMode.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "intake-choices"}),
        error_messages={"invalid_choice": _("Pilih cara layanan")},
    )
    notes = _text(
        _("Layanan apa yang diberikan?"),
        _("Contoh: rekap data mutu sekolah diserahkan dalam cetak huruf besar dan dijelaskan langsung."),
        _("Tuliskan layanan yang diberikan"),
    )
    documents_handed_over = forms.CharField(
        label=_("Dokumen apa yang diserahkan?"),
        help_text=_(
            "Pemohon membaca teks ini di halaman lacak. Contoh: 1 rekap data mutu SD (cetak huruf besar, "
            "4 halaman), 1 salinan braille."
        ),
        required=False,
        max_length=STEP_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    office_cost = RupiahField(
        label=_("Biaya yang ditanggung kantor, dalam rupiah"),
        help_text=_(
            "Contoh: ongkos kurir atau transportasi petugas. Biaya ini ditanggung kantor; pemohon tidak pernah "
            "dikenai biaya. Tulis 0 bila tidak ada biaya."
        ),
        required=False,
        min_value=0,
        max_value=OFFICE_COST_MAX,
        initial=0,
        error_messages={
            "invalid": _("Tuliskan biaya sebagai angka rupiah, contoh: 25000"),
            "min_value": _("Biaya tidak boleh kurang dari 0"),
            "max_value": _("Biaya terlalu besar; periksa jumlah angka nolnya"),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "input--number"}),
    )
    office_cost_note = forms.CharField(
        label=_("Keterangan biaya"),
        help_text=_("Contoh: kurir JNE ke Cempaka Putih."),
        required=False,
        max_length=300,
    )
    proof = forms.FileField(
        label=_("Bukti penyerahan"),
        help_text=_filled(
            _(
                "Tanda terima yang ditandatangani atau foto penyerahan: PDF, JPG, atau PNG, paling besar 5 MB. "
                "%(again)s"
            ),
            again=CHOOSE_AGAIN,
        ),
        required=False,
        error_messages=FILE_ERRORS,
        widget=forms.FileInput(attrs={"accept": DOCUMENT_TYPES}),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if not self.is_bound:
            current = current_appointment(case)
            self.initial.setdefault("mode", current.mode if current else case.delivery_mode)

    def clean_office_cost(self):
        # Left empty: no cost, as the hint says.
        return self.cleaned_data["office_cost"] or 0


YES_NO = [("yes", _("Ya")), ("no", _("Tidak"))]


class CloseForm(CaseActionForm):
    """Step 8: the short evaluation that closes the case. The periodic evaluation counts its answers."""

    need_met = forms.ChoiceField(
        label=_("Apakah kebutuhan pemohon terpenuhi?"),
        choices=NeedMet.choices,
        widget=forms.RadioSelect(attrs={"class": "intake-choices"}),
        error_messages={
            "required": _("Pilih apakah kebutuhan pemohon terpenuhi"),
            "invalid_choice": _("Pilih apakah kebutuhan pemohon terpenuhi"),
        },
    )
    mode_right = forms.TypedChoiceField(
        label=_("Apakah cara layanan sudah tepat untuk pemohon?"),
        choices=YES_NO,
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect(attrs={"class": "intake-choices"}),
        error_messages={
            "required": _("Pilih apakah cara layanan sudah tepat"),
            "invalid_choice": _("Pilih apakah cara layanan sudah tepat"),
        },
    )
    accommodations_provided = forms.ChoiceField(
        label=_("Apakah akomodasi yang diminta pemohon sudah disediakan?"),
        choices=AccommodationsProvided.choices,
        widget=forms.RadioSelect(attrs={"class": "intake-choices"}),
        error_messages={
            "required": _("Pilih apakah akomodasi sudah disediakan"),
            "invalid_choice": _("Pilih apakah akomodasi sudah disediakan"),
        },
    )
    evaluation = forms.CharField(
        label=_("Catatan evaluasi"),
        help_text=_(
            "Wajib diisi bila ada yang belum berjalan baik: apa yang terjadi dan mengapa. Jangan menulis data "
            "pribadi pemohon di sini."
        ),
        required=False,
        max_length=STEP_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    late_explanation = forms.CharField(
        label=_("Mengapa evaluasi ini melewati waktu standar langkah 8?"),
        max_length=STEP_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tuliskan mengapa langkah 8 melewati waktu standar")},
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        step8 = next((s for s in case.steps.all() if s.step_no == 8 and s.done_at is None), None)
        # The question is asked only of a late evaluation, as the service requires the answer only then.
        if step8 is None or step8.due_at is None or clock.now() <= step8.due_at:
            del self.fields["late_explanation"]
        if not case.accommodations:
            self.fields["accommodations_provided"].help_text = _("Pemohon tidak meminta akomodasi.")
            self.initial.setdefault("accommodations_provided", AccommodationsProvided.NONE_ASKED)
