"""Publishing a period's IKM: only the office's head, only a period that has ended and has an IKM, once per
period and service while live; withdrawing with a reason; the published figures frozen; one audit event each."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from jangkau.audit.models import AuditEvent
from jangkau.core import clock
from jangkau.core.errors import Conflict, InvalidFields, PermissionDenied
from jangkau.surveys.instrument import active_instrument
from jangkau.surveys.models import IkmPublication, Response
from jangkau.surveys.publication import ikm_publish, ikm_withdraw
from jangkau.surveys.reports import ikm_report
from jangkau.surveys.services import survey_record_by_officer
from tests.surveys.test_reports import ROWS, _answers, _delivered

pytestmark = pytest.mark.django_db

# The frozen clock stands on Monday 6 January 2025: December 2024 has ended.
DEC_1, DEC_31 = date(2024, 12, 1), date(2024, 12, 31)


def add_responses(office, rows, on: date) -> None:
    """Paper forms typed in without a case, answered on ``on`` (the way a bulk import records them)."""
    instrument = active_instrument(office)
    for row in rows:
        Response.objects.create(
            office=office,
            instrument=instrument,
            mode="paper",
            answered_on=on,
            sex="L",
            age=40,
            education="sma",
            occupation="private",
            created_at=clock.now(),
            **{f"u{n}": score for n, score in enumerate(row, start=1)},
        )


def publish(world, start=DEC_1, end=DEC_31, service_type=None, actor=None):
    return ikm_publish(office=world.office, start=start, end=end, service_type=service_type, actor=actor or world.head)


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


# --- publishing -------------------------------------------------------------------------------------------


def test_the_head_publishes_the_period_as_ikm_report_gives_it(world, frozen):
    add_responses(world.office, ROWS, date(2024, 12, 10))

    publication = publish(world)

    publication.refresh_from_db()
    assert publication.report == ikm_report(world.office, DEC_1, DEC_31)
    assert (publication.report["respondents"], publication.report["ikm_converted"]) == (3, 82.41)
    assert (publication.report["grade"], publication.report["performance"]) == ("B", "Baik")
    assert (publication.office, publication.period_start, publication.period_end) == (world.office, DEC_1, DEC_31)
    assert publication.service_type is None
    assert publication.published_by == world.head and publication.published_at == clock.now()
    assert publication.is_live and publication.withdrawn_by is None and publication.withdraw_reason == ""
    [event] = events("ikm.published")
    assert (event.actor_id, event.office_id) == (world.head.pk, world.office.pk)
    assert event.changes == {
        "publication": publication.pk,
        "from": "2024-12-01",
        "to": "2024-12-31",
        "service": None,
        "respondents": 3,
        "ikm_converted": "82.41",
        "grade": "B",
    }


@pytest.mark.parametrize("role", ["ult", "ult2", "ppid", "admin"])
def test_only_the_head_publishes(world, frozen, role):
    add_responses(world.office, ROWS, date(2024, 12, 10))

    with pytest.raises(PermissionDenied):
        publish(world, actor=getattr(world, role))

    assert not IkmPublication.objects.exists() and not events("ikm.published")


def test_the_head_of_another_office_cannot_publish_this_one(world, other_world, frozen):
    add_responses(world.office, ROWS, date(2024, 12, 10))

    with pytest.raises(PermissionDenied):
        publish(world, actor=other_world.head)

    assert not IkmPublication.objects.exists()


def test_a_period_that_has_not_ended_is_refused(world, frozen):
    add_responses(world.office, ROWS, date(2025, 1, 3))
    today = date(2025, 1, 6)

    for end in (today, today + timedelta(days=30)):
        with pytest.raises(InvalidFields) as refused:
            publish(world, start=date(2025, 1, 1), end=end)
        assert list(refused.value.errors) == ["period_end"]
        assert "sudah berakhir" in refused.value.errors["period_end"]
    assert not IkmPublication.objects.exists()

    # Yesterday is the latest end a period can have.
    assert publish(world, start=date(2025, 1, 1), end=today - timedelta(days=1)).report["respondents"] == 3


def test_an_end_before_the_start_and_another_offices_service_are_refused(world, other_world, frozen):
    add_responses(world.office, ROWS, date(2024, 12, 10))

    with pytest.raises(InvalidFields) as backwards:
        publish(world, start=DEC_31, end=DEC_1)
    with pytest.raises(InvalidFields) as foreign:
        publish(world, service_type=other_world.service)

    assert list(backwards.value.errors) == ["period_end"]
    assert list(foreign.value.errors) == ["service_type"]
    assert not IkmPublication.objects.exists()


def test_a_period_without_a_complete_ikm_cannot_be_published(world, frozen):
    add_responses(world.office, ROWS, date(2024, 11, 30))  # the month before: not in the period

    with pytest.raises(Conflict) as refused:
        publish(world)

    assert refused.value.code == "ikm_incomplete"
    assert "U1, U2, U3, U4, U5, U6, U7, U8, U9 belum punya jawaban" in refused.value.message
    assert "0 responden" in refused.value.message
    assert not IkmPublication.objects.exists() and not events("ikm.published")


def test_a_period_and_service_are_published_once_while_live(world, frozen):
    add_responses(world.office, ROWS, date(2024, 12, 10))
    first = publish(world)

    with pytest.raises(Conflict) as again:
        publish(world)

    assert again.value.code == "ikm_already_published"
    assert list(IkmPublication.objects.all()) == [first]
    assert len(events("ikm.published")) == 1
    # Another period of the same office is its own publication.
    assert publish(world, start=date(2024, 12, 2)).pk != first.pk


def test_the_database_refuses_a_second_live_publication_of_every_service(world, frozen):
    add_responses(world.office, ROWS, date(2024, 12, 10))
    first = publish(world)

    with pytest.raises(IntegrityError), transaction.atomic():
        IkmPublication.objects.create(
            office=world.office,
            period_start=DEC_1,
            period_end=DEC_31,
            report=first.report,
            published_by=world.head,
            published_at=clock.now(),
        )


def test_a_service_is_published_from_its_own_cases(world, frozen):
    for row in ROWS[:2]:
        survey_record_by_officer(case=_delivered(world), actor=world.ult, mode="paper", data=_answers(row))
    _delivered(world)  # served, not answered
    add_responses(world.office, [ROWS[2]], date(2025, 1, 6))  # no case: counts for every service only
    clock.advance(timedelta(days=1))
    today = date(2025, 1, 6)

    for_service = publish(world, start=today, end=today, service_type=world.service)
    for_all = publish(world, start=today, end=today)

    assert for_service.service_type == world.service
    assert (for_service.report["respondents"], for_service.report["population_served"]) == (2, 3)
    assert (for_all.report["respondents"], for_all.report["population_served"]) == (3, 3)
    assert events("ikm.published")[0].changes["service"] == world.service.code


def test_published_figures_do_not_change_when_late_forms_arrive(world, frozen):
    add_responses(world.office, ROWS, date(2024, 12, 10))
    publication = publish(world)
    published = dict(publication.report)

    # Paper forms of December typed in after publication.
    add_responses(world.office, [[1] * 9, [1] * 9], date(2024, 12, 20))

    publication.refresh_from_db()
    assert publication.report == published
    assert (publication.report["respondents"], publication.report["ikm_converted"]) == (3, 82.41)
    now = ikm_report(world.office, DEC_1, DEC_31)
    assert now["respondents"] == 5 and now["ikm_converted"] != published["ikm_converted"]


# --- withdrawing ------------------------------------------------------------------------------------------


def test_the_head_withdraws_with_a_reason_and_it_stays_on_record(world, frozen):
    add_responses(world.office, ROWS, date(2024, 12, 10))
    publication = publish(world)
    clock.advance(timedelta(hours=2))

    ikm_withdraw(publication=publication, actor=world.head, reason="  Salah memilih periode.  ")

    publication.refresh_from_db()
    assert publication.withdrawn_at == clock.now() and publication.withdrawn_by == world.head
    assert publication.withdraw_reason == "Salah memilih periode."
    assert not publication.is_live
    [event] = events("ikm.withdrawn")
    assert (event.actor_id, event.office_id) == (world.head.pk, world.office.pk)
    assert event.changes == {
        "publication": publication.pk,
        "from": "2024-12-01",
        "to": "2024-12-31",
        "reason": "Salah memilih periode.",
    }
    # Withdrawn, the period can be published again.
    again = publish(world)
    assert again.pk != publication.pk and IkmPublication.objects.count() == 2


def test_a_withdrawal_needs_a_reason_and_the_head(world, other_world, frozen):
    add_responses(world.office, ROWS, date(2024, 12, 10))
    publication = publish(world)

    with pytest.raises(InvalidFields) as no_reason:
        ikm_withdraw(publication=publication, actor=world.head, reason="   ")
    for actor in (world.ult, world.admin, other_world.head):
        with pytest.raises(PermissionDenied):
            ikm_withdraw(publication=publication, actor=actor, reason="Salah periode")

    assert list(no_reason.value.errors) == ["reason"]
    publication.refresh_from_db()
    assert publication.is_live and not events("ikm.withdrawn")


def test_a_publication_is_withdrawn_once(world, frozen):
    add_responses(world.office, ROWS, date(2024, 12, 10))
    publication = publish(world)
    ikm_withdraw(publication=publication, actor=world.head, reason="Salah periode")

    with pytest.raises(Conflict) as again:
        ikm_withdraw(publication=publication, actor=world.head, reason="Sekali lagi")

    assert again.value.code == "ikm_already_withdrawn"
    publication.refresh_from_db()
    assert publication.withdraw_reason == "Salah periode" and len(events("ikm.withdrawn")) == 1
