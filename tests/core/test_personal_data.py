"""Specific personal data is encrypted at rest and findable only through a keyed hash."""

import pytest
from django.db import connection

from jangkau.cases.models import Case
from jangkau.core import crypto
from jangkau.core.crypto import search_hash
from tests.builders import VALID_NIK, submit

pytestmark = pytest.mark.django_db


def raw_row(case) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Case._meta.db_table} WHERE id = %s", [case.pk])
        names = [col[0] for col in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_the_database_holds_no_plaintext_nik_address_or_disability(world, frozen):
    case = submit(world)
    row = raw_row(case)
    everything = " ".join(str(value) for value in row.values())

    assert VALID_NIK not in everything
    assert "Kenanga" not in everything
    assert "kursi roda" not in everything
    # ... while the application reads them back.
    again = Case.objects.get(pk=case.pk)
    assert (again.id_document_number, again.disability_details) == (VALID_NIK, "Pengguna kursi roda")


def test_a_case_is_found_by_its_nik_through_the_keyed_hash(world, frozen):
    case = submit(world)
    submit(world, nik="3171014506900002")

    found = Case.objects.filter(nik_hash=search_hash(VALID_NIK, purpose="nik"))

    assert list(found) == [case]


def test_encrypted_fields_cannot_be_filtered_on():
    with pytest.raises(TypeError):
        Case.objects.filter(address="Jl. Kenanga")


def test_rotation_keeps_old_values_readable_and_reencrypts(world, frozen, settings):
    """After a key rotation the old key stays as an old key; rotate_field_key re-encrypts every value."""
    from django.core.management import call_command

    from jangkau.core.crypto import _fernet

    case = submit(world)
    old_key = settings.FIELD_ENCRYPTION_KEY
    before = raw_row(case)["address"]
    settings.FIELD_ENCRYPTION_KEY = crypto.Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_OLD_KEYS = [old_key]
    _fernet.cache_clear()

    assert Case.objects.get(pk=case.pk).address.startswith("Jl. Kenanga")
    call_command("rotate_field_key", stdout=__import__("io").StringIO())

    after = raw_row(case)
    assert after["address"] != before
    assert after["nik_hash"] == search_hash(VALID_NIK, purpose="nik")
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    _fernet.cache_clear()
    assert Case.objects.get(pk=case.pk).address.startswith("Jl. Kenanga")


def test_every_staff_view_of_personal_data_is_logged(world, other_world, frozen):
    from jangkau.audit.models import AuditEvent
    from jangkau.cases.services import case_view_personal_data
    from jangkau.core.errors import PermissionDenied

    case = submit(world)

    data = case_view_personal_data(case=case, actor=world.ult, purpose="Menyiapkan kunjungan rumah")

    assert data["id_document_number"] == VALID_NIK
    event = AuditEvent.objects.filter(case=case).last()
    assert (event.action, event.actor, event.changes) == (
        "case.personal_data_viewed",
        world.ult,
        {"purpose": "Menyiapkan kunjungan rumah"},
    )
    with pytest.raises(PermissionDenied):
        case_view_personal_data(case=case, actor=other_world.ult, purpose="Ingin tahu")
    assert AuditEvent.objects.filter(action="case.personal_data_viewed").count() == 1
