"""The audit trail is append-only and tamper-evident."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from jangkau.audit.models import AppendOnlyError, AuditEvent
from jangkau.audit.services import verify_chain
from tests.builders import case_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(world, frozen):
    """A trail of real events: installing the POS and walking a case to 'scheduled'."""
    case_in("scheduled", world)
    assert AuditEvent.objects.count() >= 6
    return AuditEvent.objects.order_by("seq")


def run_verify() -> str:
    call_command("audit_verify", stdout=(out := __import__("io").StringIO()))
    return out.getvalue()


def raw(sql: str, params) -> None:
    # Straight to the table, as someone with database access would do it.
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", AuditEvent._meta.db_table), params)


def test_an_untouched_trail_verifies(trail):
    assert "intact" in run_verify()
    assert list(verify_chain()) == []


def test_every_action_writes_one_event_chained_to_the_previous(trail):
    events = list(trail)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(events, events[1:], strict=False))
    assert [e.action for e in events if e.case_id][:3] == ["case.submit", "case.accept", "case.forward_to_ppid"]


def test_a_changed_row_is_named(trail):
    target = trail[3]
    raw("UPDATE {table} SET changes = %s WHERE seq = %s", ['{"status": ["x", "y"]}', target.seq])

    with pytest.raises(CommandError, match=f"#{target.seq}: content changed"):
        run_verify()


def test_a_changed_actor_is_named(trail):
    target = trail[2]
    raw("UPDATE {table} SET actor_label = %s WHERE seq = %s", ["someone-else", target.seq])

    with pytest.raises(CommandError, match=f"#{target.seq}"):
        run_verify()


def test_a_deleted_row_in_the_middle_is_named(trail):
    target = trail[2]
    raw("DELETE FROM {table} WHERE seq = %s", [target.seq])

    with pytest.raises(CommandError, match=f"#{target.seq}: missing"):
        run_verify()


def test_a_deleted_last_row_is_noticed(trail):
    last = trail.last()
    raw("DELETE FROM {table} WHERE seq = %s", [last.seq])

    with pytest.raises(CommandError, match=f"#{last.seq}: missing"):
        run_verify()


def test_a_rewritten_chain_without_the_head_is_noticed(trail):
    """Deleting a row and renumbering the rest still fails: the hashes cover the numbers."""
    target = trail[1]
    raw("DELETE FROM {table} WHERE seq = %s", [target.seq])
    raw("UPDATE {table} SET seq = seq - 1 WHERE seq > %s", [target.seq])

    with pytest.raises(CommandError):
        run_verify()


def test_the_orm_refuses_to_change_or_delete_events(trail):
    event = trail.first()
    event.action = "edited"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_events_record_where_a_web_action_came_from(client, world, frozen, settings):
    """An action taken through the web or the API records the client's address; behind one trusted proxy,
    the address the proxy saw."""
    from tests.builders import submit

    case = submit(world)
    client.force_login(world.ult)
    url = f"/api/v1/cases/{case.registration_number}/actions/"

    accepted = client.post(url + "accept", {}, content_type="application/json", REMOTE_ADDR="203.0.113.7")
    assert accepted.status_code == 200
    assert AuditEvent.objects.last().source_ip == "203.0.113.7"

    settings.AXES_IPWARE_PROXY_COUNT = 1
    forwarded = client.post(
        url + "forward_to_ppid",
        {"ppid_member": world.ppid.username, "note": "Mohon data"},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert forwarded.status_code == 200
    assert AuditEvent.objects.last().source_ip == "198.51.100.9"
    assert "intact" in run_verify()
