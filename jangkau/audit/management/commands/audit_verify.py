from django.core.management.base import BaseCommand, CommandError

from jangkau.audit.models import AuditEvent
from jangkau.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verifies the audit trail's hash chain; exits non-zero naming the first bad event."

    def handle(self, *args, **options):
        problems = list(verify_chain())
        if problems:
            for problem in problems[1:]:
                self.stderr.write(f"also: {problem}")
            raise CommandError(f"audit chain broken at {problems[0]}")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {AuditEvent.objects.count()} events"))
