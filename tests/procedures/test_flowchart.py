"""The flowchart layout of a POS step table: pure, no database."""

from types import SimpleNamespace

import pytest

from jangkau.procedures.flowchart import (
    ACTIVITY,
    CONNECTOR,
    DECISION,
    TERMINATOR,
    FlowCell,
    arrowheads,
    flowchart,
)
from jangkau.procedures.loader import DEFAULT_POS_FILE, load_procedure_file

COLUMNS = ["ppid_member", "ult_officer", "requester"]
PPID, ULT, REQ = 0, 1, 2


def step(no, *actors, no_branch_to=None):
    return SimpleNamespace(no=no, actors=list(actors), no_branch_to=no_branch_to)


def seed_steps():
    data = load_procedure_file(DEFAULT_POS_FILE)
    return [step(s["no"], *s["actors"], no_branch_to=s["no_branch_to"]) for s in data["steps"]]


def lines(row):
    return ["".join(side for side in "nesw" if side in cell.lines) for cell in row.cells]


def symbols(row):
    return [cell.symbol for cell in row.cells]


def test_seed_symbols_start_end_decision_and_activities():
    (page,) = flowchart(seed_steps(), COLUMNS)

    assert [row.step.no for row in page.rows] == list(range(1, 9))
    assert [row.kind for row in page.rows] == [TERMINATOR, DECISION] + [ACTIVITY] * 5 + [TERMINATOR]
    assert [row.ends for row in page.rows] == ["start"] + [""] * 6 + ["end"]
    assert symbols(page.rows[0]) == [None, None, TERMINATOR]
    assert symbols(page.rows[2]) == [ACTIVITY, ACTIVITY, None]  # step 3: ULT and PPID together
    assert symbols(page.rows[7]) == [TERMINATOR, TERMINATOR, None]
    assert not any(row.connector for row in page.rows)


def test_seed_flow_lines_and_arrows():
    """Every step's symbol is entered from above by an arrow; sideways moves run in the row they leave."""
    (page,) = flowchart(seed_steps(), COLUMNS)

    assert [lines(row) for row in page.rows] == [
        ["", "es", "sw"],  # 1 → 2: from the requester's capsule left to ULT, then down; "Tidak" comes back up
        ["", "nes", "nw"],  # 2: the diamond, "Ya" down to 3, "Tidak" right and up to 1
        ["e", "nsw", ""],  # 3: PPID and ULT joined, on down ULT's column
        ["", "ns", ""],
        ["e", "new", "sw"],  # 5 → 6: from ULT right to the requester
        ["", "es", "nw"],  # 6 → 7: back left to ULT
        ["", "ns", ""],
        ["e", "nw", ""],  # 8: the end, PPID and ULT joined
    ]
    entered = [[side for cell in row.cells for side in cell.arrows] for row in page.rows]
    assert entered == [["s"], ["n"], ["n"], ["n"], ["n"], ["n"], ["n"], ["n"]]


def test_seed_decision_branches():
    (page,) = flowchart(seed_steps(), COLUMNS)
    decision = page.rows[1]

    assert (decision.yes_to, decision.no_to) == (3, 1)
    assert decision.cells[ULT].labels == {"s": "yes", "e": "no"}
    assert (decision.cells[ULT].label_yes, decision.cells[ULT].label_no) == ("s", "e")
    assert decision.cells[ULT].no_note is None


def test_no_branch_that_cannot_be_drawn_becomes_a_note():
    """Decision and target in the same single column: the branch would run along the main flow."""
    steps = [step(1, "ult_officer"), step(2, "ult_officer", no_branch_to=1), step(3, "ult_officer")]

    (page,) = flowchart(steps, COLUMNS)

    cell = page.rows[1].cells[ULT]
    assert cell.symbol == DECISION
    assert cell.no_note == 1
    assert cell.labels == {"s": "yes"}
    assert lines(page.rows[0]) == ["", "s", ""]


def test_no_branch_is_not_drawn_through_a_symbol():
    """From step 4 (ULT) back to step 1 (requester): step 2 sits in the requester's column on the way."""
    steps = [
        step(1, "requester"),
        step(2, "requester"),
        step(3, "ult_officer"),
        step(4, "ult_officer", no_branch_to=1),
        step(5, "ult_officer"),
    ]

    (page,) = flowchart(steps, COLUMNS)

    assert page.rows[3].cells[ULT].no_note == 1
    assert "s" not in page.rows[0].cells[REQ].arrows


def test_no_branch_forward_enters_the_target_from_above():
    steps = [step(1, "ult_officer"), step(2, "ult_officer", no_branch_to=4), step(3, "ult_officer"),
             step(4, "ult_officer", "requester"), step(5, "ult_officer")]  # fmt: skip

    (page,) = flowchart(steps, COLUMNS)

    assert lines(page.rows[1]) == ["", "nes", "sw"]
    assert lines(page.rows[2]) == ["", "ns", "ns"]
    assert lines(page.rows[3]) == ["", "nes", "nw"]
    assert page.rows[3].cells[REQ].arrows == {"n"}
    assert page.rows[1].cells[ULT].no_note is None


def test_no_branch_does_not_run_along_another_arrow():
    """Step 3's own arrow already comes down the requester's column into step 4: the branch is a note."""
    steps = [step(1, "ult_officer"), step(2, "ult_officer", no_branch_to=4), step(3, "ult_officer"),
             step(4, "requester"), step(5, "requester")]  # fmt: skip

    (page,) = flowchart(steps, COLUMNS)

    assert page.rows[1].cells[ULT].no_note == 4
    assert lines(page.rows[1]) == ["", "ns", ""]


def test_the_flow_leaves_from_the_column_nearest_the_next_step():
    """Step 2 is carried by PPID and the requester; step 3 by ULT... the nearer of equals is the leftmost."""
    steps = [step(1, "ppid_member"), step(2, "requester", "ppid_member"), step(3, "requester")]

    (page,) = flowchart(steps, COLUMNS)

    # 1 → 2 straight down PPID's column; 2 → 3 straight down the requester's.
    assert lines(page.rows[0]) == ["s", "", ""]
    assert lines(page.rows[1]) == ["ne", "ew", "sw"]
    assert page.rows[2].cells[REQ].arrows == {"n"}


def test_pages_are_joined_by_lettered_connectors():
    pages = flowchart(seed_steps(), COLUMNS, steps_per_page=4)

    assert len(pages) == 2
    first, second = pages
    assert [row.step.no if row.is_step else row.connector for row in first.rows] == [1, 2, 3, 4, "out"]
    assert [row.step.no if row.is_step else row.connector for row in second.rows] == ["in", 5, 6, 7, 8]
    out, into = first.rows[-1], second.rows[0]
    assert symbols(out) == [None, CONNECTOR, None] and out.cells[ULT].letter == "A"
    assert symbols(into) == [None, CONNECTOR, None] and into.cells[ULT].letter == "A"
    assert lines(first.rows[3]) == ["", "ns", ""] and out.cells[ULT].arrows == {"n"}
    assert lines(into) == ["", "s", ""] and second.rows[1].cells[ULT].arrows == {"n"}
    # The decision's branch stays on its page.
    assert first.rows[1].cells[ULT].labels == {"s": "yes", "e": "no"}


def test_three_pages_use_successive_letters_and_a_branch_across_pages_becomes_a_note():
    steps = [step(1, "requester"), step(2, "ult_officer"), step(3, "ult_officer", no_branch_to=1),
             step(4, "ppid_member"), step(5, "ppid_member")]  # fmt: skip

    pages = flowchart(steps, COLUMNS, steps_per_page=2)

    assert len(pages) == 3
    letters = [[cell.letter for row in page.rows for cell in row.cells if cell.letter] for page in pages]
    assert letters == [["A"], ["A", "B"], ["B"]]
    decision = next(row for row in pages[1].rows if row.kind == DECISION)
    assert decision.cells[ULT].no_note == 1


def test_one_step_is_a_start_capsule_and_no_steps_no_chart():
    (page,) = flowchart([step(1, "ult_officer")], COLUMNS)

    assert page.rows[0].kind == TERMINATOR and page.rows[0].ends == "start"
    assert lines(page.rows[0]) == ["", "", ""]
    assert flowchart([], COLUMNS) == []


def test_a_step_without_a_known_actor_is_refused():
    with pytest.raises(ValueError, match="Step 1"):
        flowchart([step(1, "someone")], COLUMNS)


def test_arrowheads_touch_the_symbol_edge():
    activity = FlowCell(symbol=ACTIVITY, arrows={"n", "s"})
    diamond = FlowCell(symbol=DECISION, arrows={"w"})

    assert arrowheads(activity) == ["44,11 52,11 48,18", "44,53 52,53 48,46"]
    assert arrowheads(diamond) == ["9,28 9,36 16,32"]
    assert arrowheads(FlowCell()) == []
    assert FlowCell(lines={"w", "n", "s"}).line_classes == "pos-flow--n pos-flow--s pos-flow--w"


@pytest.mark.parametrize(
    ("no", "target", "message"),
    [
        (1, 2, "awal atau akhir"),
        (3, 2, "awal atau akhir"),
        (2, 2, "langkah lain"),
        (2, 4, "langkah lain"),
        (2, 0, "langkah lain"),
    ],
)
def test_the_loader_refuses_a_decision_that_cannot_be_drawn(no, target, message):
    from jangkau.core.errors import InvalidInput
    from jangkau.procedures.loader import parse_procedure

    data = load_procedure_file(DEFAULT_POS_FILE)
    raw = {**data, "steps": [dict(s) for s in data["steps"][:3]]}
    for s in raw["steps"]:
        s["no_branch_to"] = None
    raw["steps"][no - 1]["no_branch_to"] = target

    with pytest.raises(InvalidInput, match=message):
        parse_procedure(raw)


def test_the_seed_makes_step_2_a_decision_back_to_step_1():
    data = load_procedure_file(DEFAULT_POS_FILE)

    assert [s["no_branch_to"] for s in data["steps"]] == [None, 1, None, None, None, None, None, None]
