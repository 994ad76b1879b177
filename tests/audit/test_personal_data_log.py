"""The personal-data access log in the admin: who opened which case's personal data, when and why."""

import pytest
from django.contrib.auth.models import Permission

from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.models import Status
from jangkau.core import clock
from jangkau.core.errors import Gone
from tests.builders import case_in, reload, submit

pytestmark = pytest.mark.django_db


def _office_admin(world):
    admin = world.admin
    admin.is_staff = True
    admin.save()
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="audit"))
    return admin


def test_the_administrator_reads_who_opened_which_case_and_why(client, world, other_world, frozen):
    own, foreign = submit(world), submit(other_world)
    svc.case_view_personal_data(case=own, actor=world.ult, purpose="Menelepon untuk jadwal kunjungan")
    svc.case_view_personal_data(case=foreign, actor=other_world.ult, purpose="Keperluan kantor lain")
    svc.case_accept(case=own, actor=world.ult)  # not a view of personal data: not in the log
    client.force_login(_office_admin(world))

    page = client.get("/admin/audit/personaldataview/")

    assert page.status_code == 200
    rows = page.context["cl"].result_list
    assert [(e.actor, e.case, e.changes["purpose"]) for e in rows] == [
        (world.ult, own, "Menelepon untuk jadwal kunjungan")
    ]
    assert "Menelepon untuk jadwal kunjungan" in page.content.decode()


def test_an_officer_without_admin_rights_cannot_read_the_log(client, world, frozen):
    client.force_login(world.ult)

    response = client.get("/admin/audit/personaldataview/")

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_anonymised_case_has_no_personal_data_to_open(world, frozen):
    """Once anonymised, the case's personal data cannot be opened; the refusal is not logged as a view."""
    case = case_in(Status.CLOSED, world)
    type(case).objects.filter(pk=case.pk).update(anonymised_at=clock.now())
    events = AuditEvent.objects.count()

    with pytest.raises(Gone):
        svc.case_view_personal_data(case=reload(case), actor=world.ult, purpose="Menelepon pemohon")

    assert AuditEvent.objects.count() == events
