"""A case that went through every step and left personal data in every place it can: the intake fields,
uploads of each kind, the requester's messages, the office's notices, the internal thread, contact
attempts, appointments, delivery, survey; and what to look for in the raw tables afterwards."""

from __future__ import annotations

import contextlib
import secrets
from datetime import timedelta

from django.db import connection

from jangkau.cases import services as svc
from jangkau.cases.documents import document_store_draft
from jangkau.cases.models import Case, CaseDocument, Channel, Status
from jangkau.core import clock, crypto
from jangkau.surveys.services import survey_record_by_officer
from tests.builders import VALID_NIK, intake_data, perform, reload
from tests.cases.test_documents import PDF, image_bytes
from tests.surveys.test_answering import ANSWERS

NAME = "Wulandari Kusumawati"
PHONE = "0813-2468-1357"
EMAIL = "wulan.kusuma@contoh.id"
ADDRESS = "Jl. Melati Wangi No. 17, Kemayoran"
DISABILITY = "Tunanetra sejak lahir, membaca huruf Braille"
NEED = "Salinan rapor mutu SD Tunas Harapan untuk pendaftaran adik saya"
COMPANION = "Bambang Pamungkas"
URGENT = "Pendaftaran sekolah ditutup akhir bulan"
PLACE = "Rumah pemohon, Jl. Melati Wangi No. 17"

PERSON = {
    "full_name": NAME,
    "nik": VALID_NIK,
    "phone": PHONE,
    "email": EMAIL,
    "address": ADDRESS,
    "disability_details": DISABILITY,
    "vulnerabilities": ["disability_blind", "elderly"],
    "need": NEED,
    "companion_name": COMPANION,
    "companion_relation": "Kakak kandung",
    "urgent": True,
    "urgent_reason": URGENT,
}


def _draft(kind: str, filename: str, content: bytes = PDF) -> str:
    return document_store_draft(kind=kind, field="f", filename=filename, content=content).draft_token


def full_case(world, *, status: str = Status.CLOSED, **overrides) -> Case:
    """Returns a case of ``world`` walked through every step to ``status`` (closed, or rejected/cancelled
    early), with the person's data written wherever the services let it be written."""
    data = intake_data(world, **{**PERSON, **overrides})
    case = svc.case_submit(
        office=world.office,
        data=data,
        channel=Channel.WEB,
        idempotency_key=f"kunci-{secrets.token_hex(4)}",
        document_tokens=[_draft(CaseDocument.Kind.POWER_OF_ATTORNEY, f"Surat kuasa {NAME}.pdf")],
    )
    svc.case_request_info(case=case, actor=world.ult, missing="Foto KTP pemohon yang terbaca")
    svc.case_send_missing_data(
        case=case,
        text=f"Ini KTP saya, {NAME}, telepon {PHONE}",
        document_tokens=[_draft(CaseDocument.Kind.SUPPORTING, "ktp.png", image_bytes("PNG"))],
    )
    if status == Status.REJECTED:
        return perform("reject", reload(case), world)
    if status == Status.CANCELLED:
        return svc.case_cancel(case=reload(case), actor="requester", reason=f"Saya ({NAME}) sudah pindah ke {ADDRESS}")
    case = svc.case_accept(case=reload(case), actor=world.ult)
    svc.case_add_note(case=case, actor=world.ult, body=f"{NAME} tunanetra; telepon {PHONE}, alamat {ADDRESS}")
    case = svc.case_forward_to_ppid(case=case, actor=world.ult, ppid_member=world.ppid, note="Mohon rapor mutu SD")
    case = svc.case_record_result(
        case=case,
        actor=world.ppid,
        summary="Rapor mutu SD 2024",
        document_tokens=[_draft(CaseDocument.Kind.RESULT, "rapor-mutu.pdf")],
    )
    case = svc.case_record_contact_attempt(
        case=case, actor=world.ult, channel="phone", result="reached", notes=f"Diterima {COMPANION}, minta datang"
    )
    future = clock.now() + timedelta(days=1)
    case = svc.case_schedule(
        case=case, actor=world.ult, starts_at=future, mode="visit", place=PLACE, notes="Bawa bahan Braille"
    )
    case = svc.case_cancel_appointment(
        case=case, actor=world.ult, reason="Kendaraan dinas rusak", notice=f"Ibu {NAME}, jadwal kami batalkan"
    )
    case = svc.case_schedule(case=case, actor=world.ult, starts_at=future, mode="visit", place=PLACE)
    case = svc.case_request_reschedule(
        case=case, reason=f"Saya kontrol ke dokter mata; {COMPANION} yang menemani", preferred_times="Kamis pagi"
    )
    case = svc.case_reschedule(
        case=case, actor=world.ult, starts_at=future + timedelta(days=1), mode="visit", reason="Permintaan pemohon"
    )
    # Officers write what they did for whom: the delivery notes name the person, as they do in practice.
    case = svc.case_deliver(
        case=case,
        actor=world.ult,
        notes=f"Diserahkan langsung kepada {NAME} di rumahnya",
        documents_handed_over=f"Rapor mutu SD a.n. {NAME}",
        proof_token=_draft(CaseDocument.Kind.DELIVERY_PROOF, "tanda-terima.jpg", image_bytes("JPEG")),
    )
    survey_record_by_officer(case=case, actor=world.ult, mode="assisted", data=ANSWERS)
    case = perform("recap_feedback", reload(case), world)
    case = perform("close", case, world)
    assert case.status == status
    return case


def personal_values(case: Case) -> list[str]:
    """The case's personal values as given and as stored (the phone is stored normalised)."""
    case = reload(case)
    values = {NAME, VALID_NIK, PHONE, EMAIL, ADDRESS, DISABILITY, NEED, COMPANION, URGENT, PLACE}
    values |= {case.requester_name, case.id_document_number, case.phone, case.email, case.address}
    values |= {case.disability_details, case.need, case.companion_name, case.urgent_reason}
    values |= {case.nik_hash, case.tracking_code}
    values.add(PHONE.replace("-", ""))
    return sorted(value for value in values if value)


def _texts(row) -> list[str]:
    """Every text cell of a raw row, and the plaintext of every cell that is a Fernet token."""
    texts = []
    for cell in row:
        if isinstance(cell, bytes):
            cell = cell.decode("utf-8", "replace")
        if not isinstance(cell, str):
            continue
        texts.append(cell)
        if cell.startswith("gAAAA"):
            with contextlib.suppress(crypto.DecryptionError):
                texts.append(crypto.decrypt(cell))
    return texts


def raw_rows(table: str, where: str = "", params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} {where}", params)
        return cursor.fetchall()


def tables(prefixes: tuple[str, ...]) -> list[str]:
    return sorted(name for name in connection.introspection.table_names() if name.startswith(prefixes))


def leaks(rows, values) -> list[tuple[str, str]]:
    """Returns (value, cell) for each personal value found inside a cell of ``rows``."""
    found = []
    for row in rows:
        for text in _texts(row):
            found += [(value, text) for value in values if value.lower() in text.lower()]
    return found
