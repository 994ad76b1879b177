"""The SKM handed over with the service: the private link, answering online, and officers' paper and
assisted entries. One response per case."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.models import Case, Status
from jangkau.core import clock
from jangkau.core.errors import Conflict, InvalidFields, InvalidInput, PermissionDenied
from jangkau.surveys.instrument import active_instrument, parse_instrument
from jangkau.surveys.invitations import survey_path
from jangkau.surveys.models import Invitation, Response
from jangkau.surveys.services import survey_answer_online, survey_record_by_officer
from tests.builders import case_in

JAKARTA = ZoneInfo("Asia/Jakarta")
ANSWERS = {**{f"u{n}": str(1 + n % 4) for n in range(1, 10)}, "sex": "P", "age": "67", "education": "sd",
           "occupation": "other", "suggestion": "Petugas datang tepat waktu"}  # fmt: skip


def delivered(world):
    case = case_in(Status.SCHEDULED, world)
    return svc.case_deliver(case=case, actor=world.ult, notes="Dokumen diantar")


@pytest.mark.django_db
def test_the_default_instrument_has_the_nine_elements_in_code_order(world):
    instrument = active_instrument(world.office)

    assert [e.code for e in instrument.elements.all()] == [f"U{n}" for n in range(1, 10)]
    assert instrument.elements.get(code="U4").labels == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]
    assert active_instrument(world.office) == instrument  # installed once


def test_an_instrument_without_all_nine_elements_is_refused():
    elements = [{"code": f"U{n}", "name": "x", "question": "q", "labels": ["a", "b", "c", "d"]} for n in range(1, 9)]
    with pytest.raises(InvalidInput, match="sembilan"):
        parse_instrument({"title": "SKM", "elements": elements})
    elements.append({"code": "U9", "name": "x", "question": "q", "labels": ["a", "b", "c"]})
    with pytest.raises(InvalidInput, match="empat"):
        parse_instrument({"title": "SKM", "elements": elements})


@pytest.mark.django_db
def test_delivery_opens_the_link_for_the_survey_window_plus_the_grace_days(world, settings):
    settings.JANGKAU_SURVEY_GRACE_DAYS = 2
    world.service.survey_window_days = 3
    world.service.save()
    with clock.frozen_at(datetime(2026, 8, 3, 10, 0, tzinfo=JAKARTA)):  # Monday
        case = delivered(world)

    invitation = Invitation.objects.get(case=case)
    assert invitation.opens_at == datetime(2026, 8, 3, 10, 0, tzinfo=JAKARTA)
    # Five working days after Monday 3 August: Monday 10 August, when the office closes.
    assert invitation.closes_at == datetime(2026, 8, 10, 16, 0, tzinfo=JAKARTA)


@pytest.mark.django_db
def test_answering_through_the_link_records_the_response_and_ends_step_6(client, world, frozen):
    case = delivered(world)
    invitation = Invitation.objects.get(case=case)

    page = client.get(survey_path(invitation))
    assert page.status_code == 200
    assert "Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?" in page.content.decode()

    response = client.post(survey_path(invitation), ANSWERS)

    assert response.status_code == 302 and response["Location"] == "/survei/terima-kasih/"
    stored = Response.objects.get(case=case)
    assert (stored.mode, stored.u1, stored.u4, stored.age, stored.sex) == ("online", 2, 1, 67, "P")
    assert Case.objects.get(pk=case.pk).status == Status.FEEDBACK_RECEIVED
    event = AuditEvent.objects.last()
    assert (event.action, event.actor_label, event.changes["survey_response"]) == (
        "case.record_feedback",
        "requester",
        stored.pk,
    )


@pytest.mark.django_db
def test_a_second_answer_through_the_same_link_is_refused_politely(client, world, frozen):
    case = delivered(world)
    path = survey_path(Invitation.objects.get(case=case))
    client.post(path, ANSWERS)

    again = client.post(path, {**ANSWERS, "u1": "4"})

    assert again.status_code == 200
    assert "sudah diisi" in again.content.decode()
    assert Response.objects.filter(case=case).count() == 1
    assert Response.objects.get(case=case).u1 == 2


@pytest.mark.django_db
def test_unanswered_questions_come_back_with_a_message_each_and_nothing_is_recorded(client, world, frozen):
    case = delivered(world)

    page = client.post(survey_path(Invitation.objects.get(case=case)), {**ANSWERS, "u3": "", "age": "seratus"})

    body = page.content.decode()
    assert page.status_code == 200 and body.count('class="error-message"') == 2
    assert "<title>Galat:" in body
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_an_unknown_or_closed_link_says_so(client, world, frozen):
    case = delivered(world)
    path = survey_path(Invitation.objects.get(case=case))

    assert client.get("/survei/bukan-tautan-yang-benar/").status_code == 404
    clock.advance(timedelta(days=20))
    closed = client.get(path)
    assert closed.status_code == 410 and "sudah berakhir" in closed.content.decode()
    assert client.post(path, ANSWERS).status_code == 410
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_an_answer_in_the_grace_days_is_kept_after_the_window_closed_step_6(world, frozen):
    case = delivered(world)
    clock.advance(timedelta(days=4))  # past the 3-working-day window, within the two grace days
    svc.case_expire_feedback(case=case, actor=world.ult)
    invitation = Invitation.objects.get(case=case)
    assert clock.now() < invitation.closes_at

    response = survey_answer_online(token=invitation.token, data=ANSWERS)

    assert response.case == case and Case.objects.get(pk=case.pk).status == Status.FEEDBACK_RECEIVED
    assert AuditEvent.objects.last().action == "survey.recorded"


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["paper", "assisted"])
def test_an_officer_types_in_a_paper_form_or_an_assisted_interview(world, frozen, mode):
    case = delivered(world)

    response = survey_record_by_officer(case=case, actor=world.ult, mode=mode, data=ANSWERS)

    assert (response.mode, response.recorded_by) == (mode, world.ult)
    assert AuditEvent.objects.last().changes["mode"] == mode


@pytest.mark.django_db
def test_officers_cannot_record_a_survey_before_delivery_twice_or_for_another_office(world, other_world, frozen):
    waiting = case_in(Status.SCHEDULED, world)
    with pytest.raises(Conflict) as refused:
        survey_record_by_officer(case=waiting, actor=world.ult, mode="paper", data=ANSWERS)
    assert refused.value.code == "survey_not_delivered"

    case = delivered(world)
    with pytest.raises(PermissionDenied):
        survey_record_by_officer(case=case, actor=other_world.ult, mode="paper", data=ANSWERS)
    with pytest.raises(InvalidFields) as refused:
        survey_record_by_officer(case=case, actor=world.ult, mode="paper", data=ANSWERS, answered_on=date(2099, 1, 1))
    assert list(refused.value.errors) == ["answered_on"]
    survey_record_by_officer(case=case, actor=world.ult, mode="paper", data=ANSWERS)
    with pytest.raises(Conflict) as refused:
        survey_record_by_officer(case=case, actor=world.ult, mode="assisted", data=ANSWERS)
    assert refused.value.code == "survey_answered"
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_a_corrected_instrument_is_a_new_version_and_old_responses_keep_theirs(world, frozen, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from jangkau.surveys.instrument import DEFAULT_INSTRUMENT_FILE

    case = delivered(world)
    first = survey_record_by_officer(case=case, actor=world.ult, mode="paper", data=ANSWERS).instrument
    corrected = tmp_path / "skm.toml"
    corrected.write_text(
        DEFAULT_INSTRUMENT_FILE.read_text().replace('name = "Persyaratan"', 'name = "Persyaratan layanan"')
    )
    out = StringIO()

    call_command("skm_instrument_load", "--office", world.office.code, "--file", str(corrected), stdout=out)

    second = active_instrument(world.office)
    assert (first.version, second.version, out.getvalue().strip().endswith("version 2 for bpmp-dki.")) == (1, 2, True)
    assert second.elements.get(code="U1").name == "Persyaratan layanan"
    assert Response.objects.get(case=case).instrument == first
    broken = tmp_path / "broken.toml"
    broken.write_text('title = "SKM"\n')
    with pytest.raises(CommandError, match="sembilan unsur"):
        call_command("skm_instrument_load", "--office", world.office.code, "--file", str(broken))
    assert active_instrument(world.office) == second
