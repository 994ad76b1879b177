import pytest

from jangkau.offices.models import Office


@pytest.fixture
def office(db):
    return Office.objects.create(code="bpmp-dki", name="BPMP Provinsi DKI Jakarta")
