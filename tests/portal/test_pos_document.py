"""The POS document (PermenPANRB 35/2012): the public page's flowchart and the PDF download."""

import re
from unittest import mock

import pytest
from django.urls import reverse

from jangkau.procedures.loader import DEFAULT_POS_FILE, load_procedure_file
from jangkau.procedures.models import Actor
from tests.builders import make_office
from tests.pdf_text import pdf_text
from tests.portal.test_pos_page import parse_table

SEED = load_procedure_file(DEFAULT_POS_FILE)


def compact(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def office(db):
    return make_office()


@pytest.fixture
def page_html(client, office):
    response = client.get(reverse("portal:pos", kwargs={"office_code": office.code}), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def pdf_response(client, office):
    return client.get(reverse("portal:pos_pdf", kwargs={"office_code": office.code}), HTTP_ACCEPT_LANGUAGE="id")


def actor_cells(html: str):
    """[(class attribute, text)] of the actor cells of each body row."""
    return [[(cell[1]["class"], cell[2]) for cell in row[2 : 2 + len(Actor)]] for row in parse_table(html).body_rows]


def test_page_has_every_step_and_one_column_per_actor(page_html):
    rows = parse_table(page_html).body_rows

    assert [row[0][2] for row in rows] == [str(step["no"]) for step in SEED["steps"]]
    for row, step in zip(rows, SEED["steps"], strict=True):
        assert row[1][2] == compact(step["activity"])
        assert row[7][2] == compact(step["output"])
        assert all("pos-flow" in cell[1]["class"] for cell in row[2:5])
    assert [cell[2] for cell in parse_table(page_html).head_rows[1][:3]] == [str(label) for label in Actor.labels]


def test_page_draws_a_symbol_in_each_actor_column_of_a_step(page_html):
    """Each carrying actor's cell has an SVG symbol; the others have none and say "Tidak"."""
    rows = re.findall(r"<tr>\s*<th scope=\"row\".*?</tr>", page_html, flags=re.S)
    assert len(rows) == len(SEED["steps"])
    for row, step in zip(rows, SEED["steps"], strict=True):
        cells = re.findall(r"<td class=\"pos-table__actor pos-flow[^\"]*\">(.*?)</td>", row, flags=re.S)
        for code, cell in zip(Actor.values, cells, strict=True):
            assert ("<svg" in cell) == (code in step["actors"]), (step["no"], code)


def test_page_uses_the_standard_symbols(page_html):
    """Capsules for the first and last steps, a diamond for the decision (step 2), rectangles otherwise,
    arrowheads between steps; the SVGs are decorative."""
    svgs = re.findall(r"<svg class=\"pos-flow__svg\".*?</svg>", page_html, flags=re.S)

    assert all('aria-hidden="true"' in svg for svg in svgs)
    capsules = [svg for svg in svgs if 'rx="14"' in svg]
    diamonds = [svg for svg in svgs if 'points="48,10 80,32 48,54 16,32"' in svg]
    rectangles = [svg for svg in svgs if "<rect" in svg and 'rx="14"' not in svg]
    # Step 1 (requester) and step 8 (PPID and ULT).
    assert len(capsules) == 3
    assert len(diamonds) == 1 and ">Ya</text>" in diamonds[0] and ">Tidak</text>" in diamonds[0]
    carried = sum(len(step["actors"]) for step in SEED["steps"])
    assert len(rectangles) == carried - 3 - 1
    assert sum(svg.count('class="pos-flow__arrow"') for svg in svgs) >= len(SEED["steps"])
    # No page connector on the web page: it is one table.
    assert 'points="32,10 64,10 64,40 48,54 32,40"' not in "".join(svgs)


def test_actor_cells_say_in_words_what_the_symbol_means(page_html):
    cells = actor_cells(page_html)

    ppid, ult, requester = (text for _, text in cells[0])
    assert requester == "Ya, mulai" and ppid == "Tidak" and ult == "Tidak"
    assert cells[1][1][1].endswith("Ya, keputusan: jika ya, lanjut ke langkah 3; jika tidak, ke langkah 1")
    assert cells[3][1][1] == "Ya, kegiatan"
    assert [text for _, text in cells[7]] == ["Ya, selesai", "Ya, selesai", "Tidak"]


def test_the_flow_lines_join_the_steps(page_html):
    """Step 1 (requester) to step 2 (ULT): out sideways, down into ULT; step 2's "Tidak" returns to step 1."""
    cells = actor_cells(page_html)

    assert cells[0][2][0].split()[2:] == ["pos-flow--s", "pos-flow--w"]
    assert cells[0][1][0].split()[2:] == ["pos-flow--e", "pos-flow--s"]
    assert cells[1][1][0].split()[2:] == ["pos-flow--n", "pos-flow--e", "pos-flow--s"]
    assert cells[1][2][0].split()[2:] == ["pos-flow--n", "pos-flow--w"]


def test_page_links_to_the_pdf(page_html, office):
    url = reverse("portal:pos_pdf", kwargs={"office_code": office.code})

    assert url == f"/kantor/{office.code}/pos.pdf"
    assert f'<a href="{url}" download>' in page_html


def test_pdf_has_the_identity_section_and_every_activity_and_output(pdf_response):
    assert pdf_response.status_code == 200
    assert pdf_response["Content-Type"] == "application/pdf"
    assert pdf_response["Content-Disposition"].startswith("attachment;")
    assert pdf_response["Cache-Control"] == "public, max-age=3600"
    text = compact(pdf_text(pdf_response.content))

    for words in (SEED["number"], SEED["title"], SEED["approver"]["name"], "7 Mei 2024", "1 Juni 2024"):
        assert words in text
    for item in SEED["legal_basis"] + SEED["warnings"]:
        assert compact(item) in text
    for step in SEED["steps"]:
        assert compact(step["activity"]) in text, step["no"]
        assert compact(step["output"]) in text, step["no"]
        assert step["standard_label"] in text
    for label in Actor.labels:
        assert str(label) in text


def test_pdf_draws_the_flowchart_and_joins_its_pages_with_connectors(client, office):
    """Four steps a page: the flow leaves the first step page through connector A and comes back on the next
    through it; the symbols are SVG in the document WeasyPrint draws."""
    from jangkau.core.pdf import html_to_pdf

    documents = []

    def capture(html):
        documents.append(html)
        return html_to_pdf(html)

    with mock.patch("jangkau.portal.views.html_to_pdf", side_effect=capture):
        response = client.get(reverse("portal:pos_pdf", kwargs={"office_code": office.code}))
    text = compact(pdf_text(response.content))
    (html,) = documents

    assert "Bersambung ke halaman berikutnya (A)" in text
    assert "Sambungan dari halaman sebelumnya (A)" in text
    assert "Halaman 3 / 3" in text
    # The SVG's own text: the decision's branch label and the connectors' letter, drawn glyph by glyph.
    assert "Tidak" in text.replace(" ", "")
    assert html.count('points="32,10 64,10 64,40 48,54 32,40"') == 2 + 1  # two connectors and the legend
    assert html.count('points="48,10 80,32 48,54 16,32"') == 1 + 1  # step 2 and the legend
    assert html.count('rx="14"') == 3 + 1  # step 1, step 8 twice, the legend
    assert html.count('class="pos-flow__arrow"') >= len(SEED["steps"])
    assert html.count("<svg") == sum(len(step["actors"]) for step in SEED["steps"]) + 2 + 5


def test_pdf_fetches_nothing(client, office):
    """Everything the document needs is inline: WeasyPrint is asked for data: URIs (the flow lines) only."""
    from weasyprint.urls import URLFetcher

    with mock.patch.object(URLFetcher, "fetch", autospec=True, side_effect=URLFetcher.fetch) as fetch:
        response = client.get(reverse("portal:pos_pdf", kwargs={"office_code": office.code}))

    assert response.status_code == 200
    urls = [call.args[1] for call in fetch.call_args_list]
    assert urls, "the flow lines are data: images"
    assert all(url.startswith("data:") for url in urls), urls


def test_pdf_of_an_unknown_office_is_404(client, db):
    assert client.get(reverse("portal:pos_pdf", kwargs={"office_code": "tidak-ada"})).status_code == 404


def test_pdf_of_an_office_without_a_pos_is_404(client, office):
    office.procedure_versions.update(status="retired")

    assert client.get(reverse("portal:pos_pdf", kwargs={"office_code": office.code})).status_code == 404
