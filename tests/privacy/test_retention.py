"""``manage.py apply_retention``: cases that ended longer ago than their office's retention lose their
personal data, the rest are untouched, the reports read the same before and after, the audit chain still
verifies, and a second run changes nothing."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.models import Case, Status
from jangkau.cases.recap import RecapFilters, recap_cases
from jangkau.cases.sla_report import sla_report
from jangkau.core import clock
from jangkau.privacy.anonymise import AUDIT_ACTION, PLACEHOLDER
from jangkau.privacy.retention import cases_due, years_before
from jangkau.reports.evaluation import evaluation_report
from jangkau.surveys.reports import ikm_report
from tests.builders import case_in, reload, submit
from tests.conftest import JKT

from .anonymise_builders import NAME, full_case, leaks, personal_values, raw_rows, tables

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def history(world, other_world, frozen):
    """In an office that keeps personal data two years: cases ended in January 2025 (closed, rejected,
    cancelled by the requester, cancelled by an officer after the requester was unreachable), one closed in
    January 2026 and one still open; in an office that keeps it five years, one closed in January 2025.
    Then the clock stands on 1 March 2027."""
    world.office.retention_years = 2
    world.office.save(update_fields=["retention_years"])
    cases = {
        "closed": full_case(world),
        "rejected": full_case(world, status=Status.REJECTED),
        "cancelled": full_case(world, status=Status.CANCELLED),
        "other_office": full_case(other_world),
        # Unreachable after three days of failed calls, then cancelled by an officer.
        "unreachable": svc.case_cancel(
            case=case_in(Status.UNREACHABLE, world), actor=world.ult, reason="Tiga hari tidak dapat dihubungi"
        ),
        "open": submit(world),
    }
    clock.advance(timedelta(days=365))
    cases["recent"] = full_case(world)
    clock.advance(datetime(2027, 3, 1, 9, 0, tzinfo=JKT) - clock.now())
    return {name: reload(case) for name, case in cases.items()}


DUE = ("closed", "rejected", "cancelled", "unreachable")
NOT_DUE = ("other_office", "open", "recent")


def test_cases_past_their_offices_retention_are_anonymised_the_others_untouched(history):
    untouched = {name: _row(history[name]) for name in NOT_DUE}

    output = _run()

    for name in DUE:
        case = reload(history[name])
        assert case.anonymised_at == clock.now(), name
        assert case.requester_name == PLACEHOLDER
    for name in NOT_DUE:
        assert _row(history[name]) == untouched[name], name
        assert reload(history[name]).requester_name in (NAME, "Siti Aminah")  # the open case: the builders'
    assert "bpmp-dki: 4 case(s) anonymised (2 years)" in output
    assert "bbpmp-jatim: 0 case(s) anonymised (5 years)" in output
    assert output.strip().endswith("Retention applied: 4 case(s) anonymised.")
    assert AuditEvent.objects.filter(action=AUDIT_ACTION).count() == 4
    for name in DUE:
        event = AuditEvent.objects.get(action=AUDIT_ACTION, case=history[name])
        assert event.changes["reason"] == "retention" and event.actor_label == "system"


def test_no_personal_value_of_an_anonymised_case_is_left_in_the_case_tables(history):
    values = [value for name in DUE for value in personal_values(history[name])]
    # The untouched cases hold the same test person's data: read only the anonymised cases' rows, their
    # audit events included.
    ids = [history[name].pk for name in DUE]

    _run()

    rows = []
    for table in tables(("cases_", "scheduling_", "surveys_", "audit_", "notifications_")):
        columns = [c.name for c in connection.introspection.get_table_description(connection.cursor(), table)]
        if table == "cases_case":
            rows += raw_rows(table, f"WHERE id IN ({_marks(ids)})", ids)
        elif "case_id" in columns:
            rows += raw_rows(table, f"WHERE case_id IN ({_marks(ids)})", ids)
        elif "step_id" in columns:
            rows += raw_rows(
                table, f"WHERE step_id IN (SELECT id FROM cases_steprecord WHERE case_id IN ({_marks(ids)}))", ids
            )
    assert rows
    assert leaks(rows, values) == []


def _marks(ids) -> str:
    return ", ".join(["%s"] * len(ids))


def test_the_retention_counts_per_office(history, world, other_world):
    assert "0 case(s) anonymised" in _run("--office", other_world.office.code)
    assert reload(history["closed"]).anonymised_at is None  # the other office was not touched

    clock.advance(datetime(2030, 1, 20, 9, 0, tzinfo=JKT) - clock.now())  # five years and two weeks later
    output = _run("--office", other_world.office.code)

    assert "bbpmp-jatim: 1 case(s) anonymised (5 years)" in output and "bpmp-dki" not in output
    assert reload(history["other_office"]).anonymised_at is not None
    assert reload(history["closed"]).anonymised_at is None


def test_an_unknown_office_is_refused(history):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Unknown office"):
        _run("--office", "tidak-ada")


def test_a_dry_run_counts_and_changes_nothing(history):
    before = _everything()

    output = _run("--dry-run")

    assert "bpmp-dki: 4 case(s) would be anonymised (2 years)" in output
    assert output.strip().endswith("Dry run: 4 case(s) would be anonymised; nothing was changed.")
    assert _everything() == before


def test_running_it_again_writes_no_second_event_and_changes_nothing(history):
    _run()
    after_first = _everything()

    output = _run()

    assert _everything() == after_first
    assert output.strip().endswith("Retention applied: 0 case(s) anonymised.")
    assert AuditEvent.objects.filter(action=AUDIT_ACTION).count() == 4


def test_the_audit_chain_still_verifies(history):
    _run()
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "audit chain intact" in out.getvalue()


def _reports(office) -> dict:
    start, end = date(2024, 1, 1), date(2027, 12, 31)
    counts = {
        "all": RecapFilters(),
        "period": RecapFilters(date_from=date(2025, 1, 1), date_to=date(2025, 1, 31)),
        "closed": RecapFilters(status=Status.CLOSED),
        "rejected": RecapFilters(status=Status.REJECTED),
        "cancelled": RecapFilters(status=Status.CANCELLED),
        "blind": RecapFilters(vulnerability="disability_blind"),
        "elderly": RecapFilters(vulnerability="elderly"),
        "web": RecapFilters(channel="web"),
        "service": RecapFilters(service_type="data-informasi"),
    }
    reports = {
        "sla": sla_report(office, start, end),
        "recap": {name: recap_cases(office, filters).count() for name, filters in counts.items()},
        "ikm": ikm_report(office, start, end),
        "ikm_2025": ikm_report(office, date(2025, 1, 1), date(2025, 12, 31)),
    }
    reports["evaluation"] = evaluation_report(office, start, end)
    return reports


def test_the_report_figures_are_the_same_before_and_after(history, world):
    before = _reports(world.office)
    assert before["recap"]["all"] == 6 and before["ikm"]["respondents"] == 2  # the period holds the cases

    _run()

    assert _reports(world.office) == before


def test_the_tracking_code_no_longer_opens_the_case(history, client):
    case = history["closed"]
    code = case.tracking_code
    assert client.post("/lacak/", {"nomor": case.registration_number, "kode": code}).status_code == 302
    client.cookies.clear()

    _run()

    page = client.post("/lacak/", {"nomor": case.registration_number, "kode": code})
    assert page.status_code == 200
    assert "tidak cocok" in page.content.decode()
    api = client.get(f"/api/v1/requests/{case.registration_number}", HTTP_X_TRACKING_CODE=code)
    assert api.status_code == 404


def test_a_session_that_had_opened_the_case_sees_nothing_personal(history, client):
    case = history["closed"]
    values = personal_values(case)
    client.post("/lacak/", {"nomor": case.registration_number, "kode": case.tracking_code})

    _run()

    page = client.get(f"/lacak/{case.registration_number}/")
    if page.status_code == 200:
        assert leaks([(page.content.decode(),)], values) == []
    else:
        assert page.status_code == 404


def test_the_staff_case_page_of_an_anonymised_case_shows_no_personal_value(history, client, world):
    case = history["closed"]
    values = personal_values(case)
    _run()

    client.force_login(world.ult)
    page = client.get(f"/staf/kasus/{case.registration_number}/")

    assert page.status_code == 200
    assert leaks([(page.content.decode(),)], values) == []
    assert "telah dianonimkan pada" in " ".join(page.content.decode().split())


def test_the_cutoff_counts_calendar_years_in_the_office_time_zone(history, world):
    assert years_before(datetime(2028, 2, 29, 12, 0, tzinfo=JKT), 2) == datetime(2026, 2, 28, 12, 0, tzinfo=JKT)
    # Closed on 6 January 2025: due two years later, not a minute before.
    closed_at = reload(history["closed"]).closed_at
    assert history["closed"].pk not in _due_at(world.office, closed_at + timedelta(days=365 * 2, hours=-1))
    assert history["closed"].pk in _due_at(world.office, years_before(closed_at, -2) + timedelta(seconds=1))


def test_a_terminal_case_without_closed_at_counts_from_its_last_step(history, world):
    legacy = history["rejected"]
    Case.objects.filter(pk=legacy.pk).update(closed_at=None)  # as written before every ending set it
    assert legacy.pk in _due_at(world.office, clock.now())
    assert history["open"].pk not in _due_at(world.office, datetime(2099, 1, 1, tzinfo=JKT))


def _due_at(office, moment) -> set[int]:
    return set(cases_due(office, moment).values_list("pk", flat=True))


def _row(case: Case) -> list:
    return raw_rows("cases_case", "WHERE id = %s", [case.pk])


def _everything() -> dict:
    """Every row of the case, scheduling, survey and audit tables."""
    return {
        table: sorted(map(repr, raw_rows(table)))
        for table in tables(("cases_", "scheduling_", "surveys_", "audit_", "notifications_"))
    }
