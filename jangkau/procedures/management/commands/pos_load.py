"""``manage.py pos_load --office CODE [--file PATH] [--no-activate]``: installs a POS file as the office's
next version."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jangkau.core.errors import InvalidInput
from jangkau.offices.models import Office
from jangkau.procedures.loader import DEFAULT_POS_FILE, load_procedure_file
from jangkau.procedures.services import procedure_install


class Command(BaseCommand):
    help = "Install a POS TOML file (default: the seed POS) as a new version of an office's procedure."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="Office code, e.g. bpmp-dki.")
        parser.add_argument("--file", type=Path, default=DEFAULT_POS_FILE, help="POS TOML file.")
        parser.add_argument(
            "--no-activate", action="store_false", dest="activate", help="Keep the new version as a draft."
        )

    def handle(self, *args, office, file, activate, **options):
        try:
            office_obj = Office.objects.get(code=office)
        except Office.DoesNotExist:
            raise CommandError(f"Unknown office code {office!r}.") from None
        try:
            data = load_procedure_file(file)
            version = procedure_install(office=office_obj, data=data, activate=activate, source=str(file))
        except InvalidInput as error:
            raise CommandError(f"Invalid POS file {file}: {error.message}") from None
        self.stdout.write(
            f"Installed {version.number} as version {version.version} ({version.status}) "
            f"for {office_obj.code}, {len(data['steps'])} steps."
        )
