"""Forms of the notification pages. They only ask and shape the answers; the rules (what a handled note may
hold, which placeholders a message text may use) are ``jangkau.notifications``'s, whose errors come back
keyed by the same field names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jangkau.notifications.models import Status

NEEDS_ACTION = ""
ALL = "semua"
FILTER_CHOICES = [
    (NEEDS_ACTION, _("Perlu tindakan: gagal terkirim dan belum ditangani")),
    *Status.choices,
    (ALL, _("Semua pesan")),
]


class DeliveryFilterForm(forms.Form):
    """Which outgoing messages the delivery records show, read from ``?tampil=`` (and ``?kasus=``, the
    case page's link). Anything unknown falls back to the messages that need action."""

    tampil = forms.ChoiceField(label=_("Pesan mana yang ditampilkan?"), choices=FILTER_CHOICES, required=False)
    kasus = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def choice(self) -> str:
        return self.cleaned_data.get("tampil", NEEDS_ACTION) if self.is_valid() else NEEDS_ACTION

    def case_number(self) -> str:
        return self.cleaned_data.get("kasus", "") if self.is_valid() else ""

    def selector_arguments(self) -> dict:
        """Returns ``status`` and ``needs_action`` for ``selectors.deliveries``."""
        choice = self.choice()
        if choice == NEEDS_ACTION:
            return {"needs_action": True}
        return {"status": "" if choice == ALL else choice}


class HandledForm(forms.Form):
    note = forms.CharField(
        label=_("Bagaimana pemohon dikabari?"),
        help_text=_(
            "Contoh: Pemohon ditelepon Senin pukul 10.00 dan sudah tahu jadwalnya. Catatan ini tidak "
            "dikirim kepada pemohon."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tuliskan bagaimana pemohon dikabari.")},
    )


class MessageTemplateForm(forms.Form):
    """The office's wording of one event's message in one language. Lengths, syntax and placeholders are
    checked by ``render.template_problems`` (through the save service), not here, so the messages match."""

    subject = forms.CharField(
        label=_("Judul pesan"),
        help_text=_("Untuk surel menjadi judul; untuk WhatsApp dan SMS menjadi baris pertama."),
        error_messages={"required": _("Tuliskan judul pesan.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Isi pesan"),
        help_text=_("Singkat dan jelas: pesan dapat dibaca di telepon sederhana atau didengar lewat pembaca layar."),
        error_messages={"required": _("Tuliskan isi pesan.")},
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        # The texts are in the template's language, whatever the page's: screen readers switch voice.
        for field in self.fields.values():
            field.widget.attrs["lang"] = language

    def clean_body(self) -> str:
        # Browsers send textarea line breaks as CRLF; messages use LF, as the built-in texts do.
        return self.cleaned_data["body"].replace("\r\n", "\n")
