"""Anonymisation erases personal data from a case's audit events and the chain still verifies: the chain
links each payload's keyed digest, and the erasure is itself a recorded event."""

import importlib

import pytest
from django.apps import apps
from django.core.management import CommandError
from django.db import transaction

from jangkau.audit.chain import GENESIS_HASH
from jangkau.audit.models import AuditEvent, ChainHead
from jangkau.audit.services import REDACTED, audit_redact_case, redacted_changes, verify_chain
from jangkau.cases.models import Status
from tests.audit.test_chain import raw, run_verify
from tests.builders import case_in, perform

pytestmark = pytest.mark.django_db


def erase(case, world):
    with transaction.atomic():
        return audit_redact_case(case=case, action="case.anonymised", actor=world.admin, changes={"reason": "test"})


def test_erasing_a_case_keeps_codes_drops_free_text_and_addresses_and_the_chain_verifies(world, frozen):
    case = case_in(Status.WITH_PPID, world)
    raw("UPDATE {table} SET source_ip = %s WHERE case_id = %s", ["10.1.2.3", case.pk])  # as a web request would
    other = case_in(Status.ACCEPTED, world)
    # The forwarding note is free text an officer wrote; it may name the requester.
    assert AuditEvent.objects.get(case=case, action="case.forward_to_ppid").changes["note"] == "Mohon data mutu SD"
    raw_events = list(AuditEvent.objects.filter(case=case).values_list("seq", flat=True))
    # The test wrote source_ip straight to the table: re-seal the chain as if the events were recorded so.
    _reseal_digests()

    record = erase(case, world)

    forwarded = AuditEvent.objects.get(case=case, action="case.forward_to_ppid")
    assert forwarded.changes["note"] == REDACTED
    assert forwarded.changes["ppid_member"] == world.ppid.username
    assert forwarded.changes["status"] == ["accepted", "with_ppid"]
    assert forwarded.source_ip is None and forwarded.redacted_at is not None
    assert record.changes["redacted_events"] == raw_events
    assert not AuditEvent.objects.filter(case=other, redacted_at__isnull=False).exists()
    assert list(verify_chain()) == []
    assert "intact" in run_verify()


def test_erasing_twice_erases_nothing_more(world, frozen):
    case = case_in(Status.ACCEPTED, world)
    erase(case, world)
    perform("forward_to_ppid", case, world)

    second = erase(case, world)

    assert second.changes["redacted_events"] == [AuditEvent.objects.get(case=case, action="case.forward_to_ppid").seq]
    assert list(verify_chain()) == []


def test_an_erasure_nobody_recorded_is_named(world, frozen):
    case = case_in(Status.ACCEPTED, world)
    target = AuditEvent.objects.get(case=case, action="case.accept")
    # Someone with database access wipes a payload and marks it erased, without an anonymisation event.
    raw("UPDATE {table} SET changes = %s, redacted_at = %s WHERE seq = %s", ["{}", "2025-01-06 09:00:00", target.seq])

    assert [str(p) for p in verify_chain()] == [f"event #{target.seq}: content erased without a recorded anonymisation"]
    with pytest.raises(CommandError):
        run_verify()


def test_a_changed_payload_is_still_named_when_not_erased(world, frozen):
    case = case_in(Status.ACCEPTED, world)
    target = AuditEvent.objects.get(case=case, action="case.submit")

    raw("UPDATE {table} SET source_ip = %s WHERE seq = %s", ["192.0.2.9", target.seq])

    assert [p.seq for p in verify_chain()] == [target.seq]


def test_redacted_changes_keep_only_code_values():
    changes = {"status": ["a", "b"], "note": "Bu Sari, Jl. Melati 5", "place": "Rumah", "step": 2}

    assert redacted_changes(changes) == {"status": ["a", "b"], "note": REDACTED, "place": REDACTED, "step": 2}


def test_the_migration_reseals_an_intact_old_chain_and_refuses_a_broken_one(world, frozen):
    """Events written under the old scheme (hash over the payload itself) are re-sealed once."""
    migration = importlib.import_module("jangkau.audit.migrations.0003_redactable_payload")
    case_in(Status.ACCEPTED, world)
    _rewrite_in_old_scheme(migration)
    assert list(verify_chain())  # the new verifier does not accept the old hashes

    migration.reseal(apps, None)

    assert list(verify_chain()) == []

    _rewrite_in_old_scheme(migration)
    raw("UPDATE {table} SET changes = %s WHERE seq = %s", ['{"status": ["x", "y"]}', 2])
    with pytest.raises(RuntimeError, match="#2 does not verify"):
        migration.reseal(apps, None)


def _rewrite_in_old_scheme(migration) -> None:
    from django.conf import settings

    key, prev = settings.AUDIT_CHAIN_KEY.encode(), GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq"):
        old = migration._old_hash(key, prev, event)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=prev, hash=old, payload_digest="")
        prev = old
    ChainHead.objects.filter(id=1).update(last_hash=prev)


def _reseal_digests() -> None:
    """Recomputes the whole chain as the writer would have, after a test changed payloads on purpose."""
    from django.conf import settings

    from jangkau.audit.chain import event_hash, payload_digest

    key, prev = settings.AUDIT_CHAIN_KEY.encode(), GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq"):
        digest = payload_digest(key=key, changes=event.changes, source_ip=event.source_ip)
        new = event_hash(
            key=key, prev_hash=prev, seq=event.seq, occurred_at=event.occurred_at, actor_id=event.actor_id,
            actor_label=event.actor_label, action=event.action, office_id=event.office_id, case_id=event.case_id,
            payload=digest,
        )  # fmt: skip
        AuditEvent.objects.filter(pk=event.pk).update(payload_digest=digest, prev_hash=prev, hash=new)
        prev = new
    ChainHead.objects.filter(id=1).update(last_hash=prev)
