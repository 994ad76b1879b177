"""Checking one filled SKM, field by field, as a pure function: the web form, the officer's entry of a paper
form or an assisted interview, the API and the bulk import all use it, so they refuse the same things in the
same words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jangkau.cases.intake import Text, clean_text

from .models import ELEMENT_CODES, SCALE, Response

ANSWER_FIELDS = [code.lower() for code in ELEMENT_CODES]
PROFILE_FIELDS = ["sex", "age", "education", "occupation"]
AGE_MIN, AGE_MAX = 10, 120
SUGGESTION_TEXT = Text(2000, multiline=True)


def _digits(raw: str) -> bool:
    # ASCII digits only: str.isdigit() also takes superscripts ("²"), which int() then refuses.
    return raw.isascii() and raw.isdigit()


def _choice(value, choices) -> str | None:
    value = str(value or "").strip()
    return value if value in choices else None


def clean_answers(data: dict) -> tuple[dict, dict[str, str]]:
    """Returns ``(cleaned, errors)`` for the fields u1..u9, sex, age, education, occupation, suggestion.

    ``cleaned`` holds the fields that passed (answers and age as int); ``errors`` maps each failing field to
    a message for the respondent. Nothing is ever partly accepted by the callers: any error refuses all.
    """
    cleaned: dict = {}
    errors: dict[str, str] = {}
    for field in ANSWER_FIELDS:
        raw = str(data.get(field) or "").strip()
        if _digits(raw) and int(raw) in SCALE:
            cleaned[field] = int(raw)
        else:
            errors[field] = _("Pilih salah satu dari empat jawaban.")
    sex = _choice(data.get("sex"), Response.Sex.values)
    if sex is None:
        errors["sex"] = _("Pilih jenis kelamin.")
    else:
        cleaned["sex"] = sex
    raw_age = str(data.get("age") or "").strip()
    if _digits(raw_age) and AGE_MIN <= int(raw_age) <= AGE_MAX:
        cleaned["age"] = int(raw_age)
    else:
        errors["age"] = _("Tuliskan usia dalam tahun, %(min)s sampai %(max)s.") % {"min": AGE_MIN, "max": AGE_MAX}
    for field, choices, message in [
        ("education", Response.Education.values, _("Pilih pendidikan terakhir.")),
        ("occupation", Response.Occupation.values, _("Pilih pekerjaan.")),
    ]:
        value = _choice(data.get(field), choices)
        if value is None:
            errors[field] = message
        else:
            cleaned[field] = value
    suggestion, problem = clean_text(data.get("suggestion") or "", SUGGESTION_TEXT)
    if problem:
        errors["suggestion"] = problem
    else:
        cleaned["suggestion"] = suggestion
    return cleaned, errors
