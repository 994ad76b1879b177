import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jangkau.procedures.models import ProcedureStep, ProcedureVersion
from jangkau.procedures.services import procedure_ensure_default


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_pos_export_json_prints_the_active_pos(office):
    """pos_export --format json prints the active version: identity, the eight steps with their standard
    times (step 6 in days, 1 to 3) and outputs."""
    # given
    procedure_ensure_default(office=office)

    # when
    data = json.loads(_run("pos_export", "--office", "bpmp-dki", "--format", "json"))

    # then
    assert data["number"] == "PMP-07.01.CFM 02/Manual.0332/C7.16/OT.02.02/2024"
    assert (data["made_on"], data["revised_on"], data["effective_date"]) == ("2024-05-07", "2024-05-28", "2024-06-01")
    assert (data["version"], data["status"]) == (1, "active")
    assert data["approver"]["nip"] == "19741062003121001"
    assert len(data["legal_basis"]) == 8
    steps = data["steps"]
    assert [step["standard_minutes"] for step in steps] == [5, 5, 10, 5, 10, None, 5, 5]
    assert (steps[5]["standard_days_min"], steps[5]["standard_days_max"]) == (1, 3)
    assert steps[5]["follows_service_standard"] is True
    assert steps[4]["standard_label"] == "± 10 menit"
    assert steps[7]["output"] == "Hasil evaluasi"
    assert steps[7]["actors"] == ["ppid_member", "ult_officer"]


@pytest.mark.django_db
def test_pos_export_text_prints_a_table(office):
    """pos_export --format text prints the identity section and one row per step."""
    # given
    procedure_ensure_default(office=office)

    # when
    text = _run("pos_export", "--office", "bpmp-dki", "--format", "text")

    # then
    assert "PMP-07.01.CFM 02/Manual.0332/C7.16/OT.02.02/2024" in text
    assert "1 s.d. 3 hari" in text
    assert "Hasil evaluasi" in text


@pytest.mark.django_db
def test_pos_export_refuses_an_unknown_office_or_missing_version(office):
    """pos_export raises CommandError for an unknown office code and for an office without active POS."""
    # when / then
    with pytest.raises(CommandError, match="no-such-office"):
        _run("pos_export", "--office", "no-such-office", "--format", "json")
    with pytest.raises(CommandError, match="no active POS"):
        _run("pos_export", "--office", "bpmp-dki", "--format", "json")


@pytest.mark.django_db
def test_pos_load_installs_the_default_file_and_drafts_on_request(office):
    """pos_load installs the default file as the next version; with --no-activate it stays a draft."""
    # when
    first_out = _run("pos_load", "--office", "bpmp-dki")
    second_out = _run("pos_load", "--office", "bpmp-dki", "--no-activate")

    # then
    assert "version 1 (active)" in first_out
    assert "version 2 (draft)" in second_out
    statuses = dict(ProcedureVersion.objects.filter(office=office).values_list("version", "status"))
    assert statuses == {1: "active", 2: "draft"}


@pytest.mark.django_db
def test_pos_load_refuses_an_invalid_file_and_creates_nothing(office, tmp_path):
    """pos_load with an invalid file raises CommandError naming the problem and creates nothing."""
    # given
    path = tmp_path / "pos.toml"
    path.write_text('number = "X"\ntitle = "Y"\neffective_date = 2024-06-01\n', encoding="utf-8")

    # when / then
    with pytest.raises(CommandError, match="steps"):
        _run("pos_load", "--office", "bpmp-dki", "--file", str(path))
    with pytest.raises(CommandError, match="no-such-office"):
        _run("pos_load", "--office", "no-such-office")
    assert not ProcedureVersion.objects.exists()
    assert not ProcedureStep.objects.exists()
