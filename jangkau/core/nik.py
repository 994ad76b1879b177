"""Structural validation of the 16-digit NIK: province code, birth date (women add 40 to the day), serial.

A structurally valid NIK may still not exist; only Dukcapil can say that, and Jangkau does not ask it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

_DATA = Path(__file__).parent / "data" / "nik_provinces.toml"


@cache
def province_codes() -> dict[str, str]:
    """Returns the province codes (two digits) and names that may open a NIK."""
    with _DATA.open("rb") as handle:
        return {str(code): name for code, name in tomllib.load(handle)["provinces"].items()}


@dataclass(frozen=True)
class NikFacts:
    province: str
    birth_date: date
    female: bool


class NikError(ValueError):
    """Raised with a stable ``code`` naming what is wrong with a NIK."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def normalise_nik(raw: str) -> str:
    """Returns the NIK without spaces, dots and dashes people type to group its digits."""
    return re.sub(r"[\s.\-]", "", raw or "")


def parse_nik(raw: str, *, today: date | None = None) -> NikFacts:
    """Returns what the NIK's structure says.

    Raises NikError with code "digits", "length", "province", "area", "birth_date" or "serial".
    """
    nik = normalise_nik(raw)
    # ASCII digits only: str.isdigit() also takes superscripts ("²"), which int() then refuses.
    if not (nik.isascii() and nik.isdigit()):
        raise NikError("digits")
    if len(nik) != 16:
        raise NikError("length")
    province = province_codes().get(nik[:2])
    if province is None:
        raise NikError("province")
    if nik[2:4] == "00" or nik[4:6] == "00":
        raise NikError("area")
    if nik[12:] == "0000":
        raise NikError("serial")
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day > 40
    if female:
        day -= 40
    today = today or date.today()
    # Two-digit years: this century when that date has passed, else the last one. Comparing whole dates,
    # not years: on 24 November 2026 a requester born on 20 December 1926 is 99, not a baby yet unborn.
    for century in (2000, 1900):
        try:
            born = date(century + year2, month, day)
        except ValueError:
            continue
        if born <= today:
            break
    else:
        raise NikError("birth_date")
    return NikFacts(province=province, birth_date=born, female=female)
