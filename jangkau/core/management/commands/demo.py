from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jangkau.core.demo import load_demo


class Command(BaseCommand):
    help = "Loads the demo office, one user per role and a case in every status; running it twice changes nothing."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("demo data is refused with DJANGO_ENV=production: its passwords are public")
        result = load_demo()
        self.stdout.write(
            f"Demo office: {result.office.name} ({result.office.code}); {result.cases_created} new cases."
        )
        self.stdout.write("Demo logins (http://127.0.0.1:8000/staf/masuk/):")
        for username, password in result.users:
            self.stdout.write(f"  {username:<8} {password}")
