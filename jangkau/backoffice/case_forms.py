"""Forms of the case page: the purpose of opening personal data, and the small form of each case action.

The forms only ask and show: the rules are the services'. A form checks that a required answer is there
(so every missing answer is listed at once); the service checks everything again and its errors come back
beside the fields, whose names are the service's argument names.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

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
