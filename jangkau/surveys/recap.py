"""The SKM recap of a period (POS step 7, "rekap hasil survei"): the IKM figures, a bar chart per element,
the respondent profile, the weakest elements and the suggestions, on screen and as XLSX and PDF.

Every number comes from ``reports.ikm_for_period`` (the same totals and the same ``ikm.py`` arithmetic as
``manage.py ikm`` and the API): this module only rounds what it shows, half up from the exact fractions,
and counts the profile. The files carry the exact values to the JSON's ten decimals, so a file read back
agrees with ``manage.py ikm`` to the digit.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from jangkau.audit.services import audit_record
from jangkau.cases.recap import EXPORT_TYPES, RecapExport
from jangkau.core import clock
from jangkau.core.pdf import html_to_pdf
from jangkau.offices.models import Office, ServiceType

from . import reports
from .ikm import IkmResult, round_half_up
from .instrument import active_instrument
from .models import Response

EMPTY = "—"
# What the screen and the files show: NRR and IKM (1-4) to four decimals, the converted IKM to two.
SHOWN_DECIMALS = 4
PERCENT_DECIMALS = 1
WEAKEST = 3

# (lowest age, highest age, label); None leaves a side open.
AGE_BANDS = (
    (None, 19, "<20"),
    (20, 29, "20–29"),
    (30, 39, "30–39"),
    (40, 49, "40–49"),
    (50, 59, "50–59"),
    (60, None, "60+"),
)


def _shown(value: Fraction | None, places: int = SHOWN_DECIMALS) -> Decimal | None:
    return round_half_up(value, places) if value is not None else None


def _exact(value: Fraction | None) -> float | None:
    """The value as ``manage.py ikm`` prints it: rounded half up to the JSON's decimals."""
    return float(round_half_up(value, reports.JSON_DECIMALS)) if value is not None else None


# --- the parts ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementRow:
    """One element of the period: its code and name, how many answered it, and its NRR (exact)."""

    code: str
    name: str
    answered: int
    nrr: Fraction | None
    nrr_weighted: Fraction | None

    @property
    def nrr_shown(self) -> Decimal | None:
        return _shown(self.nrr)

    @property
    def nrr_weighted_shown(self) -> Decimal | None:
        return _shown(self.nrr_weighted)

    @property
    def nrr_exact(self) -> float | None:
        return _exact(self.nrr)

    @property
    def nrr_weighted_exact(self) -> float | None:
        return _exact(self.nrr_weighted)


def element_rows(result: IkmResult, names: dict[str, str]) -> list[ElementRow]:
    """Returns the result's elements in code order, named from ``names`` (code -> name)."""
    return [
        ElementRow(
            code=element.code,
            name=names.get(element.code, element.code),
            answered=element.answered,
            nrr=element.nrr,
            nrr_weighted=element.nrr_weighted,
        )
        for element in result.elements
    ]


def weakest_elements(rows: list[ElementRow], count: int = WEAKEST) -> list[ElementRow]:
    """Returns the ``count`` elements with the lowest NRR, lowest first; equal NRRs keep the elements' code
    order. Elements nobody answered are left out."""
    scored = [row for row in rows if row.nrr is not None]
    # "U2" before "U10" should the SKM ever grow: the number, not the text, orders the codes.
    return sorted(scored, key=lambda row: (row.nrr, len(row.code), row.code))[:count]


@dataclass(frozen=True)
class ProfileRow:
    code: str
    label: str
    count: int
    percent: Decimal | None  # of all respondents, one decimal; None when there are none
    less_free: bool = False  # assisted interviews: answered in front of an officer


@dataclass(frozen=True)
class ProfileGroup:
    key: str
    title: str
    total: int
    rows: list[ProfileRow] = field(default_factory=list)


def _age_q(low: int | None, high: int | None) -> Q:
    q = Q()
    if low is not None:
        q &= Q(age__gte=low)
    if high is not None:
        q &= Q(age__lte=high)
    return q


def _profile_spec():
    """(key, title, [(code, label, condition, less_free)]) per breakdown, in the order they are shown."""
    return [
        ("sex", _("Jenis kelamin"), [(c, str(label), Q(sex=c), False) for c, label in Response.Sex.choices]),
        ("age", _("Usia"), [(label, label, _age_q(low, high), False) for low, high, label in AGE_BANDS]),
        (
            "education",
            _("Pendidikan"),
            [(c, str(label), Q(education=c), False) for c, label in Response.Education.choices],
        ),
        (
            "occupation",
            _("Pekerjaan"),
            [(c, str(label), Q(occupation=c), False) for c, label in Response.Occupation.choices],
        ),
        (
            "mode",
            _("Cara pengisian"),
            [(c, str(label), Q(mode=c), c == Response.Mode.ASSISTED) for c, label in Response.Mode.choices],
        ),
    ]


def percent_of(count: int, total: int) -> Decimal | None:
    return round_half_up(Fraction(count * 100, total), PERCENT_DECIMALS) if total else None


def profile_breakdown(responses) -> list[ProfileGroup]:
    """Returns the respondents of ``responses`` counted by sex, age band, education, occupation and mode
    (every category listed, zero included), counted by the database in one query."""
    spec = _profile_spec()
    aggregates = {
        f"{key}_{index}": Count("id", filter=condition)
        for key, _title, categories in spec
        for index, (_code, _label, condition, _flag) in enumerate(categories)
    }
    counts = responses.order_by().aggregate(total=Count("id"), **aggregates)
    total = counts["total"]
    return [
        ProfileGroup(
            key=key,
            title=title,
            total=total,
            rows=[
                ProfileRow(
                    code=code,
                    label=label,
                    count=counts[f"{key}_{index}"],
                    percent=percent_of(counts[f"{key}_{index}"], total),
                    less_free=flag,
                )
                for index, (code, label, _condition, flag) in enumerate(categories)
            ],
        )
        for key, title, categories in spec
    ]


@dataclass(frozen=True)
class Suggestion:
    answered_on: date
    mode: str
    text: str


def suggestions_of(responses) -> list[Suggestion]:
    """Returns the suggestions written in ``responses`` (blank ones left out), newest first. Responses carry
    no names, so neither do these."""
    modes = dict(Response.Mode.choices)
    rows = (
        responses.exclude(suggestion="")
        .order_by("-answered_on", "-created_at", "-id")
        .values_list("answered_on", "mode", "suggestion")
    )
    return [
        Suggestion(answered_on, str(modes.get(mode, mode)), text.strip())
        for answered_on, mode, text in rows
        if text.strip()
    ]


# --- the chart ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    code: str
    nrr: Decimal | None
    y: str  # SVG coordinates, as text so that no template localises them ("12,5" is no coordinate)
    text_y: str
    width: str
    value_x: str


@dataclass(frozen=True)
class Tick:
    value: int
    x: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    axis_y: str
    bar_height: int
    bars: list[Bar]
    ticks: list[Tick]


# In SVG user units (the chart scales to its box); text is 14 units high.
CHART_WIDTH, CHART_LEFT, CHART_RIGHT_ROOM = 420, 36, 64
CHART_TOP, CHART_ROW, CHART_BAR, CHART_AXIS_ROOM = 8, 30, 20, 30
SCALE_MAX = 4


def element_chart(rows: list[ElementRow]) -> Chart:
    """Returns the geometry of a horizontal bar chart of the elements' NRR on the 0-4 axis: one row per
    element, the value written after the bar."""
    plot_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT_ROOM
    plot_bottom = CHART_TOP + CHART_ROW * len(rows)

    def x_of(value) -> float:
        return CHART_LEFT + plot_width * float(value) / SCALE_MAX

    bars = []
    for index, row in enumerate(rows):
        top = CHART_TOP + index * CHART_ROW + (CHART_ROW - CHART_BAR) / 2
        width = x_of(row.nrr_shown) - CHART_LEFT if row.nrr is not None else 0
        bars.append(
            Bar(
                code=row.code,
                nrr=row.nrr_shown,
                y=f"{top:.1f}",
                text_y=f"{top + CHART_BAR * 0.72:.1f}",
                width=f"{width:.1f}",
                value_x=f"{CHART_LEFT + width + 6:.1f}",
            )
        )
    return Chart(
        width=CHART_WIDTH,
        height=plot_bottom + CHART_AXIS_ROOM,
        left=CHART_LEFT,
        plot_right=CHART_LEFT + plot_width,
        plot_top=CHART_TOP,
        plot_bottom=plot_bottom,
        axis_y=f"{plot_bottom + 20}",
        bar_height=CHART_BAR,
        bars=bars,
        ticks=[Tick(value, f"{x_of(value):.1f}") for value in range(SCALE_MAX + 1)],
    )


# --- the whole recap ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyRecap:
    office: Office
    start: date
    end: date
    service_type: ServiceType | None
    result: IkmResult
    elements: list[ElementRow]
    weakest: list[ElementRow]
    profile: list[ProfileGroup]
    suggestions: list[Suggestion]

    @property
    def respondents(self) -> int:
        return self.result.respondents

    @property
    def ikm_shown(self) -> Decimal | None:
        return _shown(self.result.ikm)

    @property
    def ikm_exact(self) -> float | None:
        return _exact(self.result.ikm)

    @property
    def ikm_converted(self) -> Decimal | None:
        return self.result.ikm_converted

    @property
    def chart(self) -> Chart:
        return element_chart(self.elements)

    @property
    def period_text(self) -> str:
        return describe_period(self.start, self.end)

    @property
    def service_text(self) -> str:
        return self.service_type.display_name if self.service_type is not None else _("Semua jenis layanan")

    def as_params(self) -> dict[str, str]:
        params = {"date_from": self.start.isoformat(), "date_to": self.end.isoformat()}
        if self.service_type is not None:
            params["service_type"] = self.service_type.code
        return params

    def as_query(self) -> str:
        return urlencode(self.as_params())


def describe_period(start: date, end: date) -> str:
    return _("%(start)s s.d. %(end)s") % {
        "start": dateformat.format(start, "j F Y"),
        "end": dateformat.format(end, "j F Y"),
    }


def survey_recap(office: Office, start: date, end: date, service_type: ServiceType | None = None) -> SurveyRecap:
    """Returns the recap of ``office``'s survey for the days ``start`` to ``end`` (both included), of one
    service when given."""
    result = reports.ikm_for_period(office, start, end, service_type)
    names = {element.code: element.display_name for element in active_instrument(office).elements.all()}
    rows = element_rows(result, names)
    responses = reports.period_responses(office, start, end, service_type)
    return SurveyRecap(
        office=office,
        start=start,
        end=end,
        service_type=service_type,
        result=result,
        elements=rows,
        weakest=weakest_elements(rows),
        profile=profile_breakdown(responses),
        suggestions=suggestions_of(responses),
    )


def figures(recap: SurveyRecap) -> list[tuple[str, object, str | None]]:
    """Returns (label, value, number format) of the period's figures as the files write them: numbers stay
    numbers, exact to the JSON's decimals."""
    result = recap.result
    converted = float(result.ikm_converted) if result.ikm_converted is not None else None
    return [
        (_("Responden"), result.respondents, None),
        (_("Jumlah orang dilayani (N)"), result.population_served, None),
        (_("Sampel minimum (Krejcie–Morgan)"), result.sample_required, None),
        (_("Sampel tercapai"), _("Ya") if result.sample_sufficient else _("Belum"), None),
        (_("IKM (skala 1–4)"), EMPTY if recap.ikm_exact is None else recap.ikm_exact, "0.0000"),
        (_("IKM konversi (25–100)"), EMPTY if converted is None else converted, "0.00"),
        (_("Mutu pelayanan"), result.grade or EMPTY, None),
        (_("Kinerja unit pelayanan"), result.performance or EMPTY, None),
    ]


# --- files ----------------------------------------------------------------------------------------------


def _local_now(office) -> datetime:
    return timezone.localtime(clock.now(), ZoneInfo(office.time_zone))


def _as_text(sheet) -> None:
    # Text stays text: a suggestion typed as "=HYPERLINK(...)" must never become a formula.
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def recap_xlsx(recap: SurveyRecap, *, exported_at: datetime | None = None) -> bytes:
    """Returns the recap as an XLSX workbook with the sheets "Ringkasan" (office, period, service, figures),
    "Unsur" (NRR per element), "Terlemah", "Profil" and "Saran". Values are exact to ten decimals and shown
    to four (the converted IKM to two)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    exported_at = exported_at or _local_now(recap.office)
    bold = Font(bold=True)
    four = "0." + "0" * SHOWN_DECIMALS
    workbook = Workbook()
    workbook.properties.creator = "Jangkau"
    workbook.properties.title = _("Rekap survei kepuasan masyarakat")

    summary = workbook.active
    summary.title = _("Ringkasan")
    summary.append([_("Rekap survei kepuasan masyarakat (SKM)")])
    summary["A1"].font = Font(bold=True, size=13)
    summary.append([_("Kantor"), recap.office.name])
    summary.append([_("Periode"), recap.period_text])
    summary.append([_("Jenis layanan"), recap.service_text])
    summary.append([_("Diekspor pada"), dateformat.format(exported_at, "j F Y, H.i T")])
    summary.append([])
    for label, value, number_format in figures(recap):
        summary.append([label, value])
        cell = summary.cell(row=summary.max_row, column=2)
        if number_format and isinstance(value, float):
            cell.number_format = number_format
        cell.alignment = Alignment(horizontal="left")
    summary.column_dimensions["A"].width = 34
    summary.column_dimensions["B"].width = 48

    elements = workbook.create_sheet(_("Unsur"))
    elements.append([_("Kode"), _("Unsur"), _("Jumlah jawaban"), _("NRR"), _("NRR tertimbang")])
    for row in recap.elements:
        elements.append([row.code, row.name, row.answered, row.nrr_exact, row.nrr_weighted_exact])
        for column in (4, 5):
            elements.cell(row=elements.max_row, column=column).number_format = four
    elements.append([None, _("IKM (jumlah NRR tertimbang)"), None, None, recap.ikm_exact])
    elements.cell(row=elements.max_row, column=5).number_format = four
    for cell in elements[1]:
        cell.font = bold
    elements.column_dimensions["B"].width = 44
    for column in "CDE":
        elements.column_dimensions[column].width = 16

    weakest = workbook.create_sheet(_("Terlemah"))
    weakest.append([_("Peringkat"), _("Kode"), _("Unsur"), _("NRR")])
    for rank, row in enumerate(recap.weakest, start=1):
        weakest.append([rank, row.code, row.name, row.nrr_exact])
        weakest.cell(row=weakest.max_row, column=4).number_format = four
    for cell in weakest[1]:
        cell.font = bold
    weakest.column_dimensions["C"].width = 44

    profile = workbook.create_sheet(_("Profil"))
    for group in recap.profile:
        profile.append([group.title, _("Jumlah"), _("Persen"), _("Catatan")])
        for cell in profile[profile.max_row]:
            cell.font = bold
        for row in group.rows:
            note = _("Kurang bebas: dijawab di hadapan petugas") if row.less_free else None
            profile.append([row.label, row.count, float(row.percent) if row.percent is not None else EMPTY, note])
            profile.cell(row=profile.max_row, column=3).number_format = "0.0"
        profile.append([])
    profile.column_dimensions["A"].width = 28
    profile.column_dimensions["D"].width = 40

    suggestions = workbook.create_sheet(_("Saran"))
    suggestions.append([_("Tanggal pengisian"), _("Cara pengisian"), _("Saran")])
    for cell in suggestions[1]:
        cell.font = bold
    for suggestion in recap.suggestions:
        suggestions.append([suggestion.answered_on, suggestion.mode, suggestion.text])
        suggestions.cell(row=suggestions.max_row, column=1).number_format = "yyyy-mm-dd"
        suggestions.cell(row=suggestions.max_row, column=3).alignment = Alignment(wrap_text=True, vertical="top")
    suggestions.column_dimensions["A"].width = 16
    suggestions.column_dimensions["B"].width = 24
    suggestions.column_dimensions["C"].width = 80

    for sheet in workbook.worksheets:
        _as_text(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def recap_html(recap: SurveyRecap, *, exported_at: datetime | None = None) -> str:
    return render_to_string(
        "surveys/recap_pdf.html",
        {"recap": recap, "chart": recap.chart, "exported_at": exported_at or _local_now(recap.office)},
    )


def recap_pdf(recap: SurveyRecap, *, exported_at: datetime | None = None) -> bytes:
    """Returns the recap as a portrait A4 PDF, the chart drawn from inline SVG."""
    return html_to_pdf(recap_html(recap, exported_at=exported_at))


# --- recording the export -------------------------------------------------------------------------------


def recap_export(
    *, actor, office: Office, start: date, end: date, service_type: ServiceType | None, file_format: str
) -> RecapExport:
    """Builds the survey recap file (``file_format`` "xlsx" or "pdf") and records the download in the audit
    trail as ``survey.recap_export`` (who, format, period, service)."""
    recap = survey_recap(office, start, end, service_type)
    build = {"xlsx": recap_xlsx, "pdf": recap_pdf}[file_format]
    content = build(recap)
    with transaction.atomic():
        audit_record(
            action="survey.recap_export",
            actor=actor,
            office=office,
            changes={
                "format": file_format,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "service": service_type.code if service_type is not None else "",
            },
        )
    filename = f"rekap-skm-{office.code}-{start.isoformat()}-{end.isoformat()}.{file_format}"
    return RecapExport(content, EXPORT_TYPES[file_format], filename)
