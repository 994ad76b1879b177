from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
