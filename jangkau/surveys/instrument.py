"""The SKM instrument as data: read from TOML, checked, installed per office as a numbered version."""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from jangkau.core import clock
from jangkau.core.errors import InvalidInput
from jangkau.offices.models import Office

from .models import ELEMENT_CODES, SCALE, Instrument

DEFAULT_INSTRUMENT_FILE = Path(__file__).resolve().parent / "data" / "skm_permenpanrb_14_2017.toml"


def parse_instrument(raw: dict) -> dict:
    """Returns ``raw`` checked: a title and exactly the nine elements U1..U9, each with a name, a question
    and four answer labels. Raises InvalidInput naming the first problem."""
    if not str(raw.get("title", "")).strip():
        raise InvalidInput(_("Instrumen SKM tanpa judul."))
    elements = raw.get("elements") or []
    codes = [element.get("code") for element in elements]
    if sorted(codes, key=lambda c: (len(c or ""), c or "")) != ELEMENT_CODES:
        raise InvalidInput(_("Instrumen SKM harus memuat tepat sembilan unsur U1 sampai U9."))
    for element in elements:
        for key in ("name", "question"):
            if not str(element.get(key, "")).strip():
                raise InvalidInput(_("Unsur %(code)s tanpa %(key)s.") % {"code": element["code"], "key": key})
        for key in ("labels", "labels_en"):
            labels = element.get(key, [])
            if (key == "labels" or labels) and (len(labels) != len(SCALE) or not all(str(x).strip() for x in labels)):
                raise InvalidInput(_("Unsur %(code)s harus punya empat pilihan jawaban.") % {"code": element["code"]})
    return raw


def instrument_install(*, office: Office, data: dict, source: str = "") -> Instrument:
    """Creates the office's next instrument version from ``data`` and makes it the active one."""
    data = parse_instrument(data)
    with transaction.atomic():
        Office.objects.select_for_update(no_key=True).get(pk=office.pk)
        latest = Instrument.objects.filter(office=office).aggregate(latest=Max("version"))["latest"] or 0
        Instrument.objects.filter(office=office, is_active=True).update(is_active=False)
        instrument = Instrument.objects.create(
            office=office,
            version=latest + 1,
            title=data["title"],
            title_en=data.get("title_en", ""),
            source=source[-200:],
            created_at=clock.now(),
        )
        for order, element in enumerate(data["elements"], start=1):
            instrument.elements.create(
                code=element["code"],
                order=order,
                name=element["name"],
                name_en=element.get("name_en", ""),
                question=element["question"],
                question_en=element.get("question_en", ""),
                labels=list(element["labels"]),
                labels_en=list(element.get("labels_en", [])),
            )
    return instrument


def active_instrument(office: Office) -> Instrument:
    """Returns the office's active instrument, installing the PermenPANRB 14/2017 one the first time."""
    instrument = Instrument.objects.filter(office=office, is_active=True).first()
    if instrument is None:
        with DEFAULT_INSTRUMENT_FILE.open("rb") as handle:
            instrument = instrument_install(
                office=office, data=tomllib.load(handle), source=DEFAULT_INSTRUMENT_FILE.name
            )
    return instrument
