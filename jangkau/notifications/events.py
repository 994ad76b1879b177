"""The events that send messages, with their built-in wording.

Texts are Django templates over plain strings (the placeholders listed per event), written in Indonesian and
translated like every other string; an office may replace them per language (``MessageTemplate``). They are
short and plain: a requester may read them on a basic phone or hear them through a screen reader, so every
fact is in the words, never only in a picture or a link.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

REQUESTER = "requester"
STAFF = "staff"


@dataclass(frozen=True)
class Event:
    code: str
    audience: str
    label: object
    subject: object
    body: object
    placeholders: tuple[str, ...]


# What every placeholder means and an example, for the template editor's help and its preview.
PLACEHOLDERS: dict[str, tuple[object, str]] = {
    "kantor": (_("nama kantor"), "BPMP Provinsi DKI Jakarta"),
    "nomor_registrasi": (_("nomor registrasi permohonan"), "JB-2026-000123"),
    "kode_lacak": (_("kode lacak pribadi pemohon"), "K7MP3QX9TA"),
    "tautan_lacak": (_("alamat halaman lacak permohonan"), "https://jangkau.example/lacak/?nomor=JB-2026-000123"),
    "layanan": (_("jenis layanan"), "Konsultasi"),
    "data_diminta": (_("data yang diminta petugas"), "Salinan surat keterangan sekolah"),
    "alasan": (_("alasan yang ditulis petugas"), "Permohonan di luar kewenangan kantor ini"),
    "rujukan": (_("ke mana pemohon dapat pergi"), "Dinas Pendidikan Provinsi, Jl. Gatot Subroto 40"),
    "jadwal": (_("hari, tanggal dan jam layanan"), "Selasa, 7 Januari 2025 pukul 10.00 WIB"),
    "cara_layanan": (_("cara layanan"), "Kunjungan ke rumah atau tempat saya"),
    "tempat": (_("tempat layanan"), "Rumah pemohon"),
    "pemberitahuan": (_("pemberitahuan tertulis petugas"), "Petugas kami sakit; kami akan menghubungi Anda lagi."),
    "batas_waktu": (_("batas waktu"), "Jumat, 17 Januari 2025 pukul 16.30 WIB"),
    "tautan_survei": (_("alamat survei kepuasan"), "https://jangkau.example/survei/abc123/"),
    "survei_ditutup": (_("batas mengisi survei"), "Kamis, 9 Januari 2025 pukul 16.00 WIB"),
    "tautan_kasus": (_("alamat halaman kasus di kantor"), "https://jangkau.example/staf/kasus/JB-2026-000123/"),
    "langkah": (_("nomor langkah POS"), "2"),
    "kegiatan": (_("kegiatan langkah POS"), "Mencatat dan merekap permohonan"),
    "petugas": (_("petugas yang bertanggung jawab"), "Sari Wulandari"),
    "pengirim": (_("petugas yang meneruskan"), "Budi Santoso"),
    "catatan": (_("catatan petugas"), "Mohon siapkan data mutu sekolah 2024."),
    "nomor_surat": (_("nomor surat penugasan"), "001/ULT/ST/2025"),
    "tautan_surat": (_("alamat surat penugasan"), "https://jangkau.example/staf/surat/1/"),
}

_CASE = ("kantor", "nomor_registrasi", "tautan_lacak", "layanan")
_STAFF_CASE = ("kantor", "nomor_registrasi", "layanan", "tautan_kasus")
_VISIT = ("jadwal", "cara_layanan", "tempat")

EVENTS: dict[str, Event] = {
    e.code: e
    for e in [
        Event(
            "received",
            REQUESTER,
            _("Permohonan diterima sistem"),
            _("Permohonan {{ nomor_registrasi }} sudah kami terima"),
            _(
                "Terima kasih. Permohonan Anda ke {{ kantor }} sudah kami terima.\n"
                "Nomor registrasi: {{ nomor_registrasi }}\n"
                "Kode lacak: {{ kode_lacak }} (simpan dan jangan dibagikan)\n"
                "Ikuti perkembangannya di {{ tautan_lacak }}\n"
                "Layanan ini gratis."
            ),
            (*_CASE, "kode_lacak"),
        ),
        Event(
            "info_requested",
            REQUESTER,
            _("Data tambahan diminta"),
            _("Permohonan {{ nomor_registrasi }}: kami perlu data tambahan"),
            _(
                "Untuk melanjutkan permohonan {{ nomor_registrasi }}, kami memerlukan: {{ data_diminta }}\n"
                "Kirimkan lewat halaman lacak {{ tautan_lacak }} atau balas petugas kami."
            ),
            (*_CASE, "data_diminta"),
        ),
        Event(
            "accepted",
            REQUESTER,
            _("Permohonan diterima untuk dilayani"),
            _("Permohonan {{ nomor_registrasi }} akan kami layani"),
            _(
                "Permohonan {{ nomor_registrasi }} sudah lengkap dan akan kami layani. "
                "Petugas akan menghubungi Anda untuk menyepakati jadwal.\n"
                "Perkembangan: {{ tautan_lacak }}"
            ),
            _CASE,
        ),
        Event(
            "rejected",
            REQUESTER,
            _("Permohonan ditolak dengan rujukan"),
            _("Permohonan {{ nomor_registrasi }} tidak dapat kami layani"),
            _(
                "Mohon maaf, permohonan {{ nomor_registrasi }} tidak dapat kami layani.\n"
                "Alasan: {{ alasan }}\n"
                "Anda dapat menghubungi: {{ rujukan }}"
            ),
            (*_CASE, "alasan", "rujukan"),
        ),
        Event(
            "information_extended",
            REQUESTER,
            _("Tenggat informasi publik diperpanjang"),
            _("Permohonan {{ nomor_registrasi }}: tenggat diperpanjang"),
            _(
                "Pemberitahuan tertulis untuk permohonan {{ nomor_registrasi }}: {{ pemberitahuan }}\n"
                "Tenggat baru: {{ batas_waktu }}"
            ),
            (*_CASE, "pemberitahuan", "batas_waktu"),
        ),
        Event(
            "scheduled",
            REQUESTER,
            _("Jadwal layanan disepakati"),
            _("Jadwal layanan permohonan {{ nomor_registrasi }}"),
            _(
                "Jadwal layanan permohonan {{ nomor_registrasi }}:\n"
                "{{ jadwal }}\n"
                "Cara: {{ cara_layanan }}{% if tempat %}\nTempat: {{ tempat }}{% endif %}\n"
                "Layanan ini gratis. Bila jadwal tidak cocok, beri tahu kami lewat {{ tautan_lacak }}"
            ),
            (*_CASE, *_VISIT),
        ),
        Event(
            "visit_reminder",
            REQUESTER,
            _("Pengingat sehari sebelum layanan"),
            _("Pengingat: layanan besok untuk permohonan {{ nomor_registrasi }}"),
            _(
                "Pengingat: layanan untuk permohonan {{ nomor_registrasi }} besok, {{ jadwal }}.\n"
                "Cara: {{ cara_layanan }}{% if tempat %}\nTempat: {{ tempat }}{% endif %}\n"
                "Bila berhalangan, beri tahu kami lewat {{ tautan_lacak }}"
            ),
            (*_CASE, *_VISIT),
        ),
        Event(
            "rescheduled",
            REQUESTER,
            _("Jadwal layanan diubah"),
            _("Jadwal baru untuk permohonan {{ nomor_registrasi }}"),
            _(
                "Jadwal layanan permohonan {{ nomor_registrasi }} diubah menjadi:\n"
                "{{ jadwal }}\n"
                "Cara: {{ cara_layanan }}{% if tempat %}\nTempat: {{ tempat }}{% endif %}\n"
                "Alasan: {{ alasan }}"
            ),
            (*_CASE, *_VISIT, "alasan"),
        ),
        Event(
            "appointment_cancelled",
            REQUESTER,
            _("Jadwal layanan dibatalkan"),
            _("Jadwal layanan permohonan {{ nomor_registrasi }} dibatalkan"),
            _(
                "Jadwal layanan permohonan {{ nomor_registrasi }} dibatalkan.\n"
                "{{ pemberitahuan }}\n"
                "Petugas akan menghubungi Anda untuk jadwal baru."
            ),
            (*_CASE, "pemberitahuan"),
        ),
        Event(
            "delivered",
            REQUESTER,
            _("Layanan diberikan, dengan tautan survei"),
            _("Bagaimana layanan kami? Permohonan {{ nomor_registrasi }}"),
            _(
                "Layanan untuk permohonan {{ nomor_registrasi }} sudah diberikan. Terima kasih.\n"
                "Mohon isi survei kepuasan singkat (sekitar 3 menit): {{ tautan_survei }}\n"
                "Survei dapat diisi sampai {{ survei_ditutup }}."
            ),
            (*_CASE, "tautan_survei", "survei_ditutup"),
        ),
        Event(
            "survey_reminder",
            REQUESTER,
            _("Pengingat survei kepuasan"),
            _("Pengingat survei: permohonan {{ nomor_registrasi }}"),
            _(
                "Kami ingin tahu pendapat Anda tentang layanan untuk permohonan {{ nomor_registrasi }}.\n"
                "Survei singkat: {{ tautan_survei }}\n"
                "Terbuka sampai {{ survei_ditutup }}."
            ),
            (*_CASE, "tautan_survei", "survei_ditutup"),
        ),
        Event(
            "closed",
            REQUESTER,
            _("Kasus ditutup"),
            _("Permohonan {{ nomor_registrasi }} selesai"),
            _(
                "Permohonan {{ nomor_registrasi }} sudah selesai kami layani dan ditutup. "
                "Terima kasih telah menggunakan layanan {{ kantor }}."
            ),
            _CASE,
        ),
        Event(
            "new_request",
            STAFF,
            _("Permohonan baru di antrean"),
            _("Permohonan baru {{ nomor_registrasi }}"),
            _("Permohonan baru {{ nomor_registrasi }} ({{ layanan }}) masuk antrean kantor.\n{{ tautan_kasus }}"),
            _STAFF_CASE,
        ),
        Event(
            "forwarded",
            STAFF,
            _("Kasus diteruskan kepada Anda"),
            _("Kasus {{ nomor_registrasi }} diteruskan kepada Anda"),
            _(
                "{{ pengirim }} meneruskan kasus {{ nomor_registrasi }} ({{ layanan }}) kepada Anda.\n"
                "Catatan: {{ catatan }}\n{{ tautan_kasus }}"
            ),
            (*_STAFF_CASE, "pengirim", "catatan"),
        ),
        Event(
            "reassigned",
            STAFF,
            _("Kasus dialihkan kepada Anda"),
            _("Kasus {{ nomor_registrasi }} dialihkan kepada Anda"),
            _(
                "Kasus {{ nomor_registrasi }} ({{ layanan }}) sekarang Anda pegang.\n"
                "Alasan: {{ alasan }}\n{{ tautan_kasus }}"
            ),
            (*_STAFF_CASE, "alasan"),
        ),
        Event(
            "step_warning",
            STAFF,
            _("Langkah mencapai 80 % waktu standar"),
            _("Segera: langkah {{ langkah }} kasus {{ nomor_registrasi }}"),
            _(
                "Langkah {{ langkah }} ({{ kegiatan }}) kasus {{ nomor_registrasi }} sudah memakai 80 % waktu "
                "standarnya. Batas waktu: {{ batas_waktu }}.\n{{ tautan_kasus }}"
            ),
            (*_STAFF_CASE, "langkah", "kegiatan", "batas_waktu"),
        ),
        Event(
            "step_breach",
            STAFF,
            _("Langkah melewati waktu standar"),
            _("Terlambat: langkah {{ langkah }} kasus {{ nomor_registrasi }}"),
            _(
                "Langkah {{ langkah }} ({{ kegiatan }}) kasus {{ nomor_registrasi }} melewati waktu standar "
                "({{ batas_waktu }}). Penanggung jawab: {{ petugas }}.\n"
                "Penjelasan keterlambatan wajib ditulis sebelum kasus dapat ditutup.\n{{ tautan_kasus }}"
            ),
            (*_STAFF_CASE, "langkah", "kegiatan", "batas_waktu", "petugas"),
        ),
        Event(
            "letter_to_sign",
            STAFF,
            _("Surat penugasan menunggu tanda tangan"),
            _("Surat penugasan {{ nomor_surat }} menunggu tanda tangan"),
            _(
                "Surat penugasan {{ nomor_surat }} untuk {{ petugas }} menunggu tanda tangan Anda. "
                "Unggah pindaian yang sudah ditandatangani.\n{{ tautan_surat }}"
            ),
            ("kantor", "nomor_surat", "petugas", "tautan_surat"),
        ),
    ]
}
