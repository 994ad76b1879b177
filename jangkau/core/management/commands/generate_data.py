"""``manage.py generate_data --office CODE --cases N --surveys M``: realistic data for benchmarks
(``jangkau.core.datagen``)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jangkau.core.datagen import GenerationError, generate_data, office_create_like_demo
from jangkau.offices.models import Office


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def _not_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Generates N cases in every status (most of them open) with their step records, and M SKM responses, "
        "for one office, with bulk inserts; for benchmarks, never for a production office."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", required=True, help="Office code, e.g. bpmp-dki.")
        parser.add_argument("--cases", type=_not_negative, default=0, help="How many cases (default 0).")
        parser.add_argument("--surveys", type=_not_negative, default=0, help="How many SKM responses (default 0).")
        parser.add_argument("--seed", type=int, help="Seed for a reproducible run (default: random).")
        parser.add_argument("--batch", type=_positive, default=5000, help="Cases per transaction (default 5000).")
        parser.add_argument(
            "--months", type=_positive, default=6, help="Cases are submitted over this many months up to now (6)."
        )
        parser.add_argument(
            "--create-office",
            action="store_true",
            help="Create the office, set up like the demo's, when it does not exist.",
        )

    def handle(self, *args, office, cases, surveys, seed, batch, months, create_office, **options):
        if settings.PRODUCTION:
            raise CommandError("generated data is refused with DJANGO_ENV=production")
        started = time.perf_counter()
        office_obj = Office.objects.filter(code=office).first()
        if office_obj is None:
            if not create_office:
                raise CommandError(
                    f"Unknown office code {office!r}; nothing generated. Use --create-office to make it."
                )
            office_obj = office_create_like_demo(office)
            self.stdout.write(f"Created office {office} set up like the demo's.")
        try:
            result = generate_data(
                office=office_obj,
                cases=cases,
                surveys=surveys,
                seed=seed,
                batch=batch,
                months=months,
                report=self.stdout.write,
            )
        except GenerationError as error:
            raise CommandError(f"{error}; nothing generated.") from None
        if result.staff_created:
            self.stdout.write(f"Created staff without passwords: {', '.join(result.staff_created)}.")
        if result.statuses:
            statuses = ", ".join(f"{status} {count:,}" for status, count in sorted(result.statuses.items()))
            self.stdout.write(f"Statuses: {statuses}.")
        self.stdout.write(
            f"Generated {result.cases:,} cases ({result.open_cases:,} open, {result.steps:,} step records) and "
            f"{result.surveys:,} survey responses ({result.linked_surveys:,} linked to cases) for office {office} "
            f"with seed {result.seed} in {time.perf_counter() - started:.1f} s "
            f"(cases {result.case_seconds:.1f} s, surveys {result.survey_seconds:.1f} s)."
        )
