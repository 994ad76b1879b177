import pytest
from django.core.management import call_command

from jangkau.accounts.models import Role, User
from jangkau.audit.models import AuditEvent
from jangkau.cases.models import Case, Status

pytestmark = pytest.mark.django_db


def counts():
    return (Case.objects.count(), User.objects.count(), AuditEvent.objects.count())


def test_demo_creates_every_status_and_a_second_run_changes_nothing(capsys):
    """One user per role, a case in every status; the second run creates nothing and writes no event."""
    call_command("demo")
    first = counts()
    call_command("demo")

    assert counts() == first
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert "jangkau-demo-2026" in capsys.readouterr().out
    call_command("audit_verify")
