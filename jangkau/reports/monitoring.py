"""The SOP monitoring table of PermenPANRB 35/2012 (*Formulir Monitoring Pelaksanaan SOP*) for one office and
one period: per POS step, whether it ran well, the notes of the assessment, the action to take, who assessed
it and when.

The evaluator is the office's head (role ``head``, "Kepala / evaluator"): PermenPANRB 35/2012 has the unit's
leader monitor how its SOPs are carried out, and the ULT officers and Tim PPID are the ones whose work is
assessed, so they read the table but do not fill it in. The administrator keeps the installation running and
evaluates nothing.

A step's row comes from the evaluator's saved entry for exactly that office and period; until one is saved
it is prefilled from the period's figures (``jangkau.cases.sla_report``), so the table is never empty and
the evaluator starts from the measured facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jangkau.accounts.models import Role, User
from jangkau.audit.services import audit_record
from jangkau.cases.sla_report import STEP_NUMBERS, StepFigures
from jangkau.core import clock
from jangkau.core.errors import DomainError, InvalidFields, PermissionDenied
from jangkau.procedures.selectors import active_procedure

from .models import MonitoringEntry

NOTES_MAX = 2000
# Dates outside these years are typing mistakes (the same bounds as the recap's period).
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


@dataclass(frozen=True)
class MonitoringRow:
    """One row of the monitoring table. ``prefilled`` is true while the evaluator has not saved this step for
    this period: the assessment and notes are then suggestions computed from the figures."""

    no: int
    activity: str
    ran_well: bool | None
    notes: str
    action_to_take: str
    assessor: str
    assessed_at: datetime | None
    prefilled: bool


@dataclass(frozen=True)
class MonitoringInput:
    """What the evaluator writes for one step (the arguments of ``monitoring_save``)."""

    step_no: int
    ran_well: bool | None
    notes: str = ""
    action_to_take: str = ""


def assessment_label(ran_well: bool | None) -> str:
    """The assessment in the form's own words."""
    if ran_well is None:
        return _("Belum dapat dinilai")
    return _("Berjalan dengan baik") if ran_well else _("Tidak berjalan dengan baik")


def prefill(figures: StepFigures) -> tuple[bool | None, str]:
    """Returns the suggested assessment and notes of one step from its figures (pure).

    Ran well when something was done and nothing overran its standard time; did not run well when anything
    overran; None (cannot be assessed) when nothing of the step was finished in the period.
    """
    if figures.done == 0:
        return None, _("Tidak ada kegiatan langkah ini yang selesai dalam periode ini.")
    notes = ngettext(
        "%(within)d dari %(done)d selesai dalam waktu standar",
        "%(within)d dari %(done)d selesai dalam waktu standar",
        figures.done,
    ) % {"within": figures.within_standard, "done": figures.done}
    if figures.breaches:
        notes += "; " + ngettext("%(late)d terlambat", "%(late)d terlambat", figures.breaches) % {
            "late": figures.breaches
        }
    return figures.breaches == 0, notes + "."


def _activities(office) -> dict[int, str]:
    try:
        version = active_procedure(office)
    except DomainError:
        return {}
    return {step.no: step.activity for step in version.steps.all()}


def _step_activity(activities: dict[int, str], no: int) -> str:
    return activities.get(no) or _("Langkah %(no)s") % {"no": no}


def monitoring_table(office, start: date, end: date, figures: Sequence[StepFigures]) -> list[MonitoringRow]:
    """Returns the eight rows (POS steps 1..8, in order) of the office's monitoring table for ``start``..``end``.

    A row saved for exactly this office and period wins; any other row is prefilled from ``figures`` (the
    period's ``sla_report``; a step missing from it counts as nothing done). The activity is the step's text
    in the office's active POS version ("Langkah N" when the office has none).
    """
    activities = _activities(office)
    by_no = {figure.no: figure for figure in figures}
    saved = {
        entry.step_no: entry
        for entry in MonitoringEntry.objects.filter(office=office, period_start=start, period_end=end).select_related(
            "assessor"
        )
    }
    rows = []
    for no in STEP_NUMBERS:
        activity = _step_activity(activities, no)
        entry = saved.get(no)
        if entry is not None:
            rows.append(
                MonitoringRow(
                    no=no,
                    activity=activity,
                    ran_well=entry.ran_well,
                    notes=entry.notes,
                    action_to_take=entry.action_to_take,
                    assessor=str(entry.assessor),
                    assessed_at=entry.assessed_at,
                    prefilled=False,
                )
            )
            continue
        figure = by_no.get(no) or StepFigures(no, 0, 0, None, None, None, 0)
        ran_well, notes = prefill(figure)
        rows.append(
            MonitoringRow(
                no=no,
                activity=activity,
                ran_well=ran_well,
                notes=notes,
                action_to_take="",
                assessor="",
                assessed_at=None,
                prefilled=True,
            )
        )
    return rows


def is_evaluator(user, office) -> bool:
    """True for an active head of ``office``: the one who fills in the monitoring table and raises RTL."""
    return (
        isinstance(user, User)
        and user.is_active
        and user.office_id is not None
        and user.office_id == office.pk
        and user.role == Role.HEAD
    )


def check_period(start, end) -> dict[str, str]:
    """Returns the errors of a period (keys ``start`` and ``end``): real dates within 2000–2099, the end not
    before the start."""
    errors: dict[str, str] = {}
    for key, value, missing in (
        ("start", start, _("Masukkan tanggal awal periode.")),
        ("end", end, _("Masukkan tanggal akhir periode.")),
    ):
        if not isinstance(value, date):
            errors[key] = missing
        elif not EARLIEST <= value <= LATEST:
            errors[key] = _("Tanggal harus antara tahun %(first)s dan %(last)s.") % {
                "first": EARLIEST.year,
                "last": LATEST.year,
            }
    if not errors and end < start:
        errors["end"] = _("Tanggal akhir periode harus sama dengan atau sesudah tanggal awal.")
    return errors


def _check_entry(entry: MonitoringInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    prefix = f"step_{entry.step_no}_"
    if entry.ran_well not in (True, False, None):
        errors[prefix + "ran_well"] = _("Pilih penilaian langkah %(no)s.") % {"no": entry.step_no}
    if len(entry.notes) > NOTES_MAX:
        errors[prefix + "notes"] = _("Catatan langkah %(no)s paling banyak %(max)s karakter.") % {
            "no": entry.step_no,
            "max": NOTES_MAX,
        }
    if len(entry.action_to_take) > NOTES_MAX:
        errors[prefix + "action_to_take"] = _("Tindakan langkah %(no)s paling banyak %(max)s karakter.") % {
            "no": entry.step_no,
            "max": NOTES_MAX,
        }
    elif entry.ran_well is False and not entry.action_to_take:
        errors[prefix + "action_to_take"] = _(
            "Langkah %(no)s tidak berjalan dengan baik: tuliskan tindakan yang harus diambil."
        ) % {"no": entry.step_no}
    return errors


def monitoring_save_all(
    *, office, start: date, end: date, entries: Sequence[MonitoringInput], actor
) -> list[MonitoringEntry]:
    """Saves the evaluator's assessment of several steps of one period at once (the whole table) and returns
    the saved entries in step order. A step saved before for this period is replaced.

    One transaction and one audit event ``evaluation.monitoring_saved`` listing the steps. Raises
    PermissionDenied (the actor is not the office's head) or InvalidFields — keys ``start``, ``end``,
    ``steps`` and ``step_<n>_<field>`` — with nothing saved. A step that did not run well needs the action to
    take.
    """
    if not is_evaluator(actor, office):
        raise PermissionDenied(_("Hanya Kepala kantor ini (evaluator) yang dapat mengisi tabel pemantauan POS."))
    entries = [
        MonitoringInput(
            step_no=entry.step_no,
            ran_well=entry.ran_well,
            notes=(entry.notes or "").strip(),
            action_to_take=(entry.action_to_take or "").strip(),
        )
        for entry in entries
    ]
    errors = check_period(start, end)
    numbers = [entry.step_no for entry in entries]
    if not entries:
        errors["steps"] = _("Isi penilaian sekurang-kurangnya satu langkah.")
    elif any(not isinstance(no, int) or isinstance(no, bool) or no not in STEP_NUMBERS for no in numbers):
        errors["steps"] = _("Nomor langkah harus 1 sampai 8.")
    elif len(set(numbers)) != len(numbers):
        errors["steps"] = _("Setiap langkah hanya boleh dinilai sekali.")
    else:
        for entry in entries:
            errors.update(_check_entry(entry))
    if errors:
        raise InvalidFields(errors)
    saved = []
    with transaction.atomic(), clock.frozen_at(clock.now()):
        now = clock.now()
        for entry in sorted(entries, key=lambda item: item.step_no):
            row, _created = MonitoringEntry.objects.update_or_create(
                office=office,
                period_start=start,
                period_end=end,
                step_no=entry.step_no,
                defaults={
                    "ran_well": entry.ran_well,
                    "notes": entry.notes,
                    "action_to_take": entry.action_to_take,
                    "assessor": actor,
                    "assessed_at": now,
                },
            )
            saved.append(row)
        audit_record(
            action="evaluation.monitoring_saved",
            actor=actor,
            office=office,
            changes={
                "period": [start.isoformat(), end.isoformat()],
                "steps": [
                    {
                        "no": row.step_no,
                        "ran_well": row.ran_well,
                        "notes": row.notes,
                        "action_to_take": row.action_to_take,
                    }
                    for row in saved
                ],
            },
        )
    return saved


def monitoring_save(
    *,
    office,
    start: date,
    end: date,
    step_no: int,
    ran_well: bool | None,
    notes: str,
    action_to_take: str,
    actor,
) -> MonitoringEntry:
    """Saves the evaluator's assessment of one step for one period (replacing an earlier one) and returns it.

    Same rules, transaction and audit event as ``monitoring_save_all`` with a single step.
    """
    (entry,) = monitoring_save_all(
        office=office,
        start=start,
        end=end,
        entries=[MonitoringInput(step_no=step_no, ran_well=ran_well, notes=notes, action_to_take=action_to_take)],
        actor=actor,
    )
    return entry
