"""The periodic evaluation of POS step 8: an office's figures for a month, a quarter, a semester, a year or
any dates, read from the database in a few queries and handed out as frozen data (the page, the API, the
XLSX and the PDF all report through :func:`evaluation_report`).

What falls in the period (office-local days, both ends included):
- volumes: the cases *submitted* in the period, by vulnerability category (a case may have several),
  channel, service type, delivery mode and area;
- step times: the step records *finished* in the period (``cases.sla_report``, the same figures as
  ``GET /api/v1/reports/sla``), and every breach among them with its explanation;
- exceptions: requests rejected or cancelled in the period, and requesters marked unreachable in it;
- closing evaluations: cases closed in the period;
- the IKM of the survey answers given in the period (``surveys.reports.ikm_report``);
- the SOP monitoring table (PermenPANRB 35/2012) and the follow-up actions (RTL), from
  ``reports.monitoring`` and ``reports.followups``.

No requester is named: cases are identified by their registration number only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import dateformat, timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jangkau.cases.models import Case, Channel, Status, StepOutcome, StepPause, StepRecord
from jangkau.cases.sla_report import StepFigures, sla_report
from jangkau.cases.vocabulary import AccommodationsProvided, DeliveryMode, NeedMet, Vulnerability, label_of
from jangkau.core import clock
from jangkau.core.businesstime import business_between
from jangkau.offices.calendar import calendar_for
from jangkau.procedures.models import ProcedureStep
from jangkau.scheduling.models import ContactAttempt
from jangkau.surveys.reports import ikm_report

from .charts import ChartRow, bar_chart
from .followups import followups_for_period
from .monitoring import MonitoringRow, assessment_label, monitoring_table

EMPTY = "—"
# Dates outside these years are typing mistakes (the recap's bounds).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2099
WEAKEST = 3
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


# --- periods (pure) ---------------------------------------------------------------------------------------


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Bulan")
    QUARTER = "quarter", gettext_lazy("Triwulan")
    SEMESTER = "semester", gettext_lazy("Semester")
    YEAR = "year", gettext_lazy("Tahun")
    CUSTOM = "custom", gettext_lazy("Tanggal tertentu")


# How many of each kind a year holds (the numbers people choose from); a year holds one year.
NUMBERS = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.SEMESTER: 2}
MONTHS_IN = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.SEMESTER: 6, PeriodKind.YEAR: 12}


class PeriodError(ValueError):
    """A period that means nothing: ``field`` names the answer to correct ("kind", "year", "number",
    "date_from", "date_to"), ``message`` says how, in the active language."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Period:
    """Days ``start`` to ``end`` (both included, office-local), and how they were chosen."""

    kind: str
    start: date
    end: date
    year: int | None = None
    number: int | None = None

    @property
    def label(self) -> str:
        """The period in words: "Januari 2025", "Triwulan IV 2025", "Semester I 2025", "Tahun 2025", or
        "1 Januari 2025 s.d. 15 Februari 2025"."""
        if self.kind == PeriodKind.MONTH:
            return dateformat.format(self.start, "F Y")
        if self.kind == PeriodKind.QUARTER:
            return _("Triwulan %(number)s %(year)s") % {"number": ROMAN[self.number], "year": self.year}
        if self.kind == PeriodKind.SEMESTER:
            return _("Semester %(number)s %(year)s") % {"number": ROMAN[self.number], "year": self.year}
        if self.kind == PeriodKind.YEAR:
            return _("Tahun %(year)s") % {"year": self.year}
        return dates_text(self.start, self.end)

    @property
    def dates_text(self) -> str:
        return dates_text(self.start, self.end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_params(self) -> dict[str, str]:
        """The query-string values that choose this period again (the page's and the downloads' links)."""
        if self.kind == PeriodKind.CUSTOM:
            return {"kind": self.kind, "date_from": self.start.isoformat(), "date_to": self.end.isoformat()}
        params = {"kind": self.kind, "year": str(self.year)}
        if self.number is not None:
            params["number"] = str(self.number)
        return params


def dates_text(start: date, end: date) -> str:
    return _("%(start)s s.d. %(end)s") % {
        "start": dateformat.format(start, "j F Y"),
        "end": dateformat.format(end, "j F Y"),
    }


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise PeriodError("year", _("Tulis tahun dengan empat angka, misalnya 2025."))
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise PeriodError(
            "year", _("Tahun harus antara %(first)s dan %(last)s.") % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
        )
    return year


def period_of(kind: str, year: int, number: int | None = None) -> Period:
    """Returns month ``number`` (1-12), quarter (1-4), semester (1-2) or the whole ``year``.

    Raises PeriodError for an unknown kind, a year outside 2000-2099, or a number the kind does not have
    (``number`` is ignored for a year). Custom dates go through :func:`custom_period`.
    """
    if kind not in PeriodKind.values or kind == PeriodKind.CUSTOM:
        raise PeriodError("kind", _("Pilih bulan, triwulan, semester, tahun, atau tanggal tertentu."))
    year = _check_year(year)
    if kind == PeriodKind.YEAR:
        return Period(kind=kind, start=date(year, 1, 1), end=date(year, 12, 31), year=year)
    most = NUMBERS[kind]
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= most:
        messages = {
            PeriodKind.MONTH: _("Pilih bulan 1 sampai 12."),
            PeriodKind.QUARTER: _("Pilih triwulan 1 sampai 4."),
            PeriodKind.SEMESTER: _("Pilih semester 1 atau 2."),
        }
        raise PeriodError("number", messages[kind])
    months = MONTHS_IN[kind]
    first_month = (number - 1) * months + 1
    start = date(year, first_month, 1)
    end = _month_start(year, first_month + months) - timedelta(days=1)
    return Period(kind=kind, start=start, end=end, year=year, number=number)


def custom_period(start: date | None, end: date | None) -> Period:
    """Returns the days ``start`` to ``end``. Raises PeriodError when either is missing or outside
    2000-2099, or when the end comes before the start."""
    for name, value, missing in (
        ("date_from", start, _("Isi tanggal awal periode.")),
        ("date_to", end, _("Isi tanggal akhir periode.")),
    ):
        if value is None:
            raise PeriodError(name, missing)
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            which = _("awal") if name == "date_from" else _("akhir")
            raise PeriodError(
                name,
                _("Tanggal %(which)s harus antara tahun %(first)s dan %(last)s.")
                % {"which": which, "first": EARLIEST_YEAR, "last": LATEST_YEAR},
            )
    if end < start:
        raise PeriodError("date_to", _("Tanggal akhir harus sama dengan atau sesudah tanggal awal."))
    return Period(kind=PeriodKind.CUSTOM, start=start, end=end)


def period_between(start: date, end: date) -> Period:
    """Returns the period of the days ``start`` to ``end``, named as the month, quarter, semester or year
    they make up exactly (1 October to 31 December 2025 is "Triwulan IV 2025"), otherwise as custom dates."""
    custom = custom_period(start, end)
    if start.day == 1 and start.year == end.year:
        for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.SEMESTER):
            months = MONTHS_IN[kind]
            if (start.month - 1) % months == 0:
                candidate = period_of(kind, start.year, (start.month - 1) // months + 1)
                if candidate.end == end:
                    return candidate
        if start.month == 1 and end == date(start.year, 12, 31):
            return period_of(PeriodKind.YEAR, start.year)
    return custom


def quarter_containing(day: date) -> Period:
    return period_of(PeriodKind.QUARTER, day.year, (day.month - 1) // 3 + 1)


# --- the report's parts -----------------------------------------------------------------------------------


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, one decimal, rounded half up; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class VolumeRow:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class VolumeGroup:
    """One breakdown of the period's submitted cases. ``multiple``: a case may count in several rows."""

    key: str
    title: str
    rows: tuple[VolumeRow, ...]
    cases: int
    multiple: bool = False

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


@dataclass(frozen=True)
class StepRow:
    """One POS step's figures for the period (``cases.sla_report``) with its activity and printed standard."""

    no: int
    activity: str
    standard_label: str
    done: int
    within_standard: int
    median_minutes: float | None
    p90_minutes: float | None
    standard_minutes: int | None
    breaches: int

    @property
    def within_percent(self) -> Decimal | None:
        """The share of the step's records done within the standard, in percent to one decimal."""
        return percent(self.within_standard, self.done)

    @property
    def median_text(self) -> str:
        return minutes_text(self.median_minutes)

    @property
    def p90_text(self) -> str:
        return minutes_text(self.p90_minutes)

    @property
    def median_over_standard(self) -> bool:
        return None not in (self.median_minutes, self.standard_minutes) and self.median_minutes > self.standard_minutes

    def as_figures(self) -> StepFigures:
        return StepFigures(
            no=self.no,
            done=self.done,
            within_standard=self.within_standard,
            median_minutes=self.median_minutes,
            p90_minutes=self.p90_minutes,
            standard_minutes=self.standard_minutes,
            breaches=self.breaches,
        )


@dataclass(frozen=True)
class BreachRow:
    """A step finished after its due moment: how late in office minutes, and the officer's explanation."""

    registration_number: str
    step_no: int
    activity: str
    due_at: datetime  # office time
    done_at: datetime  # office time
    late_minutes: float
    officer_step: bool
    explanation: str
    explained_by: str
    explained_at: datetime | None

    @property
    def late_text(self) -> str:
        return minutes_text(self.late_minutes)

    @property
    def explanation_text(self) -> str:
        if self.explanation:
            return self.explanation
        if not self.officer_step:
            return _("tidak perlu dijelaskan (langkah pemohon)")
        return _("belum dijelaskan")

    @property
    def explained(self) -> bool:
        return bool(self.explanation)


class ExceptionKind(models.TextChoices):
    REJECTED = "rejected", gettext_lazy("Ditolak")
    CANCELLED = "cancelled", gettext_lazy("Dibatalkan")
    UNREACHABLE = "unreachable", gettext_lazy("Tidak dapat dihubungi")


@dataclass(frozen=True)
class ExceptionRow:
    """A request that left the usual path in the period: rejected (reason and referral), cancelled (reason),
    or its requester marked unreachable (contact attempts and the last one's result)."""

    kind: str
    registration_number: str
    at: datetime  # office time
    status: str  # the case's status now, in words
    reason: str
    referral: str = ""
    contact_attempts: int = 0
    last_result: str = ""

    @property
    def kind_label(self) -> str:
        return label_of(ExceptionKind, self.kind)


@dataclass(frozen=True)
class EvaluationNote:
    """The closing notes of a case whose service did not fully go well (need, mode or accommodations)."""

    registration_number: str
    need_met: str
    mode_right: str
    accommodations: str
    notes: str


@dataclass(frozen=True)
class ClosingSummary:
    """The closing evaluations (step 8) of the cases closed in the period."""

    closed: int
    need_met: tuple[VolumeRow, ...]
    mode_right: tuple[VolumeRow, ...]
    accommodations: tuple[VolumeRow, ...]
    notes: tuple[EvaluationNote, ...]


@dataclass(frozen=True)
class WeakElement:
    code: str
    name: str
    nrr: float


@dataclass(frozen=True)
class IkmSummary:
    """The period's IKM (``surveys.reports.ikm_report``, unchanged in ``data``) and its three weakest
    elements."""

    data: dict
    weakest: tuple[WeakElement, ...]

    @property
    def respondents(self) -> int:
        return self.data["respondents"]

    @property
    def ikm_converted(self) -> float | None:
        return self.data["ikm_converted"]

    @property
    def ikm_converted_shown(self) -> Decimal | None:
        value = self.data["ikm_converted"]
        return Decimal(str(value)).quantize(Decimal("0.01")) if value is not None else None

    @property
    def grade(self) -> str | None:
        return self.data["grade"]

    @property
    def performance(self) -> str | None:
        return self.data["performance"]

    @property
    def population_served(self) -> int:
        return self.data["population_served"]

    @property
    def sample_required(self) -> int:
        return self.data["sample_required"]

    @property
    def sample_sufficient(self) -> bool:
        return self.data["sample_sufficient"]


@dataclass(frozen=True)
class EvaluationReport:
    office: object
    period: Period
    generated_at: datetime  # office time
    cases_submitted: int
    volumes: tuple[VolumeGroup, ...]
    steps: tuple[StepRow, ...]
    breaches: tuple[BreachRow, ...]
    exceptions: tuple[ExceptionRow, ...]
    closing: ClosingSummary
    ikm: IkmSummary
    monitoring: tuple[MonitoringRow, ...]
    followups: tuple[FollowupRow, ...]

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def end(self) -> date:
        return self.period.end

    @property
    def breach_count(self) -> int:
        return sum(step.breaches for step in self.steps)

    @property
    def unexplained_breaches(self) -> int:
        return sum(1 for row in self.breaches if row.officer_step and not row.explained)

    @property
    def steps_done(self) -> int:
        return sum(step.done for step in self.steps)

    def exceptions_of(self, kind: str) -> tuple[ExceptionRow, ...]:
        return tuple(row for row in self.exceptions if row.kind == kind)

    @property
    def rejected(self) -> tuple[ExceptionRow, ...]:
        return self.exceptions_of(ExceptionKind.REJECTED)

    @property
    def cancelled(self) -> tuple[ExceptionRow, ...]:
        return self.exceptions_of(ExceptionKind.CANCELLED)

    @property
    def unreachable(self) -> tuple[ExceptionRow, ...]:
        return self.exceptions_of(ExceptionKind.UNREACHABLE)

    def volume(self, key: str) -> VolumeGroup:
        return next(group for group in self.volumes if group.key == key)


# --- reading the database ---------------------------------------------------------------------------------


def local_range(office, start: date, end: date) -> tuple[datetime, datetime]:
    """The moments [start, end) that the days ``start`` to ``end`` cover in the office's time zone."""
    tz = ZoneInfo(office.time_zone)
    return datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz)


def _vocabulary_rows(choices, counts: Counter, blank_label: str | None = None) -> tuple[VolumeRow, ...]:
    rows = [VolumeRow(code, str(label), counts.get(code, 0)) for code, label in choices.choices]
    # Retired codes still held by old cases are counted under their own code.
    rows += [VolumeRow(code, code, n) for code, n in sorted(counts.items()) if code and code not in choices.values]
    if blank_label is not None and counts.get(""):
        rows.append(VolumeRow("", blank_label, counts[""]))
    return tuple(rows)


def _area_key(area: str) -> str:
    return " ".join((area or "").split())


def volumes(office, since: datetime, until: datetime) -> tuple[int, tuple[VolumeGroup, ...]]:
    """Returns how many cases were submitted in [since, until) and their five breakdowns (two queries)."""
    rows = list(
        Case.objects.filter(office=office, submitted_at__gte=since, submitted_at__lt=until)
        .order_by("submitted_at", "pk")
        .values_list("vulnerabilities", "channel", "service_type_id", "delivery_mode", "area")
    )
    total = len(rows)
    vulnerabilities: Counter = Counter()
    channels: Counter = Counter()
    services: Counter = Counter()
    modes: Counter = Counter()
    areas: Counter = Counter()
    # An area typed in several ways ("Jakarta Pusat", "jakarta  PUSAT") counts once, under its most used
    # spelling (the earliest of equally used ones).
    spellings: dict[str, Counter] = {}
    for codes, channel, service_id, mode, area in rows:
        vulnerabilities.update(set(codes or []))
        channels[channel] += 1
        services[service_id] += 1
        modes[mode or ""] += 1
        spelled = _area_key(area)
        key = spelled.casefold()
        spellings.setdefault(key, Counter())[spelled] += 1
        areas[key] += 1
    catalogue = office.service_types.filter(Q(is_active=True) | Q(pk__in=list(services))).order_by("name")
    service_rows = tuple(VolumeRow(s.code, s.display_name, services.get(s.pk, 0)) for s in catalogue)
    not_given = _("Tidak diisi")
    names = {key: spelled.most_common(1)[0][0] for key, spelled in spellings.items()}
    area_rows = tuple(
        VolumeRow(names[key], names[key] or not_given, count)
        for key, count in sorted(areas.items(), key=lambda item: (-item[1], item[0] == "", item[0]))
    )
    groups = (
        VolumeGroup(
            "vulnerability",
            _("Kelompok rentan"),
            _vocabulary_rows(Vulnerability, vulnerabilities),
            total,
            multiple=True,
        ),
        VolumeGroup("channel", _("Saluran"), _vocabulary_rows(Channel, channels), total),
        VolumeGroup("service_type", _("Jenis layanan"), service_rows, total),
        VolumeGroup("delivery_mode", _("Cara layanan"), _vocabulary_rows(DeliveryMode, modes, not_given), total),
        VolumeGroup("area", _("Wilayah"), area_rows, total),
    )
    return total, groups


def _active_steps(office) -> dict[int, ProcedureStep]:
    steps = ProcedureStep.objects.filter(procedure__office=office, procedure__status="active").order_by("no")
    return {step.no: step for step in steps}


def step_rows(office, start: date, end: date, procedure_steps: dict[int, ProcedureStep]) -> tuple[StepRow, ...]:
    return tuple(
        StepRow(
            no=figures.no,
            activity=procedure_steps[figures.no].activity if figures.no in procedure_steps else "",
            standard_label=procedure_steps[figures.no].standard_label if figures.no in procedure_steps else EMPTY,
            done=figures.done,
            within_standard=figures.within_standard,
            median_minutes=figures.median_minutes,
            p90_minutes=figures.p90_minutes,
            standard_minutes=figures.standard_minutes,
            breaches=figures.breaches,
        )
        for figures in sla_report(office, start, end)
    )


def breach_rows(office, since: datetime, until: datetime) -> tuple[BreachRow, ...]:
    """Every step record finished in [since, until) after its due moment (the records ``sla_report``
    counts as breaches), oldest first."""
    records = (
        StepRecord.objects.filter(
            case__office=office, breached=True, done_at__gte=since, done_at__lt=until, due_at__isnull=False
        )
        .exclude(outcome=StepOutcome.CANCELLED)
        .select_related("case", "explained_by")
        .order_by("done_at", "step_no", "pk")
    )
    cal = calendar_for(office)
    tz = ZoneInfo(office.time_zone)
    return tuple(
        BreachRow(
            registration_number=record.case.registration_number,
            step_no=record.step_no,
            activity=record.activity,
            due_at=timezone.localtime(record.due_at, tz),
            done_at=timezone.localtime(record.done_at, tz),
            late_minutes=business_between(cal, record.due_at, record.done_at).total_seconds() / 60,
            officer_step=record.is_officer_step,
            explanation=record.breach_explanation,
            explained_by=str(record.explained_by) if record.explained_by_id else "",
            explained_at=timezone.localtime(record.explained_at, tz) if record.explained_at else None,
        )
        for record in records
    )


def exception_rows(office, since: datetime, until: datetime) -> tuple[ExceptionRow, ...]:
    """Requests rejected or cancelled in [since, until), and requesters marked unreachable in it, in the
    order it happened (three queries)."""
    tz = ZoneInfo(office.time_zone)
    statuses = dict(Status.choices)
    officer_cancelled = StepRecord.objects.filter(
        case=OuterRef("pk"), outcome=StepOutcome.CANCELLED, done_by__isnull=False
    )
    ended = (
        Case.objects.filter(
            office=office,
            status__in=[Status.REJECTED, Status.CANCELLED],
            closed_at__gte=since,
            closed_at__lt=until,
        )
        .annotate(by_officer=Exists(officer_cancelled))
        .only("registration_number", "status", "closed_at", "rejection_reason", "referral", "cancellation_reason")
    )
    rows = []
    for case in ended:
        if case.status == Status.REJECTED:
            reason, referral = case.rejection_reason, case.referral
        else:
            referral = ""
            # A requester's own words may hold personal data (an illness, a family matter): the case keeps
            # them, the report says only that the requester cancelled.
            reason = case.cancellation_reason if case.by_officer else _("Dibatalkan oleh pemohon sendiri.")
        rows.append(
            ExceptionRow(
                kind=case.status,
                registration_number=case.registration_number,
                at=timezone.localtime(case.closed_at, tz),
                status=str(statuses.get(case.status, case.status)),
                reason=reason,
                referral=referral,
            )
        )
    attempts = ContactAttempt.objects.filter(case=OuterRef("step__case")).order_by("-attempted_at", "-pk")
    pauses = (
        StepPause.objects.filter(step__case__office=office, step__step_no=4, paused_at__gte=since, paused_at__lt=until)
        .select_related("step__case")
        .annotate(
            attempt_count=Subquery(
                ContactAttempt.objects.filter(case=OuterRef("step__case"))
                .order_by()
                .values("case")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            last_result=Subquery(attempts.values("result")[:1]),
        )
    )
    results = dict(ContactAttempt.Result.choices)
    for pause in pauses:
        case = pause.step.case
        rows.append(
            ExceptionRow(
                kind=ExceptionKind.UNREACHABLE,
                registration_number=case.registration_number,
                at=timezone.localtime(pause.paused_at, tz),
                status=str(statuses.get(case.status, case.status)),
                reason=_("Pemohon tidak dapat dihubungi"),
                contact_attempts=pause.attempt_count or 0,
                last_result=str(results.get(pause.last_result, pause.last_result or EMPTY)),
            )
        )
    return tuple(sorted(rows, key=lambda row: (row.at, row.registration_number)))


def closing_summary(office, since: datetime, until: datetime) -> ClosingSummary:
    """The closing evaluations of the cases closed in [since, until) (one query)."""
    closed = list(
        Case.objects.filter(office=office, status=Status.CLOSED, closed_at__gte=since, closed_at__lt=until)
        .order_by("closed_at", "pk")
        .values_list(
            "registration_number",
            "evaluation_need_met",
            "evaluation_mode_right",
            "evaluation_accommodations",
            "evaluation",
        )
    )
    not_recorded = _("Belum dicatat")
    need = Counter(row[1] for row in closed)
    mode = Counter(row[2] for row in closed)
    accommodations = Counter(row[3] for row in closed)
    mode_rows = [
        VolumeRow("yes", _("Ya"), mode.get(True, 0)),
        VolumeRow("no", _("Tidak"), mode.get(False, 0)),
    ]
    if mode.get(None):
        mode_rows.append(VolumeRow("", not_recorded, mode[None]))
    yes_no = {True: _("Ya"), False: _("Tidak"), None: EMPTY}
    notes = tuple(
        EvaluationNote(
            registration_number=number,
            need_met=label_of(NeedMet, need_met) or EMPTY,
            mode_right=yes_no[mode_right],
            accommodations=label_of(AccommodationsProvided, provided) or EMPTY,
            notes=text.strip(),
        )
        for number, need_met, mode_right, provided, text in closed
        if need_met in (NeedMet.PARTLY, NeedMet.NOT_MET)
        or mode_right is False
        or provided in (AccommodationsProvided.PARTLY, AccommodationsProvided.NOT_PROVIDED)
    )
    return ClosingSummary(
        closed=len(closed),
        need_met=_vocabulary_rows(NeedMet, need, not_recorded),
        mode_right=tuple(mode_rows),
        accommodations=_vocabulary_rows(AccommodationsProvided, accommodations, not_recorded),
        notes=notes,
    )


def ikm_summary(office, start: date, end: date) -> IkmSummary:
    data = ikm_report(office, start, end)
    scored = [element for element in data["unsur"] if element["nrr"] is not None]
    # "U2" before "U10": the number, not the text, orders equal scores.
    scored.sort(key=lambda element: (element["nrr"], len(element["code"]), element["code"]))
    return IkmSummary(
        data=data,
        weakest=tuple(WeakElement(e["code"], e["name"], e["nrr"]) for e in scored[:WEAKEST]),
    )


def _monitoring(office, start: date, end: date, figures: Sequence[StepFigures]) -> tuple[MonitoringRow, ...]:
    tz = ZoneInfo(office.time_zone)
    return tuple(
        replace(row, assessed_at=timezone.localtime(row.assessed_at, tz)) if row.assessed_at else row
        for row in monitoring_table(office, start, end, list(figures))
    )


@dataclass(frozen=True)
class FollowupRow:
    """A follow-up action (RTL) as the report shows it: raised in the period, or carried over from an
    earlier one while it was still open (``reports.followups.followups_for_period``)."""

    title: str
    description: str
    step_no: int | None
    owner: str
    due_date: date
    status: str
    status_label: str
    done_at: datetime | None  # office time
    done_note: str
    carried_over: bool
    overdue: bool


def _followups(office, start: date, end: date) -> tuple[FollowupRow, ...]:
    tz = ZoneInfo(office.time_zone)
    rows = []
    for action in followups_for_period(office, start, end):
        status_label = action.get_status_display() if hasattr(action, "get_status_display") else action.status
        rows.append(
            FollowupRow(
                title=action.title,
                description=action.description,
                step_no=getattr(action, "step_no", None),
                owner=str(action.owner) if action.owner_id else "",
                due_date=action.due_date,
                status=action.status,
                status_label=str(status_label),
                done_at=timezone.localtime(action.done_at, tz) if action.done_at else None,
                done_note=action.done_note,
                carried_over=bool(getattr(action, "carried_over", False)),
                overdue=bool(getattr(action, "overdue", False)),
            )
        )
    return tuple(rows)


def evaluation_report(office, start: date, end: date) -> EvaluationReport:
    """Returns the evaluation of ``office`` for the days ``start`` to ``end`` (office-local, both
    included). Raises PeriodError when the end comes before the start."""
    period = period_between(start, end)
    since, until = local_range(office, start, end)
    submitted, groups = volumes(office, since, until)
    steps = step_rows(office, start, end, _active_steps(office))
    figures = [step.as_figures() for step in steps]
    return EvaluationReport(
        office=office,
        period=period,
        generated_at=timezone.localtime(clock.now(), ZoneInfo(office.time_zone)),
        cases_submitted=submitted,
        volumes=groups,
        steps=steps,
        breaches=breach_rows(office, since, until),
        exceptions=exception_rows(office, since, until),
        closing=closing_summary(office, since, until),
        ikm=ikm_summary(office, start, end),
        monitoring=_monitoring(office, start, end, figures),
        followups=_followups(office, start, end),
    )


# --- the JSON shape (the API and the management command) --------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def monitoring_json(row: MonitoringRow) -> dict:
    return {
        "no": row.no,
        "activity": row.activity,
        "ran_well": row.ran_well,
        "assessment": assessment_label(row.ran_well),
        "notes": row.notes,
        "action_to_take": row.action_to_take,
        "assessor": row.assessor,
        "assessed_at": _iso(row.assessed_at),
        "prefilled": row.prefilled,
    }


def followup_json(row: FollowupRow) -> dict:
    return {
        "title": row.title,
        "description": row.description,
        "step_no": row.step_no,
        "owner": row.owner,
        "due_date": row.due_date.isoformat(),
        "status": row.status,
        "status_label": row.status_label,
        "done_at": _iso(row.done_at),
        "done_note": row.done_note,
        "carried_over": row.carried_over,
        "overdue": row.overdue,
    }


def _volume_json(rows: Sequence[VolumeRow]) -> list[dict]:
    return [{"code": row.code, "label": row.label, "count": row.count} for row in rows]


def report_json(report: EvaluationReport) -> dict:
    """The report as JSON-ready data (the API's ``EvaluationOut``; ``manage.py evaluation_report``)."""
    period = report.period
    return {
        "office": report.office.code,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "period": {"kind": period.kind, "year": period.year, "number": period.number, "label": period.label},
        "generated_at": report.generated_at.isoformat(),
        "cases_submitted": report.cases_submitted,
        "volumes": [
            {"key": g.key, "title": g.title, "multiple": g.multiple, "rows": _volume_json(g.rows)}
            for g in report.volumes
        ],
        "steps": [
            {
                "no": s.no,
                "activity": s.activity,
                "done": s.done,
                "within_standard": s.within_standard,
                "within_standard_percent": float(s.within_percent) if s.within_percent is not None else None,
                "median_minutes": s.median_minutes,
                "p90_minutes": s.p90_minutes,
                "standard_minutes": s.standard_minutes,
                "standard_label": s.standard_label,
                "breaches": s.breaches,
            }
            for s in report.steps
        ],
        "breaches": [
            {
                "registration_number": b.registration_number,
                "step_no": b.step_no,
                "due_at": b.due_at.isoformat(),
                "done_at": b.done_at.isoformat(),
                "late_minutes": round(b.late_minutes, 1),
                "officer_step": b.officer_step,
                "explained": b.explained,
                "explanation": b.explanation_text,
                "explained_by": b.explained_by,
                "explained_at": _iso(b.explained_at),
            }
            for b in report.breaches
        ],
        "exceptions": [
            {
                "kind": e.kind,
                "registration_number": e.registration_number,
                "at": e.at.isoformat(),
                "status": e.status,
                "reason": e.reason,
                "referral": e.referral,
                "contact_attempts": e.contact_attempts,
                "last_result": e.last_result,
            }
            for e in report.exceptions
        ],
        "closing": {
            "closed": report.closing.closed,
            "need_met": _volume_json(report.closing.need_met),
            "mode_right": _volume_json(report.closing.mode_right),
            "accommodations": _volume_json(report.closing.accommodations),
            "notes": [
                {
                    "registration_number": n.registration_number,
                    "need_met": n.need_met,
                    "mode_right": n.mode_right,
                    "accommodations": n.accommodations,
                    "notes": n.notes,
                }
                for n in report.closing.notes
            ],
        },
        "ikm": {
            "respondents": report.ikm.respondents,
            "ikm_converted": report.ikm.ikm_converted,
            "grade": report.ikm.grade,
            "performance": report.ikm.performance,
            "population_served": report.ikm.population_served,
            "sample_required": report.ikm.sample_required,
            "sample_sufficient": report.ikm.sample_sufficient,
            "weakest": [{"code": w.code, "name": w.name, "nrr": w.nrr} for w in report.ikm.weakest],
        },
        "monitoring": [monitoring_json(row) for row in report.monitoring],
        "followups": [followup_json(row) for row in report.followups],
    }


# --- charts -----------------------------------------------------------------------------------------------


def minutes_text(value: float | None) -> str:
    """Minutes as the page writes them: one decimal in the active language ("3,5"), "—" for none."""
    return EMPTY if value is None else number_format(value, decimal_pos=1)


def volume_chart(group: VolumeGroup) -> str:
    """The group's categories that have cases, as bars (all of them are in the table beside it)."""
    rows = [ChartRow(row.label, (float(row.count),), (str(row.count),)) for row in group.rows if row.count]
    return bar_chart(
        chart_id=f"chart-{group.key}",
        title=_("Grafik jumlah permohonan menurut %(group)s") % {"group": group.title.lower()},
        rows=rows,
        note=_("Kategori lain: 0. Angka yang sama ada pada tabel di sampingnya."),
        empty_text=_("Tidak ada permohonan pada periode ini."),
    )


def steps_chart(steps: Sequence[StepRow]) -> str:
    """Each step measured in minutes: its median time beside its POS standard."""
    median, standard = _("Median"), _("Waktu standar")
    rows = [
        ChartRow(
            _("Langkah %(no)s") % {"no": step.no},
            (step.median_minutes, float(step.standard_minutes)),
            (
                _("%(value)s menit") % {"value": minutes_text(step.median_minutes)},
                _("%(value)s menit") % {"value": step.standard_minutes},
            ),
        )
        for step in steps
        if step.standard_minutes is not None
    ]
    return bar_chart(
        chart_id="chart-steps",
        title=_("Grafik median waktu per langkah dibanding waktu standar POS (menit kerja)"),
        rows=rows,
        series=(median, standard),
        note=_("Langkah yang diukur dalam hari tidak digambar. Angka yang sama ada pada tabel waktu per langkah."),
    )


def report_charts(report: EvaluationReport) -> dict[str, str]:
    """The report's SVG charts by name: one per volume group ("vulnerability", ...) and "steps"."""
    charts = {group.key: volume_chart(group) for group in report.volumes}
    charts["steps"] = steps_chart(report.steps)
    return charts
