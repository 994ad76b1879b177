"""The SKM form: one radio group per element of the office's instrument, then the respondent's profile.

The form only asks: ``answers.clean_answers`` decides, and its messages come back beside the fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from jangkau.portal.intake.forms import Radios

from .answers import AGE_MAX, AGE_MIN
from .models import Response


def _radios(label, choices, help_text=""):
    return forms.ChoiceField(label=label, choices=choices, widget=Radios, help_text=help_text, required=True)


class SurveyForm(forms.Form):
    use_required_attribute = False

    def __init__(self, *args, instrument, **kwargs):
        super().__init__(*args, **kwargs)
        for element in instrument.elements.all():
            labels = element.display_labels
            self.fields[element.code.lower()] = _radios(
                element.display_question,
                [(str(score), label) for score, label in enumerate(labels, start=1)],
            )
        self.fields["sex"] = _radios(_("Jenis kelamin"), Response.Sex.choices)
        self.fields["age"] = forms.CharField(
            label=_("Usia (tahun)"),
            help_text=_("Angka saja, %(min)s sampai %(max)s.") % {"min": AGE_MIN, "max": AGE_MAX},
            max_length=3,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
        )
        self.fields["education"] = _radios(_("Pendidikan terakhir"), Response.Education.choices)
        self.fields["occupation"] = _radios(_("Pekerjaan"), Response.Occupation.choices)
        self.fields["suggestion"] = forms.CharField(
            label=_("Saran untuk perbaikan layanan"),
            help_text=_(
                "Tulis apa saja yang menurut Anda perlu diperbaiki. Jangan tulis nama, nomor telepon, atau alamat."
            ),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        for field in self.fields.values():
            field.error_messages["required"] = _("Isian ini wajib dijawab.")

    @property
    def element_fields(self):
        return [self[name] for name in self.fields if name.startswith("u") and name[1:].isdigit()]

    @property
    def profile_fields(self):
        return [self[name] for name in ("sex", "age", "education", "occupation", "suggestion")]
