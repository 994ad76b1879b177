"""The survey recap of a period (POS step 7): its numbers, its XLSX and its PDF agree with ``manage.py ikm``
to the digit; the profile, the weakest elements, the suggestions and the chart are built from the
responses of the office alone."""

import io
import json
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from openpyxl import load_workbook

from jangkau.audit.models import AuditEvent
from jangkau.surveys import recap as recaps
from jangkau.surveys.ikm import ikm_of
from jangkau.surveys.imports import skm_import
from jangkau.surveys.models import Invitation
from jangkau.surveys.services import survey_answer_online, survey_record_by_officer
from tests.pdf_text import pdf_text
from tests.surveys.test_import import csv_bytes
from tests.surveys.test_reports import ROWS, _answers, _delivered

pytestmark = pytest.mark.django_db

JANUARY = {"date_from": "2025-01-01", "date_to": "2025-01-31"}
PAGE, XLSX, PDF = "/staf/survei/rekap/", "/staf/survei/rekap/unduh.xlsx", "/staf/survei/rekap/unduh.pdf"

# Four paper forms typed in: sevenths and more, so the NRRs have many decimals.
IMPORTED = (
    "2025-01-02,L,19,sma,student,3,2,2,4,3,3,4,2,3,Antrean di loket lama,",
    "2025-01-03,P,45,d4_s1,pns,4,3,2,4,4,3,4,1,2,,",
    "2025-01-04,P,60,sd,other,2,3,3,4,3,4,3,2,3,Tolong sediakan kursi roda,",
    "2025-01-05,L,33,s2,private,4,4,3,4,3,3,4,3,2,,",
)


def _ikm_json(office, start="2025-01-01", end="2025-01-31", *extra) -> dict:
    out = StringIO()
    call_command("ikm", "--office", office.code, "--from", start, "--to", end, *extra, stdout=out)
    return json.loads(out.getvalue())


def shown(value: float, places: int) -> str:
    """``value`` as the Indonesian page writes it: rounded half up to ``places`` decimals, decimal comma."""
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return str(exact).replace(".", ",")


@pytest.fixture
def january(world, other_world, frozen):
    """Seven respondents of the office in January 2025 (three through cases, four typed in), a case served
    but not answered, a paper form of December, and another office's respondent."""
    for row, mode in zip(ROWS, ("paper", "assisted", "paper"), strict=True):
        survey_record_by_officer(case=_delivered(world), actor=world.ult, mode=mode, data=_answers(row))
    _delivered(world)
    report = skm_import(
        office=world.office,
        filename="skm.csv",
        content=csv_bytes(*IMPORTED, "2024-12-31,L,50,smp,self_employed,1,1,1,1,1,1,1,1,1,Desember,"),
    )
    assert report.imported == 5
    survey_record_by_officer(
        case=_delivered(other_world),
        actor=other_world.ult,
        mode="paper",
        data={**_answers([1] * 9), "suggestion": "Saran kantor lain"},
    )


# --- Done when: the recap, its XLSX and its PDF agree with manage.py ikm ----------------------------------


def test_the_page_the_xlsx_and_the_pdf_agree_with_manage_py_ikm(client, world, january):
    """Given a month of answers, the page's figures, the XLSX read back with openpyxl and the PDF's text all
    carry the numbers ``manage.py ikm`` prints for the same period."""
    printed = _ikm_json(world.office)
    assert printed["respondents"] == 7 and printed["population_served"] == 4  # the data is what it claims
    client.force_login(world.head)

    page = client.get(PAGE, JANUARY).content.decode()

    def figure(name):
        return re.search(rf'data-figure="{name}">([^<]*)<', page).group(1)

    assert figure("respondents") == str(printed["respondents"])
    assert figure("population_served") == str(printed["population_served"])
    assert figure("sample_required") == str(printed["sample_required"])
    assert figure("sample_sufficient") == ("tercapai" if printed["sample_sufficient"] else "belum tercapai")
    assert figure("ikm") == shown(printed["ikm"], 4)
    assert figure("ikm_converted") == shown(printed["ikm_converted"], 2)
    assert (figure("grade"), figure("performance")) == (printed["grade"], printed["performance"])
    for element in printed["unsur"]:
        row = re.search(rf'<tr data-element="{element["code"]}">(.*?)</tr>', page, re.S).group(1)
        assert f"<td>{element['name']}</td>" in row
        assert f'<td data-value="nrr">{shown(element["nrr"], 4)}</td>' in row
        assert f'<td data-value="nrr_weighted">{shown(element["nrr_weighted"], 4)}</td>' in row

    workbook = load_workbook(io.BytesIO(client.get(XLSX, JANUARY).content))
    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(values_only=True) if row[0]}
    assert summary["Responden"] == printed["respondents"]
    assert summary["Jumlah orang dilayani (N)"] == printed["population_served"]
    assert summary["Sampel minimum (Krejcie–Morgan)"] == printed["sample_required"]
    assert summary["Sampel tercapai"] == ("Ya" if printed["sample_sufficient"] else "Belum")
    assert summary["IKM (skala 1–4)"] == printed["ikm"]  # exact to the JSON's ten decimals
    assert summary["IKM konversi (25–100)"] == printed["ikm_converted"]
    assert (summary["Mutu pelayanan"], summary["Kinerja unit pelayanan"]) == (printed["grade"], printed["performance"])
    elements = list(workbook["Unsur"].iter_rows(values_only=True))
    assert elements[0] == ("Kode", "Unsur", "Jumlah jawaban", "NRR", "NRR tertimbang")
    assert [
        {"code": code, "name": name, "nrr": nrr, "nrr_weighted": weighted}
        for code, name, _answered, nrr, weighted in elements[1:10]
    ] == printed["unsur"]
    assert elements[10][1:] == ("IKM (jumlah NRR tertimbang)", None, None, printed["ikm"])

    text = pdf_text(client.get(PDF, JANUARY).content)
    assert f"Responden\n{printed['respondents']}\n" in text
    assert f"Jumlah orang dilayani (N)\n{printed['population_served']}\n" in text
    assert f"Sampel minimum (Krejcie–Morgan)\n{printed['sample_required']}\n" in text
    assert f"IKM (skala 1–4)\n{shown(printed['ikm'], 4)}\n" in text
    assert f"IKM konversi (25–100)\n{shown(printed['ikm_converted'], 2)}\n" in text
    assert f"Mutu pelayanan\n{printed['grade']}\nKinerja unit pelayanan\n{printed['performance']}\n" in text
    for element in printed["unsur"]:
        answered = 7
        assert (
            f"{element['code']}\n{element['name']}\n{answered}\n{shown(element['nrr'], 4)}\n"
            f"{shown(element['nrr_weighted'], 4)}\n"
        ) in text
    assert "1 Januari 2025 s.d. 31 Januari 2025" in text and "BPMP Provinsi DKI Jakarta" in text


def test_the_files_of_one_service_agree_with_manage_py_ikm_for_that_service(client, world, january):
    """With a service chosen, the XLSX holds that service's figures, as ``ikm --service`` prints them: only
    the answers given through its cases (the typed-in forms have none)."""
    printed = _ikm_json(world.office, "2025-01-01", "2025-01-31", "--service", world.service.code)
    client.force_login(world.ult)

    workbook = load_workbook(io.BytesIO(client.get(XLSX, {**JANUARY, "service_type": world.service.code}).content))

    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(values_only=True) if row[0]}
    assert summary["Responden"] == printed["respondents"] == 3
    assert summary["IKM (skala 1–4)"] == printed["ikm"] and summary["Jenis layanan"] == world.service.name
    assert [row[3] for row in workbook["Unsur"].iter_rows(min_row=2, max_row=10, values_only=True)] == [
        element["nrr"] for element in printed["unsur"]
    ]


def test_the_pdf_draws_the_chart_and_lists_the_profile_weakest_and_suggestions(client, world, january):
    """The PDF carries the chart (inline SVG: its axis is in the text), the weakest three, the profile and
    the suggestions, newest first; December's and the other office's are not in it."""
    client.force_login(world.head)

    text = pdf_text(client.get(PDF, JANUARY).content)

    assert "\n0\n1\n2\n3\n4\nU\n1\n" in text  # the chart's axis and first label, drawn from the SVG
    weakest = recaps.survey_recap(world.office, date(2025, 1, 1), date(2025, 1, 31)).weakest
    assert [row.code for row in weakest] == ["U8", "U9", "U3"]
    assert "U8 Penanganan Pengaduan, Saran dan Masukan: NRR 2,2857" in text
    assert "Jenis kelamin" in text and "Wawancara terbantu" in text and "Kurang bebas" in text
    assert text.index("Tolong sediakan kursi roda") < text.index("Antrean di loket lama")
    assert "Desember" not in text and "Saran kantor lain" not in text


def test_the_recap_html_holds_an_accessible_svg_chart():
    """The chart is inline SVG named by its title and description, with one bar per element."""
    result = ikm_of([[4, 3, 2, 1, 4, 3, 2, 1, 4]], population_served=1)
    rows = recaps.element_rows(result, {})

    svg = render_to_string("surveys/ikm_chart.html", {"chart": recaps.element_chart(rows), "chart_id": "c"})

    assert 'role="img" aria-labelledby="c-title" aria-describedby="c-desc"' in svg
    assert '<title id="c-title">Grafik NRR per unsur (skala 1–4)</title>' in svg
    assert "U1: 4,0000; U2: 3,0000; U3: 2,0000; U4: 1,0000;" in svg
    assert svg.count("<rect ") == 9


def test_the_chart_coordinates_are_never_localised():
    """Indonesian writes 12,5 for 12.5, which is no SVG coordinate: coordinates stay in dots and bars are
    proportional to the NRR on the 0-4 axis."""
    result = ikm_of([[4, 3, 2, 1, 4, 3, 2, 1, 3], [4, 3, 2, 1, 4, 3, 2, 2, 4]], population_served=2)
    chart = recaps.element_chart(recaps.element_rows(result, {}))

    svg = render_to_string("surveys/ikm_chart.html", {"chart": chart, "chart_id": "c"})

    coordinates = re.findall(r'\b(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', svg)
    assert coordinates and all(re.fullmatch(r"[\d.%]+", value) for value in coordinates)
    widths = [float(bar.width) for bar in chart.bars]
    full = chart.plot_right - chart.left
    assert widths[0] == full and widths[1] == full * 3 / 4 and widths[3] == full / 4
    assert widths[7] == pytest.approx(full * 1.5 / 4, abs=0.05)
    assert "U8: 1,5000" in svg


# --- the parts --------------------------------------------------------------------------------------------


def test_the_profile_counts_every_category_and_the_age_bands_at_their_edges(world, frozen):
    """Ages 19/20, 29/30, 39/40, 49/50, 59/60 fall in their bands; every category is listed, empty ones
    with 0; percentages are of all respondents, one decimal, half up; the modes are counted."""
    ages = [19, 20, 29, 30, 39, 40, 49, 50, 59, 60, 88]
    lines = [f"2025-01-0{1 + n % 5},{'LP'[n % 2]},{age},sma,pns,3,3,3,3,3,3,3,3,3,," for n, age in enumerate(ages)]
    lines[0] = lines[0].replace(",sma,pns,", ",s2,tni_polri,")
    skm_import(office=world.office, filename="skm.csv", content=csv_bytes(*lines))
    survey_record_by_officer(case=_delivered(world), actor=world.ult, mode="assisted", data=_answers([2] * 9))
    online = _delivered(world)
    survey_answer_online(token=Invitation.objects.get(case=online).token, data=_answers([4] * 9))

    groups = {
        group.key: group
        for group in recaps.profile_breakdown(
            recaps.reports.period_responses(world.office, date(2025, 1, 1), date(2025, 1, 31))
        )
    }

    def counts(key):
        return {row.code: row.count for row in groups[key].rows}

    assert list(groups) == ["sex", "age", "education", "occupation", "mode"]
    assert all(group.total == 13 for group in groups.values())
    assert counts("age") == {"<20": 1, "20–29": 2, "30–39": 2, "40–49": 2, "50–59": 2, "60+": 4}  # ANSWERS: 67
    assert counts("sex") == {"L": 6, "P": 7}
    assert counts("education") == {"sd": 2, "smp": 0, "sma": 10, "d1_d3": 0, "d4_s1": 0, "s2": 1}
    assert counts("occupation") == {"pns": 10, "tni_polri": 1, "private": 0, "self_employed": 0, "student": 0,
                                    "other": 2}  # fmt: skip
    assert counts("mode") == {"online": 1, "paper": 11, "assisted": 1}
    percents = {row.code: row.percent for row in groups["sex"].rows}
    assert percents == {"L": Decimal("46.2"), "P": Decimal("53.8")}  # 6/13 = 46.15..., 7/13 = 53.84...
    assert [row.less_free for row in groups["mode"].rows] == [False, False, True]


def test_a_period_without_respondents_has_zero_counts_no_percentages_and_no_weakest(world, frozen):
    recap = recaps.survey_recap(world.office, date(2025, 1, 1), date(2025, 1, 31))

    assert recap.respondents == 0 and recap.ikm_shown is None and recap.weakest == []
    assert all(row.count == 0 and row.percent is None for group in recap.profile for row in group.rows)
    assert recap.suggestions == []


def test_the_weakest_three_are_the_lowest_nrr_with_ties_in_code_order():
    """Given U7 lowest and U3, U6, U9 tied next, the weakest three are U7, U3, U6: U9 loses the tie by code."""
    answers = [[4, 4, 2, 4, 4, 2, 1, 4, 2], [4, 3, 2, 4, 4, 2, 1, 4, 2]]
    rows = recaps.element_rows(ikm_of(answers, population_served=2), {"U7": "Perilaku Pelaksana"})

    weakest = recaps.weakest_elements(rows)

    assert [(row.code, row.nrr) for row in weakest] == [("U7", Fraction(1)), ("U3", Fraction(2)), ("U6", Fraction(2))]
    assert weakest[0].name == "Perilaku Pelaksana" and weakest[1].name == "U3"
    # The order the rows come in changes nothing: ties go by code.
    assert [row.code for row in recaps.weakest_elements(list(reversed(rows)))] == ["U7", "U3", "U6"]


def test_suggestions_are_the_written_ones_newest_first(world, frozen):
    """Blank suggestions are left out; the newest day comes first, and on one day the last recorded."""
    skm_import(
        office=world.office,
        filename="skm.csv",
        content=csv_bytes(
            "2025-01-02,L,30,sma,pns,3,3,3,3,3,3,3,3,3,Pertama,",
            "2025-01-04,L,30,sma,pns,3,3,3,3,3,3,3,3,3,,",
            "2025-01-04,L,30,sma,pns,3,3,3,3,3,3,3,3,3,Ketiga,",
            "2025-01-04,L,30,sma,pns,3,3,3,3,3,3,3,3,3,Keempat,",
            "2025-01-03,L,30,sma,pns,3,3,3,3,3,3,3,3,3,   ,",
        ),
    )

    found = recaps.suggestions_of(recaps.reports.period_responses(world.office, date(2025, 1, 1), date(2025, 1, 31)))

    assert [(s.answered_on, s.text) for s in found] == [
        (date(2025, 1, 4), "Keempat"),
        (date(2025, 1, 4), "Ketiga"),
        (date(2025, 1, 2), "Pertama"),
    ]
    assert found[0].mode == "Formulir kertas"


def test_a_suggestion_typed_as_a_formula_stays_text_in_the_xlsx(world, frozen):
    skm_import(
        office=world.office,
        filename="skm.csv",
        content=csv_bytes('2025-01-02,L,30,sma,pns,3,3,3,3,3,3,3,3,3,"=HYPERLINK(""x"")",'),
    )
    recap = recaps.survey_recap(world.office, date(2025, 1, 1), date(2025, 1, 31))

    cell = load_workbook(io.BytesIO(recaps.recap_xlsx(recap)))["Saran"]["C2"]

    assert (cell.value, cell.data_type) == ('=HYPERLINK("x")', "s")


def test_an_export_records_who_which_format_period_and_service(world, frozen):
    """``recap_export`` builds the file and writes one ``survey.recap_export`` event, nothing personal."""
    export = recaps.recap_export(
        actor=world.ppid,
        office=world.office,
        start=date(2025, 1, 1),
        end=date(2025, 3, 31),
        service_type=world.service,
        file_format="pdf",
    )

    assert export.content.startswith(b"%PDF-") and export.content_type == "application/pdf"
    assert export.filename == "rekap-skm-bpmp-dki-2025-01-01-2025-03-31.pdf"
    [event] = AuditEvent.objects.filter(action="survey.recap_export")
    assert (event.actor_id, event.office_id) == (world.ppid.pk, world.office.pk)
    assert event.changes == {"format": "pdf", "from": "2025-01-01", "to": "2025-03-31", "service": "data-informasi"}
