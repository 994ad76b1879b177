"""Issues a staff API token and prints its key once: ``python manage.py api_token_issue USERNAME --name NAME``."""

from django.core.management.base import BaseCommand, CommandError

from jangkau.accounts.models import User
from jangkau.accounts.tokens import api_token_issue
from jangkau.core.errors import DomainError


class Command(BaseCommand):
    help = "Issue an API token for a staff member; the key is printed once and cannot be read back."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. 'call-centre'.")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No staff member named {username!r}.")
        try:
            token, key = api_token_issue(user=user, name=name)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Token {token.prefix}… for {user.get_username()} ({token.name}):")
        self.stdout.write(key)
        self.stdout.write("Keep it secret; it is not stored and cannot be shown again.")
