"""The SVG bar charts (pure): labels and titles escaped, bars proportional to the values, no data drawn
without dividing by zero, and an image named for screen readers whose description lists every number."""

import re
from xml.etree import ElementTree

from jangkau.reports.charts import LABEL_MAX, ChartRow, bar_chart, bar_length, description, scale_max

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str):
    return ElementTree.fromstring(svg)


def bar_widths(svg: str) -> list[float]:
    return [float(rect.get("width")) for rect in parse(svg).iter(f"{SVG}rect") if rect.get("height") == "16"]


def test_labels_titles_and_texts_are_escaped():
    svg = bar_chart(
        chart_id='x" onload="alert(1)',
        title="<script>alert('t')</script>",
        rows=[ChartRow('Kec. <b>"Tebet"</b> & sekitarnya', (3.0,), ("3 <kasus>",))],
    )

    root = parse(svg)  # well-formed XML: nothing broke out of its text or attribute
    assert "<script>" not in svg and "<b>" not in svg and "onload" not in root.attrib
    assert root.find(f"{SVG}title").text == "<script>alert('t')</script>"
    assert 'Kec. <b>"Tebet"</b> & sekitarnya: 3 <kasus>' in root.find(f"{SVG}desc").text
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*-title", root.get("aria-labelledby"))


def test_the_chart_is_an_image_named_by_its_title_and_described_by_its_numbers():
    svg = bar_chart(chart_id="chart-channel", title="Menurut saluran", rows=[ChartRow("Web", (2.0,), ("2",))],
                    note="Angka yang sama ada pada tabel.")  # fmt: skip

    root = parse(svg)
    assert (root.get("role"), root.get("aria-labelledby"), root.get("aria-describedby")) == (
        "img",
        "chart-channel-title",
        "chart-channel-desc",
    )
    assert root.find(f"{SVG}desc").text == "Web: 2. Angka yang sama ada pada tabel."


def test_bar_lengths_are_proportional_to_the_values():
    rows = [ChartRow("A", (10.0,)), ChartRow("B", (5.0,)), ChartRow("C", (2.5,)), ChartRow("D", (None,))]

    widths = bar_widths(bar_chart(chart_id="c", title="t", rows=rows))

    assert widths[0] > 0
    assert widths[1] == widths[0] / 2 and widths[2] == widths[0] / 4 and widths[3] == 0
    assert bar_length(10, 10, 300) == 300 and bar_length(3, 12, 300) == 75


def test_two_series_share_one_scale_and_have_a_legend():
    svg = bar_chart(
        chart_id="steps",
        title="Median dan standar",
        rows=[ChartRow("Langkah 2", (4.0, 5.0), ("4 menit", "5 menit")), ChartRow("Langkah 3", (12.0, 10.0))],
        series=("Median", "Waktu standar"),
    )

    widths = bar_widths(svg)
    assert widths == [widths[2] * 4 / 12, widths[2] * 5 / 12, widths[2], widths[2] * 10 / 12]
    texts = [text.text for text in parse(svg).iter(f"{SVG}text")]
    assert texts[:2] == ["Median", "Waktu standar"]
    assert parse(svg).find(f"{SVG}desc").text.startswith("Langkah 2: Median 4 menit, Waktu standar 5 menit")


def test_zero_and_no_data_are_drawn_without_bars():
    zeros = bar_chart(chart_id="z", title="Nol", rows=[ChartRow("A", (0.0,)), ChartRow("B", (0.0,))])
    empty = bar_chart(chart_id="e", title="Kosong", rows=[], empty_text="Tidak ada data.")

    assert bar_widths(zeros) == [0.0, 0.0] and scale_max([]) == 0
    assert parse(empty).find(f"{SVG}desc").text == "Tidak ada data."
    assert "Tidak ada data." in [text.text for text in parse(empty).iter(f"{SVG}text")]


def test_long_labels_are_cut_in_the_drawing_but_whole_in_the_description():
    label = "Penyandang disabilitas sensorik netra (tunanetra) yang tinggal jauh dari kantor layanan"

    root = parse(bar_chart(chart_id="l", title="t", rows=[ChartRow(label, (1.0,))]))

    drawn = [text.text for text in root.iter(f"{SVG}text")][0]
    assert len(drawn) == LABEL_MAX and drawn.endswith("…")
    assert label in root.find(f"{SVG}desc").text
    assert description([ChartRow("A", (None,))]) == "A: —"


def test_coordinates_use_a_dot_whatever_the_language():
    svg = bar_chart(chart_id="d", title="t", rows=[ChartRow("A", (1.0,)), ChartRow("B", (3.0,))])

    for match in re.finditer(r' (?:x|y|width)="([^"]*)"', svg):
        if match.group(1) != "100%":  # the <svg> element's own width
            assert re.fullmatch(r"\d+(\.\d)?", match.group(1)), match.group(0)
