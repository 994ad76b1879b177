"""The second factor's forms: one field each, answered with the same error summary as every form."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Kode masuk"),
        help_text=_("6 angka yang tampil di aplikasi autentikator Anda, atau salah satu kode pemulihan Anda."),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": _("Masukkan kode dari aplikasi autentikator atau kode pemulihan.")},
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Kode 6 angka dari aplikasi"),
        help_text=_("Setelah memindai atau mengetik kunci, aplikasi menampilkan 6 angka yang berganti tiap 30 detik."),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("Masukkan 6 angka yang tampil di aplikasi autentikator.")},
    )
