"""The pages of the web intake in the order they are asked, and the summary the check page shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jangkau.cases.vocabulary import (
    MESSAGE_LANGUAGES,
    NIK_DOCUMENTS,
    Accommodation,
    DeliveryMode,
    IdType,
    NotifyChannel,
    Vulnerability,
)

from . import forms


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    form_class: type[forms.IntakePageForm]
    template: str = "portal/intake/page.html"

    @property
    def fields(self) -> tuple[str, ...]:
        return self.form_class.intake_fields


# The delivery mode is asked before the address, so the address page knows whether it is needed.
PAGES = (
    Page("nama", gettext_lazy("Nama pemohon"), forms.NameForm),
    Page("identitas", gettext_lazy("Dokumen identitas"), forms.IdentityForm, "portal/intake/identity.html"),
    Page("kontak", gettext_lazy("Cara menghubungi pemohon"), forms.ContactForm, "portal/intake/contact.html"),
    Page("kelompok", gettext_lazy("Keadaan pemohon"), forms.GroupForm),
    Page("layanan", gettext_lazy("Layanan yang dibutuhkan"), forms.ServiceForm),
    Page("cara", gettext_lazy("Cara layanan"), forms.ModeForm),
    Page("alamat", gettext_lazy("Alamat pemohon"), forms.AddressForm),
    Page("akomodasi", gettext_lazy("Bantuan saat dilayani"), forms.AccommodationForm),
    Page("pendamping", gettext_lazy("Pendamping"), forms.CompanionForm, "portal/intake/companion.html"),
    Page("persetujuan", gettext_lazy("Persetujuan"), forms.ConsentForm, "portal/intake/consent.html"),
)
PAGES_BY_SLUG = {page.slug: page for page in PAGES}
# The page on which each intake field is answered (the companion's document belongs to its page too).
PAGE_OF_FIELD = {field: page for page in PAGES for field in page.fields} | {
    "power_of_attorney": PAGES_BY_SLUG["pendamping"]
}


def next_page(page: Page) -> Page | None:
    index = PAGES.index(page)
    return PAGES[index + 1] if index + 1 < len(PAGES) else None


def previous_page(page: Page) -> Page | None:
    index = PAGES.index(page)
    return PAGES[index - 1] if index else None


def first_unanswered(draft: dict) -> Page | None:
    answered = set(draft.get("answered", []))
    return next((page for page in PAGES if page.slug not in answered), None)


@dataclass(frozen=True)
class Row:
    """One line of the check page: the question, the answer (lines of text), the page to change it on."""

    key: str
    lines: list[str]
    page: Page


def _labels(choices, codes) -> list[str]:
    """Returns the labels of ``codes`` from a TextChoices class or a sequence of (code, label) pairs."""
    labels = dict(getattr(choices, "choices", choices))
    return [str(labels.get(code, code)) for code in codes or [] if code]


def summary_rows(draft: dict, office) -> list[Row]:
    """Returns the answers of ``draft`` as the check page lists them: codes shown by their labels."""
    answers = draft.get("answers", {})
    page = PAGES_BY_SLUG

    id_type = answers.get("id_type", "")
    identity = _labels(IdType, [id_type]) if id_type else []
    if id_type in NIK_DOCUMENTS:
        identity.append(_("NIK: %(nik)s") % {"nik": answers.get("nik", "")})
    elif id_type in (IdType.PASSPORT, IdType.OTHER):
        identity.append(_("Nomor: %(number)s") % {"number": answers.get("id_number", "")})
    elif id_type == IdType.NONE:
        identity.append(_("Alasan: %(reason)s") % {"reason": answers.get("no_id_reason", "")})

    service = office.service_types.filter(code=answers.get("service_type") or "").first()
    if draft.get("has_companion") == forms.YES:
        companion = [answers.get("companion_name", ""), answers.get("companion_relation", "")]
        companion += [
            _("Surat kuasa: %(filename)s") % {"filename": document["filename"]}
            for document in draft.get("documents", [])
        ]
    else:
        companion = [_("Tidak ada")]

    rows = [
        Row(_("Nama lengkap"), [answers.get("full_name", "")], page["nama"]),
        Row(_("Dokumen identitas"), identity, page["identitas"]),
        Row(_("Nomor telepon atau WhatsApp"), [answers.get("phone", "")], page["kontak"]),
        Row(_("Surel"), [answers.get("email", "")], page["kontak"]),
        Row(_("Cara kami mengabari"), _labels(NotifyChannel, [answers.get("notify_channel")]), page["kontak"]),
        Row(_("Bahasa pesan"), _labels(MESSAGE_LANGUAGES, [answers.get("language")]), page["kontak"]),
        Row(_("Keadaan pemohon"), _labels(Vulnerability, answers.get("vulnerabilities")), page["kelompok"]),
        Row(_("Tentang keadaan pemohon"), [answers.get("disability_details", "")], page["kelompok"]),
        Row(_("Layanan"), [service.display_name] if service else [], page["layanan"]),
        Row(_("Keperluan"), [answers.get("need", "")], page["layanan"]),
        Row(_("Cara layanan"), _labels(DeliveryMode, [answers.get("delivery_mode")]), page["cara"]),
        Row(_("Alamat"), [answers.get("address", "")], page["alamat"]),
        Row(_("Kelurahan, kecamatan, kota"), [answers.get("area", "")], page["alamat"]),
        Row(_("Bantuan saat dilayani"), _labels(Accommodation, answers.get("accommodations")), page["akomodasi"]),
        Row(_("Pendamping"), companion, page["pendamping"]),
        Row(_("Persetujuan"), [_("Ya, saya setuju")] if answers.get("consent") else [], page["persetujuan"]),
    ]
    return [Row(row.key, [line for line in row.lines if line], row.page) for row in rows]
