"""``manage.py skm_instrument_load --office CODE [--file PATH]``: installs an SKM instrument file as the
office's next version (the active one from then on; earlier responses keep the version they were given)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jangkau.core.errors import InvalidInput
from jangkau.offices.models import Office
from jangkau.surveys.instrument import DEFAULT_INSTRUMENT_FILE, instrument_install


class Command(BaseCommand):
    help = "Install an SKM instrument TOML file (default: PermenPANRB 14/2017) as an office's next version."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="Office code, e.g. bpmp-dki.")
        parser.add_argument("--file", type=Path, default=DEFAULT_INSTRUMENT_FILE, help="Instrument TOML file.")

    def handle(self, *args, office, file, **options):
        office_obj = Office.objects.filter(code=office).first()
        if office_obj is None:
            raise CommandError(f"Unknown office code {office!r}.")
        try:
            with Path(file).open("rb") as handle:
                data = tomllib.load(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except tomllib.TOMLDecodeError as error:
            raise CommandError(f"{file} is not TOML: {error}.") from None
        try:
            instrument = instrument_install(office=office_obj, data=data, source=str(file))
        except InvalidInput as error:
            raise CommandError(f"Invalid instrument file {file}: {error.message}") from None
        self.stdout.write(f"Installed {instrument.title} as version {instrument.version} for {office_obj.code}.")
