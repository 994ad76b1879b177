"""case_submit validates intake data; bad input gets a clear message and creates nothing."""

import pytest

from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.models import Case, Channel, Status
from jangkau.core.errors import InvalidInput, PermissionDenied
from jangkau.offices.models import ServiceType
from tests.builders import intake_data

pytestmark = pytest.mark.django_db


def submit_raw(world, **overrides):
    return svc.case_submit(office=world.office, data=intake_data(world, **overrides))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"requester_name": "  "}, "Nama lengkap"),
        ({"need": ""}, "Kebutuhan layanan"),
        ({"id_document_number": "3171015203850000"}, "NIK"),
        ({"id_document_number": "12345"}, "16 angka"),
        ({"id_document_type": "none", "no_id_reason": ""}, "alasan"),
        ({"phone": "", "email": ""}, "telepon atau surel"),
        ({"phone": "12"}, "telepon"),
        ({"consent": False}, "Persetujuan"),
        ({"service_type": "tidak-ada"}, "Jenis layanan"),
        ({"id_document_type": "sim"}, "dokumen identitas"),
        ({"email": "bukan-surel"}, "surel tidak valid"),
        ({"urgent": True, "urgent_reason": ""}, "mendesak"),
        ({"requester_name": "A" * 201}, "terlalu panjang"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_created(world, frozen, overrides, message):
    events = AuditEvent.objects.count()

    with pytest.raises(InvalidInput, match=message):
        submit_raw(world, **overrides)

    assert Case.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_no_identity_document_is_allowed_with_a_reason(world, frozen):
    case = submit_raw(world, id_document_type="none", id_document_number="", no_id_reason="Hilang saat banjir")

    assert case.status == Status.SUBMITTED
    assert (case.id_document_number, case.nik_hash) == ("", "")


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
