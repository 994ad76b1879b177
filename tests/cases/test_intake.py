"""case_submit validates intake data; bad input gets a clear message and creates nothing."""

import pytest

from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.models import Case, Channel, Status
from jangkau.core.errors import InvalidFields, InvalidInput, PermissionDenied
from jangkau.offices.models import ServiceType
from tests.builders import intake_data

pytestmark = pytest.mark.django_db


def submit_raw(world, **overrides):
    return svc.case_submit(office=world.office, data=intake_data(world, **overrides))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"full_name": "  "}, "full_name", "nama lengkap"),
        ({"need": ""}, "need", "layanan yang Anda butuhkan"),
        ({"nik": "9971015203850001"}, "nik", "kode provinsi"),
        ({"nik": "3171013202850001"}, "nik", "Tanggal lahir"),
        ({"nik": "12345"}, "nik", "16 angka"),
        ({"nik": ""}, "nik", "Tulis NIK"),
        ({"id_type": "none", "nik": "", "no_id_reason": ""}, "no_id_reason", "mengapa tidak ada"),
        ({"id_type": "passport", "nik": ""}, "id_number", "nomor dokumen"),
        ({"id_type": "sim"}, "id_type", "Pilihan tidak dikenal"),
        ({"phone": "", "email": ""}, "phone", "telepon atau surel"),
        ({"phone": "12"}, "phone", "telepon"),
        ({"email": "bukan-surel"}, "email", "surel tidak valid"),
        ({"consent": False}, "consent", "persetujuan"),
        ({"service_type": "tidak-ada"}, "service_type", "tidak tersedia"),
        ({"vulnerabilities": []}, "vulnerabilities", "paling sedikit satu"),
        ({"vulnerabilities": ["elderly", "alien"]}, "vulnerabilities", "alien"),
        ({"delivery_mode": "teleport"}, "delivery_mode", "Pilihan tidak dikenal"),
        ({"delivery_mode": "visit", "address": ""}, "address", "alamat"),
        ({"accommodations": ["jetpack"]}, "accommodations", "jetpack"),
        ({"companion_name": "Rina", "companion_relation": ""}, "companion_relation", "hubungan"),
        ({"urgent": True, "urgent_reason": ""}, "urgent_reason", "mendesak"),
        ({"full_name": "A" * 201}, "full_name", "terlalu panjang"),
        ({"full_name": "Siti\x00Aminah"}, "full_name", "karakter kendali"),
        ({"need": "Data\u202emutu"}, "need", "karakter kendali"),
    ],
)
def test_bad_input_is_refused_per_field_and_nothing_is_created(world, frozen, overrides, field, message):
    """Each wrong field is named with its own message; nothing is saved, not even an audit event."""
    events = AuditEvent.objects.count()

    with pytest.raises(InvalidFields) as refused:
        submit_raw(world, **overrides)

    assert field in refused.value.errors
    assert message.lower() in refused.value.errors[field].lower()
    assert Case.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_every_wrong_field_is_reported_at_once_in_form_order(world, frozen):
    with pytest.raises(InvalidFields) as refused:
        submit_raw(world, full_name="", nik="12", phone="", email="", consent=False)

    assert list(refused.value.errors) == ["full_name", "nik", "phone", "consent"]


def test_a_woman_s_nik_with_forty_added_to_the_day_is_accepted(world, frozen):
    case = submit_raw(world, nik="3171015203850001")  # day 52 = the 12th, a woman

    assert case.id_document_type == "ktp" and case.id_document_number == "3171015203850001"


def test_the_nik_may_be_typed_with_spaces_and_dots(world, frozen):
    assert submit_raw(world, nik="3171 0152.0385-0001").id_document_number == "3171015203850001"


@pytest.mark.parametrize("id_type", ["ktp", "kia", "kk"])
def test_the_nik_documents_store_a_searchable_nik(world, frozen, id_type):
    case = submit_raw(world, id_type=id_type)

    assert case.id_document_number == "3171015203850001" and case.nik_hash


def test_a_passport_keeps_its_number_and_no_nik_hash(world, frozen):
    case = submit_raw(world, id_type="passport", nik="", id_number="C1234567")

    assert (case.id_document_number, case.nik_hash) == ("C1234567", "")


def test_no_identity_document_is_allowed_with_a_reason(world, frozen):
    case = submit_raw(world, id_type="none", nik="3171015203850001", no_id_reason="Hilang saat banjir")

    assert case.status == Status.SUBMITTED
    # A number typed before choosing "none" is not kept.
    assert (case.id_document_number, case.nik_hash, case.no_id_reason) == ("", "", "Hilang saat banjir")


def test_script_is_stored_as_plain_text(world, frozen):
    """Nothing is executed or stripped: pages escape it when they show it."""
    case = submit_raw(world, full_name="<script>alert(1)</script>")

    assert case.requester_name == "<script>alert(1)</script>"


def test_vocabulary_codes_are_kept_once_in_their_order(world, frozen):
    case = submit_raw(world, vulnerabilities=["poor", "elderly", "poor"], accommodations=["braille", "wheelchair"])

    assert case.vulnerabilities == ["elderly", "poor"]
    assert case.accommodations == ["braille", "wheelchair"]


def test_phone_numbers_are_normalised_to_plus_62(world, frozen):
    assert submit_raw(world, phone="0812-3456-7890").phone == "+6281234567890"


def test_a_service_of_another_office_is_refused(world, other_world, frozen):
    foreign = ServiceType.objects.create(office=other_world.office, code="x", name="Layanan lain")

    with pytest.raises(InvalidInput):
        submit_raw(world, service_type=foreign)


def test_an_officer_records_a_phone_request_for_their_own_office_only(world, other_world, frozen):
    case = svc.case_submit(office=world.office, data=intake_data(world), channel=Channel.PHONE, actor=world.ult)
    assert (case.channel, case.assigned_to) == (Channel.PHONE, world.ult)

    with pytest.raises(PermissionDenied):
        svc.case_submit(office=world.office, data=intake_data(world), channel=Channel.PHONE, actor=other_world.ult)
    with pytest.raises(PermissionDenied):
        svc.case_submit(office=world.office, data=intake_data(world), channel=Channel.PHONE, actor=world.ppid)


def test_the_audit_event_of_a_submission_holds_no_personal_data(world, frozen):
    case = submit_raw(world)
    event = AuditEvent.objects.get(case=case)

    text = str(event.changes)
    assert event.action == "case.submit"
    assert case.id_document_number not in text and "Kenanga" not in text and "kursi" not in text


def test_an_inactive_office_takes_no_requests(world, frozen):
    world.office.is_active = False
    world.office.save()

    with pytest.raises(InvalidInput, match="tidak lagi menerima"):
        submit_raw(world)
    assert Case.objects.count() == 0


@pytest.mark.parametrize("channel", [Channel.WEB, Channel.API])
def test_an_officer_cannot_record_a_request_as_web_or_api(world, frozen, channel):
    """Channel statistics count what requesters did themselves; officers record the channel it came by."""
    with pytest.raises(InvalidInput, match="saluran lain"):
        svc.case_submit(office=world.office, data=intake_data(world), channel=channel, actor=world.ult)
    assert Case.objects.count() == 0
