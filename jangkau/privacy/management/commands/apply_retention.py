"""``manage.py apply_retention [--office CODE] [--dry-run]``: anonymises the cases whose retention ran out."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from jangkau.audit.services import SYSTEM
from jangkau.core import clock
from jangkau.offices.models import Office
from jangkau.privacy.anonymise import case_anonymise
from jangkau.privacy.retention import cases_due

REASON = "retention"


class Command(BaseCommand):
    help = (
        "Anonymise the personal data of cases that ended (closed, rejected or cancelled) longer ago than their "
        "office's retention period; statistics, step times and survey answers stay. One transaction and one "
        "audit event per case; cases already anonymised are skipped, so it is safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", help="Only this office's code, e.g. bpmp-dki.")
        parser.add_argument("--dry-run", action="store_true", help="Count the cases due; change nothing.")

    def handle(self, *args, office=None, dry_run=False, **options):
        offices = Office.objects.order_by("code")
        if office:
            offices = offices.filter(code=office)
            if not offices.exists():
                raise CommandError(f"Unknown office code {office!r}.")
        now = clock.now()
        total = 0
        for each in offices:
            due = list(cases_due(each, now).values_list("pk", flat=True))
            if dry_run:
                self.stdout.write(f"{each.code}: {len(due)} case(s) would be anonymised ({each.retention_years} years)")
                total += len(due)
                continue
            done = 0
            for pk in due:
                case = each.cases.filter(pk=pk, anonymised_at__isnull=True).first()
                if case is None:  # anonymised meanwhile (an erasure request, another run)
                    continue
                # Each case in its own transaction: a failure leaves the others done and is retried next run.
                case_anonymise(case=case, actor=SYSTEM, reason=REASON)
                done += 1
            self.stdout.write(f"{each.code}: {done} case(s) anonymised ({each.retention_years} years)")
            total += done
        if dry_run:
            self.stdout.write(f"Dry run: {total} case(s) would be anonymised; nothing was changed.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Retention applied: {total} case(s) anonymised."))
