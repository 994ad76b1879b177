"""Checking a request for outreach service (POS step 1), field by field, without touching the database.

The web form (a page at a time), the officers' form and the API all hand their raw data to ``clean_intake``
and get back either the cleaned values or one message per field, in the language of the request. The field
names are the public API's; ``CASE_FIELDS`` maps them to the ``Case`` model's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from jangkau.core.nik import NikError, normalise_nik, parse_nik

from .vocabulary import (
    MESSAGE_LANGUAGES,
    MODES_NEEDING_ADDRESS,
    NIK_DOCUMENTS,
    Accommodation,
    DeliveryMode,
    IdType,
    NotifyChannel,
    Vulnerability,
)

NIK_MESSAGES = {
    "digits": gettext_lazy("NIK hanya berisi angka."),
    "length": gettext_lazy("NIK harus 16 angka."),
    "province": gettext_lazy("Dua angka pertama NIK bukan kode provinsi yang dikenal."),
    "area": gettext_lazy("Kode kabupaten/kota atau kecamatan pada NIK tidak valid."),
    "birth_date": gettext_lazy("Tanggal lahir pada NIK (angka ke-7 sampai ke-12) tidak valid."),
    "serial": gettext_lazy("Nomor urut pada NIK (empat angka terakhir) tidak valid."),
}


@dataclass(frozen=True)
class Text:
    """A text field: at most ``max_length`` characters; ``multiline`` keeps line breaks."""

    max_length: int
    multiline: bool = False


# Every intake field, in the order the form asks and errors are listed.
TEXT_FIELDS: dict[str, Text] = {
    "full_name": Text(200),
    "nik": Text(40),
    "id_number": Text(40),
    "no_id_reason": Text(1000, multiline=True),
    "phone": Text(40),
    "email": Text(254),
    "address": Text(1000, multiline=True),
    "area": Text(200),
    "disability_details": Text(2000, multiline=True),
    "need": Text(4000, multiline=True),
    "companion_name": Text(200),
    "companion_relation": Text(100),
    "urgent_reason": Text(300),
}
FIELD_ORDER = (
    "full_name",
    "id_type",
    "nik",
    "id_number",
    "no_id_reason",
    "phone",
    "email",
    "notify_channel",
    "language",
    "address",
    "area",
    "vulnerabilities",
    "disability_details",
    "service_type",
    "need",
    "delivery_mode",
    "accommodations",
    "companion_name",
    "companion_relation",
    "urgent",
    "urgent_reason",
    "consent",
)

# A channel that sends messages -> the contact field it sends them to, and the message when that is empty.
NOTIFY_NEEDS = {
    NotifyChannel.WHATSAPP: (
        "phone",
        gettext_lazy("Untuk dikabari lewat WhatsApp, isi nomor telepon atau WhatsApp, atau pilih cara lain."),
    ),
    NotifyChannel.SMS: ("phone", gettext_lazy("Untuk dikabari lewat SMS, isi nomor telepon, atau pilih cara lain.")),
    NotifyChannel.EMAIL: (
        "email",
        gettext_lazy("Untuk dikabari lewat surel, isi alamat surel, atau pilih cara lain."),
    ),
}
LANGUAGE_CODES = tuple(code for code, _label in MESSAGE_LANGUAGES)

# API field name -> Case model field name, where they differ.
CASE_FIELDS = {"full_name": "requester_name", "id_type": "id_document_type"}

# C0/C1 control characters and Unicode's invisible format characters (bidi overrides can disguise text);
# tab and line breaks are allowed where a field holds several lines.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class IntakeErrors(dict):
    """Field name -> message, first problem per field only, in form order when listed."""

    def add(self, field: str, message) -> None:
        self.setdefault(field, str(message))

    def ordered(self) -> list[tuple[str, str]]:
        return sorted(self.items(), key=lambda item: FIELD_ORDER.index(item[0]) if item[0] in FIELD_ORDER else 99)


def clean_text(value, spec: Text) -> tuple[str, str | None]:
    """Returns ``(cleaned, problem)``: the text trimmed with line breaks unified, or why it is refused."""
    if value is None:
        return "", None
    if not isinstance(value, str):
        return "", _("Isian ini harus berupa teks.")
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not spec.multiline:
        text = " ".join(text.split())
    # The length first: a megabyte of text is refused without looking at each of its characters.
    if len(text) > spec.max_length:
        return "", _("Isian ini terlalu panjang (paling banyak %(limit)s karakter, Anda menulis %(length)s).") % {
            "limit": spec.max_length,
            "length": len(text),
        }
    allowed = "\n\t" if spec.multiline else ""
    if _CONTROL.search(text.translate({ord(c): None for c in allowed})) or any(
        unicodedata.category(ch) == "Cf" and ch not in "\u200c\u200d" for ch in text
    ):
        return "", _("Isian ini memuat karakter kendali yang tidak dapat disimpan. Hapus lalu ketik ulang.")
    return text, None


def normalise_phone(raw: str) -> str:
    """Returns an Indonesian phone number in E.164 (+62…). Raises ValueError with a message otherwise."""
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(_("Nomor telepon tidak dikenali. Tulis seperti 0812 3456 7890.")) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(_("Nomor telepon tidak valid. Tulis seperti 0812 3456 7890."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _codes(value, choices: type, errors: IntakeErrors, field: str) -> list[str]:
    """Returns the chosen codes without repeats, in the vocabulary's order; records unknown codes."""
    if value in (None, ""):
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        errors.add(field, _("Isian ini harus berupa daftar pilihan."))
        return []
    chosen = [str(item) for item in value]
    unknown = [code for code in chosen if code not in choices.values]
    if unknown:
        errors.add(
            field,
            _("Pilihan tidak dikenal: %(codes)s. Pilihan yang ada: %(allowed)s.")
            % {"codes": ", ".join(unknown[:5]), "allowed": ", ".join(choices.values)},
        )
    return [code for code in choices.values if code in chosen]


def _choice(value, choices: type, errors: IntakeErrors, field: str, missing) -> str:
    if value in (None, ""):
        errors.add(field, missing)
        return ""
    if value not in choices.values:
        _refuse_unknown(errors, field, choices.values)
        return ""
    return str(value)


def _refuse_unknown(errors: IntakeErrors, field: str, allowed: Iterable[str]) -> None:
    errors.add(field, _("Pilihan tidak dikenal. Pilihan yang ada: %(allowed)s.") % {"allowed": ", ".join(allowed)})


def clean_intake(
    data: dict,
    *,
    catalogue: Collection[str],
    today: date,
    only: Collection[str] | None = None,
) -> tuple[dict, IntakeErrors]:
    """Returns ``(cleaned, errors)`` for raw intake ``data`` keyed by the API's field names.

    ``catalogue`` holds the service codes the office offers; ``today`` dates the NIK's birth date check.
    ``only`` limits the check to some fields (one page of the web form): a rule spanning several fields runs
    when all of them are included. ``cleaned`` holds only fields without errors. A left-out
    ``notify_channel`` or ``language`` gets a default, so callers that do not ask them keep working.
    """
    fields = set(FIELD_ORDER if only is None else only)
    errors = IntakeErrors()
    cleaned: dict = {}

    for name, spec in TEXT_FIELDS.items():
        if name in fields:
            text, problem = clean_text(data.get(name), spec)
            if problem:
                errors.add(name, problem)
            cleaned[name] = text

    if "full_name" in fields and not cleaned.get("full_name") and "full_name" not in errors:
        errors.add("full_name", _("Tulis nama lengkap."))

    if "id_type" in fields:
        cleaned["id_type"] = _choice(
            data.get("id_type"), IdType, errors, "id_type", _("Pilih dokumen identitas yang Anda punya.")
        )
    _check_identity(cleaned, errors, fields, today)

    _check_contact(data, cleaned, errors, fields)

    if "language" in fields:
        cleaned["language"] = _language(data.get("language"), errors)

    if "vulnerabilities" in fields:
        cleaned["vulnerabilities"] = _codes(data.get("vulnerabilities"), Vulnerability, errors, "vulnerabilities")
        if not cleaned["vulnerabilities"]:
            errors.add("vulnerabilities", _("Pilih paling sedikit satu kelompok yang sesuai."))

    if "service_type" in fields:
        code = data.get("service_type")
        if code in (None, ""):
            errors.add("service_type", _("Pilih jenis layanan yang Anda butuhkan."))
        elif not isinstance(code, str) or code not in catalogue:
            errors.add("service_type", _("Jenis layanan ini tidak tersedia di kantor ini."))
        else:
            cleaned["service_type"] = code
    if "need" in fields and not cleaned.get("need") and "need" not in errors:
        errors.add("need", _("Ceritakan layanan yang Anda butuhkan."))

    if "delivery_mode" in fields:
        cleaned["delivery_mode"] = _choice(
            data.get("delivery_mode"),
            DeliveryMode,
            errors,
            "delivery_mode",
            _("Pilih cara layanan yang Anda inginkan."),
        )
    needs_address = {"delivery_mode", "address"} <= fields and cleaned.get("delivery_mode") in MODES_NEEDING_ADDRESS
    if needs_address and not cleaned.get("address") and "address" not in errors:
        errors.add("address", _("Tulis alamat yang kami datangi atau tuju pengirimannya."))

    if "accommodations" in fields:
        cleaned["accommodations"] = _codes(data.get("accommodations"), Accommodation, errors, "accommodations")

    if {"companion_name", "companion_relation"} <= fields:
        if cleaned.get("companion_name") and not cleaned.get("companion_relation"):
            errors.add("companion_relation", _("Tulis hubungan pendamping dengan pemohon."))
        if cleaned.get("companion_relation") and not cleaned.get("companion_name"):
            errors.add("companion_name", _("Tulis nama pendamping."))

    if "urgent" in fields:
        cleaned["urgent"] = data.get("urgent") is True
        if cleaned["urgent"] and "urgent_reason" in fields and not cleaned.get("urgent_reason"):
            errors.add("urgent_reason", _("Tuliskan mengapa permohonan ini mendesak."))

    if "consent" in fields:
        if data.get("consent") is not True:
            errors.add("consent", _("Centang persetujuan agar kami dapat memproses permohonan Anda."))
        cleaned["consent"] = data.get("consent") is True

    return {name: value for name, value in cleaned.items() if name not in errors}, errors


def _check_identity(cleaned: dict, errors: IntakeErrors, fields: set, today: date) -> None:
    if not {"id_type", "nik", "id_number", "no_id_reason"} <= fields or "id_type" in errors:
        return
    id_type = cleaned["id_type"]
    if id_type in NIK_DOCUMENTS:
        nik = normalise_nik(cleaned["nik"])
        if "nik" in errors:
            return
        if not nik:
            errors.add("nik", _("Tulis NIK, 16 angka yang tertera pada kartu."))
            return
        try:
            parse_nik(nik, today=today)
        except NikError as exc:
            errors.add("nik", NIK_MESSAGES[exc.code])
            return
        cleaned.update(nik=nik, id_number="", no_id_reason="")
    elif id_type in (IdType.PASSPORT, IdType.OTHER):
        if not cleaned["id_number"] and "id_number" not in errors:
            errors.add("id_number", _("Tulis nomor dokumen identitas."))
        cleaned.update(nik="", no_id_reason="")
    elif id_type == IdType.NONE:
        if not cleaned["no_id_reason"] and "no_id_reason" not in errors:
            errors.add("no_id_reason", _("Tulis mengapa tidak ada dokumen identitas. Permohonan tetap kami terima."))
        cleaned.update(nik="", id_number="")


def _check_contact(data: dict, cleaned: dict, errors: IntakeErrors, fields: set) -> None:
    if "phone" in fields and cleaned.get("phone"):
        try:
            cleaned["phone"] = normalise_phone(cleaned["phone"])
        except ValueError as exc:
            errors.add("phone", exc.args[0])
    if "email" in fields and cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors.add("email", _("Alamat surel tidak valid. Tulis seperti nama@contoh.id."))
    if "notify_channel" in fields:
        # Before the "phone or e-mail" rule below, whose message sits on the phone: an empty phone for
        # WhatsApp is told on the channel too, while a phone typed wrong is told once, beside the phone.
        cleaned["notify_channel"] = _notify_channel(data.get("notify_channel"), cleaned, errors, fields)
    neither = not cleaned.get("phone") and not cleaned.get("email") and not {"phone", "email"} & set(errors)
    if {"phone", "email"} <= fields and neither:
        errors.add(
            "phone", _("Isi nomor telepon atau surel, paling sedikit salah satu, agar kami dapat menghubungi Anda.")
        )


def _notify_channel(value, cleaned: dict, errors: IntakeErrors, fields: set) -> str:
    """Returns the chosen channel, or for none chosen the one that fits the contact details given (so a
    caller that does not ask still gets news where it can be sent); records a channel without its address."""
    if value in (None, ""):
        if cleaned.get("phone") and "phone" not in errors:
            return NotifyChannel.WHATSAPP.value
        if cleaned.get("email") and "email" not in errors:
            return NotifyChannel.EMAIL.value
        return NotifyChannel.NONE.value
    if not isinstance(value, str) or value not in NotifyChannel.values:
        _refuse_unknown(errors, "notify_channel", NotifyChannel.values)
        return ""
    needed, message = NOTIFY_NEEDS.get(value, (None, None))
    if needed in fields and not cleaned.get(needed) and needed not in errors:
        errors.add("notify_channel", message)
    return value


def active_message_language() -> str:
    """Returns the message language matching the active language: "en" for any English, else "id"."""
    return "en" if (get_language() or "").startswith("en") else "id"


def _language(value, errors: IntakeErrors) -> str:
    """Returns the messages' language; for none given, the language the request itself came in."""
    if value in (None, ""):
        return active_message_language()
    if not isinstance(value, str) or value not in LANGUAGE_CODES:
        _refuse_unknown(errors, "language", LANGUAGE_CODES)
        return ""
    return value
