import tomllib
from datetime import date
from pathlib import Path

import pytest

from jangkau.core.errors import InvalidInput
from jangkau.procedures.loader import DEFAULT_POS_FILE, load_procedure_file

SEED_OUTPUTS = [
    "Permintaan layanan daring",
    "Rekap permintaan layanan dari kelompok rentan",
    "Hasil layanan sesuai kebutuhan pengguna layanan kelompok rentan",
    "Daftar pengguna layanan secara daring",
    "Hasil layanan sesuai kebutuhan pengguna layanan kelompok rentan",
    "Isian instrumen survei kepuasan layanan",
    "Rekap hasil layanan daring dan hasil survei",
    "Hasil evaluasi",
]


def test_default_file_holds_the_seed_pos():
    """The default POS file loads into the seed's identity section and its eight steps with their standard
    times, labels, outputs and remarks as printed."""
    # given / when
    data = load_procedure_file(DEFAULT_POS_FILE)

    # then
    assert data["number"] == "PMP-07.01.CFM 02/Manual.0332/C7.16/OT.02.02/2024"
    assert data["title"] == "Pelayanan Jemput Bola Bagi Kelompok Rentan"
    assert (data["made_on"], data["revised_on"], data["effective_date"]) == (
        date(2024, 5, 7),
        date(2024, 5, 28),
        date(2024, 6, 1),
    )
    assert data["approver"] == {
        "position": "Kepala",
        "name": "Moch. Saiful Somad, S.Kom., M.Pd.",
        "nip": "19741062003121001",
    }
    counts = {key: len(data[key]) for key in ("legal_basis", "qualifications", "related_procedures")}
    counts |= {key: len(data[key]) for key in ("equipment", "warnings", "recording")}
    assert counts == {
        "legal_basis": 8,
        "qualifications": 4,
        "related_procedures": 4,
        "equipment": 4,
        "warnings": 2,
        "recording": 2,
    }
    assert data["legal_basis"][0] == "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"
    assert data["qualifications"][3] == 'Memahami dan mengimplementasikan tata nilai "BerAKHLAK"'

    steps = data["steps"]
    assert [step["no"] for step in steps] == list(range(1, 9))
    assert [step["standard_minutes"] for step in steps] == [5, 5, 10, 5, 10, None, 5, 5]
    assert (steps[5]["standard_days_min"], steps[5]["standard_days_max"]) == (1, 3)
    assert all(step["standard_days_max"] is None for step in steps if step["no"] != 6)
    assert steps[4]["standard_label"] == "± 10 menit"
    assert steps[5]["standard_label"] == "1 s.d. 3 hari"
    assert [step["output"] for step in steps] == SEED_OUTPUTS
    assert [step["follows_service_standard"] for step in steps] == [False] * 5 + [True] + [False] * 2
    assert steps[4]["remarks"].startswith("fleksibel, sesuai dengan kebutuhan, dan tidak dipungut biaya")
    assert [bool(step["remarks"]) for step in steps] == [False] * 4 + [True, True] + [False] * 2
    assert [step["actors"] for step in steps] == [
        ["requester"],
        ["ult_officer"],
        ["ult_officer", "ppid_member"],
        ["ult_officer"],
        ["ult_officer", "ppid_member"],
        ["requester"],
        ["ult_officer"],
        ["ppid_member", "ult_officer"],
    ]


def _variant(tmp_path, edit) -> Path:
    """Writes the default file, changed by ``edit`` (a function of the text), to a temporary path."""
    path = tmp_path / "pos.toml"
    path.write_text(edit(DEFAULT_POS_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    tomllib.loads(path.read_text(encoding="utf-8"))  # the variant itself must still be TOML
    return path


@pytest.mark.parametrize(
    ("edit", "named_problem"),
    [
        (lambda text: text.replace('title = "Pelayanan Jemput Bola Bagi Kelompok Rentan"\n', ""), "title"),
        (lambda text: text.replace("effective_date = 2024-06-01\n", ""), "effective_date"),
        (lambda text: text.replace("no = 3\n", "no = 4\n", 1), "1..8"),
        (lambda text: text.replace('actors = ["ult_officer"]', 'actors = ["kepala_balai"]', 1), "kepala_balai"),
        (lambda text: text.replace("standard_days_max = 3\n", ""), "standard_days_max"),
        (lambda text: text.replace("standard_days_min = 1\n", "standard_days_min = 5\n"), "standard_days_min"),
    ],
    ids=["missing-title", "missing-effective-date", "misnumbered", "unknown-actor", "no-time", "days-reversed"],
)
def test_invalid_file_is_refused_naming_the_problem(tmp_path, edit, named_problem):
    """A POS file with a missing key, misnumbered steps, an unknown actor, a step without standard time or
    a reversed day window raises InvalidInput whose message names the problem."""
    # given
    path = _variant(tmp_path, edit)

    # when / then
    with pytest.raises(InvalidInput) as raised:
        load_procedure_file(path)
    assert named_problem in raised.value.message


def test_missing_file_and_broken_toml_are_invalid_input(tmp_path):
    """A path that does not exist, or a file that is not TOML, raises InvalidInput naming the file."""
    # given
    broken = tmp_path / "broken.toml"
    broken.write_text("number = \n", encoding="utf-8")

    # when / then
    with pytest.raises(InvalidInput, match="absent.toml"):
        load_procedure_file(tmp_path / "absent.toml")
    with pytest.raises(InvalidInput, match="broken.toml"):
        load_procedure_file(broken)
