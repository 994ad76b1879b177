"""Horizontal bar charts as inline SVG strings (pure: no database, no template, nothing fetched).

The periodic evaluation draws its volumes and the steps' median time against the POS standard with these,
on the page and in the PDF (WeasyPrint draws inline SVG). Each chart is an image named for screen readers:
``role="img"`` with a ``<title>`` and a ``<desc>`` that lists every number; the page puts the same numbers
in a table right beside it. Every piece of text is escaped, so a service or area name typed as markup stays
text. Coordinates are written with a dot whatever the language, since "12,5" is no SVG number.

Layout: each row has its label on a line of its own over the bars (long labels do not squeeze the plot,
and the chart still reads at 320 px), then one bar per series with its value written after the bar.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 480
LEFT = 4
RIGHT_ROOM = 110  # room for the value written after the longest bar
TOP = 6
LABEL_HEIGHT = 20
BAR_HEIGHT = 16
BAR_GAP = 4
ROW_GAP = 10
FONT_SIZE = 14
# Longer labels are cut with an ellipsis in the drawing; the table beside it has them whole.
LABEL_MAX = 58
# Colours with at least 4.5:1 contrast on white (the second series is lighter but still readable).
COLOURS = ("#0b3a75", "#6f5400", "#1d5e20")
TEXT = "#0b0c0c"


@dataclass(frozen=True)
class ChartRow:
    """One row of the chart: its label and one value per series (None: no value, no bar), with the text
    written after each bar (default: the value itself)."""

    label: str
    values: tuple[float | None, ...]
    texts: tuple[str, ...] = ()

    def text(self, index: int) -> str:
        if index < len(self.texts):
            return self.texts[index]
        value = self.values[index]
        return "—" if value is None else f"{value:g}"


def _num(value: float) -> str:
    return f"{value:.1f}"


def _safe_id(chart_id: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id) or "chart"
    return cleaned if cleaned[0].isalpha() else f"c-{cleaned}"


def _short(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1].rstrip() + "…"


def scale_max(rows: Sequence[ChartRow]) -> float:
    """The largest value drawn (0 when there is none): the full width of the plot."""
    values = [value for row in rows for value in row.values if value is not None and value > 0]
    return max(values, default=0.0)


def bar_length(value: float | None, largest: float, plot_width: float = WIDTH - LEFT - RIGHT_ROOM) -> float:
    """The length of the bar of ``value``: proportional to it, the largest value filling ``plot_width``;
    0 for no value, a negative one, or when every value is 0."""
    if value is None or value <= 0 or largest <= 0:
        return 0.0
    return plot_width * value / largest


def description(rows: Sequence[ChartRow], series: Sequence[str] = ()) -> str:
    """The numbers of the chart in words, for its ``<desc>``: "Label: value; Label: value" (with the series'
    names when there are several)."""
    parts = []
    for row in rows:
        if len(row.values) > 1 and series:
            values = ", ".join(f"{name} {row.text(i)}" for i, name in enumerate(series[: len(row.values)]))
        else:
            values = row.text(0) if row.values else "—"
        parts.append(f"{' '.join(row.label.split())}: {values}")
    return "; ".join(parts)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    rows: Sequence[ChartRow],
    series: Sequence[str] = (),
    note: str = "",
    empty_text: str = "",
) -> str:
    """Returns a horizontal bar chart as an ``<svg>`` element.

    ``series`` names the bars of each row when there are several (a legend is drawn); ``note`` is added to
    the description (e.g. "The same numbers are in the table"); ``empty_text`` is written when there are no
    rows at all. Bars are proportional to the values, the largest filling the plot.
    """
    cid = _safe_id(chart_id)
    per_row = max((len(row.values) for row in rows), default=1) or 1
    row_height = LABEL_HEIGHT + per_row * BAR_HEIGHT + (per_row - 1) * BAR_GAP + ROW_GAP
    legend_height = LABEL_HEIGHT + 4 if len(series) > 1 else 0
    body_height = row_height * len(rows) if rows else LABEL_HEIGHT + ROW_GAP
    height = TOP + legend_height + body_height
    largest = scale_max(rows)
    desc = description(rows, series) if rows else empty_text
    if note:
        desc = f"{desc}. {note}" if desc else note

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{cid}-title" aria-describedby="{cid}-desc" focusable="false" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="{FONT_SIZE}" class="chart">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]
    y = TOP
    if len(series) > 1:
        x = LEFT
        for index, name in enumerate(series):
            colour = COLOURS[index % len(COLOURS)]
            parts.append(f'<rect x="{_num(x)}" y="{_num(y + 3)}" width="12" height="12" fill="{colour}"/>')
            parts.append(f'<text x="{_num(x + 16)}" y="{_num(y + 14)}" fill="{TEXT}">{escape(name)}</text>')
            x += 16 + 9 * len(name) + 18
        y += legend_height
    if not rows:
        parts.append(f'<text x="{LEFT}" y="{_num(y + 15)}" fill="{TEXT}">{escape(empty_text)}</text>')
    for row in rows:
        parts.append(
            f'<text x="{LEFT}" y="{_num(y + 15)}" fill="{TEXT}" font-weight="bold">{escape(_short(row.label))}</text>'
        )
        bar_y = y + LABEL_HEIGHT
        for index, value in enumerate(row.values):
            length = bar_length(value, largest)
            colour = COLOURS[index % len(COLOURS)]
            parts.append(
                f'<rect x="{LEFT}" y="{_num(bar_y)}" width="{_num(length)}" height="{BAR_HEIGHT}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{_num(LEFT + length + 6)}" y="{_num(bar_y + BAR_HEIGHT - 3)}" fill="{TEXT}">'
                f"{escape(row.text(index))}</text>"
            )
            bar_y += BAR_HEIGHT + BAR_GAP
        y += row_height
    parts.append("</svg>")
    return "".join(parts)
