"""The breach pages: supervisors see every overrun step; the responsible officer explains theirs."""

from datetime import timedelta

import pytest

from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.core import clock
from tests.builders import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_step(world, frozen):
    """Step 2 accepted 20 minutes after submission by the ULT officer: 15 minutes over its standard."""
    case = submit(world)
    clock.advance(timedelta(minutes=20))
    case = svc.case_accept(case=case, actor=world.ult)
    return case.steps.get(step_no=2)


def test_the_head_sees_every_breach_of_the_office(client, world, other_world, late_step):
    client.force_login(world.head)
    assert late_step.case.registration_number in client.get("/staf/pelanggaran-waktu/").content.decode()

    client.force_login(other_world.head)
    assert late_step.case.registration_number not in client.get("/staf/pelanggaran-waktu/").content.decode()


def test_an_officer_sees_only_the_breaches_they_must_explain(client, world, late_step):
    client.force_login(world.ult2)
    assert late_step.case.registration_number not in client.get("/staf/pelanggaran-waktu/").content.decode()

    client.force_login(world.ult)
    page = client.get("/staf/pelanggaran-waktu/").content.decode()
    assert late_step.case.registration_number in page
    assert f"/staf/pelanggaran-waktu/{late_step.pk}/jelaskan/" in page
    assert "belum dijelaskan" in client.get("/staf/").content.decode()


def test_an_empty_explanation_is_refused_with_the_error_summary(client, world, late_step):
    client.force_login(world.ult)
    events = AuditEvent.objects.count()

    response = client.post(f"/staf/pelanggaran-waktu/{late_step.pk}/jelaskan/", {"explanation": "  "})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada masalah" in page and "<title>Galat:" in page
    assert 'href="#id_explanation"' in page
    late_step.refresh_from_db()
    assert late_step.breach_explanation == ""
    assert AuditEvent.objects.count() == events


def test_the_responsible_officer_explains_and_the_event_is_audited(client, world, late_step):
    client.force_login(world.ult)

    response = client.post(
        f"/staf/pelanggaran-waktu/{late_step.pk}/jelaskan/", {"explanation": "Loket penuh pagi itu"}, follow=True
    )

    assert "Penjelasan keterlambatan tersimpan." in response.content.decode()
    late_step.refresh_from_db()
    assert (late_step.breach_explanation, late_step.explained_by) == ("Loket penuh pagi itu", world.ult)
    assert AuditEvent.objects.last().action == "case.explain_breach"


def test_another_officer_cannot_explain_it(client, world, late_step):
    client.force_login(world.ult2)

    response = client.post(f"/staf/pelanggaran-waktu/{late_step.pk}/jelaskan/", {"explanation": "Bukan saya"})

    assert "Ada masalah" in response.content.decode()
    late_step.refresh_from_db()
    assert late_step.breach_explanation == ""


def test_a_step_of_another_office_is_not_found(client, other_world, late_step):
    client.force_login(other_world.ult)

    assert client.get(f"/staf/pelanggaran-waktu/{late_step.pk}/jelaskan/").status_code == 404


def test_anonymous_users_are_sent_to_the_login(client, late_step):
    response = client.get("/staf/pelanggaran-waktu/")

    assert response.status_code == 302 and "/staf/masuk/" in response["Location"]
