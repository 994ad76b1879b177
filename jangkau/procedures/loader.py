"""Reading a POS (Prosedur Operasional Standar) from a TOML file into the plain dict that
``procedure_install`` takes.

The POS is kept as data rather than code so that an office can correct it (the seed lost its actor ticks)
and load a new version without a deployment.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext as _

from jangkau.core.errors import InvalidInput

from .models import Actor

DEFAULT_POS_FILE = Path(__file__).resolve().parent / "data" / "pos_jemput_bola_2024.toml"

LIST_KEYS = ("legal_basis", "qualifications", "related_procedures", "equipment", "warnings", "recording")
APPROVER_KEYS = ("position", "name", "nip")
REQUIRED_STEP_TEXT = ("activity", "requirements", "standard_label", "output")

# Mirrors the model's max_length so a long value is refused with a message instead of a database error.
MAX_LENGTHS = {"number": 120, "title": 200, "position": 120, "name": 200, "nip": 30, "standard_label": 40}


def load_procedure_file(path: str | Path) -> dict:
    """Returns the POS in ``path`` as a validated dict (dates as ``datetime.date``).

    Raises InvalidInput naming the problem when the file is missing, is not TOML, or its content is not a
    valid POS (see ``parse_procedure``).
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise InvalidInput(_("Berkas POS %(path)s tidak ditemukan.") % {"path": path}) from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(
            _("Berkas POS %(path)s bukan TOML yang sah: %(error)s") % {"path": path, "error": error}
        ) from None
    return parse_procedure(raw)


def parse_procedure(raw: dict) -> dict:
    """Returns a normalised copy of ``raw``: every key present, optional ones filled with their defaults.

    Raises InvalidInput naming the problem for: a missing key, a value of the wrong type, steps not numbered
    1..n, an unknown actor code, a step with neither ``standard_minutes`` nor ``standard_days_max``,
    ``standard_days_min`` greater than ``standard_days_max``, and a decision (``no_branch_to``: the step its
    "Tidak" branch leads to) on the first or last step or leading to itself or to a step that does not exist.
    """
    if not isinstance(raw, dict):
        raise InvalidInput(_("Isi POS harus berupa tabel kunci dan nilai."))
    data = {
        "number": _text(raw, "number", "number"),
        "title": _text(raw, "title", "title"),
        "made_on": _date(raw, "made_on", required=False),
        "revised_on": _date(raw, "revised_on", required=False),
        "effective_date": _date(raw, "effective_date", required=True),
    }
    approver = raw.get("approver", {})
    if not isinstance(approver, dict):
        raise InvalidInput(_("Kunci approver harus berupa tabel (position, name, nip)."))
    data["approver"] = {key: _text(approver, key, f"approver.{key}", required=False) for key in APPROVER_KEYS}
    for key in LIST_KEYS:
        data[key] = _text_list(raw, key)
    data["steps"] = _steps(raw)
    return data


def _steps(raw: dict) -> list[dict]:
    if "steps" not in raw:
        raise InvalidInput(_("Berkas POS tidak memuat kunci %(key)s.") % {"key": "steps"})
    steps = raw["steps"]
    if not isinstance(steps, list) or not steps or not all(isinstance(step, dict) for step in steps):
        raise InvalidInput(_("Kunci steps harus berupa daftar langkah ([[steps]]) yang tidak kosong."))
    numbers = [step.get("no") for step in steps]
    expected = list(range(1, len(steps) + 1))
    if any(isinstance(number, bool) for number in numbers) or numbers != expected:
        raise InvalidInput(
            _("Nomor langkah (no) harus berurutan 1..%(n)s, tertulis: %(numbers)s.")
            % {"n": len(steps), "numbers": ", ".join(str(number) for number in numbers)}
        )
    parsed = [_step(step) for step in steps]
    for step in parsed:
        _check_decision(step, len(parsed))
    return parsed


def _check_decision(step: dict, count: int) -> None:
    """A decision's "Tidak" branch must lead to another existing step; the first and last steps are the
    flowchart's start and end (capsules), so neither can be a decision."""
    target = step["no_branch_to"]
    if target is None:
        return
    no = step["no"]
    if no in (1, count):
        raise InvalidInput(
            _("Langkah %(no)s adalah awal atau akhir prosedur dan tidak dapat menjadi keputusan (no_branch_to).")
            % {"no": no}
        )
    if not 1 <= target <= count or target == no:
        raise InvalidInput(
            _("Langkah %(no)s: no_branch_to harus nomor langkah lain antara 1 dan %(n)s, tertulis %(target)s.")
            % {"no": no, "n": count, "target": target}
        )


def _step(raw: dict) -> dict:
    no = raw["no"]
    where = f"steps[{no}]"
    step = {"no": no}
    step["activity"] = _text(raw, "activity", f"{where}.activity")
    step["actors"] = _actors(raw, where)
    step["requirements"] = _text(raw, "requirements", f"{where}.requirements")
    step["standard_minutes"] = _count(raw, "standard_minutes", where)
    step["standard_days_min"] = _count(raw, "standard_days_min", where)
    step["standard_days_max"] = _count(raw, "standard_days_max", where)
    if step["standard_minutes"] is None and step["standard_days_max"] is None:
        raise InvalidInput(
            _("Langkah %(no)s tidak memuat waktu baku: isi standard_minutes atau standard_days_max.") % {"no": no}
        )
    days_min, days_max = step["standard_days_min"], step["standard_days_max"]
    if days_min is not None and days_max is not None and days_min > days_max:
        raise InvalidInput(
            _("Langkah %(no)s: standard_days_min (%(min)s) lebih besar dari standard_days_max (%(max)s).")
            % {"no": no, "min": days_min, "max": days_max}
        )
    step["standard_label"] = _text(raw, "standard_label", f"{where}.standard_label")
    step["output"] = _text(raw, "output", f"{where}.output")
    step["remarks"] = _text(raw, "remarks", f"{where}.remarks", required=False)
    follows = raw.get("follows_service_standard", False)
    if not isinstance(follows, bool):
        raise InvalidInput(
            _("Kunci %(key)s harus bernilai true atau false.") % {"key": f"{where}.follows_service_standard"}
        )
    step["follows_service_standard"] = follows
    step["no_branch_to"] = _count(raw, "no_branch_to", where)
    return step


def _actors(raw: dict, where: str) -> list[str]:
    key = f"{where}.actors"
    if "actors" not in raw:
        raise InvalidInput(_("Berkas POS tidak memuat kunci %(key)s.") % {"key": key})
    actors = raw["actors"]
    if not isinstance(actors, list) or not actors or not all(isinstance(actor, str) for actor in actors):
        raise InvalidInput(_("Kunci %(key)s harus berupa daftar kode pelaksana yang tidak kosong.") % {"key": key})
    known = set(Actor.values)
    for actor in actors:
        if actor not in known:
            raise InvalidInput(
                _("Kode pelaksana %(actor)s pada %(key)s tidak dikenal; pilihan: %(known)s.")
                % {"actor": actor, "key": key, "known": ", ".join(Actor.values)}
            )
    if len(set(actors)) != len(actors):
        raise InvalidInput(_("Kunci %(key)s memuat kode pelaksana yang sama lebih dari sekali.") % {"key": key})
    return list(actors)


def _text(raw: dict, key: str, label: str, *, required: bool = True) -> str:
    if key not in raw:
        if required:
            raise InvalidInput(_("Berkas POS tidak memuat kunci %(key)s.") % {"key": label})
        return ""
    value = raw[key]
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidInput(_("Kunci %(key)s harus berupa teks yang tidak kosong.") % {"key": label})
    limit = MAX_LENGTHS.get(key)
    if limit is not None and len(value) > limit:
        raise InvalidInput(_("Kunci %(key)s melebihi %(limit)s karakter.") % {"key": label, "limit": limit})
    return value


def _text_list(raw: dict, key: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise InvalidInput(_("Kunci %(key)s harus berupa daftar teks.") % {"key": key})
    return list(value)


def _date(raw: dict, key: str, *, required: bool) -> date | None:
    if key not in raw:
        if required:
            raise InvalidInput(_("Berkas POS tidak memuat kunci %(key)s.") % {"key": key})
        return None
    value = raw[key]
    # A TOML date-time is a datetime, itself a date subclass: the POS dates carry no time of day.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput(_("Kunci %(key)s harus berupa tanggal (YYYY-MM-DD).") % {"key": key})


def _count(raw: dict, key: str, where: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    # bool is an int subclass; "true" minutes is a typo, not a duration.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(_("Kunci %(key)s harus berupa bilangan bulat tidak negatif.") % {"key": f"{where}.{key}"})
    return value
