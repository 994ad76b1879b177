"""The pieces of the crash soak (scripts/crash_soak.py): its requests are valid and distinct, and its check
finds what is stored and names what is lost or wrong. The soak itself runs with ``make soak``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from jangkau.audit.models import AuditEvent
from jangkau.cases.models import Case

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "crash_soak.py"
_spec = importlib.util.spec_from_file_location("crash_soak", SCRIPT)
soak = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("crash_soak", soak)  # dataclasses look their module up while the class is built
_spec.loader.exec_module(soak)

RUN = "testrun01"


def test_every_request_carries_its_own_key_and_its_own_data():
    first, second = soak.intake_body(RUN, 1), soak.intake_body(RUN, 2)
    assert soak.idempotency_key(RUN, 1) != soak.idempotency_key(RUN, 2)
    for name in ("full_name", "address", "disability_details", "need"):
        assert first[name] != second[name]
    assert soak.marker(RUN, 1) in first["address"]


@pytest.fixture
def outcomes(client, db, settings):
    """Three requests submitted through the API the way the soak's client sends them."""
    settings.INTAKE_RATE_LIMIT = 0
    soak.seed_office()
    result = []
    for n in (1, 2, 3):
        response = client.post(
            soak.INTAKE_PATH,
            soak.intake_body(RUN, n),
            content_type="application/json",
            headers={"Idempotency-Key": soak.idempotency_key(RUN, n)},
        )
        assert response.status_code == 201, response.content
        number = response.json()["registration_number"]
        result.append(
            soak.Outcome(n=n, key=soak.idempotency_key(RUN, n), status=201, attempts=1, registration_number=number)
        )
    return result


def test_the_check_finds_every_acknowledged_request_with_its_data(outcomes):
    check = soak.compare(outcomes, soak.stored_cases(RUN), RUN)

    assert (check.found, check.lost, check.wrong, check.unaudited, check.duplicate_numbers) == (3, [], [], [], 0)
    assert check.ok


def test_a_missing_case_is_lost_and_a_changed_one_is_wrong(outcomes):
    lost, changed, _ = outcomes
    case = Case.objects.get(idempotency_key=changed.key)
    case.address = "Jl. Lain"
    case.save(update_fields=["address"])
    stored = soak.stored_cases(RUN)
    # Audit events protect a case from deletion; a case the crash lost is one the database does not return.
    del stored[lost.key]

    check = soak.compare(outcomes, stored, RUN)

    assert check.found == 2
    assert check.lost == [f"{lost.registration_number} ({lost.key})"]
    assert check.wrong == [f"{changed.registration_number}: address"]
    assert not check.ok


def test_a_case_without_its_audit_event_is_named(outcomes):
    AuditEvent.objects.filter(case__idempotency_key=outcomes[0].key, action="case.submit").delete()

    check = soak.compare(outcomes, soak.stored_cases(RUN), RUN)

    assert check.unaudited == [outcomes[0].registration_number]


def test_unanswered_requests_are_not_counted_but_committed_ones_are_reported(outcomes):
    unanswered = soak.Outcome(n=3, key=outcomes[2].key, status=None, attempts=5)

    check = soak.compare([*outcomes[:2], unanswered], soak.stored_cases(RUN), RUN)

    assert (check.found, check.lost, check.committed_unacknowledged) == (2, [], 1)
