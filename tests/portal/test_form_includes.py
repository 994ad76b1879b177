"""The shared form patterns (includes/field.html, includes/error_summary.html) that citizen forms use."""

from django import forms
from django.template.loader import render_to_string


class ContactForm(forms.Form):
    name = forms.CharField(label="Siapa nama Anda?", help_text="Tulis seperti di KTP.")
    phone = forms.CharField(label="Nomor telepon", required=False)
    mode = forms.ChoiceField(
        label="Bagaimana Anda ingin dilayani?",
        choices=[("visit", "Kunjungan ke rumah"), ("video", "Panggilan video")],
        widget=forms.RadioSelect,
    )


def render_field(form, name):
    return render_to_string("includes/field.html", {"field": form[name]})


def test_optional_field_says_opsional_and_required_field_does_not():
    """Optional fields say "(opsional)" in the label; nothing gets an asterisk."""
    form = ContactForm()

    assert "Nomor telepon (opsional)</label>" in render_field(form, "phone")
    assert "(opsional)" not in render_field(form, "name")
    assert "*" not in render_field(form, "name")


def test_hint_is_linked_to_the_control():
    """The hint has an id the input names in aria-describedby."""
    html = render_field(ContactForm(), "name")

    assert '<div class="hint" id="id_name-hint">Tulis seperti di KTP.</div>' in html
    assert 'aria-describedby="id_name-hint"' in html
    assert "aria-invalid" not in html


def test_error_is_written_beside_the_field_and_linked_to_it():
    """A field with an error shows the message beside it, after the hint, and the control points at both."""
    form = ContactForm(data={})
    form.is_valid()
    html = render_field(form, "name")

    assert 'class="form-group form-group--error"' in html
    assert 'id="id_name-error"><span class="visually-hidden">Galat:</span> ' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert 'aria-invalid="true"' in html


def test_radios_are_a_fieldset_with_a_legend():
    """A group of radios is a fieldset whose legend is the question."""
    html = render_field(ContactForm(), "mode")

    assert '<fieldset class="fieldset">' in html
    assert '<legend class="label">Bagaimana Anda ingin dilayani?</legend>' in html


def test_error_summary_links_each_error_to_its_control_in_page_order():
    """The summary lists every error once, in field order, linking to the control (first radio for radios)."""
    form = ContactForm(data={"phone": "0812"})
    form.is_valid()
    html = render_to_string("includes/error_summary.html", {"form": form})

    assert 'tabindex="-1" autofocus' in html
    assert "Ada masalah" in html
    assert html.index('href="#id_name"') < html.index('href="#id_mode_0"')
    assert 'href="#id_phone"' not in html


def test_error_summary_is_absent_without_errors():
    """An unbound or valid form renders no summary."""
    assert render_to_string("includes/error_summary.html", {"form": ContactForm()}).strip() == ""
