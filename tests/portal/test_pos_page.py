"""The public POS page of an office, through Django's test client."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from jangkau.offices.models import Office
from jangkau.procedures.models import ProcedureVersion
from tests.builders import make_office

SEED_ACTIVITIES = (
    "Permintaan layanan melalui saluran resmi layanan publik",
    "Mencatat dan merekap permintaan layanan",
    "Koordinasi dengan Tim PPID",
    "Menghubungi pengguna layanan kelompok rentan",
    "Memberikan layanan kepada kelompok rentan",
    "Menerima layanan dan memberikan umpan balik",
    "Menerima umpan balik dan merekap hasil survei",
    "Evaluasi pelaksanaan layanan kepada kelompok rentan",
)


class TableParser(HTMLParser):
    """Collects the header and body rows of the page's step table as lists of (tag, attrs, text) cells."""

    def __init__(self):
        super().__init__()
        self.section = None
        self.head_rows, self.body_rows = [], []
        self.cell = None
        self.caption = None
        self.in_caption = False
        self.region = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and "table-scroll" in (attrs.get("class") or ""):
            self.region = attrs
        if tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr" and self.section:
            (self.head_rows if self.section == "thead" else self.body_rows).append([])
        elif tag in ("th", "td") and self.section:
            self.cell = [tag, attrs, ""]
        elif tag == "caption":
            self.in_caption, self.caption = True, {"id": attrs.get("id"), "text": ""}

    def handle_endtag(self, tag):
        if tag in ("thead", "tbody"):
            self.section = None
        elif tag in ("th", "td") and self.cell is not None:
            rows = self.head_rows if self.section == "thead" else self.body_rows
            rows[-1].append((self.cell[0], self.cell[1], " ".join(self.cell[2].split())))
            self.cell = None
        elif tag == "caption":
            self.in_caption = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[2] += data
        if self.in_caption:
            self.caption["text"] += data


def parse_table(html: str) -> TableParser:
    parser = TableParser()
    parser.feed(html)
    return parser


@pytest.fixture
def office(db):
    return make_office()


@pytest.fixture
def pos_page(client, office):
    return client.get(reverse("portal:pos", kwargs={"office_code": office.code}), HTTP_ACCEPT_LANGUAGE="id")


def test_pos_page_shows_the_identity_section(pos_page):
    """200 with the POS number, its dates in Indonesian, the approver and the six lists as ordered lists."""
    html = pos_page.content.decode()

    assert pos_page.status_code == 200
    assert html.count("<h1") == 1
    assert "PMP-07.01.CFM 02/Manual.0332/C7.16/OT.02.02/2024" in html
    assert '<dl class="summary-list">' in html
    for words in ("7 Mei 2024", "28 Mei 2024", "1 Juni 2024", "Moch. Saiful Somad", "19741062003121001"):
        assert words in html
    for heading in (
        "Dasar Hukum",
        "Kualifikasi Pelaksana",
        "Keterkaitan",
        "Peralatan/Perlengkapan",
        "Peringatan",
        "Pencatatan dan Pendataan",
    ):
        assert f"<h3>{heading}</h3>" in html
    assert "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik" in html
    assert "Setiap permintaan diukur terhadap waktu standar ini" in html


def test_pos_page_step_table_has_every_activity_and_time(pos_page):
    """The step table lists the 8 activities in order with the standard times as printed."""
    table = parse_table(pos_page.content.decode())

    assert len(table.body_rows) == 8
    for no, (row, activity) in enumerate(zip(table.body_rows, SEED_ACTIVITIES, strict=True), start=1):
        assert row[0][:2] == ("th", {"scope": "row", "class": "pos-table__no"})
        assert row[0][2] == str(no)
        assert row[1][2].startswith(activity)
    times = [row[6][2] for row in table.body_rows]
    assert times[4] == "± 10 menit"
    assert times[5] == "1 s.d. 3 hari"


def test_pos_page_step_table_has_a_caption_region_and_two_row_header(pos_page):
    """A captioned table in a focusable region named by the caption; Pelaksana and Mutu Baku group columns."""
    table = parse_table(pos_page.content.decode())

    assert table.caption["id"]
    assert "Pelayanan Jemput Bola Bagi Kelompok Rentan" in table.caption["text"]
    assert table.region == {
        "class": "table-scroll",
        "role": "region",
        "aria-labelledby": table.caption["id"],
        "tabindex": "0",
    }
    first, second = table.head_rows
    assert [(cell[1].get("scope"), cell[2]) for cell in first] == [
        ("col", "No."),
        ("col", "Kegiatan"),
        ("colgroup", "Pelaksana"),
        ("colgroup", "Mutu Baku"),
        ("col", "Keterangan"),
    ]
    assert first[2][1]["colspan"] == "3" and first[3][1]["colspan"] == "3"
    assert [cell[2] for cell in second] == [
        "Tim PPID",
        "Petugas ULT",
        "Pengguna Layanan Kelompok Rentan",
        "Kelengkapan",
        "Waktu",
        "Output",
    ]
    assert all(cell[1].get("scope") == "col" for cell in second)


def test_actor_cells_say_yes_or_no_in_text_not_only_with_a_mark(pos_page):
    """Step 3 is carried by Tim PPID and Petugas ULT, not by the requester; each cell says so in words (the
    flowchart symbol that marks it is decorative)."""
    html = pos_page.content.decode()
    step3 = parse_table(html).body_rows[2]

    ppid, ult, requester = (cell[2] for cell in step3[2:5])
    assert ppid == "Ya, kegiatan"
    assert ult == "Ya, kegiatan"
    assert requester == "Tidak"
    assert '<span class="visually-hidden">Ya, kegiatan</span>' in html
    assert '<span class="visually-hidden">Tidak</span>' in html


def test_seed_actor_mapping_is_shown_for_every_step(pos_page):
    """Every row shows exactly the actors of its step (the POS data), in the seed's column order."""
    rows = parse_table(pos_page.content.decode()).body_rows
    marks = [tuple("Ya," in cell[2] for cell in row[2:5]) for row in rows]

    assert marks == [
        (False, False, True),
        (False, True, False),
        (True, True, False),
        (False, True, False),
        (True, True, False),
        (False, False, True),
        (False, True, False),
        (True, True, False),
    ]


def test_the_inference_note_is_not_on_the_public_page(pos_page):
    html = pos_page.content.decode()

    assert "disimpulkan" not in html and "inferred" not in html


def test_unknown_office_is_404(client, db):
    response = client.get(reverse("portal:pos", kwargs={"office_code": "tidak-ada"}))

    assert response.status_code == 404


def test_inactive_office_is_404(client, office):
    office.is_active = False
    office.save()

    response = client.get(reverse("portal:pos", kwargs={"office_code": office.code}))

    assert response.status_code == 404


def test_office_without_a_pos_is_404(client, db):
    Office.objects.create(code="tanpa-pos", name="Kantor Tanpa POS")

    response = client.get(reverse("portal:pos", kwargs={"office_code": "tanpa-pos"}))

    assert response.status_code == 404


def test_office_whose_pos_was_retired_is_404(client, office):
    ProcedureVersion.objects.filter(office=office).update(status=ProcedureVersion.Status.RETIRED)

    response = client.get(reverse("portal:pos", kwargs={"office_code": office.code}))

    assert response.status_code == 404


def test_home_links_to_the_pos_of_the_office(client, office):
    html = client.get(reverse("portal:home")).content.decode()

    url = reverse("portal:pos", kwargs={"office_code": office.code})
    assert f'<a href="{url}">Lihat Prosedur Operasional Standar (POS) layanan ini</a>' in html


def test_home_skips_offices_without_a_pos(client, db):
    """The first office (by name) has no POS: the link goes to the one that has."""
    Office.objects.create(code="aaa", name="AAA Kantor Tanpa POS")
    office = make_office()

    html = client.get(reverse("portal:home")).content.decode()

    assert reverse("portal:pos", kwargs={"office_code": office.code}) in html
    assert reverse("portal:pos", kwargs={"office_code": "aaa"}) not in html


def test_home_has_no_pos_link_without_any_pos(client, db):
    html = client.get(reverse("portal:home")).content.decode()

    assert "Prosedur Operasional Standar" not in html
