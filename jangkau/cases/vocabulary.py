"""The closed vocabularies of intake: who is vulnerable, how the service reaches them, what they need.

The codes are the public API's values and are stored on cases; labels are translated. Retire a code by
leaving it out of the choices shown, never by deleting it: old cases keep it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


def label_of(choices, code: str) -> str:
    """Returns the translated label of ``code`` among ``choices``; an unknown (retired) code as itself."""
    return str(dict(choices.choices).get(code, code)) if code else ""


class IdType(models.TextChoices):
    KTP = "ktp", _("KTP (Kartu Tanda Penduduk)")
    KIA = "kia", _("KIA (Kartu Identitas Anak)")
    KK = "kk", _("Kartu Keluarga")
    PASSPORT = "passport", _("Paspor")
    OTHER = "other", _("Dokumen lain")
    NONE = "none", _("Tidak punya dokumen identitas")


# Identity documents whose holder is identified by a NIK: the number asked for is the NIK.
NIK_DOCUMENTS = frozenset({IdType.KTP, IdType.KIA, IdType.KK})


class Vulnerability(models.TextChoices):
    DISABILITY_PHYSICAL = "disability_physical", _("Penyandang disabilitas fisik")
    DISABILITY_INTELLECTUAL = "disability_intellectual", _("Penyandang disabilitas intelektual")
    DISABILITY_MENTAL = "disability_mental", _("Penyandang disabilitas mental")
    DISABILITY_BLIND = "disability_blind", _("Penyandang disabilitas sensorik netra (tunanetra)")
    DISABILITY_DEAF = "disability_deaf", _("Penyandang disabilitas sensorik rungu (tuli)")
    DISABILITY_SPEECH = "disability_speech", _("Penyandang disabilitas sensorik wicara")
    ELDERLY = "elderly", _("Lanjut usia (60 tahun ke atas)")
    PREGNANT = "pregnant", _("Ibu hamil")
    BREASTFEEDING = "breastfeeding", _("Ibu menyusui")
    CHILD = "child", _("Anak")
    POOR = "poor", _("Keluarga miskin")
    DISASTER_NATURAL = "disaster_natural", _("Korban bencana alam")
    DISASTER_SOCIAL = "disaster_social", _("Korban bencana sosial")
    OTHER = "other", _("Lainnya")


class DeliveryMode(models.TextChoices):
    VISIT = "visit", _("Kunjungan ke rumah atau tempat saya")
    VIDEO_CALL = "video_call", _("Panggilan video")
    PHONE = "phone", _("Telepon")
    COURIER = "courier", _("Dokumen dikirim lewat kurir atau pos")
    EMAIL_WHATSAPP = "email_whatsapp", _("Surel atau WhatsApp")
    OFFICE_PRIORITY = "office_priority", _("Datang ke kantor dengan fasilitas prioritas")


# Delivery modes that need the place to go to.
MODES_NEEDING_ADDRESS = frozenset({DeliveryMode.VISIT, DeliveryMode.COURIER})


class Accommodation(models.TextChoices):
    SIGN_LANGUAGE = "sign_language", _("Juru bahasa isyarat")
    LARGE_PRINT = "large_print", _("Dokumen cetak huruf besar")
    BRAILLE = "braille", _("Dokumen braille")
    AUDIO = "audio", _("Dokumen dalam bentuk audio")
    COMPANION = "companion", _("Pendamping")
    WHEELCHAIR = "wheelchair", _("Akses kursi roda")
    PLAIN_LANGUAGE = "plain_language", _("Bahasa yang mudah dipahami")
    OTHER = "other", _("Lainnya")


class NotifyChannel(models.TextChoices):
    """How the requester wants to hear about their request (chosen at intake)."""

    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Surel")
    NONE = "none", _("Tidak perlu dikabari; petugas akan menelepon")


# The languages a requester can get messages in: Indonesian (the default) and English.
MESSAGE_LANGUAGES = (("id", "Bahasa Indonesia"), ("en", "English"))


class NeedMet(models.TextChoices):
    """Step 8's closing evaluation: was the requester's need met."""

    MET = "met", _("Terpenuhi")
    PARTLY = "partly", _("Sebagian terpenuhi")
    NOT_MET = "not_met", _("Tidak terpenuhi")


class AccommodationsProvided(models.TextChoices):
    """Step 8's closing evaluation: were the accommodations the requester asked for provided."""

    PROVIDED = "provided", _("Semua disediakan")
    PARTLY = "partly", _("Sebagian disediakan")
    NOT_PROVIDED = "not_provided", _("Tidak disediakan")
    NONE_ASKED = "none_asked", _("Tidak ada yang diminta")
