from datetime import UTC, datetime

import pytest

from jangkau.audit.models import AuditEvent
from jangkau.core.clock import frozen_at
from jangkau.core.errors import DomainError, InvalidInput
from jangkau.procedures.loader import DEFAULT_POS_FILE, load_procedure_file
from jangkau.procedures.models import ProcedureStep, ProcedureVersion
from jangkau.procedures.selectors import active_procedure, procedure_as_dict
from jangkau.procedures.services import procedure_ensure_default, procedure_install


def _step_rows(version):
    return list(ProcedureStep.objects.filter(procedure=version).order_by("no").values())


@pytest.mark.django_db
def test_installing_a_second_version_retires_the_first_and_leaves_its_steps(office):
    """Installing a new version activates it, retires the active one (only its status changes) and never
    touches the old version's steps."""
    # given an active first version
    moment = datetime(2024, 6, 1, 1, 0, tzinfo=UTC)
    with frozen_at(moment):
        first = procedure_install(office=office, data=load_procedure_file(DEFAULT_POS_FILE))
    first_steps = _step_rows(first)

    # when a corrected POS (step 2 now with PPID) is installed
    data = load_procedure_file(DEFAULT_POS_FILE)
    data["steps"][1]["actors"] = ["ult_officer", "ppid_member"]
    second = procedure_install(office=office, data=data, source="corrected.toml")

    # then
    first.refresh_from_db()
    assert (first.version, first.status, first.activated_at) == (1, ProcedureVersion.Status.RETIRED, moment)
    assert (second.version, second.status) == (2, ProcedureVersion.Status.ACTIVE)
    assert second.activated_at is not None
    assert _step_rows(first) == first_steps
    assert first.steps.get(no=2).actors == ["ult_officer"]
    assert second.steps.get(no=2).actors == ["ult_officer", "ppid_member"]
    assert active_procedure(office) == second
    event = AuditEvent.objects.filter(action="procedure.installed").order_by("-seq").first()
    assert event.changes == {"version": 2, "number": data["number"], "steps": 8, "source": "corrected.toml"}
    assert event.actor_label == "system"


@pytest.mark.django_db
def test_install_without_activation_keeps_a_draft(office):
    """With activate=False the new version is a draft and the active one stays active."""
    # given
    first = procedure_install(office=office, data=load_procedure_file(DEFAULT_POS_FILE))

    # when
    draft = procedure_install(office=office, data=load_procedure_file(DEFAULT_POS_FILE), activate=False)

    # then
    assert (draft.version, draft.status, draft.activated_at) == (2, ProcedureVersion.Status.DRAFT, None)
    assert active_procedure(office) == first


@pytest.mark.django_db
def test_ensure_default_twice_creates_one_version_and_one_event(office):
    """procedure_ensure_default installs the default POS once; a second run returns the same version and
    records nothing."""
    # given
    events_before = AuditEvent.objects.count()

    # when
    first = procedure_ensure_default(office=office)
    second = procedure_ensure_default(office=office)

    # then
    assert first == second
    assert ProcedureVersion.objects.filter(office=office).count() == 1
    assert AuditEvent.objects.count() == events_before + 1
    assert AuditEvent.objects.filter(action="procedure.installed", office_id=office.pk).count() == 1


@pytest.mark.django_db
def test_ensure_default_replaces_an_active_version_that_differs(office):
    """When the active version's steps differ from the default file, procedure_ensure_default installs the
    file as the next version."""
    # given
    data = load_procedure_file(DEFAULT_POS_FILE)
    data["steps"][0]["standard_minutes"] = 7
    procedure_install(office=office, data=data)

    # when
    version = procedure_ensure_default(office=office)

    # then
    assert version.version == 2
    assert procedure_as_dict(version)["steps"][0]["standard_minutes"] == 5


@pytest.mark.django_db
def test_invalid_data_creates_nothing(office):
    """procedure_install with invalid data raises InvalidInput and leaves no version, step or event."""
    # given
    data = load_procedure_file(DEFAULT_POS_FILE)
    data["steps"][2]["actors"] = ["ult_officer", "kepala_balai"]
    events_before = AuditEvent.objects.count()

    # when / then
    with pytest.raises(InvalidInput, match="kepala_balai"):
        procedure_install(office=office, data=data)
    assert not ProcedureVersion.objects.exists()
    assert not ProcedureStep.objects.exists()
    assert AuditEvent.objects.count() == events_before


@pytest.mark.django_db
def test_active_procedure_without_a_version_raises(office):
    """active_procedure raises DomainError naming the office when it has no active version."""
    # when / then
    with pytest.raises(DomainError, match="bpmp-dki"):
        active_procedure(office)
