"""The flowchart of a POS step table (PermenPANRB 35/2012), as a grid: where each symbol goes, how the
arrows run between the steps, and where a page connector carries the flow to the next page.

Pure layout, no drawing: the grid has one row per step (plus, on paged output, one row per page connector)
and one cell per actor column. A cell holds at most one symbol and the lines that leave its centre for its
edges (north, east, south, west); the templates draw the symbol as a small SVG and the lines as the cell's
background, so a line always meets the next cell's line whatever the row heights are.

The five standard symbols:
- terminator (capsule): the first step (start) and the last step (end);
- decision (diamond): a step with ``no_branch_to``: "Ya" goes on to the next step, "Tidak" to that step;
- activity (rectangle): every other step;
- the arrows between consecutive steps, and from a decision's "Tidak" side back (or forward) to its target;
- connector (pentagon): at the bottom of a page whose flow continues on the next one, and again at the top
  of that page, both with the same letter.

Routing, kept simple and predictable:
- A step carried by several actors has its symbol in each of their columns, joined by a plain line.
- Between two consecutive rows, the flow leaves the step from its column nearest to the next step, runs
  sideways in the step's own row to the column of the next step (when it differs), then down into the next
  step's symbol, with an arrowhead.
- A decision's "Tidak" branch leaves the diamond sideways towards a column of the target step (never the
  decision's own column), then runs up or down that column and enters the target from below or above. When
  the way is not free (a symbol or another line in the way, the target on another page, or no other column),
  nothing is drawn for it: the cell then carries ``no_note`` ("Tidak: ke langkah N") instead.
- Pages (PDF only): a fixed number of steps per page. A table row's height depends on its text, so where a
  page would break cannot be known before WeasyPrint lays the page out; the document instead starts a new
  table on a new page every ``steps_per_page`` steps, small enough that the longest seed rows fit, and puts
  the connectors at those breaks.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

TERMINATOR = "terminator"
ACTIVITY = "activity"
DECISION = "decision"
CONNECTOR = "connector"

N, E, S, W = "n", "e", "s", "w"
OPPOSITE = {N: S, S: N, E: W, W: E}
SIDES = (N, E, S, W)


class FlowStep(Protocol):
    """What the layout reads of a step; ``ProcedureStep`` has it."""

    no: int
    actors: Sequence[str]
    no_branch_to: int | None


@dataclass
class FlowCell:
    """One actor column of one row."""

    symbol: str | None = None
    lines: set[str] = field(default_factory=set)
    # Sides where an arrowhead points into the symbol.
    arrows: set[str] = field(default_factory=set)
    # Branch labels of a decision, by the side the branch leaves from: {"s": "yes", "e": "no"}.
    labels: dict[str, str] = field(default_factory=dict)
    # A decision whose "Tidak" branch could not be drawn: the step it leads to.
    no_note: int | None = None
    # A page connector's letter.
    letter: str = ""

    @property
    def line_classes(self) -> str:
        """The CSS classes that draw the lines, in a fixed order: "pos-flow--n pos-flow--s"."""
        return " ".join(f"pos-flow--{side}" for side in SIDES if side in self.lines)

    @property
    def arrowheads(self) -> list[str]:
        return arrowheads(self)

    @property
    def label_yes(self) -> str:
        return next((side for side, label in self.labels.items() if label == "yes"), "")

    @property
    def label_no(self) -> str:
        return next((side for side, label in self.labels.items() if label == "no"), "")


@dataclass
class FlowRow:
    """A row of the grid: a step (``step`` set) or a page connector (``connector`` is "out" or "in")."""

    cells: list[FlowCell]
    step: Any = None
    kind: str = ""  # the step's symbol kind
    ends: str = ""  # a terminator's end of the procedure: "start" or "end"
    connector: str = ""
    # Where a decision's branches lead: "Ya" to the next step, "Tidak" to ``no_to``.
    yes_to: int | None = None
    no_to: int | None = None

    @property
    def is_step(self) -> bool:
        return self.step is not None


@dataclass
class FlowPage:
    rows: list[FlowRow]


def step_kind(step: FlowStep, *, first: bool, last: bool) -> str:
    """The symbol of a step: capsule for the first and last, diamond for a decision, else a rectangle."""
    if first or last:
        return TERMINATOR
    if step.no_branch_to is not None:
        return DECISION
    return ACTIVITY


def flowchart(
    steps: Sequence[FlowStep], columns: Sequence[str], *, steps_per_page: int | None = None
) -> list[FlowPage]:
    """Returns the flowchart of ``steps`` (in order) over the actor ``columns`` (actor codes, in order).

    Without ``steps_per_page`` everything is one page without connectors (the web page); with it, each page
    holds that many steps and the flow crosses each break through a pair of lettered connectors.
    Raises ValueError when a step names no actor of ``columns``.
    """
    steps = list(steps)
    if not steps:
        return []
    index = {code: position for position, code in enumerate(columns)}
    step_columns = []
    for step in steps:
        found = sorted(index[actor] for actor in step.actors if actor in index)
        if not found:
            raise ValueError(f"Step {step.no} names no actor of the columns {list(columns)}.")
        step_columns.append(found)
    numbers = [step.no for step in steps]
    size = steps_per_page if steps_per_page and steps_per_page > 0 else len(steps)
    chunks = [list(range(start, min(start + size, len(steps)))) for start in range(0, len(steps), size)]
    letters = iter(_letters())

    pages = []
    carried: tuple[str, int] | None = None  # (letter, column) of the connector that opens the next page
    for number, chunk in enumerate(chunks):
        nodes: list[tuple[FlowRow, list[int]]] = []
        if carried is not None:
            letter, column = carried
            nodes.append(_connector_row(len(columns), column, letter, "in"))
            carried = None
        for position in chunk:
            step = steps[position]
            kind = step_kind(step, first=position == 0, last=position == len(steps) - 1)
            row = FlowRow(cells=[FlowCell() for _ in columns], step=step, kind=kind)
            if kind == TERMINATOR:
                row.ends = "start" if position == 0 else "end"
            if kind == DECISION:
                row.yes_to = numbers[position + 1]
                row.no_to = step.no_branch_to
            for column in step_columns[position]:
                row.cells[column].symbol = kind
            _join(row, step_columns[position])
            nodes.append((row, step_columns[position]))
        if number < len(chunks) - 1:
            exit_column, _ = _nearest(step_columns[chunk[-1]], step_columns[chunk[-1] + 1])
            carried = (next(letters), exit_column)
            nodes.append(_connector_row(len(columns), exit_column, carried[0], "out"))

        rows = [row for row, _ in nodes]
        exits: dict[int, tuple[int, str]] = {}
        for at in range(len(nodes) - 1):
            start, end = _nearest(nodes[at][1], nodes[at + 1][1])
            exits[at] = (start, _route(rows, at, start, end))
        for at, row in enumerate(rows):
            if row.kind == DECISION:
                _branch_no(rows, nodes, at, exits.get(at))
        pages.append(FlowPage(rows=rows))
    return pages


def _letters():
    yield from string.ascii_uppercase
    for first in string.ascii_uppercase:
        for second in string.ascii_uppercase:
            yield first + second


def _connector_row(width: int, column: int, letter: str, connector: str) -> tuple[FlowRow, list[int]]:
    row = FlowRow(cells=[FlowCell() for _ in range(width)], connector=connector)
    row.cells[column].symbol = CONNECTOR
    row.cells[column].letter = letter
    return row, [column]


def _join(row: FlowRow, columns: list[int]) -> None:
    """A step carried by several actors: a plain line joins its symbols."""
    low, high = columns[0], columns[-1]
    for column in range(low, high + 1):
        if column > low:
            row.cells[column].lines.add(W)
        if column < high:
            row.cells[column].lines.add(E)


def _nearest(sources: list[int], targets: list[int]) -> tuple[int, int]:
    """The (source, target) pair of columns closest to each other; ties go to the leftmost."""
    return min(((a, b) for a in sources for b in targets), key=lambda pair: (abs(pair[0] - pair[1]), pair))


def _route(rows: list[FlowRow], at: int, start: int, end: int) -> str:
    """Draws the arrow from row ``at``, column ``start``, into row ``at + 1``, column ``end``; returns the side
    it leaves the symbol from."""
    here, below = rows[at].cells, rows[at + 1].cells
    if start == end:
        here[start].lines.add(S)
        leaves = S
    else:
        leaves = E if end > start else W
        here[start].lines.add(leaves)
        for column in range(min(start, end) + 1, max(start, end)):
            here[column].lines.update((E, W))
        here[end].lines.update((OPPOSITE[leaves], S))
    below[end].lines.add(N)
    below[end].arrows.add(N)
    return leaves


def _branch_no(rows: list[FlowRow], nodes, at: int, exit: tuple[int, str] | None) -> None:
    """Draws a decision's "Tidak" branch to its target step when the way is free (see the module notes)."""
    row = rows[at]
    if exit is None:  # a decision is never the last step; a paged chart always follows it with a row
        return
    exit_column, yes_side = exit
    row.cells[exit_column].labels[yes_side] = "yes"
    target_at = next((k for k, other in enumerate(rows) if other.is_step and other.step.no == row.no_to), None)
    drawn = False
    if target_at is not None:
        pairs = sorted(
            ((a, b) for a in nodes[at][1] for b in nodes[target_at][1] if a != b),
            key=lambda pair: (abs(pair[0] - pair[1]), pair),
        )
        for start, end in pairs:
            if _draw_no_branch(rows, at, target_at, start, end):
                row.cells[start].labels[E if end > start else W] = "no"
                drawn = True
                break
    if not drawn:
        row.cells[exit_column].no_note = row.no_to


def _draw_no_branch(rows: list[FlowRow], at: int, target_at: int, start: int, end: int) -> bool:
    side = E if end > start else W
    vertical = N if target_at < at else S  # the way the branch runs along the target's column
    here = rows[at].cells
    # The way must be free: no symbol on it, no line it would run along (crossing one is fine).
    if side in here[start].lines or side in here[start].labels:
        return False
    between = range(min(start, end) + 1, max(start, end))
    if any(here[c].symbol or here[c].lines & {E, W} for c in between):
        return False
    if here[end].symbol or here[end].lines:
        return False
    rows_between = range(min(at, target_at) + 1, max(at, target_at))
    if any(rows[k].cells[end].symbol or rows[k].cells[end].lines & {N, S} for k in rows_between):
        return False
    entry = OPPOSITE[vertical]  # the side of the target's symbol the branch enters by
    if entry in rows[target_at].cells[end].lines:
        return False

    here[start].lines.add(side)
    for column in between:
        here[column].lines.update((E, W))
    here[end].lines.update((OPPOSITE[side], vertical))
    for k in rows_between:
        rows[k].cells[end].lines.update((N, S))
    target = rows[target_at].cells[end]
    target.lines.add(entry)
    target.arrows.add(entry)
    return True


# Drawing geometry of one cell's SVG (viewBox 0 0 96 64, the cell's centre at 48,32): the templates draw the
# shapes; the arrowheads depend on the symbol's edges, so they are worked out here.
VIEW_WIDTH, VIEW_HEIGHT = 96, 64
CENTRE_X, CENTRE_Y = VIEW_WIDTH // 2, VIEW_HEIGHT // 2
# (top, right, bottom, left) edge of each symbol where a line meets it.
EDGES = {
    TERMINATOR: (18, 84, 46, 12),
    ACTIVITY: (18, 84, 46, 12),
    DECISION: (10, 80, 54, 16),
    CONNECTOR: (10, 64, 54, 32),
}
ARROW_LENGTH, ARROW_HALF_WIDTH = 7, 4


def arrowheads(cell: FlowCell) -> list[str]:
    """SVG polygon points of each arrowhead that points into the cell's symbol, in N, E, S, W order."""
    if cell.symbol is None:
        return []
    top, right, bottom, left = EDGES[cell.symbol]
    x, y, length, half = CENTRE_X, CENTRE_Y, ARROW_LENGTH, ARROW_HALF_WIDTH
    tips = {
        N: ((x - half, top - length), (x + half, top - length), (x, top)),
        E: ((right + length, y - half), (right + length, y + half), (right, y)),
        S: ((x - half, bottom + length), (x + half, bottom + length), (x, bottom)),
        W: ((left - length, y - half), (left - length, y + half), (left, y)),
    }
    return [" ".join(f"{px},{py}" for px, py in tips[side]) for side in SIDES if side in cell.arrows]
