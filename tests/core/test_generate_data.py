"""``manage.py generate_data``: realistic cases in every status with the step records the workflow would have
left, registration numbers that continue the office's counters, personal data encrypted at rest, SKM
responses, one audit event; the staff pages work on the result; an unknown office changes nothing."""

import io
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from jangkau.accounts.models import Role, User
from jangkau.audit.models import AuditEvent
from jangkau.cases.intake import normalise_phone
from jangkau.cases.models import Case, Status, StepOutcome, StepRecord
from jangkau.cases.queue_keys import rebuild_queue_keys
from jangkau.cases.selectors import case_search_filter
from jangkau.cases.sla import information_due, set_due
from jangkau.cases.workflow import OPEN, PATH_TO_STATUS, STEP_EFFECTS, TERMINAL
from jangkau.core import clock, crypto
from jangkau.core.crypto import search_hash
from jangkau.core.models import Counter as NumberCounter
from jangkau.core.nik import parse_nik
from jangkau.notifications.watch import sla_watch
from jangkau.offices.calendar import calendar_for
from jangkau.offices.models import Office, ServiceType
from jangkau.scheduling.models import Appointment
from jangkau.surveys.models import Instrument, Invitation, Response
from tests.builders import submit

pytestmark = pytest.mark.django_db

JKT = ZoneInfo("Asia/Jakarta")
# A Tuesday morning: six months of history reach back into 2025, so numbering runs over two years.
MOMENT = datetime(2026, 2, 10, 10, 0, tzinfo=JKT)
CASES, SURVEYS = 300, 500
WAITING = {Status.AWAITING_INFO, Status.UNREACHABLE}


def generate(office_code: str, **options) -> str:
    out = io.StringIO()
    options = {"cases": CASES, "surveys": SURVEYS, "seed": 7, "batch": 100, **options}
    with clock.frozen_at(MOMENT):
        call_command("generate_data", office=office_code, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def generated(world):
    # A public-information service too, so that some cases carry the legal deadline.
    ServiceType.objects.create(
        office=world.office, code="informasi-publik", name="Permohonan informasi publik", is_public_information=True
    )
    return generate(world.office.code)


def open_steps_left_by(status: str) -> set[int]:
    """Returns the steps the workflow leaves open in ``status``: intake opens step 2, then each action of the
    path finishes and opens steps per STEP_EFFECTS; an ended case has none open."""
    if status in TERMINAL:
        return set()
    steps = {2}
    for action in PATH_TO_STATUS[status]:
        effect = STEP_EFFECTS.get(action)
        if effect:
            steps = (steps - {effect.finishes}) | ({effect.opens} - {None})
    return steps


def test_every_status_is_present_and_most_cases_are_open(generated):
    """Given 300 cases, when generated, then every status has some and 85-90 % are still open."""
    statuses = Counter(Case.objects.values_list("status", flat=True))

    assert set(statuses) == set(Status.values)
    assert sum(statuses.values()) == CASES
    assert 0.85 <= sum(n for status, n in statuses.items() if status in OPEN) / CASES <= 0.9
    assert f"Generated {CASES:,} cases" in generated
    assert f"{SURVEYS:,} survey responses" in generated


def test_each_case_has_the_steps_the_workflow_would_have_left(generated):
    """Each open case has exactly one open step, the one its status's path leaves open; a waiting case's
    step is paused; every earlier step is done with an outcome; an ended case has no open step."""
    for case in Case.objects.prefetch_related("steps__pauses"):
        steps = list(case.steps.all())
        open_steps = [s for s in steps if s.done_at is None]
        assert {s.step_no for s in open_steps} == open_steps_left_by(case.status), case.status
        assert len(open_steps) == (0 if case.status in TERMINAL else 1)
        for step in steps:
            assert step.opened_at <= (step.done_at or step.opened_at)
            if step.done_at is not None:
                assert step.outcome
                assert step.breached == (step.due_at is not None and step.done_at > step.due_at)
        paused = [p for s in open_steps for p in s.pauses.all() if p.resumed_at is None]
        assert bool(paused) == (case.status in WAITING), case.status
        assert (case.closed_at is not None) == (case.status in TERMINAL)
        assert steps[0].step_no == 1 and steps[0].outcome == StepOutcome.DONE
        assert steps[0].done_at == case.submitted_at
        if case.status == Status.CLOSED:
            assert [s.step_no for s in steps] == list(range(1, 9))
            assert not [s for s in steps if s.breached and s.is_officer_step and not s.breach_explanation]
            assert case.evaluation_need_met
        if case.status == Status.REJECTED:
            assert steps[-1].outcome == StepOutcome.REJECTED and case.rejection_reason and case.referral
        if case.status == Status.CANCELLED:
            assert steps[-1].outcome == StepOutcome.CANCELLED and case.cancellation_reason
        if case.status in OPEN - {Status.SUBMITTED, Status.AWAITING_INFO}:
            assert case.assigned_to.office_id == case.office_id
            assert case.assigned_to.role == Role.ULT_OFFICER
        if case.status in {Status.WITH_PPID, Status.SCHEDULED, Status.CLOSED}:
            assert case.ppid_member.role == Role.PPID_MEMBER
        if case.status == Status.SCHEDULED:
            appointment = Appointment.objects.get(case=case)
            assert appointment.starts_at == open_steps[0].opened_at
            assert case.assigned_to in appointment.officers.all()


def test_due_moments_are_those_the_services_compute(generated, world):
    """Every step's due and warning moments are what ``cases.sla.set_due`` computes from the stored record and
    its pauses under the office calendar; a public-information request carries its legal deadline."""
    cal = calendar_for(world.office)
    checked = 0
    for step in StepRecord.objects.prefetch_related("pauses"):
        # A step done the moment it opened may have been done before it became actionable (delivered ahead
        # of the appointment): the service then moves its opening, not its due moment. Those are skipped.
        if step.done_at is None or step.done_at > step.opened_at:
            stored = step.due_at, step.warn_at
            set_due(step, cal)
            assert (step.due_at, step.warn_at) == stored, step.step_no
            checked += 1
    assert checked > CASES * 3
    informed = Case.objects.filter(service_type__is_public_information=True).select_related("service_type")
    assert informed.exists()
    for case in informed:
        assert case.information_due_at == information_due(case, cal)
    assert not Case.objects.filter(service_type__is_public_information=False, information_due_at__isnull=False)


def test_the_queue_keys_are_stored_as_queue_keys_computes_them(generated):
    assert rebuild_queue_keys(Case.objects.all()) == 0
    assert "queue keys of the office's cases rebuilt: 0 changed" in generated


def test_the_first_sla_watch_after_generation_sends_nothing_for_old_steps(generated):
    """The warnings and breach alerts the watch would already have sent are marked as sent."""
    with clock.frozen_at(MOMENT):
        assert sla_watch() == {"warnings": 0, "breaches": 0}


def test_numbers_are_unique_follow_submission_and_a_real_intake_gets_the_next(generated, world):
    cases = list(Case.objects.order_by("submitted_at", "pk").values_list("registration_number", "submitted_at"))
    numbers = [number for number, _at in cases]
    assert len(set(numbers)) == CASES
    by_year = Counter(number.split("-")[1] for number in numbers)
    assert set(by_year) == {"2025", "2026"}
    for year in by_year:
        in_order = [int(number.rsplit("-", 1)[1]) for number in numbers if number.split("-")[1] == year]
        assert in_order == list(range(1, by_year[year] + 1))
    assert NumberCounter.objects.get(key=f"case:{world.office.pk}:2026").value == by_year["2026"]

    with clock.frozen_at(MOMENT + timedelta(minutes=5)):
        case = submit(world)

    assert case.registration_number == f"JB-2026-{by_year['2026'] + 1:06d}"


def test_a_second_run_continues_the_numbers(generated, world):
    first = Case.objects.count()
    generate(world.office.code, cases=30, surveys=0, seed=7)

    numbers = list(Case.objects.values_list("registration_number", flat=True))
    assert len(numbers) == len(set(numbers)) == first + 30
    assert len(set(Case.objects.values_list("tracking_code", flat=True))) == first + 30


def test_personal_data_is_encrypted_at_rest_and_the_nik_searchable(generated):
    # Encrypted columns cannot be filtered on: the case with all three filled is found in Python.
    case = next(c for c in Case.objects.exclude(nik_hash="") if c.disability_details)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id_document_number, address, disability_details FROM {Case._meta.db_table} WHERE id = %s",
            [case.pk],
        )
        stored = cursor.fetchone()

    for raw, plain in zip(stored, [case.id_document_number, case.address, case.disability_details], strict=True):
        assert plain and raw != plain and plain not in raw
        assert crypto.decrypt(raw) == plain
    assert Case.objects.filter(case_search_filter(case.id_document_number)).get() == case
    for with_nik in Case.objects.exclude(nik_hash=""):
        assert with_nik.nik_hash == search_hash(with_nik.id_document_number, purpose="nik")
        parse_nik(with_nik.id_document_number, today=MOMENT.date())
    for phone in Case.objects.exclude(phone="").values_list("phone", flat=True):
        assert normalise_phone(phone) == phone
    invitation = Invitation.objects.first()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {Invitation._meta.db_table} WHERE id = %s", [invitation.pk])
        assert cursor.fetchone()[0] != invitation.token


def test_survey_responses_are_counted_linked_and_plausible(generated, world):
    """M responses: those linked belong to cases past the survey whose step 6 was answered that day; the
    rest are paper forms of the last year; every answer is on the 1-4 scale."""
    assert Response.objects.count() == SURVEYS
    linked = Response.objects.filter(case__isnull=False).select_related("case")
    assert linked.exists()
    for response in linked:
        assert response.case.status in {Status.FEEDBACK_RECEIVED, Status.RECAPPED, Status.CLOSED}
        step6 = response.case.steps.get(step_no=6)
        assert step6.outcome == StepOutcome.DONE
        assert response.answered_on == step6.done_at.astimezone(JKT).date()
    paper = Response.objects.filter(case__isnull=True)
    assert set(paper.values_list("mode", flat=True)) <= {Response.Mode.PAPER, Response.Mode.ASSISTED}
    assert set(paper.values_list("recorded_by__office", flat=True)) == {world.office.pk}
    today = MOMENT.date()
    for response in Response.objects.all():
        assert today - timedelta(days=366) <= response.answered_on <= today
        assert response.created_at <= MOMENT
        assert all(1 <= getattr(response, f"u{n}") <= 4 for n in range(1, 10))
    assert Response.objects.filter(office=world.office, instrument__is_active=True).count() == SURVEYS


def test_one_audit_event_records_the_run_and_the_chain_verifies(generated):
    events = AuditEvent.objects.filter(action="data.generated")

    assert events.count() == 1
    assert events.get().changes["cases"] == CASES
    assert events.get().changes["surveys"] == SURVEYS
    call_command("audit_verify", stdout=io.StringIO())


def test_the_staff_pages_work_on_generated_data(client, generated, world):
    client.force_login(world.ult)
    closed = Case.objects.filter(status=Status.CLOSED).first()
    scheduled = Case.objects.filter(status=Status.SCHEDULED).first()
    pages = ["/staf/", "/staf/kasus/", "/staf/kasus/?tampilan=saya", "/staf/kasus/?tampilan=terjadwal"]
    pages += [f"/staf/kasus/{case.registration_number}/" for case in (closed, scheduled)]
    with clock.frozen_at(MOMENT):
        for url in pages:
            assert client.get(url).status_code == 200, url


def test_the_same_seed_on_the_same_state_gives_the_same_cases(world):
    def run() -> list:
        generate(world.office.code, cases=60, surveys=0, seed=11)
        return list(
            Case.objects.order_by("submitted_at", "pk").values_list(
                "status", "channel", "submitted_at", "requester_name", "tracking_code", "queue_due_at"
            )
        )

    first = run()
    Case.objects.all().delete()
    second = run()

    assert first == second


def test_an_unknown_office_is_refused_and_nothing_is_written(world):
    def counts():
        models = [Office, Case, StepRecord, User, Response, Instrument, AuditEvent, NumberCounter]
        return [model.objects.count() for model in models]

    before = counts()
    with pytest.raises(CommandError, match="Unknown office code 'tidak-ada'"):
        generate("tidak-ada")

    assert counts() == before


def test_create_office_sets_it_up_like_the_demo_with_staff(db):
    out = generate("uji-beban", cases=40, surveys=60, create_office=True)

    office = Office.objects.get(code="uji-beban")
    assert office.service_types.count() == 5
    assert User.objects.filter(office=office, role=Role.ULT_OFFICER).count() == 4
    assert User.objects.filter(office=office, role=Role.PPID_MEMBER).count() == 2
    assert not User.objects.get(username="uji-beban-petugas1").has_usable_password()
    assert Case.objects.filter(office=office).count() == 40
    assert Response.objects.filter(office=office).count() == 60
    assert "Created office uji-beban" in out
    assert date(2025, 8, 1) < Case.objects.filter(office=office).earliest("submitted_at").submitted_at.date()
